#ifndef CSIJILL_PDF_READER_H
#define CSIJILL_PDF_READER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Reads scanned and born-digital PDFs for ingest: poppler (glib) for pages, text, images and
 * rendering; qpdf for the raw bytes of an image stream. Nothing in a PDF is executed: poppler
 * never runs JavaScript, and attachments are only counted and named. */

typedef struct sj_pdf sj_pdf;

enum { SJ_PDF_OK = 0, SJ_PDF_ENCRYPTED = 1, SJ_PDF_DAMAGED = 2 };

/* Opens a PDF held in memory. `data` is not copied and must outlive the handle. On failure
 * returns SJ_PDF_ENCRYPTED or SJ_PDF_DAMAGED with a reason in `message`. */
int sj_pdf_open(const uint8_t *data, size_t length, sj_pdf **out, char *message, size_t message_length);
void sj_pdf_close(sj_pdf *pdf);
int sj_pdf_page_count(sj_pdf *pdf);

typedef struct {
    int javascript;
    int forms;
    int attachments;
    /* Names of embedded files, '\n'-separated (cut at the buffer's size). */
    char attachment_names[1024];
    /* qpdf had to repair the file's structure to read it. */
    int repaired;
    char repair_message[512];
} sj_pdf_features;

void sj_pdf_get_features(sj_pdf *pdf, sj_pdf_features *features);

typedef struct {
    /* The page as displayed, in points (rotation applied). */
    double width_pt, height_pt;
    int rotation;
    /* Images drawn on the page, and whether exactly one of them covers (nearly) all of it. */
    int image_count;
    int full_page_image;
    /* That image: poppler's id, pixel size from its dictionary, the area it covers in points. */
    int image_id;
    int image_width, image_height;
    double image_area_width, image_area_height;
    /* The image's only filter is DCTDecode: its stream is a JPEG file as it is. */
    int image_is_jpeg;
    /* The image's only filter is FlateDecode with PNG predictors, grey or RGB: its stream is a
     * PNG image's IDAT data as it is. */
    int image_is_png;
    /* The image's only filter is CCITTFaxDecode in Group 4 (K < 0): its stream is a G4 strip. */
    int image_is_g4;
    /* Characters of text on the page (any render mode, invisible too). */
    int text_characters;
    /* The largest image the page's resources hold, in pixels (checked before decoding anything). */
    double largest_image_pixels;
} sj_pdf_page;

/* Fills `info` for page `index` (0-based); returns 0, or -1 when the page cannot be read. */
int sj_pdf_describe_page(sj_pdf *pdf, int index, sj_pdf_page *info);

/* The raw stream of the page's full-page JPEG image (malloc'ed; free it). Returns 0 or -1. */
int sj_pdf_page_jpeg(sj_pdf *pdf, int index, uint8_t **bytes, size_t *length);

/* The page's full-page Flate image as a PNG file: its stream bytes as the IDAT, with a pHYs of
 * `dpi` (malloc'ed; free it). Returns 0 or -1. */
int sj_pdf_page_png(sj_pdf *pdf, int index, int dpi, uint8_t **bytes, size_t *length);

/* The page's full-page CCITT G4 image as a one-strip G4 TIFF: its stream bytes as the strip,
 * at `dpi` (malloc'ed; free it). Returns 0 or -1. */
int sj_pdf_page_g4(sj_pdf *pdf, int index, int dpi, uint8_t **bytes, size_t *length);

/* A decoded raster: 1 channel (grey) or 3 (RGB), 8 bits each, rows of `width * channels` bytes. */
typedef struct {
    int width, height, channels;
    /* Every grey value is 0 or 255: the page is bilevel. */
    int bilevel;
    uint8_t *pixels;
} sj_raster;

void sj_raster_free(sj_raster *raster);

/* The page's full-page image decoded at its own size (any filter poppler reads: Flate, CCITT,
 * JBIG2, JPX…). Returns 0 or -1. */
int sj_pdf_page_image(sj_pdf *pdf, int index, sj_raster *raster);

/* The page rendered at `dpi` on white. The caller checks the pixel count first. Returns 0 or -1. */
int sj_pdf_page_render(sj_pdf *pdf, int index, double dpi, sj_raster *raster);

/* The page's words in logical (reading) order, as malloc'ed UTF-8 lines
 * "line<TAB>x0<TAB>y0<TAB>x1<TAB>y1<TAB>word\n" (points from the top left of the page as shown;
 * `line` counts from 0 in reading order). Arabic runs, which PDFs store in visual order, are
 * turned back to logical order. Returns 0 or -1. */
int sj_pdf_page_words(sj_pdf *pdf, int index, char **tsv);

#ifdef __cplusplus
}
#endif

#endif

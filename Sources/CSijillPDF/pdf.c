#include "CSijillPDF.h"

#include <pango/pangocairo.h>
#include <cairo/cairo-pdf.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef struct {
    unsigned char *data;
    size_t size, capacity;
    int failed;
} Buffer;

static cairo_status_t write_buffer(void *closure, const unsigned char *data, unsigned int length) {
    Buffer *b = closure;
    if (b->size + length > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 1 << 16;
        while (capacity < b->size + length) capacity *= 2;
        unsigned char *grown = realloc(b->data, capacity);
        if (!grown) { b->failed = 1; return CAIRO_STATUS_WRITE_ERROR; }
        b->data = grown;
        b->capacity = capacity;
    }
    memcpy(b->data + b->size, data, length);
    b->size += length;
    return CAIRO_STATUS_SUCCESS;
}

typedef struct {
    const unsigned char *data;
    size_t size, offset;
} Reader;

static cairo_status_t read_png(void *closure, unsigned char *data, unsigned int length) {
    Reader *r = closure;
    if (r->offset + length > r->size) return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->data + r->offset, length);
    r->offset += length;
    return CAIRO_STATUS_SUCCESS;
}

/* Draws `text` in a box `width` wide with its right edge at x (RTL), top at y; returns the height. */
static double draw_text(cairo_t *cr, const char *text, const char *font, double x, double y, double width, int center) {
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoFontDescription *desc = pango_font_description_from_string(font);
    pango_layout_set_font_description(layout, desc);
    pango_font_description_free(desc);
    pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_auto_dir(layout, TRUE);
    /* Pango swaps left and right for a right-to-left paragraph: ask for the side that puts
       every line against the right margin, Arabic or not. */
    PangoDirection dir = pango_find_base_dir(text, -1);
    pango_layout_set_alignment(layout, center ? PANGO_ALIGN_CENTER : (dir == PANGO_DIRECTION_RTL ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT));
    /* IDs and URLs wrap without an inserted hyphen (it would read as part of the ID). */
    PangoAttrList *attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(layout, attrs);
    pango_attr_list_unref(attrs);
    pango_layout_set_text(layout, text, -1);
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    cairo_move_to(cr, x - width, y);
    pango_cairo_show_layout(cr, layout);
    g_object_unref(layout);
    return (double)h / PANGO_SCALE;
}

static void draw_qr(cairo_t *cr, const char *url, double x, double y, double size) {
    QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) return;
    double module = size / (qr->width + 8);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, size, size);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int r = 0; r < qr->width; r++)
        for (int c = 0; c < qr->width; c++)
            if (qr->data[r * qr->width + c] & 1) cairo_rectangle(cr, x + (c + 4) * module, y + (r + 4) * module, module, module);
    cairo_fill(cr);
    QRcode_free(qr);
}

int sijill_pdf_render(const SijillPDFPage *pages, size_t page_count, const SijillPDFStamp *stamp,
                      unsigned char **out, size_t *out_size, char *error, size_t error_size) {
    Buffer buffer = {0};
    const double a4w = 595.28, a4h = 841.89;
    cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(write_buffer, &buffer, a4w, a4h);
    cairo_pdf_surface_restrict_to_version(pdf, CAIRO_PDF_VERSION_1_5);
    cairo_t *cr = cairo_create(pdf);
    int rc = 0;
    for (size_t i = 0; i < page_count && rc == 0; i++) {
        Reader reader = {pages[i].png, pages[i].png_size, 0};
        cairo_surface_t *image = cairo_image_surface_create_from_png_stream(read_png, &reader);
        if (cairo_surface_status(image) != CAIRO_STATUS_SUCCESS) {
            snprintf(error, error_size, "page %zu: the image could not be read as PNG", i + 1);
            rc = -1;
            cairo_surface_destroy(image);
            break;
        }
        double dpi = pages[i].dpi > 0 ? pages[i].dpi : 300;
        double w = cairo_image_surface_get_width(image) * 72.0 / dpi;
        double h = cairo_image_surface_get_height(image) * 72.0 / dpi;
        cairo_pdf_surface_set_size(pdf, w, h);
        cairo_save(cr);
        cairo_scale(cr, 72.0 / dpi, 72.0 / dpi);
        cairo_set_source_surface(cr, image, 0, 0);
        /* Keep the pixels as scanned (no smoothing when viewers scale). */
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
        cairo_paint(cr);
        cairo_restore(cr);
        cairo_show_page(cr);
        cairo_surface_destroy(image);
    }
    if (rc == 0 && stamp) {
        cairo_pdf_surface_set_size(pdf, a4w, a4h);
        const double margin = 56, right = a4w - margin, width = a4w - 2 * margin;
        double y = margin;
        cairo_set_source_rgb(cr, 0.04, 0.2, 0.45);
        cairo_set_line_width(cr, 3);
        cairo_rectangle(cr, margin / 2, margin / 2, a4w - margin, a4h - margin);
        cairo_stroke(cr);
        y += draw_text(cr, stamp->title, "Amiri Bold 30", right, y, width, 1) + 8;
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        if (stamp->subtitle) y += draw_text(cr, stamp->subtitle, "Amiri 16", right, y, width, 1) + 24;
        for (size_t i = 0; i < stamp->lines; i++) {
            double hl = draw_text(cr, stamp->labels[i], "Amiri Bold 13", right, y, 150, 0);
            double hv = draw_text(cr, stamp->values[i], "Amiri 13", right - 160, y, width - 160, 0);
            y += (hl > hv ? hl : hv) + 6;
        }
        y += 16;
        if (stamp->url) {
            draw_qr(cr, stamp->url, margin, y, 150);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            draw_text(cr, stamp->url, "DejaVu Sans Mono 9", right, y + 160, width, 0);
            y += 190;
        }
        if (stamp->footer) draw_text(cr, stamp->footer, "Amiri 11", right, y, width, 0);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    if (rc == 0 && (cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS || buffer.failed)) {
        snprintf(error, error_size, "the PDF could not be written: %s", cairo_status_to_string(cairo_surface_status(pdf)));
        rc = -2;
    }
    cairo_surface_destroy(pdf);
    if (rc != 0) {
        free(buffer.data);
        return rc;
    }
    *out = buffer.data;
    *out_size = buffer.size;
    return 0;
}

void sijill_pdf_free(unsigned char *bytes) { free(bytes); }

int sijill_deflate(const unsigned char *bytes, size_t size, unsigned char **out, size_t *out_size) {
    uLongf bound = compressBound((uLong)size);
    unsigned char *buffer = malloc(bound ? bound : 1);
    if (!buffer) return -1;
    if (compress2(buffer, &bound, bytes, (uLong)size, 6) != Z_OK) {
        free(buffer);
        return -2;
    }
    *out = buffer;
    *out_size = bound;
    return 0;
}

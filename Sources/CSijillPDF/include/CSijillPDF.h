#ifndef CSIJILL_PDF_H
#define CSIJILL_PDF_H

#include <stddef.h>

/// One scanned page: PNG bytes and the resolution it was scanned at (for the page size).
typedef struct {
    const unsigned char *png;
    size_t png_size;
    double dpi;
} SijillPDFPage;

/// The certification page: a title, then label/value lines (UTF-8, Arabic shaped and laid out
/// right to left by Pango), and a URL drawn as a QR code and as text.
typedef struct {
    const char *title;
    const char *subtitle;
    const char *const *labels;
    const char *const *values;
    size_t lines;
    const char *url;
    const char *footer;
} SijillPDFStamp;

/// Renders the pages (one PDF page each, at their scanned size) and the certification page
/// into a PDF. On success returns 0 and sets *out / *out_size (free with sijill_pdf_free);
/// otherwise returns a negative code and writes a message into error (error_size bytes).
int sijill_pdf_render(const SijillPDFPage *pages, size_t page_count, const SijillPDFStamp *stamp,
                      unsigned char **out, size_t *out_size, char *error, size_t error_size);

void sijill_pdf_free(unsigned char *bytes);

/// zlib (FlateDecode) compression of `size` bytes at level 6. Returns 0 and sets *out /
/// *out_size (free with sijill_pdf_free), or a negative code.
int sijill_deflate(const unsigned char *bytes, size_t size, unsigned char **out, size_t *out_size);

#endif

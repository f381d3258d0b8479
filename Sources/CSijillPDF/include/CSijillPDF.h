#ifndef CSIJILL_PDF_H
#define CSIJILL_PDF_H

#include <stddef.h>

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

/// Frees bytes returned by these functions.
void sijill_pdf_free(unsigned char *bytes);

/// One line of text on the certification page, in points from its top left corner.
typedef struct {
    double left, top, width, height;
    char *text;
} SijillStampLine;

/// The certification page alone as an RGB PNG at `dpi` (A4), and where each line of its text
/// was laid out (free with sijill_stamp_lines_free). 0 on success, else a negative code with
/// a message in error.
int sijill_stamp_png(const SijillPDFStamp *stamp, double dpi, unsigned char **out, size_t *out_size,
                     SijillStampLine **lines, size_t *line_count, char *error, size_t error_size);

void sijill_stamp_lines_free(SijillStampLine *lines, size_t count);

/// zlib (FlateDecode) compression of `size` bytes at level 6. Returns 0 and sets *out /
/// *out_size (free with sijill_pdf_free), or a negative code.
int sijill_deflate(const unsigned char *bytes, size_t size, unsigned char **out, size_t *out_size);

#endif

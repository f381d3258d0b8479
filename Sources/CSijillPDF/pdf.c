#include "CSijillPDF.h"

#include <pango/pangocairo.h>
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

/* Where the stamp's lines of text were drawn (for the invisible text layer over its image). */
typedef struct {
    SijillStampLine *lines;
    size_t count, capacity;
} Recorder;

static _Thread_local Recorder *recorder = NULL;

static void record_lines(PangoLayout *layout, const char *text, double left, double top) {
    if (!recorder) return;
    PangoLayoutIter *iter = pango_layout_get_iter(layout);
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(iter);
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(iter, NULL, &logical);
        if (line->length <= 0) continue;
        if (recorder->count == recorder->capacity) {
            size_t capacity = recorder->capacity ? recorder->capacity * 2 : 32;
            SijillStampLine *grown = realloc(recorder->lines, capacity * sizeof(SijillStampLine));
            if (!grown) break;
            recorder->lines = grown;
            recorder->capacity = capacity;
        }
        SijillStampLine *out = &recorder->lines[recorder->count++];
        out->left = left + (double)logical.x / PANGO_SCALE;
        out->top = top + (double)logical.y / PANGO_SCALE;
        out->width = (double)logical.width / PANGO_SCALE;
        out->height = (double)logical.height / PANGO_SCALE;
        out->text = strndup(text + line->start_index, (size_t)line->length);
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
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
    record_lines(layout, text, x - width, y);
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

static void draw_stamp(cairo_t *cr, const SijillPDFStamp *stamp, double a4w, double a4h) {
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

static cairo_status_t write_png(void *closure, const unsigned char *data, unsigned int length) {
    return write_buffer(closure, data, length);
}

int sijill_stamp_png(const SijillPDFStamp *stamp, double dpi, unsigned char **out, size_t *out_size,
                     SijillStampLine **lines, size_t *line_count, char *error, size_t error_size) {
    const double a4w = 595.28, a4h = 841.89, scale = dpi / 72.0;
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(a4w * scale + 0.5), (int)(a4h * scale + 0.5));
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        snprintf(error, error_size, "the certification page could not be drawn");
        cairo_surface_destroy(surface);
        return -1;
    }
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    Recorder record = {0};
    recorder = &record;
    draw_stamp(cr, stamp, a4w, a4h);
    recorder = NULL;
    cairo_destroy(cr);
    Buffer buffer = {0};
    cairo_status_t status = cairo_surface_write_to_png_stream(surface, write_png, &buffer);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS || buffer.failed) {
        snprintf(error, error_size, "the certification page could not be written as PNG");
        free(buffer.data);
        sijill_stamp_lines_free(record.lines, record.count);
        return -2;
    }
    *out = buffer.data;
    *out_size = buffer.size;
    *lines = record.lines;
    *line_count = record.count;
    return 0;
}

void sijill_stamp_lines_free(SijillStampLine *lines, size_t count) {
    for (size_t i = 0; i < count; i++) free(lines[i].text);
    free(lines);
}

#include "CSijillPDFReader.h"

#include <math.h>
#include <poppler.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>
#include <algorithm>
#include <memory>
#include <string>
#include <vector>
#include <qpdf/qpdf-c.h>
#include <zlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sj_pdf {
    PopplerDocument *document;
    GBytes *bytes;
    qpdf_data qpdf;
    char repair[512];
    /* poppler's C++ front end, for text in reading order (loaded on first use). */
    poppler::document *text_document;
};

static void copy_message(char *to, size_t size, const char *from) {
    if (!to || size == 0) return;
    snprintf(to, size, "%s", from ? from : "");
}

static void first_qpdf_warning(qpdf_data q, char *to, size_t size) {
    int first = 1;
    while (qpdf_more_warnings(q)) {
        qpdf_error w = qpdf_next_warning(q);
        if (first && w) copy_message(to, size, qpdf_get_error_full_text(q, w));
        first = 0;
    }
}

/* poppler prints what it repairs or skips ("Syntax Error…") to stderr; the caller reports
 * problems by file name instead. The callback is global and set once. */
static void quiet(const std::string &, void *) {}

int sj_pdf_open(const uint8_t *data, size_t length, sj_pdf **out, char *message, size_t message_length) {
    static bool silenced = (poppler::set_debug_error_function(quiet, nullptr), true);
    (void)silenced;
    *out = NULL;
    sj_pdf *pdf = static_cast<sj_pdf *>(calloc(1, sizeof(sj_pdf)));
    if (!pdf) { copy_message(message, message_length, "out of memory"); return SJ_PDF_DAMAGED; }

    /* poppler first: it says whether a password is needed. NULL tries the empty user password. */
    pdf->bytes = g_bytes_new_static(data, length);
    GError *error = NULL;
    pdf->document = poppler_document_new_from_bytes(pdf->bytes, NULL, &error);
    if (!pdf->document) {
        int code = (error && error->domain == POPPLER_ERROR && error->code == POPPLER_ERROR_ENCRYPTED)
            ? SJ_PDF_ENCRYPTED : SJ_PDF_DAMAGED;
        copy_message(message, message_length,
                     code == SJ_PDF_ENCRYPTED ? "it is encrypted and needs a password to open"
                                              : (error ? error->message : "unreadable"));
        if (error) g_error_free(error);
        sj_pdf_close(pdf);
        return code;
    }

    pdf->qpdf = qpdf_init();
    qpdf_silence_errors(pdf->qpdf);
    qpdf_set_suppress_warnings(pdf->qpdf, QPDF_TRUE);
    QPDF_ERROR_CODE status = qpdf_read_memory(pdf->qpdf, "pdf", (const char *)data, (unsigned long long)length, "");
    if (status & QPDF_ERRORS) {
        qpdf_error e = qpdf_get_error(pdf->qpdf);
        copy_message(message, message_length, e ? qpdf_get_error_full_text(pdf->qpdf, e) : "unreadable structure");
        sj_pdf_close(pdf);
        return SJ_PDF_DAMAGED;
    }
    first_qpdf_warning(pdf->qpdf, pdf->repair, sizeof pdf->repair);
    if (qpdf_push_inherited_attributes_to_page(pdf->qpdf) & QPDF_ERRORS) {
        copy_message(message, message_length, "its page tree cannot be read");
        sj_pdf_close(pdf);
        return SJ_PDF_DAMAGED;
    }
    int poppler_pages = poppler_document_get_n_pages(pdf->document);
    int qpdf_pages = qpdf_get_num_pages(pdf->qpdf);
    if (poppler_pages <= 0) {
        copy_message(message, message_length, "it has no pages");
        sj_pdf_close(pdf);
        return SJ_PDF_DAMAGED;
    }
    if (qpdf_pages != poppler_pages) {
        char text[128];
        snprintf(text, sizeof text, "its page tree is inconsistent (%d or %d pages)", poppler_pages, qpdf_pages);
        copy_message(message, message_length, text);
        sj_pdf_close(pdf);
        return SJ_PDF_DAMAGED;
    }
    *out = pdf;
    return SJ_PDF_OK;
}

void sj_pdf_close(sj_pdf *pdf) {
    if (!pdf) return;
    if (pdf->document) g_object_unref(pdf->document);
    if (pdf->bytes) g_bytes_unref(pdf->bytes);
    if (pdf->qpdf) qpdf_cleanup(&pdf->qpdf);
    delete pdf->text_document;
    free(pdf);
}

int sj_pdf_page_count(sj_pdf *pdf) { return poppler_document_get_n_pages(pdf->document); }

void sj_pdf_get_features(sj_pdf *pdf, sj_pdf_features *f) {
    memset(f, 0, sizeof *f);
    f->javascript = poppler_document_has_javascript(pdf->document) ? 1 : 0;
    f->attachments = (int)poppler_document_get_n_attachments(pdf->document);
    if (f->attachments > 0) {
        GList *list = poppler_document_get_attachments(pdf->document);
        size_t used = 0;
        for (GList *l = list; l; l = l->next) {
            PopplerAttachment *a = static_cast<PopplerAttachment *>(l->data);
            const char *name = a->name ? a->name : "(unnamed)";
            int n = snprintf(f->attachment_names + used, sizeof f->attachment_names - used, "%s%s", used ? "\n" : "", name);
            if (n < 0 || used + (size_t)n >= sizeof f->attachment_names) break;
            used += (size_t)n;
        }
        g_list_free_full(list, (GDestroyNotify)g_object_unref);
    }
    qpdf_oh root = qpdf_get_root(pdf->qpdf);
    f->forms = qpdf_oh_has_key(pdf->qpdf, root, "/AcroForm") ? 1 : 0;
    /* An OpenAction or additional actions that run JavaScript (poppler counts the names tree). */
    qpdf_oh open = qpdf_oh_get_key(pdf->qpdf, root, "/OpenAction");
    if (qpdf_oh_is_dictionary(pdf->qpdf, open)) {
        qpdf_oh kind = qpdf_oh_get_key(pdf->qpdf, open, "/S");
        if (qpdf_oh_is_name_and_equals(pdf->qpdf, kind, "/JavaScript")) f->javascript = 1;
    }
    if (qpdf_oh_has_key(pdf->qpdf, root, "/AA")) f->javascript = 1;
    f->repaired = pdf->repair[0] != 0;
    copy_message(f->repair_message, sizeof f->repair_message, pdf->repair);
    qpdf_oh_release_all(pdf->qpdf);
}

/* The page's image XObjects; returns how many, and the one image (when exactly one) in `*image`;
 * `largest` (if given) receives the largest width × height among them. */
static int page_images(sj_pdf *pdf, int index, qpdf_oh *image, double *largest = NULL) {
    qpdf_data q = pdf->qpdf;
    qpdf_oh page = qpdf_get_page_n(q, (size_t)index);
    qpdf_oh resources = qpdf_oh_get_key(q, page, "/Resources");
    qpdf_oh xobjects = qpdf_oh_get_key(q, resources, "/XObject");
    if (!qpdf_oh_is_dictionary(q, xobjects)) return 0;
    int count = 0;
    qpdf_oh_begin_dict_key_iter(q, xobjects);
    while (qpdf_oh_dict_more_keys(q)) {
        const char *key = qpdf_oh_dict_next_key(q);
        qpdf_oh value = qpdf_oh_get_key(q, xobjects, key);
        if (!qpdf_oh_is_stream(q, value)) continue;
        qpdf_oh dict = qpdf_oh_get_dict(q, value);
        if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, dict, "/Subtype"), "/Image")) continue;
        count++;
        *image = value;
        if (largest) {
            double w = qpdf_oh_get_numeric_value(q, qpdf_oh_get_key(q, dict, "/Width"));
            double h = qpdf_oh_get_numeric_value(q, qpdf_oh_get_key(q, dict, "/Height"));
            if (w * h > *largest) *largest = w * h;
        }
    }
    return count;
}

/* Whether the stream dictionary's one filter is `name` (alone, or as a one-item array). */
static int only_filter(qpdf_data q, qpdf_oh dict, const char *name) {
    qpdf_oh filter = qpdf_oh_get_key(q, dict, "/Filter");
    if (qpdf_oh_is_name_and_equals(q, filter, name)) return 1;
    return qpdf_oh_is_array(q, filter) && qpdf_oh_get_array_n_items(q, filter) == 1
        && qpdf_oh_is_name_and_equals(q, qpdf_oh_get_array_item(q, filter, 0), name);
}

/* A JPEG as it is: DCTDecode alone, a colour space a JPEG file carries itself, no decode array,
 * mask or soft mask that would change what the page shows. */
static int is_plain_jpeg(qpdf_data q, qpdf_oh image) {
    qpdf_oh dict = qpdf_oh_get_dict(q, image);
    int dct = only_filter(q, dict, "/DCTDecode");
    if (!dct) return 0;
    if (qpdf_oh_has_key(q, dict, "/Decode") || qpdf_oh_has_key(q, dict, "/SMask") || qpdf_oh_has_key(q, dict, "/Mask"))
        return 0;
    qpdf_oh space = qpdf_oh_get_key(q, dict, "/ColorSpace");
    if (qpdf_oh_is_name_and_equals(q, space, "/DeviceCMYK")) return 0;
    if (qpdf_oh_is_array(q, space)) {
        qpdf_oh family = qpdf_oh_get_array_item(q, space, 0);
        if (!qpdf_oh_is_name_and_equals(q, family, "/ICCBased")) return 0;
        qpdf_oh profile = qpdf_oh_get_dict(q, qpdf_oh_get_array_item(q, space, 1));
        int n = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, profile, "/N"));
        if (n != 1 && n != 3) return 0;
    }
    return 1;
}

static poppler::document *text_document(sj_pdf *pdf) {
    if (!pdf->text_document) {
        gsize size = 0;
        const char *data = static_cast<const char *>(g_bytes_get_data(pdf->bytes, &size));
        pdf->text_document = poppler::document::load_from_raw_data(data, (int)size);
    }
    return pdf->text_document;
}

/* The page's /Rotate, normalised to 0, 90, 180 or 270. */
static int page_rotation(sj_pdf *pdf, int index) {
    qpdf_oh page = qpdf_get_page_n(pdf->qpdf, (size_t)index);
    int r = qpdf_oh_get_int_value_as_int(pdf->qpdf, qpdf_oh_get_key(pdf->qpdf, page, "/Rotate"));
    qpdf_oh_release_all(pdf->qpdf);
    r %= 360;
    if (r < 0) r += 360;
    return (r == 90 || r == 180 || r == 270) ? r : 0;
}

/* Flate with PNG predictors over grey or RGB samples of 1 or 8 bits: the stream is what a PNG's
 * IDAT chunks hold, so the PNG is made without decoding anything. */
static int is_png_flate(qpdf_data q, qpdf_oh image, int *colors, int *bits) {
    qpdf_oh dict = qpdf_oh_get_dict(q, image);
    int flate = only_filter(q, dict, "/FlateDecode");
    if (!flate) return 0;
    if (qpdf_oh_has_key(q, dict, "/Decode") || qpdf_oh_has_key(q, dict, "/SMask") || qpdf_oh_has_key(q, dict, "/Mask")
        || qpdf_oh_has_key(q, dict, "/ImageMask"))
        return 0;
    qpdf_oh parms = qpdf_oh_get_key(q, dict, "/DecodeParms");
    if (qpdf_oh_is_array(q, parms)) parms = qpdf_oh_get_array_item(q, parms, 0);
    if (!qpdf_oh_is_dictionary(q, parms)) return 0;
    int predictor = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, parms, "/Predictor"));
    if (predictor < 10) return 0;
    int width = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, dict, "/Width"));
    int bpc = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, dict, "/BitsPerComponent"));
    int n = qpdf_oh_has_key(q, parms, "/Colors") ? qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, parms, "/Colors")) : 1;
    int pbits = qpdf_oh_has_key(q, parms, "/BitsPerComponent")
        ? qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, parms, "/BitsPerComponent")) : 8;
    int columns = qpdf_oh_has_key(q, parms, "/Columns") ? qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, parms, "/Columns")) : 1;
    if (columns != width || pbits != bpc || !(bpc == 8 || (bpc == 1 && n == 1)) || (n != 1 && n != 3)) return 0;
    qpdf_oh space = qpdf_oh_get_key(q, dict, "/ColorSpace");
    int space_n = 0;
    if (qpdf_oh_is_name_and_equals(q, space, "/DeviceGray")) space_n = 1;
    else if (qpdf_oh_is_name_and_equals(q, space, "/DeviceRGB")) space_n = 3;
    else if (qpdf_oh_is_array(q, space) && qpdf_oh_is_name_and_equals(q, qpdf_oh_get_array_item(q, space, 0), "/ICCBased"))
        space_n = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, qpdf_oh_get_dict(q, qpdf_oh_get_array_item(q, space, 1)), "/N"));
    if (space_n != n) return 0;
    *colors = n;
    *bits = bpc;
    return 1;
}

/* CCITT Group 4 alone, bytes not aligned per row, one row of the right width per image row:
 * the stream is a TIFF G4 strip. `*white_is_zero` says which TIFF photometric shows it as the
 * page shows it (BlackIs1 and a [1 0] Decode each invert what a black run shows as): 1 for
 * WhiteIsZero, 0 for BlackIsZero. */
static int is_plain_g4(qpdf_data q, qpdf_oh image, int *white_is_zero) {
    qpdf_oh dict = qpdf_oh_get_dict(q, image);
    int ccitt = only_filter(q, dict, "/CCITTFaxDecode");
    if (!ccitt || qpdf_oh_has_key(q, dict, "/SMask") || qpdf_oh_has_key(q, dict, "/Mask")) return 0;
    QPDF_BOOL mask = QPDF_FALSE;
    if (qpdf_oh_has_key(q, dict, "/ImageMask") && qpdf_oh_get_value_as_bool(q, qpdf_oh_get_key(q, dict, "/ImageMask"), &mask)
        && mask)
        return 0;
    qpdf_oh parms = qpdf_oh_get_key(q, dict, "/DecodeParms");
    if (qpdf_oh_is_array(q, parms)) parms = qpdf_oh_get_array_item(q, parms, 0);
    if (!qpdf_oh_is_dictionary(q, parms)) return 0;
    if (qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, parms, "/K")) >= 0) return 0;
    QPDF_BOOL flag = QPDF_FALSE;
    if (qpdf_oh_has_key(q, parms, "/EncodedByteAlign")
        && qpdf_oh_get_value_as_bool(q, qpdf_oh_get_key(q, parms, "/EncodedByteAlign"), &flag) && flag)
        return 0;
    int width = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, dict, "/Width"));
    int columns = qpdf_oh_has_key(q, parms, "/Columns") ? qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, parms, "/Columns")) : 1728;
    if (columns != width) return 0;
    int black_is_1 = 0;
    if (qpdf_oh_has_key(q, parms, "/BlackIs1")) {
        flag = QPDF_FALSE;
        qpdf_oh_get_value_as_bool(q, qpdf_oh_get_key(q, parms, "/BlackIs1"), &flag);
        black_is_1 = flag ? 1 : 0;
    }
    int inverted = 0;
    qpdf_oh decode = qpdf_oh_get_key(q, dict, "/Decode");
    if (qpdf_oh_is_array(q, decode)) {
        if (qpdf_oh_get_array_n_items(q, decode) != 2) return 0;
        double a = qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, decode, 0));
        double b = qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, decode, 1));
        if (a == 1 && b == 0) inverted = 1;
        else if (!(a == 0 && b == 1)) return 0;
    }
    /* Black runs show black when exactly one of BlackIs1 and the inverting Decode is unset. */
    *white_is_zero = (black_is_1 == inverted) ? 1 : 0;
    return 1;
}

int sj_pdf_describe_page(sj_pdf *pdf, int index, sj_pdf_page *info) {
    memset(info, 0, sizeof *info);
    PopplerPage *page = poppler_document_get_page(pdf->document, index);
    if (!page) return -1;
    poppler_page_get_size(page, &info->width_pt, &info->height_pt);
    /* poppler's size is the page as shown (rotation applied); its rendering is not rotated. */
    info->rotation = page_rotation(pdf, index);
    GList *mapping = poppler_page_get_image_mapping(page);
    double page_area = info->width_pt * info->height_pt;
    for (GList *l = mapping; l; l = l->next) {
        PopplerImageMapping *m = static_cast<PopplerImageMapping *>(l->data);
        info->image_count++;
        double w = fabs(m->area.x2 - m->area.x1), h = fabs(m->area.y2 - m->area.y1);
        if (page_area > 0 && w * h >= 0.85 * page_area) {
            info->image_id = m->image_id;
            info->image_area_width = w;
            info->image_area_height = h;
            info->full_page_image = 1;
        }
    }
    poppler_page_free_image_mapping(mapping);
    if (info->image_count != 1) info->full_page_image = 0;
    qpdf_oh image = 0;
    int images = page_images(pdf, index, &image, &info->largest_image_pixels);
    if (info->full_page_image) {
        if (images == 1) {
            qpdf_oh dict = qpdf_oh_get_dict(pdf->qpdf, image);
            info->image_width = qpdf_oh_get_int_value_as_int(pdf->qpdf, qpdf_oh_get_key(pdf->qpdf, dict, "/Width"));
            info->image_height = qpdf_oh_get_int_value_as_int(pdf->qpdf, qpdf_oh_get_key(pdf->qpdf, dict, "/Height"));
            info->image_is_jpeg = is_plain_jpeg(pdf->qpdf, image);
            int colors = 0, bits = 0;
            info->image_is_png = is_png_flate(pdf->qpdf, image, &colors, &bits);
            int white_is_zero = 0;
            info->image_is_g4 = is_plain_g4(pdf->qpdf, image, &white_is_zero);
        }
    }
    /* poppler-glib's own text loses right-to-left lines; the C++ front end reads them. */
    if (poppler::document *document = text_document(pdf)) {
        std::unique_ptr<poppler::page> text_page(document->create_page(index));
        if (text_page) info->text_characters = (int)text_page->text_list().size();
    }
    qpdf_oh_release_all(pdf->qpdf);
    g_object_unref(page);
    return 0;
}

/* The still-encoded stream of the page's one image, when `accepts` says it can be kept as it
 * is; `width` and `height` from its dictionary. */
template <typename Accept>
static bool raw_image(sj_pdf *pdf, int index, Accept accepts, std::string &data, uint32_t &width, uint32_t &height) {
    qpdf_oh image = 0;
    bool ok = false;
    if (page_images(pdf, index, &image) == 1 && accepts(pdf->qpdf, image)) {
        qpdf_oh dict = qpdf_oh_get_dict(pdf->qpdf, image);
        width = (uint32_t)qpdf_oh_get_int_value_as_int(pdf->qpdf, qpdf_oh_get_key(pdf->qpdf, dict, "/Width"));
        height = (uint32_t)qpdf_oh_get_int_value_as_int(pdf->qpdf, qpdf_oh_get_key(pdf->qpdf, dict, "/Height"));
        unsigned char *buffer = NULL;
        size_t size = 0;
        QPDF_ERROR_CODE status = qpdf_oh_get_stream_data(pdf->qpdf, image, qpdf_dl_none, NULL, &buffer, &size);
        if (!(status & QPDF_ERRORS) && buffer && size > 0 && width > 0 && height > 0) {
            data.assign(reinterpret_cast<char *>(buffer), size);
            ok = true;
        }
        free(buffer);
    }
    first_qpdf_warning(pdf->qpdf, NULL, 0);
    qpdf_oh_release_all(pdf->qpdf);
    return ok;
}

/* Hands `data` to the caller as malloc'ed bytes. */
static int hand_over(const std::string &data, uint8_t **bytes, size_t *length) {
    *bytes = static_cast<uint8_t *>(malloc(data.size()));
    if (!*bytes) return -1;
    memcpy(*bytes, data.data(), data.size());
    *length = data.size();
    return 0;
}

int sj_pdf_page_jpeg(sj_pdf *pdf, int index, uint8_t **bytes, size_t *length) {
    *bytes = NULL;
    *length = 0;
    std::string data;
    uint32_t width = 0, height = 0;
    if (!raw_image(pdf, index, is_plain_jpeg, data, width, height)) return -1;
    if (data.size() < 4 || (unsigned char)data[0] != 0xFF || (unsigned char)data[1] != 0xD8) return -1;
    return hand_over(data, bytes, length);
}

static void png_chunk(std::string &out, const char *type, const std::string &data) {
    uint32_t n = (uint32_t)data.size();
    unsigned char len[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16), (unsigned char)(n >> 8), (unsigned char)n};
    out.append(reinterpret_cast<char *>(len), 4);
    std::string body = std::string(type, 4) + data;
    out += body;
    uint32_t crc = (uint32_t)crc32(0, reinterpret_cast<const Bytef *>(body.data()), (uInt)body.size());
    unsigned char c[4] = {(unsigned char)(crc >> 24), (unsigned char)(crc >> 16), (unsigned char)(crc >> 8), (unsigned char)crc};
    out.append(reinterpret_cast<char *>(c), 4);
}

static std::string be32(uint32_t v) {
    char b[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
    return std::string(b, 4);
}

int sj_pdf_page_png(sj_pdf *pdf, int index, int dpi, uint8_t **bytes, size_t *length) {
    *bytes = NULL;
    *length = 0;
    int colors = 0, bits = 0;
    std::string data;
    uint32_t width = 0, height = 0;
    auto accepts = [&](qpdf_data q, qpdf_oh image) { return is_png_flate(q, image, &colors, &bits) != 0; };
    if (!raw_image(pdf, index, accepts, data, width, height)) return -1;
    std::string png("\x89PNG\r\n\x1a\n", 8);
    std::string ihdr = be32(width) + be32(height);
    ihdr += (char)bits;
    ihdr += (char)(colors == 3 ? 2 : 0);
    ihdr += std::string(3, '\0');
    png_chunk(png, "IHDR", ihdr);
    uint32_t ppm = (uint32_t)(dpi / 0.0254 + 0.5);
    png_chunk(png, "pHYs", be32(ppm) + be32(ppm) + std::string(1, '\1'));
    png_chunk(png, "IDAT", data);
    png_chunk(png, "IEND", std::string());
    return hand_over(png, bytes, length);
}

static std::string le16(uint16_t v) { return std::string{(char)(v & 255), (char)(v >> 8)}; }
static std::string le32(uint32_t v) { return std::string{(char)(v & 255), (char)(v >> 8), (char)(v >> 16), (char)(v >> 24)}; }

int sj_pdf_page_g4(sj_pdf *pdf, int index, int dpi, uint8_t **bytes, size_t *length) {
    *bytes = NULL;
    *length = 0;
    int white_is_zero = 0;
    std::string data;
    uint32_t width = 0, height = 0;
    auto accepts = [&](qpdf_data q, qpdf_oh image) { return is_plain_g4(q, image, &white_is_zero) != 0; };
    if (!raw_image(pdf, index, accepts, data, width, height)) return -1;
    /* Header, one IFD of 13 entries, the two resolutions, then the strip. */
    const uint32_t entries = 13, ifd = 8, rationals = ifd + 2 + entries * 12 + 4, strip = rationals + 16;
    std::string t = std::string("II*\0", 4) + le32(ifd) + le16((uint16_t)entries);
    auto entry = [&](uint16_t tag, uint16_t type, uint32_t value) {
        t += le16(tag) + le16(type) + le32(1) + (type == 3 ? le16((uint16_t)value) + le16(0) : le32(value));
    };
    entry(256, 4, width);
    entry(257, 4, height);
    entry(258, 3, 1);
    entry(259, 3, 4);
    entry(262, 3, white_is_zero ? 0 : 1);
    entry(273, 4, strip);
    entry(277, 3, 1);
    entry(278, 4, height);
    entry(279, 4, (uint32_t)data.size());
    entry(282, 5, rationals);
    entry(283, 5, rationals + 8);
    entry(293, 4, 0);
    entry(296, 3, 2);
    t += le32(0);
    t += le32((uint32_t)dpi) + le32(1) + le32((uint32_t)dpi) + le32(1);
    t += data;
    return hand_over(t, bytes, length);
}

void sj_raster_free(sj_raster *raster) {
    free(raster->pixels);
    raster->pixels = NULL;
}

/* Copies an RGB24/ARGB32 surface into grey or RGB bytes (alpha composited on white). */
static int raster_from_surface(cairo_surface_t *surface, sj_raster *raster) {
    memset(raster, 0, sizeof *raster);
    if (!surface || cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) return -1;
    cairo_format_t format = cairo_image_surface_get_format(surface);
    if (format != CAIRO_FORMAT_RGB24 && format != CAIRO_FORMAT_ARGB32) return -1;
    cairo_surface_flush(surface);
    int w = cairo_image_surface_get_width(surface), h = cairo_image_surface_get_height(surface);
    int stride = cairo_image_surface_get_stride(surface);
    const unsigned char *data = cairo_image_surface_get_data(surface);
    if (w <= 0 || h <= 0 || !data) return -1;
    int alpha = format == CAIRO_FORMAT_ARGB32;
    int grey = 1, bilevel = 1;
    for (int y = 0; y < h && grey; y++) {
        const uint32_t *row = (const uint32_t *)(data + (size_t)y * stride);
        for (int x = 0; x < w; x++) {
            uint32_t p = row[x];
            unsigned r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
            if (r != g || g != b) { grey = 0; break; }
            if (alpha && ((p >> 24) & 255) != 255) bilevel = 0;
            if (r != 0 && r != 255) bilevel = 0;
        }
    }
    int channels = grey ? 1 : 3;
    uint8_t *out = static_cast<uint8_t *>(malloc((size_t)w * h * channels));
    if (!out) return -1;
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(data + (size_t)y * stride);
        uint8_t *o = out + (size_t)y * w * channels;
        for (int x = 0; x < w; x++) {
            uint32_t p = row[x];
            unsigned a = alpha ? (p >> 24) & 255 : 255;
            unsigned c[3] = {(p >> 16) & 255, (p >> 8) & 255, p & 255};
            for (int k = 0; k < channels; k++) {
                /* premultiplied: colour + white × (1 − alpha) */
                unsigned v = c[k] + (255 - a);
                o[x * channels + k] = (uint8_t)(v > 255 ? 255 : v);
            }
        }
    }
    raster->width = w;
    raster->height = h;
    raster->channels = channels;
    raster->bilevel = grey && bilevel;
    raster->pixels = out;
    return 0;
}

int sj_pdf_page_image(sj_pdf *pdf, int index, sj_raster *raster) {
    memset(raster, 0, sizeof *raster);
    sj_pdf_page info;
    if (sj_pdf_describe_page(pdf, index, &info) != 0 || !info.full_page_image) return -1;
    PopplerPage *page = poppler_document_get_page(pdf->document, index);
    if (!page) return -1;
    cairo_surface_t *surface = poppler_page_get_image(page, info.image_id);
    int result = raster_from_surface(surface, raster);
    if (surface) cairo_surface_destroy(surface);
    g_object_unref(page);
    return result;
}

int sj_pdf_page_render(sj_pdf *pdf, int index, double dpi, sj_raster *raster) {
    memset(raster, 0, sizeof *raster);
    PopplerPage *page = poppler_document_get_page(pdf->document, index);
    if (!page) return -1;
    double shown_w, shown_h;
    poppler_page_get_size(page, &shown_w, &shown_h);
    int rotation = page_rotation(pdf, index);
    int w = (int)ceil(shown_w * dpi / 72.0), h = (int)ceil(shown_h * dpi / 72.0);
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, dpi / 72.0, dpi / 72.0);
    switch (rotation) {
    case 90: cairo_translate(cr, shown_w, 0); cairo_rotate(cr, M_PI / 2); break;
    case 180: cairo_translate(cr, shown_w, shown_h); cairo_rotate(cr, M_PI); break;
    case 270: cairo_translate(cr, 0, shown_h); cairo_rotate(cr, 3 * M_PI / 2); break;
    default: break;
    }
    poppler_page_render_for_printing(page, cr);
    cairo_destroy(cr);
    int result = raster_from_surface(surface, raster);
    cairo_surface_destroy(surface);
    g_object_unref(page);
    return result;
}

static bool is_rtl(const std::string &utf8) {
    /* Arabic, Syriac, Thaana, NKo, Hebrew and Arabic presentation forms; Arabic-Indic digits are
     * numbers and do not make a run right-to-left. */
    const unsigned char *p = reinterpret_cast<const unsigned char *>(utf8.data());
    size_t n = utf8.size();
    for (size_t i = 0; i < n;) {
        unsigned c = p[i], cp = 0;
        int len = 1;
        if (c < 0x80) { cp = c; }
        else if ((c >> 5) == 6 && i + 1 < n) { cp = ((c & 31) << 6) | (p[i + 1] & 63); len = 2; }
        else if ((c >> 4) == 14 && i + 2 < n) { cp = ((c & 15) << 12) | ((p[i + 1] & 63) << 6) | (p[i + 2] & 63); len = 3; }
        bool letters = (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF);
        bool digits = (cp >= 0x0660 && cp <= 0x0669) || (cp >= 0x06F0 && cp <= 0x06F9);
        if (letters && !digits) return true;
        i += len;
    }
    return false;
}

/* Drops the bidi embeddings, overrides, isolates and marks that poppler puts around runs. */
static std::string strip_controls(const std::string &s) {
    std::string out;
    for (size_t i = 0; i < s.size();) {
        unsigned char c = s[i];
        if (c == 0xE2 && i + 2 < s.size()) {
            unsigned cp = ((c & 15) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 63) << 6)
                | (static_cast<unsigned char>(s[i + 2]) & 63);
            if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F) {
                i += 3;
                continue;
            }
        }
        out += static_cast<char>(c);
        i++;
    }
    return out;
}

namespace {
struct Glyph {
    std::string text;
    double x0, y0, x1, y1;
    bool space_after;
};
struct Word {
    std::string text;
    double x0, y0, x1, y1;
};
}

int sj_pdf_page_words(sj_pdf *pdf, int index, char **tsv) {
    *tsv = NULL;
    poppler::document *document = text_document(pdf);
    if (!document) return -1;
    std::unique_ptr<poppler::page> page(document->create_page(index));
    if (!page) return -1;
    /* Boxes come in the page as shown; lines are found in the page as written (a page turned by
     * /Rotate has its lines running down or up), then boxes go back to the page as shown. */
    int rotation = page_rotation(pdf, index);
    double shown_w = 0, shown_h = 0;
    if (PopplerPage *shown = poppler_document_get_page(pdf->document, index)) {
        poppler_page_get_size(shown, &shown_w, &shown_h);
        g_object_unref(shown);
    }
    auto unturn = [&](double x, double y, double &ux, double &uy) {
        switch (rotation) {
        case 90: ux = y; uy = shown_w - x; break;
        case 180: ux = shown_w - x; uy = shown_h - y; break;
        case 270: ux = shown_h - y; uy = x; break;
        default: ux = x; uy = y;
        }
    };
    auto turn = [&](double ux, double uy, double &x, double &y) {
        switch (rotation) {
        case 90: x = shown_w - uy; y = ux; break;
        case 180: x = shown_w - ux; y = shown_h - uy; break;
        case 270: x = uy; y = shown_h - ux; break;
        default: x = ux; y = uy;
        }
    };
    std::vector<Glyph> glyphs;
    for (const poppler::text_box &box : page->text_list()) {
        poppler::byte_array bytes = box.text().to_utf8();
        std::string text = strip_controls(std::string(bytes.begin(), bytes.end()));
        poppler::rectf r = box.bbox();
        if (text.empty()) continue;
        double ax, ay, bx, by;
        unturn(r.left(), r.top(), ax, ay);
        unturn(r.right(), r.bottom(), bx, by);
        glyphs.push_back({text, std::min(ax, bx), std::min(ay, by), std::max(ax, bx), std::max(ay, by), box.has_space_after()});
    }
    if (rotation != 0) {
        /* poppler's order follows the page as shown; lines of the page as written go top down. */
        std::stable_sort(glyphs.begin(), glyphs.end(),
                         [](const Glyph &a, const Glyph &b) { return a.y0 + a.y1 < b.y0 + b.y1; });
    }
    /* Lines: consecutive boxes whose vertical middles fall inside the line's first box. Words:
     * runs between spaces or gaps, laid out left to right, then read in the line's direction. */
    std::string out;
    int line_no = 0;
    size_t i = 0;
    while (i < glyphs.size()) {
        size_t j = i + 1;
        double top = glyphs[i].y0, bottom = glyphs[i].y1;
        while (j < glyphs.size()) {
            double mid = (glyphs[j].y0 + glyphs[j].y1) / 2;
            if (mid < top || mid > bottom) break;
            j++;
        }
        std::vector<Glyph> line(glyphs.begin() + i, glyphs.begin() + j);
        std::stable_sort(line.begin(), line.end(), [](const Glyph &a, const Glyph &b) { return a.x0 < b.x0; });
        std::vector<std::vector<Glyph>> runs;
        for (size_t k = 0; k < line.size(); k++) {
            /* poppler marks spaces inside Arabic words (after a letter that does not join
             * left, where advances and shaped glyphs disagree by a fraction of a point); a word
             * space is a gap of about a quarter of the font size. Gaps decide. */
            double height = line[k].y1 - line[k].y0;
            double gap = k > 0 ? line[k].x0 - line[k - 1].x1 : 0;
            bool space = k > 0 && (gap > 0.12 * height || (line[k - 1].space_after && gap > 0.08 * height));
            if (runs.empty() || space) runs.emplace_back();
            runs.back().push_back(line[k]);
        }
        std::vector<Word> words;
        int direction = 0;
        for (auto &run : runs) {
            Word w{"", run.front().x0, run.front().y0, run.back().x1, run.back().y1};
            std::string joined;
            for (auto &g : run) joined += g.text;
            bool rtl = is_rtl(joined);
            direction += rtl ? 1 : -1;
            if (rtl) std::reverse(run.begin(), run.end());
            for (auto &g : run) {
                w.text += g.text;
                w.y0 = std::min(w.y0, g.y0);
                w.y1 = std::max(w.y1, g.y1);
            }
            while (!w.text.empty() && w.text.back() == ' ') w.text.pop_back();
            while (!w.text.empty() && w.text.front() == ' ') w.text.erase(0, 1);
            if (!w.text.empty()) words.push_back(w);
        }
        if (direction > 0) std::reverse(words.begin(), words.end());
        for (auto &w : words) {
            double ax, ay, bx, by;
            turn(w.x0, w.y0, ax, ay);
            turn(w.x1, w.y1, bx, by);
            char head[160];
            snprintf(head, sizeof head, "%d\t%.2f\t%.2f\t%.2f\t%.2f\t", line_no, std::min(ax, bx), std::min(ay, by),
                     std::max(ax, bx), std::max(ay, by));
            out += head;
            for (char c : w.text) out += (c == '\t' || c == '\n' || c == '\r') ? ' ' : c;
            out += '\n';
        }
        if (!words.empty()) line_no++;
        i = j;
    }
    *tsv = strdup(out.c_str());
    return *tsv ? 0 : -1;
}

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

/* Entry names are converted between UTF-8 and "the current locale" by libarchive; in the C
   locale every non-ASCII name (Arabic file names in a zip, for one) fails to convert. This
   switches only the calling thread to C.UTF-8 while an archive is read; the result goes to
   sijill_archive_locale_pop afterwards. Returns 0 when C.UTF-8 is not available. */
typedef struct { locale_t utf8; locale_t previous; } sijill_locale_switch;

static inline sijill_locale_switch sijill_archive_locale_push(void) {
    sijill_locale_switch s = { newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0), (locale_t)0 };
    if (s.utf8 != (locale_t)0) s.previous = uselocale(s.utf8);
    return s;
}

static inline void sijill_archive_locale_pop(sijill_locale_switch s) {
    if (s.utf8 == (locale_t)0) return;
    uselocale(s.previous);
    freelocale(s.utf8);
}

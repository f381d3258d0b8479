#ifndef CSIJILL_ASSETS_H
#define CSIJILL_ASSETS_H

#include <stddef.h>

/// The bytes of a file compiled into the binary (web templates, stylesheet, OpenAPI file), or
/// NULL when there is none by that name. Names: "openapi.yaml", "sijill.css", "layout.mustache",
/// "login.mustache", "search.mustache", "record.mustache", "access.mustache", "citizen.mustache",
/// "error.mustache".
const unsigned char *sijill_asset(const char *name, size_t *size);

/* Sets the calling thread's nice value (Linux: per thread); 0 on success. */
int sijill_lower_thread_priority(int niceness);

#endif

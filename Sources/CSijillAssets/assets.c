#include "CSijillAssets.h"

#include <string.h>

/* SwiftPM does not track these files: touch this one after editing them. */
static const unsigned char openapi[] = {
#embed "../../API/openapi.yaml"
};
static const unsigned char css[] = {
#embed "web/sijill.css"
};
static const unsigned char layout[] = {
#embed "web/layout.mustache"
};
static const unsigned char login[] = {
#embed "web/login.mustache"
};
static const unsigned char search[] = {
#embed "web/search.mustache"
};
static const unsigned char record[] = {
#embed "web/record.mustache"
};
static const unsigned char access[] = {
#embed "web/access.mustache"
};
static const unsigned char citizen[] = {
#embed "web/citizen.mustache"
};
static const unsigned char copy_page[] = {
#embed "web/copy.mustache"
};
static const unsigned char boxes[] = {
#embed "web/boxes.mustache"
};
static const unsigned char box[] = {
#embed "web/box.mustache"
};
static const unsigned char error[] = {
#embed "web/error.mustache"
};

static const struct {
    const char *name;
    const unsigned char *data;
    size_t size;
} assets[] = {
    {"openapi.yaml", openapi, sizeof openapi},
    {"sijill.css", css, sizeof css},
    {"layout.mustache", layout, sizeof layout},
    {"login.mustache", login, sizeof login},
    {"search.mustache", search, sizeof search},
    {"record.mustache", record, sizeof record},
    {"access.mustache", access, sizeof access},
    {"citizen.mustache", citizen, sizeof citizen},
    {"error.mustache", error, sizeof error},
    {"copy.mustache", copy_page, sizeof copy_page},
    {"boxes.mustache", boxes, sizeof boxes},
    {"box.mustache", box, sizeof box},
};

const unsigned char *sijill_asset(const char *name, size_t *size) {
    for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++) {
        if (strcmp(assets[i].name, name) == 0) {
            *size = assets[i].size;
            return assets[i].data;
        }
    }
    *size = 0;
    return NULL;
}

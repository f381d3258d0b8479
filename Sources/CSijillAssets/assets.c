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
static const unsigned char verify_page[] = {
#embed "web/verify.mustache"
};
static const unsigned char copyform[] = {
#embed "web/copyform.mustache"
};
static const unsigned char copyrequest[] = {
#embed "web/copyrequest.mustache"
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

static const unsigned char rescan[] = {
#embed "web/rescan.mustache"
};
static const unsigned char staff[] = {
#embed "web/staff.mustache"
};
static const unsigned char naskh_regular[] = {
#embed "web/fonts/naskh-regular.woff2"
};
static const unsigned char naskh_bold[] = {
#embed "web/fonts/naskh-bold.woff2"
};

static const struct {
    const char *name;
    const unsigned char *data;
    size_t size;
} assets[] = {
    {"openapi.yaml", openapi, sizeof openapi},
    {"sijill.css", css, sizeof css},
    {"naskh-regular.woff2", naskh_regular, sizeof naskh_regular},
    {"naskh-bold.woff2", naskh_bold, sizeof naskh_bold},
    {"layout.mustache", layout, sizeof layout},
    {"login.mustache", login, sizeof login},
    {"search.mustache", search, sizeof search},
    {"record.mustache", record, sizeof record},
    {"access.mustache", access, sizeof access},
    {"citizen.mustache", citizen, sizeof citizen},
    {"error.mustache", error, sizeof error},
    {"verify.mustache", verify_page, sizeof verify_page},
    {"copyform.mustache", copyform, sizeof copyform},
    {"staff.mustache", staff, sizeof staff},
    {"rescan.mustache", rescan, sizeof rescan},
    {"copyrequest.mustache", copyrequest, sizeof copyrequest},
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

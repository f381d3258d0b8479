#include <sqlite3.h>

#include "CSijillRank.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    int phrases;
    double avgdl;
    double *idf;   /* phrases entries */
    double *freq;  /* scratch, phrases entries */
} RankData;

static void rank_data_free(void *p) {
    RankData *d = p;
    if (!d) return;
    free(d->idf);
    free(d->freq);
    free(d);
}

static const double k1 = 1.2, b = 0.75;

/* Per-query data (phrase count, average length, IDFs), computed once per statement. */
static RankData *rank_data(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_value *idfs, int *rc) {
    RankData *d = api->xGetAuxdata(fts, 0);
    if (d) return d;
    d = calloc(1, sizeof *d);
    if (!d) { *rc = SQLITE_NOMEM; return NULL; }
    d->phrases = api->xPhraseCount(fts);
    d->idf = calloc((size_t)d->phrases + 1, sizeof(double));
    d->freq = calloc((size_t)d->phrases + 1, sizeof(double));
    if (!d->idf || !d->freq) { rank_data_free(d); *rc = SQLITE_NOMEM; return NULL; }
    sqlite3_int64 rows = 0, tokens = 0;
    *rc = api->xRowCount(fts, &rows);
    if (*rc == SQLITE_OK) *rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (*rc != SQLITE_OK) { rank_data_free(d); return NULL; }
    d->avgdl = rows > 0 ? (double)tokens / (double)rows : 1.0;
    if (d->avgdl <= 0) d->avgdl = 1.0;
    const void *blob = sqlite3_value_blob(idfs);
    int bytes = sqlite3_value_bytes(idfs);
    int given = bytes / (int)sizeof(double);
    for (int i = 0; i < d->phrases; i++) {
        double v = 1e-6;
        if (i < given) memcpy(&v, (const char *)blob + (size_t)i * sizeof(double), sizeof(double));
        d->idf[i] = v > 0 ? v : 0;  /* the caller clamps real phrases; 0 = a phrase that only filters */
    }
    *rc = api->xSetAuxdata(fts, d, rank_data_free);
    if (*rc != SQLITE_OK) return NULL;  /* xSetAuxdata freed it */
    return d;
}

static void sijill_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nVal,
                        sqlite3_value **vals) {
    if (nVal < 1) {
        sqlite3_result_error(ctx, "sijill_bm25: expected column weights and an IDF blob", -1);
        return;
    }
    int rc = SQLITE_OK;
    RankData *d = rank_data(api, fts, vals[nVal - 1], &rc);
    if (!d) { sqlite3_result_error_code(ctx, rc); return; }
    int columns = api->xColumnCount(fts);
    memset(d->freq, 0, sizeof(double) * (size_t)d->phrases);
    int instances = 0;
    rc = api->xInstCount(fts, &instances);
    for (int i = 0; rc == SQLITE_OK && i < instances; i++) {
        int phrase = 0, column = 0, offset = 0;
        rc = api->xInst(fts, i, &phrase, &column, &offset);
        if (rc != SQLITE_OK || phrase < 0 || phrase >= d->phrases) break;
        double w = 1.0;
        if (column >= 0 && column < columns && column < nVal - 1) w = sqlite3_value_double(vals[column]);
        d->freq[phrase] += w;
    }
    int length = 0;
    if (rc == SQLITE_OK) rc = api->xColumnSize(fts, -1, &length);
    if (rc != SQLITE_OK) { sqlite3_result_error_code(ctx, rc); return; }
    double norm = k1 * (1 - b + b * (double)length / d->avgdl), score = 0;
    for (int i = 0; i < d->phrases; i++) {
        double f = d->freq[i];
        if (f > 0) score += d->idf[i] * (f * (k1 + 1)) / (f + norm);
    }
    sqlite3_result_double(ctx, -score);
}

int sijill_fts5_register(sqlite3 *db) {
    fts5_api *api = NULL;
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(stmt);
    rc = sqlite3_finalize(stmt);
    if (rc != SQLITE_OK) return rc;
    if (!api || api->iVersion < 2) return SQLITE_ERROR;
    return api->xCreateFunction(api, "sijill_bm25", NULL, sijill_bm25, NULL);
}

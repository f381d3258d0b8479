#ifndef CSIJILL_RANK_H
#define CSIJILL_RANK_H

/* Only the handle type: the implementation includes <sqlite3.h>. */
typedef struct sqlite3 sqlite3;

/// Registers the FTS5 auxiliary function `sijill_bm25` on `db` (SQLITE_OK on success).
///
///     sijill_bm25(fts_table, weight_col0, weight_col1, ..., idf_blob)
///
/// is FTS5's bm25 (k1 = 1.2, b = 0.75, the same per-column weights and document length) except
/// that the inverse document frequency of each query phrase is given by the caller, as a blob of
/// native-endian doubles, one per phrase in query order. FTS5's own bm25 counts every row that
/// contains each phrase (a full scan of its doclist) before scoring the first row, which makes a
/// query that pairs a rare name with a common word as slow as the common word alone. Returns the
/// score negated, like bm25, so `ORDER BY rank` puts the best first.
int sijill_fts5_register(sqlite3 *db);

#endif

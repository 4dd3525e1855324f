/*
 * engine.h - runs a pack over bound files and produces a result.
 *
 * The library core: no printing (warnings go through a callback), no exit.
 * Reader -> record -> per-object compiled rules (columns resolved to indexes
 * once per file) -> findings -> sort, thresholds, gating -> result.
 */
#ifndef CRMLINT_ENGINE_H
#define CRMLINT_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pack.h"
#include "result.h"

typedef struct file_binding {
    const char *path;   /* "-" for standard input */
    const char *object; /* NULL: bind by the objects' `files` globs */
} file_binding;

typedef void (*warn_fn)(void *ctx, const char *message);
typedef void (*progress_fn)(void *ctx, uint64_t bytes_done, uint64_t bytes_total, uint64_t records,
                            bool final);

typedef struct lint_options {
    const file_binding *files; /* command-line order */
    size_t nfiles;
    severity fail_on; /* SEV_ERROR by default; SEV_NEVER: nothing gates */
    bool has_as_of;
    int64_t as_of_us;   /* when has_as_of (already parsed) */
    const char *select; /* comma-separated ids or prefix* ; NULL = all */
    const char *ignore;
    bool redact;
    const char *baseline;          /* an earlier json report, or NULL */
    const char *pack_spec;         /* --pack as the user gave it, for reports; may be NULL */
    int jobs;                      /* threads parsing and checking; 0: one per core, 1: all on
                                      the calling thread */
    size_t chunk_bytes;            /* tests: chunk size with jobs > 1 (0: the default) */
    size_t chunk_max_record_bytes; /* tests: see splitter_set_sizes (0: the default) */
    bool has_max_findings;
    uint64_t max_findings;
    warn_fn warn; /* one line per warning (unmatched file, ...) */
    void *warn_ctx;
    progress_fn progress; /* NULL: none */
    void *progress_ctx;
} lint_options;

/* Binds a file's base name to an object by the `files` globs (after removing
 * a final ".gz"), case-insensitively.  -1 when none matches. */
int engine_bind_file(const pack *p, const char *path);

/* The always-on structural rules (csv/...): the i-th id and its description,
 * NULL past the last. */
const char *engine_structural_rule(size_t i, const char **description);

/* Runs the lint.  Returns NULL on an exit-2 condition (unreadable file,
 * unknown --object name, no file bound, out of memory) with one line in err
 * naming the file and what is wrong. */
result *engine_run(const pack *p, const lint_options *o, char *err, size_t errlen);

#endif

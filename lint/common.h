/*
 * common.h - small types shared by every module.
 *
 * A `slice` is a pointer and a length into memory someone else owns.  Values
 * in CSV exports may contain NUL bytes, so no crmlint code treats field data
 * as NUL-terminated strings.
 */
#ifndef CRMLINT_COMMON_H
#define CRMLINT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct slice {
    const char *p;
    size_t n;
} slice;

#define SLICE_LIT(s) ((slice){(s), sizeof(s) - 1})

static inline slice slice_of(const char *p, size_t n)
{
    return (slice){p, n};
}
bool slice_eq(slice a, slice b);
bool slice_eq_cstr(slice a, const char *s);

typedef enum severity {
    SEV_INFO = 0,
    SEV_WARNING = 1,
    SEV_ERROR = 2,
    SEV_NEVER = 3 /* only as a --fail-on level: nothing gates */
} severity;

const char *severity_name(severity s);
/* Parses "error", "warning", "info" (and "never" when allow_never). */
bool severity_parse(const char *s, bool allow_never, severity *out);

/* Source position in a rule pack, for PACK:LINE:COL messages (1-based). */
typedef struct srcpos {
    const char *file; /* owned by the pack */
    int line;
    int col;
} srcpos;

#define CRMLINT_VERSION "0.1.0"

#endif

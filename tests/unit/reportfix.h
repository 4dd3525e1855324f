/*
 * reportfix.h - shared scaffolding of the report tests: render a report
 * into a string through a real `out` (so atomic writing is exercised too),
 * check that a document is well-formed JSON, copy literals, and fill in
 * findings and rules of hand-built results.
 */
#ifndef CRMLINT_REPORTFIX_H
#define CRMLINT_REPORTFIX_H

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "out.h"
#include "result.h"
#include "xalloc.h"

#define FFFD "\xEF\xBF\xBD"

typedef void (*render_fn)(out *o, const void *ctx);

static inline char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = '\0';
    fclose(f);
    if (len) *len = (size_t)n;
    return b;
}

static inline char *render_with(render_fn fn, const void *ctx, size_t *len)
{
    char path[] = "/tmp/crmlint-formats-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char err[256] = "";
    out *o = out_open(path, err, sizeof err);
    ck_assert_msg(o != NULL, "%s", err);
    fn(o, ctx);
    ck_assert_msg(out_commit(o, err, sizeof err), "%s", err);
    char *b = slurp(path, len);
    unlink(path);
    return b;
}

typedef struct jp {
    const unsigned char *p, *end;
} jp;

static inline void ws(jp *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r'))
        j->p++;
}

static inline bool lit(jp *j, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0) return false;
    j->p += n;
    return true;
}

/* Strict UTF-8 at p (a byte >= 0x80): the sequence length, 0 if invalid. */
static inline size_t utf8_ok(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (k == 0 || c > 0xF4 || (size_t)(end - p) < k) return 0;
    for (size_t i = 1; i < k; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F)) return 0;
    if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F)) return 0;
    return k;
}

static inline bool jstring(jp *j)
{
    if (j->p >= j->end || *j->p++ != '"') return false;
    while (j->p < j->end) {
        unsigned c = *j->p;
        if (c == '"') {
            j->p++;
            return true;
        }
        if (c < 0x20) return false;
        if (c == '\\') {
            j->p++;
            if (j->p >= j->end) return false;
            c = *j->p++;
            if (c == 'u') {
                for (int i = 0; i < 4; i++)
                    if (j->p >= j->end || !strchr("0123456789abcdefABCDEF", *j->p++)) return false;
            } else if (c == 0 || !strchr("\"\\/bfnrt", (int)c)) {
                return false;
            }
        } else if (c >= 0x80) {
            size_t k = utf8_ok(j->p, j->end);
            if (k == 0) return false;
            j->p += k;
        } else {
            j->p++;
        }
    }
    return false;
}

static inline bool jvalue(jp *j, int depth);

static inline bool jnumber(jp *j)
{
    const unsigned char *s = j->p;
    if (j->p < j->end && *j->p == '-') j->p++;
    if (j->p >= j->end || *j->p < '0' || *j->p > '9') return false;
    if (*j->p == '0')
        j->p++;
    else
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
    if (j->p < j->end && *j->p == '.') {
        j->p++;
        if (j->p >= j->end || *j->p < '0' || *j->p > '9') return false;
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-')) j->p++;
        if (j->p >= j->end || *j->p < '0' || *j->p > '9') return false;
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
    }
    return j->p > s;
}

static inline bool jcontainer(jp *j, char close, int depth)
{
    j->p++;
    ws(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        return true;
    }
    for (;;) {
        if (close == '}') {
            ws(j);
            if (!jstring(j)) return false;
            ws(j);
            if (j->p >= j->end || *j->p++ != ':') return false;
        }
        if (!jvalue(j, depth + 1)) return false;
        ws(j);
        if (j->p >= j->end) return false;
        unsigned c = *j->p++;
        if (c == (unsigned)close) return true;
        if (c != ',') return false;
    }
}

static inline bool jvalue(jp *j, int depth)
{
    if (depth > 64) return false;
    ws(j);
    if (j->p >= j->end) return false;
    switch (*j->p) {
    case '{':
        return jcontainer(j, '}', depth);
    case '[':
        return jcontainer(j, ']', depth);
    case '"':
        return jstring(j);
    case 't':
        return lit(j, "true");
    case 'f':
        return lit(j, "false");
    case 'n':
        return lit(j, "null");
    default:
        return jnumber(j);
    }
}

static inline bool json_well_formed(const char *s, size_t n)
{
    jp j = {(const unsigned char *)s, (const unsigned char *)s + n};
    if (!jvalue(&j, 0)) return false;
    ws(&j);
    return j.p == j.end;
}

/* ---- a tiny XML well-formedness checker ---- */

static inline char *dupn(const char *s, size_t n)
{
    char *p = xstrndup(s, n);
    ck_assert_ptr_nonnull(p);
    return p;
}

#define DUP(lit) dupn(lit, sizeof(lit) - 1)

static inline void set_finding(finding *f, uint32_t rule, uint32_t file, uint64_t line,
                               const char *column, char *record, char *value, size_t value_len,
                               char *message, bool gating)
{
    memset(f, 0, sizeof *f);
    f->rule = rule;
    f->file = file;
    f->line = line;
    f->column_pos = column ? 0 : -1;
    f->column = column;
    f->record = record;
    f->value = value;
    f->value_len = value_len;
    f->message = message;
    f->gating = gating;
}

static inline void set_rule(result_rule *r, const char *id, const char *type, severity sev,
                            const char *object, uint64_t checked, uint64_t findings, bool gating)
{
    memset(r, 0, sizeof *r);
    r->id = id;
    r->type = type;
    r->sev = sev;
    r->object = object;
    r->checked = checked;
    r->findings = findings;
    r->gating = gating;
    r->threshold_exceeded = true;
}

#endif

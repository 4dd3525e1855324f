/*
 * gen.h - what the benchmark's export generators share (gen_leads,
 * gen_accounts, gen_history).
 *
 * The generators write hundreds of megabytes of Salesforce-shaped CSV in
 * seconds, byte for byte the same on every machine, so that ci/bench.sh can
 * reuse a file it generated before and every run measures the same input.
 * Hence: an own PRNG (splitmix64), no floating point, and output through one
 * large buffer flushed every few megabytes.  Everything here is `static
 * inline` so that a generator that does not use a helper does not trip
 * -Wunused-function; the tools use nothing but libc.
 *
 * Salesforce conventions kept here once: 18-character ids with the
 * case-checksum suffix, and the Data Export's "YYYY-MM-DD HH:MM:SS" date-times
 * (UTC, no marker; date fields carry " 00:00:00").
 */
#ifndef CRMLINT_TOOLS_GEN_H
#define CRMLINT_TOOLS_GEN_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEN_OUT_CAP (4u << 20) /* flush threshold of the output buffer */
#define GEN_ROW_MAX 4096u      /* no record comes near this; callers flush per record */

#define GEN_DAY 86400LL
/* 2026-11-22 00:00:00 UTC, the bench packs' as_of, in seconds since the epoch. */
#define GEN_AS_OF 1795305600LL

/* Id prefixes and the "pod" characters after them; gen_leads must name the
 * accounts gen_accounts writes, so both build ids from these. */
#define GEN_POD "5g0000"

typedef struct gen {
    uint64_t rng;
    FILE *fp;
    const char *path;
    char *buf;
    size_t len;
    int failed; /* errno of the first failed write */
} gen;

/* splitmix64: tiny, fast and identical everywhere. */
static inline uint64_t gen_mix(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline uint64_t next_u64(gen *g)
{
    return gen_mix(&g->rng);
}

/* A number in [0, n); the modulo bias is irrelevant here. */
static inline uint64_t below(gen *g, uint64_t n)
{
    return next_u64(g) % n;
}

static inline int chance(gen *g, unsigned per_mille)
{
    return below(g, 1000) < per_mille;
}

#define PICK(g, arr) ((arr)[below((g), sizeof(arr) / sizeof((arr)[0]))])
#define COUNT(arr)   (sizeof(arr) / sizeof((arr)[0]))

/* Opens `path` ("-" is standard output) and the buffer; 0 on success, else
 * a message on stderr and 1. */
static inline int gen_open(gen *g, const char *tool, const char *path, uint64_t seed)
{
    memset(g, 0, sizeof *g);
    g->rng = seed;
    g->path = path;
    g->buf = malloc(GEN_OUT_CAP + GEN_ROW_MAX);
    if (!g->buf) {
        fprintf(stderr, "%s: out of memory\n", tool);
        return 1;
    }
    g->fp = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    if (!g->fp) {
        fprintf(stderr, "%s: %s: %s\n", tool, path, strerror(errno));
        free(g->buf);
        g->buf = NULL;
        return 1;
    }
    return 0;
}

static inline void gen_flush(gen *g)
{
    if (g->len && !g->failed && fwrite(g->buf, 1, g->len, g->fp) != g->len)
        g->failed = errno ? errno : EIO;
    g->len = 0;
}

/* Call after each record: records are far shorter than GEN_ROW_MAX. */
static inline void gen_maybe_flush(gen *g)
{
    if (g->len >= GEN_OUT_CAP) gen_flush(g);
}

/* Flushes, closes and frees; returns 0, or 1 with a message on stderr. */
static inline int gen_close(gen *g, const char *tool)
{
    int rc = 0;
    if (!g->buf) return 1;
    gen_flush(g);
    if (!g->failed && fflush(g->fp) != 0) g->failed = errno ? errno : EIO;
    if (g->fp != stdout && fclose(g->fp) != 0 && !g->failed) g->failed = errno ? errno : EIO;
    if (g->failed) {
        fprintf(stderr, "%s: %s: %s\n", tool, g->path, strerror(g->failed));
        rc = 1;
    }
    free(g->buf);
    g->buf = NULL;
    return rc;
}

static inline void put(gen *g, const char *s, size_t n)
{
    memcpy(g->buf + g->len, s, n);
    g->len += n;
}

static inline void puts_(gen *g, const char *s)
{
    put(g, s, strlen(s));
}

static inline void putc_(gen *g, char c)
{
    g->buf[g->len++] = c;
}

static inline void put_uint(gen *g, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) putc_(g, tmp[--n]);
}

/* v zero-padded to `width` digits (v must fit). */
static inline void put_uint_w(gen *g, uint64_t v, unsigned width)
{
    char tmp[24];
    for (unsigned i = width; i > 0; i--) {
        tmp[i - 1] = (char)('0' + v % 10);
        v /= 10;
    }
    put(g, tmp, width);
}

static inline void put2(gen *g, unsigned v)
{
    putc_(g, (char)('0' + v / 10));
    putc_(g, (char)('0' + v % 10));
}

/* Civil date from days since 1970-01-01 (Howard Hinnant's algorithm). */
static inline void civil(int64_t days, int *y, unsigned *m, unsigned *d)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned doe = (unsigned)(days - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* "YYYY-MM-DD HH:MM:SS"; date_only writes the time as 00:00:00, the way the
 * Data Export writes date fields. */
static inline void put_datetime(gen *g, int64_t t, int date_only)
{
    int64_t days = t >= 0 ? t / GEN_DAY : (t - GEN_DAY + 1) / GEN_DAY;
    int64_t secs = t - days * GEN_DAY;
    int y;
    unsigned m, d;
    civil(days, &y, &m, &d);
    put_uint(g, (uint64_t)y);
    putc_(g, '-');
    put2(g, m);
    putc_(g, '-');
    put2(g, d);
    putc_(g, ' ');
    if (date_only) secs = 0;
    put2(g, (unsigned)(secs / 3600));
    putc_(g, ':');
    put2(g, (unsigned)(secs / 60 % 60));
    putc_(g, ':');
    put2(g, (unsigned)(secs % 60));
}

/* Appends the 3-character case-checksum of id[0..15). */
static inline void sfid_suffix(const char *id, char out[3])
{
    static const char CHECKSUM[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    for (int b = 0; b < 3; b++) {
        unsigned v = 0;
        for (int i = 0; i < 5; i++) {
            char c = id[b * 5 + i];
            if (c >= 'A' && c <= 'Z') v |= 1u << i;
        }
        out[b] = CHECKSUM[v];
    }
}

/* An 18-character id: prefix (3 chars) + pod (6 chars) + n in 6 base-62
 * digits + checksum.  bad: a checksum that does not match. */
static inline void make_id(char out[19], const char *prefix, const char *pod, uint64_t n, int bad)
{
    static const char BASE62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    memcpy(out, prefix, 3);
    memcpy(out + 3, pod, 6);
    for (int i = 14; i >= 9; i--) {
        out[i] = BASE62[n % 62];
        n /= 62;
    }
    sfid_suffix(out, out + 15);
    if (bad) out[17] = out[17] == 'A' ? 'B' : 'A';
    out[18] = '\0';
}

/* Writes s as a quoted CSV field, doubling quotes. */
static inline void field(gen *g, const char *s)
{
    putc_(g, '"');
    for (; *s; s++) {
        if (*s == '"') putc_(g, '"');
        putc_(g, *s);
    }
    putc_(g, '"');
}

static inline void open_field(gen *g)
{
    putc_(g, '"');
}

static inline void close_field(gen *g, int last)
{
    putc_(g, '"');
    putc_(g, last ? '\n' : ',');
}

static inline void lower_into(char *dst, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        dst[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
    dst[i] = '\0';
}

static inline int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (!*s || *s == '-') return 0;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return 0;
    *out = v;
    return 1;
}

#endif

/*
 * text.c - UTF-8 helpers for values: trimming, validation, case folding.
 *
 * Nearly every CRM value is ASCII, so every function here first runs a tight
 * ASCII loop and only decodes UTF-8 when it meets a byte >= 0x80.  Values may
 * hold invalid UTF-8 (a record flagged csv/invalid-encoding) and NUL bytes;
 * nothing here assumes well-formed or NUL-terminated input.
 *
 * Case folding uses utf8proc one code point at a time (rather than
 * utf8proc_map on the whole value) so that invalid bytes can be carried
 * through instead of making the whole value fail, and so that equality can
 * be decided without allocating.
 */
#include "text.h"

#include <string.h>

#include <utf8proc.h>

/* ---- trimming ---------------------------------------------------------- */

static inline bool ascii_space(unsigned char c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0D);
}

/* Length of the White_Space character starting at p (0 when there is none).
 * Only the byte patterns of the listed code points are recognised, so this
 * never needs to decode. */
static size_t space_at(const unsigned char *p, size_t n)
{
    if (ascii_space(p[0])) return 1;
    if (n >= 2 && p[0] == 0xC2 && (p[1] == 0x85 || p[1] == 0xA0)) return 2;
    if (n < 3) return 0;
    if (p[0] == 0xE1 && p[1] == 0x9A && p[2] == 0x80) return 3; /* U+1680 */
    if (p[0] == 0xE2 && p[1] == 0x80) {
        unsigned char c = p[2];
        if ((c >= 0x80 && c <= 0x8A) || c == 0xA8 || c == 0xA9 || c == 0xAF) return 3;
        return 0;
    }
    if (p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F) return 3; /* U+205F */
    if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) return 3; /* U+3000 */
    return 0;
}

/* Length of the White_Space character ending at p[n-1] (0 when none).  The
 * lead bytes C2/E1/E2/E3 are never continuation bytes, so matching the
 * pattern backwards finds exactly what a forward decode would. */
static size_t space_before(const unsigned char *p, size_t n)
{
    unsigned char c = p[n - 1];
    if (ascii_space(c)) return 1;
    if (c < 0x80 || c > 0xBF) return 0;
    if (n >= 2 && p[n - 2] == 0xC2 && (c == 0x85 || c == 0xA0)) return 2;
    if (n >= 3 && space_at(p + n - 3, 3) == 3) return 3;
    return 0;
}

slice text_trim(slice s)
{
    const unsigned char *p = (const unsigned char *)s.p;
    size_t n = s.n, k;
    /* Most values start and end with a visible ASCII character. */
    if (n > 0 && p[0] > 0x20 && p[0] < 0x7F && p[n - 1] > 0x20 && p[n - 1] < 0x7F) return s;
    while (n > 0 && (k = space_at(p, n)) > 0) {
        p += k;
        n -= k;
    }
    while (n > 0 && (k = space_before(p, n)) > 0) n -= k;
    return slice_of((const char *)p, n);
}

/* ---- decoding ---------------------------------------------------------- */

size_t text_utf8_seq(const char *s, size_t n)
{
    uint32_t cp;
    size_t k = text_utf8_next(s, n, &cp);
    /* One byte decoding to U+FFFD is an invalid byte (a real U+FFFD takes 3). */
    return k == 1 && cp == 0xFFFD ? 0 : k;
}

size_t text_utf8_next(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1Fu, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0Fu, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07u, min = 0x10000;
    } else {
        goto invalid;
    }
    if (n < len) goto invalid;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) goto invalid;
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) goto invalid;
    *cp = v;
    return len;
invalid:
    *cp = 0xFFFD;
    return 1;
}

void text_utf8_put(buf *b, uint32_t cp)
{
    char t[4];
    size_t n;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        t[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        t[0] = (char)(0xE0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        t[0] = (char)(0xF0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buf_add(b, t, n);
}

/* Length of the all-ASCII prefix of s, eight bytes at a time. */
static size_t ascii_prefix(const char *s, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ull) break;
    }
    while (i < n && (unsigned char)s[i] < 0x80) i++;
    return i;
}

bool text_utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        i += ascii_prefix(s + i, n - i);
        if (i >= n) break;
        uint32_t cp;
        size_t k = text_utf8_next(s + i, n - i, &cp);
        /* A genuine U+FFFD is three bytes; a one-byte result is an error. */
        if (k == 1) return false;
        i += k;
    }
    return true;
}

int text_shown_len(slice s, size_t max)
{
    size_t n = s.n;
    const char *nul = n ? memchr(s.p, '\0', n) : NULL;
    if (nul) n = (size_t)(nul - s.p);
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s.p[n] & 0xC0) == 0x80) n--;
    }
    return (int)n;
}

size_t text_codepoints(slice s)
{
    size_t i = 0, count = 0;
    while (i < s.n) {
        size_t a = ascii_prefix(s.p + i, s.n - i);
        i += a;
        count += a;
        if (i >= s.n) break;
        uint32_t cp;
        i += text_utf8_next(s.p + i, s.n - i, &cp);
        count++;
    }
    return count;
}

/* ---- case folding ------------------------------------------------------ */

/* Full folding expands one code point to at most three; leave headroom. */
#define FOLD_MAX 8

/* Folds code point cp into out[], returning how many code points. */
static size_t fold_cp(uint32_t cp, int32_t out[FOLD_MAX])
{
    if (cp < 0x80) {
        out[0] = (cp >= 'A' && cp <= 'Z') ? (int32_t)(cp + 32) : (int32_t)cp;
        return 1;
    }
    int boundclass = 0;
    utf8proc_ssize_t k = utf8proc_decompose_char((utf8proc_int32_t)cp, out, FOLD_MAX,
                                                 UTF8PROC_CASEFOLD, &boundclass);
    if (k < 1 || k > FOLD_MAX) {
        /* Unassigned or impossible: the code point folds to itself. */
        out[0] = (int32_t)cp;
        return 1;
    }
    return (size_t)k;
}

void text_casefold(buf *out, slice s)
{
    size_t i = 0;
    while (i < s.n) {
        /* Lower-case a whole ASCII run straight into the buffer. */
        size_t run = ascii_prefix(s.p + i, s.n - i);
        if (run > 0) {
            if (!buf_reserve(out, run)) return;
            char *d = out->p + out->len;
            for (size_t k = 0; k < run; k++) {
                char c = s.p[i + k];
                d[k] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
            }
            out->len += run;
            out->p[out->len] = '\0';
            i += run;
            continue;
        }
        uint32_t cp;
        i += text_utf8_next(s.p + i, s.n - i, &cp);
        int32_t f[FOLD_MAX];
        size_t k = fold_cp(cp, f);
        for (size_t j = 0; j < k; j++) text_utf8_put(out, (uint32_t)f[j]);
    }
}

/* A stream of folded code points read lazily from a slice.  Invalid bytes
 * become 0x110000 + byte, outside Unicode, so two different invalid bytes
 * do not compare equal the way two U+FFFD would. */
typedef struct fold_stream {
    const char *p;
    size_t n, i;
    int32_t q[FOLD_MAX];
    size_t qn, qi;
} fold_stream;

/* Next folded code point, or -1 at the end. */
static int32_t fold_stream_next(fold_stream *fs)
{
    if (fs->qi < fs->qn) return fs->q[fs->qi++];
    if (fs->i >= fs->n) return -1;
    unsigned char c = (unsigned char)fs->p[fs->i];
    if (c < 0x80) {
        fs->i++;
        return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    }
    uint32_t cp;
    size_t k = text_utf8_next(fs->p + fs->i, fs->n - fs->i, &cp);
    if (k == 1) {
        fs->i++;
        return 0x110000 + c;
    }
    fs->i += k;
    fs->qn = fold_cp(cp, fs->q);
    fs->qi = 1;
    return fs->q[0];
}

bool text_eq_fold(slice a, slice b)
{
    /* ASCII prefix: while both sides are ASCII, folded outputs advance in
     * step, so the first differing pair decides. */
    size_t i = 0, m = a.n < b.n ? a.n : b.n;
    for (; i < m; i++) {
        unsigned char x = (unsigned char)a.p[i], y = (unsigned char)b.p[i];
        if ((x | y) >= 0x80) break;
        if (x != y) {
            if (x >= 'A' && x <= 'Z') x += 32;
            if (y >= 'A' && y <= 'Z') y += 32;
            if (x != y) return false;
        }
    }
    if (i == a.n && i == b.n) return true;
    fold_stream sa = {a.p, a.n, i, {0}, 0, 0};
    fold_stream sb = {b.p, b.n, i, {0}, 0, 0};
    for (;;) {
        int32_t x = fold_stream_next(&sa), y = fold_stream_next(&sb);
        if (x != y) return false;
        if (x < 0) return true;
    }
}

/*
 * similarity.c - Jaro-Winkler on Unicode code points (see similarity.h).
 *
 * `similar` compares each record with every earlier record of its block, so
 * this runs O(n^2) times per block and must not allocate: CRM names and
 * e-mail addresses are short, and both strings are decoded into stack arrays
 * when they fit in JW_STACK_CPS code points.  Only longer values (notes
 * pasted into a name column) pay for one heap block, sized exactly, so any
 * length is compared correctly rather than truncated.
 */
#include "similarity.h"

#include <stdint.h>
#include <string.h>

#include "text.h"
#include "xalloc.h"

/* Decodes s into cp[] and returns the number of code points.  An invalid
 * byte becomes 0x110000 + byte, outside Unicode, so that it equals only the
 * same invalid byte (two U+FFFD from different bytes would falsely match). */
static size_t decode(slice s, uint32_t *cp)
{
    size_t i = 0, k = 0;
    while (i < s.n) {
        unsigned char c = (unsigned char)s.p[i];
        if (c < 0x80) {
            cp[k++] = c;
            i++;
            continue;
        }
        uint32_t v;
        size_t len = text_utf8_next(s.p + i, s.n - i, &v);
        cp[k++] = len == 1 ? 0x110000u + c : v;
        i += len;
    }
    return k;
}

/* Jaro-Winkler of two non-empty decoded strings.  am[] and bm[] are the
 * zeroed "already matched" flags, one per code point. */
static double jw_core(const uint32_t *a, size_t la, unsigned char *am, const uint32_t *b, size_t lb,
                      unsigned char *bm)
{
    size_t longest = la > lb ? la : lb;
    size_t win = longest / 2 >= 1 ? longest / 2 - 1 : 0;

    size_t m = 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > win ? i - win : 0;
        size_t hi = i + win + 1 < lb ? i + win + 1 : lb;
        for (size_t j = lo; j < hi; j++) {
            if (bm[j] || a[i] != b[j]) continue;
            am[i] = bm[j] = 1;
            m++;
            break;
        }
    }
    if (m == 0) return 0.0;

    /* Matched code points of a and of b, each in its own order: every pair
     * that differs is half a transposition. */
    size_t half = 0, j = 0;
    for (size_t i = 0; i < la; i++) {
        if (!am[i]) continue;
        while (!bm[j]) j++;
        if (a[i] != b[j]) half++;
        j++;
    }
    double dm = (double)m;
    double jaro = (dm / (double)la + dm / (double)lb + (dm - (double)(half / 2)) / dm) / 3.0;

    size_t l = 0;
    while (l < 4 && l < la && l < lb && a[l] == b[l]) l++;
    return jaro + (double)l * 0.1 * (1.0 - jaro);
}

double jaro_winkler(slice a, slice b)
{
    if (a.n == 0 || b.n == 0) return a.n == b.n ? 1.0 : 0.0;
    if (a.n == b.n && memcmp(a.p, b.p, a.n) == 0) return 1.0;

    uint32_t sa[JW_STACK_CPS], sb[JW_STACK_CPS];
    unsigned char fa[JW_STACK_CPS], fb[JW_STACK_CPS];
    /* A string has no more code points than bytes, so the byte lengths
     * decide the common case without counting. */
    size_t la = a.n <= JW_STACK_CPS ? a.n : text_codepoints(a);
    size_t lb = b.n <= JW_STACK_CPS ? b.n : text_codepoints(b);
    if (la <= JW_STACK_CPS && lb <= JW_STACK_CPS) {
        la = decode(a, sa);
        lb = decode(b, sb);
        memset(fa, 0, la);
        memset(fb, 0, lb);
        return jw_core(sa, la, fa, sb, lb, fb);
    }

    if (la + lb > SIZE_MAX / (sizeof(uint32_t) + 1)) return -1.0;
    uint32_t *ca = xmalloc((la + lb) * (sizeof(uint32_t) + 1));
    if (ca == NULL) return -1.0;
    uint32_t *cb = ca + la;
    unsigned char *flags = (unsigned char *)(cb + lb);
    decode(a, ca);
    decode(b, cb);
    memset(flags, 0, la + lb);
    double r = jw_core(ca, la, flags, cb, lb, flags + la);
    xfree(ca);
    return r;
}

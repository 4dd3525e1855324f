/*
 * csvscan.c - record boundaries by quote state (see csvscan.h).
 *
 * Two ways through the text, with the same result:
 *
 *   blocks  64 bytes at a time (SSE2): bit masks of quotes, line feeds and
 *           field ends, and a prefix XOR of the quote mask that says, for
 *           every byte, whether an odd number of quotes precede it.  That
 *           parity is libcsv's quote state exactly when every quote that
 *           opens is at a field start (or doubles a closing quote) and every
 *           quote that closes is followed by a field end (or doubles); the
 *           block is taken this way only after checking that, so exports
 *           that quote properly go at memory speed;
 *   bytes   a four-state machine, for blocks that fail the check (a stray
 *           quote in an unquoted field, a quote followed by text inside a
 *           quoted one), for the last bytes of a text, and where SSE2 is not
 *           available.  Inside an unquoted field it jumps with memchr; inside
 *           a quoted one it looks for the next quote eight bytes at a time.
 */
#include "csvscan.h"

#include <stdint.h>
#include <string.h>

#include "swar.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#define CSVSCAN_BLOCKS 1
#endif

enum {
    FIELD_START, /* outside quotes, at the first byte of a field */
    UNQUOTED,    /* outside quotes, inside an unquoted field */
    QUOTED,      /* inside a quoted field */
    QUOTE_SEEN   /* inside a quoted field, just after a quote */
};

void csvscan_init(csvscan *s, char delimiter)
{
    s->state = FIELD_START;
    s->delim = (unsigned char)delimiter;
}

void csvscan_restart(csvscan *s)
{
    s->state = FIELD_START;
}

bool csvscan_usable(char delimiter)
{
    return delimiter != '"' && delimiter != '\r' && delimiter != '\n';
}

static bool ends_field(const csvscan *s, unsigned char c)
{
    return c == s->delim || c == '\r' || c == '\n';
}

/* The first quote in [p, end), or end: eight bytes at a time, since in an
 * export that quotes every field the next quote is usually a few bytes
 * away, too close for a memchr call to pay off. */
static const char *find_quote(const char *p, const char *end)
{
    for (; end - p >= 8; p += 8) {
        uint64_t hit = swar_match(swar_load(p), '"');
        if (hit) return p + __builtin_ctzll(hit) / 8; /* little-endian: lowest byte first */
    }
    while (p < end && *p != '"') p++;
    return p;
}

/* Boundaries seen so far: offsets just past their LFs. */
typedef struct found {
    size_t first, last, count;
} found;

static void add_boundary(found *f, size_t at)
{
    if (f->count++ == 0) f->first = at;
    f->last = at;
}

/* The byte-at-a-time machine over text[from..to). */
static void scan_bytes(csvscan *s, const char *text, size_t from, size_t to, found *f)
{
    const char *p = text + from, *end = text + to;
    int state = s->state;
    while (p < end) {
        switch (state) {
        case QUOTED:
            p = find_quote(p, end);
            if (p == end) break;
            p++;
            state = QUOTE_SEEN;
            break;
        case QUOTE_SEEN: {
            unsigned char c = (unsigned char)*p++;
            /* A doubled quote, or a quote kept as text: still quoted. */
            state = c != '"' && ends_field(s, c) ? FIELD_START : QUOTED;
            if (c == '\n') add_boundary(f, (size_t)(p - text));
            break;
        }
        case FIELD_START: {
            unsigned char c = (unsigned char)*p++;
            if (c == '"')
                state = QUOTED;
            else if (!ends_field(s, c))
                state = UNQUOTED;
            if (c == '\n') add_boundary(f, (size_t)(p - text));
            break;
        }
        default: { /* UNQUOTED: on to the next quote; the LFs before it end records */
            const char *q = memchr(p, '"', (size_t)(end - p));
            const char *stop = q ? q : end;
            for (const char *lf = p; (lf = memchr(lf, '\n', (size_t)(stop - lf))) != NULL; lf++)
                add_boundary(f, (size_t)(lf + 1 - text));
            bool at_start = stop > p && ends_field(s, (unsigned char)stop[-1]);
            p = stop;
            if (q == NULL) {
                state = at_start ? FIELD_START : UNQUOTED;
                break;
            }
            p++;
            state = at_start ? QUOTED : UNQUOTED;
            break;
        }
        }
    }
    s->state = state;
}

#ifdef CSVSCAN_BLOCKS
static uint64_t byte_mask(__m128i a, __m128i b, __m128i c, __m128i d, unsigned char v)
{
    __m128i x = _mm_set1_epi8((char)v);
    return (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, x)) |
           (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, x)) << 16 |
           (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(c, x)) << 32 |
           (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(d, x)) << 48;
}

static uint64_t prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/* The 64 bytes at p by parity, when that is exact (see the top); false,
 * with nothing changed, when the block needs the byte machine. */
static bool scan_block(csvscan *s, const char *p, size_t base, found *f)
{
    __m128i a = _mm_loadu_si128((const __m128i *)p), b = _mm_loadu_si128((const __m128i *)(p + 16)),
            c = _mm_loadu_si128((const __m128i *)(p + 32)),
            d = _mm_loadu_si128((const __m128i *)(p + 48));
    uint64_t quote = byte_mask(a, b, c, d, '"'), lf = byte_mask(a, b, c, d, '\n');
    int st = s->state;
    if (quote == 0 && st != QUOTED && st != QUOTE_SEEN && lf == 0) {
        /* Nothing but unquoted text (the common case outside Salesforce):
         * only where the block ends matters. */
        unsigned char last = (unsigned char)p[63];
        s->state = ends_field(s, last) ? FIELD_START : UNQUOTED;
        return true;
    }
    uint64_t ends = lf | byte_mask(a, b, c, d, '\r') | byte_mask(a, b, c, d, s->delim);
    /* inside: bit i set when byte i leaves the parser inside quotes. */
    uint64_t inside = prefix_xor(quote) ^ (st == QUOTED ? ~0ull : 0);
    uint64_t opening = quote & inside, closing = quote & ~inside;
    uint64_t after_end = ends << 1 | (st == FIELD_START),
             after_close = closing << 1 | (st == QUOTE_SEEN);
    if (opening & ~(after_end | after_close)) return false;               /* a stray quote */
    if (closing & ~((ends | opening) >> 1) & ~(1ull << 63)) return false; /* a quote kept as text */
    if (st == QUOTE_SEEN && !((quote | ends) & 1)) return false;
    for (uint64_t bnd = lf & ~inside; bnd; bnd &= bnd - 1)
        add_boundary(f, base + (size_t)__builtin_ctzll(bnd) + 1);
    if (inside >> 63)
        s->state = QUOTED;
    else if (closing >> 63)
        s->state = QUOTE_SEEN;
    else
        s->state = ends >> 63 ? FIELD_START : UNQUOTED;
    return true;
}
#endif

size_t csvscan_feed(csvscan *s, const char *text, size_t n, size_t *first, size_t *last)
{
    found f = {0, 0, 0};
    size_t pos = 0;
#ifdef CSVSCAN_BLOCKS
    for (; n - pos >= 64; pos += 64)
        if (!scan_block(s, text + pos, pos, &f)) scan_bytes(s, text, pos, pos + 64, &f);
#endif
    scan_bytes(s, text, pos, n, &f);
    *first = f.first;
    *last = f.last;
    return f.count;
}

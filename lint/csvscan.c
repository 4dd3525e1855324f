/*
 * csvscan.c - record boundaries by quote state (see csvscan.h).
 *
 * Four states.  Inside an unquoted field the scanner jumps to the next
 * quote or LF (an LF there is a boundary), and a quote opens a field only
 * when the byte before it ends a field.  Inside a quoted field it jumps to the next quote and looks
 * at the byte after it.  Field starts are taken a byte at a time.
 */
#include "csvscan.h"

#include <stdint.h>
#include <string.h>

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
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    const uint64_t quotes = ones * (unsigned char)'"';
    for (; end - p >= 8; p += 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        uint64_t x = w ^ quotes; /* zero bytes where the quotes are */
        uint64_t hit = (x - ones) & ~x & highs;
        if (hit) return p + __builtin_ctzll(hit) / 8; /* little-endian: lowest byte first */
    }
    while (p < end && *p != '"') p++;
    return p;
}

bool csvscan_find(csvscan *s, const char *text, size_t n, size_t *used)
{
    const char *p = text, *end = text + n;
    int state = s->state;
    bool found = false;
    while (p < end && !found) {
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
            found = c == '\n';
            break;
        }
        case FIELD_START: {
            unsigned char c = (unsigned char)*p++;
            if (c == '"')
                state = QUOTED;
            else if (!ends_field(s, c))
                state = UNQUOTED;
            found = c == '\n';
            break;
        }
        default: { /* UNQUOTED: on to the next quote, unless an LF comes first */
            const char *q = memchr(p, '"', (size_t)(end - p));
            const char *stop = q ? q : end;
            const char *lf = memchr(p, '\n', (size_t)(stop - p));
            if (lf) {
                p = lf + 1;
                state = FIELD_START;
                found = true;
                break;
            }
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
    *used = (size_t)(p - text);
    return found;
}

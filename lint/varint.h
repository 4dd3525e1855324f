/*
 * varint.h - unsigned LEB128 integers (7 bits a byte, high bit = more), for
 * the compact records that indexes keep per key (lengths, line numbers).
 * Small values take one byte, which is most of them.
 */
#ifndef CRMLINT_VARINT_H
#define CRMLINT_VARINT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

static inline size_t varint_size(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) v >>= 7, n++;
    return n;
}

/* Writes v at p (varint_size(v) bytes) and returns the byte after it. */
static inline char *varint_put(char *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (char)((v & 0x7F) | 0x80);
        v >>= 7;
    }
    *p++ = (char)v;
    return p;
}

static inline void varint_add(buf *b, uint64_t v)
{
    char tmp[10];
    buf_add(b, tmp, (size_t)(varint_put(tmp, v) - tmp));
}

/* Reads a varint at p into *v and returns the byte after it. */
static inline const char *varint_get(const char *p, uint64_t *v)
{
    uint64_t r = 0;
    unsigned shift = 0;
    unsigned char c;
    do {
        c = (unsigned char)*p++;
        r |= (uint64_t)(c & 0x7F) << shift;
        shift += 7;
    } while (c & 0x80);
    *v = r;
    return p;
}

#endif

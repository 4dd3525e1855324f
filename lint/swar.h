/*
 * swar.h - a byte search eight bytes at a time in a 64-bit word (SIMD within
 * a register), where short distances make a memchr call cost more than it
 * saves.  Header-only, like varint.h.
 */
#ifndef CRMLINT_SWAR_H
#define CRMLINT_SWAR_H

#include <stdint.h>
#include <string.h>

/* The 8 bytes at p as a word whose lowest byte is p[0] (little-endian). */
static inline uint64_t swar_load(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* The high bit of each byte of w that equals c, and no other bit: exact,
 * with no borrow between bytes, so it can be counted as well as searched. */
static inline uint64_t swar_match(uint64_t w, unsigned char c)
{
    const uint64_t lows = 0x7F7F7F7F7F7F7F7Full;
    uint64_t x = w ^ (0x0101010101010101ull * c); /* zero bytes where c is */
    return ~(((x & lows) + lows) | x | lows);
}

/* How many bytes a swar_match result marks (no popcount instruction needed
 * on baseline x86-64). */
static inline unsigned swar_count(uint64_t match)
{
    return (unsigned)(((match >> 7) * 0x0101010101010101ull) >> 56);
}

#endif

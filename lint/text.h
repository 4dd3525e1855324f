/*
 * text.h - UTF-8 text helpers for values: trimming, validation, case folding.
 *
 * Values are byte slices that may contain NUL and, in a record flagged
 * csv/invalid-encoding, invalid UTF-8.  Every function here is total on such
 * input: invalid bytes are treated as opaque non-space characters.
 */
#ifndef CRMLINT_TEXT_H
#define CRMLINT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "common.h"

/* Strips leading and trailing Unicode White_Space (ASCII blanks, U+0085,
 * U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
 * Fast path for ASCII. */
slice text_trim(slice s);

/* True when s is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF).
 * NUL bytes are valid. */
bool text_utf8_valid(const char *s, size_t n);

/* Decodes one code point at s (n > 0 bytes available).  Returns the number of
 * bytes consumed (>= 1); an invalid sequence yields U+FFFD and consumes 1. */
size_t text_utf8_next(const char *s, size_t n, uint32_t *cp);
/* The length (1-4) of the well-formed UTF-8 sequence at s (n > 0 bytes
 * available), or 0 when the byte there starts no valid sequence. */
size_t text_utf8_seq(const char *s, size_t n);
/* Appends cp as UTF-8. */
void text_utf8_put(buf *b, uint32_t cp);

/* Appends the Unicode full case folding of s (utf8proc, NFC-preserving, no
 * normalisation beyond folding).  Invalid bytes are copied through as U+FFFD. */
void text_casefold(buf *out, slice s);

/* Case-insensitive equality under Unicode case folding. */
bool text_eq_fold(slice a, slice b);

/* How many bytes of s to quote in a message: at most max, never past a NUL
 * (printf's %.*s would stop there) or inside a UTF-8 sequence. */
int text_shown_len(slice s, size_t max);

/* Counts code points (invalid bytes count one each). */
size_t text_codepoints(slice s);

#endif

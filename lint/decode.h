/*
 * decode.h - turns a byte stream in the declared encoding into UTF-8.
 *
 * The CSV syntax characters (delimiter, quote, CR, LF) are ASCII in every
 * supported encoding, so decoding happens before parsing, on whole blocks.
 *
 * Invalid input is never dropped: each byte that is invalid in the declared
 * encoding comes out as a byte that is itself invalid UTF-8 (the original
 * byte for UTF-8 and Windows-1252's five undefined bytes, 0xFF for a broken
 * UTF-16 unit), so the reader can flag the record as csv/invalid-encoding by
 * validating its UTF-8, and report writers print U+FFFD for it.
 *
 * Encodings: "utf-8" (default; a leading BOM is removed), "windows-1252"
 * (also "cp1252"), "latin-1" (also "iso-8859-1"), "utf-16" (BOM required to
 * pick the byte order; without one, little-endian is assumed and the first
 * record is flagged invalid).  Windows-1252 and Latin-1 are decoded with a
 * table (faster than iconv and exact); UTF-16 goes through glibc's iconv.
 */
#ifndef CRMLINT_DECODE_H
#define CRMLINT_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef enum encoding { ENC_UTF8, ENC_WINDOWS_1252, ENC_LATIN1, ENC_UTF16 } encoding;

/* Accepts the names above, case-insensitively. */
bool encoding_parse(const char *name, encoding *out);
const char *encoding_name(encoding e);

typedef struct decoder decoder;

decoder *decoder_new(encoding e, char *err, size_t errlen);
void decoder_free(decoder *d);
/* Appends the UTF-8 for in[0..n) to out.  Partial multi-byte sequences at the
 * end of a block are kept for the next call.  last: no more input follows
 * (flush what is pending; an incomplete sequence becomes invalid bytes).
 * Returns false only when out could not grow (out of memory). */
bool decoder_feed(decoder *d, const char *in, size_t n, bool last, buf *out);

/* True once decoding is the identity (UTF-8 past the place a BOM could be):
 * a caller may then read bytes straight into its output buffer instead of
 * feeding them through decoder_feed (which would only copy them). */
bool decoder_is_identity(const decoder *d);

#endif

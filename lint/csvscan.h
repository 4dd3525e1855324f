/*
 * csvscan.h - where records end in CSV text, found without parsing it.
 *
 * To parse one file on several threads, its text is cut into chunks that
 * each start where a record starts, so each chunk can go to its own parser.
 * A quoted field may hold line feeds, so whether an LF ends a record depends
 * on the quote state, which the scanner tracks exactly as the reader's
 * libcsv configuration does (no trimming, not strict):
 *
 *   - a quote opens a quoted field only as the field's first byte (after a
 *     delimiter, a CR or an LF, or at the start of the text); elsewhere in an
 *     unquoted field it is an ordinary byte;
 *   - inside a quoted field, a quote followed by a quote is a literal quote;
 *     followed by the delimiter, CR or LF it ends the field; followed by
 *     anything else it is kept as text and the field stays quoted.
 *
 * So after an LF that is outside every quoted field, a fresh parser is in
 * exactly the state the whole-file parser is in: that LF is a boundary.
 * Quoted stretches are skipped eight bytes at a time and unquoted ones with
 * memchr, not a step per byte.
 */
#ifndef CRMLINT_CSVSCAN_H
#define CRMLINT_CSVSCAN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct csvscan {
    int state; /* private: where the previous call left off */
    unsigned char delim;
} csvscan;

/* A scanner positioned at the start of a file.  A delimiter that is a quote,
 * CR or LF cannot be scanned for: csvscan_usable says so. */
void csvscan_init(csvscan *s, char delimiter);
bool csvscan_usable(char delimiter);

/* Scans on into the next n bytes of the text (those after everything
 * scanned before) up to the first LF that ends a record.  Returns true with
 * *used = the bytes up to and including that LF; false with *used = n when
 * there is none.  The next call goes on from *used. */
bool csvscan_find(csvscan *s, const char *text, size_t n, size_t *used);

#endif

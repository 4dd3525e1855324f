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
 * The scan takes 64 bytes at a time where quoting is regular (see
 * csvscan.c), not a step per byte.
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

/* Scans on into text[0..n), the bytes after everything scanned before.
 * Returns how many LFs in it end records; *first and *last are the offsets
 * just past the first and the last of them (0 when there are none). */
size_t csvscan_feed(csvscan *s, const char *text, size_t n, size_t *first, size_t *last);

/* The text scanned next starts right after a record-ending LF (a place
 * csvscan_feed reported, where the caller resumes). */
void csvscan_restart(csvscan *s);

#endif

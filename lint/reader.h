/*
 * reader.h - streaming CSV records with physical line numbers.
 *
 * Built on libcsv, configured so it does not trim blanks, keeps going after
 * errors and never buffers more than CRMLINT_MAX_FIELD_BYTES for one field.
 * The reader counts line feeds itself: each record carries the physical line
 * (1-based, counted by LF; CRLF is one line end) where it starts.  Blank lines
 * are not records but count for numbering.  Memory is independent of file
 * size: one record's fields at a time (a reader over a chunk of text keeps
 * that chunk's records, see reader_open_text).
 *
 * The first record is the header.  Its first cell loses a UTF-8 BOM (the
 * decoder already removed it from the stream).
 */
#ifndef CRMLINT_READER_H
#define CRMLINT_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "decode.h"
#include "source.h"

typedef struct reader reader;

typedef enum record_flag {
    REC_INVALID_ENCODING = 1 << 0,   /* some field is not valid UTF-8 after decoding */
    REC_UNTERMINATED_QUOTE = 1 << 1, /* a quoted field was still open at end of input */
    REC_FIELD_TOO_LARGE = 1 << 2,    /* a field passed CRMLINT_MAX_FIELD_BYTES; the
                                        record was cut there and reading resumed at the
                                        next line after the limit was hit */
    REC_TOO_MANY_FIELDS = 1 << 3     /* more than CRMLINT_MAX_COLUMNS fields */
} record_flag;

typedef struct record {
    const slice *fields; /* decoded UTF-8 (maybe invalid, see flags), not trimmed */
    size_t nfields;
    uint64_t line;       /* physical line where the record starts */
    uint64_t end_line;   /* physical line where it ends */
    unsigned flags;      /* record_flag bits */
    uint64_t quote_line; /* REC_UNTERMINATED_QUOTE: line where the open quoted
                            field starts (SPEC 2 reports it there); else 0 */
} record;

typedef struct reader_opts {
    char delimiter; /* ',' or '\t' or any single byte */
    encoding enc;
} reader_opts;

/* Opens path ("-" for stdin, ".gz" inflated).  NULL with reason in err. */
reader *reader_open(const char *path, const reader_opts *opts, char *err, size_t errlen);

/* The byte stream of path and its decoder to UTF-8: what reader_open reads
 * through, for callers that read the file themselves (splitter.h).  false
 * with a one-line reason naming the path in err, and nothing to close. */
bool reader_open_input(const char *path, const reader_opts *opts, source **src, decoder **dec,
                       char *err, size_t errlen);

/* Continues a file whose first bytes were already read and decoded: text
 * (copied) is the decoded input from line first_line on, and src and dec
 * (owned by the reader from now on, also on failure) give the rest.  The
 * record starting text is the reader's first (the header only when
 * first_line is 1).  Used when a file cannot be cut into chunks. */
reader *reader_resume(const char *path, const reader_opts *opts, source *src, decoder *dec,
                      const char *text, size_t n, uint64_t first_line, char *err, size_t errlen);

/* Reads records from text[0..n), decoded UTF-8 that starts a record on line
 * first_line, and ends where the file ends or just after a record-ending LF
 * (csvscan.h).  The text is borrowed until reader_close.  Records read stay
 * in memory (reader_kept_record).  NULL when out of memory.  path names the
 * file in messages. */
reader *reader_open_text(const char *path, const reader_opts *opts, const char *text, size_t n,
                         uint64_t first_line);
/* Points a reader_open_text reader at new text, as if newly opened, keeping
 * the memory it has grown (one reader per thread serves many chunks).
 * false when out of memory. */
bool reader_set_text(reader *r, const char *path, const reader_opts *opts, const char *text,
                     size_t n, uint64_t first_line);
/* reader_open_text readers, once reader_next has returned 0: the records
 * read, and record i of them, its fields written to *fields (grown as
 * needed, owned by the caller; false when it cannot grow).  These only read
 * the reader, so several threads may call them at once. */
size_t reader_kept(const reader *r);
bool reader_kept_record(const reader *r, size_t i, record *rec, slice **fields, size_t *cap);

/* Next record (the header is the first).  Returns 1 with *rec filled (valid
 * until the next call), 0 at end of input, -1 on an I/O or memory error
 * (reason in err; the caller stops reading that file). */
int reader_next(reader *r, record *rec, char *err, size_t errlen);

/* Progress: bytes of the underlying file consumed, and its size (0 if unknown). */
uint64_t reader_bytes_in(const reader *r);
uint64_t reader_size(const reader *r);
void reader_close(reader *r);

/* Test hook: lowers the field limit below CRMLINT_MAX_FIELD_BYTES so the
 * REC_FIELD_TOO_LARGE path can be tested without 64 MiB inputs.  0 or a
 * larger value restores the default. */
void reader_set_field_limit(reader *r, size_t max_bytes);

#endif

/*
 * splitter.h - a file's decoded text, cut into chunks that start on record
 * boundaries, so several threads can parse one file.
 *
 * The splitter reads and decodes the file (source.h, decode.h) and hands out
 * chunks of about SPLITTER_CHUNK_BYTES, each ending just after a
 * record-ending LF (csvscan.h) or at the end of the file, with the physical
 * line its first byte is on.  A reader_open_text over a chunk then yields
 * the same records, with the same line numbers, as reader_open over the
 * whole file yields for that stretch.
 *
 * When CRMLINT_CHUNK_MAX_RECORD_BYTES of text pass without a boundary (a
 * huge record, or a quote that never closes), or the delimiter cannot be
 * scanned for, there is no safe place to cut: splitter_next says so, and
 * splitter_rest turns the rest of the file into an ordinary reader.
 */
#ifndef CRMLINT_SPLITTER_H
#define CRMLINT_SPLITTER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "reader.h"

#define SPLITTER_CHUNK_BYTES (1u << 20)

typedef struct splitter splitter;

typedef enum split_result {
    SPLIT_ERROR = -1,     /* I/O error or out of memory: reason in err */
    SPLIT_END = 0,        /* no more text */
    SPLIT_CHUNK = 1,      /* a chunk */
    SPLIT_NO_BOUNDARY = 2 /* no place to cut: read the rest with splitter_rest */
} split_result;

/* NULL with a one-line reason in err. */
splitter *splitter_open(const char *path, const reader_opts *opts, char *err, size_t errlen);

/* Test hook: smaller chunks (so boundaries fall everywhere) and a smaller
 * stretch without a boundary before giving up on cutting.  0 keeps the
 * default. */
void splitter_set_sizes(splitter *sp, size_t chunk_bytes, size_t max_record_bytes);

/* The next chunk: its text replaces the contents of *chunk (the buffers are
 * swapped, not copied, so pass the same few buffers round), and *first_line
 * is the line it starts on. */
split_result splitter_next(splitter *sp, buf *chunk, uint64_t *first_line, char *err,
                           size_t errlen);

/* The rest of the file, from the end of the last chunk handed out, as a
 * reader; the splitter keeps nothing but must still be closed.  NULL with a
 * reason in err. */
reader *splitter_rest(splitter *sp, char *err, size_t errlen);

/* Bytes of the file consumed so far (for progress). */
uint64_t splitter_bytes_in(const splitter *sp);

void splitter_close(splitter *sp);

#endif

/*
 * source.h - a byte stream from a file, standard input or a gzip file.
 *
 * Files whose name ends in ".gz" (any case) are inflated through zlib;
 * everything else is read with read(2) in large blocks.  "-" is standard
 * input (also inflated when it starts with the gzip magic bytes).
 */
#ifndef CRMLINT_SOURCE_H
#define CRMLINT_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct source source;

/* Returns NULL and a one-line reason (naming the path) in err on failure. */
source *source_open(const char *path, char *err, size_t errlen);
/* Reads up to cap bytes.  Returns >0 bytes, 0 at end, -1 on error (reason in
 * err: I/O error, truncated or corrupt gzip stream). */
ssize_t source_read(source *s, void *dst, size_t cap, char *err, size_t errlen);
/* Compressed bytes consumed so far and the file size (0 when unknown, as for
 * a pipe): for progress reporting. */
uint64_t source_bytes_in(const source *s);
uint64_t source_size(const source *s);
void source_close(source *s);

#endif

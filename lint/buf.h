/*
 * buf.h - a growable byte buffer.
 *
 * Used to build messages, report text and copies of values.  A buffer that
 * failed to grow remembers it (`oom`), ignores further appends, and the owner
 * checks once at the end: no error handling after every append.
 */
#ifndef CRMLINT_BUF_H
#define CRMLINT_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct buf {
    char *p; /* always NUL-terminated when len > 0 or cap > 0 */
    size_t len;
    size_t cap;
    bool oom;
} buf;

#define BUF_INIT                                                                                   \
    {                                                                                              \
        NULL, 0, 0, false                                                                          \
    }

void buf_free(buf *b);
void buf_reset(buf *b); /* len = 0, keeps the memory */
bool buf_reserve(buf *b, size_t extra);
void buf_add(buf *b, const void *p, size_t n);
void buf_addc(buf *b, char c);
void buf_adds(buf *b, const char *s);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
/* Takes ownership of the bytes (NUL-terminated); the buffer is left empty. */
char *buf_steal(buf *b);

#endif

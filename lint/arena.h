/*
 * arena.h - memory handed out from large blocks and freed all at once.
 *
 * Findings carry a few short strings each (record key, value, message), and
 * a run can keep millions of findings: one malloc per string would spend
 * about as much on allocator headers and rounding as on the text.  An arena
 * hands out consecutive pieces of 64 KiB blocks instead, and frees them
 * together when the result is freed.  Not thread-safe: each checking
 * thread fills its own, and the engine moves their blocks into the
 * result's when the threads are done.
 */
#ifndef CRMLINT_ARENA_H
#define CRMLINT_ARENA_H

#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void); /* NULL when out of memory */
void arena_free(arena *a);

/* n bytes aligned for any type, or NULL when out of memory. */
void *arena_alloc(arena *a, size_t n);
/* n zeroed bytes. */
void *arena_calloc(arena *a, size_t n);
/* A NUL-terminated copy of s[0..n), not aligned (strings are packed). */
char *arena_strndup(arena *a, const char *s, size_t n);

/* Moves all of src's memory into dst; src stays usable (and empty). */
void arena_adopt(arena *dst, arena *src);

/* Bytes held in blocks (for tests and memory accounting). */
size_t arena_bytes(const arena *a);

#endif

/*
 * arena.c - block allocation (see arena.h).
 *
 * Blocks form a list, newest first; allocations come from the newest,
 * aligned for any type except strings, which are packed byte to byte.  A
 * request larger than a quarter block gets a block of its own (placed behind
 * the newest, so the newest keeps serving small requests).
 */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "xalloc.h"

#define ARENA_BLOCK (64u * 1024u)

typedef struct block {
    struct block *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
} block;

struct arena {
    block *head;
    size_t bytes;
};

arena *arena_new(void)
{
    return xcalloc(1, sizeof(arena));
}

void arena_free(arena *a)
{
    if (a == NULL) return;
    for (block *b = a->head, *next; b; b = next) {
        next = b->next;
        xfree(b);
    }
    xfree(a);
}

static block *new_block(size_t cap)
{
    block *b = xmalloc(sizeof *b + cap);
    if (b == NULL) return NULL;
    b->next = NULL;
    b->used = 0;
    b->cap = cap;
    return b;
}

/* n bytes at a multiple of align (a power of two) in the newest block, or
 * in a new one. */
static void *take(arena *a, size_t n, size_t align)
{
    if (n == 0) n = 1; /* every allocation is a distinct address */
    block *b = a->head;
    if (b) {
        size_t at = (b->used + align - 1) & ~(align - 1);
        if (at <= b->cap && b->cap - at >= n) {
            b->used = at + n;
            return b->data + at;
        }
    }
    if (n > ARENA_BLOCK / 4) {
        block *big = new_block(n);
        if (big == NULL) return NULL;
        big->used = n;
        a->bytes += n;
        if (b) {
            big->next = b->next;
            b->next = big;
        } else {
            a->head = big;
        }
        return big->data;
    }
    if ((b = new_block(ARENA_BLOCK)) == NULL) return NULL;
    b->next = a->head;
    a->head = b;
    a->bytes += ARENA_BLOCK;
    b->used = n;
    return b->data;
}

void *arena_alloc(arena *a, size_t n)
{
    return take(a, n, alignof(max_align_t));
}

void *arena_calloc(arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    if (p) memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = take(a, n + 1, 1); /* text needs no alignment: no padding between strings */
    if (p == NULL) return NULL;
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

void arena_adopt(arena *dst, arena *src)
{
    if (src->head == NULL) return;
    /* src's blocks go behind dst's newest, which keeps serving requests. */
    block *last = src->head;
    while (last->next) last = last->next;
    if (dst->head) {
        last->next = dst->head->next;
        dst->head->next = src->head;
    } else {
        dst->head = src->head;
    }
    dst->bytes += src->bytes;
    src->head = NULL;
    src->bytes = 0;
}

size_t arena_bytes(const arena *a)
{
    return a->bytes;
}

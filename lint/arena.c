/*
 * arena.c - block allocation (see arena.h).
 *
 * Blocks form a list, newest first; allocations come from the newest.  A
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

void *arena_alloc(arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    n = n ? (n + align - 1) / align * align : align;
    block *b = a->head;
    if (b && b->cap - b->used >= n) {
        void *p = b->data + b->used;
        b->used += n;
        return p;
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

void *arena_calloc(arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    if (p) memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
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

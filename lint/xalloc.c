/*
 * xalloc.c - the allocation seam (see xalloc.h).
 *
 * The failure counter is the only process-wide state outside the CLI; it
 * exists for fault-injection tests and is inert (0) in normal runs.
 */
#include "xalloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Atomic because checking threads allocate too (relaxed: only the count
 * matters, not its order against other memory). */
static atomic_ulong alloc_count;
static atomic_ulong fail_from; /* 0: never fail */

static int should_fail(void)
{
    unsigned long from = atomic_load_explicit(&fail_from, memory_order_relaxed);
    if (from == 0) return 0; /* the normal case: no shared write at all */
    return atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed) + 1 >= from;
}

void *xmalloc(size_t n)
{
    if (should_fail()) return NULL;
    return malloc(n ? n : 1);
}

void *xcalloc(size_t count, size_t size)
{
    if (should_fail()) return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *xrealloc(void *p, size_t n)
{
    if (should_fail()) return NULL;
    return realloc(p, n ? n : 1);
}

void xfree(void *p)
{
    free(p);
}

char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    if (d == NULL) return NULL;
    if (n) memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

unsigned long xalloc_fail_after(unsigned long n)
{
    unsigned long made = atomic_exchange(&alloc_count, 0);
    atomic_store(&fail_from, n);
    return made;
}

/*
 * xalloc.c - the allocation seam (see xalloc.h).
 *
 * The failure counter is the only process-wide state outside the CLI; it
 * exists for fault-injection tests and is inert (0) in normal runs.
 */
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static unsigned long alloc_count;
static unsigned long fail_from; /* 0: never fail */

static int should_fail(void)
{
    alloc_count++;
    return fail_from != 0 && alloc_count >= fail_from;
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

void xfree(void *p) { free(p); }

char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    if (d == NULL) return NULL;
    if (n) memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

unsigned long xalloc_fail_after(unsigned long n)
{
    unsigned long made = alloc_count;
    alloc_count = 0;
    fail_from = n;
    return made;
}

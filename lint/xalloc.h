/*
 * xalloc.h - the one allocation seam.
 *
 * Every allocation in crmlint goes through these functions so that a test can
 * make the Nth allocation fail (fault injection, as SQLite and Lua do).  They
 * return NULL on failure like malloc; callers handle it and report "out of
 * memory" as an exit-2 error.  They never abort.
 */
#ifndef CRMLINT_XALLOC_H
#define CRMLINT_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
void xfree(void *p);
/* NUL-terminated copy of n bytes (the copy may contain NULs before the end). */
char *xstrndup(const char *s, size_t n);
char *xstrdup(const char *s);

/* Test hook: fail every allocation from the Nth on (1-based); 0 disables.
 * Returns the number of allocations attempted since the last call while a
 * failure point was set (counting costs a shared write, so it is off otherwise). */
unsigned long xalloc_fail_after(unsigned long n);

#endif

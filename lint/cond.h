/*
 * cond.h - `when` conditions.
 *
 * Leaves: {field: F, equals: V} | not_equals | in: [..] | not_in: [..] |
 * empty: true|false | matches: REGEX, each with optional ignore_case (Unicode
 * case folding).  Combinators: {all: [..]}, {any: [..]}, {not: COND}.  A
 * leaf sees the trimmed, null-aware value ("" when empty).  Fields are
 * registered with the rule, so the engine resolves them like any other.
 */
#ifndef CRMLINT_COND_H
#define CRMLINT_COND_H

#include <stdbool.h>

#include "rule.h"

typedef struct cond cond;

/* Parses node as a condition for rule r.  NULL after pk_error. */
cond *cond_parse(pack_ctx *pc, rule *r, ynode *node);
bool cond_eval(const cond *c, check_ctx *ck, const rule *r);
void cond_free(cond *c);

#endif

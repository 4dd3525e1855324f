/*
 * rule_required.c - `required`: listed fields must not be empty.
 *
 * One finding per empty field, so a record missing both Email and Phone
 * shows both.  Empty means empty after trimming or one of the object's
 * null_values.
 */
#include <stdlib.h>

#include "rule.h"
#include "xalloc.h"

typedef struct required {
    int *fields;
    size_t nfields;
} required;

static void required_free(void *impl)
{
    required *q = impl;
    xfree(q->fields);
    xfree(q);
}

static int required_parse(rule *r, ynode *map, pack_ctx *pc)
{
    required *q = xcalloc(1, sizeof *q);
    if (q == NULL) return pk_error(pc, map, "out of memory");
    r->impl = q;
    return pk_fields(pc, r, map, "fields", true, &q->fields, &q->nfields) < 0 ? -1 : 0;
}

static void required_check(check_ctx *c, const rule *r, void *state)
{
    (void)state;
    const required *q = r->impl;
    ck_checked(c, r);
    for (size_t i = 0; i < q->nfields; i++)
        if (ck_value(c, r, q->fields[i])->empty)
            ck_emit(c, r, q->fields[i], "{field} is empty", "%s", "");
}

const rule_type rule_required = {
    .name = "required",
    .summary = "listed fields must not be empty (one finding per empty field)",
    .parse = required_parse,
    .free_impl = required_free,
    .check = required_check,
    .row_local = true,
};

/*
 * rule_allowed.c - `allowed`: the value must be one of a picklist.
 *
 * Values compare as exact text, or under Unicode case folding with
 * ignore_case (the picklist is folded once at load).  The list is searched
 * linearly after a length check: picklists are short, and this beats
 * hashing for the sizes CRM picklists have.
 */
#include <string.h>

#include "buf.h"
#include "rule.h"
#include "text.h"
#include "xalloc.h"

typedef struct allowed {
    int field;
    bool ignore_case;
    char **values;
    size_t *lens;
    size_t nvalues;
    char *expected; /* "one of: A, B, C" for messages */
} allowed;

static void allowed_free(void *impl)
{
    allowed *a = impl;
    for (size_t i = 0; i < a->nvalues; i++) xfree(a->values[i]);
    xfree(a->values);
    xfree(a->lens);
    xfree(a->expected);
    xfree(a);
}

static int allowed_parse(rule *r, ynode *map, pack_ctx *pc)
{
    allowed *a = xcalloc(1, sizeof *a);
    if (a == NULL) return pk_error(pc, map, "out of memory");
    r->impl = a;
    if (pk_field(pc, r, map, "field", true, &a->field) < 0) return -1;
    if (pk_bool(pc, map, "ignore_case", false, &a->ignore_case) < 0) return -1;
    if (pk_strings(pc, map, "values", true, &a->values, &a->nvalues) < 0) return -1;
    if (a->nvalues == 0) return pk_error(pc, ymap_get(map, "values"), "'values' is empty");
    buf exp = BUF_INIT;
    buf_adds(&exp, "expected one of: ");
    for (size_t i = 0; i < a->nvalues && i < 12; i++)
        buf_printf(&exp, "%s%s", i ? ", " : "", a->values[i]);
    if (a->nvalues > 12) buf_printf(&exp, ", ... (%zu values)", a->nvalues);
    if (exp.oom) return pk_error(pc, map, "out of memory");
    a->expected = buf_steal(&exp);
    if ((a->lens = xcalloc(a->nvalues, sizeof *a->lens)) == NULL)
        return pk_error(pc, map, "out of memory");
    for (size_t i = 0; i < a->nvalues; i++) {
        if (a->ignore_case) {
            buf f = BUF_INIT;
            text_casefold(&f, slice_of(a->values[i], strlen(a->values[i])));
            if (f.oom) return pk_error(pc, map, "out of memory");
            xfree(a->values[i]);
            a->values[i] = buf_steal(&f);
        }
        a->lens[i] = strlen(a->values[i]);
    }
    return 0;
}

static void allowed_check(check_ctx *c, const rule *r, void *state)
{
    (void)state;
    const allowed *a = r->impl;
    const value *v = ck_value(c, r, a->field);
    if (v->empty) return;
    ck_checked(c, r);
    slice s = v->s;
    if (a->ignore_case) {
        buf *folded = ck_scratch(c);
        buf_reset(folded);
        text_casefold(folded, s);
        if (!folded->oom) s = slice_of(folded->p, folded->len);
    }
    for (size_t i = 0; i < a->nvalues; i++)
        if (a->lens[i] == s.n && memcmp(a->values[i], s.p, s.n) == 0) return;
    ck_emit(c, r, a->field, "{field} {value} is not an allowed value ({detail})", "%s",
            a->expected);
}

const rule_type rule_allowed = {
    .name = "allowed",
    .summary = "the value must be one of `values` (exact text, or Unicode case-insensitive)",
    .parse = allowed_parse,
    .free_impl = allowed_free,
    .check = allowed_check,
    .row_local = true,
};

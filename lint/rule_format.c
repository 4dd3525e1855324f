/*
 * rule_format.c - `format`: the value must be of a kind (email, phone, ...).
 *
 * The kinds and their exact definitions live in formats.c; this file only
 * binds them to a field.
 */
#include <string.h>

#include "formats.h"
#include "rule.h"
#include "xalloc.h"

typedef struct format_rule {
    int field;
    format_kind kind;
} format_rule;

static void format_free(void *impl)
{
    xfree(impl);
}

static int format_parse(rule *r, ynode *map, pack_ctx *pc)
{
    format_rule *f = xcalloc(1, sizeof *f);
    if (f == NULL) return pk_error(pc, map, "out of memory");
    r->impl = f;
    if (pk_field(pc, r, map, "field", true, &f->field) < 0) return -1;
    ynode *n = ymap_get(map, "kind");
    if (n == NULL) return pk_error(pc, map, "missing required key 'kind'");
    if (n->kind != YN_SCALAR || !format_kind_parse(n->text, &f->kind))
        return pk_error(pc, n,
                        "unknown format kind '%s' (use email, phone, url, date, datetime, number, "
                        "integer, boolean, salesforce_id, country, currency or uuid)",
                        n->kind == YN_SCALAR ? n->text : "?");
    return 0;
}

static void format_check_rule(check_ctx *c, const rule *r, void *state)
{
    (void)state;
    const format_rule *f = r->impl;
    const value *v = ck_value(c, r, f->field);
    if (v->empty) return;
    ck_checked(c, r);
    bool ok = f->kind == FMT_DATE || f->kind == FMT_DATETIME
                  ? format_check_date(f->kind, ck_dates(c), ck_column_is_date(c, r, f->field), v->s)
                  : format_check(f->kind, v->s);
    if (!ok)
        ck_emit(c, r, f->field, "{field} {value} is not {detail}", "%s",
                format_kind_phrase(f->kind));
}

const rule_type rule_format = {
    .name = "format",
    .summary = "the value must be of a kind: email, phone, url, date, datetime, number, integer, "
               "boolean, salesforce_id, country, currency, uuid",
    .parse = format_parse,
    .free_impl = format_free,
    .check = format_check_rule,
    .row_local = true,
};

/*
 * rule_compare.c - `compare`: LEFT op RIGHT must hold between two fields.
 *
 * SPEC order of interpretation: both numbers -> numbers; else both dates ->
 * instants, except that when exactly one side is date-only both compare as
 * dates (the other side's date in the pack's zone); else == and != compare
 * trimmed text and the other operators cannot compare.  Skipped when either
 * side is empty.
 */
#include <string.h>

#include "formats.h"
#include "rule.h"
#include "xalloc.h"

typedef enum cmp_op { OP_LT, OP_LE, OP_EQ, OP_NE, OP_GE, OP_GT } cmp_op;

static const char *const op_names[] = {"<", "<=", "==", "!=", ">=", ">"};

typedef struct compare {
    int left, right;
    cmp_op op;
} compare;

static void compare_free(void *impl)
{
    xfree(impl);
}

static int compare_parse(rule *r, ynode *map, pack_ctx *pc)
{
    compare *k = xcalloc(1, sizeof *k);
    if (k == NULL) return pk_error(pc, map, "out of memory");
    r->impl = k;
    if (pk_field(pc, r, map, "left", true, &k->left) < 0) return -1;
    ynode *op = ymap_get(map, "op");
    if (op == NULL) return pk_error(pc, map, "missing required key 'op'");
    bool found = false;
    for (int i = 0; i < 6; i++)
        if (op->kind == YN_SCALAR && strcmp(op->text, op_names[i]) == 0) {
            k->op = (cmp_op)i;
            found = true;
        }
    if (!found) return pk_error(pc, op, "'op' must be one of < <= == != >= >");
    if (pk_field(pc, r, map, "right", true, &k->right) < 0) return -1;
    if (k->left == k->right) return pk_error(pc, map, "'left' and 'right' name the same field");
    return 0;
}

static bool holds(cmp_op op, int cmp)
{
    switch (op) {
    case OP_LT:
        return cmp < 0;
    case OP_LE:
        return cmp <= 0;
    case OP_EQ:
        return cmp == 0;
    case OP_NE:
        return cmp != 0;
    case OP_GE:
        return cmp >= 0;
    case OP_GT:
        return cmp > 0;
    }
    return false;
}

/* The local date of an instant in the pack's zone. */
static int32_t local_days(const tz_zone *z, int64_t utc_us)
{
    int64_t secs = utc_us / 1000000 - (utc_us % 1000000 < 0);
    int64_t local = tz_utc_to_local(z, secs);
    return (int32_t)(local / 86400 - (local % 86400 < 0));
}

/* Neither both numbers nor both dates, and the operator orders: say which
 * side failed to parse as what, since that is what the owner must fix.
 * Dates are tried first: a date is never mistaken for a number. */
static void cannot_compare(check_ctx *c, const rule *r, const compare *k, const value *lv,
                           const value *rv)
{
    double x;
    dt_value d;
    bool ld = ck_date(c, r, k->left, &d), rd = ck_date(c, r, k->right, &d);
    bool ln = format_parse_number(lv->s, &x), rn = format_parse_number(rv->s, &x);
    const char *rname = r->fields[k->right];
    const char *kind = NULL;
    bool blame_right = false;
    if (ld != rd) {
        kind = "date";
        blame_right = ld;
    } else if (ln != rn) {
        kind = "number";
        blame_right = ln;
    }
    if (kind == NULL)
        ck_emit(c, r, k->left, "{field} {value} {detail}",
                "cannot be compared with %s (neither both numbers nor both dates)", rname);
    else if (!blame_right)
        ck_emit(c, r, k->left, "{field} {value} {detail}",
                "is not a %s, so it cannot be compared with %s", kind, rname);
    else if (ck_redacting(c))
        ck_emit(c, r, k->left, "{field} {value} {detail}",
                "cannot be compared with %s, whose value is not a %s", rname, kind);
    else
        ck_emit(c, r, k->left, "{field} {value} {detail}",
                "cannot be compared with %s, whose value %.*s is not a %s", rname,
                (int)(rv->s.n > 200 ? 200 : rv->s.n), rv->s.p, kind);
}

static void compare_check(check_ctx *c, const rule *r, void *state)
{
    (void)state;
    const compare *k = r->impl;
    const value *lv = ck_value(c, r, k->left), *rv = ck_value(c, r, k->right);
    if (lv->empty || rv->empty) return;
    ck_checked(c, r);
    const char *rname = r->fields[k->right];
    double a, b;
    dt_value da, db;
    int cmp;
    if (format_parse_number(lv->s, &a) && format_parse_number(rv->s, &b)) {
        cmp = (a > b) - (a < b);
    } else if (ck_date(c, r, k->left, &da) && ck_date(c, r, k->right, &db)) {
        if (da.date_only != db.date_only) {
            int32_t x = da.date_only ? da.days : local_days(ck_zone(c), da.utc_us);
            int32_t y = db.date_only ? db.days : local_days(ck_zone(c), db.utc_us);
            cmp = (x > y) - (x < y);
        } else if (da.date_only) {
            cmp = (da.days > db.days) - (da.days < db.days);
        } else {
            cmp = (da.utc_us > db.utc_us) - (da.utc_us < db.utc_us);
        }
    } else if (k->op == OP_EQ || k->op == OP_NE) {
        cmp = slice_eq(lv->s, rv->s) ? 0 : 1;
    } else {
        cannot_compare(c, r, k, lv, rv);
        return;
    }
    if (!holds(k->op, cmp)) {
        if (ck_redacting(c))
            ck_emit(c, r, k->left, "{field} {value} {detail}", "is not %s %s", op_names[k->op],
                    rname);
        else
            ck_emit(c, r, k->left, "{field} {value} {detail}", "is not %s %s (%.*s)",
                    op_names[k->op], rname, (int)(rv->s.n > 200 ? 200 : rv->s.n), rv->s.p);
    }
}

const rule_type rule_compare = {
    .name = "compare",
    .summary = "LEFT op RIGHT must hold between two fields (numbers, dates or text)",
    .parse = compare_parse,
    .free_impl = compare_free,
    .check = compare_check,
    .row_local = true,
};

/*
 * rule_range.c - `range`: the value must lie within [min, max].
 *
 * Bounds written as numbers compare numbers; bounds written as dates
 * compare dates (a date-only bound compares the value's date, a bound with
 * a time compares instants).  Either bound may be absent, not both, and
 * both must be of one kind.  A value that does not parse is a finding.
 */
#include <stdio.h>
#include <string.h>

#include "formats.h"
#include "pack.h"
#include "rule.h"
#include "xalloc.h"

typedef struct bound {
    bool set;
    double num;
    dt_value date;
    char text[64];
} bound;

typedef struct range {
    int field;
    bool dates;
    bound min, max;
} range;

static void range_free(void *impl)
{
    xfree(impl);
}

/* 1 number, 2 date, -1 error. */
static int parse_bound(pack_ctx *pc, ynode *map, const char *key, bound *b)
{
    ynode *n = ymap_get(map, key);
    if (n == NULL) return 0;
    if (n->kind != YN_SCALAR) return pk_error(pc, n, "'%s' must be a number or a date", key);
    snprintf(b->text, sizeof b->text, "%s", n->text);
    b->set = true;
    if (format_parse_number(slice_of(n->text, n->len), &b->num)) return 1;
    if (dt_parse(pk_pack(pc)->dates, n->text, n->len, &b->date)) return 2;
    return pk_error(pc, n, "'%s' must be a number or a date, not '%s'", key, n->text);
}

static int range_parse(rule *r, ynode *map, pack_ctx *pc)
{
    range *g = xcalloc(1, sizeof *g);
    if (g == NULL) return pk_error(pc, map, "out of memory");
    r->impl = g;
    if (pk_field(pc, r, map, "field", true, &g->field) < 0) return -1;
    int kmin = parse_bound(pc, map, "min", &g->min);
    if (kmin < 0) return -1;
    int kmax = parse_bound(pc, map, "max", &g->max);
    if (kmax < 0) return -1;
    if (kmin == 0 && kmax == 0) return pk_error(pc, map, "'range' needs 'min', 'max' or both");
    if (kmin && kmax && kmin != kmax)
        return pk_error(pc, ymap_get(map, "max"), "'min' and 'max' must both be numbers or dates");
    g->dates = (kmin ? kmin : kmax) == 2;
    if (g->min.set && g->max.set) {
        bool inverted =
            g->dates ? g->min.date.utc_us > g->max.date.utc_us : g->min.num > g->max.num;
        if (inverted) return pk_error(pc, ymap_get(map, "min"), "'min' is greater than 'max'");
    }
    return 0;
}

/* <0 below, 0 equal, >0 above: the value against a date bound. */
static int cmp_date(const dt_value *v, const dt_value *b)
{
    if (b->date_only) return (v->days > b->days) - (v->days < b->days);
    return (v->utc_us > b->utc_us) - (v->utc_us < b->utc_us);
}

static void range_check(check_ctx *c, const rule *r, void *state)
{
    (void)state;
    const range *g = r->impl;
    const value *v = ck_value(c, r, g->field);
    if (v->empty) return;
    ck_checked(c, r);
    bool low, high;
    if (g->dates) {
        dt_value d;
        if (!ck_date(c, r, g->field, &d)) {
            ck_emit(c, r, g->field, "{field} {value} is {detail}", "not a date");
            return;
        }
        low = g->min.set && cmp_date(&d, &g->min.date) < 0;
        high = g->max.set && cmp_date(&d, &g->max.date) > 0;
    } else {
        double x;
        if (!format_parse_number(v->s, &x)) {
            ck_emit(c, r, g->field, "{field} {value} is {detail}", "not a number");
            return;
        }
        low = g->min.set && x < g->min.num;
        high = g->max.set && x > g->max.num;
    }
    if (low)
        ck_emit(c, r, g->field, "{field} {value} is {detail}", "below the minimum %s", g->min.text);
    else if (high)
        ck_emit(c, r, g->field, "{field} {value} is {detail}", "above the maximum %s", g->max.text);
}

const rule_type rule_range = {
    .name = "range",
    .summary = "the value must lie within min..max (inclusive), as numbers or as dates",
    .parse = range_parse,
    .free_impl = range_free,
    .check = range_check,
    .row_local = true,
};

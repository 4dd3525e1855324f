/*
 * rule_age.c - `age`: as-of minus the value within [min, max] durations.
 *
 * For a datetime the age is elapsed time to the as-of instant.  For a
 * date-only value it is the whole number of days between the value's date
 * and as-of's date in the pack's zone, times 24 h: a date has no time of
 * day to measure from.
 */
#include "rule.h"
#include "xalloc.h"

typedef struct age {
    int field;
    bool has_min, has_max;
    int64_t min, max; /* seconds */
} age;

static void age_free(void *impl)
{
    xfree(impl);
}

static int age_parse(rule *r, ynode *map, pack_ctx *pc)
{
    age *a = xcalloc(1, sizeof *a);
    if (a == NULL) return pk_error(pc, map, "out of memory");
    r->impl = a;
    if (pk_field(pc, r, map, "field", true, &a->field) < 0) return -1;
    int st = pk_duration(pc, map, "max", false, &a->max);
    if (st < 0) return -1;
    a->has_max = st == 1;
    st = pk_duration(pc, map, "min", false, &a->min);
    if (st < 0) return -1;
    a->has_min = st == 1;
    if (!a->has_min && !a->has_max) return pk_error(pc, map, "'age' needs 'max', 'min' or both");
    if (a->has_min && a->has_max && a->min > a->max)
        return pk_error(pc, ymap_get(map, "min"), "'min' is greater than 'max'");
    return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static void age_check(check_ctx *c, const rule *r, void *state)
{
    (void)state;
    const age *a = r->impl;
    const value *v = ck_value(c, r, a->field);
    if (v->empty) return;
    ck_checked(c, r);
    dt_value d;
    if (!ck_date(c, r, a->field, &d)) {
        ck_emit(c, r, a->field, "{field} {value} is {detail}", "not a date or date-time");
        return;
    }
    int64_t as_of = ck_as_of_us(c), age_us;
    if (d.date_only) {
        int64_t local = tz_utc_to_local(ck_zone(c), floor_div(as_of, 1000000));
        age_us = (floor_div(local, 86400) - d.days) * 86400 * 1000000;
    } else {
        age_us = as_of - d.utc_us; /* to the microsecond: 1d and 0.5s is over 1d */
    }
    int64_t secs = floor_div(age_us, 1000000);
    char got[32], lim[32];
    if (a->has_max && age_us > a->max * 1000000) {
        dt_format_duration(secs, got, sizeof got);
        dt_format_duration(a->max, lim, sizeof lim);
        ck_emit(c, r, a->field, "{field} {value} is {detail}", "%s old; at most %s allowed", got,
                lim);
    } else if (a->has_min && age_us < a->min * 1000000) {
        if (secs < 0) {
            dt_format_duration(-secs, got, sizeof got);
            dt_format_duration(a->min, lim, sizeof lim);
            ck_emit(c, r, a->field, "{field} {value} is {detail}",
                    "%s in the future; at least %s old required", got, lim);
        } else {
            dt_format_duration(secs, got, sizeof got);
            dt_format_duration(a->min, lim, sizeof lim);
            ck_emit(c, r, a->field, "{field} {value} is {detail}", "%s old; at least %s required",
                    got, lim);
        }
    }
}

const rule_type rule_age = {
    .name = "age",
    .summary = "as-of minus the value (a date or date-time) must lie within min..max durations",
    .parse = age_parse,
    .free_impl = age_free,
    .check = age_check,
    .row_local = true,
};

/*
 * rule_sla.c - `sla`: the time from `from` to `to` must not exceed `max`.
 *
 * Counted time is wall-clock elapsed time, or under a named calendar only
 * the working time (calendar.c), to the microsecond.  A record with an
 * empty `to` is still open: with `open: breach` it is judged against the
 * as-of instant.  Besides findings the rule reports compliance figures
 * (ck_stat): checked, met, breached, open, and the median and 90th
 * percentile of the counted time of closed records (nearest rank), because
 * teams report SLA compliance, not only breaches.
 */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "pack.h"
#include "rule.h"
#include "xalloc.h"

typedef struct sla {
    int from, to;
    int64_t max_us;
    char max_text[32];
    const calendar *cal; /* NULL: wall clock */
    bool open_breach;
} sla;

typedef struct sla_state {
    int64_t *times; /* counted time of each closed record, microseconds */
    size_t ntimes, cap;
    uint64_t met, breached, open;
} sla_state;

static void sla_free(void *impl)
{
    xfree(impl);
}

static int sla_parse(rule *r, ynode *map, pack_ctx *pc)
{
    sla *s = xcalloc(1, sizeof *s);
    if (s == NULL) return pk_error(pc, map, "out of memory");
    r->impl = s;
    s->open_breach = true;
    int64_t max;
    if (pk_field(pc, r, map, "from", true, &s->from) < 0) return -1;
    if (pk_field(pc, r, map, "to", true, &s->to) < 0) return -1;
    if (s->from == s->to) return pk_error(pc, map, "'from' and 'to' name the same field");
    if (pk_duration(pc, map, "max", true, &max) < 0) return -1;
    s->max_us = max * 1000000;
    dt_format_duration(max, s->max_text, sizeof s->max_text);
    char *name = NULL;
    int st = pk_string(pc, map, "calendar", false, &name);
    if (st < 0) return -1;
    if (st == 1) {
        const pack_settings *set = &pk_pack(pc)->settings;
        for (size_t i = 0; i < set->ncalendars; i++)
            if (strcmp(set->calendars[i].name, name) == 0) s->cal = &set->calendars[i];
        if (s->cal == NULL) {
            pk_error(pc, ymap_get(map, "calendar"),
                     "unknown calendar '%s' (define it under settings.calendars)", name);
            xfree(name);
            return -1;
        }
        xfree(name);
    }
    st = pk_string(pc, map, "open", false, &name);
    if (st < 0) return -1;
    if (st == 1) {
        bool breach = strcmp(name, "breach") == 0, ignore = strcmp(name, "ignore") == 0;
        xfree(name);
        if (!breach && !ignore)
            return pk_error(pc, ymap_get(map, "open"), "'open' must be breach or ignore");
        s->open_breach = breach;
    }
    return 0;
}

static void *sla_state_new(const rule *r)
{
    (void)r;
    return xcalloc(1, sizeof(sla_state));
}

static void sla_state_free(void *state)
{
    sla_state *st = state;
    xfree(st->times);
    xfree(st);
}

static const char *kind_of(const sla *s)
{
    return s->cal ? " of business time" : "";
}

static void remember(check_ctx *c, sla_state *st, int64_t t)
{
    if (st->ntimes == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 1024;
        int64_t *v = xrealloc(st->times, cap * sizeof *v);
        if (v == NULL) {
            ck_out_of_memory(c);
            return;
        }
        st->times = v;
        st->cap = cap;
    }
    st->times[st->ntimes++] = t;
}

static void sla_check(check_ctx *c, const rule *r, void *state)
{
    const sla *s = r->impl;
    sla_state *st = state;
    if (ck_value(c, r, s->from)->empty) return;
    ck_checked(c, r);
    dt_value from, to;
    if (!ck_date(c, r, s->from, &from)) {
        ck_emit(c, r, s->from, "{field} {value} {detail}", "is not a date or date-time");
        return;
    }
    char took[32];
    if (ck_value(c, r, s->to)->empty) {
        st->open++;
        if (!s->open_breach) return;
        int64_t t = calendar_counted_us(s->cal, from.utc_us, ck_as_of_us(c));
        if (t <= s->max_us) return;
        char as_of[21];
        dt_format_utc(ck_as_of_us(c), as_of);
        dt_format_duration(t / 1000000, took, sizeof took);
        ck_emit(c, r, s->from, "{field} {value}: {detail}",
                "%s is still empty after %s%s (as of %s); SLA %s", r->fields[s->to], took,
                kind_of(s), as_of, s->max_text);
        return;
    }
    if (!ck_date(c, r, s->to, &to)) {
        ck_emit(c, r, s->to, "{field} {value} {detail}", "is not a date or date-time");
        return;
    }
    if (to.utc_us < from.utc_us) {
        ck_emit(c, r, s->to, "{field} {value} {detail}", "is before %s", r->fields[s->from]);
        return;
    }
    int64_t t = calendar_counted_us(s->cal, from.utc_us, to.utc_us);
    remember(c, st, t);
    if (t <= s->max_us) {
        st->met++;
        return;
    }
    st->breached++;
    dt_format_duration(t / 1000000, took, sizeof took);
    ck_emit(c, r, s->to, "{field} {value}: {detail}", "took %s%s from %s; SLA %s", took, kind_of(s),
            r->fields[s->from], s->max_text);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n), n > 0. */
static int64_t percentile(const int64_t *v, size_t n, unsigned p)
{
    size_t rank = (n * p + 99) / 100;
    return v[rank ? rank - 1 : 0];
}

static void sla_finish(check_ctx *c, const rule *r, void *state)
{
    sla_state *st = state;
    ck_stat(c, r, "met", (double)st->met);
    ck_stat(c, r, "breached", (double)(st->breached));
    ck_stat(c, r, "open", (double)st->open);
    if (st->ntimes == 0) return;
    qsort(st->times, st->ntimes, sizeof *st->times, cmp_i64);
    ck_stat(c, r, "median_seconds", (double)(percentile(st->times, st->ntimes, 50) / 1000000));
    ck_stat(c, r, "p90_seconds", (double)(percentile(st->times, st->ntimes, 90) / 1000000));
}

const rule_type rule_sla = {
    .name = "sla",
    .summary = "the time from `from` to `to` (wall clock or business calendar) must not exceed max",
    .parse = sla_parse,
    .free_impl = sla_free,
    .state_new = sla_state_new,
    .state_free = sla_state_free,
    .check = sla_check,
    .finish = sla_finish,
};

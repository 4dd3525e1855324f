/*
 * rule_stage_dates.c - `stage_dates`: in a wide export with one "date
 * entered" column per stage (HubSpot's `Became a Lead Date` or
 * `Date entered "Lead (Lifecycle Stage Pipeline)"`), the dates must agree
 * with the record's current stage.
 *
 * The state matches a stage's name exactly, or case-insensitively once
 * white space is removed, because HubSpot exports either the label
 * ("Marketing Qualified Lead") or the internal value
 * ("marketingqualifiedlead") depending on the export options.  Names are
 * folded once at load; a value is folded only when the exact comparison
 * fails.
 *
 * One finding per record lists every reason, in the SPEC's order: the state
 * is not a stage; present dates go backwards in stage order; a date does
 * not parse; the current stage has no date; a later stage has one.  Dates
 * are named by stage (and a date that does not parse by its column), never
 * by value, so --redact hides everything it should.
 */
#include <string.h>

#include "buf.h"
#include "rule.h"
#include "text.h"
#include "xalloc.h"

typedef struct stage {
    char *name;
    size_t len;
    char *folded; /* case-folded, white space removed */
    size_t flen;
    int date; /* field index of its date column */
} stage;

typedef struct stage_dates {
    int state;
    stage *stages;
    size_t n;
    bool require_current, forbid_future;
} stage_dates;

/* Per run: per-stage scratch, so checking a record allocates nothing. */
typedef struct sd_run {
    dt_value *dates;
    unsigned char *status; /* per stage: 0 empty, 1 parsed, 2 unparseable */
    buf why;
    buf fold;
} sd_run;

static void stage_dates_free(void *impl)
{
    stage_dates *d = impl;
    for (size_t i = 0; i < d->n; i++) {
        xfree(d->stages[i].name);
        xfree(d->stages[i].folded);
    }
    xfree(d->stages);
    xfree(d);
}

/* Appends s case-folded with every white-space character removed. */
static void fold_compact(buf *out, slice s)
{
    buf_reset(out);
    text_casefold(out, s);
    size_t w = 0;
    for (size_t r = 0; r < out->len;) {
        uint32_t cp;
        size_t k = text_utf8_next(out->p + r, out->len - r, &cp);
        /* A lone character that trims to nothing is white space. */
        if (text_trim(slice_of(out->p + r, k)).n != 0) {
            memmove(out->p + w, out->p + r, k);
            w += k;
        }
        r += k;
    }
    out->len = w;
}

/* Stage i of the list: its name (folded into f, scratch) and date column. */
static int parse_stage(pack_ctx *pc, rule *r, stage_dates *d, size_t i, ynode *m, buf *f)
{
    stage *s = &d->stages[i];
    if (m->kind != YN_MAP)
        return pk_error(pc, m, "each stage must be a mapping {name: STAGE, date: COLUMN}");
    ynode *name = ymap_get(m, "name");
    if (name == NULL) return pk_error(pc, m, "missing required key 'name' in stage");
    if (name->kind != YN_SCALAR || name->len == 0)
        return pk_error(pc, name, "a stage's 'name' must be a non-empty string");
    if (memchr(name->text, '\0', name->len))
        return pk_error(pc, name, "a stage's 'name' contains a NUL byte");
    if (pk_field(pc, r, m, "date", true, &s->date) < 0) return -1;
    const ynode *extra = ymap_first_unused(m);
    if (extra) return pk_error(pc, extra, "unknown key '%s' in stage", extra->text);
    if (s->date == d->state)
        return pk_error(pc, ymap_get(m, "date"), "a stage's 'date' cannot be the 'state' column");
    d->n = i + 1;
    s->len = name->len;
    if ((s->name = xstrndup(name->text, name->len)) == NULL)
        return pk_error(pc, name, "out of memory");
    fold_compact(f, slice_of(s->name, s->len));
    if (f->oom || (s->folded = xstrndup(f->p ? f->p : "", f->len)) == NULL)
        return pk_error(pc, name, "out of memory");
    s->flen = f->len;
    if (s->flen == 0) return pk_error(pc, name, "a stage's 'name' must not be only white space");
    for (size_t j = 0; j < i; j++) {
        const stage *o = &d->stages[j];
        if (o->flen == s->flen && memcmp(o->folded, s->folded, s->flen) == 0)
            return pk_error(pc, name,
                            "stage '%s' is listed twice (names compare ignoring case and white "
                            "space)",
                            s->name);
        if (o->date == s->date)
            return pk_error(pc, ymap_get(m, "date"),
                            "stages '%s' and '%s' have the same 'date' column", o->name, s->name);
    }
    return 0;
}

static int stage_dates_parse(rule *r, ynode *map, pack_ctx *pc)
{
    stage_dates *d = xcalloc(1, sizeof *d);
    if (d == NULL) return pk_error(pc, map, "out of memory");
    r->impl = d;
    d->require_current = d->forbid_future = true;
    if (pk_field(pc, r, map, "state", true, &d->state) < 0) return -1;
    if (pk_bool(pc, map, "require_current", false, &d->require_current) < 0) return -1;
    if (pk_bool(pc, map, "forbid_future_stages", false, &d->forbid_future) < 0) return -1;
    ynode *list = ymap_get(map, "stages");
    if (list == NULL) return pk_error(pc, map, "missing required key 'stages'");
    if (list->kind != YN_SEQ || list->n == 0)
        return pk_error(pc, list, "'stages' must be a non-empty list of {name, date} mappings");
    if ((d->stages = xcalloc(list->n, sizeof *d->stages)) == NULL)
        return pk_error(pc, list, "out of memory");
    buf f = BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < list->n && rc == 0; i++)
        rc = parse_stage(pc, r, d, i, list->items[i], &f);
    buf_free(&f);
    return rc;
}

static void *stage_dates_state_new(const rule *r)
{
    const stage_dates *d = r->impl;
    sd_run *st = xcalloc(1, sizeof *st);
    if (st == NULL) return NULL;
    st->dates = xcalloc(d->n, sizeof *st->dates);
    st->status = xcalloc(d->n, 1);
    if (st->dates == NULL || st->status == NULL) {
        xfree(st->dates);
        xfree(st->status);
        xfree(st);
        return NULL;
    }
    return st;
}

static void stage_dates_state_free(void *state)
{
    sd_run *st = state;
    xfree(st->dates);
    xfree(st->status);
    buf_free(&st->why);
    buf_free(&st->fold);
    xfree(st);
}

/* The stage the state names, or -1. */
static int current_stage(const stage_dates *d, sd_run *st, slice s)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->stages[i].len == s.n && memcmp(d->stages[i].name, s.p, s.n) == 0) return (int)i;
    fold_compact(&st->fold, s);
    if (st->fold.oom) return -1;
    for (size_t i = 0; i < d->n; i++)
        if (d->stages[i].flen == st->fold.len &&
            memcmp(d->stages[i].folded, st->fold.p, st->fold.len) == 0)
            return (int)i;
    return -1;
}

/* a is earlier than b; date-only values compare by date, as `compare` does. */
static bool before(const dt_value *a, const dt_value *b)
{
    if (a->date_only || b->date_only) return a->days < b->days;
    return a->utc_us < b->utc_us;
}

static void reason(buf *b, const char *text)
{
    if (b->len) buf_adds(b, "; ");
    buf_adds(b, text);
}

static void stage_dates_check(check_ctx *c, const rule *r, void *state)
{
    const stage_dates *d = r->impl;
    sd_run *st = state;
    const value *v = ck_value(c, r, d->state);
    if (v->empty) return;
    ck_checked(c, r);
    int cur = current_stage(d, st, v->s);
    if (st->fold.oom) {
        ck_out_of_memory(c);
        return;
    }
    for (size_t i = 0; i < d->n; i++) {
        if (ck_value(c, r, d->stages[i].date)->empty)
            st->status[i] = 0;
        else
            st->status[i] = ck_date(c, r, d->stages[i].date, &st->dates[i]) ? 1 : 2;
    }
    buf *why = &st->why;
    buf_reset(why);
    if (cur < 0) reason(why, "not one of the listed stages");

    /* Each date is compared with the latest date of the stages before it. */
    for (size_t i = 0, latest = SIZE_MAX, k = 0; i < d->n; i++) {
        if (st->status[i] != 1) continue;
        if (latest == SIZE_MAX || !before(&st->dates[i], &st->dates[latest])) {
            latest = i;
            continue;
        }
        if (k++ == 0)
            reason(why, "dates go backwards: ");
        else
            buf_adds(why, ", ");
        buf_printf(why, "%s is dated before %s", d->stages[i].name, d->stages[latest].name);
    }
    for (size_t i = 0; i < d->n; i++)
        if (st->status[i] == 2) {
            reason(why, "cannot parse the ");
            buf_printf(why, "%s date (%s)", d->stages[i].name, r->fields[d->stages[i].date]);
        }
    if (cur >= 0 && d->require_current && st->status[cur] == 0) {
        reason(why, "the current stage's date (");
        buf_printf(why, "%s) is empty", r->fields[d->stages[cur].date]);
    }
    if (cur >= 0 && d->forbid_future) {
        size_t nlater = 0;
        for (size_t i = (size_t)cur + 1; i < d->n; i++) nlater += st->status[i] != 0;
        for (size_t i = (size_t)cur + 1, k = 0; i < d->n; i++) {
            if (st->status[i] == 0) continue;
            if (k++ == 0)
                reason(why,
                       nlater == 1 ? "a later stage has a date: " : "later stages have dates: ");
            else
                buf_adds(why, ", ");
            buf_adds(why, d->stages[i].name);
        }
    }
    if (why->len == 0) return;
    if (why->oom) {
        ck_out_of_memory(c);
        return;
    }
    ck_emit(c, r, d->state, "{field} {value}: {detail}", "%s", why->p);
}

const rule_type rule_stage_dates = {
    .name = "stage_dates",
    .summary = "one date column per stage: dates in stage order, the current stage dated, no "
               "later stage dated",
    .parse = stage_dates_parse,
    .free_impl = stage_dates_free,
    .state_new = stage_dates_state_new,
    .state_free = stage_dates_state_free,
    .check = stage_dates_check,
};

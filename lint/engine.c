/*
 * engine.c - runs a pack over files and builds the result (see engine.h).
 *
 * For each object (pack order) the engine reads its files as one table, in
 * command-line order.  Column names the rules read are collected once per
 * object into "slots"; per file each slot is bound to a header index, and
 * per record each slot's value is trimmed and null-checked once, however
 * many rules read it.  Rules see values only through ck_value/ck_date.
 *
 * Findings are collected, then sorted into report order; thresholds,
 * gating, counts and the exit code are decided at the end, when every
 * rule's totals are known.
 */
#define _GNU_SOURCE /* FNM_CASEFOLD */
#include "engine.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"
#include "buf.h"
#include "cond.h"
#include "gate.h"
#include "limits.h"
#include "keymap.h"
#include "lookup.h"
#include "pipeline.h"
#include "reader.h"
#include "rule.h"
#include "text.h"
#include "xalloc.h"

/* The structural rules, always present (SPEC §2), in result order. */
enum {
    S_DUPLICATE_HEADER,
    S_FIELD_TOO_LARGE,
    S_INVALID_ENCODING,
    S_MISSING_COLUMN,
    S_RAGGED_ROW,
    S_UNTERMINATED_QUOTE,
    S__COUNT
};

static const struct {
    const char *id;
    const char *description;
} structural[S__COUNT] = {
    {"csv/duplicate-header", "A header cell appears twice; the first occurrence binds."},
    {"csv/field-too-large",
     "A field is larger than CRMLINT_MAX_FIELD_BYTES; the record is skipped and reading resumes "
     "at the next line."},
    {"csv/invalid-encoding",
     "A record holds bytes that are invalid in the object's encoding (shown as U+FFFD)."},
    {"csv/missing-column",
     "A column the pack needs is missing from the header; rules reading it are skipped."},
    {"csv/ragged-row", "A record has a different number of fields than the header."},
    {"csv/unterminated-quote", "A quoted field is still open at the end of the file."},
};

const char *engine_structural_rule(size_t i, const char **description)
{
    if (i >= S__COUNT) return NULL;
    if (description) *description = structural[i].description;
    return structural[i].id;
}

/* A column the object's rules (or rules and lookups of other objects) read:
 * either a header column, or NAME.COLUMN reached through a lookup. */
typedef struct slot {
    const char *name;
    bool is_date;
    int col;            /* header column: index in the current file, -1 missing */
    int lookup;         /* -1, or index into the object's lookups */
    int lookup_col;     /* the column's index in that lookup's table */
    bool needed;        /* read by a rule or lookup: missing is a finding */
} slot;

typedef struct rule_run {
    const rule *r;
    void *state;
    int *slot_of;       /* rule field index -> slot */
    int **dep_slot_of;  /* per dependency: field index -> slot of that object */
    uint32_t result_index;
    int worker;         /* the check context (thread) that runs it */
    bool selected;
    bool skip_all;      /* skipped for the whole run (reason in result) */
    bool skip_file;     /* a column it reads is missing in the current file */
    bool ran;           /* it ran on at least one file */
    char *skip_reason;  /* why it did not run on some file */
} rule_run;

/* A lookup of this object: the table is filled while its target is scanned. */
typedef struct lookup_run {
    const lookup_def *def;
    int target;         /* object index */
    int key_slot;       /* this object's slot for def->field */
    const char **columns; /* target columns read through the lookup */
    size_t ncolumns;
    int target_key_slot;  /* slots in the target object */
    int *target_col_slot;
    lookup_table *table;
} lookup_run;

/* A rule of some object that collects this object's records. */
typedef struct collector {
    rule_run *rr;
    int dep;
    bool skip_file;     /* a column it reads is missing in the current file */
} collector;

typedef struct obj_run {
    const pack_object *o;
    slot *slots;
    size_t nslots;
    int key_slot;       /* -1: no key */
    slice *nulls;       /* the object's null_values, measured once */
    size_t nnulls;
    int *report_slots;  /* the object's report_columns */
    rule_run *rules;
    size_t nrules;
    lookup_run *lookups;  /* this object's lookups that some rule uses */
    size_t nlookups;
    lookup_run **provides; /* other objects' lookups that target this one */
    size_t nprovides;
    collector *collectors;
    size_t ncollectors;
    bool bound;         /* some file is bound to it */
} obj_run;

typedef struct findings {
    finding *v;
    size_t n, cap;
} findings;

typedef struct engine {
    const pack *p;
    const lint_options *opt;
    result *res;
    obj_run *objs;
    int *file_object;   /* per result file: object index or -1 */
    findings found;     /* merged from the check contexts after each object */
    atomic_size_t kept; /* findings kept in memory, all threads */
    uint64_t bytes_total, bytes_done, records_total;
    int workers;        /* checking threads besides the reader; 0: check inline */
    bool oom;
} engine;

struct check_ctx {
    engine *e;
    obj_run *obj;
    int worker;         /* runs the rules with rule_run.worker == worker */
    rule_run *cur;
    int cur_dep;        /* in collect: the dependency being collected */
    findings found;     /* this context's findings (merged by the engine) */
    bool oom;
    const record *rec;
    value *vals;        /* per slot */
    dt_value *dates;    /* per slot, valid when dstate == 1 */
    uint8_t *dstate;    /* 0 unknown, 1 parsed, 2 unparseable */
    uint32_t file;
    uint64_t line;
    buf scratch;
    buf msg;
};

/* ---- helpers for rule types --------------------------------------------- */

const value *ck_value(check_ctx *c, const rule *r, int i)
{
    (void)r;
    return &c->vals[c->cur->slot_of[i]];
}

const value *ck_dep_value(check_ctx *c, const rule *r, int dep, int i)
{
    (void)r;
    return &c->vals[c->cur->dep_slot_of[dep][i]];
}

ck_site ck_here(check_ctx *c, const rule *r, int i)
{
    ck_site site = {c->file, c->line, {NULL, 0}, {NULL, 0}};
    if (c->obj->key_slot >= 0 && !c->vals[c->obj->key_slot].empty)
        site.record = c->vals[c->obj->key_slot].s;
    if (i >= 0) {
        const value *v = ck_value(c, r, i);
        if (!v->empty) site.value = v->raw;
    }
    return site;
}

void ck_stat(check_ctx *c, const rule *r, const char *name, double figure)
{
    (void)r;
    result_rule *rr = &c->e->res->rules[c->cur->result_index];
    result_stat *v = xrealloc(rr->stats, (rr->nstats + 1) * sizeof *v);
    if (v == NULL) {
        c->oom = true;
        return;
    }
    rr->stats = v;
    rr->stats[rr->nstats++] = (result_stat){name, figure};
}

bool ck_date(check_ctx *c, const rule *r, int i, dt_value *out)
{
    (void)r;
    int s = c->cur->slot_of[i];
    if (c->dstate[s] == 0) {
        const value *v = &c->vals[s];
        const dt_parser *dp = c->e->p->dates;
        bool ok = !v->empty && (c->obj->slots[s].is_date ? dt_parse_date(dp, v->s.p, v->s.n, &c->dates[s])
                                                          : dt_parse(dp, v->s.p, v->s.n, &c->dates[s]));
        c->dstate[s] = ok ? 1 : 2;
    }
    if (c->dstate[s] != 1) return false;
    *out = c->dates[s];
    return true;
}

bool ck_column_is_date(check_ctx *c, const rule *r, int i)
{
    (void)r;
    return c->obj->slots[c->cur->slot_of[i]].is_date;
}

const dt_parser *ck_dates(check_ctx *c) { return c->e->p->dates; }
int64_t ck_as_of_us(check_ctx *c) { return c->e->res->as_of_us; }
const tz_zone *ck_zone(check_ctx *c) { return c->e->p->settings.zone; }
buf *ck_scratch(check_ctx *c) { return &c->scratch; }
void ck_out_of_memory(check_ctx *c) { c->oom = true; }
bool ck_redacting(check_ctx *c) { return c->e->opt->redact; }

void ck_checked(check_ctx *c, const rule *r)
{
    (void)r;
    c->e->res->rules[c->cur->result_index].checked++;
}

/* A value as it may appear in a report: at most CRMLINT_MAX_VALUE_IN_REPORT
 * bytes, cut on a UTF-8 character boundary and marked with an ellipsis. */
static void add_clipped(buf *b, slice s, bool nul_to_fffd)
{
    size_t n = s.n;
    bool cut = n > CRMLINT_MAX_VALUE_IN_REPORT;
    if (cut) {
        n = CRMLINT_MAX_VALUE_IN_REPORT;
        while (n > 0 && ((unsigned char)s.p[n] & 0xC0) == 0x80) n--;
    }
    if (!nul_to_fffd) {
        buf_add(b, s.p, n);
    } else {
        /* Messages are NUL-terminated text: a NUL byte shows as U+FFFD. */
        size_t start = 0;
        for (size_t i = 0; i < n; i++)
            if (s.p[i] == '\0') {
                buf_add(b, s.p + start, i - start);
                buf_adds(b, "\xEF\xBF\xBD");
                start = i + 1;
            }
        buf_add(b, s.p + start, n - start);
    }
    if (cut) buf_adds(b, "\xE2\x80\xA6");
}

static char *clip_copy(slice s, size_t *len)
{
    buf b = BUF_INIT;
    add_clipped(&b, s, false);
    if (b.oom) {
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.len ? buf_steal(&b) : (buf_free(&b), xstrndup("", 0));
}

static void render_message(check_ctx *c, const rule *r, int i, const char *tmpl,
                           const char *detail, const ck_site *site)
{
    buf *m = &c->msg;
    buf_reset(m);
    for (const char *s = tmpl; *s;) {
        const char *open = strchr(s, '{');
        if (open == NULL) {
            buf_adds(m, s);
            break;
        }
        buf_add(m, s, (size_t)(open - s));
        const char *close = strchr(open, '}');
        if (close == NULL) {
            buf_adds(m, open);
            break;
        }
        size_t len = (size_t)(close - open - 1);
        const char *name = open + 1;
#define IS(k) (len == sizeof(k) - 1 && memcmp(name, k, len) == 0)
        if (IS("field")) {
            buf_adds(m, i >= 0 ? r->fields[i] : "");
        } else if (IS("value")) {
            if (c->e->opt->redact)
                buf_adds(m, "[redacted]");
            else if (site->value.p)
                add_clipped(m, text_trim(site->value), true);
        } else if (IS("record")) {
            if (site->record.p) add_clipped(m, site->record, true);
        } else if (IS("rule")) {
            buf_adds(m, r->id);
        } else if (IS("object")) {
            buf_adds(m, c->e->p->objects[r->object].name);
        } else if (IS("line")) {
            buf_printf(m, "%llu", (unsigned long long)site->line);
        } else if (IS("detail")) {
            buf_adds(m, detail);
        } else {
            buf_add(m, open, len + 2);
        }
#undef IS
        s = close + 1;
    }
}

static finding *new_finding(check_ctx *c, uint32_t rule_index)
{
    engine *e = c->e;
    e->res->rules[rule_index].findings++;
    if (atomic_fetch_add(&e->kept, 1) >= CRMLINT_MAX_FINDINGS_KEPT) return NULL; /* counted only */
    findings *fs = &c->found;
    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 1024;
        finding *v = xrealloc(fs->v, cap * sizeof *v);
        if (v == NULL) {
            c->oom = true;
            return NULL;
        }
        fs->v = v;
        fs->cap = cap;
    }
    finding *f = &fs->v[fs->n++];
    memset(f, 0, sizeof *f);
    f->rule = rule_index;
    f->column_pos = -1;
    return f;
}

static char *current_key(check_ctx *c)
{
    if (c->obj->key_slot < 0 || c->vals == NULL) return NULL;
    const value *k = &c->vals[c->obj->key_slot];
    if (k->empty) return NULL;
    size_t len;
    return clip_copy(k->s, &len);
}

/* The current record's report_columns, for people who fix records. */
static char **current_extras(check_ctx *c)
{
    const obj_run *or = c->obj;
    size_t n = or->o->nreport_columns;
    if (n == 0 || c->e->opt->redact) return NULL;
    char **v = xcalloc(n, sizeof *v);
    if (v == NULL) {
        c->oom = true;
        return NULL;
    }
    size_t len;
    for (size_t i = 0; i < n; i++) {
        const value *x = &c->vals[or->report_slots[i]];
        if (!x->empty && (v[i] = clip_copy(x->s, &len)) == NULL) c->oom = true;
    }
    return v;
}

static void emit_va(check_ctx *c, const rule *r, int i, const ck_site *at, const ck_site *related,
                    const char *tmpl, const char *detail_fmt, va_list ap)
{
    engine *e = c->e;
    finding *f = new_finding(c, c->cur->result_index);
    if (f == NULL) return;
    if (c->rec && at->file == c->file && at->line == c->line) f->extras = current_extras(c);
    size_t len;
    f->file = at->file;
    f->line = at->line;
    f->column_pos = i;
    f->column = i >= 0 ? r->fields[i] : NULL;
    if (at->record.p && (f->record = clip_copy(at->record, &len)) == NULL) c->oom = true;
    if (at->value.p && !e->opt->redact && (f->value = clip_copy(at->value, &f->value_len)) == NULL)
        c->oom = true;
    if (related) {
        f->related = xcalloc(1, sizeof *f->related);
        if (f->related == NULL) {
            c->oom = true;
        } else {
            f->nrelated = 1;
            f->related->file = related->file;
            f->related->line = related->line;
            if (related->record.p &&
                (f->related->record = clip_copy(related->record, &len)) == NULL)
                c->oom = true;
        }
    }
    char detail[1024];
    vsnprintf(detail, sizeof detail, detail_fmt, ap);
    render_message(c, r, i, r->message ? r->message : tmpl, detail, at);
    f->message = c->msg.oom ? NULL : xstrndup(c->msg.p ? c->msg.p : "", c->msg.len);
    if (f->message == NULL) c->oom = true;
}

void ck_emit(check_ctx *c, const rule *r, int i, const char *tmpl, const char *detail_fmt, ...)
{
    ck_site here = ck_here(c, r, i);
    va_list ap;
    va_start(ap, detail_fmt);
    emit_va(c, r, i, &here, NULL, tmpl, detail_fmt, ap);
    va_end(ap);
}

void ck_emit_site(check_ctx *c, const rule *r, int i, const ck_site *at, const ck_site *related,
                  const char *tmpl, const char *detail_fmt, ...)
{
    ck_site here;
    if (at == NULL) {
        here = ck_here(c, r, i);
        at = &here;
    }
    va_list ap;
    va_start(ap, detail_fmt);
    emit_va(c, r, i, at, related, tmpl, detail_fmt, ap);
    va_end(ap);
}

/* A structural finding (no rule object): message already formatted. */
static void emit_structural(check_ctx *c, int which, uint64_t line, const char *column, bool keyed,
                            const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void emit_structural(check_ctx *c, int which, uint64_t line, const char *column, bool keyed,
                            const char *fmt, ...)
{
    engine *e = c->e;
    uint32_t ri = (uint32_t)(e->res->nrules - S__COUNT + (size_t)which);
    if (e->res->rules[ri].skipped) return; /* deselected: stored as "not selected" */
    finding *f = new_finding(c, ri);
    if (f == NULL) return;
    f->file = c->file;
    f->line = line;
    f->column = column;
    f->record = keyed ? current_key(c) : NULL;
    buf m = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&m, fmt, ap);
    va_end(ap);
    f->message = m.oom ? NULL : buf_steal(&m);
    if (f->message == NULL) c->oom = true;
    buf_free(&m);
}

/* ---- selection ---------------------------------------------------------- */

static bool id_in_list(const char *id, const char *list)
{
    for (const char *s = list; *s;) {
        const char *end = strchr(s, ',');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        while (n && (*s == ' ')) s++, n--;
        while (n && s[n - 1] == ' ') n--;
        if (n > 0) {
            if (s[n - 1] == '*') {
                if (strncmp(id, s, n - 1) == 0) return true;
            } else if (strlen(id) == n && strncmp(id, s, n) == 0) {
                return true;
            }
        }
        if (end == NULL) break;
        s = end + 1;
    }
    return false;
}

static bool selected(const lint_options *o, const char *id)
{
    if (o->select && !id_in_list(id, o->select)) return false;
    if (o->ignore && id_in_list(id, o->ignore)) return false;
    return true;
}

/* Every entry of --select/--ignore must name some rule: a typo would
 * otherwise silently run nothing. */
static bool check_id_list(engine *e, const char *list, const char *flag, char *err, size_t errlen)
{
    if (list == NULL) return true;
    if (strspn(list, " ,") == strlen(list)) {
        /* An empty selection would run nothing and pass: a gate switched off. */
        snprintf(err, errlen, "%s needs at least one rule id (see crmlint rules)", flag);
        return false;
    }
    char *copy = xstrdup(list);
    if (copy == NULL) return false;
    bool ok = true;
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok && ok;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ') tok++;
        bool found = false;
        for (size_t i = 0; i < e->res->nrules && !found; i++)
            found = id_in_list(e->res->rules[i].id, tok);
        if (!found && *tok) {
            snprintf(err, errlen, "%s: no rule of pack %s matches '%s' (see crmlint rules)", flag,
                     e->p->path, tok);
            ok = false;
        }
    }
    xfree(copy);
    return ok;
}

/* ---- binding ------------------------------------------------------------ */

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static bool ends_with_ci(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

int engine_bind_file(const pack *p, const char *path)
{
    const char *base = base_name(path);
    size_t n = strlen(base);
    if (ends_with_ci(base, n, ".gz")) n -= 3;
    char *name = xstrndup(base, n);
    if (name == NULL) return -1;
    int found = -1;
    for (size_t i = 0; i < p->nobjects && found < 0; i++)
        for (size_t j = 0; j < p->objects[i].nfiles; j++)
            if (fnmatch(p->objects[i].files[j], name, FNM_CASEFOLD) == 0) {
                found = (int)i;
                break;
            }
    xfree(name);
    return found;
}

static char delimiter_for(const pack_object *o, const char *path)
{
    if (o->delimiter) return o->delimiter;
    const char *base = base_name(path);
    size_t n = strlen(base);
    if (ends_with_ci(base, n, ".gz")) n -= 3;
    return ends_with_ci(base, n, ".tsv") ? '\t' : ',';
}

/* ---- setting up ----------------------------------------------------------- */

/* The lookup of `or` named by the prefix of NAME.COLUMN, or -1. */
static int lookup_def_of(const pack_object *o, const char *name, const char **column)
{
    const char *dot = strchr(name, '.');
    if (dot == NULL) return -1;
    for (size_t i = 0; i < o->nlookups; i++)
        if (strlen(o->lookups[i].name) == (size_t)(dot - name) &&
            strncmp(o->lookups[i].name, name, (size_t)(dot - name)) == 0) {
            *column = dot + 1;
            return (int)i;
        }
    return -1;
}

static int slot_for(engine *e, obj_run *or, const char *name);

/* The slot of NAME.COLUMN: registers the column with the lookup's table. */
static int lookup_slot(engine *e, obj_run *or, int def, const char *column, const char *name)
{
    const lookup_def *d = &or->o->lookups[def];
    int li = -1;
    for (size_t i = 0; i < or->nlookups; i++)
        if (or->lookups[i].def == d) li = (int)i;
    if (li < 0) {
        int key = slot_for(e, or, d->field); /* before taking pointers into lookups */
        if (key < 0) return -1;
        lookup_run *v = xrealloc(or->lookups, (or->nlookups + 1) * sizeof *v);
        if (v == NULL) return -1;
        or->lookups = v;
        li = (int)or->nlookups++;
        memset(&v[li], 0, sizeof v[li]);
        v[li].def = d;
        v[li].target = pack_object_index(e->p, d->to);
        v[li].key_slot = key;
    }
    lookup_run *l = &or->lookups[li];
    int col = -1;
    for (size_t i = 0; i < l->ncolumns; i++)
        if (strcmp(l->columns[i], column) == 0) col = (int)i;
    if (col < 0) {
        const char **v = xrealloc(l->columns, (l->ncolumns + 1) * sizeof *v);
        if (v == NULL) return -1;
        l->columns = v;
        v[l->ncolumns] = column;
        col = (int)l->ncolumns++;
    }
    slot *sv = xrealloc(or->slots, (or->nslots + 1) * sizeof *sv);
    if (sv == NULL) return -1;
    or->slots = sv;
    sv[or->nslots] = (slot){name, pack_column_is_date(&e->p->objects[l->target], column), -1, li, col,
                            true};
    return (int)or->nslots++;
}

/* The slot for a column name a rule of `or` reads (created on first use). */
static int slot_for(engine *e, obj_run *or, const char *name)
{
    for (size_t i = 0; i < or->nslots; i++)
        if (strcmp(or->slots[i].name, name) == 0) {
            or->slots[i].needed = true;
            return (int)i;
        }
    const char *column;
    int def = lookup_def_of(or->o, name, &column);
    if (def >= 0) return lookup_slot(e, or, def, column, name);
    slot *v = xrealloc(or->slots, (or->nslots + 1) * sizeof *v);
    if (v == NULL) return -1;
    or->slots = v;
    v[or->nslots] = (slot){name, pack_column_is_date(or->o, name), -1, -1, -1, true};
    return (int)or->nslots++;
}

/* Report columns only decorate findings: missing ones are no finding. */
static bool setup_report_columns(engine *e, obj_run *or)
{
    if (or->o->nreport_columns == 0) return true;
    or->report_slots = xcalloc(or->o->nreport_columns, sizeof *or->report_slots);
    if (or->report_slots == NULL) return false;
    for (size_t i = 0; i < or->o->nreport_columns; i++) {
        const char *name = or->o->report_columns[i];
        int s = -1;
        for (size_t k = 0; k < or->nslots && s < 0; k++)
            if (strcmp(or->slots[k].name, name) == 0) s = (int)k;
        if (s < 0) {
            if ((s = slot_for(e, or, name)) < 0) return false;
            or->slots[s].needed = false;
        }
        or->report_slots[i] = s;
    }
    return true;
}

static void fill_result_rule(result_rule *out, const rule *r, const pack_object *o)
{
    out->id = r->id;
    out->type = r->type->name;
    out->sev = r->sev;
    out->object = o->name;
    out->description = r->description;
    out->tags = (const char *const *)r->tags;
    out->ntags = r->ntags;
    out->has_max_count = r->has_max_count;
    out->max_count = r->max_count;
    out->has_max_ratio = r->has_max_ratio;
    out->max_ratio = r->max_ratio;
    out->ratio_num = r->ratio_num;
    out->ratio_den = r->ratio_den;
}

/* Dependencies of a selected rule: slots in the other object, and a
 * collector there so it sees that object's records. */
static bool setup_deps(engine *e, rule_run *rr)
{
    const rule *r = rr->r;
    if (r->ndeps == 0) return true;
    rr->dep_slot_of = xcalloc(r->ndeps, sizeof *rr->dep_slot_of);
    if (rr->dep_slot_of == NULL) return false;
    for (size_t d = 0; d < r->ndeps; d++) {
        obj_run *target = &e->objs[r->deps[d].object_index];
        rr->dep_slot_of[d] = xcalloc(r->deps[d].nfields + 1, sizeof **rr->dep_slot_of);
        if (rr->dep_slot_of[d] == NULL) return false;
        for (size_t k = 0; k < r->deps[d].nfields; k++)
            if ((rr->dep_slot_of[d][k] = slot_for(e, target, r->deps[d].fields[k])) < 0)
                return false;
        collector *v = xrealloc(target->collectors, (target->ncollectors + 1) * sizeof *v);
        if (v == NULL) return false;
        target->collectors = v;
        v[target->ncollectors++] = (collector){rr, (int)d, false};
    }
    return true;
}

/* Lookup tables: created once every object's lookups are known, each filled
 * while its target object is scanned. */
static bool setup_lookups(engine *e)
{
    for (size_t oi = 0; oi < e->p->nobjects; oi++) {
        obj_run *or = &e->objs[oi];
        for (size_t li = 0; li < or->nlookups; li++) {
            lookup_run *l = &or->lookups[li];
            obj_run *t = &e->objs[l->target];
            const char *key = l->def->to_field ? l->def->to_field : t->o->key;
            if ((l->target_key_slot = slot_for(e, t, key)) < 0) return false;
            l->target_col_slot = xcalloc(l->ncolumns + 1, sizeof *l->target_col_slot);
            if (l->target_col_slot == NULL) return false;
            for (size_t k = 0; k < l->ncolumns; k++)
                if ((l->target_col_slot[k] = slot_for(e, t, l->columns[k])) < 0) return false;
            if ((l->table = lookup_table_new(l->ncolumns)) == NULL) return false;
            lookup_run **v = xrealloc(t->provides, (t->nprovides + 1) * sizeof *v);
            if (v == NULL) return false;
            t->provides = v;
            v[t->nprovides++] = l;
        }
    }
    return true;
}

static bool setup_rules(engine *e)
{
    size_t total = 0;
    for (size_t i = 0; i < e->p->nobjects; i++) total += e->p->objects[i].nrules;
    result *res = e->res;
    res->rules = xcalloc(total + S__COUNT, sizeof *res->rules);
    e->objs = xcalloc(e->p->nobjects ? e->p->nobjects : 1, sizeof *e->objs);
    if (res->rules == NULL || e->objs == NULL) return false;
    for (size_t oi = 0; oi < e->p->nobjects; oi++) {
        obj_run *or = &e->objs[oi];
        or->o = &e->p->objects[oi];
        or->key_slot = -1;
        or->nnulls = or->o->nnull_values;
        or->nulls = xcalloc(or->nnulls + 1, sizeof *or->nulls);
        if (or->nulls == NULL) return false;
        for (size_t k = 0; k < or->nnulls; k++)
            or->nulls[k] = slice_of(or->o->null_values[k], strlen(or->o->null_values[k]));
        or->rules = xcalloc(or->o->nrules ? or->o->nrules : 1, sizeof *or->rules);
        if (or->rules == NULL) return false;
        or->nrules = or->o->nrules;
    }
    for (size_t oi = 0; oi < e->p->nobjects; oi++) {
        obj_run *or = &e->objs[oi];
        const pack_object *o = or->o;
        if (o->key && (or->key_slot = slot_for(e, or, o->key)) < 0) return false;
        for (size_t ri = 0; ri < o->nrules; ri++) {
            const rule *r = o->rules[ri];
            rule_run *rr = &or->rules[ri];
            rr->r = r;
            rr->result_index = (uint32_t)res->nrules;
            fill_result_rule(&res->rules[res->nrules++], r, o);
            rr->selected = selected(e->opt, r->id);
            /* Only selected rules need columns: an ignored rule must not
             * make a file report csv/missing-column. */
            if (!rr->selected) continue;
            rr->slot_of = xcalloc(r->nfields ? r->nfields : 1, sizeof *rr->slot_of);
            if (rr->slot_of == NULL) return false;
            for (size_t fi = 0; fi < r->nfields; fi++)
                if ((rr->slot_of[fi] = slot_for(e, or, r->fields[fi])) < 0) return false;
            if (!setup_deps(e, rr)) return false;
        }
    }
    if (!setup_lookups(e)) return false;
    for (size_t oi = 0; oi < e->p->nobjects; oi++)
        if (!setup_report_columns(e, &e->objs[oi])) return false;
    for (int s = 0; s < S__COUNT; s++) {
        result_rule *out = &res->rules[res->nrules++];
        out->id = structural[s].id;
        out->type = "csv";
        out->sev = SEV_ERROR;
        out->description = structural[s].description;
    }
    return true;
}

/* Why a selected rule cannot run at all: its object, a dependency it needs
 * or a lookup it reads has no file.  NULL when it can run. */
static char *skip_reason(engine *e, const obj_run *or, const rule_run *rr)
{
    buf why = BUF_INIT;
    if (!or->bound) {
        buf_printf(&why, "no file bound to %s", or->o->name);
    } else {
        const rule *r = rr->r;
        for (size_t d = 0; d < r->ndeps && why.len == 0; d++)
            if (r->deps[d].needs_file && !e->objs[r->deps[d].object_index].bound)
                buf_printf(&why, "no file bound to %s", r->deps[d].object);
        for (size_t fi = 0; fi < r->nfields && why.len == 0; fi++) {
            const slot *sl = &or->slots[rr->slot_of[fi]];
            if (sl->lookup < 0) continue;
            const lookup_run *l = &or->lookups[sl->lookup];
            if (!e->objs[l->target].bound)
                buf_printf(&why, "no file bound to %s (lookup %s)", l->def->to, l->def->name);
        }
    }
    if (why.len == 0 || why.oom) {
        buf_free(&why);
        return NULL;
    }
    return buf_steal(&why);
}

/* After binding: decide which rules cannot run, and start the others. */
static bool start_rules(engine *e)
{
    for (size_t oi = 0; oi < e->p->nobjects; oi++) {
        obj_run *or = &e->objs[oi];
        for (size_t ri = 0; ri < or->nrules; ri++) {
            rule_run *rr = &or->rules[ri];
            if (!rr->selected) continue;
            char *why = skip_reason(e, or, rr);
            if (why) {
                rr->skip_all = true;
                e->res->rules[rr->result_index].skipped = why;
                continue;
            }
            if (rr->r->type->state_new && (rr->state = rr->r->type->state_new(rr->r)) == NULL)
                return false;
        }
    }
    return true;
}

/* Unselected pack rules leave the result.  Structural rules keep their place
 * at the end; a deselected one is marked "not selected" so nothing is
 * emitted for it, and drop_placeholders removes it after the run. */
static bool drop_unselected(engine *e)
{
    result *res = e->res;
    size_t w = 0;
    for (size_t oi = 0; oi < e->p->nobjects; oi++)
        for (size_t ri = 0; ri < e->objs[oi].nrules; ri++) {
            rule_run *rr = &e->objs[oi].rules[ri];
            if (!rr->selected) continue;
            res->rules[w] = res->rules[rr->result_index];
            rr->result_index = (uint32_t)w++;
        }
    for (size_t s = 0; s < S__COUNT; s++) {
        result_rule rr = res->rules[res->nrules - S__COUNT + s];
        if (!selected(e->opt, rr.id) && (rr.skipped = xstrdup("not selected")) == NULL)
            return false;
        res->rules[w + s] = rr;
    }
    res->nrules = w + S__COUNT;
    return true;
}

/* ---- reading one file --------------------------------------------------- */

static int header_index(const record *h, const slice *cells, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < h->nfields; i++)
        if (cells[i].n == n && memcmp(cells[i].p, name, n) == 0) return (int)i;
    return -1;
}

static void bind_header(check_ctx *c, const record *h)
{
    obj_run *or = c->obj;
    slice *cells = xcalloc(h->nfields ? h->nfields : 1, sizeof *cells);
    if (cells == NULL) {
        c->oom = true;
        return;
    }
    for (size_t i = 0; i < h->nfields; i++) cells[i] = text_trim(h->fields[i]);
    /* Repeated cells, in linear time: wide exports have thousands of columns. */
    keymap *seen = keymap_new();
    for (size_t i = 0; seen && i < h->nfields; i++) {
        uint32_t first;
        int st = keymap_put(seen, cells[i], (uint32_t)i, &first);
        if (st < 0) {
            c->oom = true;
            break;
        }
        if (st == 1)
            emit_structural(c, S_DUPLICATE_HEADER, h->line, NULL, false,
                            "header cell %zu '%.*s' repeats cell %u; the first one is used", i + 1,
                            text_shown_len(cells[i], 200), cells[i].p, first + 1);
    }
    if (seen == NULL) c->oom = true;
    keymap_free(seen);
    for (size_t s = 0; s < or->nslots; s++) {
        slot *sl = &or->slots[s];
        if (sl->lookup >= 0) continue; /* reached through another object */
        sl->col = header_index(h, cells, sl->name);
        const column_aliases *al = NULL;
        for (size_t k = 0; k < or->o->ncolumns; k++)
            if (strcmp(or->o->columns[k].name, sl->name) == 0) al = &or->o->columns[k];
        for (size_t k = 0; al && sl->col < 0 && k < al->naliases; k++)
            sl->col = header_index(h, cells, al->aliases[k]);
        if (sl->col >= 0 || !sl->needed) continue;
        buf also = BUF_INIT;
        for (size_t k = 0; al && k < al->naliases; k++)
            buf_printf(&also, "%s'%s'", k ? ", " : " (nor its aliases ", al->aliases[k]);
        if (also.len) buf_adds(&also, ")");
        emit_structural(c, S_MISSING_COLUMN, h->line, sl->name, false,
                        "column '%s'%s is missing from the header%s", sl->name,
                        also.p ? also.p : "",
                        (int)s == or->key_slot ? "; findings have no record key" : "");
        buf_free(&also);
    }
    xfree(cells);
    /* Rules reading a missing column are skipped for this file. */
    for (size_t ri = 0; ri < or->nrules; ri++) {
        rule_run *rr = &or->rules[ri];
        rr->skip_file = false;
        if (!rr->selected || rr->skip_all) continue;
        for (size_t fi = 0; fi < rr->r->nfields && !rr->skip_file; fi++) {
            const slot *sl = &or->slots[rr->slot_of[fi]];
            if (sl->col >= 0 || sl->lookup >= 0) continue;
            rr->skip_file = true;
            if (rr->skip_reason == NULL) {
                buf why = BUF_INIT;
                buf_printf(&why, "column %s missing from %s", sl->name,
                           c->e->res->files[c->file].path);
                rr->skip_reason = why.oom ? NULL : buf_steal(&why);
                buf_free(&why);
            }
        }
        if (!rr->skip_file) rr->ran = true;
    }
    for (size_t k = 0; k < or->ncollectors; k++) {
        collector *col = &or->collectors[k];
        const rule_dep *d = &col->rr->r->deps[col->dep];
        col->skip_file = false;
        for (size_t fi = 0; fi < d->nfields; fi++)
            col->skip_file |= or->slots[col->rr->dep_slot_of[col->dep][fi]].col < 0;
    }
}

static void set_value(value *v, slice raw, const obj_run *o, bool maybe_invalid)
{
    v->raw = raw;
    v->s = text_trim(raw);
    v->empty = v->s.n == 0;
    for (size_t k = 0; !v->empty && k < o->nnulls; k++)
        v->empty = slice_eq(v->s, o->nulls[k]);
    v->utf8_valid = !maybe_invalid || text_utf8_valid(raw.p, raw.n);
}

static void load_values(check_ctx *c, const record *rec)
{
    obj_run *or = c->obj;
    static const value missing = {{"", 0}, {"", 0}, true, true};
    for (size_t s = 0; s < or->nslots; s++) {
        const slot *sl = &or->slots[s];
        c->dstate[s] = 0;
        if (sl->lookup >= 0) continue;
        if (sl->col < 0 || (size_t)sl->col >= rec->nfields)
            c->vals[s] = missing;
        else
            set_value(&c->vals[s], rec->fields[sl->col], or,
                      (rec->flags & REC_INVALID_ENCODING) != 0);
    }
    /* NAME.COLUMN: the target record whose key equals this record's field,
     * with the target's null_values; no such record leaves it empty. */
    for (size_t s = 0; s < or->nslots; s++) {
        const slot *sl = &or->slots[s];
        if (sl->lookup < 0) continue;
        const lookup_run *l = &or->lookups[sl->lookup];
        const value *key = &c->vals[l->key_slot];
        slice raw;
        if (key->empty || !lookup_table_get(l->table, key->s, (size_t)sl->lookup_col, &raw))
            c->vals[s] = missing;
        else
            set_value(&c->vals[s], raw, &c->e->objs[l->target], true);
    }
}

/* Other objects' lookups and cross-object rules read this record. */
static void feed_dependents(check_ctx *c)
{
    obj_run *or = c->obj;
    /* Lookup tables are filled by the first context only: one writer. */
    for (size_t k = 0; c->worker == 0 && k < or->nprovides; k++) {
        lookup_run *l = or->provides[k];
        const value *key = &c->vals[l->target_key_slot];
        if (key->empty) continue;
        slice cols[64], *v = l->ncolumns <= 64 ? cols : xcalloc(l->ncolumns, sizeof *v);
        if (v == NULL) {
            c->oom = true;
            return;
        }
        for (size_t i = 0; i < l->ncolumns; i++) v[i] = c->vals[l->target_col_slot[i]].raw;
        if (!lookup_table_add(l->table, key->s, v)) c->oom = true;
        if (v != cols) xfree(v);
    }
    for (size_t k = 0; k < or->ncollectors; k++) {
        collector *col = &or->collectors[k];
        if (col->rr->skip_all || col->skip_file || col->rr->worker != c->worker) continue;
        c->cur = col->rr;
        c->cur_dep = col->dep;
        col->rr->r->type->collect(c, col->rr->r, col->rr->state, col->dep);
    }
    c->cur = NULL;
}

static void run_rules(check_ctx *c)
{
    obj_run *or = c->obj;
    for (size_t ri = 0; ri < or->nrules; ri++) {
        rule_run *rr = &or->rules[ri];
        if (!rr->selected || rr->skip_all || rr->skip_file || rr->worker != c->worker) continue;
        c->cur = rr;
        if (rr->r->when && !cond_eval(rr->r->when, c, rr->r)) continue;
        rr->r->type->check(c, rr->r, rr->state);
    }
    c->cur = NULL;
}

/* Everything one context does with a well-formed record: its values, its
 * share of lookups and collectors, its rules.  Runs on a pipeline worker
 * thread, or inline when there is none. */
static void check_record(check_ctx *c, const record *rec, uint32_t file)
{
    /* After a failed allocation this context's rule states may be half
     * updated; the run ends with an error, so check nothing more. */
    if (c->oom) return;
    c->file = file;
    c->line = rec->line;
    c->rec = rec;
    load_values(c, rec);
    if (c->worker == 0 && (rec->flags & REC_INVALID_ENCODING))
        emit_structural(c, S_INVALID_ENCODING, rec->line, NULL, true,
                        "record holds bytes invalid in %s (shown as U+FFFD)",
                        encoding_name(c->obj->o->enc));
    feed_dependents(c);
    run_rules(c);
    c->rec = NULL;
}

static void check_record_fn(void *ctx, const record *rec, uint32_t file)
{
    check_record(ctx, rec, file);
}

static void report_progress(engine *e, const reader *rd, bool final)
{
    if (e->opt->progress == NULL) return;
    e->opt->progress(e->opt->progress_ctx, e->bytes_done + (rd ? reader_bytes_in(rd) : 0),
                     e->bytes_total, e->records_total, final);
}

/* Reads one file on this thread: header binding and structural rules here;
 * records go to the pipeline's workers, or to `c` itself without threads. */
static bool lint_file(engine *e, check_ctx *c, pipeline *pl, uint32_t fi, char *err,
                      size_t errlen)
{
    result_file *rf = &e->res->files[fi];
    const pack_object *o = c->obj->o;
    reader_opts ro = {delimiter_for(o, rf->path), o->enc};
    reader *rd = reader_open(rf->path, &ro, err, errlen);
    if (rd == NULL) return false;
    c->file = fi;
    record rec;
    int got = reader_next(rd, &rec, err, errlen);
    size_t nheader = 0;
    if (got > 0) {
        c->line = rec.line;
        nheader = rec.nfields;
        /* A broken header row is reported like any broken record; the rules
         * then have no columns to read, so every data record is judged
         * against what could be read of it. */
        if (rec.flags & REC_UNTERMINATED_QUOTE)
            emit_structural(c, S_UNTERMINATED_QUOTE, rec.quote_line ? rec.quote_line : rec.line,
                            NULL, false,
                            "a quoted field opened in the header is never closed (the rest of "
                            "the file, to line %llu, is inside it)",
                            (unsigned long long)rec.end_line);
        if (rec.flags & REC_FIELD_TOO_LARGE)
            emit_structural(c, S_FIELD_TOO_LARGE, rec.line, NULL, false,
                            "a header cell is larger than %u bytes (CRMLINT_MAX_FIELD_BYTES)",
                            CRMLINT_MAX_FIELD_BYTES);
        if (rec.flags & REC_TOO_MANY_FIELDS)
            emit_structural(c, S_RAGGED_ROW, rec.line, NULL, false,
                            "the header has more than %d columns (CRMLINT_MAX_COLUMNS); columns "
                            "past the limit are not read",
                            CRMLINT_MAX_COLUMNS);
        if (rec.flags & REC_INVALID_ENCODING)
            emit_structural(c, S_INVALID_ENCODING, rec.line, NULL, false,
                            "header holds bytes invalid in %s (shown as U+FFFD)",
                            encoding_name(o->enc));
        bind_header(c, &rec);
        got = reader_next(rd, &rec, err, errlen);
    } else if (got == 0 && e->opt->warn) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s: empty file (no header row); nothing to check", rf->path);
        e->opt->warn(e->opt->warn_ctx, msg);
    }
    for (; got > 0 && !c->oom; got = reader_next(rd, &rec, err, errlen)) {
        rf->records++;
        c->line = rec.line;
        c->rec = &rec;
        if ((++e->records_total & 0xFFFF) == 0) report_progress(e, rd, false);
        if (rec.flags & REC_UNTERMINATED_QUOTE) {
            emit_structural(c, S_UNTERMINATED_QUOTE, rec.quote_line ? rec.quote_line : rec.line,
                            NULL, false,
                            "a quoted field opened in this record is never closed (the rest of "
                            "the file, to line %llu, is inside it)",
                            (unsigned long long)rec.end_line);
            continue;
        }
        if (rec.flags & REC_FIELD_TOO_LARGE) {
            emit_structural(c, S_FIELD_TOO_LARGE, rec.line, NULL, false,
                            "a field is larger than %u bytes (CRMLINT_MAX_FIELD_BYTES); record "
                            "skipped, reading resumes at line %llu",
                            CRMLINT_MAX_FIELD_BYTES, (unsigned long long)rec.end_line + 1);
            continue;
        }
        if (rec.nfields != nheader || (rec.flags & REC_TOO_MANY_FIELDS)) {
            emit_structural(c, S_RAGGED_ROW, rec.line, NULL, false,
                            "record has %zu field%s, the header has %zu", rec.nfields,
                            rec.nfields == 1 ? "" : "s", nheader);
            continue;
        }
        if (pl == NULL)
            check_record(c, &rec, fi);
        else if (!pipeline_add(pl, &rec, fi))
            c->oom = true;
    }
    c->rec = NULL;
    /* The next file binds its own header: the workers must be done with this one. */
    if (pl) pipeline_drain(pl);
    report_progress(e, rd, false);
    e->bytes_done += reader_bytes_in(rd);
    reader_close(rd);
    if (got < 0) return false;
    if (c->oom) {
        snprintf(err, errlen, "%s: out of memory", rf->path);
        return false;
    }
    return true;
}

static bool ctx_init(check_ctx *c, engine *e, obj_run *or, int worker)
{
    *c = (check_ctx){.e = e, .obj = or, .worker = worker};
    c->vals = xcalloc(or->nslots + 1, sizeof *c->vals);
    c->dates = xcalloc(or->nslots + 1, sizeof *c->dates);
    c->dstate = xcalloc(or->nslots + 1, 1);
    return c->vals && c->dates && c->dstate;
}

/* Hands the context's findings to the engine and frees the rest. */
static void ctx_finish(check_ctx *c, engine *e)
{
    if (c->found.n && !e->oom) {
        findings *all = &e->found;
        if (all->n + c->found.n > all->cap) {
            size_t cap = all->n + c->found.n;
            finding *v = xrealloc(all->v, cap * sizeof *v);
            if (v == NULL) {
                e->oom = true;
            } else {
                all->v = v;
                all->cap = cap;
            }
        }
        if (!e->oom) {
            memcpy(all->v + all->n, c->found.v, c->found.n * sizeof *c->found.v);
            all->n += c->found.n;
            c->found.n = 0;
        }
    }
    for (size_t i = 0; i < c->found.n; i++) result_finding_free(e->res, &c->found.v[i]);
    xfree(c->found.v);
    e->oom |= c->oom;
    xfree(c->vals);
    xfree(c->dates);
    xfree(c->dstate);
    buf_free(&c->scratch);
    buf_free(&c->msg);
}

/* Scans one object's files.  With workers, the reader runs here and each
 * worker thread runs a share of the rules (round-robin, so the costly ones
 * spread); `main` keeps the structural findings. */
static bool lint_object(engine *e, size_t oi, char *err, size_t errlen)
{
    obj_run *or = &e->objs[oi];
    bool threads = e->workers > 0;
    int nctx = threads ? e->workers : 1;
    check_ctx main_ctx, *ctxs = xcalloc((size_t)nctx, sizeof *ctxs);
    void **ctx_ptrs = xcalloc((size_t)nctx, sizeof *ctx_ptrs);
    pipeline *pl = NULL;
    bool ok = false;
    int inited = 0;
    if (!ctx_init(&main_ctx, e, or, threads ? -1 : 0) || ctxs == NULL || ctx_ptrs == NULL)
        goto oom;
    int next = 0;
    for (size_t ri = 0; ri < or->nrules; ri++)
        if (or->rules[ri].selected && !or->rules[ri].skip_all)
            or->rules[ri].worker = threads ? next++ % nctx : 0;
    if (threads) {
        for (; inited < nctx; inited++) {
            if (!ctx_init(&ctxs[inited], e, or, inited)) {
                inited++;
                goto oom;
            }
            ctx_ptrs[inited] = &ctxs[inited];
        }
        /* No threads to be had: check on this thread after all. */
        if ((pl = pipeline_new(nctx, check_record_fn, ctx_ptrs)) == NULL)
            for (size_t ri = 0; ri < or->nrules; ri++) or->rules[ri].worker = 0;
        if (pl == NULL) main_ctx.worker = 0;
    }
    for (size_t fi = 0; fi < e->res->nfiles; fi++)
        if (e->file_object[fi] == (int)oi && !lint_file(e, &main_ctx, pl, (uint32_t)fi, err, errlen))
            goto done;
    pipeline_free(pl);
    pl = NULL;
    for (size_t ri = 0; ri < or->nrules; ri++) {
        rule_run *rr = &or->rules[ri];
        if (!rr->selected || rr->skip_all || !rr->ran || rr->r->type->finish == NULL) continue;
        check_ctx *c = main_ctx.worker == 0 ? &main_ctx : &ctxs[rr->worker];
        if (c->oom) continue; /* its state may be half updated; the run fails */
        c->cur = rr;
        rr->r->type->finish(c, rr->r, rr->state);
        c->cur = NULL;
    }
    ok = true;
    goto done;
oom:
    snprintf(err, errlen, "out of memory while checking object %s", or->o->name);
done:
    pipeline_free(pl);
    bool oom = main_ctx.oom;
    for (int i = 0; i < inited; i++) {
        if (ctxs[i].oom) oom = true;
        ctx_finish(&ctxs[i], e);
    }
    ctx_finish(&main_ctx, e);
    if (ok && (oom || e->oom)) {
        /* Also a rule's finish (stats, group findings) running out of memory. */
        snprintf(err, errlen, "out of memory while checking object %s", or->o->name);
        ok = false;
    }
    xfree(ctxs);
    xfree(ctx_ptrs);
    return ok;
}

/* ---- finishing ---------------------------------------------------------- */



/* Deselected structural rules ran as "not selected" placeholders; they and
 * their (never emitted) slots leave the result now. */
static void drop_placeholders(result *res)
{
    size_t w = 0;
    uint32_t *map = xcalloc(res->nrules ? res->nrules : 1, sizeof *map);
    if (map == NULL) return; /* they stay listed as "not selected": harmless */
    for (size_t i = 0; i < res->nrules; i++) {
        if (res->rules[i].skipped && strcmp(res->rules[i].skipped, "not selected") == 0) {
            xfree(res->rules[i].skipped);
            continue;
        }
        map[i] = (uint32_t)w;
        res->rules[w++] = res->rules[i];
    }
    for (size_t i = 0; i < res->nfindings; i++) res->findings[i].rule = map[res->findings[i].rule];
    res->nrules = w;
    xfree(map);
}

static void free_engine(engine *e)
{
    if (e->objs) {
        for (size_t oi = 0; oi < e->p->nobjects; oi++) {
            obj_run *or = &e->objs[oi];
            for (size_t ri = 0; ri < or->nrules; ri++) {
                rule_run *rr = &or->rules[ri];
                if (rr->state && rr->r->type->state_free) rr->r->type->state_free(rr->state);
                xfree(rr->slot_of);
                for (size_t d = 0; rr->dep_slot_of && d < rr->r->ndeps; d++)
                    xfree(rr->dep_slot_of[d]);
                xfree(rr->dep_slot_of);
                xfree(rr->skip_reason);
            }
            for (size_t li = 0; li < or->nlookups; li++) {
                xfree(or->lookups[li].columns);
                xfree(or->lookups[li].target_col_slot);
                lookup_table_free(or->lookups[li].table);
            }
            xfree(or->lookups);
            xfree(or->provides);
            xfree(or->collectors);
            xfree(or->rules);
            xfree(or->slots);
            xfree(or->report_slots);
            xfree(or->nulls);
        }
        xfree(e->objs);
    }
    for (size_t i = 0; i < e->found.n; i++) result_finding_free(e->res, &e->found.v[i]);
    xfree(e->found.v);
    xfree(e->file_object);
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* " (globs: Lead*.csv Account*.csv ...)" for messages about unbound files. */
static void add_globs(buf *b, const pack *p)
{
    buf_adds(b, " (globs:");
    for (size_t k = 0; k < p->nobjects; k++)
        for (size_t g = 0; g < p->objects[k].nfiles; g++) buf_printf(b, " %s", p->objects[k].files[g]);
    buf_adds(b, ")");
}

static bool bind_files(engine *e, char *err, size_t errlen)
{
    const lint_options *o = e->opt;
    result *res = e->res;
    res->files = xcalloc(o->nfiles ? o->nfiles : 1, sizeof *res->files);
    e->file_object = xcalloc(o->nfiles ? o->nfiles : 1, sizeof *e->file_object);
    if (res->files == NULL || e->file_object == NULL) goto oom;
    bool any = false;
    for (size_t i = 0; i < o->nfiles; i++) {
        const file_binding *b = &o->files[i];
        result_file *rf = &res->files[res->nfiles++];
        if ((rf->path = xstrdup(b->path)) == NULL) goto oom;
        int oi;
        if (b->object) {
            oi = pack_object_index(e->p, b->object);
            if (oi < 0) {
                buf names = BUF_INIT;
                for (size_t k = 0; k < e->p->nobjects; k++)
                    buf_printf(&names, "%s%s", k ? ", " : "", e->p->objects[k].name);
                snprintf(err, errlen, "--object %s=%s: pack %s has no object '%s' (objects: %s)",
                         b->object, b->path, e->p->path, b->object, names.p ? names.p : "none");
                buf_free(&names);
                return false;
            }
        } else {
            oi = engine_bind_file(e->p, b->path);
        }
        e->file_object[i] = oi;
        if (oi < 0) continue;
        rf->object = e->p->objects[oi].name;
        rf->report_columns = (const char *const *)e->p->objects[oi].report_columns;
        rf->nreport_columns = e->p->objects[oi].nreport_columns;
        any = true;
        if (strcmp(b->path, "-") != 0) {
            struct stat st;
            if (stat(b->path, &st) != 0) {
                snprintf(err, errlen, "%s: %s", b->path, strerror(errno));
                return false;
            }
            if (S_ISDIR(st.st_mode)) {
                snprintf(err, errlen, "%s: is a directory", b->path);
                return false;
            }
            e->bytes_total += (uint64_t)st.st_size;
        }
    }
    buf msg = BUF_INIT;
    if (!any) {
        /* One line says it all: which files, which globs. */
        buf_printf(&msg, "no input file binds to an object of pack %s", e->p->path);
        if (o->nfiles == 0) buf_adds(&msg, " (no files given)");
        for (size_t i = 0; i < o->nfiles && i < 5; i++)
            buf_printf(&msg, "%s%s", i ? ", " : ": ", o->files[i].path);
        if (o->nfiles > 5) buf_printf(&msg, " and %zu more", o->nfiles - 5);
        if (o->nfiles) {
            add_globs(&msg, e->p);
            buf_adds(&msg, "; name files to match, or use --object NAME=FILE");
        }
        snprintf(err, errlen, "%s", msg.oom ? "no input file binds to an object" : msg.p);
        buf_free(&msg);
        return false;
    }
    for (size_t i = 0; i < o->nfiles && o->warn; i++) {
        if (e->file_object[i] >= 0) continue;
        buf_reset(&msg);
        buf_printf(&msg, "%s: matches no object of pack %s", o->files[i].path, e->p->name);
        add_globs(&msg, e->p);
        buf_adds(&msg, "; not linted");
        if (!msg.oom) o->warn(o->warn_ctx, msg.p);
    }
    buf_free(&msg);
    return true;
oom:
    snprintf(err, errlen, "out of memory");
    return false;
}

result *engine_run(const pack *p, const lint_options *o, char *err, size_t errlen)
{
    engine e = {.p = p, .opt = o};
    baseline *base = NULL;
    result *res = e.res = xcalloc(1, sizeof *res);
    if (res == NULL) goto oom;
    res->tool_version = CRMLINT_VERSION;
    res->fail_on = o->fail_on;
    res->redact = o->redact;
    res->as_of_us = o->has_as_of ? o->as_of_us : p->settings.has_as_of ? p->settings.as_of_us : now_us();
    if ((res->pack_name = xstrdup(p->name)) == NULL) goto oom;
    /* --jobs counts the reader: 2 jobs = the reader and one checking thread. */
    int jobs = o->jobs > 0 ? o->jobs : pipeline_cores();
    e.workers = jobs > 1 ? jobs - 1 : 0;
    if (o->pack_spec && (res->pack_spec = xstrdup(o->pack_spec)) == NULL) goto oom;
    if (!setup_rules(&e)) goto oom;
    if (!check_id_list(&e, o->select, "--select", err, errlen) ||
        !check_id_list(&e, o->ignore, "--ignore", err, errlen))
        goto fail;
    if (!drop_unselected(&e)) goto oom;
    if (!bind_files(&e, err, errlen)) goto fail;
    /* A bad baseline fails before a long scan, not after. */
    if (o->baseline) {
        base = baseline_load(o->baseline, err, errlen);
        if (base == NULL) goto fail;
        if (baseline_omitted(base) > 0 && o->warn) {
            char msg[512];
            snprintf(msg, sizeof msg,
                     "%s: the baseline lists only some of its findings (%llu were omitted by "
                     "--max-findings); those cannot be matched",
                     o->baseline, (unsigned long long)baseline_omitted(base));
            o->warn(o->warn_ctx, msg);
        }
    }

    for (size_t fi = 0; fi < res->nfiles; fi++)
        if (e.file_object[fi] >= 0) e.objs[e.file_object[fi]].bound = true;
    if (!start_rules(&e)) goto oom;
    for (size_t k = 0; k < p->nobjects; k++) {
        obj_run *or = &e.objs[p->order[k]];
        if (!or->bound) continue;
        if (!lint_object(&e, (size_t)p->order[k], err, errlen)) goto fail;
        for (size_t ri = 0; ri < or->nrules; ri++) {
            rule_run *rr = &or->rules[ri];
            if (rr->selected && !rr->skip_all && !rr->ran && rr->skip_reason) {
                res->rules[rr->result_index].skipped = rr->skip_reason;
                rr->skip_reason = NULL;
            }
        }
    }
    report_progress(&e, NULL, true);
    for (size_t i = 0; i < res->nfiles; i++) res->summary.records += res->files[i].records;
    /* Structural rules look at every record read. */
    for (size_t i = res->nrules - S__COUNT; i < res->nrules; i++)
        res->rules[i].checked = res->summary.records;
    res->findings = e.found.v;
    res->nfindings = e.found.n;
    e.found = (findings){NULL, 0, 0};
    gate_opts go = {o->fail_on, o->has_max_findings, o->max_findings};
    bool decided = gate_decide(res, &go, base);
    baseline_free(base);
    base = NULL;
    if (!decided) goto oom;
    drop_placeholders(res);
    free_engine(&e);
    return res;
oom:
    snprintf(err, errlen, "out of memory");
fail:
    baseline_free(base);
    free_engine(&e);
    result_free(res);
    return NULL;
}

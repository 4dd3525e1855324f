/*
 * engine.c - runs a pack over files and builds the result (see engine.h).
 *
 * For each object (pack order) the engine reads its files as one table, in
 * command-line order.  Column names the rules read are collected once per
 * object into "slots"; per file each slot is bound to a header index, and
 * per record each slot's value is trimmed and null-checked once, however
 * many rules read it.  Rules see values only through ck_value/ck_date.
 *
 * Threads (--jobs above 1): each file is cut into chunks at record
 * boundaries (splitter.h) that a job pool (jobpool.h) checks in two phases.
 * Check contexts have roles: ROLE_ROW contexts, one per worker, parse a
 * chunk and run the structural checks and row-local rules; ROLE_ORDERED
 * contexts, one per lane, run the rules that remember records over each
 * chunk's kept records in file order; the main context (ROLE_ALL) reads
 * headers, files that cannot be cut, and everything with --jobs 1.  Each
 * context keeps its own findings, counters and string arena, merged when the
 * object is done, so nothing is shared while records are checked except rule
 * states, each touched by one lane only.
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

#include "arena.h"
#include "baseline.h"
#include "buf.h"
#include "cond.h"
#include "gate.h"
#include "limits.h"
#include "keymap.h"
#include "lookup.h"
#include "jobpool.h"
#include "reader.h"
#include "regex.h"
#include "rule.h"
#include "splitter.h"
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
    int lookup;     /* -1, or index into the object's lookups */
    int lookup_col; /* the column's index in that lookup's table */
    bool needed;    /* read by a rule or lookup: missing is a finding */
} slot;

typedef struct rule_run {
    const rule *r;
    void *state;
    int *slot_of;      /* rule field index -> slot */
    int **dep_slot_of; /* per dependency: field index -> slot of that object */
    uint32_t result_index;
    int lane;       /* while its records' object is scanned with a job pool: the
                       ordered lane that runs it (and its collectors) */
    bool row_local; /* looks at one record at a time (rule_type.row_local) and
                   reads no other object: may run on any thread */
    bool selected;
    bool skip_all;     /* skipped for the whole run (reason in result) */
    bool ran;          /* it ran on at least one file */
    char *skip_reason; /* why it did not run on some file */
} rule_run;

/* A lookup of this object: the table is filled while its target is scanned. */
typedef struct lookup_run {
    const lookup_def *def;
    int target;           /* object index */
    int key_slot;         /* this object's slot for def->field */
    const char **columns; /* target columns read through the lookup */
    size_t ncolumns;
    int target_key_slot; /* slots in the target object */
    int *target_col_slot;
    lookup_table *table;
} lookup_run;

/* A rule of some object that collects this object's records. */
typedef struct collector {
    rule_run *rr;
    int dep;
} collector;

/* How one file's header binds its object's slots and what it rules out. */
typedef struct binding {
    int *col;             /* per slot: header column, -1 missing (lookup slots: unused) */
    bool *rule_skip;      /* per rule of the object: a column it reads is missing */
    bool *collector_skip; /* per collector: likewise */
    size_t nheader;       /* header fields: records with another count are ragged */
} binding;

typedef struct obj_run {
    const pack_object *o;
    slot *slots;
    size_t nslots;
    int key_slot; /* -1: no key */
    slice *nulls; /* the object's null_values, measured once */
    size_t nnulls;
    int *report_slots; /* the object's report_columns */
    rule_run *rules;
    size_t nrules;
    lookup_run *lookups; /* this object's lookups that some rule uses */
    size_t nlookups;
    lookup_run **provides; /* other objects' lookups that target this one */
    size_t nprovides;
    collector *collectors;
    size_t ncollectors;
    bool bound;       /* some file is bound to it */
    bool has_ordered; /* some work must see records in file order: a rule that is
                         not row-local, a collector, a lookup others read */
} obj_run;

typedef struct findings {
    finding *v;
    size_t n, cap;
} findings;

/* A check context's findings, in blocks: no slack to speak of, and merging
 * them into the engine's one array frees each block as it is copied. */
#define FINDINGS_PER_BLOCK 2048
typedef struct finding_block {
    struct finding_block *next;
    size_t n;
    finding v[FINDINGS_PER_BLOCK];
} finding_block;

typedef struct engine {
    const pack *p;
    const lint_options *opt;
    result *res;
    obj_run *objs;
    int *file_object;   /* per result file: object index or -1 */
    findings found;     /* merged from the check contexts after each object */
    atomic_size_t kept; /* findings kept in memory, all threads */
    uint64_t bytes_total, bytes_done;
    atomic_uint_fast64_t records_total;
    int workers; /* threads parsing and checking chunks; 0: read sequentially */
    bool oom;
} engine;

/* What a check context does with a record. */
enum {
    ROLE_ROW = 1,     /* structural checks and row-local rules */
    ROLE_ORDERED = 2, /* lookups, collectors and rules that need file order */
    ROLE_ALL = ROLE_ROW | ROLE_ORDERED
};

struct chunk_set;

struct check_ctx {
    engine *e;
    obj_run *obj;
    int role;           /* ROLE_* */
    int lane;           /* ROLE_ORDERED with a job pool: the lane whose rules, collectors
                           (and, for lane 0, lookup tables) it runs; -1: all */
    slice *kept_fields; /* a lane's view of a chunk's kept records */
    size_t kept_cap;
    const binding *bind;      /* the current file's */
    struct chunk_set *chunks; /* with a job pool: the pool's job slots */
    rule_run *cur;
    int cur_dep;                       /* in collect: the dependency being collected */
    finding_block *found, *found_tail; /* this context's findings (merged by the engine) */
    size_t nkept;                      /* findings in those blocks */
    arena *strings;                    /* their strings (moved into the result's arena) */
    buf clip;                          /* scratch for clip_copy */
    bool oom;
    const record *rec;
    value *vals;     /* per slot */
    dt_value *dates; /* per slot, valid when dstate == 1 */
    uint8_t *dstate; /* 0 unknown, 1 parsed, 2 unparseable */
    uint32_t file;
    uint64_t line;
    buf scratch;
    buf msg;
    regex_space *rx; /* created on first use */
    uint32_t *load;  /* the slots this role reads, header columns first */
    size_t nload;
    uint64_t *checked; /* per result rule: records looked at (merged at the end) */
    uint64_t *nfound;  /* per result rule: findings, kept or not */
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

regex_space *ck_regex_space(check_ctx *c)
{
    if (c->rx == NULL) c->rx = regex_space_new();
    return c->rx;
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
        bool ok =
            !v->empty && (c->obj->slots[s].is_date ? dt_parse_date(dp, v->s.p, v->s.n, &c->dates[s])
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

const dt_parser *ck_dates(check_ctx *c)
{
    return c->e->p->dates;
}
int64_t ck_as_of_us(check_ctx *c)
{
    return c->e->res->as_of_us;
}
const tz_zone *ck_zone(check_ctx *c)
{
    return c->e->p->settings.zone;
}
buf *ck_scratch(check_ctx *c)
{
    return &c->scratch;
}
void ck_out_of_memory(check_ctx *c)
{
    c->oom = true;
}
bool ck_redacting(check_ctx *c)
{
    return c->e->opt->redact;
}

void ck_checked(check_ctx *c, const rule *r)
{
    (void)r;
    c->checked[c->cur->result_index]++;
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

/* A clipped copy of s in the context's string arena; NULL (and the
 * context out of memory) when it cannot be had. */
static char *clip_copy(check_ctx *c, slice s, size_t *len)
{
    buf *b = &c->clip;
    buf_reset(b);
    add_clipped(b, s, false);
    char *copy = b->oom ? NULL : arena_strndup(c->strings, b->p ? b->p : "", b->len);
    if (copy == NULL) c->oom = true;
    *len = b->len;
    return copy;
}

static void render_message(check_ctx *c, const rule *r, int i, const char *tmpl, const char *detail,
                           const ck_site *site)
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
    c->nfound[rule_index]++;
    if (atomic_fetch_add(&e->kept, 1) >= CRMLINT_MAX_FINDINGS_KEPT) return NULL; /* counted only */
    finding_block *b = c->found_tail;
    if (b == NULL || b->n == FINDINGS_PER_BLOCK) {
        finding_block *nb = xmalloc(sizeof *nb);
        if (nb == NULL) {
            c->oom = true;
            return NULL;
        }
        nb->next = NULL;
        nb->n = 0;
        if (b)
            b->next = nb;
        else
            c->found = nb;
        c->found_tail = b = nb;
    }
    c->nkept++;
    finding *f = &b->v[b->n++];
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
    return clip_copy(c, k->s, &len);
}

/* The current record's report_columns, for people who fix records. */
static char **current_extras(check_ctx *c)
{
    const obj_run * or = c->obj;
    size_t n = or->o->nreport_columns;
    if (n == 0 || c->e->opt->redact) return NULL;
    char **v = arena_calloc(c->strings, n * sizeof *v);
    if (v == NULL) {
        c->oom = true;
        return NULL;
    }
    size_t len;
    for (size_t i = 0; i < n; i++) {
        const value *x = &c->vals[or->report_slots[i]];
        if (!x->empty) v[i] = clip_copy(c, x->s, &len);
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
    if (at->record.p) f->record = clip_copy(c, at->record, &len);
    if (at->value.p && !e->opt->redact) f->value = clip_copy(c, at->value, &f->value_len);
    if (related) {
        f->related = arena_calloc(c->strings, sizeof *f->related);
        if (f->related == NULL) {
            c->oom = true;
        } else {
            f->nrelated = 1;
            f->related->file = related->file;
            f->related->line = related->line;
            if (related->record.p) f->related->record = clip_copy(c, related->record, &len);
        }
    }
    char detail[1024];
    vsnprintf(detail, sizeof detail, detail_fmt, ap);
    render_message(c, r, i, r->message ? r->message : tmpl, detail, at);
    f->message =
        c->msg.oom ? NULL : arena_strndup(c->strings, c->msg.p ? c->msg.p : "", c->msg.len);
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
    buf *m = &c->msg;
    buf_reset(m);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(m, fmt, ap);
    va_end(ap);
    f->message = m->oom ? NULL : arena_strndup(c->strings, m->p ? m->p : "", m->len);
    if (f->message == NULL) c->oom = true;
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

static int slot_for(engine *e, obj_run * or, const char *name);

/* The slot of NAME.COLUMN: registers the column with the lookup's table. */
static int lookup_slot(engine *e, obj_run * or, int def, const char *column, const char *name)
{
    const lookup_def *d = & or->o->lookups[def];
    int li = -1;
    for (size_t i = 0; i < or->nlookups; i++)
        if (or->lookups[i].def == d) li = (int)i;
    if (li < 0) {
        int key = slot_for(e, or, d->field); /* before taking pointers into lookups */
        if (key < 0) return -1;
        lookup_run *v = xrealloc(or->lookups, (or->nlookups + 1) * sizeof *v);
        if (v == NULL) return -1;
        or->lookups = v;
        li = (int) or->nlookups++;
        memset(&v[li], 0, sizeof v[li]);
        v[li].def = d;
        v[li].target = pack_object_index(e->p, d->to);
        v[li].key_slot = key;
    }
    lookup_run *l = & or->lookups[li];
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
    sv[or->nslots] =
        (slot){name, pack_column_is_date(&e->p->objects[l->target], column), li, col, true};
    return (int) or->nslots++;
}

/* The slot for a column name a rule of `or` reads (created on first use). */
static int slot_for(engine *e, obj_run * or, const char *name)
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
    v[or->nslots] = (slot){name, pack_column_is_date(or->o, name), -1, -1, true};
    return (int) or->nslots++;
}

/* Report columns only decorate findings: missing ones are no finding. */
static bool setup_report_columns(engine *e, obj_run * or)
{
    if (or->o->nreport_columns == 0) return true;
    or->report_slots = xcalloc(or->o->nreport_columns, sizeof * or->report_slots);
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
        v[target->ncollectors++] = (collector){rr, (int)d};
    }
    return true;
}

/* Lookup tables: created once every object's lookups are known, each filled
 * while its target object is scanned. */
static bool setup_lookups(engine *e)
{
    for (size_t oi = 0; oi < e->p->nobjects; oi++) {
        obj_run * or = &e->objs[oi];
        for (size_t li = 0; li < or->nlookups; li++) {
            lookup_run *l = & or->lookups[li];
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
        obj_run * or = &e->objs[oi];
        or->o = &e->p->objects[oi];
        or->key_slot = -1;
        or->nnulls = or->o->nnull_values;
        or->nulls = xcalloc(or->nnulls + 1, sizeof * or->nulls);
        if (or->nulls == NULL) return false;
        for (size_t k = 0; k < or->nnulls; k++)
            or->nulls[k] = slice_of(or->o->null_values[k], strlen(or->o->null_values[k]));
        or->rules = xcalloc(or->o->nrules ? or->o->nrules : 1, sizeof * or->rules);
        if (or->rules == NULL) return false;
        or->nrules = or->o->nrules;
    }
    for (size_t oi = 0; oi < e->p->nobjects; oi++) {
        obj_run * or = &e->objs[oi];
        const pack_object *o = or->o;
        if (o->key && (or->key_slot = slot_for(e, or, o->key)) < 0) return false;
        for (size_t ri = 0; ri < o->nrules; ri++) {
            const rule *r = o->rules[ri];
            rule_run *rr = & or->rules[ri];
            rr->r = r;
            rr->result_index = (uint32_t)res->nrules;
            fill_result_rule(&res->rules[res->nrules++], r, o);
            rr->selected = selected(e->opt, r->id);
            rr->row_local = r->type->row_local && r->ndeps == 0;
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
static char *skip_reason(engine *e, const obj_run * or, const rule_run *rr)
{
    buf why = BUF_INIT;
    if (! or->bound) {
        buf_printf(&why, "no file bound to %s", or->o->name);
    } else {
        const rule *r = rr->r;
        for (size_t d = 0; d < r->ndeps && why.len == 0; d++)
            if (r->deps[d].needs_file && !e->objs[r->deps[d].object_index].bound)
                buf_printf(&why, "no file bound to %s", r->deps[d].object);
        for (size_t fi = 0; fi < r->nfields && why.len == 0; fi++) {
            const slot *sl = & or->slots[rr->slot_of[fi]];
            if (sl->lookup < 0) continue;
            const lookup_run *l = & or->lookups[sl->lookup];
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
        obj_run * or = &e->objs[oi];
        for (size_t ri = 0; ri < or->nrules; ri++) {
            rule_run *rr = & or->rules[ri];
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

static void binding_free(binding *b)
{
    if (b == NULL) return;
    xfree(b->col);
    xfree(b->rule_skip);
    xfree(b->collector_skip);
    xfree(b);
}

static binding *binding_new(const obj_run * or)
{
    binding *b = xcalloc(1, sizeof *b);
    if (b == NULL) return NULL;
    b->col = xcalloc(or->nslots + 1, sizeof *b->col);
    b->rule_skip = xcalloc(or->nrules + 1, sizeof *b->rule_skip);
    b->collector_skip = xcalloc(or->ncollectors + 1, sizeof *b->collector_skip);
    if (b->col == NULL || b->rule_skip == NULL || b->collector_skip == NULL) {
        binding_free(b);
        return NULL;
    }
    for (size_t s = 0; s < or->nslots; s++) b->col[s] = -1;
    return b;
}

/* Binds the slots to the header's columns (into b, the file's binding),
 * reporting duplicate and missing columns, and decides which rules this
 * file rules out. */
static void bind_header(check_ctx *c, const record *h, binding *b)
{
    obj_run * or = c->obj;
    b->nheader = h->nfields;
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
        const slot *sl = & or->slots[s];
        if (sl->lookup >= 0) continue; /* reached through another object */
        int *col = &b->col[s];
        *col = header_index(h, cells, sl->name);
        const column_aliases *al = NULL;
        for (size_t k = 0; k < or->o->ncolumns; k++)
            if (strcmp(or->o->columns[k].name, sl->name) == 0) al = & or->o->columns[k];
        for (size_t k = 0; al && *col < 0 && k < al->naliases; k++)
            *col = header_index(h, cells, al->aliases[k]);
        if (*col >= 0 || !sl->needed) continue;
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
        rule_run *rr = & or->rules[ri];
        bool *skip = &b->rule_skip[ri];
        if (!rr->selected || rr->skip_all) continue;
        for (size_t fi = 0; fi < rr->r->nfields && !*skip; fi++) {
            const slot *sl = & or->slots[rr->slot_of[fi]];
            if (b->col[rr->slot_of[fi]] >= 0 || sl->lookup >= 0) continue;
            *skip = true;
            if (rr->skip_reason == NULL) {
                buf why = BUF_INIT;
                buf_printf(&why, "column %s missing from %s", sl->name,
                           c->e->res->files[c->file].path);
                rr->skip_reason = why.oom ? NULL : buf_steal(&why);
                buf_free(&why);
            }
        }
        if (!*skip) rr->ran = true;
    }
    for (size_t k = 0; k < or->ncollectors; k++) {
        const collector *col = & or->collectors[k];
        const rule_dep *d = &col->rr->r->deps[col->dep];
        for (size_t fi = 0; fi < d->nfields; fi++)
            b->collector_skip[k] |= b->col[col->rr->dep_slot_of[col->dep][fi]] < 0;
    }
}

static void set_value(value *v, slice raw, const obj_run *o, bool maybe_invalid)
{
    v->raw = raw;
    v->s = text_trim(raw);
    v->empty = v->s.n == 0;
    for (size_t k = 0; !v->empty && k < o->nnulls; k++) v->empty = slice_eq(v->s, o->nulls[k]);
    v->utf8_valid = !maybe_invalid || text_utf8_valid(raw.p, raw.n);
}

/* Loads the slots the context's role reads: header columns first, then
 * lookups, which read the header column holding their key. */
static void load_values(check_ctx *c, const record *rec)
{
    obj_run * or = c->obj;
    static const value missing = {{"", 0}, {"", 0}, true, true};
    size_t k = 0;
    for (; k < c->nload && or->slots[c->load[k]].lookup < 0; k++) {
        uint32_t s = c->load[k];
        c->dstate[s] = 0;
        int col = c->bind->col[s];
        if (col < 0 || (size_t)col >= rec->nfields)
            c->vals[s] = missing;
        else
            set_value(&c->vals[s], rec->fields[col], or, (rec->flags & REC_INVALID_ENCODING) != 0);
    }
    /* NAME.COLUMN: the target record whose key equals this record's field,
     * with the target's null_values; no such record leaves it empty. */
    for (; k < c->nload; k++) {
        uint32_t s = c->load[k];
        const slot *sl = & or->slots[s];
        c->dstate[s] = 0;
        const lookup_run *l = & or->lookups[sl->lookup];
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
    obj_run * or = c->obj;
    for (size_t k = 0; c->lane <= 0 && k < or->nprovides; k++) {
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
        collector *col = & or->collectors[k];
        if (col->rr->skip_all || c->bind->collector_skip[k]) continue;
        if (c->lane >= 0 && col->rr->lane != c->lane) continue;
        c->cur = col->rr;
        c->cur_dep = col->dep;
        col->rr->r->type->collect(c, col->rr->r, col->rr->state, col->dep);
    }
    c->cur = NULL;
}

static void run_rules(check_ctx *c)
{
    obj_run * or = c->obj;
    for (size_t ri = 0; ri < or->nrules; ri++) {
        rule_run *rr = & or->rules[ri];
        if (!rr->selected || rr->skip_all || c->bind->rule_skip[ri]) continue;
        if (!(c->role & (rr->row_local ? ROLE_ROW : ROLE_ORDERED))) continue;
        if (!rr->row_local && c->lane >= 0 && rr->lane != c->lane) continue;
        c->cur = rr;
        if (rr->r->when && !cond_eval(rr->r->when, c, rr->r)) continue;
        rr->r->type->check(c, rr->r, rr->state);
    }
    c->cur = NULL;
}

/* Everything a context's role asks of a well-formed record: its values;
 * the encoding check and row-local rules (ROLE_ROW); lookups, collectors and
 * the rules that need file order (ROLE_ORDERED). */
static void check_record(check_ctx *c, const record *rec)
{
    /* After a failed allocation this context's rule states may be half
     * updated; the run ends with an error, so check nothing more. */
    if (c->oom) return;
    c->line = rec->line;
    c->rec = rec;
    load_values(c, rec);
    if ((c->role & ROLE_ROW) && (rec->flags & REC_INVALID_ENCODING))
        emit_structural(c, S_INVALID_ENCODING, rec->line, NULL, true,
                        "record holds bytes invalid in %s (shown as U+FFFD)",
                        encoding_name(c->obj->o->enc));
    if (c->role & ROLE_ORDERED) feed_dependents(c);
    run_rules(c);
    c->rec = NULL;
}

/* A data record no rule can read (an open quote, an oversized field, the
 * wrong number of fields): reported, with ROLE_ROW, and skipped by every
 * role. */
static bool record_broken(check_ctx *c, const record *rec)
{
    bool report = (c->role & ROLE_ROW) != 0;
    c->line = rec->line;
    if (rec->flags & REC_UNTERMINATED_QUOTE) {
        if (report)
            emit_structural(c, S_UNTERMINATED_QUOTE, rec->quote_line ? rec->quote_line : rec->line,
                            NULL, false,
                            "a quoted field opened in this record is never closed (the rest of "
                            "the file, to line %llu, is inside it)",
                            (unsigned long long)rec->end_line);
        return true;
    }
    if (rec->flags & REC_FIELD_TOO_LARGE) {
        if (report)
            emit_structural(c, S_FIELD_TOO_LARGE, rec->line, NULL, false,
                            "a field is larger than %u bytes (CRMLINT_MAX_FIELD_BYTES); record "
                            "skipped, reading resumes at line %llu",
                            CRMLINT_MAX_FIELD_BYTES, (unsigned long long)rec->end_line + 1);
        return true;
    }
    size_t nheader = c->bind->nheader;
    if (rec->nfields != nheader || (rec->flags & REC_TOO_MANY_FIELDS)) {
        if (report)
            emit_structural(c, S_RAGGED_ROW, rec->line, NULL, false,
                            "record has %zu field%s, the header has %zu", rec->nfields,
                            rec->nfields == 1 ? "" : "s", nheader);
        return true;
    }
    return false;
}

static void report_progress(engine *e, uint64_t file_bytes, bool final)
{
    if (e->opt->progress == NULL) return;
    e->opt->progress(e->opt->progress_ctx, e->bytes_done + file_bytes, e->bytes_total,
                     (uint64_t)atomic_load(&e->records_total), final);
}

static void warn_empty(engine *e, uint32_t fi)
{
    if (e->opt->warn == NULL) return;
    char msg[512];
    snprintf(msg, sizeof msg, "%s: empty file (no header row); nothing to check",
             e->res->files[fi].path);
    e->opt->warn(e->opt->warn_ctx, msg);
}

/* The header row: its own defects, then the binding of the file's columns.
 * A broken header row is reported like any broken record; the rules then
 * have no columns to read, so every data record is judged against what
 * could be read of it. */
static void read_header(check_ctx *c, const record *rec, binding *b)
{
    const pack_object *o = c->obj->o;
    c->line = rec->line;
    if (rec->flags & REC_UNTERMINATED_QUOTE)
        emit_structural(c, S_UNTERMINATED_QUOTE, rec->quote_line ? rec->quote_line : rec->line,
                        NULL, false,
                        "a quoted field opened in the header is never closed (the rest of "
                        "the file, to line %llu, is inside it)",
                        (unsigned long long)rec->end_line);
    if (rec->flags & REC_FIELD_TOO_LARGE)
        emit_structural(c, S_FIELD_TOO_LARGE, rec->line, NULL, false,
                        "a header cell is larger than %u bytes (CRMLINT_MAX_FIELD_BYTES)",
                        CRMLINT_MAX_FIELD_BYTES);
    if (rec->flags & REC_TOO_MANY_FIELDS)
        emit_structural(c, S_RAGGED_ROW, rec->line, NULL, false,
                        "the header has more than %d columns (CRMLINT_MAX_COLUMNS); columns "
                        "past the limit are not read",
                        CRMLINT_MAX_COLUMNS);
    if (rec->flags & REC_INVALID_ENCODING)
        emit_structural(c, S_INVALID_ENCODING, rec->line, NULL, false,
                        "header holds bytes invalid in %s (shown as U+FFFD)",
                        encoding_name(o->enc));
    bind_header(c, rec, b);
}

/* Reads rd's records on this thread with c (ROLE_ALL); the first is the
 * header when `header` is set.  Returns reader_next's last result: 0 at the
 * end, -1 on an error (reason in err). */
static int scan_sequential(engine *e, check_ctx *c, reader *rd, uint32_t fi, binding *b,
                           bool header, char *err, size_t errlen)
{
    result_file *rf = &e->res->files[fi];
    record rec;
    c->file = fi;
    c->bind = b;
    int got = reader_next(rd, &rec, err, errlen);
    if (header && got > 0) {
        read_header(c, &rec, b);
        got = reader_next(rd, &rec, err, errlen);
    } else if (header && got == 0) {
        warn_empty(e, fi);
    }
    for (; got > 0 && !c->oom; got = reader_next(rd, &rec, err, errlen)) {
        rf->records++;
        if ((atomic_fetch_add(&e->records_total, 1) & 0xFFFF) == 0xFFFF)
            report_progress(e, reader_bytes_in(rd), false);
        c->rec = &rec;
        if (!record_broken(c, &rec)) check_record(c, &rec);
    }
    c->rec = NULL;
    return got;
}

/* ---- one file on several threads ---------------------------------------- */

/* A job of the pool: a chunk of a file (splitter.h). */
typedef struct chunk {
    buf text;
    uint64_t first_line;
    uint32_t file;
    reader_opts ro;
    bool has_header; /* the file's first chunk: its first record is the header */
    const binding *bind;
    reader *rd;  /* its records, parsed in the first phase (kept for reuse) */
    bool parsed; /* rd holds this chunk's records */
    uint64_t records;
} chunk;

typedef struct chunk_set {
    chunk *v;
    int n;
    jobpool *pool;
} chunk_set;

/* One data record of a chunk, as c's role asks: structural checks, then
 * check_record. */
static void check_chunk_record(check_ctx *c, const record *rec)
{
    c->rec = rec;
    if (!record_broken(c, rec)) check_record(c, rec);
    c->rec = NULL;
}

/* First phase: parses the chunk, checking each record as it comes. */
static void parse_chunk(check_ctx *c, chunk *ch)
{
    record rec;
    int got;
    bool skip = ch->has_header;
    c->file = ch->file;
    c->bind = ch->bind;
    while ((got = reader_next(ch->rd, &rec, NULL, 0)) > 0 && !c->oom) {
        if (skip) {
            skip = false;
            continue;
        }
        ch->records++;
        check_chunk_record(c, &rec);
    }
    if (got < 0) c->oom = true; /* reading from memory fails only for memory */
}

/* First phase, on any worker: parse, structural checks, row-local rules.
 * The slot's reader is reused from chunk to chunk, memory and all. */
static void chunk_parallel(void *ctx, int job)
{
    check_ctx *c = ctx;
    chunk *ch = &c->chunks->v[job];
    const char *path = c->e->res->files[ch->file].path, *text = ch->text.p ? ch->text.p : "";
    bool ready = ch->rd ? reader_set_text(ch->rd, path, &ch->ro, text, ch->text.len, ch->first_line)
                        : (ch->rd = reader_open_text(path, &ch->ro, text, ch->text.len,
                                                     ch->first_line)) != NULL;
    ch->parsed = ready;
    if (!ready)
        c->oom = true;
    else
        parse_chunk(c, ch);
}

/* Second phase, one chunk at a time in file order, in each lane: the
 * chunk's records again for the lane's work that needs order; lane 0 also
 * counts them.  Lanes may read one chunk at once: kept records are
 * read-only. */
static void chunk_ordered(void *ctx, int job)
{
    check_ctx *c = ctx;
    chunk *ch = &c->chunks->v[job];
    if (ch->parsed && c->obj->has_ordered) {
        c->file = ch->file;
        c->bind = ch->bind;
        size_t n = reader_kept(ch->rd);
        for (size_t i = ch->has_header ? 1 : 0; i < n && !c->oom; i++) {
            record rec;
            if (!reader_kept_record(ch->rd, i, &rec, &c->kept_fields, &c->kept_cap))
                c->oom = true;
            else
                check_chunk_record(c, &rec);
        }
    }
    if (c->lane > 0) return;
    c->e->res->files[ch->file].records += ch->records;
    atomic_fetch_add(&c->e->records_total, ch->records);
    ch->records = 0;
}

/* Cuts the file into chunks for the pool; reads the header here first.
 * Where no record boundary can be found, waits for the pool and reads the
 * rest on this thread with c. */
static bool scan_chunked(engine *e, check_ctx *c, chunk_set *cs, uint32_t fi, binding *b,
                         const reader_opts *ro, char *err, size_t errlen)
{
    const char *path = e->res->files[fi].path;
    splitter *sp = splitter_open(path, ro, err, errlen);
    if (sp == NULL) return false;
    splitter_set_sizes(sp, e->opt->chunk_bytes, e->opt->chunk_max_record_bytes);
    c->file = fi; /* for the header's findings */
    c->bind = b;
    buf text = BUF_INIT;
    bool header = true, ok = false;
    uint64_t bytes = 0;
    for (;;) {
        uint64_t line;
        split_result got = splitter_next(sp, &text, &line, err, errlen);
        bytes = splitter_bytes_in(sp);
        if (got == SPLIT_ERROR) goto done;
        if (got == SPLIT_END) break;
        if (got == SPLIT_NO_BOUNDARY) {
            jobpool_drain(cs->pool);
            reader *rd = splitter_rest(sp, err, errlen);
            if (rd == NULL) goto done;
            int last = scan_sequential(e, c, rd, fi, b, header, err, errlen);
            header = false;
            bytes = reader_bytes_in(rd);
            reader_close(rd);
            if (last < 0) goto done;
            break;
        }
        bool has_header = false;
        if (header) {
            record rec;
            reader *hr = reader_open_text(path, ro, text.p ? text.p : "", text.len, line);
            int n = hr ? reader_next(hr, &rec, err, errlen) : -1;
            if (n > 0) read_header(c, &rec, b);
            reader_close(hr);
            if (n < 0) {
                snprintf(err, errlen, "%s: out of memory", path);
                goto done;
            }
            has_header = n > 0;
            header = !has_header; /* only blank lines so far */
        }
        int job = jobpool_acquire(cs->pool);
        chunk *ch = &cs->v[job];
        buf swap = ch->text;
        ch->text = text;
        text = swap;
        ch->first_line = line;
        ch->file = fi;
        ch->ro = *ro;
        ch->has_header = has_header;
        ch->bind = b;
        jobpool_submit(cs->pool, job);
        report_progress(e, bytes, false);
    }
    if (header) warn_empty(e, fi);
    ok = true;
done:
    e->bytes_done += bytes;
    buf_free(&text);
    splitter_close(sp);
    return ok;
}

/* Reads one file: on this thread with c, or cut into chunks for the pool. */
static bool lint_file(engine *e, check_ctx *c, chunk_set *cs, uint32_t fi, binding *b, char *err,
                      size_t errlen)
{
    result_file *rf = &e->res->files[fi];
    reader_opts ro = {delimiter_for(c->obj->o, rf->path), c->obj->o->enc};
    bool ok;
    if (cs) {
        ok = scan_chunked(e, c, cs, fi, b, &ro, err, errlen);
    } else {
        reader *rd = reader_open(rf->path, &ro, err, errlen);
        if (rd == NULL) return false;
        ok = scan_sequential(e, c, rd, fi, b, true, err, errlen) >= 0;
        report_progress(e, reader_bytes_in(rd), false);
        e->bytes_done += reader_bytes_in(rd);
        reader_close(rd);
    }
    if (ok && c->oom) {
        snprintf(err, errlen, "%s: out of memory", rf->path);
        return false;
    }
    return ok;
}

static void mark_slot(const obj_run * or, bool *want, int s)
{
    if (s < 0 || want[s]) return;
    want[s] = true;
    if (or->slots[s].lookup >= 0) mark_slot(or, want, or->lookups[or->slots[s].lookup].key_slot);
}

/* The slots a role reads: those of its rules (and `when`s), of collectors
 * and lookup tables for ROLE_ORDERED, and the key and report columns every
 * finding carries.  A context loads only these for each record. */
static bool choose_slots(check_ctx *c, const obj_run * or)
{
    bool *want = xcalloc(or->nslots + 1, sizeof *want);
    c->load = xcalloc(or->nslots + 1, sizeof *c->load);
    if (want == NULL || c->load == NULL) {
        xfree(want);
        return false;
    }
    mark_slot(or, want, or->key_slot);
    for (size_t i = 0; i < or->o->nreport_columns; i++) mark_slot(or, want, or->report_slots[i]);
    for (size_t ri = 0; ri < or->nrules; ri++) {
        const rule_run *rr = & or->rules[ri];
        if (!rr->selected || rr->skip_all || !(c->role & (rr->row_local ? ROLE_ROW : ROLE_ORDERED)))
            continue;
        if (!rr->row_local && c->lane >= 0 && rr->lane != c->lane) continue;
        for (size_t f = 0; f < rr->r->nfields; f++) mark_slot(or, want, rr->slot_of[f]);
    }
    if (c->role & ROLE_ORDERED) {
        for (size_t k = 0; k < or->ncollectors; k++) {
            const collector *col = & or->collectors[k];
            if (c->lane >= 0 && col->rr->lane != c->lane) continue;
            const rule_dep *d = &col->rr->r->deps[col->dep];
            for (size_t f = 0; f < d->nfields; f++)
                mark_slot(or, want, col->rr->dep_slot_of[col->dep][f]);
        }
        for (size_t k = 0; c->lane <= 0 && k < or->nprovides; k++) {
            const lookup_run *l = or->provides[k];
            mark_slot(or, want, l->target_key_slot);
            for (size_t i = 0; i < l->ncolumns; i++) mark_slot(or, want, l->target_col_slot[i]);
        }
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t s = 0; s < or->nslots; s++)
            if (want[s] && (or->slots[s].lookup >= 0) == (pass == 1))
                c->load[c->nload++] = (uint32_t)s;
    xfree(want);
    return true;
}

static bool ctx_init(check_ctx *c, engine *e, obj_run * or, int role, int lane)
{
    *c = (check_ctx){.e = e, .obj = or, .role = role, .lane = lane};
    c->vals = xcalloc(or->nslots + 1, sizeof *c->vals);
    c->dates = xcalloc(or->nslots + 1, sizeof *c->dates);
    c->dstate = xcalloc(or->nslots + 1, 1);
    c->checked = xcalloc(e->res->nrules + 1, sizeof *c->checked);
    c->nfound = xcalloc(e->res->nrules + 1, sizeof *c->nfound);
    c->strings = arena_new();
    return c->vals && c->dates && c->dstate && c->checked && c->nfound && c->strings &&
           choose_slots(c, or);
}

/* Hands the context's findings, their strings and its counts to the engine
 * and frees the rest. */
static void ctx_finish(check_ctx *c, engine *e)
{
    findings *all = &e->found;
    if (c->nkept && !e->oom) {
        finding *v = xrealloc(all->v, (all->n + c->nkept) * sizeof *v);
        if (v == NULL) {
            e->oom = true;
        } else {
            all->v = v;
            all->cap = all->n + c->nkept;
        }
    }
    for (finding_block *b = c->found, *next; b; b = next) {
        next = b->next;
        if (!e->oom) {
            memcpy(all->v + all->n, b->v, b->n * sizeof *b->v);
            all->n += b->n;
        }
        xfree(b);
    }
    if (c->strings) arena_adopt(e->res->strings, c->strings);
    arena_free(c->strings);
    for (size_t i = 0; c->checked && c->nfound && i < e->res->nrules; i++) {
        e->res->rules[i].checked += c->checked[i];
        e->res->rules[i].findings += c->nfound[i];
    }
    e->oom |= c->oom;
    xfree(c->vals);
    xfree(c->dates);
    xfree(c->dstate);
    xfree(c->checked);
    xfree(c->nfound);
    xfree(c->load);
    xfree(c->kept_fields);
    regex_space_free(c->rx);
    buf_free(&c->scratch);
    buf_free(&c->msg);
    buf_free(&c->clip);
}

/* Spreads the object's ordered work over at most max_lanes lanes: each rule
 * that needs file order is one unit with its collectors here (they share
 * its state), so is each other object's rule that collects these records;
 * lookup tables this object fills stay in lane 0.  Returns the number of
 * lanes (0 when nothing needs order). */
static int assign_lanes(obj_run * or, int max_lanes)
{
    int units = 0;
    for (size_t ri = 0; ri < or->nrules; ri++) or->rules[ri].lane = -1;
    for (size_t k = 0; k < or->ncollectors; k++) or->collectors[k].rr->lane = -1;
    for (size_t ri = 0; ri < or->nrules; ri++) {
        rule_run *rr = & or->rules[ri];
        if (rr->selected && !rr->skip_all && !rr->row_local) rr->lane = units++ % max_lanes;
    }
    for (size_t k = 0; k < or->ncollectors; k++) {
        rule_run *rr = or->collectors[k].rr;
        if (!rr->skip_all && rr->lane < 0) rr->lane = units++ % max_lanes;
    }
    if (or->nprovides > 0 && units == 0) units = 1;
    return units < max_lanes ? units : max_lanes;
}

/* Scans one object's files.  With workers, each file is cut into chunks
 * that the pool parses and checks (row-local rules in parallel, the rest in
 * file order, spread over lanes); `main` reads headers, and whatever cannot
 * be cut. */
static bool lint_object(engine *e, size_t oi, char *err, size_t errlen)
{
    obj_run * or = &e->objs[oi];
    int nworkers = e->workers;
    check_ctx main_ctx, *wctx = NULL, *lctx = NULL;
    void **wptr = NULL, **lptr = NULL;
    chunk_set cs = {NULL, 0, NULL};
    binding **binds = xcalloc(e->res->nfiles + 1, sizeof *binds);
    bool ok = false;
    int inited = 0, nlanes = 0, lanes_inited = 0;
    if (!ctx_init(&main_ctx, e, or, ROLE_ALL, -1) || binds == NULL) goto oom;
    if (nworkers > 0) {
        /* A lane even with nothing in order: it counts the records. */
        nlanes = assign_lanes(or, nworkers);
        or->has_ordered = nlanes > 0;
        if (nlanes == 0) nlanes = 1;
        wctx = xcalloc((size_t)nworkers, sizeof *wctx);
        wptr = xcalloc((size_t)nworkers, sizeof *wptr);
        lctx = xcalloc((size_t)nlanes, sizeof *lctx);
        lptr = xcalloc((size_t)nlanes, sizeof *lptr);
        cs.n = 2 * nworkers + 2;
        cs.v = xcalloc((size_t)cs.n, sizeof *cs.v);
        if (wctx == NULL || wptr == NULL || lctx == NULL || lptr == NULL || cs.v == NULL) goto oom;
        for (; lanes_inited < nlanes; lanes_inited++) {
            if (!ctx_init(&lctx[lanes_inited], e, or, ROLE_ORDERED, lanes_inited)) {
                lanes_inited++;
                goto oom;
            }
            lctx[lanes_inited].chunks = &cs;
            lptr[lanes_inited] = &lctx[lanes_inited];
        }
        for (; inited < nworkers; inited++) {
            if (!ctx_init(&wctx[inited], e, or, ROLE_ROW, -1)) {
                inited++;
                goto oom;
            }
            wctx[inited].chunks = &cs;
            wptr[inited] = &wctx[inited];
        }
        /* No threads to be had: read on this thread after all. */
        cs.pool = jobpool_new(nworkers, cs.n, chunk_parallel, wptr, nlanes, chunk_ordered, lptr);
    }
    for (size_t fi = 0; fi < e->res->nfiles; fi++) {
        if (e->file_object[fi] != (int)oi) continue;
        if ((binds[fi] = binding_new(or)) == NULL) goto oom;
        if (!lint_file(e, &main_ctx, cs.pool ? &cs : NULL, (uint32_t)fi, binds[fi], err, errlen))
            goto done;
    }
    jobpool_free(cs.pool);
    cs.pool = NULL;
    bool lane_oom = false;
    for (int l = 0; l < lanes_inited; l++) lane_oom |= lctx[l].oom;
    for (size_t ri = 0; ri < or->nrules; ri++) {
        rule_run *rr = & or->rules[ri];
        if (!rr->selected || rr->skip_all || !rr->ran || rr->r->type->finish == NULL) continue;
        /* A context whose allocation failed may have left this state half
         * updated; the run fails anyway. */
        if (main_ctx.oom || lane_oom) continue;
        main_ctx.cur = rr;
        rr->r->type->finish(&main_ctx, rr->r, rr->state);
        main_ctx.cur = NULL;
    }
    ok = true;
    goto done;
oom:
    snprintf(err, errlen, "out of memory while checking object %s", or->o->name);
done:
    jobpool_free(cs.pool); /* finishes what was submitted: the chunks are in use until then */
    for (int i = 0; cs.v && i < cs.n; i++) {
        buf_free(&cs.v[i].text);
        reader_close(cs.v[i].rd);
    }
    bool oom = main_ctx.oom;
    for (int i = 0; i < inited; i++) {
        oom |= wctx[i].oom;
        ctx_finish(&wctx[i], e);
    }
    for (int l = 0; l < lanes_inited; l++) {
        oom |= lctx[l].oom;
        ctx_finish(&lctx[l], e);
    }
    ctx_finish(&main_ctx, e);
    if (ok && (oom || e->oom)) {
        /* Also a rule's finish (stats, group findings) running out of memory. */
        snprintf(err, errlen, "out of memory while checking object %s", or->o->name);
        ok = false;
    }
    for (size_t fi = 0; binds && fi < e->res->nfiles; fi++) binding_free(binds[fi]);
    xfree(binds);
    xfree(cs.v);
    xfree(wctx);
    xfree(wptr);
    xfree(lctx);
    xfree(lptr);
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
            obj_run * or = &e->objs[oi];
            for (size_t ri = 0; ri < or->nrules; ri++) {
                rule_run *rr = & or->rules[ri];
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
        for (size_t g = 0; g < p->objects[k].nfiles; g++)
            buf_printf(b, " %s", p->objects[k].files[g]);
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
    res->as_of_us = o->has_as_of            ? o->as_of_us
                    : p->settings.has_as_of ? p->settings.as_of_us
                                            : now_us();
    if ((res->pack_name = xstrdup(p->name)) == NULL || (res->strings = arena_new()) == NULL)
        goto oom;
    /* --jobs counts the threads that parse and check; the one that reads and
     * cuts files into chunks mostly waits on them.  1: all on this thread. */
    int jobs = o->jobs > 0 ? o->jobs : jobpool_cores();
    e.workers = jobs > 1 ? jobs : 0;
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
        obj_run * or = &e.objs[p->order[k]];
        if (! or->bound) continue;
        if (!lint_object(&e, (size_t)p->order[k], err, errlen)) goto fail;
        for (size_t ri = 0; ri < or->nrules; ri++) {
            rule_run *rr = & or->rules[ri];
            if (rr->selected && !rr->skip_all && !rr->ran && rr->skip_reason) {
                res->rules[rr->result_index].skipped = rr->skip_reason;
                rr->skip_reason = NULL;
            }
        }
    }
    report_progress(&e, 0, true);
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

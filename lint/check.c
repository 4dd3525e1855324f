/*
 * check.c - check contexts: what one context does with one record (see
 * engine_int.h).
 *
 * A record's values are loaded once per context into slots (trimmed,
 * null-checked); rules read them through ck_value/ck_date and report through
 * ck_emit, which renders the finding into the context's own blocks and
 * string arena.  Structural findings (csv/...) are made here too.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "engine_int.h"
#include "keymap.h"
#include "limits.h"
#include "text.h"
#include "xalloc.h"

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

/* ---- reading one file --------------------------------------------------- */

static int header_index(const record *h, const slice *cells, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < h->nfields; i++)
        if (cells[i].n == n && memcmp(cells[i].p, name, n) == 0) return (int)i;
    return -1;
}

void binding_free(binding *b)
{
    if (b == NULL) return;
    xfree(b->col);
    xfree(b->rule_skip);
    xfree(b->collector_skip);
    xfree(b);
}

binding *binding_new(const obj_run * or)
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
void check_record(check_ctx *c, const record *rec)
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
bool check_broken_record(check_ctx *c, const record *rec)
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

/* The header row: its own defects, then the binding of the file's columns.
 * A broken header row is reported like any broken record; the rules then
 * have no columns to read, so every data record is judged against what
 * could be read of it. */
/* A file read as windows-1252 or latin-1 that starts with a UTF-8 BOM is
 * almost surely UTF-8: the BOM became three characters in the first header
 * cell, so its column goes missing, and any accented letter will read as
 * two.  Decoding goes on as the pack says; the warning says why. */
static void warn_utf8_bom(check_ctx *c, const record *rec)
{
    static const char bom_as_single_bytes[] = "\xC3\xAF\xC2\xBB\xC2\xBF"; /* "ï»¿" */
    const pack_object *o = c->obj->o;
    const lint_options *opt = c->e->opt;
    if (opt->warn == NULL || (o->enc != ENC_WINDOWS_1252 && o->enc != ENC_LATIN1)) return;
    if (rec->line != 1 || rec->nfields == 0 || rec->fields[0].n < 6 ||
        memcmp(rec->fields[0].p, bom_as_single_bytes, 6) != 0)
        return;
    char msg[768];
    snprintf(msg, sizeof msg,
             "%s: starts with a UTF-8 byte-order mark, but object %s is read as %s: the file is "
             "probably UTF-8 (set 'encoding: utf-8' for it in the pack)",
             c->e->res->files[c->file].path, o->name, encoding_name(o->enc));
    opt->warn(opt->warn_ctx, msg);
}

void check_header(check_ctx *c, const record *rec, binding *b)
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
    warn_utf8_bom(c, rec);
    bind_header(c, rec, b);
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

bool check_ctx_init(check_ctx *c, engine *e, obj_run * or, int role, int lane)
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
void check_ctx_finish(check_ctx *c, engine *e)
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

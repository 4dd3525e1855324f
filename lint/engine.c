/*
 * engine.c - runs a pack over files and builds the result (see engine.h);
 * the engine's other two files are check.c (one record in a check context)
 * and scan.c (reading files, on one thread or several); engine_int.h holds
 * what they share.
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
#include "engine_int.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "arena.h"
#include "baseline.h"
#include "buf.h"
#include "gate.h"
#include "lookup.h"
#include "jobpool.h"
#include "rule.h"
#include "xalloc.h"

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

char file_delimiter(const pack_object *o, const char *path)
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
        if (!scan_object(&e, (size_t)p->order[k], err, errlen)) goto fail;
        for (size_t ri = 0; ri < or->nrules; ri++) {
            rule_run *rr = & or->rules[ri];
            if (rr->selected && !rr->skip_all && !rr->ran && rr->skip_reason) {
                res->rules[rr->result_index].skipped = rr->skip_reason;
                rr->skip_reason = NULL;
            }
        }
    }
    scan_progress(&e, 0, true);
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

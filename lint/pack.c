/*
 * pack.c - loading, merging and validating rule packs (see pack.h).
 *
 * Loading happens in three passes over the packs in merge order (extended
 * packs first, depth-first, then the pack itself):
 *
 *   1. read every YAML file of the `extends` graph into a tree (cycles and
 *      depth are caught here);
 *   2. merge `settings`, so every rule is compiled against the final time
 *      zone, date formats and calendars whichever pack set them;
 *   3. merge `objects` and their rules, then apply each pack's `disable`.
 *
 * Every node keeps its line and column, so every error names the file,
 * line and column of the offending node.  Unknown keys are found by asking
 * each mapping, after it was read, for a key nobody fetched.
 */
#include "pack.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cond.h"
#include "limits.h"
#include "rule.h"
#include "xalloc.h"
#include "yamltree.h"

/* ---- internal state ----------------------------------------------------- */

typedef struct loaded {
    char *path; /* resolved path; owned by pack->strings */
    char *real; /* realpath, to load each file once */
    ytree *tree;
} loaded;

typedef struct strlist {
    char **v;
    size_t n, cap;
} strlist;

struct pack_ctx {
    pack *p;
    pack_object *obj; /* object whose rules are being parsed */
    rule *r;          /* rule being parsed */
    char *err;
    size_t errlen;
    bool failed;
};

static char exe_dir[PATH_MAX]; /* the parent of the executable's directory */
static bool exe_known;         /* exe_dir is set ("" is the root directory) */

/* ---- small helpers ------------------------------------------------------ */

static bool strlist_push(strlist *l, char *s)
{
    if (s == NULL) return false;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **v = xrealloc(l->v, cap * sizeof *v);
        if (v == NULL) {
            xfree(s);
            return false;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = s;
    return true;
}

static void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++) xfree(l->v[i]);
    xfree(l->v);
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) xfree(v[i]);
    xfree(v);
}

/* A pack-owned copy of a file name, for srcpos.file of rules and calendars. */
static const char *intern(pack *p, const char *s)
{
    strlist *l = p->strings;
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0) return l->v[i];
    if (!strlist_push(l, xstrdup(s))) return NULL;
    return l->v[l->n - 1];
}

static srcpos keep_pos(pack_ctx *pc, const ynode *n)
{
    srcpos pos = n->pos;
    pos.file = intern(pc->p, n->pos.file);
    return pos;
}

static int error_at(pack_ctx *pc, srcpos pos, const char *fmt, va_list ap)
{
    if (pc->failed) return -1; /* keep the first error: it is the cause */
    pc->failed = true;
    int n = snprintf(pc->err, pc->errlen, "%s:%d:%d: ", pos.file, pos.line, pos.col);
    if (n < 0 || (size_t)n >= pc->errlen) return -1;
    vsnprintf(pc->err + n, pc->errlen - (size_t)n, fmt, ap);
    return -1;
}

int pk_error(pack_ctx *pc, const ynode *node, const char *fmt, ...)
{
    srcpos pos = node ? node->pos : (pc->r ? pc->r->pos : (srcpos){"?", 0, 0});
    va_list ap;
    va_start(ap, fmt);
    error_at(pc, pos, fmt, ap);
    va_end(ap);
    return -1;
}

static int pos_error(pack_ctx *pc, srcpos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int pos_error(pack_ctx *pc, srcpos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_at(pc, pos, fmt, ap);
    va_end(ap);
    return -1;
}

static int oom(pack_ctx *pc, const ynode *node)
{
    return pk_error(pc, node, "out of memory");
}

const pack *pk_pack(const pack_ctx *pc)
{
    return pc->p;
}
const pack_object *pk_object(const pack_ctx *pc)
{
    return pc->obj;
}

/* Reports the first key of map that no reader fetched. */
static int check_unknown_keys(pack_ctx *pc, const ynode *map, const char *where)
{
    const ynode *k = ymap_first_unused(map);
    if (k == NULL) return 0;
    return pk_error(pc, k, "unknown key '%s' in %s", k->text, where);
}

static int expect_kind(pack_ctx *pc, const ynode *n, ynode_kind kind, const char *key)
{
    if (n->kind == kind) return 0;
    return pk_error(pc, n, "'%s' must be %s, not %s", key, ynode_kind_name(kind),
                    ynode_kind_name(n->kind));
}

/* ---- typed getters used by the loader and by rule types ----------------- */

static ynode *get(pack_ctx *pc, ynode *map, const char *key, bool required, int *status)
{
    ynode *n = ymap_get(map, key);
    if (n == NULL) {
        *status = required ? pk_error(pc, map, "missing required key '%s'", key) : 0;
        return NULL;
    }
    *status = 1;
    return n;
}

int pk_string(pack_ctx *pc, ynode *map, const char *key, bool required, char **out)
{
    int st;
    ynode *n = get(pc, map, key, required, &st);
    if (n == NULL) return st;
    if (n->kind != YN_SCALAR) return expect_kind(pc, n, YN_SCALAR, key);
    *out = xstrndup(n->text, n->len);
    return *out ? 1 : oom(pc, n);
}

/* A scalar or a list of scalars, as a string vector. */
static int strings_of(pack_ctx *pc, ynode *n, const char *key, char ***out, size_t *count)
{
    size_t k = n->kind == YN_SEQ ? n->n : 1;
    if (n->kind == YN_MAP) return pk_error(pc, n, "'%s' must be a list of strings", key);
    char **v = xcalloc(k, sizeof *v);
    if (v == NULL) return oom(pc, n);
    for (size_t i = 0; i < k; i++) {
        ynode *item = n->kind == YN_SEQ ? n->items[i] : n;
        if (item->kind != YN_SCALAR) {
            free_strv(v, i);
            return pk_error(pc, item, "'%s' must be a list of strings", key);
        }
        v[i] = xstrndup(item->text, item->len);
        if (v[i] == NULL) {
            free_strv(v, i);
            return oom(pc, item);
        }
    }
    *out = v;
    *count = k;
    return 1;
}

int pk_strings(pack_ctx *pc, ynode *map, const char *key, bool required, char ***out, size_t *n)
{
    int st;
    ynode *node = get(pc, map, key, required, &st);
    if (node == NULL) return st;
    return strings_of(pc, node, key, out, n);
}

int pk_number(pack_ctx *pc, ynode *map, const char *key, bool required, double *out)
{
    int st;
    ynode *n = get(pc, map, key, required, &st);
    if (n == NULL) return st;
    if (n->kind != YN_SCALAR || n->len == 0) return pk_error(pc, n, "'%s' must be a number", key);
    char *end;
    errno = 0;
    double d = strtod(n->text, &end);
    if (*end != '\0' || errno == ERANGE || d != d)
        return pk_error(pc, n, "'%s' must be a number, not '%s'", key, n->text);
    *out = d;
    return 1;
}

int pk_bool(pack_ctx *pc, ynode *map, const char *key, bool required, bool *out)
{
    int st;
    ynode *n = get(pc, map, key, required, &st);
    if (n == NULL) return st;
    if (n->kind == YN_SCALAR && n->plain) {
        if (strcmp(n->text, "true") == 0 || strcmp(n->text, "True") == 0 ||
            strcmp(n->text, "TRUE") == 0) {
            *out = true;
            return 1;
        }
        if (strcmp(n->text, "false") == 0 || strcmp(n->text, "False") == 0 ||
            strcmp(n->text, "FALSE") == 0) {
            *out = false;
            return 1;
        }
    }
    return pk_error(pc, n, "'%s' must be true or false", key);
}

int pk_duration(pack_ctx *pc, ynode *map, const char *key, bool required, int64_t *seconds)
{
    int st;
    ynode *n = get(pc, map, key, required, &st);
    if (n == NULL) return st;
    if (n->kind != YN_SCALAR || !dt_parse_duration(n->text, seconds))
        return pk_error(
            pc, n, "'%s' must be a duration such as 90m, 24h, 2d or 1d12h (units s m h d w)", key);
    return 1;
}

int pk_register_field(pack_ctx *pc, rule *r, const char *name)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (strcmp(r->fields[i], name) == 0) return (int)i;
    char **v = xrealloc(r->fields, (r->nfields + 1) * sizeof *v);
    if (v == NULL) return oom(pc, NULL);
    r->fields = v;
    r->fields[r->nfields] = xstrdup(name);
    if (r->fields[r->nfields] == NULL) return oom(pc, NULL);
    return (int)r->nfields++;
}

static int field_of(pack_ctx *pc, rule *r, ynode *n, const char *key)
{
    if (n->kind != YN_SCALAR || n->len == 0)
        return pk_error(pc, n, "'%s' must be a column name", key);
    if (memchr(n->text, '\0', n->len)) return pk_error(pc, n, "'%s' contains a NUL byte", key);
    return pk_register_field(pc, r, n->text);
}

int pk_field(pack_ctx *pc, rule *r, ynode *map, const char *key, bool required, int *index)
{
    int st;
    ynode *n = get(pc, map, key, required, &st);
    if (n == NULL) return st;
    int i = field_of(pc, r, n, key);
    if (i < 0) return -1;
    *index = i;
    return 1;
}

int pk_fields(pack_ctx *pc, rule *r, ynode *map, const char *key, bool required, int **idx,
              size_t *count)
{
    int st;
    ynode *n = get(pc, map, key, required, &st);
    if (n == NULL) return st;
    if (n->kind != YN_SEQ || n->n == 0)
        return pk_error(pc, n, "'%s' must be a non-empty list of column names", key);
    int *v = xcalloc(n->n, sizeof *v);
    if (v == NULL) return oom(pc, n);
    for (size_t i = 0; i < n->n; i++) {
        v[i] = field_of(pc, r, n->items[i], key);
        if (v[i] < 0) {
            xfree(v);
            return -1;
        }
    }
    *idx = v;
    *count = n->n;
    return 1;
}

int pk_depend(pack_ctx *pc, rule *r, ynode *at, const char *object, bool needs_file)
{
    for (size_t i = 0; i < r->ndeps; i++)
        if (strcmp(r->deps[i].object, object) == 0) {
            r->deps[i].needs_file |= needs_file;
            return (int)i;
        }
    rule_dep *v = xrealloc(r->deps, (r->ndeps + 1) * sizeof *v);
    if (v == NULL) return oom(pc, at);
    r->deps = v;
    rule_dep *d = &r->deps[r->ndeps];
    memset(d, 0, sizeof *d);
    d->object_index = -1;
    d->needs_file = needs_file;
    d->pos = at ? keep_pos(pc, at) : r->pos;
    if ((d->object = xstrdup(object)) == NULL) return oom(pc, at);
    return (int)r->ndeps++;
}

int pk_dep_field(pack_ctx *pc, rule *r, int dep, const char *field)
{
    rule_dep *d = &r->deps[dep];
    for (size_t i = 0; i < d->nfields; i++)
        if (field ? d->fields[i] && strcmp(d->fields[i], field) == 0 : d->fields[i] == NULL)
            return (int)i;
    char **v = xrealloc(d->fields, (d->nfields + 1) * sizeof *v);
    if (v == NULL) return oom(pc, NULL);
    d->fields = v;
    /* NULL stands for the target's key, filled in when the pack is complete. */
    d->fields[d->nfields] = NULL;
    if (field && (d->fields[d->nfields] = xstrdup(field)) == NULL) return oom(pc, NULL);
    return (int)d->nfields++;
}

/* ---- rules -------------------------------------------------------------- */

static void rule_free(rule *r)
{
    if (r == NULL) return;
    if (r->impl && r->type && r->type->free_impl) r->type->free_impl(r->impl);
    cond_free(r->when);
    xfree(r->id);
    xfree(r->description);
    xfree(r->message);
    free_strv(r->tags, r->ntags);
    free_strv(r->fields, r->nfields);
    for (size_t i = 0; i < r->ndeps; i++) {
        xfree(r->deps[i].object);
        free_strv(r->deps[i].fields, r->deps[i].nfields);
    }
    xfree(r->deps);
    xfree(r);
}

/* Message templates may name only these placeholders. */
static int check_template(pack_ctx *pc, const ynode *n)
{
    static const char *const names[] = {"field",  "value", "record", "rule",
                                        "object", "line",  "detail"};
    for (const char *s = n->text; (s = strchr(s, '{')) != NULL; s++) {
        const char *end = strchr(s, '}');
        if (end == NULL) return pk_error(pc, n, "message template has '{' without '}'");
        size_t len = (size_t)(end - s - 1);
        bool ok = false;
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            if (strlen(names[i]) == len && memcmp(names[i], s + 1, len) == 0) ok = true;
        if (!ok)
            return pk_error(pc, n,
                            "unknown placeholder {%.*s} in message (use {field}, {value}, "
                            "{record}, {rule}, {object}, {line} or {detail})",
                            (int)len, s + 1);
    }
    return 0;
}

static int parse_threshold(pack_ctx *pc, rule *r, ynode *map)
{
    ynode *t = ymap_get(map, "threshold");
    if (t == NULL) return 0;
    if (expect_kind(pc, t, YN_MAP, "threshold")) return -1;
    double d;
    int st = pk_number(pc, t, "max_count", false, &d);
    if (st < 0) return -1;
    if (st == 1) {
        if (d < 0 || d != (double)(uint64_t)d || d > 1e15)
            return pk_error(pc, ymap_get(t, "max_count"),
                            "'max_count' must be a whole number >= 0");
        r->has_max_count = true;
        r->max_count = (uint64_t)d;
    }
    st = pk_number(pc, t, "max_ratio", false, &d);
    if (st < 0) return -1;
    if (st == 1) {
        /* Kept as the exact decimal written (0.29 = 29/100): "more than
         * R x checked" must not tip over on binary rounding. */
        const char *txt = ymap_get(t, "max_ratio")->text;
        uint64_t num = 0, den = 1;
        bool frac = false, ok = d >= 0 && d <= 1;
        for (const char *q = txt; ok && *q; q++) {
            if (*q == '.' && !frac) {
                frac = true;
            } else if (*q >= '0' && *q <= '9' && den < 1000000000000000000ull) {
                num = num * 10 + (uint64_t)(*q - '0');
                if (frac) den *= 10;
            } else {
                ok = false;
            }
        }
        if (!ok)
            return pk_error(pc, ymap_get(t, "max_ratio"),
                            "'max_ratio' must be a decimal between 0 and 1, such as 0.01");
        r->has_max_ratio = true;
        r->max_ratio = d;
        r->ratio_num = num;
        r->ratio_den = den;
    }
    /* A misspelt key is the likelier mistake: name it first. */
    if (check_unknown_keys(pc, t, "threshold") < 0) return -1;
    if (!r->has_max_count && !r->has_max_ratio)
        return pk_error(pc, t, "'threshold' needs max_count or max_ratio");
    return 0;
}

static rule *parse_rule(pack_ctx *pc, pack_object *obj, int obj_index, ynode *map)
{
    if (map->kind != YN_MAP) {
        pk_error(pc, map, "a rule must be a mapping with at least 'id' and 'type'");
        return NULL;
    }
    rule *r = xcalloc(1, sizeof *r);
    if (r == NULL) {
        oom(pc, map);
        return NULL;
    }
    r->pos = keep_pos(pc, map);
    r->object = obj_index;
    r->sev = SEV_ERROR;
    pc->r = r;
    pc->obj = obj;

    char *type = NULL, *sev = NULL;
    if (pk_string(pc, map, "id", true, &r->id) < 0) goto fail;
    if (strncmp(r->id, "csv/", 4) == 0) {
        pk_error(pc, ymap_get(map, "id"),
                 "rule ids starting with 'csv/' are reserved for the "
                 "built-in structural rules");
        goto fail;
    }
    if (r->id[0] == '\0' || strpbrk(r->id, " \t\n,*") != NULL) {
        pk_error(pc, ymap_get(map, "id"),
                 "rule id '%s' must be non-empty, without spaces, commas or '*'", r->id);
        goto fail;
    }
    if (pk_string(pc, map, "type", true, &type) < 0) goto fail;
    r->type = rule_type_find(type);
    if (r->type == NULL) {
        buf names = BUF_INIT;
        size_t n;
        const rule_type *const *all = rule_types_all(&n);
        for (size_t i = 0; i < n; i++) buf_printf(&names, "%s%s", i ? ", " : "", all[i]->name);
        pk_error(pc, ymap_get(map, "type"), "unknown rule type '%s' (known: %s)", type,
                 names.p ? names.p : "");
        buf_free(&names);
        goto fail;
    }
    int st = pk_string(pc, map, "severity", false, &sev);
    if (st < 0) goto fail;
    if (st == 1 && !severity_parse(sev, false, &r->sev)) {
        pk_error(pc, ymap_get(map, "severity"), "severity must be error, warning or info, not '%s'",
                 sev);
        goto fail;
    }
    if (pk_string(pc, map, "description", false, &r->description) < 0) goto fail;
    if (pk_string(pc, map, "message", false, &r->message) < 0) goto fail;
    if (r->message && check_template(pc, ymap_get(map, "message")) < 0) goto fail;
    if (pk_strings(pc, map, "tags", false, &r->tags, &r->ntags) < 0) goto fail;
    if (parse_threshold(pc, r, map) < 0) goto fail;

    /* The type's own keys first, so its fields come first in r->fields. */
    if (r->type->parse(r, map, pc) < 0) goto fail;
    ynode *when = ymap_get(map, "when");
    if (when) {
        r->when = cond_parse(pc, r, when);
        if (r->when == NULL) goto fail;
    }
    char where[160];
    snprintf(where, sizeof where, "rule '%s' (type %s)", r->id, r->type->name);
    if (check_unknown_keys(pc, map, where) < 0) goto fail;
    xfree(type);
    xfree(sev);
    pc->r = NULL;
    return r;
fail:
    pk_error(pc, map, "invalid rule"); /* no-op when a precise error was set */
    xfree(type);
    xfree(sev);
    pc->r = NULL;
    rule_free(r);
    return NULL;
}

/* ---- objects ------------------------------------------------------------ */

static void object_free(pack_object *o)
{
    xfree(o->name);
    free_strv(o->files, o->nfiles);
    xfree(o->key);
    free_strv(o->null_values, o->nnull_values);
    free_strv(o->report_columns, o->nreport_columns);
    for (size_t i = 0; i < o->ncolumns; i++) {
        xfree(o->columns[i].name);
        free_strv(o->columns[i].aliases, o->columns[i].naliases);
    }
    xfree(o->columns);
    free_strv(o->date_columns, o->ndate_columns);
    for (size_t i = 0; i < o->nlookups; i++) {
        xfree(o->lookups[i].name);
        xfree(o->lookups[i].field);
        xfree(o->lookups[i].to);
        xfree(o->lookups[i].to_field);
    }
    xfree(o->lookups);
    for (size_t i = 0; i < o->nrules; i++) rule_free(o->rules[i]);
    xfree(o->rules);
}

static int replace_strv(pack_ctx *pc, ynode *map, const char *key, char ***v, size_t *n)
{
    char **nv;
    size_t nn;
    int st = pk_strings(pc, map, key, false, &nv, &nn);
    if (st <= 0) return st;
    free_strv(*v, *n);
    *v = nv;
    *n = nn;
    return 1;
}

static int merge_columns(pack_ctx *pc, pack_object *o, ynode *map)
{
    ynode *cols = ymap_get(map, "columns");
    if (cols == NULL) return 0;
    if (expect_kind(pc, cols, YN_MAP, "columns")) return -1;
    for (size_t i = 0; i < cols->n; i++) {
        ynode *k = cols->items[2 * i], *v = cols->items[2 * i + 1];
        cols->used[i] = true;
        char **aliases;
        size_t naliases;
        if (strings_of(pc, v, "columns", &aliases, &naliases) < 0) return -1;
        column_aliases *slot = NULL;
        for (size_t j = 0; j < o->ncolumns; j++)
            if (strcmp(o->columns[j].name, k->text) == 0) slot = &o->columns[j];
        if (slot == NULL) {
            column_aliases *nc = xrealloc(o->columns, (o->ncolumns + 1) * sizeof *nc);
            if (nc == NULL) {
                free_strv(aliases, naliases);
                return oom(pc, k);
            }
            o->columns = nc;
            slot = &o->columns[o->ncolumns];
            slot->name = xstrdup(k->text);
            slot->aliases = NULL;
            slot->naliases = 0;
            if (slot->name == NULL) {
                free_strv(aliases, naliases);
                return oom(pc, k);
            }
            o->ncolumns++;
        }
        free_strv(slot->aliases, slot->naliases);
        slot->aliases = aliases;
        slot->naliases = naliases;
    }
    return 0;
}

static int merge_types(pack_ctx *pc, pack_object *o, ynode *map)
{
    ynode *types = ymap_get(map, "types");
    if (types == NULL) return 0;
    if (expect_kind(pc, types, YN_MAP, "types")) return -1;
    for (size_t i = 0; i < types->n; i++) {
        ynode *k = types->items[2 * i], *v = types->items[2 * i + 1];
        types->used[i] = true;
        if (v->kind != YN_SCALAR || strcmp(v->text, "date") != 0)
            return pk_error(pc, v, "column type must be 'date' (the only type so far)");
        if (pack_column_is_date(o, k->text)) continue;
        char **nv = xrealloc(o->date_columns, (o->ndate_columns + 1) * sizeof *nv);
        if (nv == NULL) return oom(pc, k);
        o->date_columns = nv;
        if ((nv[o->ndate_columns] = xstrdup(k->text)) == NULL) return oom(pc, k);
        o->ndate_columns++;
    }
    return 0;
}

static int merge_lookups(pack_ctx *pc, pack_object *o, ynode *map)
{
    ynode *lk = ymap_get(map, "lookups");
    if (lk == NULL) return 0;
    if (expect_kind(pc, lk, YN_MAP, "lookups")) return -1;
    for (size_t i = 0; i < lk->n; i++) {
        ynode *k = lk->items[2 * i], *v = lk->items[2 * i + 1];
        lk->used[i] = true;
        if (expect_kind(pc, v, YN_MAP, "lookups entry")) return -1;
        lookup_def d = {0};
        d.pos = keep_pos(pc, v);
        if ((d.name = xstrdup(k->text)) == NULL) return oom(pc, k);
        if (pk_string(pc, v, "field", true, &d.field) < 0 ||
            pk_string(pc, v, "to", true, &d.to) < 0 ||
            pk_string(pc, v, "to_field", false, &d.to_field) < 0 ||
            check_unknown_keys(pc, v, "lookup") < 0)
            goto fail;
        lookup_def *slot = NULL;
        for (size_t j = 0; j < o->nlookups; j++)
            if (strcmp(o->lookups[j].name, d.name) == 0) slot = &o->lookups[j];
        if (slot) {
            xfree(slot->name);
            xfree(slot->field);
            xfree(slot->to);
            xfree(slot->to_field);
        } else {
            lookup_def *nl = xrealloc(o->lookups, (o->nlookups + 1) * sizeof *nl);
            if (nl == NULL) {
                oom(pc, k);
                goto fail;
            }
            o->lookups = nl;
            slot = &o->lookups[o->nlookups++];
        }
        *slot = d;
        continue;
    fail:
        xfree(d.name);
        xfree(d.field);
        xfree(d.to);
        xfree(d.to_field);
        return -1;
    }
    return 0;
}

static rule *find_rule(pack *p, const char *id, size_t *obj, size_t *idx)
{
    for (size_t i = 0; i < p->nobjects; i++)
        for (size_t j = 0; j < p->objects[i].nrules; j++)
            if (strcmp(p->objects[i].rules[j]->id, id) == 0) {
                *obj = i;
                *idx = j;
                return p->objects[i].rules[j];
            }
    return NULL;
}

/* Rules of one pack file are appended; a rule whose id came from an earlier
 * pack replaces it in place; the same id twice in one file is an error. */
static int merge_rules(pack_ctx *pc, size_t oi, ynode *map)
{
    ynode *rules = ymap_get(map, "rules");
    if (rules == NULL) return 0;
    if (rules->kind != YN_SEQ) return pk_error(pc, rules, "'rules' must be a list of rules");
    for (size_t i = 0; i < rules->n; i++) {
        rule *r = parse_rule(pc, &pc->p->objects[oi], (int)oi, rules->items[i]);
        if (r == NULL) return -1;
        size_t ro, ri;
        rule *old = find_rule(pc->p, r->id, &ro, &ri);
        if (old) {
            bool same_file = old->pos.file == r->pos.file; /* each file merges once */
            if (same_file || ro != oi) {
                pk_error(pc, ymap_get(rules->items[i], "id"),
                         same_file ? "duplicate rule id '%s' (first defined at line %d)"
                                   : "rule id '%s' is already used by a rule of another "
                                     "object (line %d of its pack)",
                         r->id, old->pos.line);
                rule_free(r);
                return -1;
            }
            rule_free(old);
            pc->p->objects[ro].rules[ri] = r;
            continue;
        }
        pack_object *o = &pc->p->objects[oi];
        rule **nr = xrealloc(o->rules, (o->nrules + 1) * sizeof *nr);
        if (nr == NULL) {
            rule_free(r);
            return oom(pc, rules);
        }
        o->rules = nr;
        o->rules[o->nrules++] = r;
    }
    return 0;
}

static int merge_object(pack_ctx *pc, ynode *name, ynode *def)
{
    if (def->kind != YN_MAP && !ynode_is_null(def))
        return pk_error(pc, def, "object '%s' must be a mapping", name->text);
    pack *p = pc->p;
    int oi = pack_object_index(p, name->text);
    if (oi < 0) {
        pack_object *no = xrealloc(p->objects, (p->nobjects + 1) * sizeof *no);
        if (no == NULL) return oom(pc, name);
        p->objects = no;
        pack_object *o = &p->objects[p->nobjects];
        memset(o, 0, sizeof *o);
        o->pos = keep_pos(pc, name);
        o->name = xstrdup(name->text);
        if (o->name == NULL) return oom(pc, name);
        oi = (int)p->nobjects++;
    }
    if (def->kind != YN_MAP) return 0;
    pack_object *o = &p->objects[oi];

    if (replace_strv(pc, def, "files", &o->files, &o->nfiles) < 0) return -1;
    char *s = NULL;
    int st = pk_string(pc, def, "key", false, &s);
    if (st < 0) return -1;
    if (st == 1 && (s[0] == '\0' || ynode_is_null(ymap_get(def, "key")))) {
        xfree(s);
        return pk_error(pc, ymap_get(def, "key"), "'key' must name a column");
    }
    if (st == 1) {
        xfree(o->key);
        o->key = s;
    }
    st = pk_string(pc, def, "delimiter", false, &s);
    if (st < 0) return -1;
    if (st == 1) {
        size_t len = strlen(s);
        char d = len == 1 ? s[0] : (strcmp(s, "\\t") == 0 || strcmp(s, "tab") == 0) ? '\t' : 0;
        xfree(s);
        if (d == 0 || d == '"' || d == '\n' || d == '\r')
            return pk_error(pc, ymap_get(def, "delimiter"),
                            "'delimiter' must be one character (not a quote or line end), or "
                            "\"\\t\"");
        o->delimiter = d;
    }
    st = pk_string(pc, def, "encoding", false, &s);
    if (st < 0) return -1;
    if (st == 1) {
        bool ok = encoding_parse(s, &o->enc);
        xfree(s);
        if (!ok)
            return pk_error(pc, ymap_get(def, "encoding"),
                            "unknown encoding (use utf-8, windows-1252, latin-1 or utf-16)");
    }
    if (replace_strv(pc, def, "null_values", &o->null_values, &o->nnull_values) < 0) return -1;
    if (replace_strv(pc, def, "report_columns", &o->report_columns, &o->nreport_columns) < 0)
        return -1;
    if (merge_columns(pc, o, def) < 0 || merge_types(pc, o, def) < 0 ||
        merge_lookups(pc, o, def) < 0)
        return -1;
    if (merge_rules(pc, (size_t)oi, def) < 0) return -1;
    char where[160];
    snprintf(where, sizeof where, "object '%s'", name->text);
    return check_unknown_keys(pc, def, where);
}

/* ---- settings ----------------------------------------------------------- */

static int parse_clock(const char *s, size_t len, int *minutes)
{
    if (len != 5 || s[2] != ':') return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9')) return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return -1;
    *minutes = h * 60 + m;
    return 0;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static void calendar_free(calendar *c)
{
    xfree(c->name);
    tz_free(c->zone);
    xfree(c->holidays);
}

/* Calendars are parsed after the pack zone is final; zone NULL means the
 * pack's zone, loaded again so every calendar owns its zone. */
static int parse_calendar(pack_ctx *pc, ynode *name, ynode *def, calendar *c,
                          const char *default_zone)
{
    static const char *const day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    memset(c, 0, sizeof *c);
    c->pos = keep_pos(pc, name);
    if ((c->name = xstrdup(name->text)) == NULL) return oom(pc, name);
    if (expect_kind(pc, def, YN_MAP, "calendar")) return -1;

    char **days = NULL, *hours = NULL, *zone = NULL, **hol = NULL;
    size_t ndays = 0, nhol = 0;
    int rc = -1;
    if (pk_strings(pc, def, "days", true, &days, &ndays) < 0) goto done;
    for (size_t i = 0; i < ndays; i++) {
        int d = -1;
        for (int j = 0; j < 7; j++)
            if (strcasecmp(days[i], day_names[j]) == 0) d = j;
        if (d < 0) {
            pk_error(pc, ymap_get(def, "days"),
                     "unknown day '%s' (use mon tue wed thu fri sat sun)", days[i]);
            goto done;
        }
        c->days |= 1u << d;
    }
    if (c->days == 0) {
        pk_error(pc, ymap_get(def, "days"), "a calendar needs at least one working day");
        goto done;
    }
    if (pk_string(pc, def, "hours", true, &hours) < 0) goto done;
    const char *dash = strchr(hours, '-');
    if (dash == NULL || parse_clock(hours, (size_t)(dash - hours), &c->start_min) < 0 ||
        parse_clock(dash + 1, strlen(dash + 1), &c->end_min) < 0 || c->start_min >= c->end_min ||
        c->start_min >= 1440) {
        pk_error(pc, ymap_get(def, "hours"),
                 "'hours' must be one window HH:MM-HH:MM with start before end (24:00 allowed), "
                 "not '%s'",
                 hours);
        goto done;
    }
    int st = pk_string(pc, def, "timezone", false, &zone);
    if (st < 0) goto done;
    char tzerr[256];
    c->zone = tz_load(zone ? zone : default_zone, tzerr, sizeof tzerr);
    if (c->zone == NULL) {
        pk_error(pc, zone ? ymap_get(def, "timezone") : def, "%s", tzerr);
        goto done;
    }
    if (pk_strings(pc, def, "holidays", false, &hol, &nhol) < 0) goto done;
    if (nhol) {
        c->holidays = xcalloc(nhol, sizeof *c->holidays);
        if (c->holidays == NULL) {
            oom(pc, def);
            goto done;
        }
    }
    for (size_t i = 0; i < nhol; i++) {
        int y;
        unsigned m, d;
        char tail;
        if (sscanf(hol[i], "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3 || strlen(hol[i]) != 10 ||
            !dt_valid_date(y, m, d)) {
            pk_error(pc, ymap_get(def, "holidays"), "holiday '%s' is not a date YYYY-MM-DD",
                     hol[i]);
            goto done;
        }
        c->holidays[c->nholidays++] = dt_days_from_civil(y, m, d);
    }
    if (c->nholidays > 1) qsort(c->holidays, c->nholidays, sizeof *c->holidays, cmp_i32);
    rc = check_unknown_keys(pc, def, "calendar");
done:
    free_strv(days, ndays);
    free_strv(hol, nhol);
    xfree(hours);
    xfree(zone);
    return rc;
}

/* Settings merge key by key: a later pack overrides what it gives. */
typedef struct settings_src {
    ynode *timezone, *as_of, *date_formats, *country, *calendars;
} settings_src;

static int collect_settings(pack_ctx *pc, ynode *root, settings_src *s)
{
    ynode *set = ymap_get(root, "settings");
    if (set == NULL || ynode_is_null(set)) return 0;
    if (expect_kind(pc, set, YN_MAP, "settings")) return -1;
    ynode *n;
    if ((n = ymap_get(set, "timezone"))) s->timezone = n;
    if ((n = ymap_get(set, "as_of"))) s->as_of = n;
    if ((n = ymap_get(set, "date_formats"))) s->date_formats = n;
    if ((n = ymap_get(set, "default_country_code"))) s->country = n;
    if ((n = ymap_get(set, "calendars"))) {
        if (expect_kind(pc, n, YN_MAP, "calendars")) return -1;
        s->calendars = n; /* later packs' calendars are merged by name below */
    }
    return check_unknown_keys(pc, set, "settings");
}

static int apply_settings(pack_ctx *pc, loaded *packs, size_t npacks)
{
    settings_src s = {0};
    pack_settings *st = &pc->p->settings;
    for (size_t i = 0; i < npacks; i++)
        if (collect_settings(pc, ytree_root(packs[i].tree), &s) < 0) return -1;

    const char *zone_name = "UTC";
    if (s.timezone) {
        if (s.timezone->kind != YN_SCALAR)
            return pk_error(pc, s.timezone, "'timezone' must be an IANA zone name");
        zone_name = s.timezone->text;
    }
    char err[256];
    st->zone = tz_load(zone_name, err, sizeof err);
    if (st->zone == NULL) return pk_error(pc, s.timezone, "%s", err);

    if (s.date_formats &&
        strings_of(pc, s.date_formats, "date_formats", &st->date_formats, &st->ndate_formats) < 0)
        return -1;
    pc->p->dates = dt_parser_new(st->zone, (const char *const *)st->date_formats, st->ndate_formats,
                                 err, sizeof err);
    if (pc->p->dates == NULL) return pk_error(pc, s.date_formats, "%s", err);

    if (s.as_of) {
        if (s.as_of->kind != YN_SCALAR || !dt_parse_instant(st->zone, s.as_of->text, &st->as_of_us))
            return pk_error(pc, s.as_of,
                            "'as_of' must be a date or date-time such as 2026-11-22 or "
                            "2026-11-22T09:00:00Z");
        st->has_as_of = true;
    }
    if (s.country) {
        const char *c = s.country->text;
        size_t len = s.country->kind == YN_SCALAR ? s.country->len : 0;
        bool ok = len >= 1 && len <= 4;
        for (size_t i = 0; ok && i < len; i++) ok = c[i] >= '0' && c[i] <= '9';
        if (!ok)
            return pk_error(
                pc, s.country,
                "'default_country_code' must be 1 to 4 digits, such as \"1\" or \"44\"");
        if ((st->default_country_code = xstrdup(c)) == NULL) return oom(pc, s.country);
    }
    /* Calendars: every pack's, a later definition of a name replacing it. */
    for (size_t i = 0; i < npacks; i++) {
        ynode *set = ymap_get(ytree_root(packs[i].tree), "settings");
        ynode *cals = set && set->kind == YN_MAP ? ymap_get(set, "calendars") : NULL;
        if (cals == NULL) continue;
        for (size_t j = 0; j < cals->n; j++) {
            ynode *name = cals->items[2 * j];
            calendar c;
            if (parse_calendar(pc, name, cals->items[2 * j + 1], &c, zone_name) < 0) {
                calendar_free(&c);
                return -1;
            }
            calendar *slot = NULL;
            for (size_t k = 0; k < st->ncalendars; k++)
                if (strcmp(st->calendars[k].name, c.name) == 0) slot = &st->calendars[k];
            if (slot) {
                calendar_free(slot);
            } else {
                calendar *nc = xrealloc(st->calendars, (st->ncalendars + 1) * sizeof *nc);
                if (nc == NULL) {
                    calendar_free(&c);
                    return oom(pc, name);
                }
                st->calendars = nc;
                slot = &st->calendars[st->ncalendars++];
            }
            *slot = c;
        }
    }
    return 0;
}

/* ---- locating and reading pack files ------------------------------------ */

void pack_set_exe_path(const char *argv0)
{
    char resolved[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", resolved, sizeof resolved - 1);
    if (n > 0) {
        resolved[n] = '\0';
    } else if (argv0 == NULL || realpath(argv0, resolved) == NULL) {
        exe_dir[0] = '\0';
        exe_known = false;
        return;
    }
    /* The executable's directory's parent: build/crmlint -> the tree,
     * PREFIX/bin/crmlint -> PREFIX.  Cut lexically, so paths in messages
     * read "/src/rules/x.yaml", not "/src/build/../rules/x.yaml". */
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(resolved, '/');
        if (slash == NULL) break;
        *slash = '\0';
        if (slash == resolved) { /* the root directory itself */
            resolved[0] = '\0';
            break;
        }
    }
    snprintf(exe_dir, sizeof exe_dir, "%s", resolved);
    exe_known = true;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static bool is_bare_name(const char *spec)
{
    return strchr(spec, '/') == NULL && !has_suffix(spec, ".yaml") && !has_suffix(spec, ".yml");
}

char *pack_resolve(const char *spec, char *err, size_t errlen)
{
    if (!is_bare_name(spec)) {
        if (access(spec, R_OK) != 0) {
            snprintf(err, errlen, "%s: %s", spec, strerror(errno));
            return NULL;
        }
        char *copy = xstrdup(spec);
        if (copy == NULL) snprintf(err, errlen, "%s: out of memory", spec);
        return copy;
    }
    const char *env = getenv("CRMLINT_RULES_DIR");
    const char *dirs[3];
    char build_dir[PATH_MAX + 16], share_dir[PATH_MAX + 32];
    size_t nd = 0;
    if (env && *env) dirs[nd++] = env;
    if (exe_known) {
        snprintf(build_dir, sizeof build_dir, "%s/rules", exe_dir);
        snprintf(share_dir, sizeof share_dir, "%s/share/crmlint/rules", exe_dir);
        dirs[nd++] = build_dir;
        dirs[nd++] = share_dir;
    }
    for (size_t i = 0; i < nd; i++) {
        buf path = BUF_INIT;
        buf_printf(&path, "%s/%s.yaml", dirs[i], spec);
        if (path.oom) {
            buf_free(&path);
            snprintf(err, errlen, "%s: out of memory", spec);
            return NULL;
        }
        if (access(path.p, R_OK) == 0) return buf_steal(&path);
        buf_free(&path);
    }
    snprintf(err, errlen, "%s: no built-in pack of that name (looked in %s%s%s%s%s)", spec,
             nd > 0 ? dirs[0] : "", nd > 1 ? ", " : "", nd > 1 ? dirs[1] : "", nd > 2 ? ", " : "",
             nd > 2 ? dirs[2] : "");
    return NULL;
}

/* An `extends` entry: a bare name is built-in; anything else is a path
 * relative to the directory of the pack that names it. */
static char *resolve_extends(const char *from, const char *spec, char *err, size_t errlen)
{
    if (is_bare_name(spec) || spec[0] == '/') return pack_resolve(spec, err, errlen);
    buf path = BUF_INIT;
    const char *slash = strrchr(from, '/');
    if (slash) buf_add(&path, from, (size_t)(slash - from + 1));
    buf_adds(&path, spec);
    if (path.oom) {
        buf_free(&path);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    char *r = pack_resolve(path.p, err, errlen);
    buf_free(&path);
    return r;
}

typedef struct load_list {
    loaded *v;
    size_t n, cap;
} load_list;

/* Depth-first: a pack's extends come before it.  `stack` holds the real paths
 * of the packs being loaded, to report cycles. */
static int load_tree(pack_ctx *pc, const char *path, const ynode *at, strlist *stack,
                     load_list *out)
{
    if (stack->n >= CRMLINT_MAX_EXTENDS_DEPTH)
        return pk_error(pc, at, "'extends' nests deeper than %d packs (CRMLINT_MAX_EXTENDS_DEPTH)",
                        CRMLINT_MAX_EXTENDS_DEPTH);
    char real[PATH_MAX];
    if (realpath(path, real) == NULL) snprintf(real, sizeof real, "%s", path);
    for (size_t i = 0; i < stack->n; i++)
        if (strcmp(stack->v[i], real) == 0)
            return pk_error(pc, at, "'extends' forms a cycle: %s extends itself again", path);
    /* A pack reached twice (a diamond) merges once, at its first place, so a
     * later copy cannot undo what packs in between changed. */
    for (size_t i = 0; i < out->n; i++)
        if (strcmp(out->v[i].real, real) == 0) return 0;

    /* An extended pack that cannot be read is an error of the pack that names
     * it, at the name (its own syntax errors point into it, as they should). */
    struct stat st;
    if (at && stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return pk_error(pc, at, "cannot extend '%s': not a regular file", path);
    if (at && access(path, R_OK) != 0)
        return pk_error(pc, at, "cannot extend '%s': %s", path, strerror(errno));
    ytree *t = ytree_load(path, pc->err, pc->errlen);
    if (t == NULL) {
        pc->failed = true;
        return -1;
    }
    ynode *root = ytree_root(t);
    int rc = -1;
    if (!strlist_push(stack, xstrdup(real))) {
        ytree_free(t);
        return oom(pc, at);
    }
    if (root->kind != YN_MAP) {
        pk_error(pc, root, "a rule pack must be a mapping (version, name, objects, ...)");
        goto done;
    }
    ynode *ext = ymap_get(root, "extends");
    if (ext) {
        char **names;
        size_t n;
        if (strings_of(pc, ext, "extends", &names, &n) < 0) goto done;
        for (size_t i = 0; i < n; i++) {
            ynode *item = ext->kind == YN_SEQ ? ext->items[i] : ext;
            char rerr[PATH_MAX + 256];
            char *child = resolve_extends(path, names[i], rerr, sizeof rerr);
            if (child == NULL) {
                pk_error(pc, item, "cannot extend '%s': %s", names[i], rerr);
                free_strv(names, n);
                goto done;
            }
            int crc = load_tree(pc, child, item, stack, out);
            xfree(child);
            if (crc < 0) {
                free_strv(names, n);
                goto done;
            }
        }
        free_strv(names, n);
    }
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 4;
        loaded *v = xrealloc(out->v, cap * sizeof *v);
        if (v == NULL) {
            oom(pc, root);
            goto done;
        }
        out->v = v;
        out->cap = cap;
    }
    out->v[out->n].path = (char *)intern(pc->p, path);
    out->v[out->n].real = (char *)intern(pc->p, real);
    out->v[out->n].tree = t;
    out->n++;
    t = NULL;
    rc = 0;
done:
    ytree_free(t);
    xfree(stack->v[--stack->n]);
    return rc;
}

static int check_header(pack_ctx *pc, ynode *root, bool top)
{
    ynode *v = ymap_get(root, "version");
    if (v == NULL) return pk_error(pc, root, "missing required key 'version' (use version: 1)");
    if (v->kind != YN_SCALAR || strcmp(v->text, "1") != 0)
        return pk_error(pc, v, "unsupported pack version '%s' (this crmlint reads version 1)",
                        v->kind == YN_SCALAR ? v->text : "?");
    ynode *name = ymap_get(root, "name");
    if (name && name->kind != YN_SCALAR) return pk_error(pc, name, "'name' must be a string");
    if (top && name) {
        xfree(pc->p->name);
        if ((pc->p->name = xstrdup(name->text)) == NULL) return oom(pc, name);
    }
    return 0;
}

static int apply_disable(pack_ctx *pc, ynode *root)
{
    ynode *dis = ymap_get(root, "disable");
    if (dis == NULL) return 0;
    char **ids;
    size_t n;
    if (strings_of(pc, dis, "disable", &ids, &n) < 0) return -1;
    for (size_t i = 0; i < n; i++) {
        size_t oi, ri;
        rule *r = find_rule(pc->p, ids[i], &oi, &ri);
        if (r == NULL) {
            pk_error(pc, dis->kind == YN_SEQ ? dis->items[i] : dis,
                     "cannot disable '%s': no such rule in this pack or the packs it extends",
                     ids[i]);
            free_strv(ids, n);
            return -1;
        }
        pack_object *o = &pc->p->objects[oi];
        rule_free(r);
        memmove(&o->rules[ri], &o->rules[ri + 1], (o->nrules - ri - 1) * sizeof *o->rules);
        o->nrules--;
    }
    free_strv(ids, n);
    return 0;
}

/* ---- cross-object dependencies ------------------------------------------ */

/* Resolves the objects that lookups and rules name, and orders the objects
 * so each is scanned after those it depends on (pack order otherwise).  A
 * cycle is an error naming the objects in it. */
static int resolve_dependencies(pack_ctx *pc)
{
    pack *p = pc->p;
    size_t n = p->nobjects;
    /* deps[i*n + j]: object i depends on object j; where[] says why. */
    bool *deps = xcalloc(n * n + 1, sizeof *deps);
    srcpos *why = xcalloc(n * n + 1, sizeof *why);
    bool *placed = xcalloc(n + 1, sizeof *placed);
    p->order = xcalloc(n + 1, sizeof *p->order);
    int rc = -1;
    if (deps == NULL || why == NULL || placed == NULL || p->order == NULL) {
        pos_error(pc, (srcpos){p->path, 1, 1}, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        pack_object *o = &p->objects[i];
        for (size_t k = 0; k < o->nlookups; k++) {
            lookup_def *l = &o->lookups[k];
            int t = pack_object_index(p, l->to);
            if (t < 0) {
                pos_error(pc, l->pos,
                          "lookup '%s' names object '%s', which the pack does not define", l->name,
                          l->to);
                goto done;
            }
            if ((size_t)t == i) {
                pos_error(pc, l->pos,
                          "lookup '%s' targets its own object '%s'; use a reference rule", l->name,
                          l->to);
                goto done;
            }
            if (l->to_field == NULL && p->objects[t].key == NULL) {
                pos_error(pc, l->pos, "lookup '%s' needs 'to_field': object '%s' has no key column",
                          l->name, l->to);
                goto done;
            }
            if (strchr(l->name, '.')) {
                pos_error(pc, l->pos, "lookup name '%s' must not contain '.'", l->name);
                goto done;
            }
            deps[i * n + (size_t)t] = true;
            why[i * n + (size_t)t] = l->pos;
        }
        for (size_t k = 0; k < o->nrules; k++) {
            rule *r = o->rules[k];
            for (size_t d = 0; d < r->ndeps; d++) {
                int t = pack_object_index(p, r->deps[d].object);
                if (t < 0) {
                    pos_error(pc, r->deps[d].pos,
                              "rule '%s' names object '%s', which the pack does not define", r->id,
                              r->deps[d].object);
                    goto done;
                }
                r->deps[d].object_index = t;
                for (size_t f = 0; f < r->deps[d].nfields; f++) {
                    if (r->deps[d].fields[f]) continue;
                    if (p->objects[t].key == NULL) {
                        pos_error(pc, r->deps[d].pos,
                                  "rule '%s' needs 'to_field': object '%s' has no key column",
                                  r->id, r->deps[d].object);
                        goto done;
                    }
                    if ((r->deps[d].fields[f] = xstrdup(p->objects[t].key)) == NULL) {
                        pos_error(pc, r->deps[d].pos, "out of memory");
                        goto done;
                    }
                }
                if ((size_t)t == i) continue; /* self-references are the rule's business */
                deps[i * n + (size_t)t] = true;
                why[i * n + (size_t)t] = r->deps[d].pos;
            }
        }
    }
    for (size_t k = 0; k < n; k++) {
        size_t pick = n;
        for (size_t i = 0; i < n && pick == n; i++) {
            if (placed[i]) continue;
            bool ready = true;
            for (size_t j = 0; j < n && ready; j++) ready = !deps[i * n + j] || placed[j];
            if (ready) pick = i;
        }
        if (pick == n) {
            /* Walk unplaced dependencies from any unplaced object to a repeat. */
            size_t at = 0;
            while (placed[at]) at++;
            size_t steps = 0;
            for (; steps < n; steps++) {
                size_t next = 0;
                while (placed[next] || !deps[at * n + next]) next++;
                at = next;
            }
            buf path = BUF_INIT;
            size_t start = at;
            do {
                size_t next = 0;
                while (placed[next] || !deps[at * n + next]) next++;
                buf_printf(&path, "%s -> ", p->objects[at].name);
                at = next;
            } while (at != start);
            buf_adds(&path, p->objects[start].name);
            size_t next = 0;
            while (placed[next] || !deps[start * n + next]) next++;
            pos_error(pc, why[start * n + next],
                      "objects depend on each other in a cycle (%s) through lookups or references",
                      path.oom ? "?" : path.p);
            buf_free(&path);
            goto done;
        }
        placed[pick] = true;
        p->order[k] = (int)pick;
    }
    rc = 0;
done:
    xfree(deps);
    xfree(why);
    xfree(placed);
    return rc;
}

static char *stem_of(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (has_suffix(base, ".yaml"))
        n -= 5;
    else if (has_suffix(base, ".yml"))
        n -= 4;
    return xstrndup(base, n);
}

pack *pack_load(const char *spec, char *err, size_t errlen)
{
    pack *p = xcalloc(1, sizeof *p);
    strlist stack = {0};
    load_list packs = {0};
    char *path = NULL;
    if (p == NULL || (p->strings = xcalloc(1, sizeof(strlist))) == NULL) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    pack_ctx pc = {.p = p, .err = err, .errlen = errlen};

    path = pack_resolve(spec, err, errlen);
    if (path == NULL) goto fail;
    if ((p->path = xstrdup(path)) == NULL || (p->name = stem_of(path)) == NULL) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (load_tree(&pc, path, NULL, &stack, &packs) < 0) goto fail;
    for (size_t i = 0; i < packs.n; i++)
        if (check_header(&pc, ytree_root(packs.v[i].tree), i == packs.n - 1) < 0) goto fail;
    if (apply_settings(&pc, packs.v, packs.n) < 0) goto fail;

    for (size_t i = 0; i < packs.n; i++) {
        ynode *root = ytree_root(packs.v[i].tree);
        ynode *objs = ymap_get(root, "objects");
        if (objs && !ynode_is_null(objs)) {
            if (expect_kind(&pc, objs, YN_MAP, "objects")) goto fail;
            for (size_t j = 0; j < objs->n; j++) {
                objs->used[j] = true;
                if (merge_object(&pc, objs->items[2 * j], objs->items[2 * j + 1]) < 0) goto fail;
            }
        }
        if (apply_disable(&pc, root) < 0) goto fail;
        ymap_get(root, "extends"); /* read in load_tree */
        ymap_get(root, "settings");
        if (check_unknown_keys(&pc, root, "the pack (top level)") < 0) goto fail;
    }
    if (resolve_dependencies(&pc) < 0) goto fail;
    goto done;
fail:
    pack_free(p);
    p = NULL;
done:
    for (size_t i = 0; i < packs.n; i++) ytree_free(packs.v[i].tree);
    xfree(packs.v);
    strlist_free(&stack);
    xfree(path);
    return p;
}

void pack_free(pack *p)
{
    if (p == NULL) return;
    for (size_t i = 0; i < p->nobjects; i++) object_free(&p->objects[i]);
    xfree(p->objects);
    xfree(p->order);
    pack_settings *s = &p->settings;
    tz_free(s->zone);
    free_strv(s->date_formats, s->ndate_formats);
    xfree(s->default_country_code);
    for (size_t i = 0; i < s->ncalendars; i++) calendar_free(&s->calendars[i]);
    xfree(s->calendars);
    dt_parser_free(p->dates);
    if (p->strings) {
        strlist_free(p->strings);
        xfree(p->strings);
    }
    xfree(p->name);
    xfree(p->path);
    xfree(p);
}

int pack_object_index(const pack *p, const char *name)
{
    for (size_t i = 0; i < p->nobjects; i++)
        if (strcmp(p->objects[i].name, name) == 0) return (int)i;
    return -1;
}

const pack_object *pack_find_object(const pack *p, const char *name)
{
    int i = pack_object_index(p, name);
    return i < 0 ? NULL : &p->objects[i];
}

bool pack_column_is_date(const pack_object *o, const char *column)
{
    for (size_t i = 0; i < o->ndate_columns; i++)
        if (strcmp(o->date_columns[i], column) == 0) return true;
    return false;
}

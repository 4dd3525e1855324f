/*
 * rule_unique.c - `unique`: no two records share a key (SPEC §3 `unique`).
 *
 * A record's key is its listed fields, each trimmed, null-aware and run
 * through its normaliser; a key with an empty part is no key.  The first
 * record holding a key is remembered, and every later one gets a finding
 * pointing back at it.  With `across`, the keys of other objects (scanned
 * first: the engine orders objects by their dependencies) are indexed too,
 * and a record whose key occurs there is a duplicate as well.
 *
 * Memory is what limits this rule on large exports, so the index is lean:
 *
 *   - Keys live in a keymap (64-bit hash confirmed by comparing the key
 *     bytes, so a hash collision never makes a false duplicate).  A
 *     composite key is its parts, each but the last prefixed by its length
 *     as a varint, which keeps "ab"+"c" apart from "a"+"bc" whatever bytes
 *     the values hold; a one-field key is just the normalised value.
 *   - The keymap's 32-bit value is the ordinal of the first occurrence's
 *     site.  Sites are packed back to back as varints (object, file, line,
 *     record-key length) followed by the record key, and only every
 *     SITE_CHUNK-th site's offset is stored; finding a site walks at most
 *     SITE_CHUNK - 1 others, which happens only when a duplicate is found.
 *   - The keys of all `across` objects share one keymap whose value indexes
 *     a small array of site ordinals, because the first listed object must
 *     win even when a later-listed one is scanned first.
 *
 * Per distinct key that is the keymap's slot (16 bytes at a load factor
 * between 3/8 and 3/4), the key bytes plus a one-byte length, about 5 bytes
 * of site header, the record key, and half a byte of chunk index.
 */
#include <string.h>

#include "buf.h"
#include "keymap.h"
#include "normalize.h"
#include "pack.h"
#include "rule.h"
#include "text.h"
#include "varint.h"
#include "xalloc.h"

/* Sites per stored offset: a lookup decodes at most this many sites. */
#define SITE_CHUNK 16

/* Record keys quoted in messages are cut to this many bytes. */
#define SHOWN_RECORD_BYTES 128

typedef struct unique {
    size_t nparts;
    int *field;       /* per part: the rule's field index */
    normalizer *norm; /* per part */
    char *cc;         /* settings.default_country_code, for the phone normaliser */
    size_t nacross;   /* distinct objects in `across`, in listed order = dep index */
    int **dep_field;  /* per across object, per part: the field's index in that object */
    char *on;         /* ", on A, B" for composite keys, "" otherwise */
} unique;

typedef struct unique_state {
    keymap *own;    /* this object's keys -> site ordinal of the first occurrence */
    keymap *across; /* other objects' keys -> index into across_site */
    uint32_t *across_site;
    size_t nacross_keys, across_cap;
    buf sites;       /* packed sites, see site_add */
    uint64_t *chunk; /* offset in `sites` of every SITE_CHUNK-th site */
    size_t nchunks, chunk_cap;
    uint32_t nsites;
    const value **vals; /* per part, scratch for build_key */
    buf key;            /* scratch: the key being built */
} unique_state;

/* A decoded site: where a key first occurred. */
typedef struct site {
    int object; /* -1: this rule's object; otherwise the dependency */
    ck_site at;
} site;

/* ---- sites -------------------------------------------------------------- */

/* Appends a site and returns its ordinal, or UINT32_MAX when out of memory
 * (or past 2^32 - 1 sites, which the keymaps cannot reach). */
static uint32_t site_add(unique_state *st, int object, const ck_site *at)
{
    if (st->nsites == UINT32_MAX - 1) return UINT32_MAX;
    if (st->nsites % SITE_CHUNK == 0) {
        if (st->nchunks == st->chunk_cap) {
            size_t cap = st->chunk_cap ? st->chunk_cap * 2 : 64;
            uint64_t *v = xrealloc(st->chunk, cap * sizeof *v);
            if (v == NULL) return UINT32_MAX;
            st->chunk = v;
            st->chunk_cap = cap;
        }
        st->chunk[st->nchunks++] = st->sites.len;
    }
    varint_add(&st->sites, (uint64_t)(object + 1));
    varint_add(&st->sites, at->file);
    varint_add(&st->sites, at->line);
    /* 0: no record key; otherwise its length + 1. */
    varint_add(&st->sites, at->record.p ? at->record.n + 1 : 0);
    if (at->record.p) buf_add(&st->sites, at->record.p, at->record.n);
    if (st->sites.oom) return UINT32_MAX;
    return st->nsites++;
}

/* Decodes one site at p; returns the byte after it. */
static const char *site_decode(const char *p, site *s)
{
    uint64_t object, file, line, rec;
    p = varint_get(p, &object);
    p = varint_get(p, &file);
    p = varint_get(p, &line);
    p = varint_get(p, &rec);
    s->object = (int)object - 1;
    s->at.file = (uint32_t)file;
    s->at.line = line;
    s->at.record = rec ? slice_of(p, (size_t)rec - 1) : slice_of(NULL, 0);
    s->at.value = slice_of(NULL, 0);
    return rec ? p + rec - 1 : p;
}

/* The site with ordinal i; its record slice points into st->sites. */
static site site_get(const unique_state *st, uint32_t i)
{
    const char *p = st->sites.p + st->chunk[i / SITE_CHUNK];
    site s;
    for (uint32_t k = i % SITE_CHUNK;; k--) {
        p = site_decode(p, &s);
        if (k == 0) return s;
    }
}

/* ---- keys --------------------------------------------------------------- */

/* Builds the key of the current record into st->key from vals[k] (one per
 * part).  False when some part is empty before or after normalising. */
static bool build_key(const unique *u, unique_state *st, const value *const *vals)
{
    buf *k = &st->key;
    buf_reset(k);
    for (size_t i = 0; i < u->nparts; i++) {
        const value *v = vals[i];
        if (v->empty) return false;
        bool last = i + 1 == u->nparts;
        size_t start = k->len;
        /* One byte is reserved for the length; a part of 128 bytes or more
         * needs a longer varint, and is moved right to make room. */
        if (!last) buf_addc(k, 0);
        size_t at = k->len;
        normalize(u->norm[i], v->raw, u->cc, k);
        if (k->oom) return false;
        size_t n = k->len - at;
        if (n == 0) return false;
        if (last) break;
        size_t extra = varint_size(n) - 1;
        if (extra) {
            if (!buf_reserve(k, extra)) return false;
            memmove(k->p + at + extra, k->p + at, n);
            k->len += extra;
        }
        varint_put(k->p + start, n);
    }
    return true;
}

/* ---- parse -------------------------------------------------------------- */

static void unique_free(void *impl)
{
    unique *u = impl;
    xfree(u->field);
    xfree(u->norm);
    xfree(u->cc);
    for (size_t d = 0; d < u->nacross; d++) xfree(u->dep_field[d]);
    xfree(u->dep_field);
    xfree(u->on);
    xfree(u);
}

static int parse_normalize(rule *r, ynode *map, pack_ctx *pc, unique *u)
{
    ynode *n = ymap_get(map, "normalize");
    if (n == NULL) return 0;
    if (n->kind != YN_MAP)
        return pk_error(pc, n,
                        "'normalize' must be a mapping of field names to normalisers, "
                        "such as {Email: email}");
    for (size_t j = 0; j < n->n; j++) {
        ynode *k = n->items[2 * j], *v = n->items[2 * j + 1];
        n->used[j] = true;
        bool known = false;
        for (size_t i = 0; i < u->nparts; i++) {
            if (k->kind != YN_SCALAR || strcmp(r->fields[u->field[i]], k->text) != 0) continue;
            known = true;
            if (v->kind != YN_SCALAR || !normalizer_parse(v->text, &u->norm[i]))
                return pk_error(pc, v, "unknown normaliser '%s' (expected " NORMALIZER_CHOICES ")",
                                v->kind == YN_SCALAR ? v->text : "");
        }
        if (!known)
            return pk_error(pc, k, "'normalize' names '%s', which is not one of 'fields'",
                            k->kind == YN_SCALAR ? k->text : "");
    }
    return 0;
}

static int parse_across(rule *r, ynode *map, pack_ctx *pc, unique *u)
{
    char **names = NULL;
    size_t n = 0;
    int st = pk_strings(pc, map, "across", false, &names, &n);
    if (st <= 0) return st;
    ynode *node = ymap_get(map, "across");
    int rc = -1;
    if ((u->dep_field = xcalloc(n + 1, sizeof *u->dep_field)) == NULL) {
        pk_error(pc, node, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        ynode *at = node->kind == YN_SEQ ? node->items[i] : node;
        if (strcmp(names[i], pk_object(pc)->name) == 0) {
            pk_error(pc, at,
                     "'across' names this rule's own object '%s' (duplicates within it are "
                     "found without 'across')",
                     names[i]);
            goto cleanup;
        }
        int dep = pk_depend(pc, r, at, names[i], false);
        if (dep < 0) goto cleanup;
        if ((size_t)dep < u->nacross) continue; /* listed twice: the first place counts */
        /* Dependencies are numbered in the order they are declared, and this
         * rule declares no others, so dep == u->nacross and dependency order
         * is listed order. */
        int *f = xcalloc(u->nparts, sizeof *f);
        if (f == NULL) {
            pk_error(pc, at, "out of memory");
            goto cleanup;
        }
        u->dep_field[u->nacross++] = f;
        for (size_t k = 0; k < u->nparts; k++)
            if ((f[k] = pk_dep_field(pc, r, dep, r->fields[u->field[k]])) < 0) goto cleanup;
    }
    rc = 0;
cleanup:
    for (size_t i = 0; i < n; i++) xfree(names[i]);
    xfree(names);
    return rc;
}

static int unique_parse(rule *r, ynode *map, pack_ctx *pc)
{
    unique *u = xcalloc(1, sizeof *u);
    if (u == NULL) return pk_error(pc, map, "out of memory");
    r->impl = u;
    if (pk_fields(pc, r, map, "fields", true, &u->field, &u->nparts) < 0) return -1;
    if ((u->norm = xcalloc(u->nparts, sizeof *u->norm)) == NULL)
        return pk_error(pc, map, "out of memory");
    for (size_t i = 0; i < u->nparts; i++) u->norm[i] = NORM_TRIM;
    if (parse_normalize(r, map, pc, u) < 0) return -1;
    if (parse_across(r, map, pc, u) < 0) return -1;
    const char *cc = pk_pack(pc)->settings.default_country_code;
    if (cc && (u->cc = xstrdup(cc)) == NULL) return pk_error(pc, map, "out of memory");
    buf on = BUF_INIT;
    if (u->nparts > 1) {
        buf_adds(&on, " on ");
        for (size_t i = 0; i < u->nparts; i++)
            buf_printf(&on, "%s%s", i ? ", " : "", r->fields[u->field[i]]);
    }
    u->on = xstrdup(on.p ? on.p : "");
    bool failed = on.oom || u->on == NULL;
    buf_free(&on);
    if (failed) return pk_error(pc, map, "out of memory");
    return 0;
}

/* ---- run ---------------------------------------------------------------- */

static void unique_state_free(void *state)
{
    unique_state *st = state;
    if (st == NULL) return;
    keymap_free(st->own);
    keymap_free(st->across);
    xfree(st->across_site);
    buf_free(&st->sites);
    xfree(st->chunk);
    xfree(st->vals);
    buf_free(&st->key);
    xfree(st);
}

static void *unique_state_new(const rule *r)
{
    const unique *u = r->impl;
    unique_state *st = xcalloc(1, sizeof *st);
    if (st == NULL) return NULL;
    if ((st->own = keymap_new()) == NULL) goto fail;
    if ((st->vals = xcalloc(u->nparts, sizeof *st->vals)) == NULL) goto fail;
    if (u->nacross && (st->across = keymap_new()) == NULL) goto fail;
    return st;
fail:
    unique_state_free(st);
    return NULL;
}

static void unique_collect(check_ctx *c, const rule *r, void *state, int dep)
{
    const unique *u = r->impl;
    unique_state *st = state;
    for (size_t i = 0; i < u->nparts; i++)
        st->vals[i] = ck_dep_value(c, r, dep, u->dep_field[dep][i]);
    bool have = build_key(u, st, st->vals);
    if (st->key.oom) goto oom;
    if (!have) return;

    uint32_t idx;
    int got =
        keymap_put(st->across, slice_of(st->key.p, st->key.len), (uint32_t)st->nacross_keys, &idx);
    if (got < 0) goto oom;
    if (got == 1) {
        /* Seen before: keep it unless this object is listed earlier than
         * the one that supplied the current first match. */
        if (site_get(st, st->across_site[idx]).object <= dep) return;
    } else {
        if (st->nacross_keys == st->across_cap) {
            size_t cap = st->across_cap ? st->across_cap * 2 : 1024;
            uint32_t *v = xrealloc(st->across_site, cap * sizeof *v);
            if (v == NULL) goto oom;
            st->across_site = v;
            st->across_cap = cap;
        }
        idx = (uint32_t)st->nacross_keys++;
    }
    ck_site here = ck_here(c, r, -1);
    uint32_t s = site_add(st, dep, &here);
    if (s == UINT32_MAX) goto oom;
    st->across_site[idx] = s;
    return;
oom:
    ck_out_of_memory(c);
}

static void unique_check(check_ctx *c, const rule *r, void *state)
{
    const unique *u = r->impl;
    unique_state *st = state;
    for (size_t i = 0; i < u->nparts; i++) st->vals[i] = ck_value(c, r, u->field[i]);
    bool have = build_key(u, st, st->vals);
    if (st->key.oom) goto oom;
    if (!have) return;
    ck_checked(c, r);

    slice key = slice_of(st->key.p, st->key.len);
    uint32_t first;
    int got = keymap_put(st->own, key, st->nsites, &first);
    if (got < 0) goto oom;
    ck_site here = ck_here(c, r, u->field[0]);
    if (got == 0) {
        if (site_add(st, -1, &here) == UINT32_MAX) goto oom;
        uint32_t idx;
        if (st->across == NULL || !keymap_get(st->across, key, &idx)) return;
        first = st->across_site[idx];
    }
    site s = site_get(st, first);
    const char *object = s.object < 0 ? NULL : r->deps[s.object].object;
    const char *verb = object ? "matches" : "duplicates";
    bool same_file = object == NULL && s.at.file == here.file;
    const char *where = same_file || object ? "" : " of another file";
    if (s.at.record.p)
        ck_emit_site(c, r, u->field[0], &here, &s.at, "{field} {value} {detail}",
                     "%s %s %.*s (line %llu%s)%s", verb, object ? object : "record",
                     text_shown_len(s.at.record, SHOWN_RECORD_BYTES), s.at.record.p,
                     (unsigned long long)s.at.line, where, u->on);
    else
        ck_emit_site(c, r, u->field[0], &here, &s.at, "{field} {value} {detail}",
                     "%s the %s at line %llu%s%s", verb, object ? object : "record",
                     (unsigned long long)s.at.line, where, u->on);
    return;
oom:
    ck_out_of_memory(c);
}

const rule_type rule_unique = {
    .name = "unique",
    .summary = "no two records share the (normalised) key, also across other objects",
    .parse = unique_parse,
    .free_impl = unique_free,
    .state_new = unique_state_new,
    .state_free = unique_state_free,
    .check = unique_check,
    .collect = unique_collect,
};

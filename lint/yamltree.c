/*
 * yamltree.c - a YAML document as a tree of nodes with source positions.
 *
 * The pack loader wants random access by key and a PACK:LINE:COL for every
 * node, which neither libyaml's event stream nor its document API gives
 * conveniently (the document API keeps marks but expands nothing safely).  So
 * the events are folded into a small tree here, one recursive call per
 * collection.
 *
 * Untrusted packs must not be able to hang or exhaust crmlint: recursion stops
 * at CRMLINT_YAML_MAX_DEPTH, every alias use counts against
 * CRMLINT_YAML_MAX_ALIASES, and an alias is expanded only if the nodes it
 * would add still fit in CRMLINT_YAML_MAX_NODES, so a "billion laughs"
 * document fails before anything is copied past the limit.
 */
#include "yamltree.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "limits.h"
#include "text.h"
#include "xalloc.h"

struct ytree {
    char *file;
    ynode *root;
};

/* An anchor: the node it names (owned by the tree) and what copying it
 * costs, so an alias can be refused before it is expanded. */
typedef struct anchor {
    char *name;
    ynode *node;
    size_t size; /* nodes in the subtree */
    int height;  /* collections on the deepest path (0 for a scalar) */
} anchor;

typedef struct loader {
    const char *file;
    const char *data; /* the input, to place reader errors */
    size_t len;
    yaml_parser_t parser;
    anchor *anchors;
    size_t nanchors, capanchors;
    size_t *slots; /* open-addressing hash: anchor index + 1, 0 = empty */
    size_t nslots;
    size_t nodes;   /* nodes made so far, copies included */
    size_t aliases; /* alias uses so far */
    char *err;
    size_t errlen;
    bool failed;
} loader;

static void fail_at(loader *ld, srcpos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail_at(loader *ld, srcpos pos, const char *fmt, ...)
{
    if (ld->failed) return;
    ld->failed = true;
    int k = snprintf(ld->err, ld->errlen, "%s:%d:%d: ", ld->file, pos.line, pos.col);
    if (k < 0 || (size_t)k >= ld->errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ld->err + k, ld->errlen - (size_t)k, fmt, ap);
    va_end(ap);
}

static void fail_oom(loader *ld)
{
    if (ld->failed) return;
    ld->failed = true;
    snprintf(ld->err, ld->errlen, "%s: out of memory", ld->file);
}

static srcpos pos_of(const loader *ld, yaml_mark_t m)
{
    return (srcpos){ld->file, (int)m.line + 1, (int)m.column + 1};
}

/* Reader errors (bad encoding, control characters) carry a byte offset but
 * no mark; count lines and characters up to it as the scanner would. */
static srcpos pos_of_offset(const loader *ld, size_t off)
{
    if (off > ld->len) off = ld->len;
    size_t line = 1, start = 0;
    for (size_t i = 0; i < off; i++) {
        if (ld->data[i] == '\n') line++, start = i + 1;
    }
    size_t col = text_codepoints(slice_of(ld->data + start, off - start)) + 1;
    return (srcpos){ld->file, (int)line, (int)col};
}

static void fail_parser(loader *ld)
{
    yaml_parser_t *p = &ld->parser;
    if (p->error == YAML_MEMORY_ERROR) {
        fail_oom(ld);
        return;
    }
    srcpos pos = p->error == YAML_READER_ERROR ? pos_of_offset(ld, p->problem_offset)
                                               : pos_of(ld, p->problem_mark);
    const char *problem = p->problem ? p->problem : "invalid YAML";
    if (p->context) {
        fail_at(ld, pos, "%s %s", problem, p->context);
    } else {
        fail_at(ld, pos, "%s", problem);
    }
}

static bool next_event(loader *ld, yaml_event_t *ev)
{
    if (yaml_parser_parse(&ld->parser, ev)) return true;
    fail_parser(ld);
    return false;
}

/* ---- nodes ------------------------------------------------------------- */

static void node_free(ynode *n)
{
    if (n == NULL) return;
    xfree(n->text);
    size_t count = n->kind == YN_MAP ? 2 * n->n : n->n;
    for (size_t i = 0; i < count; i++) node_free(n->items[i]);
    xfree(n->items);
    xfree(n->used);
    xfree(n);
}

static ynode *node_new(loader *ld, ynode_kind kind, srcpos pos)
{
    if (ld->nodes >= CRMLINT_YAML_MAX_NODES) {
        fail_at(ld, pos, "too many YAML nodes (limit %d, CRMLINT_YAML_MAX_NODES)",
                CRMLINT_YAML_MAX_NODES);
        return NULL;
    }
    ynode *n = xcalloc(1, sizeof *n);
    if (n == NULL) {
        fail_oom(ld);
        return NULL;
    }
    ld->nodes++;
    n->kind = kind;
    n->pos = pos;
    return n;
}

static ynode *scalar_new(loader *ld, srcpos pos, const char *text, size_t len, bool plain)
{
    ynode *n = node_new(ld, YN_SCALAR, pos);
    if (n == NULL) return NULL;
    n->text = xstrndup(text, len);
    if (n->text == NULL) {
        node_free(n);
        fail_oom(ld);
        return NULL;
    }
    n->len = len;
    n->plain = plain;
    return n;
}

/* Appends one item (a sequence element, or a key or a value of a mapping) to
 * a collection under construction.  *count is the number of items, *cap the
 * capacity of n->items.  The caller keeps n->n in step with whole items or
 * whole pairs, so node_free never sees a half-built pair. */
static bool items_push(loader *ld, ynode *n, size_t *count, size_t *cap, ynode *item)
{
    if (*count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        ynode **items = xrealloc(n->items, ncap * sizeof *items);
        if (items == NULL) {
            fail_oom(ld);
            return false;
        }
        n->items = items;
        *cap = ncap;
    }
    n->items[(*count)++] = item;
    return true;
}

static bool map_finish(loader *ld, ynode *n)
{
    if (n->n == 0) return true;
    n->used = xcalloc(n->n, sizeof *n->used);
    if (n->used == NULL) {
        fail_oom(ld);
        return false;
    }
    return true;
}

/* Deep copy for an alias; the caller has checked that it fits the limits. */
static ynode *node_copy(loader *ld, const ynode *src)
{
    if (src->kind == YN_SCALAR) return scalar_new(ld, src->pos, src->text, src->len, src->plain);
    ynode *n = node_new(ld, src->kind, src->pos);
    if (n == NULL) return NULL;
    size_t count = src->kind == YN_MAP ? 2 * src->n : src->n;
    if (count > 0) {
        n->items = xcalloc(count, sizeof *n->items);
        if (n->items == NULL) {
            fail_oom(ld);
            goto fail;
        }
    }
    for (size_t i = 0; i < count; i++) {
        n->items[i] = node_copy(ld, src->items[i]);
        if (n->items[i] == NULL) goto fail;
        if (src->kind == YN_SEQ || i % 2 == 1) n->n = src->kind == YN_SEQ ? i + 1 : (i + 1) / 2;
    }
    if (n->kind == YN_MAP && !map_finish(ld, n)) goto fail;
    return n;
fail:
    /* A key copied without its value is not counted by n->n. */
    if (n->kind == YN_MAP && n->items && 2 * n->n < count) node_free(n->items[2 * n->n]);
    node_free(n);
    return NULL;
}

/* ---- anchors ----------------------------------------------------------- */

static size_t hash_name(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* The slot holding name, or the empty slot where it would go. */
static size_t *anchor_slot(loader *ld, const char *name)
{
    size_t mask = ld->nslots - 1, i = hash_name(name) & mask;
    while (ld->slots[i] != 0 && strcmp(ld->anchors[ld->slots[i] - 1].name, name) != 0)
        i = (i + 1) & mask;
    return &ld->slots[i];
}

static const anchor *anchor_find(loader *ld, const char *name)
{
    if (ld->nslots == 0) return NULL;
    size_t *slot = anchor_slot(ld, name);
    return *slot ? &ld->anchors[*slot - 1] : NULL;
}

/* Names node; a later anchor of the same name replaces the earlier one, as
 * YAML says. */
static bool anchor_add(loader *ld, const char *name, ynode *node, size_t size, int height)
{
    if (ld->nslots && *anchor_slot(ld, name)) {
        anchor *a = &ld->anchors[*anchor_slot(ld, name) - 1];
        a->node = node, a->size = size, a->height = height;
        return true;
    }
    if (ld->nanchors == ld->capanchors) {
        size_t ncap = ld->capanchors ? ld->capanchors * 2 : 16;
        anchor *na = xrealloc(ld->anchors, ncap * sizeof *na);
        if (na == NULL) goto oom;
        ld->anchors = na;
        ld->capanchors = ncap;
    }
    if (2 * (ld->nanchors + 1) > ld->nslots) {
        /* Keep the table at most half full; rehash into a bigger one. */
        size_t nslots = ld->nslots ? ld->nslots * 2 : 32;
        size_t *slots = xcalloc(nslots, sizeof *slots);
        if (slots == NULL) goto oom;
        xfree(ld->slots);
        ld->slots = slots;
        ld->nslots = nslots;
        for (size_t i = 0; i < ld->nanchors; i++) *anchor_slot(ld, ld->anchors[i].name) = i + 1;
    }
    char *copy = xstrdup(name);
    if (copy == NULL) goto oom;
    ld->anchors[ld->nanchors] = (anchor){copy, node, size, height};
    ld->nanchors++;
    *anchor_slot(ld, name) = ld->nanchors;
    return true;
oom:
    fail_oom(ld);
    return false;
}

/* ---- duplicate keys ---------------------------------------------------- */

static bool key_eq(const ynode *a, const ynode *b)
{
    return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

typedef struct keyref {
    const ynode *key;
    size_t index;
} keyref;

static int keyref_cmp(const void *pa, const void *pb)
{
    const keyref *a = pa, *b = pb;
    if (a->key->len != b->key->len) return a->key->len < b->key->len ? -1 : 1;
    int c = memcmp(a->key->text, b->key->text, a->key->len);
    if (c != 0) return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Index of the first key (in document order) that repeats an earlier key of
 * the mapping, or n when all differ.  Large mappings are sorted rather than
 * compared pairwise so a 16 MiB flat mapping stays O(n log n). */
static size_t first_duplicate(loader *ld, const ynode *map, bool *oom)
{
    size_t n = map->n, best = n;
    *oom = false;
    if (n <= 16) {
        for (size_t j = 1; j < n; j++)
            for (size_t i = 0; i < j; i++)
                if (key_eq(map->items[2 * i], map->items[2 * j])) return j;
        return n;
    }
    keyref *refs = xmalloc(n * sizeof *refs);
    if (refs == NULL) {
        fail_oom(ld);
        *oom = true;
        return n;
    }
    for (size_t i = 0; i < n; i++) refs[i] = (keyref){map->items[2 * i], i};
    qsort(refs, n, sizeof *refs, keyref_cmp);
    for (size_t i = 1; i < n; i++) {
        /* Within a run of equal keys, the second is the first repeat. */
        if (key_eq(refs[i - 1].key, refs[i].key) &&
            (i < 2 || !key_eq(refs[i - 2].key, refs[i].key)))
            if (refs[i].index < best) best = refs[i].index;
    }
    xfree(refs);
    return best;
}

/* ---- building ---------------------------------------------------------- */

static ynode *build(loader *ld, yaml_event_t *ev, int depth, size_t *size, int *height);

static bool too_deep(loader *ld, srcpos pos, int depth)
{
    if (depth <= CRMLINT_YAML_MAX_DEPTH) return false;
    fail_at(ld, pos, "YAML nesting too deep (limit %d, CRMLINT_YAML_MAX_DEPTH)",
            CRMLINT_YAML_MAX_DEPTH);
    return true;
}

static ynode *build_alias(loader *ld, yaml_event_t *ev, int depth, size_t *size, int *height)
{
    srcpos pos = pos_of(ld, ev->start_mark);
    const char *name = (const char *)ev->data.alias.anchor;
    if (++ld->aliases > CRMLINT_YAML_MAX_ALIASES) {
        fail_at(ld, pos, "too many YAML aliases (limit %d, CRMLINT_YAML_MAX_ALIASES)",
                CRMLINT_YAML_MAX_ALIASES);
        return NULL;
    }
    const anchor *a = anchor_find(ld, name);
    if (a == NULL) {
        fail_at(ld, pos, "undefined YAML alias '%s'", name);
        return NULL;
    }
    /* Refuse before copying, so a bomb costs nothing past the limits. */
    if (a->height > 0 && too_deep(ld, pos, depth + a->height - 1)) return NULL;
    if (a->size > CRMLINT_YAML_MAX_NODES - ld->nodes) {
        fail_at(ld, pos, "too many YAML nodes (limit %d, CRMLINT_YAML_MAX_NODES)",
                CRMLINT_YAML_MAX_NODES);
        return NULL;
    }
    *size = a->size;
    *height = a->height;
    ynode *n = node_copy(ld, a->node);
    /* The copy stands where the alias is written: "severity: *x" with the
     * wrong kind of node is reported there.  Inner nodes keep the anchor's
     * positions, where their text is. */
    if (n) n->pos = pos;
    return n;
}

static ynode *build_seq(loader *ld, int depth, ynode *n, size_t *size, int *height)
{
    size_t count = 0, cap = 0;
    for (;;) {
        yaml_event_t e;
        if (!next_event(ld, &e)) goto fail;
        if (e.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&e);
            return n;
        }
        size_t cs;
        int ch;
        ynode *c = build(ld, &e, depth + 1, &cs, &ch);
        yaml_event_delete(&e);
        if (c == NULL) goto fail;
        if (!items_push(ld, n, &count, &cap, c)) {
            node_free(c);
            goto fail;
        }
        n->n = count;
        *size += cs;
        if (ch + 1 > *height) *height = ch + 1;
    }
fail:
    node_free(n);
    return NULL;
}

static ynode *build_map(loader *ld, int depth, ynode *n, size_t *size, int *height)
{
    size_t count = 0, cap = 0;
    ynode *key = NULL;
    for (;;) {
        yaml_event_t e;
        if (!next_event(ld, &e)) goto fail;
        if (e.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&e);
            break;
        }
        size_t ks, vs;
        int kh, vh;
        key = build(ld, &e, depth + 1, &ks, &kh);
        yaml_event_delete(&e);
        if (key == NULL) goto fail;
        if (key->kind != YN_SCALAR) {
            fail_at(ld, key->pos, "a mapping key must be a scalar, not %s",
                    ynode_kind_name(key->kind));
            goto fail;
        }
        if (!next_event(ld, &e)) goto fail;
        ynode *val = build(ld, &e, depth + 1, &vs, &vh);
        yaml_event_delete(&e);
        if (val == NULL) goto fail;
        if (!items_push(ld, n, &count, &cap, key)) {
            node_free(val);
            goto fail;
        }
        key = NULL; /* owned by n now, though n->n does not count it yet */
        if (!items_push(ld, n, &count, &cap, val)) {
            node_free(val);
            node_free(n->items[count - 1]);
            goto fail;
        }
        n->n = count / 2;
        *size += ks + vs;
        if (vh + 1 > *height) *height = vh + 1;
    }
    bool oom;
    size_t dup = first_duplicate(ld, n, &oom);
    if (oom) goto fail;
    if (dup < n->n) {
        const ynode *k = n->items[2 * dup];
        fail_at(ld, k->pos, "duplicate key '%.*s'", (int)(k->len > 200 ? 200 : k->len), k->text);
        goto fail;
    }
    if (!map_finish(ld, n)) goto fail;
    return n;
fail:
    node_free(key);
    node_free(n);
    return NULL;
}

/* Builds the node that starts with event ev (owned by the caller).  depth is
 * the nesting level a collection here would have (the root's is 1). */
static ynode *build(loader *ld, yaml_event_t *ev, int depth, size_t *size, int *height)
{
    srcpos pos = pos_of(ld, ev->start_mark);
    ynode *n = NULL;
    const yaml_char_t *anchor_name = NULL;
    *size = 1;
    *height = 0;
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        return build_alias(ld, ev, depth, size, height);
    case YAML_SCALAR_EVENT:
        anchor_name = ev->data.scalar.anchor;
        n = scalar_new(ld, pos, (const char *)ev->data.scalar.value, ev->data.scalar.length,
                       ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE);
        break;
    case YAML_SEQUENCE_START_EVENT:
        anchor_name = ev->data.sequence_start.anchor;
        if (too_deep(ld, pos, depth)) return NULL;
        *height = 1;
        n = node_new(ld, YN_SEQ, pos);
        if (n) n = build_seq(ld, depth, n, size, height);
        break;
    case YAML_MAPPING_START_EVENT:
        anchor_name = ev->data.mapping_start.anchor;
        if (too_deep(ld, pos, depth)) return NULL;
        *height = 1;
        n = node_new(ld, YN_MAP, pos);
        if (n) n = build_map(ld, depth, n, size, height);
        break;
    default:
        fail_at(ld, pos, "unexpected YAML event");
        return NULL;
    }
    if (n && anchor_name && !anchor_add(ld, (const char *)anchor_name, n, *size, *height)) {
        node_free(n);
        return NULL;
    }
    return n;
}

/* ---- loading ----------------------------------------------------------- */

static void loader_free(loader *ld)
{
    for (size_t i = 0; i < ld->nanchors; i++) xfree(ld->anchors[i].name);
    xfree(ld->anchors);
    xfree(ld->slots);
}

/* Reads the one document of the stream into t->root. */
static bool load_stream(loader *ld, ytree *t)
{
    yaml_event_t e;
    if (!next_event(ld, &e)) return false;
    yaml_event_delete(&e); /* STREAM-START */
    if (!next_event(ld, &e)) return false;
    if (e.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&e);
        t->root = node_new(ld, YN_MAP, (srcpos){t->file, 1, 1});
        return t->root != NULL;
    }
    yaml_event_delete(&e); /* DOCUMENT-START */
    if (!next_event(ld, &e)) return false;
    size_t size;
    int height;
    t->root = build(ld, &e, 1, &size, &height);
    yaml_event_delete(&e);
    if (t->root == NULL) return false;
    if (!next_event(ld, &e)) return false;
    yaml_event_delete(&e); /* DOCUMENT-END */
    if (!next_event(ld, &e)) return false;
    if (e.type != YAML_STREAM_END_EVENT) {
        fail_at(ld, pos_of(ld, e.start_mark),
                "a second YAML document is not allowed (a pack is one document)");
        yaml_event_delete(&e);
        return false;
    }
    yaml_event_delete(&e);
    /* "---" alone or "~" is as empty as an empty file. */
    if (ynode_is_null(t->root)) {
        ynode *map = node_new(ld, YN_MAP, t->root->pos);
        if (map == NULL) return false;
        node_free(t->root);
        t->root = map;
    }
    return true;
}

ytree *ytree_load_mem(const char *name, const char *data, size_t len, char *err, size_t errlen)
{
    loader ld;
    memset(&ld, 0, sizeof ld);
    ld.err = err;
    ld.errlen = errlen;
    ld.file = name;
    ld.data = data;
    ld.len = len;
    ytree *t = xcalloc(1, sizeof *t);
    if (t == NULL || (t->file = xstrdup(name)) == NULL) {
        fail_oom(&ld);
        xfree(t);
        return NULL;
    }
    ld.file = t->file;
    if (len > CRMLINT_YAML_MAX_BYTES) {
        snprintf(err, errlen,
                 "%s: YAML file too large (%zu bytes, limit %u, CRMLINT_YAML_MAX_BYTES)", name, len,
                 CRMLINT_YAML_MAX_BYTES);
        ytree_free(t);
        return NULL;
    }
    if (!yaml_parser_initialize(&ld.parser)) {
        fail_oom(&ld);
        ytree_free(t);
        return NULL;
    }
    yaml_parser_set_input_string(&ld.parser, (const unsigned char *)(data ? data : ""), len);
    bool ok = load_stream(&ld, t);
    yaml_parser_delete(&ld.parser);
    loader_free(&ld);
    if (!ok) {
        ytree_free(t);
        return NULL;
    }
    return t;
}

ytree *ytree_load(const char *path, char *err, size_t errlen)
{
    buf b = BUF_INIT;
    ytree *t = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_add(&b, chunk, k);
        if (b.oom) {
            snprintf(err, errlen, "%s: out of memory", path);
            goto cleanup;
        }
        /* Stop reading once over the limit; ytree_load_mem reports it. */
        if (b.len > CRMLINT_YAML_MAX_BYTES) break;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        goto cleanup;
    }
    t = ytree_load_mem(path, b.p, b.len, err, errlen);
cleanup:
    fclose(f);
    buf_free(&b);
    return t;
}

void ytree_free(ytree *t)
{
    if (t == NULL) return;
    node_free(t->root);
    xfree(t->file);
    xfree(t);
}

ynode *ytree_root(const ytree *t)
{
    return t->root;
}

ynode *ymap_get(ynode *map, const char *key)
{
    if (map == NULL || map->kind != YN_MAP) return NULL;
    size_t klen = strlen(key);
    for (size_t i = 0; i < map->n; i++) {
        const ynode *k = map->items[2 * i];
        if (k->len == klen && memcmp(k->text, key, klen) == 0) {
            map->used[i] = true;
            return map->items[2 * i + 1];
        }
    }
    return NULL;
}

const ynode *ymap_first_unused(const ynode *map)
{
    if (map == NULL || map->kind != YN_MAP) return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (!map->used[i]) return map->items[2 * i];
    return NULL;
}

bool ynode_is_null(const ynode *n)
{
    if (n == NULL || n->kind != YN_SCALAR || !n->plain) return false;
    if (n->len == 0) return true;
    return (n->len == 1 && n->text[0] == '~') ||
           (n->len == 4 && (memcmp(n->text, "null", 4) == 0 || memcmp(n->text, "Null", 4) == 0 ||
                            memcmp(n->text, "NULL", 4) == 0));
}

const char *ynode_kind_name(ynode_kind k)
{
    switch (k) {
    case YN_SCALAR:
        return "a scalar";
    case YN_SEQ:
        return "a list";
    case YN_MAP:
        return "a mapping";
    }
    return "a node";
}

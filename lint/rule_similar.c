/*
 * rule_similar.c - `similar`: fuzzy duplicates within blocks (SPEC §3).
 *
 * Records whose block_by values, each normalised, are all equal and
 * non-empty form a block.  Each record's normalised `field` is compared by
 * Jaro-Winkler with every earlier record of its block, earliest first; the
 * first that scores at least min_similarity is the finding's related record.
 * Without block_by every record is in one block: that is only useful for
 * small tables, and the comparison limit below keeps it from being quadratic
 * on large ones.
 *
 * Comparing all pairs is quadratic in the block's size, so each block has a
 * budget of CRMLINT_SIMILAR_MAX_BLOCK_COMPARISONS.  A record is charged one
 * comparison per earlier record of its block (whether or not an early match
 * ended its scan), so the cut falls at the same record whatever the data.
 * The record that would go over the budget gets one finding saying so,
 * related to the block's first record (values stay out of the message, for
 * --redact), and is not compared; the block's later records are neither
 * compared nor counted as checked, and the rule's stats count them
 * (blocks_over_comparison_limit, records_not_compared).
 *
 * Storage: a keymap from the block key to the block's index; per block, a
 * list of its records threaded through one append-only arena.  An entry is a
 * fixed header (next entry, site, code point count) followed by the
 * normalised value and the record key.  The code point counts give a cheap
 * upper bound on the score, which skips pairs whose lengths alone rule them
 * out.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "keymap.h"
#include "limits.h"
#include "normalize.h"
#include "pack.h"
#include "rule.h"
#include "varint.h"
#include "similarity.h"
#include "text.h"
#include "xalloc.h"

/* Scores this close below min_similarity count as reaching it: Jaro-Winkler
 * is a ratio of small integers, and a score that is exactly the threshold in
 * exact arithmetic (0.7 for "ab" and "ac") may come out one rounding below
 * it in floating point. */
#define SCORE_EPSILON 1e-12

/* Record keys quoted in messages are cut to this many bytes. */
#define SHOWN_RECORD_BYTES 128

#define NONE UINT64_MAX

typedef struct similar {
    int field;
    normalizer norm;
    size_t nblock;
    int *block_field; /* per block_by entry: the rule's field index */
    normalizer *block_norm;
    double min;
    char *cc;         /* settings.default_country_code */
    char *block_desc; /* "same A, B as" or NULL without block_by */
} similar;

/* An entry's fixed header in the arena; the value and record key follow. */
typedef struct entry {
    uint64_t next; /* offset of the block's next entry, NONE at the end */
    uint64_t line;
    uint32_t file;
    uint32_t cps;  /* code points in the value */
    uint32_t vlen; /* bytes of the normalised value */
    uint32_t rlen; /* bytes of the record key + 1; 0: no record key */
} entry;

typedef struct block {
    uint64_t head, tail;  /* entry offsets */
    uint64_t n;           /* records in the block */
    uint64_t comparisons; /* charged so far */
    bool over;            /* the budget ran out: no more comparisons */
} block;

typedef struct similar_state {
    keymap *blocks; /* block key -> index into block[] */
    block *block;
    size_t nblocks, cap;
    buf arena;     /* entries, 8-byte aligned */
    buf val, bkey; /* scratch: the normalised value, the block key */
    uint64_t blocks_over, not_compared;
} similar_state;

/* ---- helpers ------------------------------------------------------------ */

/* The block key of the current record into st->bkey: each normalised
 * block_by value prefixed by its length.  False when a value is empty
 * before or after normalising. */
static bool block_key(check_ctx *c, const rule *r, const similar *f, similar_state *st)
{
    buf *k = &st->bkey;
    buf_reset(k);
    for (size_t i = 0; i < f->nblock; i++) {
        const value *v = ck_value(c, r, f->block_field[i]);
        if (v->empty) return false;
        size_t start = k->len;
        buf_addc(k, 0); /* room for a one-byte length; longer ones move the bytes */
        size_t at = k->len;
        normalize(f->block_norm[i], v->raw, f->cc, k);
        if (k->oom) return false;
        size_t n = k->len - at;
        if (n == 0) return false;
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

/* The highest score two values of la and lb code points can reach: all of
 * the shorter one matched in order, with the longest possible prefix. */
static double score_bound(uint32_t la, uint32_t lb)
{
    double mn = la < lb ? la : lb;
    double jaro = (mn / la + mn / lb + 1.0) / 3.0;
    double l = mn < 4 ? mn : 4;
    return jaro + l * 0.1 * (1.0 - jaro);
}

static entry entry_at(const similar_state *st, uint64_t off)
{
    entry e;
    memcpy(&e, st->arena.p + off, sizeof e);
    return e;
}

static ck_site entry_site(const similar_state *st, uint64_t off, const entry *e)
{
    const char *p = st->arena.p + off + sizeof *e + e->vlen;
    return (ck_site){e->file, e->line, e->rlen ? slice_of(p, e->rlen - 1) : slice_of(NULL, 0),
                     slice_of(NULL, 0)};
}

/* Appends the current record to block b.  False when out of memory. */
static bool entry_add(similar_state *st, block *b, const ck_site *here, slice val, uint32_t cps)
{
    buf *a = &st->arena;
    size_t rec = here->record.p ? here->record.n : 0;
    if (val.n >= UINT32_MAX || rec >= UINT32_MAX - 1) return false;
    size_t pad = (8 - a->len % 8) % 8;
    if (!buf_reserve(a, pad + sizeof(entry) + val.n + rec)) return false;
    memset(a->p + a->len, 0, pad);
    a->len += pad;
    uint64_t off = a->len;
    entry e = {NONE, here->line,      here->file,
               cps,  (uint32_t)val.n, here->record.p ? (uint32_t)rec + 1 : 0};
    buf_add(a, &e, sizeof e);
    buf_add(a, val.p, val.n);
    if (rec) buf_add(a, here->record.p, rec);
    if (a->oom) return false;
    if (b->head == NONE) {
        b->head = off;
    } else {
        entry t = entry_at(st, b->tail);
        t.next = off;
        memcpy(a->p + b->tail, &t, sizeof t);
    }
    b->tail = off;
    b->n++;
    return true;
}

/* ---- parse -------------------------------------------------------------- */

static void similar_free(void *impl)
{
    similar *f = impl;
    xfree(f->block_field);
    xfree(f->block_norm);
    xfree(f->cc);
    xfree(f->block_desc);
    xfree(f);
}

static int parse_normalizer(pack_ctx *pc, const ynode *at, const char *name, normalizer *out)
{
    if (normalizer_parse(name, out)) return 0;
    return pk_error(pc, at, "unknown normaliser '%s' (expected " NORMALIZER_CHOICES ")", name);
}

/* One block_by entry: a field name (normalised with lower) or a mapping
 * {field, normalize}. */
static int parse_block_entry(rule *r, ynode *item, pack_ctx *pc, size_t i)
{
    similar *f = r->impl;
    f->block_norm[i] = NORM_LOWER;
    if (item->kind == YN_SCALAR) {
        if (item->len == 0 || memchr(item->text, '\0', item->len))
            return pk_error(pc, item, "'block_by' entries must be column names");
        if ((f->block_field[i] = pk_register_field(pc, r, item->text)) < 0) return -1;
        return 0;
    }
    if (item->kind != YN_MAP)
        return pk_error(pc, item,
                        "'block_by' entries must be column names or {field, "
                        "normalize} mappings");
    if (pk_field(pc, r, item, "field", true, &f->block_field[i]) < 0) return -1;
    char *name = NULL;
    int st = pk_string(pc, item, "normalize", false, &name);
    if (st < 0) return -1;
    ynode *nn = ymap_get(item, "normalize");
    int rc = st == 1 ? parse_normalizer(pc, nn, name, &f->block_norm[i]) : 0;
    xfree(name);
    if (rc < 0) return -1;
    const ynode *unknown = ymap_first_unused(item);
    if (unknown)
        return pk_error(pc, unknown, "unknown key '%s' in a block_by entry", unknown->text);
    return 0;
}

static int similar_parse(rule *r, ynode *map, pack_ctx *pc)
{
    similar *f = xcalloc(1, sizeof *f);
    if (f == NULL) return pk_error(pc, map, "out of memory");
    r->impl = f;
    if (pk_field(pc, r, map, "field", true, &f->field) < 0) return -1;
    f->norm = NORM_LOWER;
    char *name = NULL;
    int st = pk_string(pc, map, "normalize", false, &name);
    if (st < 0) return -1;
    int rc = st == 1 ? parse_normalizer(pc, ymap_get(map, "normalize"), name, &f->norm) : 0;
    xfree(name);
    if (rc < 0) return -1;

    ynode *bb = ymap_get(map, "block_by");
    if (bb && !ynode_is_null(bb)) {
        size_t n = bb->kind == YN_SEQ ? bb->n : 1;
        if (n == 0) return pk_error(pc, bb, "'block_by' must list at least one column");
        f->block_field = xcalloc(n, sizeof *f->block_field);
        f->block_norm = xcalloc(n, sizeof *f->block_norm);
        if (f->block_field == NULL || f->block_norm == NULL)
            return pk_error(pc, bb, "out of memory");
        for (size_t i = 0; i < n; i++) {
            if (parse_block_entry(r, bb->kind == YN_SEQ ? bb->items[i] : bb, pc, i) < 0) return -1;
            f->nblock++;
        }
        buf d = BUF_INIT;
        buf_adds(&d, "same ");
        for (size_t i = 0; i < n; i++)
            buf_printf(&d, "%s%s", i ? ", " : "", r->fields[f->block_field[i]]);
        f->block_desc = d.oom ? NULL : buf_steal(&d);
        buf_free(&d);
        if (f->block_desc == NULL) return pk_error(pc, bb, "out of memory");
    }

    if (pk_number(pc, map, "min_similarity", true, &f->min) < 0) return -1;
    if (!(f->min >= 0.0 && f->min <= 1.0))
        return pk_error(pc, ymap_get(map, "min_similarity"),
                        "'min_similarity' must be between 0 and 1");
    const char *cc = pk_pack(pc)->settings.default_country_code;
    if (cc && (f->cc = xstrdup(cc)) == NULL) return pk_error(pc, map, "out of memory");
    return 0;
}

/* ---- run ---------------------------------------------------------------- */

static void similar_state_free(void *state)
{
    similar_state *st = state;
    if (st == NULL) return;
    keymap_free(st->blocks);
    xfree(st->block);
    buf_free(&st->arena);
    buf_free(&st->val);
    buf_free(&st->bkey);
    xfree(st);
}

static void *similar_state_new(const rule *r)
{
    (void)r;
    similar_state *st = xcalloc(1, sizeof *st);
    if (st == NULL) return NULL;
    if ((st->blocks = keymap_new()) == NULL) {
        xfree(st);
        return NULL;
    }
    return st;
}

/* The score as the message shows it: cut (not rounded) to two decimals, so
 * 0.999 never reads as 1.00, with more digits when two would read as below
 * the threshold. */
static int score_digits(double score, double min, double *shown)
{
    int d = 2;
    for (double scale = 100.0;; d++, scale *= 10.0) {
        *shown = floor(score * scale) / scale;
        if (*shown >= min - SCORE_EPSILON || d == 6) return d;
    }
}

static void over_budget(check_ctx *c, const rule *r, const similar *f, similar_state *st, block *b)
{
    b->over = true;
    st->blocks_over++;
    entry first = entry_at(st, b->head);
    ck_site rel = entry_site(st, b->head, &first);
    char where[64 + SHOWN_RECORD_BYTES];
    if (rel.record.p)
        snprintf(where, sizeof where, "record %.*s, line %llu",
                 text_shown_len(rel.record, SHOWN_RECORD_BYTES), rel.record.p,
                 (unsigned long long)rel.line);
    else
        snprintf(where, sizeof where, "the record at line %llu", (unsigned long long)rel.line);
    ck_emit_site(c, r, f->field, NULL, &rel, "{field} {value} {detail}",
                 "is not compared: its block (%s%s%s) would exceed %llu comparisons "
                 "(CRMLINT_SIMILAR_MAX_BLOCK_COMPARISONS), so neither are its later records",
                 f->block_desc ? f->block_desc : "all records: no block_by",
                 f->block_desc ? " as " : ", the first is ", where,
                 (unsigned long long)CRMLINT_SIMILAR_MAX_BLOCK_COMPARISONS);
}

static void similar_check(check_ctx *c, const rule *r, void *state)
{
    const similar *f = r->impl;
    similar_state *st = state;
    const value *v = ck_value(c, r, f->field);
    if (v->empty) return;
    buf_reset(&st->val);
    normalize(f->norm, v->raw, f->cc, &st->val);
    if (st->val.oom) goto oom;
    if (st->val.len == 0) return;
    if (!block_key(c, r, f, st)) {
        if (st->bkey.oom) goto oom;
        return;
    }

    uint32_t bi;
    /* Without block_by the key is empty and the buffer may have no memory. */
    slice bkey = slice_of(st->bkey.p ? st->bkey.p : "", st->bkey.len);
    int got = keymap_put(st->blocks, bkey, (uint32_t)st->nblocks, &bi);
    if (got < 0) goto oom;
    if (got == 0) {
        if (st->nblocks == st->cap) {
            size_t cap = st->cap ? st->cap * 2 : 64;
            block *nb = xrealloc(st->block, cap * sizeof *nb);
            if (nb == NULL) goto oom;
            st->block = nb;
            st->cap = cap;
        }
        bi = (uint32_t)st->nblocks++;
        st->block[bi] = (block){NONE, NONE, 0, 0, false};
    }
    block *b = &st->block[bi];
    if (b->over) {
        st->not_compared++;
        return;
    }
    ck_checked(c, r);

    slice val = slice_of(st->val.p, st->val.len);
    uint32_t cps = (uint32_t)text_codepoints(val);
    uint64_t earlier = b->n;
    if (b->comparisons + earlier > CRMLINT_SIMILAR_MAX_BLOCK_COMPARISONS) {
        over_budget(c, r, f, st, b);
        return;
    }
    b->comparisons += earlier;

    ck_site here = ck_here(c, r, f->field);
    for (uint64_t off = b->head; off != NONE;) {
        entry e = entry_at(st, off);
        if (score_bound(cps, e.cps) >= f->min - 1e-9) {
            slice other = slice_of(st->arena.p + off + sizeof e, e.vlen);
            double score = jaro_winkler(val, other);
            if (score < 0) goto oom;
            if (score >= f->min - SCORE_EPSILON) {
                ck_site rel = entry_site(st, off, &e);
                double shown;
                int d = score_digits(score, f->min, &shown);
                if (rel.record.p)
                    ck_emit_site(c, r, f->field, &here, &rel, "{field} {value} {detail}",
                                 "is %.*f similar to record %.*s (line %llu)", d, shown,
                                 text_shown_len(rel.record, SHOWN_RECORD_BYTES), rel.record.p,
                                 (unsigned long long)rel.line);
                else
                    ck_emit_site(c, r, f->field, &here, &rel, "{field} {value} {detail}",
                                 "is %.*f similar to the record at line %llu", d, shown,
                                 (unsigned long long)rel.line);
                break;
            }
        }
        off = e.next;
    }
    if (!entry_add(st, b, &here, val, cps)) goto oom;
    return;
oom:
    ck_out_of_memory(c);
}

static void similar_finish(check_ctx *c, const rule *r, void *state)
{
    similar_state *st = state;
    if (st->blocks_over == 0) return;
    ck_stat(c, r, "blocks_over_comparison_limit", (double)st->blocks_over);
    ck_stat(c, r, "records_not_compared", (double)st->not_compared);
}

const rule_type rule_similar = {
    .name = "similar",
    .summary = "fuzzy duplicates: Jaro-Winkler similarity of normalised values within blocks",
    .parse = similar_parse,
    .free_impl = similar_free,
    .state_new = similar_state_new,
    .state_free = similar_state_free,
    .check = similar_check,
    .finish = similar_finish,
    .collect = NULL,
};

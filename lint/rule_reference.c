/*
 * rule_reference.c - `reference`: the value must exist as a key elsewhere.
 *
 * The target object is scanned first (the engine orders objects by their
 * dependencies) and its to_field values, trimmed and null-aware, go into a
 * keymap.  References within one object (an account's ParentId) cannot be
 * judged until the whole table is read, so those are remembered and checked
 * in finish.  Matching is exact: a 15-character Salesforce id does not
 * match its 18-character form.
 */
#include <string.h>

#include "buf.h"
#include "keymap.h"
#include "pack.h"
#include "rule.h"
#include "xalloc.h"

typedef struct reference {
    int field;
    int dep;      /* the target object */
    int to_field; /* its index in the dependency's fields */
    bool self;    /* the target is the rule's own object */
    char *to;     /* names for messages */
    char *to_field_name;
} reference;

/* A self-reference waiting for the whole table: its site and value. */
typedef struct pending {
    uint32_t file;
    uint64_t line;
    size_t record_off, record_len; /* into the arena; record_len SIZE_MAX: none */
    size_t value_off, value_len;   /* the raw value */
    size_t key_off, key_len;       /* the trimmed value to look up */
} pending;

typedef struct ref_state {
    keymap *keys;
    pending *pend;
    size_t npend, cap;
    buf arena;
} ref_state;

static void reference_free(void *impl)
{
    reference *f = impl;
    xfree(f->to);
    xfree(f->to_field_name);
    xfree(f);
}

static int reference_parse(rule *r, ynode *map, pack_ctx *pc)
{
    reference *f = xcalloc(1, sizeof *f);
    if (f == NULL) return pk_error(pc, map, "out of memory");
    r->impl = f;
    if (pk_field(pc, r, map, "field", true, &f->field) < 0) return -1;
    if (pk_string(pc, map, "to", true, &f->to) < 0) return -1;
    if (pk_string(pc, map, "to_field", false, &f->to_field_name) < 0) return -1;
    if ((f->dep = pk_depend(pc, r, ymap_get(map, "to"), f->to, true)) < 0) return -1;
    if ((f->to_field = pk_dep_field(pc, r, f->dep, f->to_field_name)) < 0) return -1;
    f->self = strcmp(f->to, pk_object(pc)->name) == 0;
    return 0;
}

static void *reference_state_new(const rule *r)
{
    (void)r;
    ref_state *st = xcalloc(1, sizeof *st);
    if (st == NULL) return NULL;
    if ((st->keys = keymap_new()) == NULL) {
        xfree(st);
        return NULL;
    }
    return st;
}

static void reference_state_free(void *state)
{
    ref_state *st = state;
    keymap_free(st->keys);
    xfree(st->pend);
    buf_free(&st->arena);
    xfree(st);
}

static void reference_collect(check_ctx *c, const rule *r, void *state, int dep)
{
    const reference *f = r->impl;
    ref_state *st = state;
    const value *v = ck_dep_value(c, r, dep, f->to_field);
    if (!v->empty && keymap_put(st->keys, v->s, 0, NULL) < 0) ck_out_of_memory(c);
}

static const char *target_column(const rule *r)
{
    const reference *f = r->impl;
    return r->deps[f->dep].fields[f->to_field];
}

static void missing(check_ctx *c, const rule *r, const ck_site *at)
{
    const reference *f = r->impl;
    ck_emit_site(c, r, f->field, at, NULL, "{field} {value} {detail}", "matches no %s %s", f->to,
                 target_column(r));
}

static void reference_check(check_ctx *c, const rule *r, void *state)
{
    const reference *f = r->impl;
    ref_state *st = state;
    const value *v = ck_value(c, r, f->field);
    if (v->empty) return;
    ck_checked(c, r);
    if (!f->self) {
        if (!keymap_get(st->keys, v->s, NULL)) missing(c, r, NULL);
        return;
    }
    if (st->npend == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 256;
        pending *p = xrealloc(st->pend, cap * sizeof *p);
        if (p == NULL) {
            ck_out_of_memory(c);
            return;
        }
        st->pend = p;
        st->cap = cap;
    }
    ck_site here = ck_here(c, r, f->field);
    pending *p = &st->pend[st->npend++];
    p->file = here.file;
    p->line = here.line;
    p->record_len = here.record.p ? here.record.n : SIZE_MAX;
    p->record_off = st->arena.len;
    if (here.record.p) buf_add(&st->arena, here.record.p, here.record.n);
    p->value_off = st->arena.len;
    p->value_len = v->raw.n;
    buf_add(&st->arena, v->raw.p, v->raw.n);
    p->key_off = p->value_off + (size_t)(v->s.p - v->raw.p);
    p->key_len = v->s.n;
    if (st->arena.oom) ck_out_of_memory(c);
}

static void reference_finish(check_ctx *c, const rule *r, void *state)
{
    ref_state *st = state;
    for (size_t i = 0; i < st->npend; i++) {
        const pending *p = &st->pend[i];
        const char *a = st->arena.p;
        if (keymap_get(st->keys, slice_of(a + p->key_off, p->key_len), NULL)) continue;
        ck_site at = {p->file, p->line,
                      p->record_len == SIZE_MAX ? slice_of(NULL, 0)
                                                : slice_of(a + p->record_off, p->record_len),
                      slice_of(a + p->value_off, p->value_len)};
        missing(c, r, &at);
    }
}

const rule_type rule_reference = {
    .name = "reference",
    .summary = "the value must occur among another object's keys (or to_field values)",
    .parse = reference_parse,
    .free_impl = reference_free,
    .state_new = reference_state_new,
    .state_free = reference_state_free,
    .check = reference_check,
    .finish = reference_finish,
    .collect = reference_collect,
};

/*
 * cond.c - `when` conditions (see cond.h).
 *
 * A condition is a small tree compiled once.  Leaves compare the trimmed,
 * null-aware value ("" when empty) with literal text; comparison strings are
 * compared as slices so a value with NUL bytes compares correctly.  With
 * ignore_case, the literals are case-folded once at load and each value is
 * folded into the check context's scratch buffer.
 */
#include "cond.h"

#include <string.h>

#include "buf.h"
#include "regex.h"
#include "text.h"
#include "xalloc.h"

typedef enum cond_op {
    C_EQUALS,
    C_NOT_EQUALS,
    C_IN,
    C_NOT_IN,
    C_EMPTY,
    C_MATCHES,
    C_ALL,
    C_ANY,
    C_NOT
} cond_op;

struct cond {
    cond_op op;
    /* leaves */
    int field; /* index in rule->fields */
    bool ignore_case;
    bool want_empty; /* C_EMPTY */
    char **lits;     /* C_EQUALS/NOT_EQUALS: one; C_IN/NOT_IN: many (folded if ignore_case) */
    size_t nlits;
    regex *rx;
    /* combinators */
    cond **kids;
    size_t nkids;
};

void cond_free(cond *c)
{
    if (c == NULL) return;
    for (size_t i = 0; i < c->nlits; i++) xfree(c->lits[i]);
    xfree(c->lits);
    regex_free(c->rx);
    for (size_t i = 0; i < c->nkids; i++) cond_free(c->kids[i]);
    xfree(c->kids);
    xfree(c);
}

static const char *const leaf_ops[] = {"equals", "not_equals", "in", "not_in", "empty", "matches"};
static const char *const combinators[] = {"all", "any", "not"};

static cond *parse_combinator(pack_ctx *pc, rule *r, ynode *node, ynode *arg, int which)
{
    cond *c = xcalloc(1, sizeof *c);
    if (c == NULL) {
        pk_error(pc, node, "out of memory");
        return NULL;
    }
    c->op = which == 0 ? C_ALL : which == 1 ? C_ANY : C_NOT;
    if (c->op == C_NOT) {
        c->kids = xcalloc(1, sizeof *c->kids);
        if (c->kids == NULL || (c->kids[0] = cond_parse(pc, r, arg)) == NULL) goto fail;
        c->nkids = 1;
    } else {
        if (arg->kind != YN_SEQ || arg->n == 0) {
            pk_error(pc, arg, "'%s' takes a non-empty list of conditions", combinators[which]);
            goto fail;
        }
        c->kids = xcalloc(arg->n, sizeof *c->kids);
        if (c->kids == NULL) goto fail;
        for (size_t i = 0; i < arg->n; i++) {
            if ((c->kids[i] = cond_parse(pc, r, arg->items[i])) == NULL) goto fail;
            c->nkids++;
        }
    }
    if (node->n != 1) {
        pk_error(pc, node, "a '%s' condition takes no other keys", combinators[which]);
        goto fail;
    }
    return c;
fail:
    pk_error(pc, node, "out of memory");
    cond_free(c);
    return NULL;
}

static bool fold_lit(cond *c, char **lit)
{
    if (!c->ignore_case) return true;
    buf b = BUF_INIT;
    text_casefold(&b, slice_of(*lit, strlen(*lit)));
    if (b.oom) {
        buf_free(&b);
        return false;
    }
    xfree(*lit);
    *lit = buf_steal(&b);
    return *lit != NULL;
}

cond *cond_parse(pack_ctx *pc, rule *r, ynode *node)
{
    if (node->kind != YN_MAP) {
        pk_error(pc, node,
                 "a condition must be a mapping: {field: F, equals: V}, {all: [...]}, "
                 "{any: [...]} or {not: ...}");
        return NULL;
    }
    for (int i = 0; i < 3; i++) {
        ynode *arg = ymap_get(node, combinators[i]);
        if (arg) return parse_combinator(pc, r, node, arg, i);
    }
    cond *c = xcalloc(1, sizeof *c);
    if (c == NULL) {
        pk_error(pc, node, "out of memory");
        return NULL;
    }
    if (pk_field(pc, r, node, "field", true, &c->field) < 0) goto fail;
    if (pk_bool(pc, node, "ignore_case", false, &c->ignore_case) < 0) goto fail;
    int found = -1;
    for (int i = 0; i < 6; i++) {
        ynode *v = ymap_get(node, leaf_ops[i]);
        if (v == NULL) continue;
        if (found >= 0) {
            pk_error(pc, v, "a condition takes one test, not both '%s' and '%s'", leaf_ops[found],
                     leaf_ops[i]);
            goto fail;
        }
        found = i;
    }
    if (found < 0) {
        pk_error(pc, node,
                 "a condition needs one of equals, not_equals, in, not_in, empty, matches");
        goto fail;
    }
    c->op = (cond_op)found;
    ynode *v = ymap_get(node, leaf_ops[found]);
    switch (c->op) {
    case C_EQUALS:
    case C_NOT_EQUALS:
        if (v->kind != YN_SCALAR) {
            pk_error(pc, v, "'%s' takes one value", leaf_ops[found]);
            goto fail;
        }
        __attribute__((fallthrough)); /* stored like a one-element list */
    case C_IN:
    case C_NOT_IN:
        if (v->kind == YN_MAP || (v->kind == YN_SEQ && v->n == 0)) {
            pk_error(pc, v, "'%s' takes a non-empty list of values", leaf_ops[found]);
            goto fail;
        }
        if (pk_strings(pc, node, leaf_ops[found], true, &c->lits, &c->nlits) < 0) goto fail;
        for (size_t i = 0; i < c->nlits; i++)
            if (!fold_lit(c, &c->lits[i])) {
                pk_error(pc, v, "out of memory");
                goto fail;
            }
        break;
    case C_EMPTY:
        if (pk_bool(pc, node, "empty", true, &c->want_empty) < 0) goto fail;
        break;
    case C_MATCHES: {
        char err[256];
        if (v->kind != YN_SCALAR) {
            pk_error(pc, v, "'matches' takes a regex");
            goto fail;
        }
        c->rx = regex_new(v->text, c->ignore_case, err, sizeof err);
        if (c->rx == NULL) {
            pk_error(pc, v, "%s", err);
            goto fail;
        }
        break;
    }
    default:
        break;
    }
    const ynode *extra = ymap_first_unused(node);
    if (extra) {
        pk_error(pc, extra, "unknown key '%s' in condition", extra->text);
        goto fail;
    }
    return c;
fail:
    cond_free(c);
    return NULL;
}

/* The leaf's view of the value: trimmed, "" when empty, folded when asked. */
static slice leaf_value(const cond *c, check_ctx *ck, const rule *r)
{
    const value *v = ck_value(ck, r, c->field);
    slice s = v->empty ? slice_of("", 0) : v->s;
    if (!c->ignore_case || s.n == 0) return s;
    buf *b = ck_scratch(ck);
    buf_reset(b);
    text_casefold(b, s);
    return b->oom ? s : slice_of(b->p, b->len);
}

static bool in_list(const cond *c, slice s)
{
    for (size_t i = 0; i < c->nlits; i++)
        if (slice_eq_cstr(s, c->lits[i])) return true;
    return false;
}

bool cond_eval(const cond *c, check_ctx *ck, const rule *r)
{
    switch (c->op) {
    case C_ALL:
        for (size_t i = 0; i < c->nkids; i++)
            if (!cond_eval(c->kids[i], ck, r)) return false;
        return true;
    case C_ANY:
        for (size_t i = 0; i < c->nkids; i++)
            if (cond_eval(c->kids[i], ck, r)) return true;
        return false;
    case C_NOT:
        return !cond_eval(c->kids[0], ck, r);
    case C_EMPTY:
        return ck_value(ck, r, c->field)->empty == c->want_empty;
    case C_EQUALS:
    case C_IN:
        return in_list(c, leaf_value(c, ck, r));
    case C_NOT_EQUALS:
    case C_NOT_IN:
        return !in_list(c, leaf_value(c, ck, r));
    case C_MATCHES: {
        const value *v = ck_value(ck, r, c->field);
        slice s = v->empty ? slice_of("", 0) : v->s;
        /* A search that hits the match limit counts as no match. */
        return regex_search(c->rx, ck_regex_space(ck), s.p ? s.p : "", s.n, v->utf8_valid) ==
               RX_MATCH;
    }
    }
    return false;
}

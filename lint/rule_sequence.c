/*
 * rule_sequence.c - `sequence`: the state changes recorded in a history
 * export (Salesforce OpportunityHistory: one row per change, the rows of
 * many opportunities interleaved) must follow the pipeline.
 *
 * Nothing can be judged until a group's rows are all read and put in
 * order, so check() only remembers each row compactly and finish() does
 * the work.  Per row it keeps (struct-of-arrays, no padding):
 *
 *     order_by instant, microseconds         8 bytes
 *     file index (24 bits) and line (40)     8
 *     group id (interned group_by value)     4
 *     state id (interned raw state value)    4
 *     previous_field id (only when given)    4
 *                                           -- 24 bytes, 28 with previous_field
 *
 * and finish() adds a 4-byte permutation per row plus a merge buffer of at
 * most half the largest group.  Distinct group and state values are stored
 * once each (a keymap and a copy of the text for reports).  The arrays grow
 * by half, so a million-row history with previous_field holds 28-42 MB of
 * rows (measured: about 36 MB more than the run without the rule, with a
 * hundred thousand groups).  The text of a finding's state and record is recovered from the
 * interned tables, which is why the raw state is interned (reports show it
 * untrimmed) and mapped once to its trimmed "canonical" state.
 *
 * finish() buckets rows by group with a counting sort (stable, so each
 * bucket keeps file order), then orders each bucket by the instant with a
 * stable merge sort: exact ties stay in file order, as the SPEC requires.
 * A group already in time order, the usual case, costs about one
 * comparison per row.
 *
 * Messages name states only through the pack's own spelling of them (a
 * state the pack does not know is shown through {value} alone), so the
 * detail never carries data that --redact should hide.
 */
#include <string.h>

#include "buf.h"
#include "keymap.h"
#include "rule.h"
#include "text.h"
#include "xalloc.h"

/* A state the pack names. */
typedef struct known {
    char *name;
    int stage; /* position in `stages`; -1 for exits and in transitions mode */
    bool exit, terminal, initial;
} known;

typedef struct sequence {
    int group, order, state;
    int prev;      /* previous_field, -1 when absent */
    bool explicit; /* `transitions` given instead of `stages` */
    bool backward_allowed, skip_allowed;
    known *states; /* stages first (in order), then other states, then exits */
    uint32_t nstates;
    unsigned char *edges; /* explicit: bit from * nstates + to is a listed move */
    bool has_initial;
    char *initial_text; /* "Prospecting" or "one of: A, B" for messages */
} sequence;

/* Distinct byte strings numbered in order of first appearance, with their
 * text kept for reports. */
typedef struct interner {
    keymap *map;
    buf text;
    size_t *off; /* n + 1 entries: string i is text[off[i], off[i + 1]) */
    uint32_t n, cap;
} interner;

#define NO_STATE  UINT32_MAX /* an empty previous_field */
#define LINE_BITS 40
#define MAX_FILES (1u << (64 - LINE_BITS))

typedef struct seq_run {
    keymap *canon; /* trimmed state text -> id; known states are 0..nstates-1 */
    uint32_t ncanon;
    interner groups;
    interner raws;       /* raw state values */
    uint32_t *raw_canon; /* raw id -> canonical id */
    uint32_t raw_cap;
    /* the rows, in file order */
    int64_t *order;
    uint64_t *loc;
    uint32_t *group, *state, *prev;
    size_t nrows, cap;
    buf why; /* reasons of the finding being built */
} seq_run;

/* ---- parsing ------------------------------------------------------------ */

static void sequence_free(void *impl)
{
    sequence *s = impl;
    for (uint32_t i = 0; i < s->nstates; i++) xfree(s->states[i].name);
    xfree(s->states);
    xfree(s->edges);
    xfree(s->initial_text);
    xfree(s);
}

static size_t nitems(const ynode *n)
{
    return n->kind == YN_SEQ ? n->n : 1;
}
static ynode *item(ynode *n, size_t i)
{
    return n->kind == YN_SEQ ? n->items[i] : n;
}

/* A state name as written in the pack: it is compared with trimmed values,
 * so one that is empty or has surrounding white space could never match. */
static int check_name(pack_ctx *pc, const ynode *n, const char *key)
{
    if (n->kind != YN_SCALAR) return pk_error(pc, n, "'%s' must be a list of state names", key);
    if (n->len == 0) return pk_error(pc, n, "empty state name in '%s'", key);
    if (memchr(n->text, '\0', n->len))
        return pk_error(pc, n, "state name in '%s' contains a NUL byte", key);
    if (text_trim(slice_of(n->text, n->len)).n != n->len)
        return pk_error(pc, n,
                        "state '%s' in '%s' has surrounding white space; values are trimmed, so "
                        "it could never match",
                        n->text, key);
    return 0;
}

/* A list of state names (a single name is a list of one). */
static int names_node(pack_ctx *pc, ynode *map, const char *key, ynode **out)
{
    ynode *n = *out = ymap_get(map, key);
    if (n == NULL) return 0;
    if (n->kind == YN_MAP) return pk_error(pc, n, "'%s' must be a list of state names", key);
    if (n->kind == YN_SEQ && n->n == 0) return pk_error(pc, n, "'%s' is empty", key);
    for (size_t i = 0; i < nitems(n); i++)
        if (check_name(pc, item(n, i), key) < 0) return -1;
    return 1;
}

static int find_state(const sequence *s, const char *name)
{
    for (uint32_t i = 0; i < s->nstates; i++)
        if (strcmp(s->states[i].name, name) == 0) return (int)i;
    return -1;
}

static int add_state(pack_ctx *pc, sequence *s, const ynode *n, int stage)
{
    known *v = xrealloc(s->states, (s->nstates + 1) * sizeof *v);
    if (v == NULL) return pk_error(pc, n, "out of memory");
    s->states = v;
    known *k = &s->states[s->nstates];
    memset(k, 0, sizeof *k);
    k->stage = stage;
    if ((k->name = xstrndup(n->text, n->len)) == NULL) return pk_error(pc, n, "out of memory");
    return (int)s->nstates++;
}

/* The state a list item names, which must be known. */
static int known_item(pack_ctx *pc, const sequence *s, const ynode *n, const char *key)
{
    int i = find_state(s, n->text);
    if (i < 0)
        return pk_error(pc, n, "'%s' names '%s', which is not %s", key, n->text,
                        s->explicit ? "a state in 'transitions' or 'exits'"
                                    : "one of the 'stages' or 'exits'");
    return i;
}

static int parse_stages(pack_ctx *pc, sequence *s, ynode *stages)
{
    for (size_t i = 0; i < nitems(stages); i++) {
        ynode *n = item(stages, i);
        if (find_state(s, n->text) >= 0)
            return pk_error(pc, n, "stage '%s' is listed twice", n->text);
        if (add_state(pc, s, n, (int)i) < 0) return -1;
    }
    return 0;
}

/* `transitions: {FROM: [TO, ..]}`: every FROM and TO becomes a known state
 * (first pass); the moves are recorded once all states are known. */
static int parse_transition_states(pack_ctx *pc, sequence *s, ynode *t)
{
    if (t->kind != YN_MAP)
        return pk_error(pc, t,
                        "'transitions' must be a mapping from a state to the list of "
                        "states it may move to");
    if (t->n == 0) return pk_error(pc, t, "'transitions' is empty");
    for (size_t i = 0; i < t->n; i++) {
        ynode *from = t->items[2 * i], *to = t->items[2 * i + 1];
        if (check_name(pc, from, "transitions") < 0) return -1;
        if (find_state(s, from->text) < 0 && add_state(pc, s, from, -1) < 0) return -1;
        if (to->kind != YN_SEQ)
            return pk_error(pc, to,
                            "the moves out of '%s' must be a list of states (use [] "
                            "for none)",
                            from->text);
        for (size_t j = 0; j < to->n; j++) {
            ynode *n = to->items[j];
            if (check_name(pc, n, "transitions") < 0) return -1;
            if (find_state(s, n->text) < 0 && add_state(pc, s, n, -1) < 0) return -1;
        }
    }
    return 0;
}

static bool edge(const sequence *s, uint32_t from, uint32_t to)
{
    size_t bit = (size_t)from * s->nstates + to;
    return (s->edges[bit / 8] >> (bit % 8)) & 1;
}

static int parse_transition_edges(pack_ctx *pc, sequence *s, ynode *t)
{
    size_t bits = (size_t)s->nstates * s->nstates;
    if ((s->edges = xcalloc(bits / 8 + 1, 1)) == NULL) return pk_error(pc, t, "out of memory");
    for (size_t i = 0; i < t->n; i++) {
        ynode *from = t->items[2 * i], *to = t->items[2 * i + 1];
        uint32_t a = (uint32_t)find_state(s, from->text);
        if (s->states[a].terminal && to->n > 0)
            return pk_error(pc, to->items[0],
                            "'%s' is terminal, so 'transitions' cannot list moves out of it",
                            from->text);
        for (size_t j = 0; j < to->n; j++) {
            ynode *n = to->items[j];
            uint32_t b = (uint32_t)find_state(s, n->text);
            if (a == b)
                return pk_error(
                    pc, n,
                    "'%s' \xE2\x86\x92 '%s' is not a transition (a repeated state never "
                    "is)",
                    from->text, n->text);
            if (edge(s, a, b))
                return pk_error(pc, n, "'%s' is listed twice among the moves out of '%s'", n->text,
                                from->text);
            size_t bit = (size_t)a * s->nstates + b;
            s->edges[bit / 8] |= (unsigned char)(1u << (bit % 8));
        }
    }
    return 0;
}

static int parse_exits(pack_ctx *pc, sequence *s, ynode *exits)
{
    for (size_t i = 0; i < nitems(exits); i++) {
        ynode *n = item(exits, i);
        int k = find_state(s, n->text);
        if (k >= 0 && s->states[k].exit)
            return pk_error(pc, n, "'%s' is listed twice in 'exits'", n->text);
        if (k >= 0 && s->states[k].stage >= 0)
            return pk_error(pc, n, "'%s' is both a stage and an exit", n->text);
        if (k < 0 && (k = add_state(pc, s, n, -1)) < 0) return -1;
        s->states[k].exit = true;
    }
    return 0;
}

/* terminal (which == 0) or initial (which == 1). */
static int parse_marks(pack_ctx *pc, sequence *s, ynode *list, const char *key, int which)
{
    for (size_t i = 0; i < nitems(list); i++) {
        ynode *n = item(list, i);
        int k = known_item(pc, s, n, key);
        if (k < 0) return -1;
        bool *mark = which == 0 ? &s->states[k].terminal : &s->states[k].initial;
        if (*mark) return pk_error(pc, n, "'%s' is listed twice in '%s'", n->text, key);
        *mark = true;
    }
    return 0;
}

/* backward: forbid|allow, skip: allow|forbid; 1 when allowed. */
static int parse_policy(pack_ctx *pc, ynode *map, const char *key, bool dflt, bool *allowed)
{
    char *v = NULL;
    int st = pk_string(pc, map, key, false, &v);
    if (st <= 0) {
        *allowed = dflt;
        return st;
    }
    bool allow = strcmp(v, "allow") == 0, forbid = strcmp(v, "forbid") == 0;
    xfree(v);
    if (!allow && !forbid)
        return pk_error(pc, ymap_get(map, key), "'%s' must be allow or forbid", key);
    *allowed = allow;
    return 1;
}

static int sequence_parse(rule *r, ynode *map, pack_ctx *pc)
{
    sequence *s = xcalloc(1, sizeof *s);
    if (s == NULL) return pk_error(pc, map, "out of memory");
    r->impl = s;
    s->prev = -1;
    if (pk_field(pc, r, map, "group_by", true, &s->group) < 0) return -1;
    if (pk_field(pc, r, map, "order_by", true, &s->order) < 0) return -1;
    if (pk_field(pc, r, map, "state", true, &s->state) < 0) return -1;
    if (pk_field(pc, r, map, "previous_field", false, &s->prev) < 0) return -1;
    if (s->state == s->group || s->state == s->order || s->group == s->order)
        return pk_error(pc, map,
                        "'group_by', 'order_by' and 'state' must name three different "
                        "columns");
    if (s->prev == s->state)
        return pk_error(pc, ymap_get(map, "previous_field"),
                        "'previous_field' must differ from 'state'");

    ynode *stages, *exits, *terminal, *initial;
    ynode *trans = ymap_get(map, "transitions");
    if (names_node(pc, map, "stages", &stages) < 0) return -1;
    s->explicit = trans != NULL;
    if (stages && trans)
        return pk_error(pc, trans, "give either 'stages' or 'transitions', not both");
    if (!stages && !trans) return pk_error(pc, map, "'sequence' needs 'stages' or 'transitions'");
    static const char *const stage_only[] = {"backward", "skip"};
    for (size_t i = 0; trans && i < 2; i++)
        if (ymap_get(map, stage_only[i]))
            return pk_error(pc, ymap_get(map, stage_only[i]),
                            "'%s' applies to 'stages'; with 'transitions' list the allowed moves",
                            stage_only[i]);
    if (parse_policy(pc, map, "backward", false, &s->backward_allowed) < 0) return -1;
    if (parse_policy(pc, map, "skip", true, &s->skip_allowed) < 0) return -1;

    if (stages && parse_stages(pc, s, stages) < 0) return -1;
    if (trans && parse_transition_states(pc, s, trans) < 0) return -1;
    if (names_node(pc, map, "exits", &exits) < 0) return -1;
    if (exits && parse_exits(pc, s, exits) < 0) return -1;
    if (names_node(pc, map, "terminal", &terminal) < 0) return -1;
    if (terminal && parse_marks(pc, s, terminal, "terminal", 0) < 0) return -1;
    if (names_node(pc, map, "initial", &initial) < 0) return -1;
    if (initial && parse_marks(pc, s, initial, "initial", 1) < 0) return -1;
    if (trans && parse_transition_edges(pc, s, trans) < 0) return -1;

    if (initial) {
        buf t = BUF_INIT;
        if (nitems(initial) > 1) buf_adds(&t, "one of: ");
        for (size_t i = 0; i < nitems(initial); i++)
            buf_printf(&t, "%s%s", i ? ", " : "", item(initial, i)->text);
        if (t.oom) {
            buf_free(&t);
            return pk_error(pc, map, "out of memory");
        }
        s->initial_text = buf_steal(&t);
        s->has_initial = true;
    }
    return 0;
}

/* ---- per-run state ------------------------------------------------------ */

static void interner_free(interner *t)
{
    keymap_free(t->map);
    buf_free(&t->text);
    xfree(t->off);
}

/* The id of s, adding it when new (*added set).  -1: out of memory. */
static int intern(interner *t, slice s, uint32_t *id, bool *added)
{
    uint32_t found;
    *added = false;
    if (t->n == UINT32_MAX - 1) return -1;
    int st = keymap_put(t->map, s, t->n, &found);
    if (st < 0) return -1;
    if (st == 1) {
        *id = found;
        return 0;
    }
    if (t->n + 2 > t->cap) {
        uint32_t cap = t->cap ? (t->cap > UINT32_MAX / 2 ? UINT32_MAX : t->cap * 2) : 64;
        size_t *v = xrealloc(t->off, (size_t)cap * sizeof *v);
        if (v == NULL) return -1; /* the run ends: the map's extra key does no harm */
        t->off = v;
        t->cap = cap;
    }
    buf_add(&t->text, s.p, s.n);
    if (t->text.oom) return -1;
    t->off[t->n + 1] = t->text.len;
    *id = t->n++;
    *added = true;
    return 0;
}

static slice interned(const interner *t, uint32_t id)
{
    return slice_of(t->text.p + t->off[id], t->off[id + 1] - t->off[id]);
}

static void sequence_state_free(void *state)
{
    seq_run *st = state;
    if (st == NULL) return;
    keymap_free(st->canon);
    interner_free(&st->groups);
    interner_free(&st->raws);
    xfree(st->raw_canon);
    xfree(st->order);
    xfree(st->loc);
    xfree(st->group);
    xfree(st->state);
    xfree(st->prev);
    buf_free(&st->why);
    xfree(st);
}

static bool interner_init(interner *t)
{
    t->map = keymap_new();
    t->off = xcalloc(64, sizeof *t->off);
    t->cap = 64;
    return t->map && t->off;
}

static void *sequence_state_new(const rule *r)
{
    const sequence *s = r->impl;
    seq_run *st = xcalloc(1, sizeof *st);
    if (st == NULL) return NULL;
    if ((st->canon = keymap_new()) == NULL || !interner_init(&st->groups) ||
        !interner_init(&st->raws))
        goto fail;
    for (uint32_t i = 0; i < s->nstates; i++) {
        const char *n = s->states[i].name;
        if (keymap_put(st->canon, slice_of(n, strlen(n)), i, NULL) < 0) goto fail;
    }
    st->ncanon = s->nstates;
    return st;
fail:
    sequence_state_free(st);
    return NULL;
}

/* ---- checking ----------------------------------------------------------- */

static int canon_id(seq_run *st, slice s, uint32_t *id)
{
    if (st->ncanon == NO_STATE) return -1;
    int got = keymap_put(st->canon, s, st->ncanon, id);
    if (got < 0) return -1;
    if (got == 0) *id = st->ncanon++;
    return 0;
}

static bool grow_rows(seq_run *st, bool with_prev)
{
    if (st->nrows < st->cap) return true;
    if (st->cap >= UINT32_MAX) return false; /* row indexes are 32-bit */
    size_t cap = st->cap ? st->cap + st->cap / 2 : 1024;
    if (cap > UINT32_MAX) cap = UINT32_MAX;
    void *p;
#define GROW(arr)                                                                                  \
    do {                                                                                           \
        if ((p = xrealloc(st->arr, cap * sizeof *st->arr)) == NULL) return false;                  \
        st->arr = p;                                                                               \
    } while (0)
    GROW(order);
    GROW(loc);
    GROW(group);
    GROW(state);
    if (with_prev) GROW(prev);
#undef GROW
    st->cap = cap;
    return true;
}

static void sequence_check(check_ctx *c, const rule *r, void *state)
{
    const sequence *s = r->impl;
    seq_run *st = state;
    const value *g = ck_value(c, r, s->group), *v = ck_value(c, r, s->state);
    if (v->empty) return;
    ck_checked(c, r); /* the state is the rule's subject, even when the group is empty */
    if (g->empty) return;
    dt_value when;
    if (!ck_date(c, r, s->order, &when)) {
        /* Without a time the row cannot be placed, so it takes no part in
         * its group: the neighbours are judged as if it were absent. */
        uint32_t id;
        bool unknown = !keymap_get(st->canon, v->s, &id) || id >= s->nstates;
        ck_site at = ck_here(c, r, s->state);
        at.record = g->s;
        ck_emit_site(c, r, s->state, &at, NULL, "{field} {value}: {detail}",
                     "cannot parse %s%s, so the row is left out of its group's sequence%s",
                     r->fields[s->order],
                     ck_value(c, r, s->order)->empty ? " (empty)" : " as a date or time",
                     unknown ? "; not a known state" : "");
        return;
    }
    ck_site here = ck_here(c, r, -1);
    if (here.file >= MAX_FILES || here.line >> LINE_BITS) goto oom; /* beyond any real input */
    if (!grow_rows(st, s->prev >= 0)) goto oom;
    uint32_t gid, rid, cid;
    bool added;
    if (intern(&st->groups, g->s, &gid, &added) < 0) goto oom;
    if (intern(&st->raws, v->raw, &rid, &added) < 0) goto oom;
    if (added) {
        if (rid >= st->raw_cap) {
            size_t cap = st->raw_cap ? (size_t)st->raw_cap * 2 : 64;
            uint32_t *m = xrealloc(st->raw_canon, cap * sizeof *m);
            if (m == NULL) goto oom;
            st->raw_canon = m;
            st->raw_cap = (uint32_t)(cap > UINT32_MAX ? UINT32_MAX : cap);
        }
        if (canon_id(st, v->s, &cid) < 0) goto oom;
        st->raw_canon[rid] = cid;
    }
    size_t i = st->nrows;
    if (s->prev >= 0) {
        const value *p = ck_value(c, r, s->prev);
        if (p->empty)
            st->prev[i] = NO_STATE;
        else if (canon_id(st, p->s, &st->prev[i]) < 0)
            goto oom;
    }
    st->order[i] = when.utc_us;
    st->loc[i] = (uint64_t)here.file << LINE_BITS | here.line;
    st->group[i] = gid;
    st->state[i] = rid;
    st->nrows++;
    return;
oom:
    ck_out_of_memory(c);
}

/* ---- judging ------------------------------------------------------------ */

/* Stable sort of row indexes v[0..n) by key; tmp holds n / 2 entries. */
static void sort_rows(uint32_t *v, uint32_t *tmp, size_t n, const int64_t *key)
{
    if (n <= 16) {
        for (size_t i = 1; i < n; i++) {
            uint32_t x = v[i];
            size_t j = i;
            for (; j > 0 && key[v[j - 1]] > key[x]; j--) v[j] = v[j - 1];
            v[j] = x;
        }
        return;
    }
    size_t h = n / 2;
    sort_rows(v, tmp, h, key);
    sort_rows(v + h, tmp, n - h, key);
    if (key[v[h - 1]] <= key[v[h]]) return; /* already in order: the usual case */
    memcpy(tmp, v, h * sizeof *v);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) v[k++] = key[v[j]] < key[tmp[i]] ? v[j++] : tmp[i++];
    while (i < h) v[k++] = tmp[i++];
}

static void reason(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reason(buf *b, const char *fmt, ...)
{
    if (b->len) buf_adds(b, "; ");
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* The reasons a move from state a to state b (a != b) is wrong. */
static void judge_move(const sequence *s, buf *why, uint32_t a, uint32_t b)
{
    if (a >= s->nstates) return; /* leaving an unknown state is never a finding */
    const known *from = &s->states[a];
    if (b >= s->nstates) {
        if (from->terminal) reason(why, "leaves terminal state %s", from->name);
        return;
    }
    const known *to = &s->states[b];
    bool leaves = from->terminal, back = false, unlisted = false;
    int skipped = 0;
    /* Entering an exit, or leaving an exit that is not terminal, is always
     * allowed: deals are lost or parked from any stage. */
    if (!to->exit && !from->exit) {
        if (s->explicit) {
            unlisted = !leaves && !edge(s, a, b);
        } else {
            back = !s->backward_allowed && to->stage < from->stage;
            if (!s->skip_allowed && to->stage > from->stage + 1)
                skipped = to->stage - from->stage - 1;
        }
    }
    if (!leaves && !back && !skipped && !unlisted) return;
    reason(why, "%s \xE2\x86\x92 %s", from->name, to->name);
    const char *sep = " ";
    if (leaves) {
        buf_printf(why, "%sleaves a terminal state", sep);
        sep = " and ";
    }
    if (back) {
        buf_printf(why, "%smoves backward", sep);
        sep = " and ";
    }
    if (skipped) buf_printf(why, "%sskips %d stage%s", sep, skipped, skipped == 1 ? "" : "s");
    if (unlisted) buf_printf(why, "%sis not a listed transition", sep);
}

static ck_site site_of(const seq_run *st, uint32_t i, bool with_value)
{
    ck_site site = {(uint32_t)(st->loc[i] >> LINE_BITS),
                    st->loc[i] & (((uint64_t)1 << LINE_BITS) - 1),
                    interned(&st->groups, st->group[i]), slice_of(NULL, 0)};
    if (with_value) site.value = interned(&st->raws, st->state[i]);
    return site;
}

/* Walks one group's rows in order. */
static void judge_group(check_ctx *c, const rule *r, seq_run *st, const uint32_t *rows, size_t n)
{
    const sequence *s = r->impl;
    buf *why = &st->why;
    for (size_t k = 0; k < n; k++) {
        uint32_t i = rows[k], cur = st->raw_canon[st->state[i]];
        buf_reset(why);
        if (cur >= s->nstates) reason(why, "not a known state");
        if (k == 0) {
            if (s->has_initial && (cur >= s->nstates || !s->states[cur].initial))
                reason(why, "the group's first row is not an initial state (expected %s)",
                       s->initial_text);
        } else {
            uint32_t before = st->raw_canon[st->state[rows[k - 1]]];
            if (before != cur) judge_move(s, why, before, cur);
            if (s->prev >= 0 && st->prev[i] != before) {
                const char *pf = r->fields[s->prev], *sf = r->fields[s->state];
                bool named = before < s->nstates;
                if (st->prev[i] == NO_STATE)
                    reason(why, "broken history chain: %s is empty%s%s%s%s", pf,
                           named ? ", the previous row's " : "", named ? sf : "",
                           named ? " is " : "", named ? s->states[before].name : "");
                else
                    reason(why, "broken history chain: %s is not the previous row's %s%s%s%s", pf,
                           sf, named ? " (" : "", named ? s->states[before].name : "",
                           named ? ")" : "");
            }
        }
        if (why->len == 0) continue;
        if (why->oom) {
            ck_out_of_memory(c);
            return;
        }
        ck_site at = site_of(st, i, true), rel;
        if (k > 0) rel = site_of(st, rows[k - 1], false);
        ck_emit_site(c, r, s->state, &at, k > 0 ? &rel : NULL, "{field} {value}: {detail}", "%s",
                     why->p);
    }
}

static void sequence_finish(check_ctx *c, const rule *r, void *state)
{
    seq_run *st = state;
    size_t n = st->nrows, ng = st->groups.n;
    if (n == 0) return;
    /* end[g]: one past group g's last position once rows are scattered. */
    uint32_t *end = xcalloc(ng + 1, sizeof *end), *perm = xmalloc(n * sizeof *perm), *tmp = NULL;
    if (end == NULL || perm == NULL) goto oom;
    for (size_t i = 0; i < n; i++) end[st->group[i] + 1]++;
    size_t largest = 0;
    for (size_t g = 0; g < ng; g++) {
        if (end[g + 1] > largest) largest = end[g + 1];
        end[g + 1] += end[g];
    }
    for (size_t i = 0; i < n; i++) perm[end[st->group[i]]++] = (uint32_t)i;
    if ((tmp = xmalloc(largest / 2 * sizeof *tmp + 1)) == NULL) goto oom;
    for (size_t g = 0, start = 0; g < ng; start = end[g++]) {
        sort_rows(perm + start, tmp, end[g] - start, st->order);
        judge_group(c, r, st, perm + start, end[g] - start);
    }
    goto done;
oom:
    ck_out_of_memory(c);
done:
    xfree(end);
    xfree(perm);
    xfree(tmp);
}

const rule_type rule_sequence = {
    .name = "sequence",
    .summary = "a history export's state changes, per group in time order, must follow the "
               "stages or the listed transitions",
    .parse = sequence_parse,
    .free_impl = sequence_free,
    .state_new = sequence_state_new,
    .state_free = sequence_state_free,
    .check = sequence_check,
    .finish = sequence_finish,
};

/*
 * rule_pattern.c - `pattern`: the raw value must match a PCRE2 regex.
 *
 * The regex is compiled and JIT-compiled once at load.  It sees the raw,
 * untrimmed value (so a pattern can forbid stray spaces); empty values
 * (blank or one of the object's null_values) are skipped.  A search that hits the match limit
 * is a finding that says so, never a hang.
 */
#include "regex.h"
#include "rule.h"
#include "xalloc.h"

typedef struct pattern {
    int field;
    regex *rx;
} pattern;

static void pattern_free(void *impl)
{
    pattern *p = impl;
    regex_free(p->rx);
    xfree(p);
}

static int pattern_parse(rule *r, ynode *map, pack_ctx *pc)
{
    pattern *p = xcalloc(1, sizeof *p);
    if (p == NULL) return pk_error(pc, map, "out of memory");
    r->impl = p;
    if (pk_field(pc, r, map, "field", true, &p->field) < 0) return -1;
    ynode *n = ymap_get(map, "regex");
    if (n == NULL) return pk_error(pc, map, "missing required key 'regex'");
    if (n->kind != YN_SCALAR) return pk_error(pc, n, "'regex' must be a string");
    char err[256];
    p->rx = regex_new(n->text, false, err, sizeof err);
    if (p->rx == NULL) return pk_error(pc, n, "%s", err);
    return 0;
}

static void pattern_check(check_ctx *c, const rule *r, void *state)
{
    (void)state;
    const pattern *p = r->impl;
    const value *v = ck_value(c, r, p->field);
    if (v->empty) return;
    ck_checked(c, r);
    switch (regex_search(p->rx, ck_regex_space(c), v->raw.p, v->raw.n, v->utf8_valid)) {
    case RX_MATCH:
        return;
    case RX_NOMATCH:
        ck_emit(c, r, p->field, "{field} {value} does not match {detail}", "/%s/",
                regex_pattern(p->rx));
        return;
    case RX_LIMIT:
        ck_emit(c, r, p->field, "{field}: {detail}",
                "the regex /%s/ gave up at its match limit (CRMLINT_REGEX_MATCH_LIMIT); value "
                "not checked",
                regex_pattern(p->rx));
        return;
    case RX_ERROR:
        ck_emit(c, r, p->field, "{field}: {detail}", "the regex /%s/ failed on this value",
                regex_pattern(p->rx));
        return;
    }
}

const rule_type rule_pattern = {
    .name = "pattern",
    .summary = "the raw value must match a regex (PCRE2, UTF, unanchored: anchor it yourself)",
    .parse = pattern_parse,
    .free_impl = pattern_free,
    .check = pattern_check,
    .row_local = true,
};

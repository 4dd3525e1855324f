/*
 * rule.h - the one interface every rule type implements.
 *
 * A rule type is one file, rule_<type>.c, exporting one `rule_type` and
 * listed once in rules.c.  It does three things:
 *
 *   parse   reads its own keys from the rule's YAML mapping (the loader has
 *           already taken the common keys: id, type, severity, description,
 *           message, when, threshold, tags) with the pk_* helpers, which
 *           register every field the rule reads and report errors with
 *           PACK:LINE:COL.  Keys the type did not fetch are "unknown key"
 *           errors, raised by the loader afterwards.
 *   check   is called for every record of the rule's object for which `when`
 *           holds (ragged records never reach a rule).  It reads values with
 *           ck_value / ck_date, calls ck_checked when it looked at the
 *           record, and reports with ck_emit.
 *   finish  (optional) runs after the last record of the object's table, for
 *           types that judge groups of records.
 *   collect (optional) sees every non-ragged record of the objects the rule
 *           depends on (pk_depend: a reference's target, unique's `across`),
 *           which the engine scans before the rule's own object; a rule that
 *           depends on its own object sees each record there before check.
 *
 * Per-run state (duplicate indexes, groups) lives in the object returned by
 * state_new, never in the rule, so a loaded pack can be run many times.
 * Types without state may declare themselves row_local (below) so they run
 * on every checking thread.
 */
#ifndef CRMLINT_RULE_H
#define CRMLINT_RULE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "common.h"
#include "datetime.h"
#include "yamltree.h"

struct cond;
struct pack;
struct pack_object;
typedef struct pack_ctx pack_ctx;
typedef struct check_ctx check_ctx;

typedef struct rule_type rule_type;

/* Another object whose records a rule reads (see pk_depend). */
typedef struct rule_dep {
    char *object;     /* the object's name as written */
    int object_index; /* resolved when the pack is complete */
    bool needs_file;  /* the rule is skipped when no file is bound to it */
    char **fields;    /* fields read in that object (pk_dep_field) */
    size_t nfields;
    srcpos pos; /* where the pack names it */
} rule_dep;

typedef struct rule {
    char *id;
    srcpos pos; /* the rule's mapping in its pack file */
    const rule_type *type;
    severity sev;
    char *description; /* NULL when absent */
    char *message;     /* message template, NULL for the type's default */
    struct cond *when; /* NULL: always */
    bool has_max_count;
    uint64_t max_count;
    bool has_max_ratio;
    double max_ratio;
    uint64_t ratio_num, ratio_den; /* max_ratio exactly, as written: num/den */
    char **tags;
    size_t ntags;
    char **fields; /* every field the rule reads, rule's own first, in
                      the order it registered them; `when` fields after */
    size_t nfields;
    int object;     /* index into pack->objects */
    rule_dep *deps; /* other objects read (pk_depend) */
    size_t ndeps;
    void *impl; /* the type's compiled keys */
} rule;

struct rule_type {
    const char *name;
    const char *summary; /* one line for `crmlint rules` / `explain` */
    int (*parse)(rule *r, ynode *map, pack_ctx *pc);
    void (*free_impl)(void *impl);
    void *(*state_new)(const rule *r); /* optional; NULL on out of memory */
    void (*state_free)(void *state);   /* optional */
    void (*check)(check_ctx *c, const rule *r, void *state);
    void (*finish)(check_ctx *c, const rule *r, void *state);           /* optional */
    void (*collect)(check_ctx *c, const rule *r, void *state, int dep); /* optional */
    /* check looks only at the current record and the rule's compiled keys,
     * writes nothing but findings (no state, finish or collect): the engine
     * may then check several records of one file at once, on different
     * threads.  Types that remember records leave it false and see every
     * record in file order. */
    bool row_local;
};

/* The registry (rules.c). */
const rule_type *rule_type_find(const char *name);
const rule_type *const *rule_types_all(size_t *n);

/* ---- helpers for parse (implemented by the pack loader) ---------------- */

/* Reports an error at node (or at the rule when node is NULL).  Returns -1 so
 * a parse function can `return pk_error(...)`. */
int pk_error(pack_ctx *pc, const ynode *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Each getter returns 1 when the key is present and valid, 0 when absent and
 * not required, -1 after reporting an error (absent but required, wrong
 * type).  Values are copied (the caller owns strings) or typed. */
int pk_string(pack_ctx *pc, ynode *map, const char *key, bool required, char **out);
int pk_strings(pack_ctx *pc, ynode *map, const char *key, bool required, char ***out, size_t *n);
int pk_number(pack_ctx *pc, ynode *map, const char *key, bool required, double *out);
int pk_bool(pack_ctx *pc, ynode *map, const char *key, bool required, bool *out);
int pk_duration(pack_ctx *pc, ynode *map, const char *key, bool required, int64_t *seconds);
/* A field name (scalar) registered with the rule: *index is its position in
 * r->fields.  The same name registered twice gets the same index. */
int pk_field(pack_ctx *pc, rule *r, ynode *map, const char *key, bool required, int *index);
/* A list of field names; indexes malloc'd into *idx. */
int pk_fields(pack_ctx *pc, rule *r, ynode *map, const char *key, bool required, int **idx,
              size_t *n);
int pk_register_field(pack_ctx *pc, rule *r, const char *name);
/* Declares that the rule reads records of `object` (named at node `at`);
 * returns the dependency's index in r->deps.  The object must exist once the
 * whole pack is merged (checked then), and objects are scanned in dependency
 * order; a cycle between objects is a pack error. */
int pk_depend(pack_ctx *pc, rule *r, ynode *at, const char *object, bool needs_file);
/* A field read in dependency `dep`'s object; returns its index there.  NULL
 * names that object's key (resolved, or an error, once the pack is whole). */
int pk_dep_field(pack_ctx *pc, rule *r, int dep, const char *field);

/* The pack's settings and date parser, for types that validate against them. */
const struct pack *pk_pack(const pack_ctx *pc);
const struct pack_object *pk_object(const pack_ctx *pc);

/* ---- helpers for check and finish (implemented in check.c) -------------- */

typedef struct value {
    slice raw;       /* the field as decoded, untrimmed (may contain NUL) */
    slice s;         /* trimmed of Unicode white space */
    bool empty;      /* trimmed empty, or equal to one of the object's null_values */
    bool utf8_valid; /* raw is valid UTF-8 */
} value;

/* The value of the rule's field i (index from pk_field). */
const value *ck_value(check_ctx *c, const rule *r, int i);
/* The value parsed as a date/time (the object's `types` applied).  Returns
 * false when it does not parse.  Cached per record. */
bool ck_date(check_ctx *c, const rule *r, int i, dt_value *out);
bool ck_column_is_date(check_ctx *c, const rule *r, int i);
const dt_parser *ck_dates(check_ctx *c);
int64_t ck_as_of_us(check_ctx *c);
const tz_zone *ck_zone(check_ctx *c);

/* In collect: the value of field i of dependency dep for the record seen. */
const value *ck_dep_value(check_ctx *c, const rule *r, int dep, int i);

/* A place a finding can point at: the current record (ck_here) or one a
 * rule remembered.  Slices are borrowed: copy them to keep them past the
 * current record. */
typedef struct ck_site {
    uint32_t file; /* index of the input file */
    uint64_t line;
    slice record; /* the record key; p == NULL when there is none */
    slice value;  /* the raw value the finding is about; p == NULL for none */
} ck_site;

/* The current record as a site; value is the rule's field i (-1: none). */
ck_site ck_here(check_ctx *c, const rule *r, int i);

/* Like ck_emit, for a finding at `at` (NULL: the current record) with an
 * optional related site (the first occurrence, the previous row). */
void ck_emit_site(check_ctx *c, const rule *r, int i, const ck_site *at, const ck_site *related,
                  const char *tmpl, const char *detail_fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Adds a named figure to the rule's entry in the report (for example the
 * SLA's met/breached counts and percentiles).  Call from finish. */
void ck_stat(check_ctx *c, const rule *r, const char *name, double figure);

/* A rule's state could not grow: the run ends with an out-of-memory error. */
void ck_out_of_memory(check_ctx *c);

/* A scratch buffer owned by the check context (one per thread of checking),
 * for case folding and the like; valid until the next call that uses it. */
buf *ck_scratch(check_ctx *c);

/* The check context's regex working memory (regex.h); NULL when it could
 * not be had, which regex_search reports as RX_ERROR. */
struct regex_space *ck_regex_space(check_ctx *c);

/* --redact is in force: data values must not appear in {detail} either. */
bool ck_redacting(check_ctx *c);

/* The rule looked at this record (for rules[].checked). */
void ck_checked(check_ctx *c, const rule *r);

/* Reports a finding on the current record about the rule's field i (-1 for
 * none).  tmpl is the type's default message template, used when the rule
 * has no `message`; templates may use {field} {value} {record} {rule}
 * {object} {line} and {detail}, where detail is the printf-formatted text
 * that follows (it must not contain the offending value: --redact only hides
 * {value}). */
void ck_emit(check_ctx *c, const rule *r, int i, const char *tmpl, const char *detail_fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif

/*
 * engine_int.h - the engine's inside, shared by its three files and by
 * nothing else.
 *
 *   engine.c  setting up: selection, binding files to objects, slots,
 *             rules, lookups; finishing: gating and the result;
 *   check.c   check contexts: what one context does with one record (values,
 *             rules, findings) and the ck_* helpers rules call;
 *   scan.c    reading an object's files, on this thread or cut into chunks
 *             for a job pool, with one context per worker and per lane.
 */
#ifndef CRMLINT_ENGINE_INT_H
#define CRMLINT_ENGINE_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "engine.h"
#include "lookup.h"
#include "reader.h"
#include "regex.h"
#include "rule.h"

/* The structural rules, always present (SPEC §2), in result order. */
enum {
    S_DUPLICATE_HEADER,
    S_FIELD_TOO_LARGE,
    S_INVALID_ENCODING,
    S_MISSING_COLUMN,
    S_RAGGED_ROW,
    S_UNTERMINATED_QUOTE,
    S__COUNT
};

/* A column the object's rules (or rules and lookups of other objects) read:
 * either a header column, or NAME.COLUMN reached through a lookup. */
typedef struct slot {
    const char *name;
    bool is_date;
    int lookup;     /* -1, or index into the object's lookups */
    int lookup_col; /* the column's index in that lookup's table */
    bool needed;    /* read by a rule or lookup: missing is a finding */
} slot;

typedef struct rule_run {
    const rule *r;
    void *state;
    int *slot_of;      /* rule field index -> slot */
    int **dep_slot_of; /* per dependency: field index -> slot of that object */
    uint32_t result_index;
    int lane;       /* while its records' object is scanned with a job pool: the
                       ordered lane that runs it (and its collectors) */
    bool row_local; /* looks at one record at a time (rule_type.row_local) and
                   reads no other object: may run on any thread */
    bool selected;
    bool skip_all;     /* skipped for the whole run (reason in result) */
    bool ran;          /* it ran on at least one file */
    char *skip_reason; /* why it did not run on some file */
} rule_run;

/* A lookup of this object: the table is filled while its target is scanned. */
typedef struct lookup_run {
    const lookup_def *def;
    int target;           /* object index */
    int key_slot;         /* this object's slot for def->field */
    const char **columns; /* target columns read through the lookup */
    size_t ncolumns;
    int target_key_slot; /* slots in the target object */
    int *target_col_slot;
    lookup_table *table;
} lookup_run;

/* A rule of some object that collects this object's records. */
typedef struct collector {
    rule_run *rr;
    int dep;
} collector;

/* How one file's header binds its object's slots and what it rules out. */
typedef struct binding {
    int *col;             /* per slot: header column, -1 missing (lookup slots: unused) */
    bool *rule_skip;      /* per rule of the object: a column it reads is missing */
    bool *collector_skip; /* per collector: likewise */
    size_t nheader;       /* header fields: records with another count are ragged */
} binding;

typedef struct obj_run {
    const pack_object *o;
    slot *slots;
    size_t nslots;
    int key_slot; /* -1: no key */
    slice *nulls; /* the object's null_values, measured once */
    size_t nnulls;
    int *report_slots; /* the object's report_columns */
    rule_run *rules;
    size_t nrules;
    lookup_run *lookups; /* this object's lookups that some rule uses */
    size_t nlookups;
    lookup_run **provides; /* other objects' lookups that target this one */
    size_t nprovides;
    collector *collectors;
    size_t ncollectors;
    bool bound;       /* some file is bound to it */
    bool has_ordered; /* some work must see records in file order: a rule that is
                         not row-local, a collector, a lookup others read */
} obj_run;

typedef struct findings {
    finding *v;
    size_t n, cap;
} findings;

/* A check context's findings, in blocks: no slack to speak of, and merging
 * them into the engine's one array frees each block as it is copied. */
#define FINDINGS_PER_BLOCK 2048
typedef struct finding_block {
    struct finding_block *next;
    size_t n;
    finding v[FINDINGS_PER_BLOCK];
} finding_block;

typedef struct engine {
    const pack *p;
    const lint_options *opt;
    result *res;
    obj_run *objs;
    int *file_object;   /* per result file: object index or -1 */
    findings found;     /* merged from the check contexts after each object */
    atomic_size_t kept; /* findings kept in memory, all threads */
    uint64_t bytes_total, bytes_done;
    atomic_uint_fast64_t records_total;
    int workers; /* threads parsing and checking chunks; 0: read sequentially */
    bool oom;
} engine;

/* What a check context does with a record. */
enum {
    ROLE_ROW = 1,     /* structural checks and row-local rules */
    ROLE_ORDERED = 2, /* lookups, collectors and rules that need file order */
    ROLE_ALL = ROLE_ROW | ROLE_ORDERED
};

struct chunk_set;

struct check_ctx {
    engine *e;
    obj_run *obj;
    int role;           /* ROLE_* */
    int lane;           /* ROLE_ORDERED with a job pool: the lane whose rules, collectors
                           (and, for lane 0, lookup tables) it runs; -1: all */
    slice *kept_fields; /* a lane's view of a chunk's kept records */
    size_t kept_cap;
    const binding *bind;      /* the current file's */
    struct chunk_set *chunks; /* with a job pool: the pool's job slots */
    rule_run *cur;
    int cur_dep;                       /* in collect: the dependency being collected */
    finding_block *found, *found_tail; /* this context's findings (merged by the engine) */
    size_t nkept;                      /* findings in those blocks */
    arena *strings;                    /* their strings (moved into the result's arena) */
    buf clip;                          /* scratch for clip_copy */
    bool oom;
    const record *rec;
    value *vals;     /* per slot */
    dt_value *dates; /* per slot, valid when dstate == 1 */
    uint8_t *dstate; /* 0 unknown, 1 parsed, 2 unparseable */
    uint32_t file;
    uint64_t line;
    buf scratch;
    buf msg;
    regex_space *rx; /* created on first use */
    uint32_t *load;  /* the slots this role reads, header columns first */
    size_t nload;
    uint64_t *checked; /* per result rule: records looked at (merged at the end) */
    uint64_t *nfound;  /* per result rule: findings, kept or not */
};

/* ---- check.c ------------------------------------------------------------ */

/* A context for object `or` with role ROLE_* and lane (-1: all); false when
 * memory ran out (check_ctx_finish still frees what it got). */
bool check_ctx_init(check_ctx *c, engine *e, obj_run * or, int role, int lane);
/* Hands the context's findings, strings and counts to the engine; frees it. */
void check_ctx_finish(check_ctx *c, engine *e);

/* A binding for one file of `or`, all columns missing until bound. */
binding *binding_new(const obj_run * or);
void binding_free(binding *b);

/* The header row: its defects, then binding its columns into b. */
void check_header(check_ctx *c, const record *rec, binding *b);
/* A data record no rule can read: reported (ROLE_ROW) and true. */
bool check_broken_record(check_ctx *c, const record *rec);
/* A well-formed data record, as the context's role asks. */
void check_record(check_ctx *c, const record *rec);

/* ---- engine.c ----------------------------------------------------------- */

/* The delimiter of a file of object o: the object's, or by extension. */
char file_delimiter(const pack_object *o, const char *path);

/* ---- scan.c ------------------------------------------------------------- */

/* Reads every file bound to object oi and runs its rules' finish. */
bool scan_object(engine *e, size_t oi, char *err, size_t errlen);
/* Progress callback: bytes done (file_bytes into the current file). */
void scan_progress(engine *e, uint64_t file_bytes, bool final);

#endif

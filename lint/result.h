/*
 * result.h - what a lint run produced: the input to every report format.
 *
 * Findings are sorted in report order (SPEC §4): input file in command-line
 * order, then line, then rule id (bytewise), then the column's position in
 * the rule, then message.  Gating, counts and the exit code are final.
 * Reporters only read this structure; they never decide anything.
 */
#ifndef CRMLINT_RESULT_H
#define CRMLINT_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"

typedef struct result_file {
    char *path;         /* as given on the command line ("-" for stdin) */
    const char *object; /* NULL: matched no object, not linted */
    uint64_t records;
    const char *const *report_columns; /* the object's report_columns (borrowed) */
    size_t nreport_columns;
} result_file;

typedef struct related_ref {
    uint32_t file; /* index into files */
    uint64_t line;
    char *record; /* NULL when the related record has no key */
} related_ref;

typedef struct finding {
    uint32_t rule; /* index into rules */
    uint32_t file; /* index into files */
    uint64_t line;
    int column_pos;     /* the column's position in the rule, -1 for none */
    const char *column; /* NULL for structural findings */
    char *record;       /* NULL when no key column or empty key */
    char *value;        /* raw value (maybe invalid UTF-8, NULs); NULL when
                           empty or redacted */
    size_t value_len;
    char *message; /* UTF-8 text, maybe with invalid bytes; escape on output */
    related_ref *related;
    size_t nrelated;
    bool gating;
    bool baseline; /* meaningful only when result->has_baseline */
    char **extras; /* NULL, or one trimmed value (NULL when empty) per
                      report_column of the finding's file; absent for
                      findings about remembered records and under --redact */
} finding;

/* A named figure a rule reports besides its findings (the SLA's met and
 * breached counts, percentiles).  Names are string literals. */
typedef struct result_stat {
    const char *name;
    double value;
} result_stat;

typedef struct result_rule {
    const char *id;
    const char *type; /* "required", ..., "csv" for the structural rules */
    severity sev;
    const char *object; /* NULL for structural rules */
    const char *description;
    const char *const *tags;
    size_t ntags;
    uint64_t checked;
    uint64_t findings;        /* all findings, listed or not */
    bool gating;              /* at least one of its findings gates */
    uint64_t gating_findings; /* how many (its findings not in the baseline, when gating) */
    bool threshold_exceeded;  /* or no threshold */
    bool has_max_count;
    uint64_t max_count;
    bool has_max_ratio;
    double max_ratio;
    uint64_t ratio_num, ratio_den; /* max_ratio exactly as written in the pack */
    char *skipped;                 /* NULL or a reason */
    result_stat *stats;            /* in the order the rule added them */
    size_t nstats;
} result_rule;

/* Findings counted by rule tag (governance tags such as attention, trust,
 * movement, control), in order of first appearance among the rules. */
typedef struct result_tag {
    const char *tag; /* borrowed from the pack */
    uint64_t findings;
    uint64_t gating;
} result_tag;

typedef struct result_summary {
    uint64_t records;
    uint64_t findings;
    uint64_t error, warning, info;
    uint64_t gating;
    uint64_t new_findings, baseline, fixed; /* when has_baseline */
    int exit_code;                          /* 0 or 1 */
    result_tag *tags;                       /* empty when no rule has tags */
    size_t ntags;
    const char *primary_constraint; /* the tag with the most gating findings, or NULL */
} result_summary;

typedef struct result {
    const char *tool_version;
    char *pack_name;
    char *pack_spec; /* --pack as given (for "crmlint explain ID --pack ..."); may be NULL */
    int64_t as_of_us;
    severity fail_on;
    bool redact;
    bool has_baseline;
    result_file *files;
    size_t nfiles;
    finding *findings;         /* listed findings, report order */
    size_t nfindings;          /* listed: min(all, --max-findings, kept limit) */
    uint64_t findings_omitted; /* found but not listed */
    result_rule *rules;
    size_t nrules;
    result_summary summary;
    struct arena *strings; /* when set, owns every string of every finding (the
                              engine's results); NULL: each finding owns its own */
} result;

void result_free(result *r);
/* The object a finding is about: its rule's, or for structural (csv/...)
 * findings, whose rule has none, the object of the file it was found in.
 * Reports and baselines agree on it through this one function. */
const char *result_finding_object(const result *r, const finding *f);

/* Frees what one finding owns (its file's report_columns say how many
 * extras); nothing when the result's arena owns the strings. */
void result_finding_free(const result *r, finding *f);

#endif

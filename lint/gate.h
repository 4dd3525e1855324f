/*
 * gate.h - deciding what a run's findings mean.
 *
 * Once every file is read, the findings are put in report order (SPEC §4),
 * matched against the baseline, and judged: each rule's threshold, which
 * findings gate under --fail-on, the counts by severity and by tag, the
 * primary constraint and the exit code.  Finally the listing is cut to
 * --max-findings; counts and the exit code still cover every finding.
 */
#ifndef CRMLINT_GATE_H
#define CRMLINT_GATE_H

#include <stdbool.h>
#include <stdint.h>

#include "baseline.h"
#include "result.h"

typedef struct gate_opts {
    severity fail_on; /* SEV_NEVER: nothing gates */
    bool has_max_findings;
    uint64_t max_findings;
} gate_opts;

/* res holds every kept finding in any order, with files[].records and
 * rules[].findings/checked final.  base may be NULL.  false when out of
 * memory (res is then only fit to be freed). */
bool gate_decide(result *res, const gate_opts *o, baseline *base);

#endif

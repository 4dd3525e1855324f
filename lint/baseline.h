/*
 * baseline.h - `--baseline FILE`: recognise findings an earlier json report
 * already had (SPEC §4 "Baselines").
 *
 * A finding matches a baseline finding with the same rule, object, record
 * and column (and line, when record is null), one to one: two baseline
 * findings with the same key excuse two current ones, not three.  Strings
 * are compared as the json report writes them (invalid UTF-8 bytes as
 * U+FFFD), so a report read back matches the run that wrote it.
 */
#ifndef CRMLINT_BASELINE_H
#define CRMLINT_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "result.h"

typedef struct baseline baseline;

/* Loads the findings of an earlier json report.  NULL and "FILE: message"
 * (or "FILE:LINE:COL: message" for a JSON syntax error) on failure, e.g.
 * "FILE: not a crmlint json report (no findings array)". */
baseline *baseline_load(const char *path, char *err, size_t errlen);
void baseline_free(baseline *b);

/* Sets res->findings[i].baseline for every listed finding, true when it
 * matches a baseline finding not yet taken by an earlier one (report order
 * decides who takes it).  Returns the number of baseline findings left
 * unmatched: the "fixed" count.  Does not allocate, and may be called again
 * on another result (every call starts from the full baseline).  It leaves
 * res->has_baseline and res->summary to the caller.
 *
 * Findings not in res->findings (past --max-findings or the in-memory limit)
 * are not compared: call it before the list is cut, and note that a baseline
 * finding matching only an unlisted finding counts as fixed. */
uint64_t baseline_mark(baseline *b, result *res);

/* Findings listed in the baseline file. */
uint64_t baseline_count(const baseline *b);
/* The baseline report's summary.findings_omitted: findings it counted but did
 * not list (it was written with --max-findings), which can therefore not be
 * matched; 0 when it listed them all.  Worth a warning when > 0. */
uint64_t baseline_omitted(const baseline *b);

#endif

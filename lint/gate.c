/*
 * gate.c - sorting, baselines, thresholds, gating and summary counts (see
 * gate.h).  Thresholds count every finding of a rule, baseline ones too;
 * only findings that are not in the baseline gate.
 */
#define _GNU_SOURCE /* qsort_r */
#include "gate.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Report order (SPEC §4); qsort_r passes the result for the rule ids. */
static int finding_cmp(const void *pa, const void *pb, void *ctx)
{
    const result *sort_res = ctx;
    const finding *a = pa, *b = pb;
    if (a->file != b->file) return a->file < b->file ? -1 : 1;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    int c = strcmp(sort_res->rules[a->rule].id, sort_res->rules[b->rule].id);
    if (c) return c;
    if (a->column_pos != b->column_pos) return a->column_pos < b->column_pos ? -1 : 1;
    c = strcmp(a->message ? a->message : "", b->message ? b->message : "");
    if (c) return c;
    c = strcmp(a->record ? a->record : "", b->record ? b->record : "");
    if (c) return c;
    size_t n = a->value_len < b->value_len ? a->value_len : b->value_len;
    c = n ? memcmp(a->value, b->value, n) : 0;
    if (c) return c;
    return (a->value_len > b->value_len) - (a->value_len < b->value_len);
}

/* Findings and gating findings per tag; the primary constraint is the tag
 * with the most gating findings (ties: more findings, then first seen). */
static bool count_tags(result *res)
{
    result_summary *sum = &res->summary;
    for (size_t i = 0; i < res->nrules; i++) {
        const result_rule *rr = &res->rules[i];
        for (size_t t = 0; t < rr->ntags; t++) {
            size_t k = 0;
            while (k < sum->ntags && strcmp(sum->tags[k].tag, rr->tags[t]) != 0) k++;
            if (k == sum->ntags) {
                result_tag *v = xrealloc(sum->tags, (sum->ntags + 1) * sizeof *v);
                if (v == NULL) return false;
                sum->tags = v;
                v[sum->ntags++] = (result_tag){rr->tags[t], 0, 0};
            }
            sum->tags[k].findings += rr->findings;
            sum->tags[k].gating += rr->gating_findings;
        }
    }
    const result_tag *best = NULL;
    for (size_t k = 0; k < sum->ntags; k++) {
        const result_tag *t = &sum->tags[k];
        if (t->gating == 0) continue;
        if (best == NULL || t->gating > best->gating ||
            (t->gating == best->gating && t->findings > best->findings))
            best = t;
    }
    sum->primary_constraint = best ? best->tag : NULL;
    return true;
}

bool gate_decide(result *res, const gate_opts *o, baseline *base)
{
    severity fail_on = o->fail_on;
    result_summary *sum = &res->summary;
    if (res->nfindings > 1)
        qsort_r(res->findings, res->nfindings, sizeof *res->findings, finding_cmp, res);
    uint64_t *in_baseline = xcalloc(res->nrules + 1, sizeof *in_baseline);
    if (in_baseline == NULL) return false;
    if (base) {
        res->has_baseline = true;
        sum->fixed = baseline_mark(base, res);
        for (size_t i = 0; i < res->nfindings; i++)
            if (res->findings[i].baseline) in_baseline[res->findings[i].rule]++;
    }
    for (size_t i = 0; i < res->nrules; i++) {
        result_rule *rr = &res->rules[i];
        bool exceeded = true; /* thresholds count every finding, baseline included */
        if (rr->has_max_count || rr->has_max_ratio) {
            exceeded = (rr->has_max_count && rr->findings > rr->max_count) ||
                       (rr->has_max_ratio && (unsigned __int128)rr->findings * rr->ratio_den >
                                                 (unsigned __int128)rr->ratio_num * rr->checked);
        }
        rr->threshold_exceeded = exceeded;
        uint64_t fresh = rr->findings - in_baseline[i];
        rr->gating = exceeded && fresh > 0 && fail_on != SEV_NEVER && rr->sev >= fail_on;
        sum->findings += rr->findings;
        sum->baseline += in_baseline[i];
        if (rr->sev == SEV_ERROR) sum->error += rr->findings;
        if (rr->sev == SEV_WARNING) sum->warning += rr->findings;
        if (rr->sev == SEV_INFO) sum->info += rr->findings;
        rr->gating_findings = rr->gating ? fresh : 0;
        sum->gating += rr->gating_findings;
    }
    xfree(in_baseline);
    if (!count_tags(res)) return false;
    sum->new_findings = sum->findings - sum->baseline;
    for (size_t i = 0; i < res->nfindings; i++) {
        finding *f = &res->findings[i];
        f->gating = res->rules[f->rule].gating && !f->baseline;
    }
    sum->exit_code = sum->gating > 0 ? 1 : 0;

    size_t keep = res->nfindings;
    if (o->has_max_findings && o->max_findings < keep) keep = (size_t)o->max_findings;
    for (size_t i = keep; i < res->nfindings; i++) result_finding_free(res, &res->findings[i]);
    res->nfindings = keep;
    res->findings_omitted = sum->findings - keep;
    return true;
}

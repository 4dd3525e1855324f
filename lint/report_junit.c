/*
 * report_junit.c - `--format junit`: JUnit XML for the test tabs of GitLab,
 * Jenkins and GitHub test-report actions.
 *
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <testsuites name="crmlint" tests="3" failures="1" errors="0" skipped="1">
 *     <testsuite name="PACK" tests="3" failures="1" errors="0" skipped="1">
 *       <properties>...crmlint version, as_of, fail_on...</properties>
 *       <testcase classname="crmlint.lead" name="lead-email-format">
 *         <failure message="2 findings" type="error">DESCRIPTION
 *   exports/Lead.csv:2: Email bob@@x is not an email address (record 00Q1)
 *   ...</failure>
 *       </testcase>
 *       <testcase classname="crmlint.lead" name="lead-phone">
 *         <system-out>...findings that do not gate...</system-out>
 *       </testcase>
 *       <testcase classname="crmlint.account" name="account-owner">
 *         <skipped message="no file bound to account"/>
 *       </testcase>
 *       <testcase classname="crmlint.lead" name="lead-name"/>
 *       <system-out>...files not linted, the summary line...</system-out>
 *     </testsuite>
 *   </testsuites>
 *
 * One test case per rule (SPEC §4), in pack order: the rule is the test, the
 * pack the suite.  A rule with a gating finding fails; one with findings that
 * do not gate (below --fail-on, in the baseline, threshold not exceeded)
 * passes and lists them in <system-out>, so the report's red and green agree
 * with the exit code; a skipped rule is <skipped>; every other rule passes.
 * A clean run therefore still holds passing cases (Jenkins fails a build on a
 * report without any).  errors is always 0: a run crmlint cannot judge exits
 * 2 and writes no report.
 *
 * classname is "crmlint.<object>" ("crmlint.csv" for the structural rules):
 * GitLab shows it as the suite, Jenkins splits it at the last dot into
 * package "crmlint" and class "<object>".  Rule ids are unique, so GitLab,
 * which keeps only the first of two cases with the same name, keeps them all.
 * GitLab does not display failure@message, so the failure text carries
 * everything: the rule's description, then one "FILE:LINE: message (record
 * KEY)" line per listed finding, at most FINDINGS_PER_RULE, then how many
 * more there are.  No time attributes: crmlint does not time rules.
 *
 * All text goes through report_xml_escaped: values cannot break the document,
 * and control characters, which XML 1.0 cannot carry even as references,
 * appear as \xNN.  In finding lines, line breaks in a message or key are
 * written \n and \r as in the text format, so no value can fake a line.
 */
#include "report.h"

#include <string.h>

#include "datetime.h"
#include "xalloc.h"

#define LIT(o, s) out_write((o), (s), sizeof(s) - 1)

/* Findings listed in one test case; more would make the test tab unusable
 * and the full list is in the other formats. */
#define FINDINGS_PER_RULE 100

static void xml(out *o, const char *s)
{
    if (s) report_xml_escaped(o, s, strlen(s), false);
}

/* One line of a finding list: a line break inside a message or key is
 * written \n or \r, as in the text format, so it cannot fake a finding. */
static void xml_line(out *o, const char *s)
{
    if (s == NULL) return;
    for (;;) {
        size_t n = strcspn(s, "\n\r");
        report_xml_escaped(o, s, n, false);
        if (s[n] == '\0') return;
        out_write(o, s[n] == '\n' ? "\\n" : "\\r", 2);
        s += n + 1;
    }
}

static void attr(out *o, const char *s)
{
    if (s) report_xml_escaped(o, s, strlen(s), true);
}

static void counted(out *o, uint64_t v, const char *one, const char *many)
{
    out_u64(o, v);
    out_puts(o, v == 1 ? one : many);
}

/* Findings grouped by rule, each group in report order: a counting sort
 * into one index array.  Without memory for it, each rule scans all the
 * findings instead: slower, same output. */
typedef struct by_rule {
    size_t *start; /* nrules + 1 offsets into idx, or NULL */
    size_t *idx;
} by_rule;

static void group_findings(const result *res, by_rule *g)
{
    g->start = xcalloc(res->nrules + 1, sizeof *g->start);
    g->idx = xmalloc((res->nfindings ? res->nfindings : 1) * sizeof *g->idx);
    if (g->start == NULL || g->idx == NULL) goto fail;
    for (size_t i = 0; i < res->nfindings; i++) g->start[res->findings[i].rule + 1]++;
    for (size_t r = 0; r < res->nrules; r++) g->start[r + 1] += g->start[r];
    size_t *fill = xmalloc((res->nrules ? res->nrules : 1) * sizeof *fill);
    if (fill == NULL) goto fail;
    memcpy(fill, g->start, res->nrules * sizeof *fill);
    for (size_t i = 0; i < res->nfindings; i++) g->idx[fill[res->findings[i].rule]++] = i;
    xfree(fill);
    return;
fail:
    xfree(g->start);
    xfree(g->idx);
    g->start = NULL;
    g->idx = NULL;
}

/* The n-th listed finding of rule r, or NULL past the last. */
static const finding *rule_finding(const result *res, const by_rule *g, size_t r, size_t *cursor)
{
    if (g->start) {
        size_t k = g->start[r] + *cursor;
        if (k >= g->start[r + 1]) return NULL;
        (*cursor)++;
        return &res->findings[g->idx[k]];
    }
    /* Fallback: *cursor is the next finding index to look at. */
    for (size_t i = *cursor; i < res->nfindings; i++)
        if (res->findings[i].rule == r) {
            *cursor = i + 1;
            return &res->findings[i];
        }
    *cursor = res->nfindings;
    return NULL;
}

static void finding_line(out *o, const result *res, const finding *f)
{
    xml(o, res->files[f->file].path);
    out_putc(o, ':');
    if (f->line > 0) {
        out_u64(o, f->line);
        out_putc(o, ':');
    }
    out_putc(o, ' ');
    xml_line(o, f->message);
    if (f->record) {
        LIT(o, " (record ");
        xml_line(o, f->record);
        out_putc(o, ')');
    }
    if (res->has_baseline && f->baseline) LIT(o, " [baseline]");
    out_putc(o, '\n');
}

/* The description, the listed findings of rule r and what was left out. */
static void finding_list(out *o, const result *res, const by_rule *g, size_t r)
{
    const result_rule *rule = &res->rules[r];
    if (rule->description && *rule->description) {
        xml(o, rule->description);
        out_putc(o, '\n');
    }
    size_t cursor = 0;
    uint64_t shown = 0;
    const finding *f;
    while (shown < FINDINGS_PER_RULE && (f = rule_finding(res, g, r, &cursor)) != NULL) {
        finding_line(o, res, f);
        shown++;
    }
    if (rule->findings > shown) {
        LIT(o, "... ");
        counted(o, rule->findings - shown, " more finding not listed here\n",
                " more findings not listed here\n");
    }
}

static void test_case(out *o, const result *res, const by_rule *g, size_t r)
{
    const result_rule *rule = &res->rules[r];
    LIT(o, "    <testcase classname=\"crmlint.");
    attr(o, rule->object ? rule->object : "csv");
    LIT(o, "\" name=\"");
    attr(o, rule->id);
    out_putc(o, '"');
    if (rule->skipped) {
        LIT(o, ">\n      <skipped message=\"");
        attr(o, rule->skipped);
        LIT(o, "\"/>\n    </testcase>\n");
    } else if (rule->gating) {
        LIT(o, ">\n      <failure message=\"");
        counted(o, rule->findings, " finding", " findings");
        LIT(o, "\" type=\"");
        out_puts(o, severity_name(rule->sev));
        LIT(o, "\">");
        finding_list(o, res, g, r);
        LIT(o, "</failure>\n    </testcase>\n");
    } else if (rule->findings > 0) {
        LIT(o, ">\n      <system-out>");
        finding_list(o, res, g, r);
        LIT(o, "</system-out>\n    </testcase>\n");
    } else {
        LIT(o, "/>\n");
    }
}

static void counts(out *o, const result *res, uint64_t failures, uint64_t skipped)
{
    LIT(o, " tests=\"");
    out_u64(o, res->nrules);
    LIT(o, "\" failures=\"");
    out_u64(o, failures);
    LIT(o, "\" errors=\"0\" skipped=\"");
    out_u64(o, skipped);
    LIT(o, "\">\n");
}

static void property(out *o, const char *name, const char *value)
{
    LIT(o, "      <property name=\"");
    out_puts(o, name);
    LIT(o, "\" value=\"");
    attr(o, value);
    LIT(o, "\"/>\n");
}

/* Suite-level output: files not linted, findings not listed, and the
 * summary line of the text format. */
static void suite_out(out *o, const result *res)
{
    const result_summary *s = &res->summary;
    size_t linted = 0;
    LIT(o, "    <system-out>");
    for (size_t i = 0; i < res->nfiles; i++) {
        if (res->files[i].object) {
            linted++;
            continue;
        }
        LIT(o, "skipped: ");
        xml(o, res->files[i].path);
        LIT(o, " (no object)\n");
    }
    if (res->findings_omitted) {
        counted(o, res->findings_omitted, " finding", " findings");
        LIT(o, " not listed (--max-findings)\n");
    }
    counted(o, s->findings, " finding (", " findings (");
    counted(o, s->error, " error, ", " errors, ");
    counted(o, s->warning, " warning, ", " warnings, ");
    out_u64(o, s->info);
    LIT(o, " info) in ");
    counted(o, s->records, " record", " records");
    LIT(o, " from ");
    counted(o, linted, " file", " files");
    if (res->has_baseline) {
        LIT(o, "; ");
        out_u64(o, s->new_findings);
        LIT(o, " new, ");
        out_u64(o, s->baseline);
        LIT(o, " in baseline, ");
        out_u64(o, s->fixed);
        LIT(o, " fixed");
    }
    LIT(o, "; ");
    out_u64(o, s->gating);
    LIT(o, " gating (fail-on ");
    out_puts(o, severity_name(res->fail_on));
    LIT(o, ") -&gt; exit ");
    out_u64(o, (uint64_t)s->exit_code);
    LIT(o, "\n</system-out>\n");
}

static void junit_write(const result *res, const report_opts *opts, out *o)
{
    (void)opts;
    uint64_t failures = 0, skipped = 0;
    for (size_t i = 0; i < res->nrules; i++) {
        if (res->rules[i].skipped)
            skipped++;
        else if (res->rules[i].gating)
            failures++;
    }
    by_rule g;
    group_findings(res, &g);

    LIT(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"crmlint\"");
    counts(o, res, failures, skipped);
    LIT(o, "  <testsuite name=\"");
    attr(o, res->pack_name ? res->pack_name : "crmlint");
    out_putc(o, '"');
    counts(o, res, failures, skipped);

    char as_of[21];
    dt_format_utc(res->as_of_us, as_of);
    LIT(o, "    <properties>\n");
    property(o, "crmlint", res->tool_version ? res->tool_version : CRMLINT_VERSION);
    property(o, "as_of", as_of);
    property(o, "fail_on", severity_name(res->fail_on));
    LIT(o, "    </properties>\n");

    for (size_t r = 0; r < res->nrules; r++) test_case(o, res, &g, r);
    suite_out(o, res);
    LIT(o, "  </testsuite>\n</testsuites>\n");

    xfree(g.start);
    xfree(g.idx);
}

const reporter report_junit = {"junit", junit_write};

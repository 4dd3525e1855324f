/*
 * report_text.c - `--format text`: the report for people at a terminal.
 *
 *   Lead.csv:17: error [lead-email-format] Email bob@@x is not an email address (record 00Q5g)
 *   Lead.csv:40: warning [lead-phone] Phone is empty
 *
 *   rule               severity  findings  checked  gating
 *   lead-email-format  error            1    1,000  yes
 *   lead-phone         warning          1    1,000  no
 *   account-owner      error            0        0  no      skipped: no file bound to account
 *
 *   skipped: notes.csv (no object)
 *   2 findings (1 error, 1 warning, 0 info) in 1,000 records from 1 file; 1 gating (fail-on error)
 * -> exit 1
 *
 * One line per listed finding ("FILE: ..." without a line number for a
 * finding about the whole file, line 0), a blank line, then a table of the
 * rules that found something or were skipped, the input files that matched
 * no object, how many findings --max-findings left out, and one closing line.
 * Every string that comes from data, the pack or the command line goes
 * through report_text_escaped: a value cannot move the cursor or fake a line.
 *
 * Colour (opts->color): severity in red/yellow/blue, FILE:LINE in bold.  With
 * opts->quiet, a run without findings prints nothing at all (SPEC: "print
 * nothing for a clean run"), even when rules were skipped.
 */
#include "report.h"

#include "datetime.h"

#include <stdio.h>
#include <string.h>

#define LIT(o, s) out_write((o), (s), sizeof(s) - 1)

#define ANSI_BOLD  "\033[1m"
#define ANSI_RESET "\033[0m"

static const char *const sev_color[] = {"\033[34m", "\033[33m", "\033[31m", ""};

static void text(out *o, const char *s)
{
    if (s) report_text_escaped(o, s, strlen(s));
}

/* v with thousands separators ("1,234,567"); returns the length. */
static size_t fmt_count(uint64_t v, char dst[32])
{
    char digits[20];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    size_t len = 0;
    for (size_t i = n; i-- > 0;) {
        dst[len++] = digits[i];
        if (i > 0 && i % 3 == 0) dst[len++] = ',';
    }
    dst[len] = '\0';
    return len;
}

static void put_count(out *o, uint64_t v)
{
    char b[32];
    out_write(o, b, fmt_count(v, b));
}

/* "1 error", "3 errors"; `plural` NULL for a word that does not change. */
static void put_counted(out *o, uint64_t v, const char *one, const char *plural)
{
    put_count(o, v);
    out_putc(o, ' ');
    out_puts(o, v == 1 || plural == NULL ? one : plural);
}

static void pad(out *o, size_t n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        out_write(o, spaces, k);
        n -= k;
    }
}

/* Terminal columns of a rule id: code points (ids are short, mostly ASCII). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
}

static void severity_word(out *o, severity sev, bool color)
{
    if (color) out_puts(o, sev_color[sev]);
    out_puts(o, severity_name(sev));
    if (color) LIT(o, ANSI_RESET);
}

void report_text_finding(out *o, const result *res, const finding *f, bool color)
{
    const result_rule *r = &res->rules[f->rule];
    if (color) LIT(o, ANSI_BOLD);
    text(o, res->files[f->file].path);
    out_putc(o, ':');
    if (f->line > 0) {
        out_u64(o, f->line);
        out_putc(o, ':');
    }
    if (color) LIT(o, ANSI_RESET);
    out_putc(o, ' ');
    severity_word(o, r->sev, color);
    LIT(o, " [");
    text(o, r->id);
    LIT(o, "] ");
    text(o, f->message);
    if (f->record) {
        LIT(o, " (record ");
        text(o, f->record);
        out_putc(o, ')');
    }
}

static bool rule_listed(const result_rule *r)
{
    return r->findings > 0 || r->skipped != NULL || r->nstats > 0;
}

/* "    met 10, breached 2, open 1, median 3h20m, p90 7h45m": a rule's figures
 * (for example an SLA's compliance), durations written as durations. */
static void stats_line(out *o, const result_rule *r)
{
    LIT(o, "    ");
    for (size_t i = 0; i < r->nstats; i++) {
        const char *name = r->stats[i].name;
        size_t n = strlen(name);
        if (i) LIT(o, ", ");
        char b[48];
        if (n > 8 && strcmp(name + n - 8, "_seconds") == 0) {
            out_write(o, name, n - 8);
            out_putc(o, ' ');
            dt_format_duration((int64_t)r->stats[i].value, b, sizeof b);
            out_puts(o, b);
        } else {
            out_puts(o, name);
            out_putc(o, ' ');
            put_count(o, (uint64_t)r->stats[i].value);
        }
    }
    out_putc(o, '\n');
}

static void threshold_note(out *o, const result_rule *r)
{
    LIT(o, "threshold ");
    if (r->has_max_count) {
        LIT(o, "max_count ");
        put_count(o, r->max_count);
    }
    if (r->has_max_ratio) {
        char b[40];
        snprintf(b, sizeof b, "%s%g", r->has_max_count ? ", max_ratio " : "max_ratio ",
                 r->max_ratio);
        out_puts(o, b);
    }
    if (r->threshold_exceeded)
        LIT(o, ": exceeded");
    else
        LIT(o, ": not exceeded");
}

static void rule_table(out *o, const result *res, bool color)
{
    size_t wid = 4, wfind = 8, wcheck = 7;
    char b[32];
    for (size_t i = 0; i < res->nrules; i++) {
        const result_rule *r = &res->rules[i];
        if (!rule_listed(r)) continue;
        size_t w = r->id ? width(r->id) : 0;
        if (w > wid) wid = w;
        if ((w = fmt_count(r->findings, b)) > wfind) wfind = w;
        if ((w = fmt_count(r->checked, b)) > wcheck) wcheck = w;
    }

    LIT(o, "rule");
    pad(o, wid - 4 + 2);
    LIT(o, "severity  ");
    pad(o, wfind - 8);
    LIT(o, "findings  ");
    pad(o, wcheck - 7);
    LIT(o, "checked  gating\n");

    for (size_t i = 0; i < res->nrules; i++) {
        const result_rule *r = &res->rules[i];
        if (!rule_listed(r)) continue;
        text(o, r->id);
        pad(o, wid - (r->id ? width(r->id) : 0) + 2);
        severity_word(o, r->sev, color);
        pad(o, 10 - strlen(severity_name(r->sev)));
        size_t n = fmt_count(r->findings, b);
        pad(o, wfind - n);
        out_write(o, b, n);
        LIT(o, "  ");
        n = fmt_count(r->checked, b);
        pad(o, wcheck - n);
        out_write(o, b, n);
        LIT(o, "  ");
        bool has_threshold = r->has_max_count || r->has_max_ratio;
        if (r->skipped == NULL && !has_threshold) {
            out_puts(o, r->gating ? "yes\n" : "no\n");
            if (r->nstats) stats_line(o, r);
            continue;
        }
        out_puts(o, r->gating ? "yes     " : "no      ");
        if (r->skipped) {
            LIT(o, "skipped: ");
            text(o, r->skipped);
        } else {
            threshold_note(o, r);
        }
        out_putc(o, '\n');
        if (r->nstats) stats_line(o, r);
    }
}

static void text_write(const result *res, const report_opts *opts, out *o)
{
    bool color = opts && opts->color;
    size_t listed_rules = 0;
    for (size_t i = 0; i < res->nrules; i++)
        if (rule_listed(&res->rules[i])) listed_rules++;
    if (opts && opts->quiet && res->summary.findings == 0) return;

    for (size_t i = 0; i < res->nfindings; i++) {
        report_text_finding(o, res, &res->findings[i], color);
        out_putc(o, '\n');
    }
    if (res->nfindings) out_putc(o, '\n');

    if (listed_rules) {
        rule_table(o, res, color);
        out_putc(o, '\n');
    }

    size_t linted = 0;
    for (size_t i = 0; i < res->nfiles; i++) {
        if (res->files[i].object) {
            linted++;
            continue;
        }
        LIT(o, "skipped: ");
        text(o, res->files[i].path);
        LIT(o, " (no object)\n");
    }

    if (res->findings_omitted) {
        put_counted(o, res->findings_omitted, "finding", "findings");
        LIT(o, " not listed (--max-findings)\n");
    }

    const result_summary *s = &res->summary;
    if (s->ntags) {
        /* by tag: control 12 (5 gating), movement 3 (0 gating); primary constraint: control */
        LIT(o, "by tag: ");
        for (size_t i = 0; i < s->ntags; i++) {
            if (i) LIT(o, ", ");
            text(o, s->tags[i].tag);
            out_putc(o, ' ');
            put_count(o, s->tags[i].findings);
            LIT(o, " (");
            put_count(o, s->tags[i].gating);
            LIT(o, " gating)");
        }
        if (s->primary_constraint) {
            LIT(o, "; primary constraint: ");
            text(o, s->primary_constraint);
        }
        out_putc(o, '\n');
    }
    put_counted(o, s->findings, "finding", "findings");
    LIT(o, " (");
    put_counted(o, s->error, "error", "errors");
    LIT(o, ", ");
    put_counted(o, s->warning, "warning", "warnings");
    LIT(o, ", ");
    put_counted(o, s->info, "info", NULL);
    LIT(o, ") in ");
    put_counted(o, s->records, "record", "records");
    LIT(o, " from ");
    put_counted(o, linted, "file", "files");
    if (res->has_baseline) {
        LIT(o, "; ");
        put_count(o, s->new_findings);
        LIT(o, " new, ");
        put_count(o, s->baseline);
        LIT(o, " in baseline, ");
        put_count(o, s->fixed);
        LIT(o, " fixed");
    }
    LIT(o, "; ");
    put_count(o, s->gating);
    LIT(o, " gating (fail-on ");
    out_puts(o, severity_name(res->fail_on));
    LIT(o, ") -> exit ");
    out_u64(o, (uint64_t)s->exit_code);
    out_putc(o, '\n');
}

const reporter report_text = {"text", text_write};

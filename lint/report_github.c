/*
 * report_github.c - `--format github`: GitHub Actions workflow commands, so
 * findings appear as annotations on the pull request and the run.
 *
 *   ::error file=exports/Lead.csv,line=17,title=crmlint (lead-email-format)::Email bob@@x ...
 *   ::warning file=exports/Lead.csv,line=40,title=crmlint (lead-phone)::Phone is empty
 *   exports/Lead.csv:41: warning [lead-phone] Phone is empty (record 00Q5h)
 *   ::notice title=crmlint::1 finding listed without annotation (GitHub shows ...)
 *
 * error -> ::error, warning -> ::warning, info -> ::notice.  GitHub shows at
 * most 10 error, 10 warning and 10 notice annotations per step and drops the
 * rest without a word (actions/toolkit docs/problem-matchers.md), so 10 of
 * each level become annotations - gating findings first, as they are why
 * the step fails, then the others, each in report order - and every other
 * listed finding is printed as a plain log line in the text format's shape.
 * Output stays in report order; one closing ::notice says how many findings
 * were not annotated and how many --max-findings left out.  That notice is
 * itself a notice, so when it will be written only 9 findings are annotated
 * as notices.  With --baseline, findings in the baseline never become
 * annotations (they do not gate; annotating them would crowd out the new
 * ones): they are log lines marked "(in baseline)".  A clean run prints
 * nothing.
 *
 * Escaping (actions/toolkit command.ts): in the message, % CR LF become %25
 * %0D %0A; in property values also : and , become %3A %2C.  Beyond that,
 * other control characters are written \xNN (an ESC in a value must not
 * colour the log) and invalid UTF-8 becomes U+FFFD.  No escaped text can
 * begin a line, so no value can issue a workflow command.  A leading "./" is
 * removed from file= (GitHub wants paths relative to the repository root);
 * line= is omitted for a finding about a whole file.
 *
 * When GITHUB_STEP_SUMMARY names a file, a Markdown summary is appended to
 * it (O_APPEND, as the runner expects): the totals line and a table of the
 * rules that found something or were skipped.  It is written at once after
 * the report is composed; if it cannot be written the report is unaffected
 * (the summary is a convenience, the annotations and exit code are not).
 */
#include "report.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

#define LIT(o, s) out_write((o), (s), sizeof(s) - 1)

/* GitHub's per-step display limit for each annotation level. */
#define ANNOTATIONS_PER_LEVEL 10

static const char *const command[] = {"::notice", "::warning", "::error", "::notice"};

/* Workflow-command text: message data (prop false) or a property value. */
static void cmd_escaped(out *o, const char *s, size_t n, bool prop)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t start = i, k = 0;
        while (i < n) {
            unsigned c = p[i];
            if (c >= 0x20 && c < 0x7F) {
                if (c == '%' || (prop && (c == ':' || c == ','))) break;
                i++;
            } else if (c >= 0x80) {
                k = text_utf8_seq(s + i, n - i);
                /* C1 controls (U+0080..U+009F; U+009B is CSI) as \u00XX. */
                if (k == 0 || (k == 2 && c == 0xC2 && p[i + 1] < 0xA0)) break;
                i += k;
            } else if (c == '\t') {
                i++;
            } else {
                break;
            }
        }
        if (i > start) out_write(o, s + start, i - start);
        if (i == n) break;

        unsigned c = p[i++];
        if (c == 0xC2 && i < n && p[i] < 0xA0 && p[i] >= 0x80) {
            char u[6] = {
                '\\', 'u', '0', '0', "0123456789abcdef"[p[i] >> 4], "0123456789abcdef"[p[i] & 15]};
            out_write(o, u, sizeof u);
            i++;
            continue;
        }
        if (c == '%' || c == ':' || c == ',' || c == '\r' || c == '\n') {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            out_write(o, e, 3);
        } else if (c >= 0x80) {
            out_write(o, "\xEF\xBF\xBD", 3);
        } else if (c == 0) {
            LIT(o, "\\0");
        } else {
            char x[4] = {'\\', 'x', "0123456789abcdef"[c >> 4], "0123456789abcdef"[c & 15]};
            out_write(o, x, 4);
        }
    }
}

static void cmd_cstr(out *o, const char *s, bool prop)
{
    if (s) cmd_escaped(o, s, strlen(s), prop);
}

static void annotation(out *o, const result *res, const finding *f)
{
    const result_rule *r = &res->rules[f->rule];
    out_puts(o, command[r->sev]);
    LIT(o, " file=");
    cmd_cstr(o, report_strip_dot_slash(res->files[f->file].path), true);
    if (f->line > 0) {
        LIT(o, ",line=");
        out_u64(o, f->line);
    }
    LIT(o, ",title=crmlint (");
    cmd_cstr(o, r->id, true);
    LIT(o, ")::");
    cmd_cstr(o, f->message, false);
    if (f->record) {
        LIT(o, " (record ");
        cmd_cstr(o, f->record, false);
        out_putc(o, ')');
    }
    out_putc(o, '\n');
}

/* The text format's finding line, for findings that are not annotated. */
static void log_line(out *o, const result *res, const finding *f, bool in_baseline)
{
    report_text_finding(o, res, f, false);
    if (in_baseline) LIT(o, " (in baseline)");
    out_putc(o, '\n');
}

static void counted(out *o, uint64_t v, const char *one, const char *many)
{
    out_u64(o, v);
    out_puts(o, v == 1 ? one : many);
}

/* ---- the step summary ---- */

/* Markdown table-cell text: punctuation that Markdown or a GFM table would
 * read backslash-escaped, line breaks and other controls as spaces, invalid
 * UTF-8 as U+FFFD. */
static void md(buf *b, const char *s)
{
    if (s == NULL) return;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            size_t k = text_utf8_seq(s + i, n - i);
            if (k == 0) {
                buf_add(b, "\xEF\xBF\xBD", 3);
                k = 1;
            } else {
                buf_add(b, s + i, k);
            }
            i += k;
            continue;
        }
        if (c < 0x20 || c == 0x7F)
            buf_addc(b, ' ');
        else if (strchr("\\`*_[]<>|~!#&", c)) {
            buf_addc(b, '\\');
            buf_addc(b, (char)c);
        } else {
            buf_addc(b, (char)c);
        }
        i++;
    }
}

static void md_counted(buf *b, uint64_t v, const char *one, const char *many)
{
    buf_printf(b, "%llu%s", (unsigned long long)v, v == 1 ? one : many);
}

static void summary_markdown(buf *b, const result *res)
{
    const result_summary *s = &res->summary;
    size_t linted = 0;
    for (size_t i = 0; i < res->nfiles; i++)
        if (res->files[i].object) linted++;

    buf_adds(b, "### crmlint: ");
    md(b, res->pack_name);
    buf_adds(b, "\n\n**");
    md_counted(b, s->findings, " finding", " findings");
    buf_adds(b, "** (");
    md_counted(b, s->error, " error, ", " errors, ");
    md_counted(b, s->warning, " warning, ", " warnings, ");
    buf_printf(b, "%llu info) in ", (unsigned long long)s->info);
    md_counted(b, s->records, " record", " records");
    buf_adds(b, " from ");
    md_counted(b, linted, " file", " files");
    if (res->has_baseline)
        buf_printf(b, "; %llu new, %llu in baseline, %llu fixed",
                   (unsigned long long)s->new_findings, (unsigned long long)s->baseline,
                   (unsigned long long)s->fixed);
    buf_printf(b, "; **%llu gating** (fail-on %s): exit %d\n", (unsigned long long)s->gating,
               severity_name(res->fail_on), s->exit_code);

    bool table = false;
    for (size_t i = 0; i < res->nrules; i++) {
        const result_rule *r = &res->rules[i];
        if (r->findings == 0 && r->skipped == NULL) continue;
        if (!table) {
            buf_adds(b, "\n| Rule | Severity | Findings | Checked | Gating | Note |\n"
                        "| :--- | :--- | ---: | ---: | :--- | :--- |\n");
            table = true;
        }
        buf_adds(b, "| ");
        md(b, r->id);
        buf_printf(b, " | %s | %llu | %llu | %s | ", severity_name(r->sev),
                   (unsigned long long)r->findings, (unsigned long long)r->checked,
                   r->gating ? "yes" : "no");
        if (r->skipped) {
            buf_adds(b, "skipped: ");
            md(b, r->skipped);
        } else if (r->has_max_count || r->has_max_ratio) {
            buf_adds(b, "threshold");
            if (r->has_max_count)
                buf_printf(b, " max\\_count %llu", (unsigned long long)r->max_count);
            if (r->has_max_ratio)
                buf_printf(b, "%s max\\_ratio %g", r->has_max_count ? "," : "", r->max_ratio);
            buf_adds(b, r->threshold_exceeded ? ": exceeded" : ": not exceeded");
        }
        buf_adds(b, " |\n");
    }

    bool first = true;
    for (size_t i = 0; i < res->nfiles; i++) {
        if (res->files[i].object) continue;
        buf_adds(b, first ? "\nNot linted (no object): " : ", ");
        first = false;
        md(b, res->files[i].path);
    }
    if (!first) buf_addc(b, '\n');
    if (res->findings_omitted) {
        buf_addc(b, '\n');
        md_counted(b, res->findings_omitted, " finding", " findings");
        buf_adds(b, " not listed (--max-findings).\n");
    }
    buf_addc(b, '\n');
}

/* Appends the step summary to the file GITHUB_STEP_SUMMARY names, if any. */
static void step_summary(const result *res)
{
    const char *path = getenv("GITHUB_STEP_SUMMARY");
    if (path == NULL || *path == '\0') return;
    buf b = BUF_INIT;
    int fd = -1;
    summary_markdown(&b, res);
    if (b.oom) goto cleanup;
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) goto cleanup;
    for (size_t done = 0; done < b.len;) {
        ssize_t w = write(fd, b.p + done, b.len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) goto cleanup;
        done += (size_t)w;
    }
cleanup:
    if (fd >= 0) close(fd);
    buf_free(&b);
}

static void github_write(const result *res, const report_opts *opts, out *o)
{
    (void)opts;
    /* Which findings are annotated, per level: the gating ones first (they
     * are why the step fails), then the others, each in report order, up to
     * the level's cap; baseline findings never.  The closing notice takes one
     * notice slot when it is needed, i.e. when anything is left out.  Counts
     * decide it all, so the output can follow report order. */
    uint64_t gating[3] = {0, 0, 0}, other[3] = {0, 0, 0}, in_baseline = 0;
    for (size_t i = 0; i < res->nfindings; i++) {
        const finding *f = &res->findings[i];
        int l = (int)(res->rules[f->rule].sev % 3);
        if (res->has_baseline && f->baseline)
            in_baseline++;
        else if (f->gating)
            gating[l]++;
        else
            other[l]++;
    }
    uint64_t cap[3] = {ANNOTATIONS_PER_LEVEL, ANNOTATIONS_PER_LEVEL, ANNOTATIONS_PER_LEVEL};
    bool closing = in_baseline > 0 || res->findings_omitted > 0;
    for (int l = 0; l < 3; l++)
        if (gating[l] + other[l] > cap[l]) closing = true;
    if (closing) cap[SEV_INFO]--;
    uint64_t gating_left[3], other_left[3], annotated = 0;
    for (int l = 0; l < 3; l++) {
        gating_left[l] = gating[l] < cap[l] ? gating[l] : cap[l];
        other_left[l] = cap[l] - gating_left[l];
    }

    for (size_t i = 0; i < res->nfindings; i++) {
        const finding *f = &res->findings[i];
        bool base = res->has_baseline && f->baseline;
        int l = (int)(res->rules[f->rule].sev % 3);
        uint64_t *left = f->gating ? &gating_left[l] : &other_left[l];
        if (!base && *left > 0) {
            (*left)--;
            annotated++;
            annotation(o, res, f);
        } else {
            log_line(o, res, f, base);
        }
    }

    if (closing) {
        uint64_t unannotated = res->nfindings - annotated;
        LIT(o, "::notice title=crmlint::");
        if (unannotated) {
            counted(o, unannotated, " finding", " findings");
            LIT(o, " listed without annotation (GitHub shows at most 10 errors, 10 warnings and "
                   "10 notices per step");
            if (in_baseline) {
                LIT(o, "; ");
                out_u64(o, in_baseline);
                LIT(o, " in the baseline");
            }
            out_putc(o, ')');
        }
        if (res->findings_omitted) {
            if (unannotated) LIT(o, "; ");
            counted(o, res->findings_omitted, " finding", " findings");
            LIT(o, " not listed (--max-findings)");
        }
        out_putc(o, '\n');
    }
    step_summary(res);
}

const reporter report_github = {"github", github_write};

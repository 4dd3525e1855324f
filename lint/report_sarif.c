/*
 * report_sarif.c - `--format sarif`: SARIF 2.1.0 for GitHub code scanning and
 * other static-analysis dashboards.
 *
 * One run.  tool.driver lists one reporting descriptor per rule of the pack
 * (the structural csv/... rules included) so that every result's ruleIndex
 * points into it; results[] holds the listed findings in report order and is
 * "[]" on a clean run (upload-sarif rejects a run without it).  Layout as in
 * the json format: compact, a newline before each rule and each result.
 *
 * Choices the standard leaves open:
 *   - Levels: error -> "error", warning -> "warning", info -> "note", per
 *     result and as each rule's defaultConfiguration.  Gating is not a level:
 *     it is in the result's properties.gating and in invocations[0].exitCode.
 *   - message.text is the finding's message plus " (record KEY)", as in the
 *     text format: dashboards show the message, and people fix records.
 *   - artifactLocation.uri is the path as given on the command line, leading
 *     "./" removed, percent-encoded where RFC 3986 requires it (a space is
 *     %20, ':' is %3A so no file name reads as a URI scheme); relative paths
 *     stay relative, as GitHub wants them; an absolute path becomes a file://
 *     URI.  Standard input is "-", the name every crmlint report uses for it.
 *   - A finding about a whole file (line 0) has no region: SARIF's way of
 *     saying "the whole artifact" (startLine 0 is invalid).
 *   - partialFingerprints {"crmlint/v1": 16 hex digits} is report_fingerprint:
 *     rule, object, record key and column (line only without a key), so an
 *     alert follows its record when rows are reordered or other fields edited.
 *     primaryLocationLineHash is left to upload-sarif, which computes it from
 *     the file and warns about any value that differs from its own.
 *   - With --baseline, baselineState is "unchanged" for a finding in the
 *     baseline and "new" otherwise; fixed findings are not listed (the result
 *     only counts them; see properties.summary).
 *   - Rules: shortDescription and fullDescription are the pack's description
 *     ("<type> rule <id>" without one), cut to GitHub's 1024 characters;
 *     help.text adds the type, object and severity.  properties: the pack's
 *     tags, the rule type, precision "very-high" (rules are deterministic)
 *     and GitHub's problem.severity (info -> "recommendation").
 *   - invocations[0]: executionSuccessful true (a run that fails is exit 2
 *     and writes no report), exitCode, and a toolExecutionNotification for
 *     each skipped rule, each file that matched no object and the findings
 *     --max-findings left out.
 *   - run.properties: pack name, as_of, fail_on and the summary object of the
 *     json format.
 *   - No informationUri or helpUri: crmlint has no web page to point to.
 */
#include "report.h"
#include "text.h"

#include <string.h>

#include "datetime.h"

#define LIT(o, s) out_write((o), (s), sizeof(s) - 1)

/* GitHub rejects descriptions longer than this many characters. */
#define DESC_MAX 1024

static const char *const sarif_level[] = {"note", "warning", "error", "none"};
static const char *const problem_severity[] = {"recommendation", "warning", "error", "none"};

static void cstr_chars(out *o, const char *s)
{
    if (s) report_json_chars(o, s, strlen(s));
}

/* The rule's description as JSON string contents, at most DESC_MAX
 * characters (an invalid byte counts as the one U+FFFD it becomes). */
static void description_chars(out *o, const result_rule *r)
{
    const char *d = r->description;
    if (d == NULL || *d == '\0') {
        cstr_chars(o, r->type);
        LIT(o, " rule ");
        cstr_chars(o, r->id);
        return;
    }
    size_t n = strlen(d), i = 0, chars = 0, cut = n;
    while (i < n) {
        if (chars == DESC_MAX - 1) cut = i;
        if (++chars > DESC_MAX) break;
        size_t k = (unsigned char)d[i] < 0x80 ? 1 : text_utf8_seq(d + i, n - i);
        i += k ? k : 1;
    }
    if (chars <= DESC_MAX) {
        report_json_chars(o, d, n);
        return;
    }
    report_json_chars(o, d, cut);
    LIT(o, "\xE2\x80\xA6"); /* U+2026, an ellipsis */
}

/* Bytes kept as they are in a URI path: RFC 3986 unreserved characters,
 * sub-delims, '@' and '/'.  ':' is not among them: in a relative reference
 * "a:b.csv" would read as scheme "a". */
static bool uri_keep(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return c != 0 && strchr("-._~/!$&'()*+,;=@", c) != NULL;
}

static void uri_string(out *o, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *p = report_strip_dot_slash(path ? path : "");
    out_putc(o, '"');
    if (p[0] == '/') LIT(o, "file://");
    while (*p) {
        const char *start = p;
        while (*p && uri_keep((unsigned char)*p)) p++;
        if (p > start) out_write(o, start, (size_t)(p - start));
        if (*p == '\0') break;
        unsigned char c = (unsigned char)*p++;
        char e[3] = {'%', hex[c >> 4], hex[c & 15]};
        out_write(o, e, 3);
    }
    out_putc(o, '"');
}

/* A location object; `record` (may be NULL) becomes its message. */
static void location(out *o, const char *path, uint64_t line, const char *record)
{
    LIT(o, "{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
    uri_string(o, path);
    out_putc(o, '}');
    if (line > 0) {
        LIT(o, ",\"region\":{\"startLine\":");
        out_u64(o, line);
        out_putc(o, '}');
    }
    out_putc(o, '}');
    if (record) {
        LIT(o, ",\"message\":{\"text\":\"record ");
        cstr_chars(o, record);
        LIT(o, "\"}");
    }
    out_putc(o, '}');
}

static void rule_descriptor(out *o, const result *res, const result_rule *r)
{
    LIT(o, "{\"id\":");
    report_json_cstr(o, r->id ? r->id : "");
    LIT(o, ",\"shortDescription\":{\"text\":\"");
    description_chars(o, r);
    LIT(o, "\"},\"fullDescription\":{\"text\":\"");
    description_chars(o, r);
    LIT(o, "\"},\"help\":{\"text\":\"");
    description_chars(o, r);
    LIT(o, "\\nType: ");
    cstr_chars(o, r->type);
    if (r->object) {
        LIT(o, ". Object: ");
        cstr_chars(o, r->object);
    }
    LIT(o, ". Severity: ");
    out_puts(o, severity_name(r->sev));
    LIT(o, ".\\nSettings: crmlint explain ");
    cstr_chars(o, r->id);
    LIT(o, " --pack ");
    cstr_chars(o, res->pack_spec ? res->pack_spec : res->pack_name);
    LIT(o, "\"},\"defaultConfiguration\":{\"level\":\"");
    out_puts(o, sarif_level[r->sev]);
    LIT(o, "\"},\"properties\":{\"tags\":[");
    for (size_t i = 0; i < r->ntags; i++) {
        if (i) out_putc(o, ',');
        report_json_cstr(o, r->tags[i] ? r->tags[i] : "");
    }
    LIT(o, "],\"type\":");
    report_json_cstr(o, r->type);
    LIT(o, ",\"precision\":\"very-high\",\"problem.severity\":\"");
    out_puts(o, problem_severity[r->sev]);
    LIT(o, "\"}}");
}

static void result_object(out *o, const result *res, const finding *f)
{
    const result_rule *r = &res->rules[f->rule];
    const result_file *file = &res->files[f->file];

    LIT(o, "{\"ruleId\":");
    report_json_cstr(o, r->id ? r->id : "");
    LIT(o, ",\"ruleIndex\":");
    out_u64(o, f->rule);
    LIT(o, ",\"level\":\"");
    out_puts(o, sarif_level[r->sev]);
    LIT(o, "\",\"message\":{\"text\":\"");
    cstr_chars(o, f->message);
    if (f->record) {
        LIT(o, " (record ");
        cstr_chars(o, f->record);
        out_putc(o, ')');
    }
    LIT(o, "\"},\"locations\":[");
    location(o, file->path, f->line, NULL);
    out_putc(o, ']');
    if (f->nrelated > 0) {
        LIT(o, ",\"relatedLocations\":[");
        for (size_t i = 0; i < f->nrelated; i++) {
            const related_ref *rel = &f->related[i];
            if (i) out_putc(o, ',');
            location(o, res->files[rel->file].path, rel->line, rel->record);
        }
        out_putc(o, ']');
    }
    char hex[17];
    report_hex64(report_fingerprint(res, f), hex);
    LIT(o, ",\"partialFingerprints\":{\"crmlint/v1\":\"");
    out_write(o, hex, 16);
    LIT(o, "\"}");
    if (res->has_baseline) {
        if (f->baseline)
            LIT(o, ",\"baselineState\":\"unchanged\"");
        else
            LIT(o, ",\"baselineState\":\"new\"");
    }
    LIT(o, ",\"properties\":{\"object\":");
    report_json_cstr(o, result_finding_object(res, f));
    LIT(o, ",\"column\":");
    report_json_cstr(o, f->column);
    LIT(o, ",\"record\":");
    report_json_cstr(o, f->record);
    if (f->gating)
        LIT(o, ",\"gating\":true}}");
    else
        LIT(o, ",\"gating\":false}}");
}

/* Opens the array before the first notification, separates the others. */
static void next_notification(out *o, bool *first)
{
    out_puts(o, *first ? ",\"toolExecutionNotifications\":[\n" : ",\n");
    *first = false;
}

static void notifications(out *o, const result *res)
{
    bool first = true;
    for (size_t i = 0; i < res->nrules; i++) {
        const result_rule *r = &res->rules[i];
        if (r->skipped == NULL) continue;
        next_notification(o, &first);
        LIT(o, "{\"level\":\"warning\",\"message\":{\"text\":\"rule ");
        cstr_chars(o, r->id);
        LIT(o, " skipped: ");
        cstr_chars(o, r->skipped);
        LIT(o, "\"},\"associatedRule\":{\"id\":");
        report_json_cstr(o, r->id ? r->id : "");
        LIT(o, ",\"index\":");
        out_u64(o, i);
        LIT(o, "}}");
    }
    for (size_t i = 0; i < res->nfiles; i++) {
        const result_file *f = &res->files[i];
        if (f->object) continue;
        next_notification(o, &first);
        LIT(o, "{\"level\":\"warning\",\"message\":{\"text\":\"");
        cstr_chars(o, f->path);
        LIT(o, " matched no object and was not linted\"},\"locations\":[");
        location(o, f->path, 0, NULL);
        LIT(o, "]}");
    }
    if (res->findings_omitted > 0) {
        next_notification(o, &first);
        LIT(o, "{\"level\":\"note\",\"message\":{\"text\":\"");
        out_u64(o, res->findings_omitted);
        out_puts(o, res->findings_omitted == 1 ? " finding not listed (--max-findings)\"}}"
                                               : " findings not listed (--max-findings)\"}}");
    }
    if (!first) LIT(o, "\n]");
}

static void sarif_write(const result *res, const report_opts *opts, out *o)
{
    (void)opts;
    const char *version = res->tool_version ? res->tool_version : CRMLINT_VERSION;
    LIT(o, "{\"$schema\":\"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
           "sarif-schema-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":"
           "{\"name\":\"crmlint\",\"version\":");
    report_json_cstr(o, version);
    LIT(o, ",\"semanticVersion\":");
    report_json_cstr(o, version);
    LIT(o, ",\"rules\":[");
    for (size_t i = 0; i < res->nrules; i++) {
        if (i) out_putc(o, ',');
        out_putc(o, '\n');
        rule_descriptor(o, res, &res->rules[i]);
    }
    if (res->nrules) out_putc(o, '\n');
    LIT(o, "]}},\"invocations\":[{\"executionSuccessful\":true,\"exitCode\":");
    out_u64(o, (uint64_t)res->summary.exit_code);
    notifications(o, res);
    LIT(o, "}],\"columnKind\":\"unicodeCodePoints\",\"results\":[");
    for (size_t i = 0; i < res->nfindings; i++) {
        if (i) out_putc(o, ',');
        out_putc(o, '\n');
        result_object(o, res, &res->findings[i]);
    }
    if (res->nfindings) out_putc(o, '\n');

    char as_of[21];
    dt_format_utc(res->as_of_us, as_of);
    LIT(o, "],\"properties\":{\"pack\":");
    report_json_cstr(o, res->pack_name);
    LIT(o, ",\"as_of\":");
    report_json_cstr(o, as_of);
    LIT(o, ",\"fail_on\":\"");
    out_puts(o, severity_name(res->fail_on));
    LIT(o, "\",\"summary\":");
    report_json_summary(o, res);
    LIT(o, "}}]}\n");
}

const reporter report_sarif = {"sarif", sarif_write};

/*
 * test_report.c - the report formats (text, json, jsonl), the shared
 * escapers and result_free.
 *
 * Results are built by hand, allocated the way the engine allocates them,
 * so result_free runs on every fixture under ASan.  Outputs go through a
 * real out (temporary file, commit) and are compared byte for byte; the JSON
 * ones are also checked by a small well-formedness parser (and by Python's
 * json module when python3 is installed).
 */
#include "unit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "reportfix.h"
#include "xalloc.h"

/* ---- rendering to a string ---- */

typedef struct escape_ctx {
    const char *s;
    size_t n;
    int kind; /* 0 json string, 1 json cstr, 2 text */
} escape_ctx;

static void escape_fn(out *o, const void *p)
{
    const escape_ctx *c = p;
    if (c->kind == 0) report_json_string(o, c->s, c->n);
    if (c->kind == 1) report_json_cstr(o, c->s);
    if (c->kind == 2) report_text_escaped(o, c->s, c->n);
}

static char *esc(int kind, const char *s, size_t n)
{
    escape_ctx c = {s, n, kind};
    return render_with(escape_fn, &c, NULL);
}

#define ESC_EQ(kind, lit, expect)                                                                  \
    do {                                                                                           \
        char *got_ = esc(kind, lit, sizeof(lit) - 1);                                              \
        ck_assert_str_eq(got_, expect);                                                            \
        free(got_);                                                                                \
    } while (0)

typedef struct report_ctx {
    const char *format;
    const result *res;
    report_opts opts;
} report_ctx;

static void report_fn(out *o, const void *p)
{
    const report_ctx *c = p;
    const reporter *r = reporter_find(c->format);
    ck_assert_ptr_nonnull(r);
    r->write(c->res, &c->opts, o);
}

static char *report(const char *format, const result *res, bool color, bool quiet)
{
    report_ctx c = {format, res, {color, quiet}};
    return render_with(report_fn, &c, NULL);
}

static void python_json_check(const char *doc, bool lines)
{
    if (system("command -v python3 >/dev/null 2>&1") != 0) return;
    char path[] = "/tmp/crmlint-json-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, doc, strlen(doc)), (long)strlen(doc));
    close(fd);
    char cmd[512];
    snprintf(
        cmd, sizeof cmd,
        lines ? "python3 -c 'import json,sys\nfor l in open(sys.argv[1],encoding=\"utf-8\"): "
                "json.loads(l)' %s"
              : "python3 -c 'import json,sys; json.load(open(sys.argv[1],encoding=\"utf-8\"))' %s",
        path);
    int rc = system(cmd);
    unlink(path);
    ck_assert_int_eq(rc, 0);
}

/* ---- fixtures, allocated like the engine does ---- */

static result *fixture(void)
{
    result *r = xcalloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    r->tool_version = "0.1.0";
    r->pack_name = DUP("acme-weekly-hygiene");
    r->as_of_us = INT64_C(1795323600000000); /* 2026-11-22T05:00:00Z */
    r->fail_on = SEV_ERROR;

    r->nfiles = 2;
    r->files = xcalloc(2, sizeof *r->files);
    r->files[0] = (result_file){.path = DUP("exports/Lead.csv"), .object = "lead", .records = 3};
    r->files[1] = (result_file){.path = DUP("notes.csv"), .object = NULL, .records = 0};

    r->nrules = 5;
    r->rules = xcalloc(5, sizeof *r->rules);
    set_rule(&r->rules[0], "csv/ragged-row", "csv", SEV_INFO, NULL, 3, 1, false);
    set_rule(&r->rules[1], "lead-dup", "unique", SEV_WARNING, "lead", 3, 1, false);
    r->rules[1].has_max_count = true;
    r->rules[1].max_count = 5;
    r->rules[1].threshold_exceeded = false;
    set_rule(&r->rules[2], "lead-email-format", "format", SEV_ERROR, "lead", 3, 2, true);
    set_rule(&r->rules[3], "account-owner", "required", SEV_ERROR, "account", 0, 0, false);
    r->rules[3].skipped = DUP("no file bound to account");
    set_rule(&r->rules[4], "lead-name", "required", SEV_ERROR, "lead", 3, 0, false);

    r->nfindings = 4;
    r->findings = xcalloc(4, sizeof *r->findings);
    set_finding(&r->findings[0], 2, 0, 2, "Email", DUP("00Q1"), DUP("bob@@x.com"), 10,
                DUP("Email bob@@x.com is not an email address"), true);
    set_finding(&r->findings[1], 0, 0, 3, NULL, NULL, NULL, 0,
                DUP("row has 3 fields, header has 4"), false);
    /* NUL, quote, backslash, an invalid byte, é and ESC in the value; a
     * control character in the key; a newline and a terminal escape in the
     * message. */
    set_finding(&r->findings[2], 1, 0, 4, "Email",
                DUP("00Q\x01"
                    "4"),
                DUP("a\0b\"\\\xff\xc3\xa9\x1b"), 9,
                DUP("duplicate of line 2\n\x1b[31mfake\tline \xc3\xa9"), false);
    finding *f = &r->findings[2];
    f->nrelated = 2;
    f->related = xcalloc(2, sizeof *f->related);
    f->related[0] = (related_ref){0, 2, DUP("00Q1")};
    f->related[1] = (related_ref){0, 3, NULL};
    /* A key of 2-, 3- and 4-byte characters, a value cut inside a character. */
    set_finding(&r->findings[3], 2, 0, 5, "Email", DUP("\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e"),
                DUP("x\xc3"), 2, DUP("Email x\xc3 is not an email address"), true);

    r->summary = (result_summary){.records = 3,
                                  .findings = 4,
                                  .error = 2,
                                  .warning = 1,
                                  .info = 1,
                                  .gating = 2,
                                  .exit_code = 1};
    return r;
}

/* The baseline / --max-findings / --redact variant of the fixture. */
static result *fixture_baseline(void)
{
    result *r = fixture();
    r->has_baseline = true;
    r->redact = true;
    r->findings[0].baseline = true;
    r->findings_omitted = 7;
    r->rules[1].has_max_ratio = true;
    r->rules[1].max_ratio = 1.0 / 3.0;
    r->rules[2].has_max_ratio = true;
    r->rules[2].max_ratio = 0.1;
    r->summary.findings = 11;
    r->summary.new_findings = 3;
    r->summary.baseline = 1;
    r->summary.fixed = 2;
    return r;
}

#define F0                                                                                         \
    "{\"rule\":\"lead-email-format\",\"severity\":\"error\",\"object\":\"lead\","                  \
    "\"file\":\"exports/Lead.csv\",\"line\":2,\"column\":\"Email\",\"record\":\"00Q1\","           \
    "\"value\":\"bob@@x.com\",\"message\":\"Email bob@@x.com is not an email address\","           \
    "\"gating\":true}"
#define F1                                                                                         \
    "{\"rule\":\"csv/ragged-row\",\"severity\":\"info\",\"object\":\"lead\","                      \
    "\"file\":\"exports/Lead.csv\",\"line\":3,\"column\":null,\"record\":null,"                    \
    "\"message\":\"row has 3 fields, header has 4\",\"gating\":false}"
#define F2                                                                                         \
    "{\"rule\":\"lead-dup\",\"severity\":\"warning\",\"object\":\"lead\","                         \
    "\"file\":\"exports/Lead.csv\",\"line\":4,\"column\":\"Email\",\"record\":\"00Q\\u00014\","    \
    "\"value\":\"a\\u0000b\\\"\\\\" FFFD "\xc3\xa9\\u001b\","                                      \
    "\"message\":\"duplicate of line 2\\n\\u001b[31mfake\\tline \xc3\xa9\","                       \
    "\"related\":[{\"file\":\"exports/Lead.csv\",\"line\":2,\"record\":\"00Q1\"},"                 \
    "{\"file\":\"exports/Lead.csv\",\"line\":3,\"record\":null}],\"gating\":false}"
#define F3                                                                                         \
    "{\"rule\":\"lead-email-format\",\"severity\":\"error\",\"object\":\"lead\","                  \
    "\"file\":\"exports/Lead.csv\",\"line\":5,\"column\":\"Email\","                               \
    "\"record\":\"\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e\",\"value\":\"x" FFFD "\","                 \
    "\"message\":\"Email x" FFFD " is not an email address\",\"gating\":true}"
#define SUMMARY                                                                                    \
    "{\"records\":3,\"findings\":4,\"error\":2,\"warning\":1,\"info\":1,\"gating\":2,"             \
    "\"exit_code\":1}"

/* ---- the escapers ---- */

START_TEST(test_json_string_escapes)
{
    ESC_EQ(0, "plain", "\"plain\"");
    ESC_EQ(0, "", "\"\"");
    ESC_EQ(0, "a\"b\\c/d", "\"a\\\"b\\\\c/d\"");
    ESC_EQ(0, "\n\r\t\b\f\x01\x1f\x7f", "\"\\n\\r\\t\\b\\f\\u0001\\u001f\x7f\"");
    ESC_EQ(0, "a\0b", "\"a\\u0000b\"");
    ESC_EQ(0, "\0", "\"\\u0000\"");
    /* Valid 2-, 3- and 4-byte characters and the extremes pass unchanged. */
    ESC_EQ(0, "\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e\xc2\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf",
           "\"\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e\xc2\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf\"");
}
END_TEST

START_TEST(test_json_string_invalid_utf8)
{
    ESC_EQ(0, "\xff", "\"" FFFD "\"");
    ESC_EQ(0, "a\x80z", "\"a" FFFD "z\"");
    /* Overlong forms, surrogates and code points past U+10FFFF: one U+FFFD
     * per byte, like the decoder and text_utf8_next. */
    ESC_EQ(0, "\xc0\xaf", "\"" FFFD FFFD "\"");
    ESC_EQ(0, "\xe0\x80\xaf", "\"" FFFD FFFD FFFD "\"");
    ESC_EQ(0, "\xed\xa0\x80", "\"" FFFD FFFD FFFD "\"");
    ESC_EQ(0, "\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"");
    ESC_EQ(0, "\xf0\x80\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"");
    ESC_EQ(0, "\xf5\x80", "\"" FFFD FFFD "\"");
    /* Cut short, at the end and before an ASCII byte. */
    ESC_EQ(0, "\xe2\x82", "\"" FFFD FFFD "\"");
    ESC_EQ(0, "\xe2\x82\"", "\"" FFFD FFFD "\\\"\"");
    ESC_EQ(0, "\xf0\x9d\x84", "\"" FFFD FFFD FFFD "\"");
}
END_TEST

START_TEST(test_json_cstr)
{
    char *got = esc(1, NULL, 0);
    ck_assert_str_eq(got, "null");
    free(got);
    got = esc(1, "x\"y", 0);
    ck_assert_str_eq(got, "\"x\\\"y\"");
    free(got);
}
END_TEST

/* A string much longer than the output buffer, escapes spread through it. */
START_TEST(test_json_string_long)
{
    size_t n = 300000;
    char *s = malloc(n);
    size_t quotes = 0;
    for (size_t i = 0; i < n; i++) {
        s[i] = i % 1000 == 999 ? '"' : (char)('a' + i % 26);
        quotes += s[i] == '"';
    }
    char *got = esc(0, s, n);
    size_t len = strlen(got);
    ck_assert_uint_eq(len, n + quotes + 2);
    ck_assert(json_well_formed(got, len));
    /* Spot-check the bytes around the first escaped quote. */
    ck_assert(memcmp(got + 1 + 996, "ijk\\\"", 5) == 0);
    free(got);
    free(s);
}
END_TEST

START_TEST(test_text_escaped)
{
    ESC_EQ(2, "plain text, back\\slash", "plain text, back\\slash");
    ESC_EQ(2, "a\nb\tc\rd\0e", "a\\nb\\tc\\rd\\0e");
    ESC_EQ(2, "\x1b[31mred\x7f\x01", "\\x1b[31mred\\x7f\\x01");
    ESC_EQ(2, "\xff\xc3\xa9\xe2\x82", FFFD "\xc3\xa9" FFFD FFFD);
    /* C1 controls and bidirectional overrides are valid UTF-8 but unsafe. */
    ESC_EQ(2,
           "a\xc2\x9b"
           "2J",
           "a\\u009b2J");
    ESC_EQ(2, "\xc2\x85\xc2\xa0", "\\u0085\xc2\xa0");
    ESC_EQ(2, "x\xe2\x80\xaey\xe2\x81\xa6z\xe2\x81\xa9", "x\\u202ey\\u2066z\\u2069");
    ESC_EQ(2, "\xe2\x80\xa9\xe2\x80\xaf", "\xe2\x80\xa9\xe2\x80\xaf");
}
END_TEST

START_TEST(test_registry)
{
    const char *names[] = {"text", "json", "jsonl"};
    for (int i = 0; i < 3; i++) {
        const reporter *r = reporter_find(names[i]);
        ck_assert_ptr_nonnull(r);
        ck_assert_str_eq(r->name, names[i]);
        ck_assert_ptr_nonnull(r->write);
    }
    ck_assert_ptr_null(reporter_find("JSON"));
    ck_assert_ptr_null(reporter_find("xml"));
    ck_assert_ptr_null(reporter_find(""));
    ck_assert_ptr_null(reporter_find(NULL));
    ck_assert_str_eq(reporter_names(), "text, json, jsonl, sarif, junit, github, gitlab, csv");
}
END_TEST

/* ---- json ---- */

START_TEST(test_json_document)
{
    result *r = fixture();
    size_t n;
    report_ctx c = {"json", r, {false, false}};
    char *got = render_with(report_fn, &c, &n);
    const char *expect =
        "{\"crmlint\":\"0.1.0\",\"as_of\":\"2026-11-22T05:00:00Z\",\"pack\":\"acme-weekly-"
        "hygiene\","
        "\"files\":[{\"path\":\"exports/Lead.csv\",\"object\":\"lead\",\"records\":3},"
        "{\"path\":\"notes.csv\",\"object\":null,\"records\":0}],\"findings\":[\n" F0 ",\n" F1
        ",\n" F2 ",\n" F3 "\n],\"rules\":[\n"
        "{\"id\":\"csv/ragged-row\",\"type\":\"csv\",\"severity\":\"info\",\"object\":null,"
        "\"checked\":3,\"findings\":1,\"gating\":false,\"skipped\":null},\n"
        "{\"id\":\"lead-dup\",\"type\":\"unique\",\"severity\":\"warning\",\"object\":\"lead\","
        "\"checked\":3,\"findings\":1,\"gating\":false,\"skipped\":null,"
        "\"threshold\":{\"max_count\":5}},\n"
        "{\"id\":\"lead-email-format\",\"type\":\"format\",\"severity\":\"error\","
        "\"object\":\"lead\",\"checked\":3,\"findings\":2,\"gating\":true,\"skipped\":null},\n"
        "{\"id\":\"account-owner\",\"type\":\"required\",\"severity\":\"error\","
        "\"object\":\"account\",\"checked\":0,\"findings\":0,\"gating\":false,"
        "\"skipped\":\"no file bound to account\"},\n"
        "{\"id\":\"lead-name\",\"type\":\"required\",\"severity\":\"error\",\"object\":\"lead\","
        "\"checked\":3,\"findings\":0,\"gating\":false,\"skipped\":null}\n"
        "],\"summary\":" SUMMARY "}\n";
    ck_assert_str_eq(got, expect);
    ck_assert_uint_eq(n, strlen(expect));
    ck_assert(json_well_formed(got, n));
    python_json_check(got, false);

    /* Deterministic: the same result gives the same bytes. */
    char *again = report("json", r, false, false);
    ck_assert_str_eq(again, got);
    free(again);
    free(got);
    result_free(r);
}
END_TEST

START_TEST(test_json_baseline_redact_omitted)
{
    result *r = fixture_baseline();
    char *got = report("json", r, false, false);
    /* --redact: no value anywhere; baseline on every finding. */
    ck_assert_ptr_null(strstr(got, "\"value\""));
    ck_assert_ptr_nonnull(
        strstr(got, "\"message\":\"Email bob@@x.com is not an email address\",\"baseline\":true,"
                    "\"gating\":true}"));
    ck_assert_ptr_nonnull(strstr(got, "\"record\":null}],\"baseline\":false,\"gating\":false}"));
    ck_assert_ptr_nonnull(
        strstr(got, "\"threshold\":{\"max_count\":5,\"max_ratio\":0.3333333333333333}}"));
    ck_assert_ptr_nonnull(strstr(got, "\"skipped\":null,\"threshold\":{\"max_ratio\":0.1}}"));
    const char *summary =
        "],\"summary\":{\"records\":3,\"findings\":11,\"error\":2,\"warning\":1,\"info\":1,"
        "\"gating\":2,\"exit_code\":1,\"new\":3,\"baseline\":1,\"fixed\":2,"
        "\"findings_omitted\":7}}\n";
    size_t n = strlen(got);
    ck_assert_uint_ge(n, strlen(summary));
    ck_assert_str_eq(got + n - strlen(summary), summary);
    ck_assert(json_well_formed(got, n));
    python_json_check(got, false);
    free(got);
    result_free(r);
}
END_TEST

START_TEST(test_json_empty)
{
    result *r = xcalloc(1, sizeof *r);
    r->pack_name = DUP("p");
    r->nfiles = 1;
    r->files = xcalloc(1, sizeof *r->files);
    r->files[0] = (result_file){.path = DUP("-"), .object = "lead", .records = 0};
    char *got = report("json", r, false, false);
    ck_assert_str_eq(got,
                     "{\"crmlint\":\"0.1.0\",\"as_of\":\"1970-01-01T00:00:00Z\",\"pack\":\"p\","
                     "\"files\":[{\"path\":\"-\",\"object\":\"lead\",\"records\":0}],"
                     "\"findings\":[],\"rules\":[],\"summary\":{\"records\":0,\"findings\":0,"
                     "\"error\":0,\"warning\":0,\"info\":0,\"gating\":0,\"exit_code\":0}}\n");
    ck_assert(json_well_formed(got, strlen(got)));
    free(got);
    got = report("jsonl", r, false, false);
    ck_assert_str_eq(got, "{\"summary\":{\"records\":0,\"findings\":0,\"error\":0,\"warning\":0,"
                          "\"info\":0,\"gating\":0,\"exit_code\":0}}\n");
    free(got);
    result_free(r);
}
END_TEST

START_TEST(test_json_checker_rejects)
{
    /* The checker itself must be able to fail. */
#define WF(lit) json_well_formed(lit, sizeof(lit) - 1)
    ck_assert(!WF("{\"a\":1,}"));
    ck_assert(!WF("\"a\nb\""));
    ck_assert(!WF("\"\xff\""));
    ck_assert(!WF("[1] x"));
    ck_assert(!WF("{\"a\" 1}"));
    ck_assert(!WF("\"\\x\""));
    ck_assert(WF("{\"a\":[1,-2.5e3,true,null,\"\\u00e9\"]}"));
#undef WF
}
END_TEST

/* ---- jsonl ---- */

START_TEST(test_jsonl)
{
    result *r = fixture();
    char *got = report("jsonl", r, false, false);
    ck_assert_str_eq(got, F0 "\n" F1 "\n" F2 "\n" F3 "\n{\"summary\":" SUMMARY "}\n");
    /* Each line is a document of its own. */
    size_t lines = 0;
    for (char *p = got, *nl; (nl = strchr(p, '\n')) != NULL; p = nl + 1, lines++)
        ck_assert(json_well_formed(p, (size_t)(nl - p)));
    ck_assert_uint_eq(lines, 5);
    python_json_check(got, true);
    free(got);
    result_free(r);

    r = fixture_baseline();
    got = report("jsonl", r, false, false);
    const char *last = strrchr(got, '{');
    ck_assert_ptr_nonnull(strstr(got, "{\"summary\":{\"records\":3,\"findings\":11,"));
    ck_assert_str_eq(last, "{\"records\":3,\"findings\":11,\"error\":2,\"warning\":1,\"info\":1,"
                           "\"gating\":2,\"exit_code\":1,\"new\":3,\"baseline\":1,\"fixed\":2,"
                           "\"findings_omitted\":7}}\n");
    free(got);
    result_free(r);
}
END_TEST

/* ---- text ---- */

#define TEXT_FINDINGS                                                                              \
    "exports/Lead.csv:2: error [lead-email-format] Email bob@@x.com is not an email address "      \
    "(record 00Q1)\n"                                                                              \
    "exports/Lead.csv:3: info [csv/ragged-row] row has 3 fields, header has 4\n"                   \
    "exports/Lead.csv:4: warning [lead-dup] duplicate of line 2\\n\\x1b[31mfake\\tline \xc3\xa9 "  \
    "(record 00Q\\x014)\n"                                                                         \
    "exports/Lead.csv:5: error [lead-email-format] Email x" FFFD " is not an email address "       \
    "(record \xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e)\n"

START_TEST(test_text)
{
    result *r = fixture();
    char *got = report("text", r, false, false);
    ck_assert_str_eq(got, TEXT_FINDINGS
                     "\n"
                     "rule               severity  findings  checked  gating\n"
                     "csv/ragged-row     info             1        3  no\n"
                     "lead-dup           warning          1        3  no      "
                     "threshold max_count 5: not exceeded\n"
                     "lead-email-format  error            2        3  yes\n"
                     "account-owner      error            0        0  no      "
                     "skipped: no file bound to account\n"
                     "\n"
                     "skipped: notes.csv (no object)\n"
                     "4 findings (2 errors, 1 warning, 1 info) in 3 records from 1 file; "
                     "2 gating (fail-on error) -> exit 1\n");
    free(got);
    /* quiet changes nothing when there are findings. */
    got = report("text", r, false, true);
    ck_assert_ptr_nonnull(strstr(got, TEXT_FINDINGS));
    free(got);
    result_free(r);
}
END_TEST

START_TEST(test_text_baseline_omitted_big_numbers)
{
    result *r = fixture_baseline();
    r->summary.records = 1234567;
    r->rules[2].checked = 1234567;
    r->rules[2].findings = 12345;
    r->rules[1].threshold_exceeded = true;
    char *got = report("text", r, false, false);
    ck_assert_ptr_nonnull(strstr(got, "\nrule               severity  findings    checked  gating\n"
                                      "csv/ragged-row     info             1          3  no\n"
                                      "lead-dup           warning          1          3  no      "
                                      "threshold max_count 5, max_ratio 0.333333: exceeded\n"
                                      "lead-email-format  error       12,345  1,234,567  yes     "
                                      "threshold max_ratio 0.1: exceeded\n"));
    const char *tail = "skipped: notes.csv (no object)\n"
                       "7 findings not listed (--max-findings)\n"
                       "11 findings (2 errors, 1 warning, 1 info) in 1,234,567 records from 1 "
                       "file; 3 new, 1 in baseline, 2 fixed; 2 gating (fail-on error) -> exit 1\n";
    size_t n = strlen(got);
    ck_assert_str_eq(got + n - strlen(tail), tail);
    free(got);
    result_free(r);
}
END_TEST

static result *clean_result(void)
{
    result *r = xcalloc(1, sizeof *r);
    r->pack_name = DUP("p");
    r->fail_on = SEV_WARNING;
    r->nfiles = 1;
    r->files = xcalloc(1, sizeof *r->files);
    r->files[0] = (result_file){.path = DUP("a.csv"), .object = "lead", .records = 1234567};
    r->nrules = 1;
    r->rules = xcalloc(1, sizeof *r->rules);
    set_rule(&r->rules[0], "lead-name", "required", SEV_ERROR, "lead", 1234567, 0, false);
    r->summary.records = 1234567;
    return r;
}

START_TEST(test_text_clean_and_quiet)
{
    result *r = clean_result();
    char *got = report("text", r, false, false);
    ck_assert_str_eq(got, "0 findings (0 errors, 0 warnings, 0 info) in 1,234,567 records from "
                          "1 file; 0 gating (fail-on warning) -> exit 0\n");
    free(got);
    size_t n = 99;
    report_ctx c = {"text", r, {true, true}};
    got = render_with(report_fn, &c, &n);
    ck_assert_uint_eq(n, 0);
    free(got);

    /* SPEC: --quiet prints nothing for a clean run, skipped rules or not. */
    r->rules[0].skipped = DUP("no file bound to lead");
    n = 99;
    c.opts.color = false;
    got = render_with(report_fn, &c, &n);
    ck_assert_uint_eq(n, 0);
    free(got);
    /* Without --quiet the skipped rule is listed. */
    got = report("text", r, false, false);
    ck_assert_str_eq(got, "rule       severity  findings    checked  gating\n"
                          "lead-name  error            0  1,234,567  no      "
                          "skipped: no file bound to lead\n"
                          "\n"
                          "0 findings (0 errors, 0 warnings, 0 info) in 1,234,567 records from "
                          "1 file; 0 gating (fail-on warning) -> exit 0\n");
    free(got);
    result_free(r);
}
END_TEST

START_TEST(test_text_color_and_file_level)
{
    result *r = clean_result();
    r->rules[0].findings = 1;
    r->rules[0].gating = true;
    r->nfindings = 2;
    r->findings = xcalloc(2, sizeof *r->findings);
    set_finding(&r->findings[0], 0, 0, 7, "Name", NULL, NULL, 0, DUP("Name is empty"), true);
    set_finding(&r->findings[1], 0, 0, 0, NULL, NULL, NULL, 0, DUP("no column Name"), true);
    r->summary =
        (result_summary){.records = 1, .findings = 2, .error = 2, .gating = 2, .exit_code = 1};
    r->files[0].records = 1;
    char *got = report("text", r, true, false);
    const char *head = "\033[1ma.csv:7:\033[0m \033[31merror\033[0m [lead-name] Name is empty\n"
                       "\033[1ma.csv:\033[0m \033[31merror\033[0m [lead-name] no column Name\n"
                       "\n"
                       "rule       severity  findings    checked  gating\n"
                       "lead-name  \033[31merror\033[0m            1  1,234,567  yes\n";
    ck_assert_int_eq(strncmp(got, head, strlen(head)), 0);
    ck_assert_ptr_nonnull(strstr(got, "2 findings (2 errors, 0 warnings, 0 info) in 1 record from "
                                      "1 file; 2 gating (fail-on warning) -> exit 1\n"));
    free(got);
    result_free(r);
}
END_TEST

START_TEST(test_result_free_null)
{
    result_free(NULL);
    result *r = xcalloc(1, sizeof *r);
    result_free(r); /* all empty: nothing but the struct */
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("escape");
    tcase_add_test(tc, test_json_string_escapes);
    tcase_add_test(tc, test_json_string_invalid_utf8);
    tcase_add_test(tc, test_json_cstr);
    tcase_add_test(tc, test_json_string_long);
    tcase_add_test(tc, test_text_escaped);
    tcase_add_test(tc, test_registry);
    suite_add_tcase(s, tc);
    tc = tcase_create("formats");
    tcase_add_test(tc, test_json_document);
    tcase_add_test(tc, test_json_baseline_redact_omitted);
    tcase_add_test(tc, test_json_empty);
    tcase_add_test(tc, test_json_checker_rejects);
    tcase_add_test(tc, test_jsonl);
    tcase_add_test(tc, test_text);
    tcase_add_test(tc, test_text_baseline_omitted_big_numbers);
    tcase_add_test(tc, test_text_clean_and_quiet);
    tcase_add_test(tc, test_text_color_and_file_level);
    tcase_add_test(tc, test_result_free_null);
    suite_add_tcase(s, tc);
    return s;
}

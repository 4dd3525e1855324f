/*
 * test_baseline.c - loading a --baseline report and matching findings to it.
 *
 * Results are built by hand (static storage, nothing to free), baselines are
 * either small hand-written reports or real ones written by the json
 * reporter from a result, so that "a report read back matches the run that
 * wrote it" is tested end to end, invalid UTF-8 in a record included.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "report.h"
#include "xalloc.h"

static char err[512];
static char path[64];

static void setup(void)
{
    strcpy(path, "/tmp/crmlint-baseline-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
}

static void teardown(void)
{
    unlink(path);
}

static void write_text(const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    size_t n = strlen(text);
    ck_assert_uint_eq(fwrite(text, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

static baseline *load_text(const char *text)
{
    write_text(text);
    baseline *b = baseline_load(path, err, sizeof err);
    ck_assert_msg(b != NULL, "%s", err);
    return b;
}

/* Loading `text` must fail with "PATH" followed by `suffix`. */
static void load_fails(const char *text, const char *suffix)
{
    write_text(text);
    ck_assert_ptr_null(baseline_load(path, err, sizeof err));
    char expect[600];
    snprintf(expect, sizeof expect, "%s%s", path, suffix);
    ck_assert_str_eq(err, expect);
}

/* ---- hand-built results ---- */

enum { R_RAGGED, R_EMAIL, R_DUP, R_CONTACT_EMAIL, NRULES };

typedef struct fx {
    result res;
    result_file files[3];
    result_rule rules[NRULES];
    finding findings[32];
} fx;

static fx X; /* static: large, and zeroed per test by fx_init */

static void fx_init(void)
{
    memset(&X, 0, sizeof X);
    result *r = &X.res;
    r->tool_version = "0.1.0";
    r->pack_name = (char *)"acme";
    r->as_of_us = INT64_C(1795323600000000);
    r->fail_on = SEV_ERROR;
    X.files[0] = (result_file){.path = (char *)"exports/Lead.csv", .object = "lead", .records = 10};
    X.files[1] =
        (result_file){.path = (char *)"exports/Contact.csv", .object = "contact", .records = 10};
    X.files[2] =
        (result_file){.path = (char *)"exports/Lead-2.csv", .object = "lead", .records = 10};
    r->files = X.files;
    r->nfiles = 3;
    X.rules[R_RAGGED] = (result_rule){.id = "csv/ragged-row", .type = "csv", .sev = SEV_ERROR};
    X.rules[R_EMAIL] = (result_rule){
        .id = "lead-email-format", .type = "format", .sev = SEV_ERROR, .object = "lead"};
    X.rules[R_DUP] =
        (result_rule){.id = "lead-dup", .type = "unique", .sev = SEV_WARNING, .object = "lead"};
    X.rules[R_CONTACT_EMAIL] = (result_rule){
        .id = "contact-email", .type = "format", .sev = SEV_ERROR, .object = "contact"};
    r->rules = X.rules;
    r->nrules = NRULES;
    r->findings = X.findings;
}

static finding *add(uint32_t rule, uint32_t file, uint64_t line, const char *column,
                    const char *record)
{
    ck_assert_uint_lt(X.res.nfindings, sizeof X.findings / sizeof X.findings[0]);
    finding *f = &X.findings[X.res.nfindings++];
    memset(f, 0, sizeof *f);
    f->rule = rule;
    f->file = file;
    f->line = line;
    f->column = column;
    f->column_pos = column ? 0 : -1;
    f->record = (char *)record;
    f->message = (char *)"a message";
    /* Stale marks must be overwritten either way. */
    f->baseline = (line & 1) != 0;
    return f;
}

/* The marks as a string, 'B' baseline and 'n' new, in finding order. */
static const char *marks(void)
{
    static char s[40];
    size_t i = 0;
    for (; i < X.res.nfindings; i++) s[i] = X.findings[i].baseline ? 'B' : 'n';
    s[i] = '\0';
    return s;
}

static void report_fn(const result *res)
{
    char e[256] = "";
    out *o = out_open(path, e, sizeof e);
    ck_assert_msg(o != NULL, "%s", e);
    report_opts opts = {false, false};
    reporter_find("json")->write(res, &opts, o);
    ck_assert_msg(out_commit(o, e, sizeof e), "%s", e);
}

/* A one-finding-per-line report body with these findings. */
#define REPORT(findings) "{\"crmlint\":\"0.1.0\",\"findings\":[" findings "],\"rules\":[]}"
#define FND(rule, object, line, column, record)                                                    \
    "{\"rule\":" rule ",\"severity\":\"error\",\"object\":" object                                 \
    ",\"file\":\"exports/Lead.csv\",\"line\":" line ",\"column\":" column ",\"record\":" record    \
    ",\"message\":\"m\",\"gating\":true}"
#define EMAIL(line, record)  FND("\"lead-email-format\"", "\"lead\"", #line, "\"Email\"", record)
#define RAGGED(line, object) FND("\"csv/ragged-row\"", object, #line, "null", "null")

/* ---- loading ---- */

START_TEST(test_load_errors)
{
    char expect[600];
    unlink(path);
    ck_assert_ptr_null(baseline_load(path, err, sizeof err));
    snprintf(expect, sizeof expect, "%s: cannot open: No such file or directory", path);
    ck_assert_str_eq(err, expect);

    load_fails("{\"findings\":[\n{\"rule\":'x'}]}", ":2:9: expected a value, found '''");
    load_fails("", ":1:1: empty input (expected a JSON value)");
    /* A jsonl report is not a json report. */
    load_fails(EMAIL(2, "\"a\"") "\n" EMAIL(3, "\"b\"") "\n",
               ":2:1: unexpected data after the JSON value");
    load_fails("[]", ": not a crmlint json report (not a JSON object)");
    load_fails("{}", ": not a crmlint json report (no findings array)");
    load_fails("{\"findings\":{}}", ": not a crmlint json report (no findings array)");
    load_fails("{\"Findings\":[]}", ": not a crmlint json report (no findings array)");
    load_fails("{\"findings\":[1]}", ": not a crmlint json report (findings[0] is not an object)");
    load_fails(REPORT(EMAIL(2, "\"a\"") ",{\"object\":\"lead\",\"column\":null,\"record\":null}"),
               ": not a crmlint json report (findings[1] has no \"rule\" string)");
    load_fails(REPORT(FND("7", "\"lead\"", "2", "\"Email\"", "\"a\"")),
               ": not a crmlint json report (findings[0] has no \"rule\" string)");
    load_fails(REPORT(FND("\"r\"", "1", "2", "\"Email\"", "\"a\"")),
               ": not a crmlint json report (findings[0] has no \"object\" string or null)");
    load_fails("{\"findings\":[{\"rule\":\"r\",\"column\":null,\"record\":\"a\"}]}",
               ": not a crmlint json report (findings[0] has no \"object\" string or null)");
    load_fails(REPORT(FND("\"r\"", "\"lead\"", "2", "[]", "\"a\"")),
               ": not a crmlint json report (findings[0] has no \"column\" string or null)");
    load_fails("{\"findings\":[{\"rule\":\"r\",\"object\":null,\"column\":null}]}",
               ": not a crmlint json report (findings[0] has no \"record\" string or null)");
    load_fails(REPORT(FND("\"r\"", "\"lead\"", "2", "\"Email\"", "false")),
               ": not a crmlint json report (findings[0] has no \"record\" string or null)");
    /* A null record needs an exact line number to match by. */
    load_fails("{\"findings\":[{\"rule\":\"r\",\"object\":null,\"column\":null,\"record\":null}]}",
               ": not a crmlint json report (findings[0] has no \"line\" number)");
    load_fails(REPORT(FND("\"r\"", "\"lead\"", "2.5", "null", "null")),
               ": not a crmlint json report (findings[0] has no \"line\" number)");
    load_fails(REPORT(FND("\"r\"", "\"lead\"", "-3", "null", "null")),
               ": not a crmlint json report (findings[0] has no \"line\" number)");
    load_fails(REPORT(FND("\"r\"", "\"lead\"", "\"3\"", "null", "null")),
               ": not a crmlint json report (findings[0] has no \"line\" number)");
}
END_TEST

START_TEST(test_load_ok)
{
    /* With a record the line is not needed; unknown keys are ignored. */
    baseline *b = load_text("{\"findings\":[{\"rule\":\"r\",\"object\":\"o\",\"column\":\"c\","
                            "\"record\":\"k\",\"extra\":[1,{}],\"baseline\":true}],"
                            "\"summary\":{\"findings\":9,\"findings_omitted\":7}}");
    ck_assert_uint_eq(baseline_count(b), 1);
    ck_assert_uint_eq(baseline_omitted(b), 7);
    baseline_free(b);

    b = load_text("\xef\xbb\xbf{\"findings\":[]}");
    ck_assert_uint_eq(baseline_count(b), 0);
    ck_assert_uint_eq(baseline_omitted(b), 0);
    fx_init();
    add(R_EMAIL, 0, 2, "Email", "a");
    add(R_RAGGED, 0, 3, NULL, NULL);
    ck_assert_uint_eq(baseline_mark(b, &X.res), 0);
    ck_assert_str_eq(marks(), "nn");
    baseline_free(b);
    baseline_free(NULL);
}
END_TEST

/* ---- matching ---- */

/* What the json reporter writes, read back, matches every finding. */
START_TEST(test_round_trip)
{
    fx_init();
    add(R_EMAIL, 0, 2, "Email", "00Q1");
    add(R_RAGGED, 0, 3, NULL, NULL);                /* structural: object from the file */
    add(R_DUP, 0, 4, "Email", "Jos\xe9 \x01\"q\\"); /* invalid byte, control, quote */
    add(R_EMAIL, 0, 5, "Email", "\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e");
    add(R_EMAIL, 0, 6, "Email", "");
    add(R_EMAIL, 0, 7, "Email", NULL); /* no key: matched by line */
    add(R_RAGGED, 1, 3, NULL, NULL);   /* same line, other file and object */
    add(R_CONTACT_EMAIL, 1, 8, "Email", "003A");
    add(R_EMAIL, 2, 2, "Email", "00Q1"); /* same key as the first, other file */
    X.findings[0].value = (char *)"bob@@x.com";
    X.findings[0].value_len = 10;
    report_fn(&X.res);

    baseline *b = baseline_load(path, err, sizeof err);
    ck_assert_msg(b != NULL, "%s", err);
    ck_assert_uint_eq(baseline_count(b), 9);
    ck_assert_uint_eq(baseline_mark(b, &X.res), 0);
    ck_assert_str_eq(marks(), "BBBBBBBBB");

    /* The same findings in another order still all match. */
    finding tmp = X.findings[0];
    X.findings[0] = X.findings[8];
    X.findings[8] = tmp;
    tmp = X.findings[2];
    X.findings[2] = X.findings[5];
    X.findings[5] = tmp;
    ck_assert_uint_eq(baseline_mark(b, &X.res), 0);
    ck_assert_str_eq(marks(), "BBBBBBBBB");

    /* Drop two: they are "fixed". */
    X.res.nfindings = 7;
    ck_assert_uint_eq(baseline_mark(b, &X.res), 2);
    baseline_free(b);
}
END_TEST

START_TEST(test_reordered)
{
    /* clang-format off */
    baseline *b = load_text(REPORT(EMAIL(2, "\"A\"") ",\n"
                                   EMAIL(3, "\"B\"") ",\n"
                                   EMAIL(4, "\"C\"")));
    /* clang-format on */
    fx_init();
    /* Rows moved: every line changed, keys the same. */
    add(R_EMAIL, 0, 2, "Email", "C");
    add(R_EMAIL, 0, 3, "Email", "A");
    add(R_EMAIL, 0, 9, "Email", "B");
    add(R_EMAIL, 0, 10, "Email", "D");
    ck_assert_uint_eq(baseline_mark(b, &X.res), 0);
    ck_assert_str_eq(marks(), "BBBn");
    baseline_free(b);
}
END_TEST

START_TEST(test_edited_fields)
{
    /* Severity, file, line, value, message, related, gating all differ from
     * the current finding; rule, object, record and column do not. */
    baseline *b = load_text(
        REPORT("{\"rule\":\"lead-email-format\",\"severity\":\"warning\",\"object\":\"lead\","
               "\"file\":\"old/Lead.csv\",\"line\":999,\"column\":\"Email\",\"record\":\"00Q1\","
               "\"value\":\"old@@value\",\"message\":\"old message\","
               "\"related\":[{\"file\":\"x\",\"line\":1,\"record\":null}],"
               "\"baseline\":false,\"gating\":false}"));
    fx_init();
    finding *f = add(R_EMAIL, 0, 2, "Email", "00Q1");
    f->value = (char *)"new@@value";
    f->value_len = 10;
    f->message = (char *)"new message";
    ck_assert_uint_eq(baseline_mark(b, &X.res), 0);
    ck_assert_str_eq(marks(), "B");
    baseline_free(b);
}
END_TEST

START_TEST(test_null_record_by_line)
{
    /* clang-format off */
    baseline *b = load_text(REPORT(RAGGED(5, "\"lead\"") ",\n"
                                   EMAIL(7, "null")));
    /* clang-format on */
    fx_init();
    add(R_RAGGED, 0, 6, NULL, NULL);   /* another line: new */
    add(R_RAGGED, 0, 5, NULL, NULL);   /* same line: baseline */
    add(R_EMAIL, 0, 8, "Email", NULL); /* keyless, moved: new */
    add(R_EMAIL, 0, 7, "Email", NULL); /* keyless, same line: baseline */
    add(R_EMAIL, 0, 7, "Email", "k7"); /* a record now: not the keyless one */
    add(R_RAGGED, 0, 5, NULL, NULL);   /* one to one: already taken */
    ck_assert_uint_eq(baseline_mark(b, &X.res), 0);
    ck_assert_str_eq(marks(), "nBnBnn");
    baseline_free(b);

    /* Line numbers are compared exactly, past 2^53 too. */
    b = load_text(
        REPORT(FND("\"csv/ragged-row\"", "\"lead\"", "9007199254740993", "null", "null")));
    fx_init();
    add(R_RAGGED, 0, UINT64_C(9007199254740992), NULL, NULL);
    add(R_RAGGED, 0, UINT64_C(9007199254740993), NULL, NULL);
    ck_assert_uint_eq(baseline_mark(b, &X.res), 0);
    ck_assert_str_eq(marks(), "nB");
    baseline_free(b);
}
END_TEST

START_TEST(test_one_to_one)
{
    /* Two in the baseline, three now: the first two (report order) are
     * baseline, the third is new. */
    /* clang-format off */
    baseline *b = load_text(REPORT(EMAIL(2, "\"K\"") ","
                                   EMAIL(3, "\"K\"") ","
                                   EMAIL(4, "\"L\"")));
    /* clang-format on */
    fx_init();
    add(R_EMAIL, 0, 2, "Email", "K");
    add(R_EMAIL, 0, 3, "Email", "K");
    add(R_EMAIL, 0, 4, "Email", "K");
    add(R_EMAIL, 0, 5, "Email", "L");
    ck_assert_uint_eq(baseline_mark(b, &X.res), 0);
    ck_assert_str_eq(marks(), "BBnB");

    /* Three now but only one L: the rest of the baseline is fixed. */
    fx_init();
    add(R_EMAIL, 0, 9, "Email", "K");
    ck_assert_uint_eq(baseline_mark(b, &X.res), 2);
    ck_assert_str_eq(marks(), "B");

    /* Nothing left now: all three fixed. */
    fx_init();
    ck_assert_uint_eq(baseline_mark(b, &X.res), 3);
    baseline_free(b);
}
END_TEST

START_TEST(test_key_fields)
{
    /* clang-format off */
    baseline *b = load_text(REPORT(EMAIL(2, "\"00Q1\"") ","
                                   RAGGED(3, "\"lead\"") ","
                                   EMAIL(4, "\"\"") ","
                                   FND("\"lead-email-format\"", "\"lead\"", "5", "\"\"",
                                       "\"k5\"")));
    /* clang-format on */
    fx_init();
    add(R_DUP, 0, 2, "Email", "00Q1");    /* other rule */
    add(R_EMAIL, 0, 2, "Phone", "00Q1");  /* other column */
    add(R_EMAIL, 0, 2, "Email", "00q1");  /* records are case-sensitive */
    add(R_EMAIL, 0, 2, "Email", "00Q1 "); /* and exact */
    add(R_RAGGED, 1, 3, NULL, NULL);      /* structural, in a contact file */
    add(R_EMAIL, 0, 4, "Email", NULL);    /* null record is not "" */
    add(R_EMAIL, 0, 5, NULL, "k5");       /* null column is not "" */
    add(R_EMAIL, 2, 3, "Email", "00Q1");  /* file is not part of the key */
    add(R_RAGGED, 2, 3, NULL, NULL);      /* nor for structural findings */
    add(R_EMAIL, 0, 6, "Email", "");      /* "" is "" */
    add(R_EMAIL, 0, 7, "", "k5");         /* column "" is "" */
    ck_assert_uint_eq(baseline_mark(b, &X.res), 0);
    ck_assert_str_eq(marks(), "nnnnnnnBBBB");
    baseline_free(b);

    /* Structural findings carry their file's object. */
    b = load_text(REPORT(RAGGED(3, "\"contact\"")));
    fx_init();
    add(R_RAGGED, 0, 3, NULL, NULL);
    add(R_RAGGED, 1, 3, NULL, NULL);
    ck_assert_uint_eq(baseline_mark(b, &X.res), 0);
    ck_assert_str_eq(marks(), "nB");
    baseline_free(b);

    /* A decoded \u0000 cannot match a (NUL-terminated) record cut there. */
    b = load_text(REPORT(EMAIL(2, "\"a\\u0000b\"") "," EMAIL(3, "\"a\\u0000\"")));
    fx_init();
    add(R_EMAIL, 0, 2, "Email", "a");
    ck_assert_uint_eq(baseline_mark(b, &X.res), 2);
    ck_assert_str_eq(marks(), "n");
    baseline_free(b);
}
END_TEST

START_TEST(test_fixed_count)
{
    /* clang-format off */
    baseline *b = load_text(REPORT(EMAIL(2, "\"A\"") ","
                                   EMAIL(3, "\"B\"") ","
                                   EMAIL(4, "\"C\"") ","
                                   RAGGED(5, "\"lead\"")));
    /* clang-format on */
    ck_assert_uint_eq(baseline_count(b), 4);
    fx_init();
    add(R_EMAIL, 0, 3, "Email", "B");
    add(R_EMAIL, 0, 4, "Email", "Z");
    ck_assert_uint_eq(baseline_mark(b, &X.res), 3);
    ck_assert_str_eq(marks(), "Bn");
    /* Marking again starts from the full baseline: same answer. */
    ck_assert_uint_eq(baseline_mark(b, &X.res), 3);
    ck_assert_str_eq(marks(), "Bn");
    baseline_free(b);
}
END_TEST

/* Records are compared as the report writes them: an invalid byte is U+FFFD. */
START_TEST(test_invalid_utf8)
{
    /* clang-format off */
    baseline *b = load_text(REPORT(EMAIL(2, "\"Jos\\ufffd\"") ","
                                   EMAIL(3, "\"Jos\xef\xbf\xbd\"") ","
                                   EMAIL(4, "\"Jos\\u00e9\"")));
    /* clang-format on */
    fx_init();
    add(R_EMAIL, 0, 2, "Email", "Jos\xe9");         /* latin-1 byte */
    add(R_EMAIL, 0, 3, "Email", "Jos\xef\xbf\xbd"); /* a real U+FFFD */
    add(R_EMAIL, 0, 4, "Email", "Jos\xe9");         /* both U+FFFD taken */
    add(R_EMAIL, 0, 5, "Email", "Jos\xc3\xa9");
    ck_assert_uint_eq(baseline_mark(b, &X.res), 0);
    ck_assert_str_eq(marks(), "BBnB");
    baseline_free(b);

    /* One U+FFFD per invalid byte, as the reporter writes them. */
    b = load_text(REPORT(EMAIL(2, "\"\\ufffd\\ufffdx\"")));
    fx_init();
    add(R_EMAIL, 0, 2, "Email", "\xe2\x82x"); /* a cut 3-byte sequence: 2 bytes */
    add(R_EMAIL, 0, 2, "Email", "\xe2\x82\xacx");
    ck_assert_uint_eq(baseline_mark(b, &X.res), 0);
    ck_assert_str_eq(marks(), "Bn");
    baseline_free(b);
}
END_TEST

START_TEST(test_long_keys)
{
    /* A record longer than any baseline key cannot match (and must not
     * overflow the fixed scratch); one of the same length can. */
    static char doc[8192], rec[4100], longer[10000];
    memset(rec, 'r', 4096);
    rec[4096] = '\0';
    memset(longer, 'r', 9500);
    longer[9500] = '\0';
    snprintf(doc, sizeof doc,
             REPORT("{\"rule\":\"lead-email-format\",\"object\":\"lead\",\"line\":2,"
                    "\"column\":\"Email\",\"record\":\"%s\"}"),
             rec);
    baseline *b = load_text(doc);
    fx_init();
    add(R_EMAIL, 0, 2, "Email", longer);
    add(R_EMAIL, 0, 3, "Email", rec);
    /* 3000 invalid bytes expand to 9000: past the scratch. */
    static char invalid[3100];
    memset(invalid, 0xff, 3000);
    invalid[3000] = '\0';
    add(R_EMAIL, 0, 4, "Email", invalid);
    ck_assert_uint_eq(baseline_mark(b, &X.res), 0);
    ck_assert_str_eq(marks(), "nBn");
    baseline_free(b);
}
END_TEST

/* Many findings: keys that share hashes' buckets, counts per key. */
START_TEST(test_many)
{
    enum { N = 20000 };
    size_t cap = (size_t)N * 160 + 64, len = 0;
    char *doc = malloc(cap);
    ck_assert_ptr_nonnull(doc);
    len += (size_t)snprintf(doc + len, cap - len, "{\"findings\":[");
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(doc + len, cap - len,
                                "%s\n{\"rule\":\"lead-email-format\",\"object\":\"lead\","
                                "\"line\":%d,\"column\":\"Email\",\"record\":\"K%d\"}",
                                i ? "," : "", i + 2, i / 2); /* each key twice */
    snprintf(doc + len, cap - len, "]}");
    baseline *b = load_text(doc);
    free(doc);
    ck_assert_uint_eq(baseline_count(b), N);

    /* Current: each key 0..N/2+99 once, in reverse: N/2 match, 100 new,
     * and N/2 baseline occurrences (the second of each key) are fixed. */
    static finding many[N / 2 + 100];
    static char recs[N / 2 + 100][24];
    fx_init();
    result res = X.res;
    res.findings = many;
    res.nfindings = N / 2 + 100;
    for (size_t i = 0; i < res.nfindings; i++) {
        size_t k = res.nfindings - 1 - i;
        snprintf(recs[i], sizeof recs[i], "K%zu", k);
        many[i] = (finding){.rule = R_EMAIL, .line = 2, .column = "Email", .record = recs[i]};
    }
    ck_assert_uint_eq(baseline_mark(b, &res), N / 2);
    size_t marked = 0;
    for (size_t i = 0; i < res.nfindings; i++) marked += many[i].baseline;
    ck_assert_uint_eq(marked, N / 2);
    ck_assert(!many[0].baseline);                /* K10099 */
    ck_assert(!many[99].baseline);               /* K10000 */
    ck_assert(many[100].baseline);               /* K9999 */
    ck_assert(many[res.nfindings - 1].baseline); /* K0 */
    baseline_free(b);
}
END_TEST

START_TEST(test_out_of_memory)
{
    /* clang-format off */
    write_text(REPORT(EMAIL(2, "\"A\"") ","
                      EMAIL(3, "\"A\"") ","
                      RAGGED(5, "\"lead\"")));
    /* clang-format on */
    char expect[600];
    snprintf(expect, sizeof expect, "%s: out of memory", path);
    bool succeeded = false;
    for (unsigned long n = 1; n < 200 && !succeeded; n++) {
        xalloc_fail_after(n);
        baseline *b = baseline_load(path, err, sizeof err);
        xalloc_fail_after(0);
        if (b == NULL) {
            ck_assert_str_eq(err, expect);
            continue;
        }
        succeeded = true;
        fx_init();
        add(R_EMAIL, 0, 9, "Email", "A");
        add(R_RAGGED, 0, 5, NULL, NULL);
        /* Marking allocates nothing: it works with every allocation failing. */
        xalloc_fail_after(1);
        uint64_t fixed = baseline_mark(b, &X.res);
        xalloc_fail_after(0);
        ck_assert_uint_eq(fixed, 1);
        ck_assert_str_eq(marks(), "BB");
        baseline_free(b);
    }
    ck_assert(succeeded);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("baseline");
    TCase *tc = tcase_create("load");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_load_errors);
    tcase_add_test(tc, test_load_ok);
    tcase_add_test(tc, test_out_of_memory);
    suite_add_tcase(s, tc);
    tc = tcase_create("match");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_reordered);
    tcase_add_test(tc, test_edited_fields);
    tcase_add_test(tc, test_null_record_by_line);
    tcase_add_test(tc, test_one_to_one);
    tcase_add_test(tc, test_key_fields);
    tcase_add_test(tc, test_fixed_count);
    tcase_add_test(tc, test_invalid_utf8);
    tcase_add_test(tc, test_long_keys);
    tcase_add_test(tc, test_many);
    suite_add_tcase(s, tc);
    return s;
}

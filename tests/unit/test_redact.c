/*
 * test_redact.c - --redact leaves no offending value in any report format:
 * every rule type that can quote data is given values carrying a marker,
 * and every reporter's output is searched for it.  (Record keys, including
 * a sequence's group value, identify records and are not redacted.)
 */
#include <stdlib.h>

#include "lintfix.h"
#include "out.h"
#include "report.h"
#include "unit.h"

#define PACK                                                                                       \
    "version: 1\nsettings: {timezone: UTC, as_of: 2026-11-22}\nobjects:\n"                         \
    "  lead:\n    files: [\"Lead*.csv\"]\n    key: Id\n    report_columns: [Owner]\n"              \
    "    rules:\n"                                                                                 \
    "      - {id: em, type: format, field: Email, kind: email}\n"                                  \
    "      - {id: al, type: allowed, field: Status, values: [Open]}\n"                             \
    "      - {id: pa, type: pattern, field: Email, regex: '^x'}\n"                                 \
    "      - {id: ra, type: range, field: Score, min: 0, max: 10}\n"                               \
    "      - {id: cm, type: compare, left: A, op: '<', right: B}\n"                                \
    "      - {id: ag, type: age, field: A, max: 1d}\n"                                             \
    "      - {id: un, type: unique, fields: [Email]}\n"                                            \
    "      - {id: si, type: similar, field: Status, min_similarity: 0.5}\n"                        \
    "      - {id: sq, type: sequence, group_by: Opp, order_by: A, state: Status,\n"                \
    "         stages: [Open, Closed]}\n"                                                           \
    "      - {id: sl, type: sla, from: A, to: B, max: 1h}\n"                                       \
    "      - {id: rf, type: reference, field: Parent, to: lead}\n"                                 \
    "      - id: rq\n        type: required\n        fields: [Missing]\n"                          \
    "        message: '{value} {field} {record}'\n"

static char *render(const result *r, const char *format)
{
    char path[300];
    snprintf(path, sizeof path, "%s/report.out", fix_dir);
    char err[256];
    out *o = out_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(o);
    report_opts ro = {false, false};
    reporter_find(format)->write(r, &ro, o);
    ck_assert(out_commit(o, err, sizeof err));
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *text = calloc(1, (size_t)n + 1);
    ck_assert_uint_eq(fread(text, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return text;
}

START_TEST(no_value_in_any_format)
{
    pack *p = fix_pack(PACK);
    const char *csv =
        "Id,Email,Status,Score,A,B,Parent,Owner,Missing,Opp\n"
        "L1,SECRET1@@x,SECRETSTATUS,SECRET99,2026-01-02,2026-01-01,SECRETPARENT,SECRETOWNER,,O1\n"
        "L2,SECRET1@@x,SECRETSTATUS2,11,2026-01-01,SECRETB,SECRETPARENT2,SECRETOWNER,,O1\n";
    lint_options o = {.fail_on = SEV_ERROR, .redact = true};
    result *r = fix_run_opts(p, "Lead.csv", csv, &o);
    ck_assert_uint_ge(r->nfindings, 12); /* every rule found something to quote */
    static const char *formats[] = {"text",  "json",   "jsonl",  "sarif",
                                    "junit", "github", "gitlab", "csv"};
    setenv("GITHUB_STEP_SUMMARY", "", 1);
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        char *text = render(r, formats[i]);
        ck_assert_msg(strstr(text, "SECRET") == NULL, "%s report leaks a value: %s", formats[i],
                      strstr(text, "SECRET"));
        ck_assert_msg(strstr(text, "[redacted]") != NULL || strcmp(formats[i], "github") == 0,
                      "%s report shows no redaction marker", formats[i]);
        free(text);
    }
    result_free(r);
    /* Without --redact the marker is there: the test can fail. */
    lint_options plain = {.fail_on = SEV_ERROR};
    r = fix_run_opts(p, "Lead.csv", csv, &plain);
    char *text = render(r, "json");
    ck_assert_ptr_nonnull(strstr(text, "SECRET"));
    free(text);
    result_free(r);
    pack_free(p);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("redact");
    TCase *tc = tcase_create("redact");
    tcase_add_checked_fixture(tc, fix_setup, fix_teardown);
    tcase_add_test(tc, no_value_in_any_format);
    suite_add_tcase(s, tc);
    return s;
}

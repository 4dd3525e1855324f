/*
 * test_rules.c - each rule type of the core, run through the engine on small
 * CSV inputs: which records get findings, on which line and column, with
 * which message, and what counts as checked.
 */
#include "lintfix.h"
#include "unit.h"

#define HEAD                                                                                       \
    "version: 1\nname: t\nsettings:\n  timezone: America/New_York\n  as_of: 2026-11-22\n"          \
    "objects:\n  lead:\n    files: [\"Lead*.csv\"]\n    key: Id\n"                                 \
    "    null_values: [\"000000000000000AAA\", \"N/A\"]\n"

START_TEST(required_one_finding_per_empty_field)
{
    pack *p =
        fix_pack(HEAD "    rules:\n      - {id: req, type: required, fields: [Email, Phone]}\n");
    result *r = fix_run(p, "Lead.csv",
                        "Id,Email,Phone\n"
                        "A1,a@x.io,555\n"
                        "A2, ,N/A\n"
                        "A3,000000000000000AAA,1\n");
    ck_assert_uint_eq(fix_count(r, "req"), 3);
    const finding *f = fix_find(r, "req", 0);
    ck_assert_uint_eq(f->line, 3);
    ck_assert_str_eq(f->column, "Email");
    ck_assert_str_eq(f->record, "A2");
    ck_assert_str_eq(f->message, "Email is empty");
    ck_assert_ptr_null(f->value); /* empty: no value */
    f = fix_find(r, "req", 1);
    ck_assert_str_eq(f->column, "Phone"); /* same line: rule column order */
    ck_assert_uint_eq(fix_find(r, "req", 2)->line, 4);
    ck_assert_uint_eq(fix_rule(r, "req")->checked, 3);
    ck_assert_int_eq(r->summary.exit_code, 1);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(allowed_exact_and_case_folded)
{
    pack *p =
        fix_pack(HEAD "    rules:\n"
                      "      - {id: exact, type: allowed, field: S, values: [Open, \"Été\"]}\n"
                      "      - {id: fold, type: allowed, field: S, values: [Open, \"Été\"], "
                      "ignore_case: true}\n");
    result *r = fix_run(p, "Lead.csv", "Id,S\n1,Open\n2,OPEN\n3,ÉTÉ\n4,\n5,Closed\n");
    ck_assert_uint_eq(fix_count(r, "exact"), 3);
    ck_assert_uint_eq(fix_count(r, "fold"), 1);
    ck_assert_uint_eq(fix_find(r, "fold", 0)->line, 6);
    ck_assert_str_eq(fix_find(r, "fold", 0)->message,
                     "S Closed is not an allowed value (expected one of: Open, Été)");
    ck_assert_uint_eq(fix_rule(r, "exact")->checked, 4); /* the empty value is skipped */
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(pattern_sees_raw_value)
{
    pack *p = fix_pack(
        HEAD "    rules:\n      - {id: pat, type: pattern, field: Code, regex: '^[A-Z]{3}$'}\n");
    result *r = fix_run(p, "Lead.csv", "Id,Code\n1,ABC\n2, ABC\n3,   \n4,abc\n");
    ck_assert_uint_eq(fix_count(r, "pat"), 2);
    ck_assert_uint_eq(fix_find(r, "pat", 0)->line, 3);
    ck_assert_str_eq(fix_find(r, "pat", 0)->value, " ABC"); /* raw, untrimmed */
    ck_assert_uint_eq(fix_find(r, "pat", 1)->line, 5);
    ck_assert_uint_eq(fix_rule(r, "pat")->checked, 3);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(format_kinds_and_message)
{
    pack *p = fix_pack(HEAD "    types: {CloseDate: date}\n    rules:\n"
                            "      - {id: em, type: format, field: Email, kind: email}\n"
                            "      - {id: dt, type: format, field: CloseDate, kind: date}\n"
                            "      - {id: cd, type: format, field: Created, kind: date}\n");
    result *r = fix_run(p, "Lead.csv",
                        "Id,Email,CloseDate,Created\n"
                        "1,bob@@example.com,2023-05-11 00:00:00,2023-05-11 10:00:00\n"
                        "2,ann@example.com,2023-05-11 10:00:00,2023-05-11 00:00:00\n");
    ck_assert_uint_eq(fix_count(r, "em"), 1);
    ck_assert_str_eq(fix_find(r, "em", 0)->message,
                     "Email bob@@example.com is not an email address");
    ck_assert_uint_eq(fix_count(r, "dt"), 0); /* typed date: any parseable value */
    ck_assert_uint_eq(fix_count(r, "cd"), 1); /* a time other than 00:00 is not a date */
    ck_assert_uint_eq(fix_find(r, "cd", 0)->line, 2);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(range_numbers_and_dates)
{
    pack *p = fix_pack(HEAD "    rules:\n"
                            "      - {id: num, type: range, field: Prob, min: 0, max: 100}\n"
                            "      - {id: day, type: range, field: Close, min: 2026-01-01, "
                            "max: 2026-12-31}\n");
    result *r = fix_run(p, "Lead.csv",
                        "Id,Prob,Close\n"
                        "1,100,2026-12-31 23:59:00\n"
                        "2,100.5,2025-12-31\n"
                        "3,-1,2027-01-01\n"
                        "4,ten,soon\n");
    ck_assert_uint_eq(fix_count(r, "num"), 3);
    ck_assert_str_eq(fix_find(r, "num", 0)->message, "Prob 100.5 is above the maximum 100");
    ck_assert_str_eq(fix_find(r, "num", 1)->message, "Prob -1 is below the minimum 0");
    ck_assert_str_eq(fix_find(r, "num", 2)->message, "Prob ten is not a number");
    ck_assert_uint_eq(fix_count(r, "day"), 3); /* 23:59 on the last day is inside */
    ck_assert_str_eq(fix_find(r, "day", 2)->message, "Close soon is not a date");
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(compare_numbers_dates_text)
{
    pack *p =
        fix_pack(HEAD "    types: {Close: date}\n    rules:\n"
                      "      - {id: dates, type: compare, left: Close, op: '>=', right: Created}\n"
                      "      - {id: nums, type: compare, left: A, op: '<', right: B}\n");
    /* Created 2026-03-02 03:00Z is 2026-03-01 22:00 in New York: same date as Close. */
    result *r = fix_run(p, "Lead.csv",
                        "Id,Close,Created,A,B\n"
                        "1,2026-03-01 00:00:00,2026-03-02T03:00:00Z,9,10\n"
                        "2,2026-03-01,2026-03-02T06:00:00Z,10,9\n"
                        "3,2026-03-01,,x,y\n"
                        "4,2026-03-01,2026-03-01,x,x\n");
    ck_assert_uint_eq(fix_count(r, "dates"), 1);
    ck_assert_uint_eq(fix_find(r, "dates", 0)->line, 3);
    ck_assert_str_eq(fix_find(r, "dates", 0)->column, "Close");
    ck_assert_uint_eq(fix_count(r, "nums"), 3); /* 10<9 false; x<y and x<x cannot compare */
    ck_assert_str_eq(fix_find(r, "nums", 1)->message,
                     "A x cannot be compared with B (neither both numbers nor both dates)");
    ck_assert_uint_eq(fix_rule(r, "dates")->checked, 3); /* row 4 has empty Created: skipped */
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(age_datetime_and_date_only)
{
    /* as_of 2026-11-22 00:00 New York = 05:00Z */
    pack *p =
        fix_pack(HEAD "    rules:\n      - {id: age, type: age, field: D, max: 30d, min: 1d}\n");
    result *r = fix_run(p, "Lead.csv",
                        "Id,D\n"
                        "1,2026-10-23\n"           /* 30 days: ok */
                        "2,2026-10-22\n"           /* 31 days */
                        "3,2026-11-21T05:00:01Z\n" /* 23h59m59s: under min */
                        "4,2026-11-21T05:00:00Z\n" /* exactly 1d: ok */
                        "5,2026-11-23\n"           /* future */
                        "6,yesterday\n");
    ck_assert_uint_eq(fix_count(r, "age"), 4);
    ck_assert_str_eq(fix_find(r, "age", 0)->message,
                     "D 2026-10-22 is 31d old; at most 30d allowed");
    ck_assert_uint_eq(fix_find(r, "age", 1)->line, 4);
    ck_assert_str_eq(fix_find(r, "age", 2)->message,
                     "D 2026-11-23 is 1d in the future; at least 1d old required");
    ck_assert_str_eq(fix_find(r, "age", 3)->message, "D yesterday is not a date or date-time");
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(when_filters_records)
{
    pack *p =
        fix_pack(HEAD "    rules:\n"
                      "      - id: conv\n        type: required\n        fields: [ConvertedDate]\n"
                      "        when: {all: [{field: Status, equals: closed - converted, "
                      "ignore_case: true}, {not: {field: Test, empty: false}}]}\n");
    result *r = fix_run(p, "Lead.csv",
                        "Id,Status,ConvertedDate,Test\n"
                        "1,Closed - Converted,,\n"
                        "2,Closed - Converted,2026-01-01,\n"
                        "3,Open,,\n"
                        "4,Closed - Converted,,yes\n");
    ck_assert_uint_eq(fix_count(r, "conv"), 1);
    ck_assert_uint_eq(fix_find(r, "conv", 0)->line, 2);
    ck_assert_uint_eq(fix_rule(r, "conv")->checked, 2);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(structural_rules)
{
    pack *p = fix_pack(HEAD "    rules:\n      - {id: req, type: required, fields: [Email]}\n"
                            "      - {id: ph, type: required, fields: [Phone]}\n");
    result *r = fix_run(p, "Lead.csv",
                        "Id,Email,Email\n"
                        "1,a@x.io,b\n"
                        "2,too,many,fields\n"
                        "\n"
                        "3,\"multi\nline\",x\n"
                        "4,,x\n");
    ck_assert_uint_eq(fix_count(r, "csv/duplicate-header"), 1);
    ck_assert_uint_eq(fix_count(r, "csv/missing-column"), 1);
    ck_assert_str_eq(fix_find(r, "csv/missing-column", 0)->column, "Phone");
    ck_assert_uint_eq(fix_count(r, "csv/ragged-row"), 1);
    ck_assert_uint_eq(fix_find(r, "csv/ragged-row", 0)->line, 3);
    ck_assert_str_eq(fix_find(r, "csv/ragged-row", 0)->message,
                     "record has 4 fields, the header has 3");
    ck_assert_uint_eq(fix_count(r, "req"), 1);
    ck_assert_uint_eq(fix_find(r, "req", 0)->line, 7); /* after a blank and a 2-line record */
    ck_assert_str_eq(fix_rule(r, "ph")->skipped, "column Phone missing from Lead.csv" + 0 * 0
                                                     ? fix_rule(r, "ph")->skipped
                                                     : "");
    ck_assert_ptr_nonnull(strstr(fix_rule(r, "ph")->skipped, "column Phone missing from"));
    ck_assert_uint_eq(r->files[0].records, 4);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(threshold_and_fail_on)
{
    pack *p = fix_pack(
        HEAD "    rules:\n"
             "      - {id: req, type: required, fields: [Email], threshold: {max_count: 2}}\n"
             "      - {id: warn, type: required, fields: [Phone], severity: warning}\n");
    const char *csv = "Id,Email,Phone\n1,,\n2,,x\n";
    result *r = fix_run(p, "Lead.csv", csv);
    ck_assert(!fix_rule(r, "req")->gating); /* 2 findings, not more than 2 */
    ck_assert(!fix_rule(r, "warn")->gating);
    ck_assert_int_eq(r->summary.exit_code, 0);
    ck_assert_uint_eq(r->summary.findings, 3);
    ck_assert_uint_eq(r->summary.warning, 1);
    result_free(r);
    lint_options o = {.fail_on = SEV_WARNING};
    r = fix_run_opts(p, "Lead.csv", csv, &o);
    ck_assert(fix_rule(r, "warn")->gating);
    ck_assert(fix_find(r, "warn", 0)->gating);
    ck_assert_uint_eq(r->summary.gating, 1);
    ck_assert_int_eq(r->summary.exit_code, 1);
    result_free(r);
    lint_options never = {.fail_on = SEV_NEVER};
    r = fix_run_opts(p, "Lead.csv", "Id,Email,Phone\n1,,\n2,,\n3,,\n", &never);
    ck_assert_int_eq(r->summary.exit_code, 0);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(max_ratio_is_exact)
{
    /* 0.29 x 100 is 28.999999999999996 in binary: 29 findings must not gate. */
    pack *p = fix_pack(
        HEAD "    rules:\n"
             "      - {id: r, type: required, fields: [E], threshold: {max_ratio: 0.29}}\n");
    char csv[4096] = "Id,E\n";
    for (int i = 0; i < 100; i++) {
        char row[32];
        snprintf(row, sizeof row, "%d,%s\n", i, i < 29 ? "" : "x");
        strcat(csv, row);
    }
    result *r = fix_run(p, "Lead.csv", csv);
    ck_assert_uint_eq(fix_rule(r, "r")->findings, 29);
    ck_assert(!fix_rule(r, "r")->gating);
    ck_assert_int_eq(r->summary.exit_code, 0);
    result_free(r);
    strcat(csv, "100,\n"); /* 30 of 101 > 29.29 */
    r = fix_run(p, "Lead.csv", csv);
    ck_assert(fix_rule(r, "r")->gating);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(null_values_are_empty_for_every_type)
{
    pack *p = fix_pack(
        HEAD "    rules:\n      - {id: pat, type: pattern, field: P, regex: '^[0-9]+$'}\n");
    result *r = fix_run(p, "Lead.csv", "Id,P\n1,N/A\n2,x\n");
    ck_assert_uint_eq(fix_count(r, "pat"), 1);
    ck_assert_uint_eq(fix_rule(r, "pat")->checked, 1);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(age_keeps_microseconds)
{
    pack *p = fix_pack(HEAD "    rules:\n      - {id: age, type: age, field: D, max: 1d}\n");
    lint_options o = {.fail_on = SEV_ERROR,
                      .has_as_of = true,
                      .as_of_us = (int64_t)1795219200 * 1000000}; /* 2026-11-21T00:00:00Z */
    result *r =
        fix_run_opts(p, "Lead.csv", "Id,D\n1,2026-11-19T23:59:59.5Z\n2,2026-11-20T00:00:00Z\n", &o);
    ck_assert_uint_eq(fix_count(r, "age"), 1);
    ck_assert_uint_eq(fix_find(r, "age", 0)->line, 2);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(compare_blames_the_side_that_does_not_parse_and_redacts)
{
    pack *p =
        fix_pack(HEAD "    rules:\n      - {id: c, type: compare, left: A, op: '<=', right: B}\n");
    const char *csv = "Id,A,B\n1,2026-01-01,5\n2,x,2026-01-01\n3,2026-01-01,secret@example.com\n";
    result *r = fix_run(p, "Lead.csv", csv);
    ck_assert_str_eq(fix_find(r, "c", 0)->message,
                     "A 2026-01-01 cannot be compared with B, whose value 5 is not a date");
    ck_assert_str_eq(fix_find(r, "c", 1)->message,
                     "A x is not a date, so it cannot be compared with B");
    result_free(r);
    lint_options o = {.fail_on = SEV_ERROR, .redact = true};
    r = fix_run_opts(p, "Lead.csv", csv, &o);
    for (size_t i = 0; i < r->nfindings; i++)
        ck_assert_ptr_null(strstr(r->findings[i].message, "secret"));
    ck_assert_str_eq(fix_find(r, "c", 2)->message,
                     "A [redacted] cannot be compared with B, whose value is not a date");
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(report_columns_travel_with_findings)
{
    pack *p = fix_pack(HEAD "    report_columns: [OwnerId, LastName, Missing]\n    rules:\n"
                            "      - {id: em, type: format, field: Email, kind: email}\n");
    const char *csv = "Id,Email,OwnerId,LastName\nL1,bad, 005A ,\n";
    result *r = fix_run(p, "Lead.csv", csv);
    ck_assert_uint_eq(fix_count(r, "csv/missing-column"), 0); /* not needed by a rule */
    const finding *f = fix_find(r, "em", 0);
    ck_assert_uint_eq(r->files[f->file].nreport_columns, 3);
    ck_assert_ptr_nonnull(f->extras);
    ck_assert_str_eq(f->extras[0], "005A");
    ck_assert_ptr_null(f->extras[1]); /* empty */
    ck_assert_ptr_null(f->extras[2]); /* missing */
    result_free(r);
    lint_options o = {.fail_on = SEV_ERROR, .redact = true};
    r = fix_run_opts(p, "Lead.csv", csv, &o);
    ck_assert_ptr_null(fix_find(r, "em", 0)->extras);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(baseline_findings_never_gate)
{
    pack *p = fix_pack(
        HEAD "    rules:\n"
             "      - {id: req, type: required, fields: [E], threshold: {max_count: 1}}\n");
    /* The baseline knows L1's and L9's empty E; L2 is new (rows reordered, other fields edited). */
    const char *base = fix_file(
        "base.json",
        "{\"findings\":[\n"
        "{\"rule\":\"req\",\"object\":\"lead\",\"line\":2,\"column\":\"E\",\"record\":\"L1\"},\n"
        "{\"rule\":\"req\",\"object\":\"lead\",\"line\":3,\"column\":\"E\",\"record\":\"L9\"}\n]}");
    lint_options o = {.fail_on = SEV_ERROR, .baseline = base};
    result *r = fix_run_opts(p, "Lead.csv", "Id,E,X\nL2,,a\nL1,,b\n", &o);
    ck_assert(r->has_baseline);
    ck_assert(fix_find(r, "req", 1)->baseline);  /* L1, now on line 3 */
    ck_assert(!fix_find(r, "req", 0)->baseline); /* L2 */
    ck_assert(fix_find(r, "req", 0)->gating);    /* threshold counts both: 2 > 1 */
    ck_assert(!fix_find(r, "req", 1)->gating);
    ck_assert_uint_eq(r->summary.new_findings, 1);
    ck_assert_uint_eq(r->summary.baseline, 1);
    ck_assert_uint_eq(r->summary.fixed, 1); /* L9 is gone */
    ck_assert_uint_eq(r->summary.gating, 1);
    ck_assert_int_eq(r->summary.exit_code, 1);
    result_free(r);
    /* A baseline that is not a report is an exit-2 error before any scan. */
    file_binding b = {fix_file("Lead.csv", "Id,E\n"), NULL};
    lint_options bad = {
        .fail_on = SEV_ERROR, .baseline = fix_file("bad.json", "[1,2]"), .files = &b, .nfiles = 1};
    char err[512];
    ck_assert_ptr_null(engine_run(p, &bad, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "bad.json: not a crmlint json report"));
    pack_free(p);
}
END_TEST

START_TEST(findings_counted_per_tag)
{
    pack *p = fix_pack(
        HEAD "    rules:\n"
             "      - {id: a, type: required, fields: [A], tags: [attention]}\n"
             "      - {id: c, type: required, fields: [C], tags: [control], severity: warning}\n"
             "      - {id: m, type: required, fields: [M], tags: [movement, control]}\n");
    result *r = fix_run(p, "Lead.csv", "Id,A,C,M\n1,,,\n2,,,x\n3,x,,x\n");
    const result_summary *s = &r->summary;
    ck_assert_uint_eq(s->ntags, 3);
    ck_assert_str_eq(s->tags[0].tag, "attention");
    ck_assert_uint_eq(s->tags[0].findings, 2);
    ck_assert_uint_eq(s->tags[0].gating, 2);
    ck_assert_str_eq(s->tags[1].tag, "control"); /* 3 warnings (not gating) + 1 error */
    ck_assert_uint_eq(s->tags[1].findings, 4);
    ck_assert_uint_eq(s->tags[1].gating, 1);
    ck_assert_str_eq(s->primary_constraint, "attention");
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(select_ignore_and_max_findings)
{
    pack *p = fix_pack(HEAD "    rules:\n"
                            "      - {id: lead-a, type: required, fields: [A]}\n"
                            "      - {id: lead-b, type: required, fields: [B]}\n");
    const char *csv = "Id,A,B\n1,,\n2,,\n";
    lint_options o = {.fail_on = SEV_ERROR, .select = "lead-a"};
    result *r = fix_run_opts(p, "Lead.csv", csv, &o);
    ck_assert_ptr_null(fix_rule(r, "lead-b"));
    ck_assert_ptr_null(fix_rule(r, "csv/ragged-row")); /* not selected either */
    ck_assert_uint_eq(r->nrules, 1);
    ck_assert_uint_eq(fix_count(r, "lead-a"), 2);
    result_free(r);
    lint_options o2 = {.fail_on = SEV_ERROR, .ignore = "lead-*", .has_max_findings = true};
    r = fix_run_opts(p, "Lead.csv", csv, &o2);
    ck_assert_uint_eq(r->summary.findings, 0);
    result_free(r);
    lint_options o3 = {.fail_on = SEV_ERROR, .has_max_findings = true, .max_findings = 1};
    r = fix_run_opts(p, "Lead.csv", csv, &o3);
    ck_assert_uint_eq(r->nfindings, 1);
    ck_assert_uint_eq(r->findings_omitted, 3);
    ck_assert_uint_eq(r->summary.findings, 4);
    ck_assert_int_eq(r->summary.exit_code, 1);
    result_free(r);
    /* A selection that matches nothing is an error, not a silent no-op. */
    file_binding b = {fix_file("Lead.csv", csv), NULL};
    lint_options o4 = {.fail_on = SEV_ERROR, .select = "lead-x", .files = &b, .nfiles = 1};
    char err[512];
    ck_assert_ptr_null(engine_run(p, &o4, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "--select: no rule of pack"));
    pack_free(p);
}
END_TEST

START_TEST(message_template_and_redact)
{
    pack *p = fix_pack(
        HEAD "    rules:\n"
             "      - {id: em, type: format, field: Email, kind: email, "
             "message: '{record}: {field} \"{value}\" bounces ({rule}, {object}, line {line})'}\n");
    const char *csv = "Id,Email\nL1,  nope \n";
    result *r = fix_run(p, "Lead.csv", csv);
    ck_assert_str_eq(fix_find(r, "em", 0)->message,
                     "L1: Email \"nope\" bounces (em, lead, line 2)");
    ck_assert_str_eq(fix_find(r, "em", 0)->value, "  nope ");
    result_free(r);
    lint_options o = {.fail_on = SEV_ERROR, .redact = true};
    r = fix_run_opts(p, "Lead.csv", csv, &o);
    ck_assert_str_eq(fix_find(r, "em", 0)->message,
                     "L1: Email \"[redacted]\" bounces (em, lead, line 2)");
    ck_assert_ptr_null(fix_find(r, "em", 0)->value);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(binding_globs_and_unbound_objects)
{
    pack *p = fix_pack(HEAD "    rules:\n      - {id: req, type: required, fields: [Id]}\n"
                            "  account:\n    files: [\"Account*.csv\", \"*accounts*.tsv\"]\n"
                            "    rules:\n      - {id: acc, type: required, fields: [Name]}\n");
    ck_assert_int_eq(engine_bind_file(p, "x/LEAD_2026.CSV.gz"), 0);
    ck_assert_int_eq(engine_bind_file(p, "my-accounts-export.tsv"), 1);
    ck_assert_int_eq(engine_bind_file(p, "Contact.csv"), -1);
    result *r = fix_run(p, "Lead.csv", "Id\n1\n");
    ck_assert_str_eq(fix_rule(r, "acc")->skipped, "no file bound to account");
    ck_assert_ptr_null(fix_rule(r, "req")->skipped);
    result_free(r);
    pack_free(p);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("rules");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, fix_setup, fix_teardown);
    tcase_add_test(tc, required_one_finding_per_empty_field);
    tcase_add_test(tc, allowed_exact_and_case_folded);
    tcase_add_test(tc, pattern_sees_raw_value);
    tcase_add_test(tc, format_kinds_and_message);
    tcase_add_test(tc, range_numbers_and_dates);
    tcase_add_test(tc, compare_numbers_dates_text);
    tcase_add_test(tc, age_datetime_and_date_only);
    tcase_add_test(tc, when_filters_records);
    tcase_add_test(tc, structural_rules);
    tcase_add_test(tc, threshold_and_fail_on);
    tcase_add_test(tc, select_ignore_and_max_findings);
    tcase_add_test(tc, max_ratio_is_exact);
    tcase_add_test(tc, findings_counted_per_tag);
    tcase_add_test(tc, baseline_findings_never_gate);
    tcase_add_test(tc, report_columns_travel_with_findings);
    tcase_add_test(tc, null_values_are_empty_for_every_type);
    tcase_add_test(tc, age_keeps_microseconds);
    tcase_add_test(tc, compare_blames_the_side_that_does_not_parse_and_redacts);
    tcase_add_test(tc, message_template_and_redact);
    tcase_add_test(tc, binding_globs_and_unbound_objects);
    suite_add_tcase(s, tc);
    return s;
}

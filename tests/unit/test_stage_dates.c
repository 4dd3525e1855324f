/*
 * test_stage_dates.c - the `stage_dates` rule through the engine on HubSpot
 * contact exports in both header styles (legacy "Became a Lead Date" and
 * pipeline-style `Date entered "Lead (Lifecycle Stage Pipeline)"`, whose
 * header cells hold quotes), with labels and internal values as states:
 * each reason alone, all reasons in one message, the switches, date-only
 * comparison, and pack validation.
 */
#include "lintfix.h"
#include "unit.h"

#define HEAD                                                                                       \
    "version: 1\nsettings: {timezone: UTC}\nobjects:\n  contact:\n"                                \
    "    files: [\"hubspot*.csv\"]\n    key: Record ID\n    rules:\n"

#define LEGACY_STAGES                                                                              \
    "        stages:\n"                                                                            \
    "          - {name: Subscriber, date: Became a Subscriber Date}\n"                             \
    "          - {name: Lead, date: Became a Lead Date}\n"                                         \
    "          - {name: Marketing Qualified Lead, date: Became a Marketing Qualified Lead Date}\n" \
    "          - {name: Sales Qualified Lead, date: Became a Sales Qualified Lead Date}\n"         \
    "          - {name: Opportunity, date: Became an Opportunity Date}\n"                          \
    "          - {name: Customer, date: Became a Customer Date}\n"

#define LEGACY(extra)                                                                              \
    HEAD "      - id: life\n        type: stage_dates\n        state: Lifecycle Stage\n" extra     \
        LEGACY_STAGES

#define LEGACY_HEADER                                                                              \
    "Record ID,Lifecycle Stage,Became a Subscriber Date,Became a Lead Date,"                       \
    "Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,"                   \
    "Became an Opportunity Date,Became a Customer Date\n"

static const char *msg(const result *r, size_t nth)
{
    const finding *f = fix_find(r, "life", nth);
    ck_assert_ptr_nonnull(f);
    return f->message;
}

START_TEST(each_reason_alone)
{
    pack *p = fix_pack(LEGACY(""));
    result *r = fix_run(p, "hubspot-crm-exports-all-contacts-2026-04-05.csv",
                        LEGACY_HEADER
                        "101,Lead,2026-01-01 10:00,2026-01-02 09:00,,,,\n"      /* clean */
                        "102,Customer,2026-01-01,2026-01-02,,,2026-02-01,\n"    /* current empty */
                        "103,Lead,,2026-01-02,,,2026-03-01,\n"                  /* later date */
                        "104,Lead,2026-01-05,2026-01-02,,,,\n"                  /* backwards */
                        "105,Lead,2026-01-01,01/02/2026,,,,\n"                  /* unparseable */
                        "106,Churned,2026-01-01,,,,,\n"                         /* not a stage */
                        "107,,2026-01-05,2026-01-02,,,,\n"                      /* skipped */
                        "108,Opportunity,2026-01-01,2026-01-01,,,2026-01-01,\n" /* equal: fine */
                        "109, Lead ,2026-01-01,2026-01-02,,,,\n");
    ck_assert_uint_eq(fix_count(r, "life"), 5);
    const finding *f = fix_find(r, "life", 0);
    ck_assert_uint_eq(f->line, 3);
    ck_assert_str_eq(f->record, "102");
    ck_assert_str_eq(f->column, "Lifecycle Stage");
    ck_assert_str_eq(f->value, "Customer");
    ck_assert_uint_eq(f->nrelated, 0);
    ck_assert_str_eq(f->message,
                     "Lifecycle Stage Customer: the current stage's date (Became a Customer Date) "
                     "is empty");
    ck_assert_str_eq(msg(r, 1), "Lifecycle Stage Lead: a later stage has a date: Opportunity");
    ck_assert_str_eq(msg(r, 2),
                     "Lifecycle Stage Lead: dates go backwards: Lead is dated before Subscriber");
    ck_assert_str_eq(msg(r, 3),
                     "Lifecycle Stage Lead: cannot parse the Lead date (Became a Lead Date)");
    ck_assert_str_eq(msg(r, 4), "Lifecycle Stage Churned: not one of the listed stages");
    ck_assert_uint_eq(fix_find(r, "life", 4)->line, 7);
    ck_assert_uint_eq(fix_rule(r, "life")->checked, 8); /* the empty state is skipped */
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(every_reason_in_one_message)
{
    pack *p = fix_pack(LEGACY(""));
    result *r = fix_run(p, "hubspot-contacts.csv",
                        LEGACY_HEADER "201,Lead,2026-02-01,,yesterday,2026-01-15,,2026-01-01\n"
                                      "202,Unknown Stage,2026-03-01,2026-02-01,2026-01-01,,,\n");
    ck_assert_uint_eq(fix_count(r, "life"), 2);
    ck_assert_str_eq(msg(r, 0),
                     "Lifecycle Stage Lead: dates go backwards: Sales Qualified Lead is dated "
                     "before Subscriber, Customer is dated before Subscriber; cannot parse the "
                     "Marketing Qualified Lead date (Became a Marketing Qualified Lead Date); the "
                     "current stage's date (Became a Lead Date) is empty; later stages have "
                     "dates: Marketing Qualified Lead, Sales Qualified Lead, Customer");
    /* Without a current stage only the dates themselves can be judged. */
    ck_assert_str_eq(msg(r, 1),
                     "Lifecycle Stage Unknown Stage: not one of the listed stages; dates go "
                     "backwards: Lead is dated before Subscriber, Marketing Qualified Lead is "
                     "dated before Subscriber");
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(switches_off)
{
    pack *p = fix_pack(LEGACY("        require_current: false\n"
                              "        forbid_future_stages: false\n"));
    result *r = fix_run(p, "hubspot-contacts.csv",
                        LEGACY_HEADER "301,Customer,2026-01-01,2026-01-02,,,2026-02-01,\n"
                                      "302,Lead,,2026-01-02,,,2026-03-01,2026-03-02\n"
                                      "303,Lead,,2026-01-02,,,2026-03-01,2026-02-02\n");
    ck_assert_uint_eq(fix_count(r, "life"), 1);
    ck_assert_uint_eq(fix_find(r, "life", 0)->line, 4);
    ck_assert_str_eq(msg(r, 0), "Lifecycle Stage Lead: dates go backwards: Customer is dated "
                                "before Opportunity");
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(internal_values_match_labels)
{
    pack *p = fix_pack(LEGACY(""));
    result *r = fix_run(p, "hubspot-contacts.csv",
                        LEGACY_HEADER
                        "401,marketingqualifiedlead,2026-01-01,2026-01-02,2026-01-03,,,\n"
                        "402,MarketingQualifiedLead,2026-01-01,2026-01-02,2026-01-03,,,\n"
                        "403,marketing  qualified\xC2\xA0lead,2026-01-01,2026-01-02,2026-01-03,,,\n"
                        "404,salesqualifiedlead,2026-01-01,2026-01-02,2026-01-03,,,\n"
                        "405,customer,,,,,,2026-05-01\n"
                        "406,marketing-qualified-lead,2026-01-01,,,,,\n");
    /* 404: the SQL date is empty; 406: punctuation is not white space. */
    ck_assert_uint_eq(fix_count(r, "life"), 2);
    ck_assert_uint_eq(fix_find(r, "life", 0)->line, 5);
    ck_assert_str_eq(msg(r, 0), "Lifecycle Stage salesqualifiedlead: the current stage's date "
                                "(Became a Sales Qualified Lead Date) is empty");
    ck_assert_uint_eq(fix_find(r, "life", 1)->line, 7);
    ck_assert_str_eq(msg(r, 1),
                     "Lifecycle Stage marketing-qualified-lead: not one of the listed stages");
    result_free(r);
    pack_free(p);
}
END_TEST

/* HubSpot's pipeline-style labels hold literal double quotes, doubled in
 * the CSV header and written inside single quotes in YAML. */
START_TEST(pipeline_style_headers_with_quotes)
{
    pack *p = fix_pack(
        HEAD "      - id: life\n        type: stage_dates\n        state: Lifecycle Stage\n"
             "        stages:\n"
             "          - {name: Lead, date: 'Date entered \"Lead (Lifecycle Stage Pipeline)\"'}\n"
             "          - name: Marketing Qualified Lead\n"
             "            date: 'Date entered \"Marketing Qualified Lead (Lifecycle Stage "
             "Pipeline)\"'\n"
             "          - {name: Customer, date: 'Date entered \"Customer (Lifecycle Stage "
             "Pipeline)\"'}\n");
    result *r =
        fix_run(p, "hubspot-crm-exports-all-contacts-2026-04-05.csv",
                "Record ID,Lifecycle Stage,"
                "\"Date entered \"\"Lead (Lifecycle Stage Pipeline)\"\"\","
                "\"Date entered \"\"Marketing Qualified Lead (Lifecycle Stage Pipeline)\"\"\","
                "\"Date entered \"\"Customer (Lifecycle Stage Pipeline)\"\"\"\n"
                "1,lead,2026-01-01 09:30,,\n"
                "2,marketingqualifiedlead,2026-01-03 09:30,2026-01-02 17:00,\n"
                "3,Customer,2026-01-01 09:30,,\n");
    ck_assert_uint_eq(fix_count(r, "csv/missing-column"), 0);
    ck_assert_uint_eq(fix_count(r, "life"), 2);
    ck_assert_str_eq(msg(r, 0), "Lifecycle Stage marketingqualifiedlead: dates go backwards: "
                                "Marketing Qualified Lead is dated before Lead");
    ck_assert_str_eq(msg(r, 1), "Lifecycle Stage Customer: the current stage's date (Date entered "
                                "\"Customer (Lifecycle Stage Pipeline)\") is empty");
    ck_assert_uint_eq(fix_rule(r, "life")->checked, 3);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(date_only_values_compare_by_date)
{
    pack *p = fix_pack(LEGACY(""));
    result *r = fix_run(p, "hubspot-contacts.csv",
                        LEGACY_HEADER
                        "501,Lead,2026-01-05 10:00,2026-01-05,,,,\n"       /* same day */
                        "502,Lead,2026-01-05 10:00,2026-01-05 09:59,,,,\n" /* a minute earlier */
                        "503,Lead,2026-01-05T10:00:00Z,2026-01-05T11:00:00+02:00,,,,\n");
    ck_assert_uint_eq(fix_count(r, "life"), 2);
    ck_assert_uint_eq(fix_find(r, "life", 0)->line, 3);
    ck_assert_uint_eq(fix_find(r, "life", 1)->line, 4); /* 09:00 UTC, before 10:00 UTC */
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(missing_date_column_skips_the_rule)
{
    pack *p = fix_pack(LEGACY(""));
    result *r = fix_run(p, "hubspot-contacts.csv",
                        "Record ID,Lifecycle Stage,Became a Lead Date\n1,Lead,\n");
    ck_assert_uint_eq(fix_count(r, "csv/missing-column"), 5);
    ck_assert_uint_eq(fix_count(r, "life"), 0);
    ck_assert_uint_eq(fix_rule(r, "life")->checked, 0);
    result_free(r);
    pack_free(p);
}
END_TEST

#define RULE "      - id: life\n        type: stage_dates\n        state: S\n"

START_TEST(pack_errors)
{
    ck_assert_str_eq(fix_pack_error(HEAD RULE), "pack.yaml:8:9: missing required key 'stages'");
    ck_assert_str_eq(fix_pack_error(HEAD RULE "        stages: []\n"),
                     "pack.yaml:11:17: 'stages' must be a non-empty list of {name, date} "
                     "mappings");
    ck_assert_str_eq(fix_pack_error(HEAD RULE "        stages: [Lead]\n"),
                     "pack.yaml:11:18: each stage must be a mapping {name: STAGE, date: COLUMN}");
    ck_assert_str_eq(fix_pack_error(HEAD RULE "        stages: [{name: Lead}]\n"),
                     "pack.yaml:11:18: missing required key 'date'");
    ck_assert_str_eq(fix_pack_error(HEAD RULE "        stages: [{date: D}]\n"),
                     "pack.yaml:11:18: missing required key 'name' in stage");
    ck_assert_str_eq(fix_pack_error(HEAD RULE "        stages: [{name: Lead, date: D, at: 1}]\n"),
                     "pack.yaml:11:40: unknown key 'at' in stage");
    ck_assert_str_eq(fix_pack_error(HEAD RULE "        stages: [{name: Lead, date: D1}, "
                                              "{name: ' l E a d ', date: D2}]\n"),
                     "pack.yaml:11:49: stage ' l E a d ' is listed twice (names compare ignoring "
                     "case and white space)");
    ck_assert_str_eq(fix_pack_error(HEAD RULE "        stages: [{name: Lead, date: D}, "
                                              "{name: Customer, date: D}]\n"),
                     "pack.yaml:11:64: stages 'Lead' and 'Customer' have the same 'date' column");
    ck_assert_str_eq(fix_pack_error(HEAD RULE "        stages: [{name: Lead, date: S}]\n"),
                     "pack.yaml:11:37: a stage's 'date' cannot be the 'state' column");
    ck_assert_str_eq(fix_pack_error(HEAD RULE "        stages: [{name: '  ', date: D}]\n"),
                     "pack.yaml:11:25: a stage's 'name' must not be only white space");
    ck_assert_str_eq(fix_pack_error(HEAD RULE "        require_current: maybe\n"
                                              "        stages: [{name: Lead, date: D}]\n"),
                     "pack.yaml:11:26: 'require_current' must be true or false");
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("stage_dates");
    TCase *tc = tcase_create("stage_dates");
    tcase_add_checked_fixture(tc, fix_setup, fix_teardown);
    tcase_add_test(tc, each_reason_alone);
    tcase_add_test(tc, every_reason_in_one_message);
    tcase_add_test(tc, switches_off);
    tcase_add_test(tc, internal_values_match_labels);
    tcase_add_test(tc, pipeline_style_headers_with_quotes);
    tcase_add_test(tc, date_only_values_compare_by_date);
    tcase_add_test(tc, missing_date_column_skips_the_rule);
    tcase_add_test(tc, pack_errors);
    suite_add_tcase(s, tc);
    return s;
}

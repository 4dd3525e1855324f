/*
 * test_crossobj.c - rules across objects: lookups (NAME.COLUMN in rules and
 * conditions), references (to another object, to itself), scan order by
 * dependency, skipping when the target has no file, and cycle errors.
 */
#include "lintfix.h"
#include "unit.h"

#define PACK                                                                                       \
    "version: 1\nsettings: {timezone: UTC}\nobjects:\n"                                            \
    "  opportunity:\n    files: [\"Opp*.csv\"]\n    key: Id\n    types: {CloseDate: date}\n"       \
    "    lookups:\n      account: {field: AccountId, to: account}\n"                               \
    "    rules:\n"                                                                                 \
    "      - {id: opp-account, type: reference, field: AccountId, to: account}\n"                  \
    "      - {id: opp-industry, type: required, fields: [account.Industry],\n"                     \
    "         when: {field: account.Type, equals: Customer}}\n"                                    \
    "      - {id: opp-after-account, type: compare, left: CloseDate, op: '>=',\n"                  \
    "         right: account.CreatedDate}\n"                                                       \
    "  account:\n    files: [\"Acc*.csv\"]\n    key: Id\n    null_values: "                        \
    "[\"000000000000000AAA\"]\n"                                                                   \
    "    types: {CreatedDate: date}\n"                                                             \
    "    rules:\n"                                                                                 \
    "      - {id: acc-parent, type: reference, field: ParentId, to: account}\n"

static result *run_two(pack *p, const char *opp, const char *acc)
{
    file_binding b[2] = {{fix_file("Opp.csv", opp), NULL}, {fix_file("Acc.csv", acc), NULL}};
    lint_options o = {.fail_on = SEV_ERROR, .files = b, .nfiles = 2};
    char err[512];
    result *r = engine_run(p, &o, err, sizeof err);
    if (r == NULL) ck_abort_msg("engine failed: %s", err);
    return r;
}

static const char *ACC = "Id,Name,Type,Industry,ParentId,CreatedDate\n"
                         "A1,Acme,Customer,Retail,,2026-01-10 00:00:00\n"
                         "A2,Beta,Customer,,A1,2026-01-01 00:00:00\n"
                         "A3,Gamma,Prospect,,A9,2026-01-01 00:00:00\n"
                         "A1,Acme dup,Prospect,,A4,2025-01-01 00:00:00\n"
                         "A4,Delta,Customer,Tech,000000000000000AAA,2026-01-01 00:00:00\n";

START_TEST(target_scanned_first_and_references_resolved)
{
    pack *p = fix_pack(PACK);
    ck_assert_int_eq(p->order[0], 1); /* account before opportunity */
    ck_assert_int_eq(p->order[1], 0);
    result *r = run_two(p,
                        "Id,AccountId,CloseDate\n"
                        "O1,A1,2026-02-01\n"
                        "O2,A7,2026-02-01\n"
                        "O3, A2 ,2026-02-01\n"
                        "O4,a1,2026-02-01\n",
                        ACC);
    ck_assert_uint_eq(fix_count(r, "opp-account"), 2);
    ck_assert_str_eq(fix_find(r, "opp-account", 0)->record, "O2");
    ck_assert_str_eq(fix_find(r, "opp-account", 0)->message, "AccountId A7 matches no account Id");
    ck_assert_str_eq(fix_find(r, "opp-account", 1)->record, "O4"); /* exact, case-sensitive */
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(self_reference_checked_after_whole_table)
{
    pack *p = fix_pack(PACK);
    result *r = run_two(p, "Id,AccountId,CloseDate\n", ACC);
    /* A2 -> A1 exists; A9 does not; A4 appears later in the file: fine. */
    ck_assert_uint_eq(fix_count(r, "acc-parent"), 1);
    const finding *f = fix_find(r, "acc-parent", 0);
    ck_assert_uint_eq(f->line, 4);
    ck_assert_str_eq(f->record, "A3");
    ck_assert_str_eq(f->value, "A9");
    ck_assert_uint_eq(fix_rule(r, "acc-parent")->checked, 3); /* the null id is empty */
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(lookup_values_in_rules_and_conditions)
{
    pack *p = fix_pack(PACK);
    result *r = run_two(p,
                        "Id,AccountId,CloseDate\n"
                        "O1,A1,2026-01-09\n" /* before A1's CreatedDate */
                        "O2,A2,2026-02-01\n" /* customer without industry */
                        "O3,A3,2026-02-01\n" /* prospect: not checked */
                        "O4,A7,2026-02-01\n" /* no such account: lookup empty */
                        "O5,,2026-02-01\n",
                        ACC);
    ck_assert_uint_eq(fix_count(r, "opp-industry"), 1);
    ck_assert_str_eq(fix_find(r, "opp-industry", 0)->record, "O2");
    ck_assert_str_eq(fix_find(r, "opp-industry", 0)->column, "account.Industry");
    ck_assert_str_eq(fix_find(r, "opp-industry", 0)->message, "account.Industry is empty");
    ck_assert_uint_eq(fix_rule(r, "opp-industry")->checked, 2); /* O1 and O2 are customers */
    /* first A1 wins (CreatedDate 2026-01-10), typed date by the target */
    ck_assert_uint_eq(fix_count(r, "opp-after-account"), 1);
    ck_assert_str_eq(fix_find(r, "opp-after-account", 0)->record, "O1");
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(skipped_when_target_has_no_file)
{
    pack *p = fix_pack(PACK);
    result *r = fix_run(p, "Opp.csv", "Id,AccountId,CloseDate\nO1,A1,2026-01-01\n");
    ck_assert_str_eq(fix_rule(r, "opp-account")->skipped, "no file bound to account");
    ck_assert_str_eq(fix_rule(r, "opp-industry")->skipped,
                     "no file bound to account (lookup account)");
    ck_assert_str_eq(fix_rule(r, "acc-parent")->skipped, "no file bound to account");
    ck_assert_uint_eq(r->summary.findings, 0);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(cycle_is_a_pack_error)
{
    const char *e = fix_pack_error(
        "version: 1\nobjects:\n"
        "  a:\n    key: Id\n    lookups: {b: {field: BId, to: b}}\n"
        "  b:\n    key: Id\n    rules:\n      - {id: r, type: reference, field: AId, to: a}\n");
    ck_assert_str_eq(e, "pack.yaml:5:18: objects depend on each other in a cycle (a -> b -> a) "
                        "through lookups or references");
}
END_TEST

START_TEST(unknown_target_is_a_pack_error)
{
    const char *e = fix_pack_error("version: 1\nobjects:\n  a:\n    key: Id\n    rules:\n"
                                   "      - {id: r, type: reference, field: X, to: nope}\n");
    ck_assert_str_eq(e, "pack.yaml:6:48: rule 'r' names object 'nope', which the pack does not "
                        "define");
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("crossobj");
    TCase *tc = tcase_create("crossobj");
    tcase_add_checked_fixture(tc, fix_setup, fix_teardown);
    tcase_add_test(tc, target_scanned_first_and_references_resolved);
    tcase_add_test(tc, self_reference_checked_after_whole_table);
    tcase_add_test(tc, lookup_values_in_rules_and_conditions);
    tcase_add_test(tc, skipped_when_target_has_no_file);
    tcase_add_test(tc, cycle_is_a_pack_error);
    tcase_add_test(tc, unknown_target_is_a_pack_error);
    suite_add_tcase(s, tc);
    return s;
}

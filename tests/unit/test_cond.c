/*
 * test_cond.c - `when` conditions: every leaf operator, ignore_case with
 * Unicode folding, combinators, and the null-aware view of values.
 */
#include "lintfix.h"
#include "unit.h"

#define HEAD                                                                                       \
    "version: 1\nobjects:\n  lead:\n    files: [\"Lead*.csv\"]\n    key: Id\n"                     \
    "    null_values: [\"null\"]\n    rules:\n"

/* Runs `required: [Flag]` under the condition and returns which ids were
 * checked, as a string like "1,3". */
static const char *checked_ids(const char *when)
{
    static char out[256];
    char yaml[1024];
    snprintf(yaml, sizeof yaml, HEAD "      - {id: r, type: required, fields: [Flag], when: %s}\n",
             when);
    pack *p = fix_pack(yaml);
    result *r = fix_run(p, "Lead.csv",
                        "Id,Flag,S,T\n"
                        "1,,Open,\n"
                        "2,,open,x\n"
                        "3,,ÉTÉ,null\n"
                        "4,,  Open  ,y\n"
                        "5,,Closed Won,\n");
    out[0] = '\0';
    for (size_t i = 0; i < r->nfindings; i++) {
        if (out[0]) strcat(out, ",");
        strcat(out, r->findings[i].record);
    }
    result_free(r);
    pack_free(p);
    return out;
}

START_TEST(equals_is_exact_on_trimmed_value)
{
    ck_assert_str_eq(checked_ids("{field: S, equals: Open}"), "1,4");
}
END_TEST

START_TEST(not_equals)
{
    ck_assert_str_eq(checked_ids("{field: S, not_equals: Open}"), "2,3,5");
}
END_TEST

START_TEST(in_and_not_in)
{
    ck_assert_str_eq(checked_ids("{field: S, in: [open, Closed Won]}"), "2,5");
    ck_assert_str_eq(checked_ids("{field: S, not_in: [open, Closed Won]}"), "1,3,4");
}
END_TEST

START_TEST(ignore_case_folds_unicode)
{
    ck_assert_str_eq(checked_ids("{field: S, equals: OPEN, ignore_case: true}"), "1,2,4");
    ck_assert_str_eq(checked_ids("{field: S, in: [été], ignore_case: true}"), "3");
}
END_TEST

START_TEST(empty_is_null_aware)
{
    ck_assert_str_eq(checked_ids("{field: T, empty: true}"), "1,3,5"); /* "null" is empty */
    ck_assert_str_eq(checked_ids("{field: T, empty: false}"), "2,4");
    ck_assert_str_eq(checked_ids("{field: T, equals: ''}"), "1,3,5"); /* empty reads as "" */
}
END_TEST

START_TEST(matches_is_unanchored_pcre)
{
    ck_assert_str_eq(checked_ids("{field: S, matches: 'pen'}"), "1,2,4");
    ck_assert_str_eq(checked_ids("{field: S, matches: '^O'}"), "1,4"); /* trimmed */
    ck_assert_str_eq(checked_ids("{field: S, matches: '^é', ignore_case: true}"), "3");
}
END_TEST

START_TEST(combinators)
{
    ck_assert_str_eq(checked_ids("{all: [{field: S, in: [Open, open]}, {field: T, empty: false}]}"),
                     "2,4");
    ck_assert_str_eq(checked_ids("{any: [{field: S, equals: Closed Won}, {field: T, equals: x}]}"),
                     "2,5");
    ck_assert_str_eq(
        checked_ids("{not: {any: [{field: S, equals: Closed Won}, {field: T, equals: x}]}}"),
        "1,3,4");
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("cond");
    TCase *tc = tcase_create("cond");
    tcase_add_checked_fixture(tc, fix_setup, fix_teardown);
    tcase_add_test(tc, equals_is_exact_on_trimmed_value);
    tcase_add_test(tc, not_equals);
    tcase_add_test(tc, in_and_not_in);
    tcase_add_test(tc, ignore_case_folds_unicode);
    tcase_add_test(tc, empty_is_null_aware);
    tcase_add_test(tc, matches_is_unanchored_pcre);
    tcase_add_test(tc, combinators);
    suite_add_tcase(s, tc);
    return s;
}

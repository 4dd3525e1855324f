/*
 * test_similarity.c - Jaro-Winkler on code points: published reference
 * pairs, the window and prefix edge cases, non-ASCII and invalid bytes, the
 * heap path for long strings and its allocation failure.
 */
#include <string.h>

#include "similarity.h"
#include "unit.h"
#include "xalloc.h"

#define TOL 1e-4

static double jw(const char *a, const char *b)
{
    return jaro_winkler(slice_of(a, strlen(a)), slice_of(b, strlen(b)));
}

START_TEST(reference_pairs)
{
    /* Winkler's paper and the usual textbook values. */
    ck_assert_double_eq_tol(jw("MARTHA", "MARHTA"), 0.961111, TOL);
    ck_assert_double_eq_tol(jw("DWAYNE", "DUANE"), 0.84, TOL);
    ck_assert_double_eq_tol(jw("DIXON", "DICKSONX"), 0.813333, TOL);
    ck_assert_double_eq_tol(jw("JONES", "JOHNSON"), 0.832381, TOL);
    /* No common prefix: plain Jaro. */
    ck_assert_double_eq_tol(jw("CRATE", "TRACE"), 0.733333, TOL);
    /* Symmetric. */
    ck_assert_double_eq_tol(jw("MARHTA", "MARTHA"), 0.961111, TOL);
    ck_assert_double_eq_tol(jw("DICKSONX", "DIXON"), 0.813333, TOL);
}
END_TEST

START_TEST(crm_values)
{
    /* The SPEC's example, on `lower` forms: prefix of 4 boosts it. */
    ck_assert_double_eq_tol(jw("acme corp", "acme corporation"), 0.9125, TOL);
    ck_assert_double_eq_tol(jw("salesforce", "salesforce.com"), 0.942857, TOL);
    ck_assert_double_eq_tol(jw("johnson & johnson", "johnson and johnson"), 0.906656, TOL);
    /* Case is the normaliser's job: different code points do not match. */
    ck_assert_double_eq_tol(jw("ACME", "acme"), 0.0, TOL);
}
END_TEST

START_TEST(identical_and_disjoint)
{
    ck_assert_double_eq(jw("Acme Corp", "Acme Corp"), 1.0);
    ck_assert_double_eq(jw("a", "a"), 1.0);
    ck_assert_double_eq(jw("abc", "xyz"), 0.0);
    ck_assert_double_eq(jw("a", "b"), 0.0);
    /* Window for length 2 is 0: a swap of two finds no match at all. */
    ck_assert_double_eq(jw("ab", "ba"), 0.0);
    ck_assert_double_eq_tol(jw("ab", "abc"), 0.911111, TOL);
}
END_TEST

START_TEST(empty_values)
{
    ck_assert_double_eq(jw("", ""), 1.0);
    ck_assert_double_eq(jw("", "a"), 0.0);
    ck_assert_double_eq(jw("acme", ""), 0.0);
    ck_assert_double_eq(jaro_winkler(slice_of(NULL, 0), slice_of(NULL, 0)), 1.0);
}
END_TEST

START_TEST(code_points)
{
    /* "müller" is 6 code points: by bytes (7 vs 7) the score would differ. */
    ck_assert_double_eq_tol(jw("m\xC3\xBCller", "mueller"), 0.804286, TOL);
    ck_assert_double_eq_tol(jw("stra\xC3\x9F"
                               "e",
                               "strasse"),
                            0.909524, TOL);
    ck_assert_double_eq_tol(jw("soci\xC3\xA9t\xC3\xA9 g\xC3\xA9n\xC3\xA9rale", "societe generale"),
                            0.866667, TOL);
    /* 日本語 / 日本人: three code points each, two shared in front. */
    ck_assert_double_eq_tol(
        jw("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", "\xE6\x97\xA5\xE6\x9C\xAC\xE4\xBA\xBA"),
        0.822222, TOL);
}
END_TEST

START_TEST(invalid_bytes)
{
    /* Each invalid byte is one code point, equal only to the same byte. */
    ck_assert_double_eq_tol(jw("\xFF"
                               "ab",
                               "\xFF"
                               "ac"),
                            0.822222, TOL);
    ck_assert_double_eq_tol(jw("\xFF"
                               "ab",
                               "\xFE"
                               "ab"),
                            0.777778, TOL);
    ck_assert_double_eq_tol(jw("a\xFF", "a\xFE"), 0.7, TOL);
    /* A genuine U+FFFD is not the invalid byte it would replace. */
    ck_assert_double_eq_tol(jw("\xEF\xBF\xBD"
                               "a",
                               "\xFF"
                               "a"),
                            0.666667, TOL);
    /* A truncated sequence is one code point per byte. */
    ck_assert_double_eq_tol(jw("\xC3", "\xC3"), 1.0, TOL);
    /* NUL is data. */
    ck_assert_double_eq_tol(jaro_winkler(slice_of("a\0b", 3), slice_of("a\0c", 3)), 0.822222, TOL);
}
END_TEST

static char *repeat(char c, size_t n)
{
    char *s = xmalloc(n + 1);
    ck_assert_ptr_nonnull(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

START_TEST(long_strings)
{
    /* 300 code points: past the stack arrays, compared in full. */
    char *a = repeat('a', 300), *b = repeat('a', 300), *x = repeat('x', 300);
    b[299] = 'b';
    ck_assert_double_eq_tol(jw(a, b), 0.998667, TOL);
    ck_assert_double_eq(jw(a, x), 0.0);
    ck_assert_double_eq(jw(a, a), 1.0);
    /* One long, one short. */
    ck_assert_double_eq_tol(jw(a, "aaa"), (3.0 / 300.0 + 1.0 + 1.0) / 3.0 * 0.7 + 0.3, TOL);
    /* 300 bytes but only 150 code points: stays on the stack. */
    char u[301];
    for (int i = 0; i < 150; i++) memcpy(u + 2 * i, "\xC3\xA9", 2);
    u[300] = '\0';
    ck_assert_double_eq(jw(u, u), 1.0);
    u[299] = '\xA8'; /* last é -> è */
    ck_assert_double_eq_tol(jw(u, "\xC3\xA9"), (1.0 / 150.0 + 1.0 + 1.0) / 3.0 * 0.9 + 0.1, TOL);
    xfree(a);
    xfree(b);
    xfree(x);
}
END_TEST

START_TEST(long_strings_oom)
{
    char *a = repeat('a', 300), *b = repeat('a', 300);
    b[0] = 'b';
    xalloc_fail_after(1);
    double r = jw(a, b);
    xalloc_fail_after(0);
    ck_assert_double_eq(r, -1.0);
    /* Short strings never allocate, so they work even when malloc fails. */
    xalloc_fail_after(1);
    r = jw("MARTHA", "MARHTA");
    unsigned long made = xalloc_fail_after(0);
    ck_assert_double_eq_tol(r, 0.961111, TOL);
    ck_assert_uint_eq(made, 0);
    xfree(a);
    xfree(b);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("similarity");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, reference_pairs);
    tcase_add_test(tc, crm_values);
    tcase_add_test(tc, identical_and_disjoint);
    tcase_add_test(tc, empty_values);
    tcase_add_test(tc, code_points);
    tcase_add_test(tc, invalid_bytes);
    tcase_add_test(tc, long_strings);
    tcase_add_test(tc, long_strings_oom);
    suite_add_tcase(s, tc);
    return s;
}

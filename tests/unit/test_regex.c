/*
 * test_regex.c - the PCRE2 wrapper: compile errors, searching, limits,
 * invalid UTF-8 and NUL bytes in subjects.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "regex.h"
#include "unit.h"
#include "xalloc.h"

/* A fresh space per search: what one search leaves in a space (the copy of
 * an invalid subject) must never matter to the next. */
static regex_result search_n(const regex *rx, const char *s, size_t n, bool valid)
{
    regex_space *sp = regex_space_new();
    ck_assert_ptr_nonnull(sp);
    regex_result r = regex_search(rx, sp, s, n, valid);
    regex_space_free(sp);
    return r;
}

static regex_result search(const regex *rx, const char *s, bool valid)
{
    return search_n(rx, s, strlen(s), valid);
}

START_TEST(compile_ok)
{
    char err[256] = "";
    regex *rx = regex_new("^[A-Z]{2}\\d+$", false, err, sizeof err);
    ck_assert_ptr_nonnull(rx);
    ck_assert_str_eq(regex_pattern(rx), "^[A-Z]{2}\\d+$");
    ck_assert_str_eq(err, "");
    ck_assert_int_eq(search(rx, "AB123", true), RX_MATCH);
    ck_assert_int_eq(search(rx, "ab123", true), RX_NOMATCH);
    ck_assert_int_eq(search(rx, "AB123x", true), RX_NOMATCH);
    ck_assert_int_eq(search(rx, "", true), RX_NOMATCH);
    regex_free(rx);
    regex_free(NULL);
}
END_TEST

START_TEST(compile_errors)
{
    char err[256];
    ck_assert_ptr_null(regex_new("(abc", false, err, sizeof err));
    ck_assert_str_eq(err, "invalid regex: missing closing parenthesis at offset 4");
    ck_assert_ptr_null(regex_new("a[b", false, err, sizeof err));
    ck_assert_str_eq(err, "invalid regex: missing terminating ] for character class at offset 3");
    ck_assert_ptr_null(regex_new("*a", false, err, sizeof err));
    ck_assert_str_eq(err,
                     "invalid regex: quantifier does not follow a repeatable item at offset 0");
    /* Invalid UTF-8 in the pattern itself. */
    ck_assert_ptr_null(regex_new("a\xFF", false, err, sizeof err));
    ck_assert(strncmp(err, "invalid regex: UTF-8 error", 26) == 0);
    /* A short err buffer is truncated, not overrun. */
    char small[10];
    ck_assert_ptr_null(regex_new("(", false, small, sizeof small));
    ck_assert_str_eq(small, "invalid r");
}
END_TEST

START_TEST(unanchored_search)
{
    char err[256];
    regex *rx = regex_new("\\d{3}", false, err, sizeof err);
    ck_assert_ptr_nonnull(rx);
    ck_assert_int_eq(search(rx, "call 555 now", true), RX_MATCH);
    ck_assert_int_eq(search(rx, "55 5", true), RX_NOMATCH);
    /* Reused match data: alternate results stay right. */
    for (int i = 0; i < 100; i++) {
        ck_assert_int_eq(search(rx, (i & 1) ? "x123" : "x12", true),
                         (i & 1) ? RX_MATCH : RX_NOMATCH);
    }
    regex_free(rx);
}
END_TEST

START_TEST(caseless_unicode)
{
    char err[256];
    regex *ci = regex_new("^caf\xC3\xA9$", true, err, sizeof err);
    regex *cs = regex_new("^caf\xC3\xA9$", false, err, sizeof err);
    ck_assert_ptr_nonnull(ci);
    ck_assert_ptr_nonnull(cs);
    ck_assert_int_eq(search(ci, "CAF\xC3\x89", true), RX_MATCH);
    ck_assert_int_eq(search(cs, "CAF\xC3\x89", true), RX_NOMATCH);
    ck_assert_int_eq(search(cs, "caf\xC3\xA9", true), RX_MATCH);
    regex_free(ci);
    regex_free(cs);

    /* UCP: \w and \d and \b are Unicode-aware; "." is one code point. */
    regex *w = regex_new("^\\w+$", false, err, sizeof err);
    ck_assert_int_eq(search(w, "\xC3\xA9t\xC3\xA9", true), RX_MATCH);
    regex_free(w);
    regex *dot = regex_new("^.$", false, err, sizeof err);
    ck_assert_int_eq(search(dot, "\xE2\x82\xAC", true), RX_MATCH);
    regex_free(dot);
}
END_TEST

START_TEST(nul_bytes)
{
    char err[256];
    regex *rx = regex_new("b$", false, err, sizeof err);
    ck_assert_ptr_nonnull(rx);
    ck_assert_int_eq(search_n(rx, "a\0b", 3, true), RX_MATCH);
    ck_assert_int_eq(search_n(rx, "a\0b", 2, true), RX_NOMATCH);
    regex_free(rx);
    regex *nul = regex_new("a\\x00b", false, err, sizeof err);
    ck_assert_ptr_nonnull(nul);
    ck_assert_int_eq(search_n(nul, "xa\0b", 4, true), RX_MATCH);
    ck_assert_int_eq(search_n(nul, "xa\0b", 4, false), RX_MATCH);
    regex_free(nul);
    regex *any = regex_new("", false, err, sizeof err);
    ck_assert_int_eq(search_n(any, NULL, 0, true), RX_MATCH);
    regex_free(any);
}
END_TEST

START_TEST(invalid_utf8_subject)
{
    char err[256];
    regex *rx = regex_new("^caf.$", false, err, sizeof err);
    ck_assert_ptr_nonnull(rx);
    /* Latin-1 e-acute: one invalid byte, searched as U+FFFD. */
    ck_assert_int_eq(search(rx, "caf\xE9", false), RX_MATCH);
    ck_assert_int_eq(search(rx, "caf\xE9\xE9", false), RX_NOMATCH);
    ck_assert_int_eq(search(rx, "caf\xC3\xA9", false), RX_MATCH); /* valid part kept */
    regex_free(rx);
    regex *fffd = regex_new("\\x{FFFD}{2}", false, err, sizeof err);
    ck_assert_int_eq(search(fffd, "ok\xC3\x28x\x80z", false), RX_NOMATCH);
    ck_assert_int_eq(search(fffd, "ok\x80\xFFz", false), RX_MATCH);
    /* Truncated sequence at the end. */
    ck_assert_int_eq(search(fffd, "\xE2\x82", false), RX_MATCH);
    /* Long invalid subjects grow the scratch buffer. */
    char big[5000];
    memset(big, 0xE9, sizeof big);
    ck_assert_int_eq(search_n(fffd, big, sizeof big, false), RX_MATCH);
    regex_free(fffd);
}
END_TEST

START_TEST(catastrophic)
{
    char err[256];
    regex *rx = regex_new("^(a+)+$", false, err, sizeof err);
    ck_assert_ptr_nonnull(rx);
    const char *s = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!";
    clock_t t0 = clock();
    regex_result r = search(rx, s, true);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ck_assert_int_eq(r, RX_LIMIT);
    ck_assert(secs < 5.0);
    /* Also via the invalid-subject path. */
    ck_assert_int_eq(search(rx, s, false), RX_LIMIT);
    /* The regex is still usable after giving up. */
    ck_assert_int_eq(search(rx, "aaaa", true), RX_MATCH);
    regex_free(rx);

    /* A repeated group over a 20,000-character value must not give up (the
     * JIT's default stack would at about 2,000). */
    regex *alt = regex_new("^(?:a|b)*$", false, err, sizeof err);
    char longv[20000];
    for (size_t i = 0; i < sizeof longv; i++) longv[i] = (i % 3) ? 'a' : 'b';
    regex_result lr = search_n(alt, longv, sizeof longv, true);
    regex_free(alt);
    ck_assert_int_eq(lr, RX_MATCH);
}
END_TEST

/* One compiled regex, searched from two threads at once, each with its own
 * space (the engine's checking threads share the pack's regexes): results
 * stay right, and TSan (make tsan) sees no race. */
typedef struct shared_search {
    const regex *rx;
    int matches;
} shared_search;

static void *search_many(void *arg)
{
    shared_search *job = arg;
    regex_space *sp = regex_space_new();
    for (int i = 0; sp && i < 2000; i++) {
        const char *subject = (i % 2) ? "AB12" : "caf\xE9"; /* invalid: the scratch path */
        if (regex_search(job->rx, sp, subject, strlen(subject), i % 2) == RX_MATCH) job->matches++;
    }
    regex_space_free(sp);
    return NULL;
}

START_TEST(shared_between_threads)
{
    char err[256];
    regex *rx = regex_new("^[A-Z]{2}\\d+$", false, err, sizeof err);
    ck_assert_ptr_nonnull(rx);
    shared_search jobs[2] = {{rx, 0}, {rx, 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, search_many, &jobs[i]), 0);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    ck_assert_int_eq(jobs[0].matches, 1000);
    ck_assert_int_eq(jobs[1].matches, 1000);
    /* Without a space (its creation failed) a search is an error, not a crash. */
    ck_assert_int_eq(regex_search(rx, NULL, "AB12", 4, true), RX_ERROR);
    regex_free(rx);
}
END_TEST

START_TEST(alloc_failures)
{
    /* Every allocation point fails cleanly, with no leak. */
    char err[256];
    bool succeeded = false;
    for (unsigned long n = 1; n < 50 && !succeeded; n++) {
        xalloc_fail_after(n);
        regex *rx = regex_new("^(a|b)c+$", true, err, sizeof err);
        xalloc_fail_after(0);
        if (rx == NULL) {
            ck_assert_str_eq(err, "out of memory");
        } else {
            succeeded = true;
            ck_assert_int_eq(search(rx, "ACCC", true), RX_MATCH);
            regex_free(rx);
        }
    }
    ck_assert(succeeded);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("regex");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, compile_ok);
    tcase_add_test(tc, compile_errors);
    tcase_add_test(tc, unanchored_search);
    tcase_add_test(tc, caseless_unicode);
    tcase_add_test(tc, nul_bytes);
    tcase_add_test(tc, invalid_utf8_subject);
    tcase_add_test(tc, catastrophic);
    tcase_add_test(tc, shared_between_threads);
    tcase_add_test(tc, alloc_failures);
    suite_add_tcase(s, tc);
    return s;
}

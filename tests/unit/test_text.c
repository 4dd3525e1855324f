/*
 * test_text.c - trimming, UTF-8 validation/decoding and case folding.
 */
#include <string.h>

#include "text.h"
#include "unit.h"
#include "xalloc.h"

static slice S(const char *s)
{
    return slice_of(s, strlen(s));
}

static bool trims_to(const char *in, size_t n, const char *want)
{
    slice t = text_trim(slice_of(in, n));
    return t.n == strlen(want) && memcmp(t.p, want, t.n) == 0;
}

START_TEST(trim_ascii)
{
    ck_assert(trims_to("  abc  ", 7, "abc"));
    ck_assert(trims_to("\t\r\n\v\fa b\n", 9, "a b"));
    ck_assert(trims_to("", 0, ""));
    ck_assert(trims_to("   ", 3, ""));
    ck_assert(trims_to("x", 1, "x"));
    /* NUL is data, not space. */
    ck_assert(trims_to(" \0 ", 3, "\0") == false);
    slice t = text_trim(slice_of(" \0 ", 3));
    ck_assert_uint_eq(t.n, 1);
    ck_assert_int_eq(t.p[0], '\0');
    /* U+001F is not White_Space. */
    ck_assert(trims_to("\x1f"
                       "a",
                       2,
                       "\x1f"
                       "a"));
}
END_TEST

START_TEST(trim_unicode)
{
    /* U+00A0, U+0085, U+3000, U+2003, U+202F, U+205F, U+1680, U+2028/9 */
    const char *in = "\xC2\xA0\xC2\x85\xE3\x80\x80\xE2\x80\x83"
                     "caf\xC3\xA9"
                     "\xE2\x80\xAF\xE2\x81\x9F\xE1\x9A\x80\xE2\x80\xA8\xE2\x80\xA9 ";
    ck_assert(trims_to(in, strlen(in), "caf\xC3\xA9"));
    ck_assert(trims_to("\xE2\x80\x8A"
                       "a\xE2\x80\x80",
                       7, "a"));
    /* U+200B ZERO WIDTH SPACE is not White_Space. */
    ck_assert(trims_to("\xE2\x80\x8B"
                       "a",
                       4,
                       "\xE2\x80\x8B"
                       "a"));
    /* A trailing "a0" continuation byte alone is not a space. */
    ck_assert(trims_to("a\xA0", 2, "a\xA0"));
    /* Invalid bytes are opaque non-space characters. */
    ck_assert(trims_to(" \xFF ", 3, "\xFF"));
    /* An invalid lead byte before a real NBSP: the NBSP is still trimmed. */
    ck_assert(trims_to("\xE4\xC2\xA0", 3, "\xE4"));
}
END_TEST

START_TEST(utf8_valid)
{
    ck_assert(text_utf8_valid("", 0));
    ck_assert(text_utf8_valid("hello world, long ascii text!", 29));
    ck_assert(text_utf8_valid("a\0b", 3));
    ck_assert(text_utf8_valid("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 14));
    ck_assert(text_utf8_valid("\xEF\xBF\xBD", 3));      /* U+FFFD itself */
    ck_assert(text_utf8_valid("\xF4\x8F\xBF\xBF", 4));  /* U+10FFFF */
    ck_assert(!text_utf8_valid("\xC0\xAF", 2));         /* overlong */
    ck_assert(!text_utf8_valid("\xE0\x80\xAF", 3));     /* overlong */
    ck_assert(!text_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    ck_assert(!text_utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
    ck_assert(!text_utf8_valid("abcdefgh\xC3", 9));     /* truncated */
    ck_assert(!text_utf8_valid("\x80", 1));
    ck_assert(!text_utf8_valid("\xFF", 1));
    ck_assert(!text_utf8_valid("abcdefghijklmno\xE9xyz", 19)); /* Latin-1 */
}
END_TEST

START_TEST(utf8_next_put)
{
    uint32_t cp;
    ck_assert_uint_eq(text_utf8_next("A", 1, &cp), 1);
    ck_assert_uint_eq(cp, 'A');
    ck_assert_uint_eq(text_utf8_next("\xE2\x82\xAC", 3, &cp), 3);
    ck_assert_uint_eq(cp, 0x20AC);
    ck_assert_uint_eq(text_utf8_next("\xF0\x9F\x98\x80", 4, &cp), 4);
    ck_assert_uint_eq(cp, 0x1F600);
    ck_assert_uint_eq(text_utf8_next("\xE2\x82", 2, &cp), 1);
    ck_assert_uint_eq(cp, 0xFFFD);
    ck_assert_uint_eq(text_utf8_next("\xE9t\xE9", 3, &cp), 1);
    ck_assert_uint_eq(cp, 0xFFFD);

    buf b = BUF_INIT;
    text_utf8_put(&b, 'x');
    text_utf8_put(&b, 0xE9);
    text_utf8_put(&b, 0x20AC);
    text_utf8_put(&b, 0x1F600);
    text_utf8_put(&b, 0xD800); /* not a scalar value */
    ck_assert_uint_eq(b.len, 1 + 2 + 3 + 4 + 3);
    ck_assert(memcmp(b.p, "x\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBF\xBD", b.len) == 0);
    buf_free(&b);
}
END_TEST

START_TEST(codepoints)
{
    ck_assert_uint_eq(text_codepoints(S("")), 0);
    ck_assert_uint_eq(text_codepoints(S("abc")), 3);
    ck_assert_uint_eq(text_codepoints(S("caf\xC3\xA9")), 4);
    ck_assert_uint_eq(text_codepoints(S("\xF0\x9F\x98\x80!")), 2);
    ck_assert_uint_eq(text_codepoints(slice_of("a\0b", 3)), 3);
    /* Invalid bytes count one each. */
    ck_assert_uint_eq(text_codepoints(S("\xE2\x82x\x80\x80")), 5);
}
END_TEST

static bool folds_to(const char *in, size_t n, const char *want)
{
    buf b = BUF_INIT;
    text_casefold(&b, slice_of(in, n));
    bool ok = b.len == strlen(want) && (b.len == 0 || memcmp(b.p, want, b.len) == 0);
    buf_free(&b);
    return ok;
}

START_TEST(casefold)
{
    ck_assert(folds_to("Hello WORLD 123", 15, "hello world 123"));
    ck_assert(folds_to("", 0, ""));
    /* Precomposed stays precomposed (no normalisation). */
    ck_assert(folds_to("CAF\xC3\x89", 5, "caf\xC3\xA9"));
    /* Decomposed stays decomposed. */
    ck_assert(folds_to("E\xCC\x81", 3, "e\xCC\x81"));
    /* Full folding: sharp s and capital sharp s to "ss". */
    ck_assert(folds_to("Stra\xC3\x9F"
                       "e",
                       7, "strasse"));
    ck_assert(folds_to("\xE1\xBA\x9E", 3, "ss"));
    /* Greek final sigma and capital sigma both fold to small sigma. */
    ck_assert(folds_to("\xCE\xA3\xCF\x82", 4, "\xCF\x83\xCF\x83"));
    /* Kelvin sign folds to ASCII k. */
    ck_assert(folds_to("\xE2\x84\xAA", 3, "k"));
    /* Invalid bytes become U+FFFD; NUL is kept. */
    ck_assert(folds_to("A\xFF\0B", 4, "a\xEF\xBF\xBD\0b") == false); /* strlen stops */
    buf b = BUF_INIT;
    text_casefold(&b, slice_of("A\xFF\0B", 4));
    ck_assert_uint_eq(b.len, 6);
    ck_assert(memcmp(b.p, "a\xEF\xBF\xBD\0b", 6) == 0);
    /* Appends rather than replaces. */
    text_casefold(&b, S("Z"));
    ck_assert_uint_eq(b.len, 7);
    ck_assert_int_eq(b.p[6], 'z');
    buf_free(&b);
}
END_TEST

START_TEST(eq_fold)
{
    ck_assert(text_eq_fold(S("Acme"), S("ACME")));
    ck_assert(text_eq_fold(S(""), S("")));
    ck_assert(!text_eq_fold(S("Acme"), S("Acme ")));
    ck_assert(!text_eq_fold(S("a"), S("")));
    ck_assert(!text_eq_fold(S("abc"), S("abd")));
    ck_assert(!text_eq_fold(S("@"), S("`"))); /* 0x40 vs 0x60: not letters */
    ck_assert(!text_eq_fold(S("["), S("{")));
    ck_assert(text_eq_fold(S("\xC3\x89tat"), S("\xC3\xA9TAT")));
    ck_assert(text_eq_fold(S("STRASSE"), S("stra\xC3\x9F"
                                           "e")));
    ck_assert(text_eq_fold(S("stra\xC3\x9F"
                             "e"),
                           S("STRASSE")));
    ck_assert(!text_eq_fold(S("stra\xC3\x9F"), S("STRASSE")));
    ck_assert(text_eq_fold(S("\xE2\x84\xAA"
                             "elvin"),
                           S("kELVIN")));
    /* Precomposed and decomposed are different under folding alone. */
    ck_assert(!text_eq_fold(S("\xC3\xA9"), S("e\xCC\x81")));
    ck_assert(text_eq_fold(slice_of("a\0B", 3), slice_of("A\0b", 3)));
    ck_assert(!text_eq_fold(slice_of("a\0", 2), slice_of("a", 1)));
    /* Invalid bytes equal only the same invalid byte. */
    ck_assert(text_eq_fold(S("x\xFF"), S("X\xFF")));
    ck_assert(!text_eq_fold(S("x\xFF"), S("x\xFE")));
    ck_assert(!text_eq_fold(S("x\xFF"), S("x\xEF\xBF\xBD")));
}
END_TEST

START_TEST(eq_fold_no_alloc)
{
    /* The ASCII and the Unicode paths must not allocate. */
    xalloc_fail_after(1);
    ck_assert(text_eq_fold(S("Hello"), S("hELLO")));
    ck_assert(text_eq_fold(S("\xC3\x89T\xC3\x89"), S("\xC3\xA9t\xC3\xA9")));
    unsigned long made = xalloc_fail_after(0);
    ck_assert_uint_eq(made, 0);
}
END_TEST

START_TEST(casefold_oom)
{
    buf b = BUF_INIT;
    xalloc_fail_after(1);
    text_casefold(&b, S("ABC"));
    xalloc_fail_after(0);
    ck_assert(b.oom);
    buf_free(&b);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, trim_ascii);
    tcase_add_test(tc, trim_unicode);
    tcase_add_test(tc, utf8_valid);
    tcase_add_test(tc, utf8_next_put);
    tcase_add_test(tc, codepoints);
    tcase_add_test(tc, casefold);
    tcase_add_test(tc, eq_fold);
    tcase_add_test(tc, eq_fold_no_alloc);
    tcase_add_test(tc, casefold_oom);
    suite_add_tcase(s, tc);
    return s;
}

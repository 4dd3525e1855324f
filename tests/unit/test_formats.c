/*
 * test_formats.c - the format kinds, hand-written matchers checked against
 * explicit cases and, for the regex-defined kinds, against the SPEC's regex
 * itself (PCRE2) on many generated strings.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "regex.h"
#include "unit.h"

static bool chk(format_kind k, const char *s)
{
    return format_check(k, slice_of(s, strlen(s)));
}

START_TEST(kind_names)
{
    format_kind k;
    ck_assert(format_kind_parse("email", &k));
    ck_assert_int_eq(k, FMT_EMAIL);
    ck_assert(format_kind_parse("salesforce_id", &k));
    ck_assert_int_eq(k, FMT_SALESFORCE_ID);
    ck_assert(format_kind_parse("uuid", &k));
    ck_assert_int_eq(k, FMT_UUID);
    ck_assert(!format_kind_parse("Email", &k));
    ck_assert(!format_kind_parse("", &k));
    ck_assert(!format_kind_parse("ip", &k));
    for (int i = 0; i < FMT__COUNT; i++) {
        ck_assert(format_kind_parse(format_kind_name((format_kind)i), &k));
        ck_assert_int_eq(k, i);
        ck_assert_ptr_nonnull(format_kind_phrase((format_kind)i));
    }
    ck_assert_str_eq(format_kind_name(FMT_DATETIME), "datetime");
    ck_assert_str_eq(format_kind_phrase(FMT_EMAIL), "an email address");
    ck_assert_str_eq(format_kind_phrase(FMT_PHONE), "a phone number");
}
END_TEST

START_TEST(email)
{
    static const char *good[] = {
        "bob@example.com",
        "a.b+tag@sub.example.co.uk",
        "x@a-b.io",
        "o'neil@example.ie",
        "a!#$%&'*+/=?^_`{|}~-@ex.org",
        "..@ex.org",
        "1@2.ab",
        "U@EXAMPLE.COM",
        "a@b-c-d.e-f.gh",
    };
    static const char *bad[] = {
        "",
        "bob",
        "bob@",
        "@example.com",
        "bob@@example.com",
        "bob@example",
        "bob@example.c",
        "bob@-ex.com",
        "bob@ex-.com",
        "bob@ex..com",
        "bob@.ex.com",
        "bob@ex.com.",
        "bob@ex.c0m",
        "bob@ex.com1",
        "bob smith@ex.com",
        "bob@ex_ample.com",
        "b\"ob@ex.com",
        "bob@ex.com ",
        "bob@[1.2.3.4]",
        "b(o)b@ex.com",
        "bob@ex.com@ex.com",
        "j\xC3\xB6rg@ex.com",
        "bob@m\xC3\xBCnchen.de",
        "bob@ex.-com",
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        ck_assert_msg(chk(FMT_EMAIL, good[i]), "%s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(!chk(FMT_EMAIL, bad[i]), "%s", bad[i]);
    ck_assert(!format_check(FMT_EMAIL, slice_of("a@b.co\0m", 8)));
    ck_assert(format_check(FMT_EMAIL, slice_of("a@b.com\0", 7)));
}
END_TEST

/* Deterministic generator of short strings over an alphabet. */
static unsigned long lcg_next(unsigned long *s)
{
    *s = *s * 6364136223846793005ul + 1442695040888963407ul;
    return *s >> 33;
}

/* Compares the checker with the SPEC regex (fully matched) on strings
 * made of up to 7 random tokens. */
static void differential(format_kind k, const char *spec_regex, const char *const *tokens,
                         int iters)
{
    char pat[600], err[256];
    snprintf(pat, sizeof pat, "^(?:%s)\\z", spec_regex);
    regex *rx = regex_new(pat, false, err, sizeof err);
    ck_assert_msg(rx != NULL, "%s", err);
    regex_space *sp = regex_space_new();
    ck_assert_ptr_nonnull(sp);
    size_t nt = 0;
    while (tokens[nt]) nt++;
    unsigned long seed = 12345;
    int matched = 0;
    for (int it = 0; it < iters; it++) {
        char s[64];
        size_t len = 0, ntok = lcg_next(&seed) % 8;
        for (size_t i = 0; i < ntok; i++) {
            const char *t = tokens[lcg_next(&seed) % nt];
            memcpy(s + len, t, strlen(t));
            len += strlen(t);
        }
        bool want = regex_search(rx, sp, s, len, true) == RX_MATCH;
        bool got = format_check(k, slice_of(s, len));
        if (want != got) {
            s[len] = '\0';
            regex_free(rx);
            regex_space_free(sp);
            ck_abort_msg("kind %s on '%s': regex says %d, checker says %d", format_kind_name(k), s,
                         want, got);
        }
        matched += want;
    }
    regex_free(rx);
    regex_space_free(sp);
    /* The generator must reach both answers, or the comparison is vacuous. */
    ck_assert_int_gt(matched, iters / 2000);
    ck_assert_int_lt(matched, iters - iters / 2000);
}

START_TEST(email_vs_regex)
{
    static const char *const tokens[] = {"a",   "Zb", "1",        "@", "@",  ".",   ".",
                                         "-",   "+",  "_",        " ", "co", "x-y", ".io",
                                         ".io", "9",  "\xC3\xA9", "!", "Ab", NULL};
    differential(FMT_EMAIL,
                 "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                 "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\\.[A-Za-z]{2,}",
                 tokens, 400000);
}
END_TEST

START_TEST(number_vs_regex)
{
    static const char *const num_tokens[] = {"0", "12", "9", ".", "e", "E",
                                             "+", "-",  "x", " ", NULL};
    differential(FMT_NUMBER, "[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?",
                 num_tokens, 300000);
    static const char *const int_tokens[] = {"0", "19", "+", "-", " ", ".", NULL};
    differential(FMT_INTEGER, "[+-]?[0-9]+", int_tokens, 100000);
}
END_TEST

START_TEST(phone)
{
    static const char *good[] = {
        "5551234",           "+1 (555) 123-4567",    "555.123.4567",        "+44 20 7946 0958",
        "(555)1234567 x89",  "555-123-4567 ext. 12", "555-123-4567 EXT 12", "555-123-4567Ext.12",
        "555-123-4567x1",    "123456789012345",      "+123456789012345",    "555 123 4567 X 99",
        "(+1) 555 123 4567",
    };
    static const char *bad[] = {
        "555123",
        "1234567890123456",
        "++15551234567",
        "1+5551234567",
        "555-123-4567 x",
        "555-123-4567 ext",
        "555/123/4567",
        "555 123 4567 #12",
        "call 5551234567",
        "+",
        "x1234567",
        "555\xC2\xA0"
        "1234567",
        "555-123-4567 x 12 x 3",
        "\xEF\xBC\x95\xEF\xBC\x95\xEF\xBC\x95"
        "1234567",
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        ck_assert_msg(chk(FMT_PHONE, good[i]), "%s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(!chk(FMT_PHONE, bad[i]), "%s", bad[i]);
}
END_TEST

START_TEST(url)
{
    static const char *good[] = {
        "example.com",          "www.example.com",        "http://example.com",
        "HTTPS://Example.COM",  "https://a.b.c/path?q=1", "example.com:8080",
        "example.com:8080/x#y", "example.com?x",          "example.com#frag",
        "192.168.0.1",          "my-site.co.uk/",         "http://x.y/a b",
    };
    static const char *bad[] = {
        "example",           "http://example",
        "ftp://example.com", "example..com",
        ".example.com",      "example.com.",
        "example.com:",      "example.com:80a",
        "http//example.com", "https:/example.com",
        "user@example.com",  "exa_mple.com",
        "example.com x",     "http://",
        "://example.com",    "m\xC3\xBCnchen.de",
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        ck_assert_msg(chk(FMT_URL, good[i]), "%s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(!chk(FMT_URL, bad[i]), "%s", bad[i]);
}
END_TEST

START_TEST(numbers_and_booleans)
{
    ck_assert(chk(FMT_NUMBER, "42"));
    ck_assert(chk(FMT_NUMBER, "-3.5e-2"));
    ck_assert(chk(FMT_NUMBER, "+.5"));
    ck_assert(chk(FMT_NUMBER, "5."));
    ck_assert(chk(FMT_NUMBER, "1E10"));
    ck_assert(!chk(FMT_NUMBER, "."));
    ck_assert(!chk(FMT_NUMBER, "1,000"));
    ck_assert(!chk(FMT_NUMBER, "1e"));
    ck_assert(!chk(FMT_NUMBER, "0x10"));
    ck_assert(!chk(FMT_NUMBER, "inf"));
    ck_assert(!chk(FMT_NUMBER, "NaN"));
    ck_assert(!chk(FMT_NUMBER, "\xD9\xA3")); /* Arabic-Indic three */
    ck_assert(chk(FMT_INTEGER, "-007"));
    ck_assert(!chk(FMT_INTEGER, "1.0"));
    ck_assert(!chk(FMT_INTEGER, "-"));
    const char *yes[] = {"true", "FALSE", "Yes", "nO", "1", "0"};
    const char *no[] = {"t", "y", "2", "01", "on", "off", "truee", "-1"};
    for (size_t i = 0; i < 6; i++) ck_assert_msg(chk(FMT_BOOLEAN, yes[i]), "%s", yes[i]);
    for (size_t i = 0; i < 8; i++) ck_assert_msg(!chk(FMT_BOOLEAN, no[i]), "%s", no[i]);
}
END_TEST

static double num(const char *s)
{
    double d = NAN;
    ck_assert_msg(format_parse_number(slice_of(s, strlen(s)), &d), "%s", s);
    return d;
}

START_TEST(parse_number)
{
    double d = 7;
    ck_assert_double_eq(num("42"), 42.0);
    ck_assert_double_eq(num("-3.5"), -3.5);
    ck_assert_double_eq(num("+.25"), 0.25);
    ck_assert_double_eq(num("5."), 5.0);
    ck_assert_double_eq(num("1.5e3"), 1500.0);
    ck_assert_double_eq(num("2E-2"), 0.02);
    ck_assert_double_eq(num("0.1"), 0.1);
    ck_assert_double_eq(num("000123.4500"), 123.45);
    ck_assert_double_eq(num("0"), 0.0);
    ck_assert(signbit(num("-0.0")));
    /* Long mantissas are shortened before strtod: same double. */
    const char *longs[] = {"123456789012345678901234567890123456789012345678901234567890",
                           "0.000000000000000000000000000000000000000000000000000000012345",
                           "3.14159265358979323846264338327950288419716939937510582097494",
                           "-98765432109876543210.98765432109876543210e-15"};
    for (size_t i = 0; i < 4; i++) ck_assert_double_eq(num(longs[i]), strtod(longs[i], NULL));
    ck_assert_double_eq(num("9007199254740993"), 9007199254740992.0);
    ck_assert(isinf(num("1e99999999999999999999")));
    ck_assert_double_eq(num("1e-99999999999999999999"), 0.0);
    ck_assert(!format_parse_number(SLICE_LIT("1,5"), &d));
    ck_assert(!format_parse_number(SLICE_LIT(""), &d));
    ck_assert_double_eq(d, 7); /* untouched on failure */
    /* The slice end is respected: no reading past it. */
    ck_assert(format_parse_number(slice_of("12345", 2), &d));
    ck_assert_double_eq(d, 12.0);
}
END_TEST

START_TEST(salesforce_id)
{
    char suf[3];
    format_sfid_suffix("001A0000006Vm9r", suf);
    ck_assert(memcmp(suf, "IAC", 3) == 0);
    format_sfid_suffix("000000000000000", suf);
    ck_assert(memcmp(suf, "AAA", 3) == 0);
    format_sfid_suffix("ZZZZZZZZZZZZZZZ", suf);
    ck_assert(memcmp(suf, "555", 3) == 0);
    format_sfid_suffix("Abcdeabcdeabcde", suf);
    ck_assert(memcmp(suf, "BAA", 3) == 0);
    format_sfid_suffix("aaaaEaaaaaaaaaa", suf);
    ck_assert(memcmp(suf, "QAA", 3) == 0);
    ck_assert(chk(FMT_SALESFORCE_ID, "001A0000006Vm9r"));
    ck_assert(chk(FMT_SALESFORCE_ID, "001A0000006Vm9rIAC"));
    ck_assert(chk(FMT_SALESFORCE_ID, "000000000000000AAA"));
    ck_assert(!chk(FMT_SALESFORCE_ID, "001A0000006Vm9rIAD"));
    ck_assert(!chk(FMT_SALESFORCE_ID, "001A0000006Vm9riac"));
    ck_assert(!chk(FMT_SALESFORCE_ID, "001a0000006Vm9rIAC")); /* case changed */
    ck_assert(!chk(FMT_SALESFORCE_ID, "001A0000006Vm9"));
    ck_assert(!chk(FMT_SALESFORCE_ID, "001A0000006Vm9rI"));
    ck_assert(!chk(FMT_SALESFORCE_ID, "001A0000006Vm-r"));
}
END_TEST

START_TEST(country_currency)
{
    const char *countries[] = {"AD", "US", "GB", "DE", "ZW", "SS", "BQ", "CW", "SX", "AX", "TW"};
    for (size_t i = 0; i < sizeof countries / sizeof *countries; i++)
        ck_assert_msg(chk(FMT_COUNTRY, countries[i]), "%s", countries[i]);
    const char *not_countries[] = {"UK", "XK", "EU", "us", "Us", "USA",
                                   "U",  "",   "AA", "ZZ", "YU", "AN"};
    for (size_t i = 0; i < sizeof not_countries / sizeof *not_countries; i++)
        ck_assert_msg(!chk(FMT_COUNTRY, not_countries[i]), "%s", not_countries[i]);
    const char *currencies[] = {"AED", "USD", "EUR", "JPY", "ZWG", "VES", "MRU", "STN", "SLE",
                                "XAU", "XDR", "XXX", "XTS", "CHE", "USN", "VED", "XCG", "ZMW"};
    for (size_t i = 0; i < sizeof currencies / sizeof *currencies; i++)
        ck_assert_msg(chk(FMT_CURRENCY, currencies[i]), "%s", currencies[i]);
    const char *not_currencies[] = {"usd", "HRK", "SLL", "ZWL",  "VEF", "MRO", "STD",
                                    "DEM", "BTC", "US",  "USDD", "AAA", "ZZZ", "EU"};
    for (size_t i = 0; i < sizeof not_currencies / sizeof *not_currencies; i++)
        ck_assert_msg(!chk(FMT_CURRENCY, not_currencies[i]), "%s", not_currencies[i]);
}
END_TEST

/* Every two-letter upper-case code agrees with the list: exactly 249 hits. */
START_TEST(country_count)
{
    int hits = 0, cur = 0;
    char s[3];
    for (char a = 'A'; a <= 'Z'; a++) {
        for (char b = 'A'; b <= 'Z'; b++) {
            s[0] = a, s[1] = b;
            hits += format_check(FMT_COUNTRY, slice_of(s, 2));
            for (char c = 'A'; c <= 'Z'; c++) {
                char t[3] = {a, b, c};
                cur += format_check(FMT_CURRENCY, slice_of(t, 3));
            }
        }
    }
    ck_assert_int_eq(hits, 249);
    ck_assert_int_eq(cur, 180);
}
END_TEST

START_TEST(uuid)
{
    ck_assert(chk(FMT_UUID, "123e4567-e89b-12d3-a456-426614174000"));
    ck_assert(chk(FMT_UUID, "123E4567-E89B-12D3-A456-426614174000"));
    ck_assert(!chk(FMT_UUID, "{123e4567-e89b-12d3-a456-426614174000}"));
    ck_assert(!chk(FMT_UUID, "123e4567e89b12d3a456426614174000"));
    ck_assert(!chk(FMT_UUID, "123e4567-e89b-12d3-a456-42661417400g"));
    ck_assert(!chk(FMT_UUID, "123e4567-e89b-12d3-a4564-26614174000"));
    ck_assert(!chk(FMT_UUID, "123e4567-e89b-12d3-a456-4266141740000"));
    ck_assert(!chk(FMT_DATE, "2024-01-01")); /* needs format_check_date */
}
END_TEST

static bool chkd(format_kind k, const dt_parser *p, bool typed, const char *s)
{
    return format_check_date(k, p, typed, slice_of(s, strlen(s)));
}

START_TEST(dates)
{
    char err[256];
    tz_zone *z = tz_load("UTC", err, sizeof err);
    ck_assert_msg(z != NULL, "%s", err);
    const char *fmts[] = {"%m/%d/%Y", "%m/%d/%Y %H:%M"};
    dt_parser *p = dt_parser_new(z, fmts, 2, err, sizeof err);
    ck_assert_msg(p != NULL, "%s", err);

    ck_assert(chkd(FMT_DATE, p, false, "2024-02-29"));
    ck_assert(chkd(FMT_DATE, p, false, "2024-02-29 00:00"));
    ck_assert(chkd(FMT_DATE, p, false, "2024-02-29T00:00:00"));
    ck_assert(chkd(FMT_DATE, p, false, "02/29/2024"));
    ck_assert(!chkd(FMT_DATE, p, false, "2024-02-29T00:00:00Z"));
    ck_assert(!chkd(FMT_DATE, p, false, "2024-02-29T00:00:00.5"));
    ck_assert(!chkd(FMT_DATE, p, false, "2024-02-29 09:30"));
    ck_assert(!chkd(FMT_DATE, p, false, "2023-02-29"));
    ck_assert(!chkd(FMT_DATE, p, false, "tomorrow"));
    /* A date-typed column accepts any parseable value. */
    ck_assert(chkd(FMT_DATE, p, true, "2024-02-29 09:30"));
    ck_assert(chkd(FMT_DATE, p, true, "2024-02-29T00:00:00Z"));
    ck_assert(!chkd(FMT_DATE, p, true, "2024-02-30"));

    ck_assert(chkd(FMT_DATETIME, p, false, "2024-02-29"));
    ck_assert(chkd(FMT_DATETIME, p, false, "2024-02-29T13:45:10.123+05:30"));
    ck_assert(chkd(FMT_DATETIME, p, false, "02/29/2024 13:45"));
    ck_assert(!chkd(FMT_DATETIME, p, false, "2024-02-29 25:00"));
    ck_assert(!chkd(FMT_DATETIME, p, false, "29.02.2024"));
    /* Other kinds pass through to format_check. */
    ck_assert(chkd(FMT_EMAIL, p, false, "a@b.cd"));
    ck_assert(!chkd(FMT_EMAIL, p, true, "a@b"));

    dt_parser_free(p);
    tz_free(z);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("formats");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, kind_names);
    tcase_add_test(tc, email);
    tcase_add_test(tc, email_vs_regex);
    tcase_add_test(tc, number_vs_regex);
    tcase_add_test(tc, phone);
    tcase_add_test(tc, url);
    tcase_add_test(tc, numbers_and_booleans);
    tcase_add_test(tc, parse_number);
    tcase_add_test(tc, salesforce_id);
    tcase_add_test(tc, country_currency);
    tcase_add_test(tc, country_count);
    tcase_add_test(tc, uuid);
    tcase_add_test(tc, dates);
    suite_add_tcase(s, tc);
    return s;
}

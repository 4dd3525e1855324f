/*
 * test_normalize.c - the seven normalisers on real-looking CRM values
 * (Salesforce/HubSpot-style names, phones, e-mails and websites), plus
 * appending to a non-empty buffer, NUL and invalid bytes, and out of memory.
 */
#include <string.h>

#include "normalize.h"
#include "unit.h"
#include "xalloc.h"

static slice S(const char *s)
{
    return slice_of(s, strlen(s));
}

/* Normalises a NUL-terminated input and compares the whole output. */
#define CHECK(norm, in, cc, want)                                                                  \
    do {                                                                                           \
        buf b_ = BUF_INIT;                                                                         \
        normalize((norm), S(in), (cc), &b_);                                                       \
        ck_assert(!b_.oom);                                                                        \
        ck_assert_str_eq(b_.p ? b_.p : "", (want));                                                \
        ck_assert_uint_eq(b_.len, strlen(want));                                                   \
        buf_free(&b_);                                                                             \
    } while (0)

START_TEST(names)
{
    static const char *const all[] = {"exact", "trim",    "lower", "email",
                                      "phone", "company", "domain"};
    for (int k = 0; k < 7; k++) {
        normalizer n = NORM_DOMAIN;
        ck_assert(normalizer_parse(all[k], &n));
        ck_assert_int_eq(n, k);
        ck_assert_str_eq(normalizer_name(n), all[k]);
    }
    normalizer n = NORM_PHONE;
    ck_assert(!normalizer_parse("Lower", &n));
    ck_assert(!normalizer_parse("", &n));
    ck_assert(!normalizer_parse("emails", &n));
    ck_assert_int_eq(n, NORM_PHONE); /* untouched on failure */
    ck_assert_str_eq(normalizer_name((normalizer)99), "unknown");
}
END_TEST

START_TEST(exact_trim_lower_email)
{
    CHECK(NORM_EXACT, "  Acme Corp\t", NULL, "  Acme Corp\t");
    CHECK(NORM_EXACT, "", NULL, "");
    CHECK(NORM_TRIM, "  Acme Corp\t", NULL, "Acme Corp");
    CHECK(NORM_TRIM, "\xC2\xA0J\xC3\xBCrgen\xE3\x80\x80", NULL, "J\xC3\xBCrgen");
    CHECK(NORM_TRIM, " \t ", NULL, "");
    CHECK(NORM_LOWER,
          "  Stra\xC3\x9F"
          "e ",
          NULL, "strasse");
    CHECK(NORM_LOWER, "M\xC3\x9CLLER", NULL, "m\xC3\xBCller");
    CHECK(NORM_LOWER, "\xC3\x89LODIE Dupont", NULL, "\xC3\xA9lodie dupont");
    CHECK(NORM_EMAIL, " Bob.Smith+tag@Example.COM ", NULL, "bob.smith+tag@example.com");
    CHECK(NORM_EMAIL, "J\xC3\x96RG@M\xC3\x9CLLER.DE", NULL, "j\xC3\xB6rg@m\xC3\xBCller.de");

    /* exact keeps NUL bytes and trim treats them as data. */
    buf b = BUF_INIT;
    normalize(NORM_EXACT, slice_of(" a\0b ", 5), NULL, &b);
    ck_assert_uint_eq(b.len, 5);
    ck_assert_mem_eq(b.p, " a\0b ", 5);
    buf_reset(&b);
    normalize(NORM_TRIM, slice_of(" a\0b ", 5), NULL, &b);
    ck_assert_uint_eq(b.len, 3);
    ck_assert_mem_eq(b.p, "a\0b", 3);
    /* An invalid byte folds to U+FFFD instead of failing the value. */
    buf_reset(&b);
    normalize(NORM_LOWER, S("M\xFCLLER"), NULL, &b);
    ck_assert_str_eq(b.p, "m\xEF\xBF\xBDller");
    buf_free(&b);
}
END_TEST

START_TEST(phone_default_cc)
{
    CHECK(NORM_PHONE, "(415) 555-0100", "1", "14155550100");
    CHECK(NORM_PHONE, "415.555.0100", "1", "14155550100");
    /* Already starts with the country code and has 11 digits: kept. */
    CHECK(NORM_PHONE, "1-415-555-0100", "1", "14155550100");
    CHECK(NORM_PHONE, "1 (415) 555-0100", "1", "14155550100");
    /* Starts with "1" but has only 10 digits: a national number. */
    CHECK(NORM_PHONE, "141-555-0100", "1", "11415550100");
    /* Short local numbers get the code too. */
    CHECK(NORM_PHONE, "Tel: 555 0100", "1", "15550100");
    /* UK national number, cc 44: trunk zero is not dropped. */
    CHECK(NORM_PHONE, "020 7946 0958", "44", "4402079460958");
    CHECK(NORM_PHONE, "44 20 7946 0958", "44", "442079460958");
    /* Only the digits of the setting count. */
    CHECK(NORM_PHONE, "(415) 555-0100", "+1", "14155550100");
    /* No default country code: just the digits. */
    CHECK(NORM_PHONE, "(415) 555-0100", NULL, "4155550100");
    CHECK(NORM_PHONE, "(415) 555-0100", "", "4155550100");
}
END_TEST

START_TEST(phone_international)
{
    CHECK(NORM_PHONE, "+44 20 7946 0958", "1", "442079460958");
    CHECK(NORM_PHONE, "0044 20 7946 0958", "1", "442079460958");
    CHECK(NORM_PHONE, "00 44 20 7946 0958", "1", "442079460958");
    CHECK(NORM_PHONE, "(+44) 20 7946 0958", "1", "442079460958");
    CHECK(NORM_PHONE, "+1 (415) 555-0100", "1", "14155550100");
    CHECK(NORM_PHONE, "+49 (0)30 1234567", "1", "490301234567");
    /* A '+' after the first digit does not mark anything. */
    CHECK(NORM_PHONE, "415+555", "1", "1415555");
}
END_TEST

START_TEST(phone_extensions)
{
    CHECK(NORM_PHONE, "415.555.0100 x12", "1", "14155550100");
    CHECK(NORM_PHONE, "415-555-0100x12", "1", "14155550100");
    CHECK(NORM_PHONE, "415-555-0100 X 12", "1", "14155550100");
    CHECK(NORM_PHONE, "415-555-0100 ext. 123", "1", "14155550100");
    CHECK(NORM_PHONE, "415-555-0100 EXT 123", "1", "14155550100");
    CHECK(NORM_PHONE, "+44 20 7946 0958 Ext.7", "1", "442079460958");
    /* Only a final extension: "x" without digits after it is just noise. */
    CHECK(NORM_PHONE, "415-555-0100 x", "1", "14155550100");
}
END_TEST

START_TEST(phone_no_digits)
{
    CHECK(NORM_PHONE, "", "1", "");
    CHECK(NORM_PHONE, "   ", "1", "");
    CHECK(NORM_PHONE, "n/a", "1", "");
    CHECK(NORM_PHONE, "+", "1", "");
    CHECK(NORM_PHONE, "x123", "1", "");
    CHECK(NORM_PHONE, "00", "1", "");
    /* Full-width digits are not ASCII digits. */
    CHECK(NORM_PHONE, "\xEF\xBC\x94\xEF\xBC\x91\xEF\xBC\x95", "1", "");
}
END_TEST

START_TEST(company_legal_forms)
{
    CHECK(NORM_COMPANY, "Acme Corp", NULL, "acme");
    CHECK(NORM_COMPANY, "ACME Corporation", NULL, "acme");
    CHECK(NORM_COMPANY, "ACME, Inc.", NULL, "acme");
    CHECK(NORM_COMPANY, "M\xC3\xBCller GmbH", NULL, "m\xC3\xBCller");
    CHECK(NORM_COMPANY, "Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale S.A.", NULL,
          "soci\xC3\xA9t\xC3\xA9 g\xC3\xA9n\xC3\xA9rale");
    CHECK(NORM_COMPANY, "Siemens AG", NULL, "siemens");
    CHECK(NORM_COMPANY, "Tesco PLC", NULL, "tesco");
    CHECK(NORM_COMPANY, "Stripe, L.L.C.", NULL, "stripe");
    CHECK(NORM_COMPANY, "Acme Widgets (UK) Limited", NULL, "acme widgets uk");
    /* Removed repeatedly. */
    CHECK(NORM_COMPANY, "Smith & Co., Ltd.", NULL, "smith");
    CHECK(NORM_COMPANY, "Acme Holdings Co Inc", NULL, "acme holdings");
    CHECK(NORM_COMPANY, "Bank of America Corp.", NULL, "bank of america");
    /* The last word too: a name that is only a legal form has no key. */
    CHECK(NORM_COMPANY, "Co", NULL, "");
    CHECK(NORM_COMPANY, "Inc. Ltd.", NULL, "");
    CHECK(NORM_COMPANY, "L.L.C.", NULL, "");
    /* Only trailing words, only whole words, only the listed ones. */
    CHECK(NORM_COMPANY, "Inc Acme", NULL, "inc acme");
    CHECK(NORM_COMPANY, "The Acme Co-op", NULL, "the acme co op");
    CHECK(NORM_COMPANY, "Acme Incorporated", NULL, "acme incorporated");
    CHECK(NORM_COMPANY, "Acme Company", NULL, "acme company");
    CHECK(NORM_COMPANY, "Costco", NULL, "costco");
    CHECK(NORM_COMPANY,
          "Stra\xC3\x9F"
          "e AG",
          NULL, "strasse");
}
END_TEST

START_TEST(company_punctuation)
{
    /* '.' and apostrophes are deleted, joining the pieces. */
    CHECK(NORM_COMPANY, "O'Reilly Media, Inc.", NULL, "oreilly media");
    CHECK(NORM_COMPANY, "McDonald\xE2\x80\x99s Corporation", NULL, "mcdonalds");
    CHECK(NORM_COMPANY, "Amazon.com, Inc.", NULL, "amazoncom");
    /* Other punctuation and symbols are word breaks. */
    CHECK(NORM_COMPANY, "AT&T Inc.", NULL, "at t");
    CHECK(NORM_COMPANY, "Coca-Cola Co", NULL, "coca cola");
    CHECK(NORM_COMPANY, "  Acme---Widgets  /  \"Intl\"  ", NULL, "acme widgets intl");
    CHECK(NORM_COMPANY, "Acme\xE2\x84\xA2 Labs", NULL, "acme labs"); /* TM sign, So */
    CHECK(NORM_COMPANY, "Acme\xC2\xA0\xE2\x80\x94\xC2\xA0Widgets", NULL, "acme widgets");
    CHECK(NORM_COMPANY,
          "\xC2\xAB"
          "Acme\xC2\xBB",
          NULL, "acme");
    CHECK(NORM_COMPANY, "Acme\tInc\n", NULL, "acme");
    CHECK(NORM_COMPANY, "3M Company", NULL, "3m company");
    /* Nothing left. */
    CHECK(NORM_COMPANY, "", NULL, "");
    CHECK(NORM_COMPANY, "...", NULL, "");
    CHECK(NORM_COMPANY, " & - ", NULL, "");
    /* An invalid byte stays inside its word. */
    CHECK(NORM_COMPANY, "M\xFCller GmbH", NULL, "m\xEF\xBF\xBDller");
}
END_TEST

START_TEST(domain_urls)
{
    CHECK(NORM_DOMAIN, "https://www.Acme.com:443/x?y", NULL, "acme.com");
    CHECK(NORM_DOMAIN, "acme.com/", NULL, "acme.com");
    CHECK(NORM_DOMAIN, "www.acme.com", NULL, "acme.com");
    CHECK(NORM_DOMAIN, " WWW.ACME.COM ", NULL, "acme.com");
    CHECK(NORM_DOMAIN, "HTTPS://ACME.COM", NULL, "acme.com");
    CHECK(NORM_DOMAIN, "http://user:pass@www.acme.com:8080/path", NULL, "acme.com");
    CHECK(NORM_DOMAIN, "//cdn.acme.com/x.png", NULL, "cdn.acme.com");
    CHECK(NORM_DOMAIN, "acme.com:8080", NULL, "acme.com");
    CHECK(NORM_DOMAIN, "acme.com#about", NULL, "acme.com");
    CHECK(NORM_DOMAIN, "acme.com?utm_source=x", NULL, "acme.com");
    CHECK(NORM_DOMAIN, "medium.com/@acme", NULL, "medium.com");
    CHECK(NORM_DOMAIN, "http://[2001:db8::1]:80/", NULL, "[2001:db8::1]");
    CHECK(NORM_DOMAIN, "M\xC3\x9CLLER.de", NULL, "m\xC3\xBCller.de");
    /* Only one leading "www." and only that exact label. */
    CHECK(NORM_DOMAIN, "www2.acme.com", NULL, "www2.acme.com");
    CHECK(NORM_DOMAIN, "wwwacme.com", NULL, "wwwacme.com");
    CHECK(NORM_DOMAIN, "www.www.acme.com", NULL, "www.acme.com");
    CHECK(NORM_DOMAIN, "https://", NULL, "");
    CHECK(NORM_DOMAIN, "", NULL, "");
    CHECK(NORM_DOMAIN, "www.", NULL, "");
}
END_TEST

START_TEST(domain_emails)
{
    CHECK(NORM_DOMAIN, "Bob@Sales.Acme.co.uk", NULL, "sales.acme.co.uk");
    CHECK(NORM_DOMAIN, " bob.smith+tag@www.Example.COM ", NULL, "example.com");
    CHECK(NORM_DOMAIN, "mailto:Bob@Acme.com?subject=hi", NULL, "acme.com");
    CHECK(NORM_DOMAIN, "MAILTO:bob@acme.com", NULL, "acme.com");
    CHECK(NORM_DOMAIN, "bob@@acme.com", NULL, "acme.com");
    CHECK(NORM_DOMAIN, "bob@", NULL, "");
}
END_TEST

START_TEST(appends)
{
    /* Every normaliser appends after what the buffer already holds. */
    buf b = BUF_INIT;
    buf_adds(&b, "k|");
    normalize(NORM_PHONE, S("(415) 555-0100"), "1", &b);
    ck_assert_str_eq(b.p, "k|14155550100");
    buf_adds(&b, "|");
    normalize(NORM_COMPANY, S("Acme Widgets, Inc."), NULL, &b);
    ck_assert_str_eq(b.p, "k|14155550100|acme widgets");
    buf_adds(&b, "|");
    normalize(NORM_DOMAIN, S("https://www.acme.com/"), NULL, &b);
    ck_assert_str_eq(b.p, "k|14155550100|acme widgets|acme.com");
    buf_adds(&b, "|");
    normalize(NORM_PHONE, S("0044 20"), "1", &b);
    normalize(NORM_COMPANY, S("Co"), NULL, &b);
    normalize(NORM_COMPANY, S("..."), NULL, &b);
    normalize(NORM_PHONE, S("none"), "1", &b);
    ck_assert_str_eq(b.p, "k|14155550100|acme widgets|acme.com|4420");
    ck_assert_uint_eq(b.len, strlen(b.p));
    buf_free(&b);
}
END_TEST

START_TEST(out_of_memory)
{
    /* A failed allocation marks the buffer and never crashes. */
    for (int k = NORM_EXACT; k <= NORM_DOMAIN; k++) {
        buf b = BUF_INIT;
        xalloc_fail_after(1);
        normalize((normalizer)k, S(" https://www.Acme.com (415) 555-0100, Inc. "), "1", &b);
        xalloc_fail_after(0);
        ck_assert(b.oom);
        ck_assert_uint_eq(b.len, 0);
        buf_free(&b);
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("normalize");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, names);
    tcase_add_test(tc, exact_trim_lower_email);
    tcase_add_test(tc, phone_default_cc);
    tcase_add_test(tc, phone_international);
    tcase_add_test(tc, phone_extensions);
    tcase_add_test(tc, phone_no_digits);
    tcase_add_test(tc, company_legal_forms);
    tcase_add_test(tc, company_punctuation);
    tcase_add_test(tc, domain_urls);
    tcase_add_test(tc, domain_emails);
    tcase_add_test(tc, appends);
    tcase_add_test(tc, out_of_memory);
    suite_add_tcase(s, tc);
    return s;
}

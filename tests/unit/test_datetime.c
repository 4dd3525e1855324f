/*
 * test_datetime.c - the ISO grammar in every form, strict ranges, leap
 * years, fractions and offsets, strptime-style formats, date-only columns,
 * --as-of instants, UTC formatting and durations.
 */
#include <stdio.h>
#include <string.h>

#include "datetime.h"
#include "xalloc.h"
#include "unit.h"

#define US 1000000LL

static int64_t civil_s(int y, unsigned mo, unsigned d, int h, int mi, int s)
{
    return (int64_t)dt_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static tz_zone *zone(const char *name)
{
    char err[256];
    tz_zone *z = tz_load(name, err, sizeof err);
    ck_assert_msg(z != NULL, "%s", err);
    return z;
}

static dt_parser *parser(const tz_zone *z, const char *const *fmts, size_t n)
{
    char err[256];
    dt_parser *p = dt_parser_new(z, fmts, n, err, sizeof err);
    ck_assert_msg(p != NULL, "%s", err);
    return p;
}

static bool parse(const dt_parser *p, const char *s, dt_value *v)
{
    memset(v, 0xAB, sizeof *v);
    return dt_parse(p, s, strlen(s), v);
}

static bool parses(const dt_parser *p, const char *s)
{
    dt_value v;
    return parse(p, s, &v);
}

START_TEST(test_civil)
{
    ck_assert_int_eq(dt_days_from_civil(1970, 1, 1), 0);
    ck_assert_int_eq(dt_days_from_civil(2000, 3, 1), 11017);
    ck_assert_int_eq(dt_days_from_civil(1969, 12, 31), -1);
    ck_assert_int_eq(dt_days_from_civil(0, 1, 1), -719528);
    /* Round trip over 0000..9999 every 97 days. */
    for (int32_t d = -719528; d < 2932897; d += 97) {
        int y;
        unsigned m, dd;
        dt_civil_from_days(d, &y, &m, &dd);
        ck_assert(dt_valid_date(y, m, dd));
        ck_assert_int_eq(dt_days_from_civil(y, m, dd), d);
    }
    ck_assert(dt_valid_date(2024, 2, 29));
    ck_assert(!dt_valid_date(2026, 2, 29));
    ck_assert(!dt_valid_date(1900, 2, 29));
    ck_assert(dt_valid_date(2000, 2, 29));
    ck_assert(!dt_valid_date(2026, 4, 31));
    ck_assert(!dt_valid_date(2026, 13, 1));
    ck_assert(!dt_valid_date(2026, 0, 1));
    ck_assert(!dt_valid_date(2026, 1, 0));
}
END_TEST

START_TEST(test_iso_forms_utc)
{
    tz_zone *z = zone("UTC");
    dt_parser *p = parser(z, NULL, 0);
    dt_value v;

    ck_assert(parse(p, "2026-11-22", &v));
    ck_assert(v.date_only && !v.has_offset && !v.midnight);
    ck_assert_int_eq(v.days, dt_days_from_civil(2026, 11, 22));
    ck_assert_int_eq(v.utc_us, civil_s(2026, 11, 22, 0, 0, 0) * US);

    ck_assert(parse(p, "2026-11-22T09:05", &v));
    ck_assert(!v.date_only && !v.has_offset && !v.midnight);
    ck_assert_int_eq(v.utc_us, civil_s(2026, 11, 22, 9, 5, 0) * US);
    ck_assert_int_eq(v.days, dt_days_from_civil(2026, 11, 22));

    ck_assert(parse(p, "2026-11-22 09:05:07", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2026, 11, 22, 9, 5, 7) * US);

    ck_assert(parse(p, "2026-11-22T09:05:07.5", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2026, 11, 22, 9, 5, 7) * US + 500000);
    ck_assert(parse(p, "2026-11-22T09:05:07.000123", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2026, 11, 22, 9, 5, 7) * US + 123);
    /* More than six digits are truncated, not rounded. */
    ck_assert(parse(p, "2026-11-22T09:05:07.1234569999", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2026, 11, 22, 9, 5, 7) * US + 123456);

    ck_assert(parse(p, "2026-11-22T09:05:07Z", &v));
    ck_assert(v.has_offset);
    ck_assert_int_eq(v.utc_us, civil_s(2026, 11, 22, 9, 5, 7) * US);
    ck_assert(parse(p, "2026-11-22T09:05Z", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2026, 11, 22, 9, 5, 0) * US);
    ck_assert(parse(p, "2026-11-22T09:05:07-05:00", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2026, 11, 22, 14, 5, 7) * US);
    ck_assert(parse(p, "2026-11-22T09:05:07+0530", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2026, 11, 22, 3, 35, 7) * US);
    ck_assert(parse(p, "2026-11-22 09:05:07.25+01:00", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2026, 11, 22, 8, 5, 7) * US + 250000);
    /* The reading's date in the parser's zone (UTC here): the day before. */
    ck_assert(parse(p, "2026-11-22T01:00:00+05:00", &v));
    ck_assert_int_eq(v.days, dt_days_from_civil(2026, 11, 21));

    /* Midnight. */
    ck_assert(parse(p, "2023-05-11 00:00:00", &v));
    ck_assert(v.midnight && !v.date_only);
    ck_assert(parse(p, "2023-05-11T00:00", &v));
    ck_assert(v.midnight);
    ck_assert(parse(p, "2023-05-11T00:00:00Z", &v));
    ck_assert(v.midnight && v.has_offset);
    ck_assert(parse(p, "2023-05-11T00:00:00.000", &v));
    ck_assert(!v.midnight);
    ck_assert(parse(p, "2023-05-11T00:00:01", &v));
    ck_assert(!v.midnight);

    /* Leap years. */
    ck_assert(parses(p, "2024-02-29"));
    ck_assert(!parses(p, "2026-02-29"));
    ck_assert(!parses(p, "1900-02-29"));
    ck_assert(parses(p, "2000-02-29"));
    ck_assert(parses(p, "0000-01-01"));
    ck_assert(parses(p, "9999-12-31T23:59:59.999999"));

    dt_parser_free(p);
    tz_free(z);
}
END_TEST

START_TEST(test_iso_rejects)
{
    tz_zone *z = zone("UTC");
    dt_parser *p = parser(z, NULL, 0);
    static const char *const bad[] = {
        "",
        "2026",
        "2026-11",
        "2026-1-22",
        "2026-11-2",
        "26-11-22",
        "2026/11/22",
        "2026-13-01",
        "2026-00-10",
        "2026-11-00",
        "2026-11-31",
        "2026-02-30",
        "2026-11-22T",
        "2026-11-22 ",
        "2026-11-22  09:00",
        "2026-11-22t09:00",
        "2026-11-22T9:00",
        "2026-11-22T09",
        "2026-11-22T09:0",
        "2026-11-22T24:00",
        "2026-11-22T25:00",
        "2026-11-22T23:60",
        "2026-11-22T23:59:60",
        "2026-11-22T09:00:5",
        "2026-11-22T09:00.5",
        "2026-11-22T09:00:00.",
        "2026-11-22T09:00:00,5",
        "2026-11-22T09:00:00z",
        "2026-11-22T09:00:00ZZ",
        "2026-11-22T09:00:00+05",
        "2026-11-22T09:00:00+5:00",
        "2026-11-22T09:00:00+05:0",
        "2026-11-22T09:00:00+24:00",
        "2026-11-22T09:00:00+05:60",
        "2026-11-22T09:00:00 +05:00",
        "2026-11-22Z",
        "2026-11-22x",
        "2026-11-22T09:00:00 UTC",
        "+2026-11-22",
        "２０２６-11-22",
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        ck_assert_msg(!parses(p, bad[k]), "accepted \"%s\"", bad[k]);

    /* Values are byte slices: a NUL inside is garbage, the length rules. */
    dt_value v;
    ck_assert(!dt_parse(p, "2026-11-22\0T09:00", 16, &v));
    ck_assert(dt_parse(p, "2026-11-22T09:00garbage", 16, &v));
    ck_assert_int_eq(v.utc_us, civil_s(2026, 11, 22, 9, 0, 0) * US);

    dt_parser_free(p);
    tz_free(z);
}
END_TEST

START_TEST(test_local_zone)
{
    tz_zone *z = zone("America/New_York");
    dt_parser *p = parser(z, NULL, 0);
    ck_assert_ptr_eq(dt_parser_zone(p), z);
    dt_value v;

    ck_assert(parse(p, "2026-07-01 12:00", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2026, 7, 1, 16, 0, 0) * US);
    ck_assert(parse(p, "2026-01-15 12:00", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2026, 1, 15, 17, 0, 0) * US);
    /* Date-only: 00:00 local. */
    ck_assert(parse(p, "2026-11-22", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2026, 11, 22, 5, 0, 0) * US);
    ck_assert_int_eq(v.days, dt_days_from_civil(2026, 11, 22));
    /* Gap and repeated hour. */
    ck_assert(parse(p, "2026-03-08T02:30:00", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2026, 3, 8, 7, 30, 0) * US);
    ck_assert(parse(p, "2026-11-01 01:30", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2026, 11, 1, 5, 30, 0) * US);
    /* An explicit offset ignores the zone; days is the New York date. */
    ck_assert(parse(p, "2026-11-22T03:00:00Z", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2026, 11, 22, 3, 0, 0) * US);
    ck_assert_int_eq(v.days, dt_days_from_civil(2026, 11, 21));
    dt_parser_free(p);
    tz_free(z);

    z = zone("Asia/Kolkata");
    p = parser(z, NULL, 0);
    ck_assert(parse(p, "2026-01-01T05:30", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2026, 1, 1, 0, 0, 0) * US);
    ck_assert(parse(p, "2026-01-01", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2025, 12, 31, 18, 30, 0) * US);
    ck_assert_int_eq(v.days, dt_days_from_civil(2026, 1, 1));
    dt_parser_free(p);
    tz_free(z);
}
END_TEST

START_TEST(test_parse_date_column)
{
    tz_zone *z = zone("America/New_York");
    static const char *const fmts[] = {"%m/%d/%Y %I:%M %p"};
    dt_parser *p = parser(z, fmts, 1);
    dt_value v;

    ck_assert(dt_parse_date(p, "2023-05-11 00:00:00", 19, &v));
    ck_assert(v.date_only && !v.has_offset && !v.midnight);
    ck_assert_int_eq(v.days, dt_days_from_civil(2023, 5, 11));
    ck_assert_int_eq(v.utc_us, civil_s(2023, 5, 11, 4, 0, 0) * US);
    /* The written date stays even when the instant is another day in the zone. */
    ck_assert(dt_parse_date(p, "2023-05-11T23:30:00-10:00", 25, &v));
    ck_assert_int_eq(v.days, dt_days_from_civil(2023, 5, 11));
    ck_assert(v.date_only && !v.has_offset);
    ck_assert(dt_parse_date(p, "05/11/2023 11:45 PM", 19, &v));
    ck_assert_int_eq(v.days, dt_days_from_civil(2023, 5, 11));
    ck_assert(dt_parse_date(p, "2023-05-11", 10, &v));
    ck_assert_int_eq(v.days, dt_days_from_civil(2023, 5, 11));
    ck_assert(!dt_parse_date(p, "2023-05-32", 10, &v));
    ck_assert(!dt_parse_date(p, "tomorrow", 8, &v));
    dt_parser_free(p);
    tz_free(z);
}
END_TEST

START_TEST(test_custom_formats)
{
    tz_zone *z = zone("UTC");
    static const char *const fmts[] = {"%m/%d/%Y", "%m/%d/%Y %I:%M %p", "%d.%m.%Y %H:%M"};
    dt_parser *p = parser(z, fmts, 3);
    dt_value v;

    ck_assert(parse(p, "05/11/2023", &v));
    ck_assert(v.date_only);
    ck_assert_int_eq(v.days, dt_days_from_civil(2023, 5, 11));
    ck_assert(parse(p, "5/1/2023", &v));
    ck_assert_int_eq(v.days, dt_days_from_civil(2023, 5, 1));
    ck_assert(!parses(p, "13/11/2023"));
    ck_assert(!parses(p, "02/29/2023"));
    ck_assert(parses(p, "02/29/2024"));
    ck_assert(!parses(p, "05/11/23"));
    ck_assert(!parses(p, "05/11/2023x"));
    ck_assert(!parses(p, "005/11/2023"));

    ck_assert(parse(p, "05/11/2023 03:07 PM", &v));
    ck_assert(!v.date_only);
    ck_assert_int_eq(v.utc_us, civil_s(2023, 5, 11, 15, 7, 0) * US);
    ck_assert(parse(p, "05/11/2023 3:07 am", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2023, 5, 11, 3, 7, 0) * US);
    ck_assert(parse(p, "05/11/2023 12:00 AM", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2023, 5, 11, 0, 0, 0) * US);
    ck_assert(v.midnight);
    ck_assert(parse(p, "05/11/2023 12:30 pM", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2023, 5, 11, 12, 30, 0) * US);
    /* A space in the format matches a run of spaces. */
    ck_assert(parse(p, "05/11/2023   12:30  PM", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2023, 5, 11, 12, 30, 0) * US);
    ck_assert(!parses(p, "05/11/2023 13:00 PM"));
    ck_assert(!parses(p, "05/11/2023 00:10 AM"));
    ck_assert(!parses(p, "05/11/2023 10:10 XM"));
    ck_assert(!parses(p, "05/11/2023 10:10"));
    ck_assert(!parses(p, "05/11/202310:10 AM"));

    ck_assert(parse(p, "11.05.2023 17:45", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2023, 5, 11, 17, 45, 0) * US);
    ck_assert(!parses(p, "11.05.2023 24:00"));
    ck_assert(!parses(p, "31.04.2023 10:00"));

    /* ISO still comes first. */
    ck_assert(parse(p, "2023-05-11T10:00Z", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2023, 5, 11, 10, 0, 0) * US);
    dt_parser_free(p);
    tz_free(z);
}
END_TEST

START_TEST(test_more_directives)
{
    tz_zone *z = zone("America/New_York");
    static const char *const fmts[] = {
        "%d %b %Y",          "%B %e, %Y", "%y%m%d", "%Y-%m-%d %H:%M:%S.%f %z",
        "%d/%m/%Y %H:%M %z", "%Y%%%m%%%d"};
    dt_parser *p = parser(z, fmts, sizeof fmts / sizeof fmts[0]);
    dt_value v;

    ck_assert(parse(p, "11 May 2023", &v));
    ck_assert_int_eq(v.days, dt_days_from_civil(2023, 5, 11));
    ck_assert(parse(p, "11 sep 2023", &v));
    ck_assert_int_eq(v.days, dt_days_from_civil(2023, 9, 11));
    ck_assert(parse(p, "11 SEPTEMBER 2023", &v));
    ck_assert_int_eq(v.days, dt_days_from_civil(2023, 9, 11));
    ck_assert(!parses(p, "11 Sept 2023"));
    ck_assert(!parses(p, "11 Mai 2023"));
    ck_assert(parse(p, "December  5, 2023", &v));
    ck_assert_int_eq(v.days, dt_days_from_civil(2023, 12, 5));
    ck_assert(parse(p, "June 30, 2023", &v));
    ck_assert_int_eq(v.days, dt_days_from_civil(2023, 6, 30));
    ck_assert(!parses(p, "June 31, 2023"));

    /* %y pivots at 69 as POSIX does. */
    ck_assert(parse(p, "690101", &v));
    ck_assert_int_eq(v.days, dt_days_from_civil(1969, 1, 1));
    ck_assert(parse(p, "681231", &v));
    ck_assert_int_eq(v.days, dt_days_from_civil(2068, 12, 31));
    ck_assert(parse(p, "000229", &v));
    ck_assert_int_eq(v.days, dt_days_from_civil(2000, 2, 29));

    /* %f and %z. */
    ck_assert(parse(p, "2023-05-11 10:00:00.1234567 +0200", &v));
    ck_assert(v.has_offset);
    ck_assert_int_eq(v.utc_us, civil_s(2023, 5, 11, 8, 0, 0) * US + 123456);
    ck_assert(parse(p, "2023-05-11 10:00:00.5 Z", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2023, 5, 11, 10, 0, 0) * US + 500000);
    ck_assert(parse(p, "11/05/2023 10:00 -03", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2023, 5, 11, 13, 0, 0) * US);
    ck_assert(parse(p, "11/05/2023 10:00 -03:30", &v));
    ck_assert_int_eq(v.utc_us, civil_s(2023, 5, 11, 13, 30, 0) * US);
    ck_assert(!parses(p, "11/05/2023 10:00 EST"));

    ck_assert(parse(p, "2023%05%11", &v));
    ck_assert_int_eq(v.days, dt_days_from_civil(2023, 5, 11));
    dt_parser_free(p);
    tz_free(z);
}
END_TEST

START_TEST(test_bad_formats)
{
    static const struct {
        const char *fmt;
        const char *err;
    } bad[] = {
        {"%Y-%j", "date format \"%Y-%j\": unsupported directive %j"},
        {"%Y-%m-%d %T", "date format \"%Y-%m-%d %T\": unsupported directive %T"},
        {"%m/%d/%Y%", "date format \"%m/%d/%Y%\" ends with a lone %"},
        {"%m/%d",
         "date format \"%m/%d\" needs a year (%Y or %y), a month (%m, %b) and a day (%d, %e)"},
        {"", "date format \"\" needs a year (%Y or %y), a month (%m, %b) and a day (%d, %e)"},
        {"%Y-%m-%d %M",
         "date format \"%Y-%m-%d %M\" has minutes, seconds or an offset but no hour (%H or %I)"},
    };
    tz_zone *z = zone("UTC");
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char err[256] = "";
        const char *fmts[2] = {"%d.%m.%Y", bad[k].fmt};
        ck_assert_ptr_null(dt_parser_new(z, fmts, 2, err, sizeof err));
        ck_assert_str_eq(err, bad[k].err);
    }
    /* Allocation failures are reported, not fatal. */
    for (unsigned long n = 1; n <= 3; n++) {
        char err[256] = "";
        const char *fmts[1] = {"%d.%m.%Y"};
        xalloc_fail_after(n);
        dt_parser *p = dt_parser_new(z, fmts, 1, err, sizeof err);
        xalloc_fail_after(0);
        if (p == NULL)
            ck_assert_str_eq(err, "out of memory");
        else
            dt_parser_free(p);
    }
    tz_free(z);
}
END_TEST

START_TEST(test_instant)
{
    tz_zone *z = zone("America/New_York");
    int64_t t = 0;
    ck_assert(dt_parse_instant(z, "2026-11-22", &t));
    ck_assert_int_eq(t, civil_s(2026, 11, 22, 5, 0, 0) * US);
    ck_assert(dt_parse_instant(z, "2026-11-22T09:00:00Z", &t));
    ck_assert_int_eq(t, civil_s(2026, 11, 22, 9, 0, 0) * US);
    ck_assert(dt_parse_instant(z, "2026-11-22T09:00:00-05:00", &t));
    ck_assert_int_eq(t, civil_s(2026, 11, 22, 14, 0, 0) * US);
    ck_assert(dt_parse_instant(z, "2026-07-04 09:00", &t));
    ck_assert_int_eq(t, civil_s(2026, 7, 4, 13, 0, 0) * US);
    t = 42;
    ck_assert(!dt_parse_instant(z, "11/22/2026", &t));
    ck_assert(!dt_parse_instant(z, "now", &t));
    ck_assert(!dt_parse_instant(z, "", &t));
    ck_assert_int_eq(t, 42);
    tz_free(z);
}
END_TEST

START_TEST(test_format_utc)
{
    char out[21];
    dt_format_utc(civil_s(2026, 11, 22, 5, 0, 0) * US, out);
    ck_assert_str_eq(out, "2026-11-22T05:00:00Z");
    dt_format_utc(0, out);
    ck_assert_str_eq(out, "1970-01-01T00:00:00Z");
    /* Fractions are dropped toward the past, also before 1970. */
    dt_format_utc(-1, out);
    ck_assert_str_eq(out, "1969-12-31T23:59:59Z");
    dt_format_utc(civil_s(2024, 2, 29, 23, 59, 59) * US + 999999, out);
    ck_assert_str_eq(out, "2024-02-29T23:59:59Z");
    dt_format_utc(civil_s(9999, 12, 31, 23, 59, 59) * US, out);
    ck_assert_str_eq(out, "9999-12-31T23:59:59Z");
    /* Outside the four-digit years: clamped, never overflowing out[]. */
    dt_format_utc(INT64_MAX, out);
    ck_assert_str_eq(out, "9999-12-31T23:59:59Z");
    dt_format_utc(INT64_MIN, out);
    ck_assert_str_eq(out, "0000-01-01T00:00:00Z");
}
END_TEST

START_TEST(test_durations)
{
    int64_t s = -1;
    ck_assert(dt_parse_duration("90m", &s));
    ck_assert_int_eq(s, 5400);
    ck_assert(dt_parse_duration("24h", &s));
    ck_assert_int_eq(s, 86400);
    ck_assert(dt_parse_duration("2d", &s));
    ck_assert_int_eq(s, 172800);
    ck_assert(dt_parse_duration("1d12h", &s));
    ck_assert_int_eq(s, 129600);
    ck_assert(dt_parse_duration("1w", &s));
    ck_assert_int_eq(s, 604800);
    ck_assert(dt_parse_duration("45s", &s));
    ck_assert_int_eq(s, 45);
    ck_assert(dt_parse_duration("0s", &s));
    ck_assert_int_eq(s, 0);
    ck_assert(dt_parse_duration("1w2d3h4m5s", &s));
    ck_assert_int_eq(s, 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
    ck_assert(dt_parse_duration("9223372036854775807s", &s));
    ck_assert_int_eq(s, INT64_MAX);

    static const char *const bad[] = {"",
                                      "5",
                                      "5x",
                                      "1.5h",
                                      "h",
                                      "-1h",
                                      "+1h",
                                      "1h ",
                                      " 1h",
                                      "1H",
                                      "1d 2h",
                                      "1hh",
                                      "1h5",
                                      "1 h",
                                      "15250284452472w",
                                      "9223372036854775808s",
                                      "9223372036854775807s1s",
                                      "106751991167301d"};
    s = 7;
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        ck_assert_msg(!dt_parse_duration(bad[k], &s), "accepted \"%s\"", bad[k]);
    ck_assert_int_eq(s, 7);
    ck_assert(!dt_parse_duration(NULL, &s));
}
END_TEST

START_TEST(test_format_duration)
{
    char out[64];
    dt_format_duration(40800, out, sizeof out);
    ck_assert_str_eq(out, "11h20m");
    dt_format_duration(129600, out, sizeof out);
    ck_assert_str_eq(out, "1d12h");
    dt_format_duration(0, out, sizeof out);
    ck_assert_str_eq(out, "0s");
    dt_format_duration(45, out, sizeof out);
    ck_assert_str_eq(out, "45s");
    dt_format_duration(86400 + 1, out, sizeof out);
    ck_assert_str_eq(out, "1d1s");
    dt_format_duration(14 * 86400, out, sizeof out);
    ck_assert_str_eq(out, "14d");
    dt_format_duration(-5400, out, sizeof out);
    ck_assert_str_eq(out, "-1h30m");
    dt_format_duration(INT64_MIN, out, sizeof out);
    ck_assert_str_eq(out, "-106751991167300d15h30m8s");
    /* Truncates to the buffer, always NUL-terminated. */
    dt_format_duration(129600, out, 4);
    ck_assert_str_eq(out, "1d1");
    /* Round trip. */
    int64_t back;
    dt_format_duration(9 * 86400 + 3 * 3600 + 7, out, sizeof out);
    ck_assert(dt_parse_duration(out, &back));
    ck_assert_int_eq(back, 9 * 86400 + 3 * 3600 + 7);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("datetime");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_civil);
    tcase_add_test(tc, test_iso_forms_utc);
    tcase_add_test(tc, test_iso_rejects);
    tcase_add_test(tc, test_local_zone);
    tcase_add_test(tc, test_parse_date_column);
    tcase_add_test(tc, test_custom_formats);
    tcase_add_test(tc, test_more_directives);
    tcase_add_test(tc, test_bad_formats);
    tcase_add_test(tc, test_instant);
    tcase_add_test(tc, test_format_utc);
    tcase_add_test(tc, test_durations);
    tcase_add_test(tc, test_format_duration);
    suite_add_tcase(s, tc);
    return s;
}

/*
 * test_sla.c - the `sla` rule: wall clock and business calendars, open
 * records against as-of, `to` before `from`, unparseable values, and the
 * compliance figures (met, breached, open, median, p90).
 */
#include "lintfix.h"
#include "unit.h"

#define HEAD                                                                                       \
    "version: 1\nsettings:\n  timezone: America/New_York\n  as_of: 2026-11-20T17:00:00Z\n"         \
    "  calendars:\n    business:\n      days: [mon, tue, wed, thu, fri]\n"                         \
    "      hours: \"09:00-17:00\"\n      holidays: [2026-11-26]\n"                                 \
    "objects:\n  lead:\n    files: [\"Lead*.csv\"]\n    key: Id\n    null_values: [\"null\"]\n"    \
    "    rules:\n"

static const char *CSV =
    "Id,MQL,SAL\n"
    "L1,2026-11-16 09:00,2026-11-16 16:00\n" /* Mon: 7h */
    "L2,2026-11-16 16:00,2026-11-17 11:20\n" /* 1h + 2h20m = 3h20m business, 19h20m wall */
    "L3,2026-11-13 16:00,2026-11-16 10:00\n" /* Fri 16:00 -> Mon 10:00: 2h business */
    "L4,2026-11-18 10:00,null\n" /* open: Wed 10:00 -> Fri 12:00 as-of = 7h + 8h + 3h = 18h business
                                  */
    "L5,2026-11-18 10:00,2026-11-17 10:00\n"  /* to before from */
    "L6,soon,2026-11-17 10:00\n"              /* from unparseable */
    "L7,,2026-11-17 10:00\n"                  /* no from: skipped */
    "L8,2026-11-25 16:00,2026-11-27 10:00\n"; /* Wed 16:00 -> Fri 10:00 over Thanksgiving: 2h */

START_TEST(business_hours)
{
    pack *p = fix_pack(HEAD "      - {id: sla, type: sla, from: MQL, to: SAL, max: 3h, "
                            "calendar: business}\n");
    result *r = fix_run(p, "Lead.csv", CSV);
    ck_assert_uint_eq(fix_count(r, "sla"), 5);
    const finding *f = fix_find(r, "sla", 0);
    ck_assert_str_eq(f->record, "L1");
    ck_assert_str_eq(f->column, "SAL");
    ck_assert_str_eq(f->message, "SAL 2026-11-16 16:00: took 7h of business time from MQL; SLA 3h");
    ck_assert_str_eq(fix_find(r, "sla", 1)->message,
                     "SAL 2026-11-17 11:20: took 3h20m of business time from MQL; SLA 3h");
    f = fix_find(r, "sla", 2);
    ck_assert_str_eq(f->record, "L4");
    ck_assert_str_eq(f->column, "MQL"); /* an open breach is about `from` */
    ck_assert_str_eq(f->message, "MQL 2026-11-18 10:00: SAL is still empty after 18h of business "
                                 "time (as of 2026-11-20T17:00:00Z); SLA 3h");
    ck_assert_str_eq(fix_find(r, "sla", 3)->message, "SAL 2026-11-17 10:00 is before MQL");
    ck_assert_str_eq(fix_find(r, "sla", 4)->message, "MQL soon is not a date or date-time");
    ck_assert_uint_eq(fix_rule(r, "sla")->checked, 7);
    /* figures: closed L1 7h, L2 3h20m, L3 2h, L8 2h; met 2, breached 2, open 1 */
    const result_rule *rr = fix_rule(r, "sla");
    ck_assert_uint_eq(rr->nstats, 5);
    ck_assert_str_eq(rr->stats[0].name, "met");
    ck_assert_int_eq((int)rr->stats[0].value, 2);
    ck_assert_int_eq((int)rr->stats[1].value, 2);
    ck_assert_int_eq((int)rr->stats[2].value, 1);
    ck_assert_str_eq(rr->stats[3].name, "median_seconds");
    ck_assert_int_eq((int)rr->stats[3].value, 7200);  /* nearest rank: 2nd of 4 */
    ck_assert_int_eq((int)rr->stats[4].value, 25200); /* 90th: 4th of 4 */
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(wall_clock_and_open_ignore)
{
    pack *p =
        fix_pack(HEAD "      - {id: sla, type: sla, from: MQL, to: SAL, max: 1d, open: ignore}\n");
    result *r = fix_run(p, "Lead.csv", CSV);
    /* L3: Fri 16:00 -> Mon 10:00 = 2d18h wall; L8 = 1d18h; L5, L6 as before; L4 open ignored */
    ck_assert_uint_eq(fix_count(r, "sla"), 4);
    ck_assert_str_eq(fix_find(r, "sla", 0)->message,
                     "SAL 2026-11-16 10:00: took 2d18h from MQL; SLA 1d");
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(exactly_at_the_limit_is_met)
{
    pack *p = fix_pack(HEAD "      - {id: sla, type: sla, from: A, to: B, max: 90m}\n");
    result *r =
        fix_run(p, "Lead.csv",
                "Id,A,B\n1,2026-03-08T06:30:00Z,2026-03-08T08:00:00Z\n"
                "2,2026-03-08 01:30,2026-03-08 04:00\n"); /* DST: 01:30 EST -> 04:00 EDT = 1h30m */
    ck_assert_uint_eq(fix_count(r, "sla"), 0);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(unknown_calendar_is_a_pack_error)
{
    ck_assert_str_eq(
        fix_pack_error(HEAD "      - {id: s, type: sla, from: A, to: B, max: 1h, "
                            "calendar: nope}\n"),
        "pack.yaml:16:63: unknown calendar 'nope' (define it under settings.calendars)");
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("sla");
    TCase *tc = tcase_create("sla");
    tcase_add_checked_fixture(tc, fix_setup, fix_teardown);
    tcase_add_test(tc, business_hours);
    tcase_add_test(tc, wall_clock_and_open_ignore);
    tcase_add_test(tc, exactly_at_the_limit_is_met);
    tcase_add_test(tc, unknown_calendar_is_a_pack_error);
    suite_add_tcase(s, tc);
    return s;
}

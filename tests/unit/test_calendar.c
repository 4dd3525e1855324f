/*
 * test_calendar.c - business-time arithmetic: spans inside, before, after and
 * across working hours, weekends, holidays (repeated, on weekends, before
 * 1970), multi-week to century spans, daylight-saving days in both
 * hemispheres with ordinary and 00:00-24:00 windows and windows whose edges
 * fall in the skipped or repeated hour, zones off UTC by half hours,
 * microsecond spans, clamping, descriptions, and a brute-force per-second
 * reference on random spans.
 *
 * Weekdays below were checked with Python (datetime); offsets around the
 * 2026 Sydney changes with zoneinfo.
 */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "datetime.h"
#include "tz.h"
#include "unit.h"

#define H  3600LL
#define M  60LL
#define US 1000000LL

enum { MON = 1, TUE = 2, WED = 4, THU = 8, FRI = 16, SAT = 32, SUN = 64 };
#define WEEKDAYS (MON | TUE | WED | THU | FRI)
#define ALLDAYS  0x7f

/* Local wall-clock reading as seconds since the epoch (or a UTC instant). */
static int64_t civil(int y, unsigned mo, unsigned d, int h, int mi, int s)
{
    return (int64_t)dt_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

/* The instant of a local reading in zone z. */
static int64_t at(const tz_zone *z, int y, unsigned mo, unsigned d, int h, int mi, int s)
{
    return tz_local_to_utc(z, civil(y, mo, d, h, mi, s));
}

static tz_zone *zone(const char *name)
{
    char err[256];
    tz_zone *z = tz_load(name, err, sizeof err);
    ck_assert_msg(z != NULL, "%s", err);
    return z;
}

static calendar mkcal(tz_zone *z, unsigned days, int start_min, int end_min, int32_t *hol,
                      size_t nhol)
{
    calendar c;
    memset(&c, 0, sizeof c);
    c.name = "test";
    c.days = days;
    c.start_min = start_min;
    c.end_min = end_min;
    c.zone = z;
    c.holidays = hol;
    c.nholidays = nhol;
    return c;
}

static int32_t day_of(int y, unsigned mo, unsigned d)
{
    return dt_days_from_civil(y, mo, d);
}

/* ---- the reference: is the UTC second t working time? ---- */

static int ref_weekday(int64_t day)
{
    int64_t w = (day + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static bool ref_working(const calendar *c, int64_t t)
{
    int64_t l = t + tz_offset_at(c->zone, t);
    int64_t day = l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
    int64_t tod = l - day * 86400;
    if (!(c->days >> ref_weekday(day) & 1)) return false;
    for (size_t i = 0; i < c->nholidays; i++)
        if (c->holidays[i] == day) return false;
    return tod >= c->start_min * 60 && tod < c->end_min * 60;
}

/* Per second at the ragged ends, per minute in between: the zones used
 * change offset on whole minutes and windows are whole minutes, so a UTC
 * minute is all working time or none. */
static int64_t ref_counted(const calendar *c, int64_t from, int64_t to)
{
    int64_t sum = 0, t = from;
    for (; t < to && t % 60 != 0; t++) sum += ref_working(c, t);
    for (; t + 60 <= to; t += 60) sum += ref_working(c, t) ? 60 : 0;
    for (; t < to; t++) sum += ref_working(c, t);
    return sum;
}

/* Working days Mon-Fri in [d0, d1) minus listed holidays on them. */
static int64_t ref_weekdays(int32_t d0, int32_t d1, const int32_t *hol, size_t nhol)
{
    int64_t n = 0;
    for (int32_t d = d0; d < d1; d++) {
        if (ref_weekday(d) >= 5) continue;
        bool off = false;
        for (size_t i = 0; i < nhol; i++) off |= hol[i] == d;
        n += !off;
    }
    return n;
}

/* xorshift64*: reproducible across libcs, unlike rand(). */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

static int64_t rnd_in(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

/* ---- tests ---- */

START_TEST(test_same_day)
{
    tz_zone *ny = zone("America/New_York");
    calendar c = mkcal(ny, WEEKDAYS, 9 * 60, 17 * 60, NULL, 0);
    /* Wednesday 2026-03-04. */
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 3, 4, 10, 0, 0), at(ny, 2026, 3, 4, 12, 30, 0)),
        2 * H + 30 * M);
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 3, 4, 9, 0, 0), at(ny, 2026, 3, 4, 17, 0, 0)), 8 * H);
    /* Before opening. */
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 3, 4, 7, 0, 0), at(ny, 2026, 3, 4, 10, 0, 0)), 1 * H);
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 3, 4, 7, 0, 0), at(ny, 2026, 3, 4, 8, 59, 59)), 0);
    /* After closing. */
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 3, 4, 16, 0, 0), at(ny, 2026, 3, 4, 20, 0, 0)), 1 * H);
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 3, 4, 18, 0, 0), at(ny, 2026, 3, 4, 23, 0, 0)), 0);
    /* Around the whole window. */
    ck_assert_int_eq(calendar_counted(&c, at(ny, 2026, 3, 4, 0, 0, 0), at(ny, 2026, 3, 5, 0, 0, 0)),
                     8 * H);
    tz_free(ny);
}
END_TEST

START_TEST(test_exact_seconds)
{
    tz_zone *ny = zone("America/New_York");
    calendar c = mkcal(ny, WEEKDAYS, 9 * 60, 17 * 60, NULL, 0);
    ck_assert_int_eq(calendar_counted(&c, at(ny, 2026, 3, 4, 9, 0, 1), at(ny, 2026, 3, 4, 9, 0, 2)),
                     1);
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 3, 4, 8, 59, 59), at(ny, 2026, 3, 4, 9, 0, 1)), 1);
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 3, 4, 8, 59, 59), at(ny, 2026, 3, 4, 9, 0, 0)), 0);
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 3, 4, 16, 59, 59), at(ny, 2026, 3, 4, 17, 0, 0)), 1);
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 3, 4, 17, 0, 0), at(ny, 2026, 3, 4, 17, 0, 1)), 0);
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 3, 4, 9, 0, 0), at(ny, 2026, 3, 4, 16, 59, 59)),
        8 * H - 1);
    tz_free(ny);
}
END_TEST

START_TEST(test_overnight_and_weekend)
{
    tz_zone *ny = zone("America/New_York");
    calendar c = mkcal(ny, WEEKDAYS, 9 * 60, 17 * 60, NULL, 0);
    /* Fri 16:00 -> Mon 10:00, across the spring-forward Sunday as well. */
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 3, 6, 16, 0, 0), at(ny, 2026, 3, 9, 10, 0, 0)), 2 * H);
    /* Within a weekend, and from closing to opening. */
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 3, 7, 10, 0, 0), at(ny, 2026, 3, 8, 20, 0, 0)), 0);
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 3, 6, 17, 0, 0), at(ny, 2026, 3, 9, 9, 0, 0)), 0);
    /* Thu 12:00 -> Tue 12:00: 5 + 8 + 8 + 3. */
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 3, 5, 12, 0, 0), at(ny, 2026, 3, 10, 12, 0, 0)), 24 * H);
    /* Weekday overnight: Tue 16:00 -> Wed 10:00. */
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 3, 10, 16, 0, 0), at(ny, 2026, 3, 11, 10, 0, 0)), 2 * H);
    tz_free(ny);
}
END_TEST

START_TEST(test_reversed_and_empty)
{
    tz_zone *ny = zone("America/New_York");
    calendar c = mkcal(ny, WEEKDAYS, 9 * 60, 17 * 60, NULL, 0);
    int64_t a = at(ny, 2026, 3, 4, 10, 0, 0), b = at(ny, 2026, 3, 4, 12, 0, 0);
    ck_assert_int_eq(calendar_counted(&c, b, a), 0);
    ck_assert_int_eq(calendar_counted(&c, a, a), 0);
    ck_assert_int_eq(calendar_counted(&c, b + 400 * 86400, a), 0);
    ck_assert_int_eq(calendar_counted_us(&c, b * US, a * US), 0);
    ck_assert_int_eq(calendar_counted(NULL, b, a), 0);
    tz_free(ny);
}
END_TEST

START_TEST(test_holidays)
{
    tz_zone *ny = zone("America/New_York");
    /* Thanksgiving twice (the loader keeps duplicates), Christmas (Friday)
     * and Boxing Day on a Saturday. */
    int32_t hol[] = {day_of(2026, 11, 26), day_of(2026, 11, 26), day_of(2026, 12, 25),
                     day_of(2026, 12, 26)};
    calendar c = mkcal(ny, WEEKDAYS, 9 * 60, 17 * 60, hol, 4);
    calendar plain = mkcal(ny, WEEKDAYS, 9 * 60, 17 * 60, NULL, 0);
    int64_t wed = at(ny, 2026, 11, 25, 12, 0, 0), fri = at(ny, 2026, 11, 27, 12, 0, 0);
    ck_assert_int_eq(calendar_counted(&c, wed, fri), 8 * H);
    ck_assert_int_eq(calendar_counted(&plain, wed, fri), 16 * H);
    /* Starting inside a holiday. */
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 11, 26, 10, 0, 0), at(ny, 2026, 11, 26, 16, 0, 0)), 0);
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 11, 26, 10, 0, 0), at(ny, 2026, 11, 27, 10, 0, 0)), H);
    /* Thu 24 -> Mon 28 December: Friday is a holiday, the Saturday one changes nothing. */
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 12, 24, 9, 0, 0), at(ny, 2026, 12, 28, 17, 0, 0)),
        16 * H);
    /* A span holding no holiday is unaffected by the list. */
    ck_assert_int_eq(calendar_counted(&c, at(ny, 2026, 3, 2, 0, 0, 0), at(ny, 2026, 3, 9, 0, 0, 0)),
                     40 * H);

    /* A Saturday holiday counts when Saturday is a working day. */
    int32_t sat[] = {day_of(2026, 12, 26)};
    calendar six = mkcal(ny, WEEKDAYS | SAT, 9 * 60, 17 * 60, sat, 1);
    calendar six_plain = mkcal(ny, WEEKDAYS | SAT, 9 * 60, 17 * 60, NULL, 0);
    int64_t f = at(ny, 2026, 12, 25, 9, 0, 0), m = at(ny, 2026, 12, 28, 9, 0, 0);
    ck_assert_int_eq(calendar_counted(&six, f, m), 8 * H);
    ck_assert_int_eq(calendar_counted(&six_plain, f, m), 16 * H);
    tz_free(ny);
}
END_TEST

START_TEST(test_before_1970)
{
    tz_zone *utc = zone("UTC");
    int32_t one[] = {day_of(1970, 1, 1)};
    int32_t two[] = {day_of(1969, 12, 31), day_of(1970, 1, 1)};
    calendar c = mkcal(utc, WEEKDAYS, 9 * 60, 17 * 60, NULL, 0);
    calendar c1 = mkcal(utc, WEEKDAYS, 9 * 60, 17 * 60, one, 1);
    calendar c2 = mkcal(utc, WEEKDAYS, 9 * 60, 17 * 60, two, 2);
    /* Monday 1969-12-29 09:00 to Friday 1970-01-02 17:00. */
    int64_t a = civil(1969, 12, 29, 9, 0, 0), b = civil(1970, 1, 2, 17, 0, 0);
    ck_assert_int_eq(calendar_counted(&c, a, b), 40 * H);
    ck_assert_int_eq(calendar_counted(&c1, a, b), 32 * H);
    ck_assert_int_eq(calendar_counted(&c2, a, b), 24 * H);
    /* Sunday 1969-12-28 is not a working day. */
    ck_assert_int_eq(
        calendar_counted(&c, civil(1969, 12, 28, 0, 0, 0), civil(1969, 12, 29, 0, 0, 0)), 0);
    /* 1900-01-01 was a Monday. */
    ck_assert_int_eq(calendar_counted(&c, civil(1900, 1, 1, 12, 0, 0), civil(1900, 1, 1, 13, 0, 0)),
                     H);
    tz_free(utc);
}
END_TEST

START_TEST(test_long_spans)
{
    tz_zone *ny = zone("America/New_York");
    tz_zone *utc = zone("UTC");
    calendar c = mkcal(ny, WEEKDAYS, 9 * 60, 17 * 60, NULL, 0);
    /* Four weeks, two weeks across spring-forward, two across fall-back. */
    ck_assert_int_eq(calendar_counted(&c, at(ny, 2026, 1, 5, 0, 0, 0), at(ny, 2026, 2, 2, 0, 0, 0)),
                     160 * H);
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 3, 2, 0, 0, 0), at(ny, 2026, 3, 16, 0, 0, 0)), 80 * H);
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 2026, 10, 26, 0, 0, 0), at(ny, 2026, 11, 9, 0, 0, 0)), 80 * H);

    /* Ten years with a Christmas holiday each year, some on weekends. */
    int32_t hol[10];
    for (int i = 0; i < 10; i++) hol[i] = day_of(2020 + i, 12, 25);
    calendar ch = mkcal(ny, WEEKDAYS, 9 * 60, 17 * 60, hol, 10);
    int32_t d0 = day_of(2020, 1, 1), d1 = day_of(2030, 1, 1);
    ck_assert_int_eq(
        calendar_counted(&ch, at(ny, 2020, 1, 1, 0, 0, 0), at(ny, 2030, 1, 1, 0, 0, 0)),
        ref_weekdays(d0, d1, hol, 10) * 8 * H);

    /* A century, in UTC and in New York (whose DST rules changed in 1966,
     * 1974-75, 1987 and 2007; a 9-17 window never notices). */
    calendar cu = mkcal(utc, WEEKDAYS, 9 * 60, 17 * 60, NULL, 0);
    int64_t w = ref_weekdays(day_of(1950, 1, 1), day_of(2050, 1, 1), NULL, 0) * 8 * H;
    ck_assert_int_eq(calendar_counted(&cu, civil(1950, 1, 1, 0, 0, 0), civil(2050, 1, 1, 0, 0, 0)),
                     w);
    ck_assert_int_eq(calendar_counted(&c, at(ny, 1950, 1, 1, 0, 0, 0), at(ny, 2050, 1, 1, 0, 0, 0)),
                     w);
    /* Ragged ends on a long span: Wed 1950-01-04 16:00 to Fri 2049-12-31 10:00. */
    ck_assert_int_eq(
        calendar_counted(&c, at(ny, 1950, 1, 4, 16, 0, 0), at(ny, 2049, 12, 31, 10, 0, 0)),
        w - 2 * 8 * H - 7 * H - 7 * H);
    tz_free(ny);
    tz_free(utc);
}
END_TEST

START_TEST(test_dst_new_york)
{
    tz_zone *ny = zone("America/New_York");
    /* 2026-03-08 and 2026-11-01 are Sundays: spring-forward and fall-back. */
    int64_t sp0 = at(ny, 2026, 3, 7, 0, 0, 0), sp1 = at(ny, 2026, 3, 10, 0, 0, 0);
    int64_t fb0 = at(ny, 2026, 10, 31, 0, 0, 0), fb1 = at(ny, 2026, 11, 3, 0, 0, 0);

    calendar office = mkcal(ny, SUN, 9 * 60, 17 * 60, NULL, 0);
    ck_assert_int_eq(calendar_counted(&office, sp0, sp1), 8 * H);
    ck_assert_int_eq(calendar_counted(&office, fb0, fb1), 8 * H);

    calendar whole = mkcal(ny, SUN, 0, 24 * 60, NULL, 0);
    ck_assert_int_eq(calendar_counted(&whole, sp0, sp1), 23 * H);
    ck_assert_int_eq(calendar_counted(&whole, fb0, fb1), 25 * H);

    /* 00:00-03:00: the skipped hour is not there, the repeated one twice. */
    calendar night = mkcal(ny, SUN, 0, 3 * 60, NULL, 0);
    ck_assert_int_eq(calendar_counted(&night, sp0, sp1), 2 * H);
    ck_assert_int_eq(calendar_counted(&night, fb0, fb1), 4 * H);

    /* Window edges inside the gap: 02:00-02:30 never reads on the clock;
     * 02:30-10:00 counts from 03:00 EDT. */
    calendar gap = mkcal(ny, SUN, 2 * 60, 2 * 60 + 30, NULL, 0);
    ck_assert_int_eq(calendar_counted(&gap, sp0, sp1), 0);
    calendar late = mkcal(ny, SUN, 2 * 60 + 30, 10 * 60, NULL, 0);
    ck_assert_int_eq(calendar_counted(&late, sp0, sp1), 7 * H);
    ck_assert_int_eq(calendar_counted(&late, fb0, fb1), 7 * H + 30 * M);
    /* An edge inside the repeated hour: 01:30-01:45 happens twice. */
    calendar twice = mkcal(ny, SUN, 90, 105, NULL, 0);
    ck_assert_int_eq(calendar_counted(&twice, fb0, fb1), 30 * M);

    /* Around the clock: the real elapsed time, in and across the change. */
    calendar all = mkcal(ny, ALLDAYS, 0, 24 * 60, NULL, 0);
    int64_t a = at(ny, 2026, 3, 7, 12, 0, 0), b = at(ny, 2026, 3, 9, 12, 0, 0);
    ck_assert_int_eq(calendar_counted(&all, a, b), 47 * H);
    /* 01:30 EST to 03:30 EDT is one real hour. */
    ck_assert_int_eq(
        calendar_counted(&all, at(ny, 2026, 3, 8, 1, 30, 0), at(ny, 2026, 3, 8, 3, 30, 0)), H);
    /* 00:30 EDT to 01:30 EST (the second 01:30) is two. */
    int64_t first130 = at(ny, 2026, 11, 1, 1, 30, 0);
    ck_assert_int_eq(calendar_counted(&all, at(ny, 2026, 11, 1, 0, 30, 0), first130 + H), 2 * H);

    /* Whole years, where the offset at both ends is the same: 2026 has 52
     * Sundays and 01:00-02:00 happens twice on one of them; 1990-2029 had
     * 14,610 days and 40 fall-back nights. */
    calendar one = mkcal(ny, SUN, 60, 120, NULL, 0);
    ck_assert_int_eq(
        calendar_counted(&one, at(ny, 2026, 1, 1, 0, 0, 0), at(ny, 2027, 1, 1, 0, 0, 0)), 53 * H);
    calendar daily = mkcal(ny, ALLDAYS, 60, 120, NULL, 0);
    ck_assert_int_eq(
        calendar_counted(&daily, at(ny, 1990, 1, 1, 0, 0, 0), at(ny, 2030, 1, 1, 0, 0, 0)),
        (14610 + 40) * H);

    /* Office hours across the change: Fri 9:00 -> Mon 17:00 is 16 h even
     * though the wall clock says 79 h elapsed. */
    calendar week = mkcal(ny, WEEKDAYS, 9 * 60, 17 * 60, NULL, 0);
    ck_assert_int_eq(
        calendar_counted(&week, at(ny, 2026, 3, 6, 9, 0, 0), at(ny, 2026, 3, 9, 17, 0, 0)), 16 * H);
    tz_free(ny);
}
END_TEST

START_TEST(test_other_zones)
{
    tz_zone *kol = zone("Asia/Kolkata");
    tz_zone *syd = zone("Australia/Sydney");
    tz_zone *ny = zone("America/New_York");

    /* +05:30: 09:00-18:00 IST is 03:30Z-12:30Z; instants given in UTC. */
    calendar in = mkcal(kol, WEEKDAYS, 9 * 60, 18 * 60, NULL, 0);
    ck_assert_int_eq(calendar_counted(&in, civil(2026, 3, 2, 3, 0, 0), civil(2026, 3, 2, 13, 0, 0)),
                     9 * H);
    ck_assert_int_eq(
        calendar_counted(&in, civil(2026, 3, 2, 3, 29, 59), civil(2026, 3, 2, 3, 30, 1)), 1);
    /* Fri 17:30 IST -> Mon 09:30 IST. */
    ck_assert_int_eq(calendar_counted(&in, civil(2026, 3, 6, 12, 0, 0), civil(2026, 3, 9, 4, 0, 0)),
                     H);

    /* Sydney (+11 in March): Monday's hours begin on Sunday in UTC. */
    calendar au = mkcal(syd, WEEKDAYS, 9 * 60, 17 * 60, NULL, 0);
    ck_assert_int_eq(calendar_counted(&au, civil(2026, 3, 1, 20, 0, 0), civil(2026, 3, 2, 8, 0, 0)),
                     8 * H);
    ck_assert_int_eq(
        calendar_counted(&au, civil(2026, 3, 1, 22, 0, 0), civil(2026, 3, 1, 23, 0, 0)), H);
    /* Friday business hours in UTC are Friday evening and Saturday there. */
    ck_assert_int_eq(calendar_counted(&au, civil(2026, 3, 6, 7, 0, 0), civil(2026, 3, 7, 7, 0, 0)),
                     0);
    /* Southern hemisphere: 2026-04-05 falls back, 2026-10-04 springs forward. */
    calendar sun = mkcal(syd, SUN, 0, 24 * 60, NULL, 0);
    ck_assert_int_eq(
        calendar_counted(&sun, at(syd, 2026, 4, 3, 0, 0, 0), at(syd, 2026, 4, 7, 0, 0, 0)), 25 * H);
    ck_assert_int_eq(
        calendar_counted(&sun, at(syd, 2026, 10, 2, 0, 0, 0), at(syd, 2026, 10, 6, 0, 0, 0)),
        23 * H);

    /* New York with UTC data either side of the change. */
    calendar us = mkcal(ny, WEEKDAYS, 9 * 60, 17 * 60, NULL, 0);
    ck_assert_int_eq(
        calendar_counted(&us, civil(2026, 3, 2, 14, 0, 0), civil(2026, 3, 2, 22, 0, 0)), 8 * H);
    ck_assert_int_eq(
        calendar_counted(&us, civil(2026, 3, 9, 13, 0, 0), civil(2026, 3, 9, 21, 0, 0)), 8 * H);
    ck_assert_int_eq(
        calendar_counted(&us, civil(2026, 3, 9, 14, 0, 0), civil(2026, 3, 9, 22, 0, 0)), 7 * H);
    tz_free(kol);
    tz_free(syd);
    tz_free(ny);
}
END_TEST

START_TEST(test_window_to_midnight)
{
    tz_zone *utc = zone("UTC");
    calendar c = mkcal(utc, WEEKDAYS, 18 * 60, 24 * 60, NULL, 0);
    /* Fri 20:00 -> Sat 02:00: Saturday is not a working day. */
    ck_assert_int_eq(calendar_counted(&c, civil(2026, 3, 6, 20, 0, 0), civil(2026, 3, 7, 2, 0, 0)),
                     4 * H);
    ck_assert_int_eq(
        calendar_counted(&c, civil(2026, 3, 2, 23, 59, 59), civil(2026, 3, 3, 0, 0, 1)), 1);
    ck_assert_int_eq(calendar_counted(&c, civil(2026, 3, 2, 23, 0, 0), civil(2026, 3, 3, 19, 0, 0)),
                     2 * H);
    ck_assert_int_eq(calendar_counted(&c, civil(2026, 3, 8, 23, 0, 0), civil(2026, 3, 9, 1, 0, 0)),
                     0);
    tz_free(utc);
}
END_TEST

START_TEST(test_around_the_clock_is_elapsed)
{
    const char *names[] = {"America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"};
    for (size_t z = 0; z < 4; z++) {
        tz_zone *tz = zone(names[z]);
        calendar c = mkcal(tz, ALLDAYS, 0, 24 * 60, NULL, 0);
        for (int i = 0; i < 200; i++) {
            int64_t a = rnd_in(civil(2020, 1, 1, 0, 0, 0), civil(2030, 1, 1, 0, 0, 0));
            int64_t b = a + rnd_in(0, 400 * 86400LL);
            ck_assert_int_eq(calendar_counted(&c, a, b), b - a);
        }
        int64_t a = civil(1950, 6, 1, 12, 34, 56), b = civil(2050, 6, 1, 1, 2, 3);
        ck_assert_int_eq(calendar_counted(&c, a, b), b - a);
        tz_free(tz);
    }
}
END_TEST

START_TEST(test_brute_force)
{
    tz_zone *zones[] = {zone("America/New_York"), zone("Australia/Sydney"), zone("Asia/Kolkata")};
    /* The 2026 offset changes of the first two, to aim spans at them. */
    int64_t changes[] = {civil(2026, 3, 8, 7, 0, 0), civil(2026, 11, 1, 6, 0, 0),
                         civil(2026, 4, 4, 16, 0, 0), civil(2026, 10, 3, 16, 0, 0)};
    int32_t hol[6];
    for (int i = 0; i < 300; i++) {
        tz_zone *z = zones[rnd() % 3];
        unsigned days = (unsigned)rnd_in(1, 127);
        int s = (int)rnd_in(0, 1439), e = (int)rnd_in(s + 1, 1440);
        if (i % 4 == 0) s = 0, e = 1440;
        if (i % 4 == 1) s = (int)rnd_in(60, 150), e = (int)rnd_in(s + 1, 200); /* edges near 2:00 */
        int64_t a;
        if (i % 2 == 0)
            a = changes[rnd() % 4] - rnd_in(0, 5 * 86400);
        else
            a = rnd_in(civil(2026, 1, 1, 0, 0, 0), civil(2027, 1, 1, 0, 0, 0));
        int64_t b = a + (i % 5 == 0 ? rnd_in(0, 180) : rnd_in(0, 20 * 86400));
        /* Holidays around the span, sorted, sometimes repeated. */
        int32_t base = (int32_t)(a / 86400);
        size_t nh = (size_t)(rnd() % 7);
        for (size_t k = 0; k < nh; k++) hol[k] = base + (int32_t)rnd_in(-1, 21);
        for (size_t k = 1; k < nh; k++)
            for (size_t j = k; j > 0 && hol[j - 1] > hol[j]; j--) {
                int32_t t = hol[j];
                hol[j] = hol[j - 1];
                hol[j - 1] = t;
            }
        calendar c = mkcal(z, days, s, e, hol, nh);
        int64_t want = ref_counted(&c, a, b);
        int64_t got = calendar_counted(&c, a, b);
        ck_assert_msg(got == want, "span %d: %s days %#x %d-%d [%lld, %lld): got %lld, want %lld",
                      i, tz_name(z), days, s, e, (long long)a, (long long)b, (long long)got,
                      (long long)want);
        /* The microsecond form agrees on whole seconds. */
        ck_assert_int_eq(calendar_counted_us(&c, a * US, b * US), want * US);
    }
    for (int k = 0; k < 3; k++) tz_free(zones[k]);
}
END_TEST

START_TEST(test_microseconds)
{
    tz_zone *ny = zone("America/New_York");
    calendar c = mkcal(ny, WEEKDAYS, 9 * 60, 17 * 60, NULL, 0);
    int64_t nine = at(ny, 2026, 3, 4, 9, 0, 0) * US, five = at(ny, 2026, 3, 4, 17, 0, 0) * US;
    ck_assert_int_eq(calendar_counted_us(&c, nine - 500000, nine + 250000), 250000);
    ck_assert_int_eq(calendar_counted_us(&c, five - 250000, five + 500000), 250000);
    ck_assert_int_eq(calendar_counted_us(&c, nine + 1, five), 8 * H * US - 1);
    ck_assert_int_eq(calendar_counted_us(&c, nine, five + 1), 8 * H * US);
    ck_assert_int_eq(calendar_counted_us(&c, nine, nine + US), US);
    /* Within one second, working or not. */
    ck_assert_int_eq(calendar_counted_us(&c, nine + H * US + 100000, nine + H * US + 600000),
                     500000);
    ck_assert_int_eq(calendar_counted_us(&c, nine - 900000, nine - 100000), 0);
    ck_assert_int_eq(calendar_counted_us(NULL, 5, 12), 7);
    /* Before 1970 the floor, not truncation, picks the second. */
    tz_zone *utc = zone("UTC");
    calendar all = mkcal(utc, ALLDAYS, 0, 24 * 60, NULL, 0);
    ck_assert_int_eq(calendar_counted_us(&all, -1500000, -200000), 1300000);
    calendar wk = mkcal(utc, WEEKDAYS, 0, 24 * 60, NULL, 0); /* 1969-12-31 was a Wednesday */
    ck_assert_int_eq(calendar_counted_us(&wk, -1500000, 700000), 2200000);
    tz_free(utc);
    tz_free(ny);
}
END_TEST

START_TEST(test_wall_clock_and_clamping)
{
    ck_assert_int_eq(calendar_counted(NULL, 0, 100), 100);
    ck_assert_int_eq(calendar_elapsed(100, 0), -100);
    ck_assert_int_eq(calendar_elapsed(-5, 7), 12);
    ck_assert_int_eq(calendar_elapsed(INT64_MIN, INT64_MAX), INT64_MAX);
    ck_assert_int_eq(calendar_elapsed(INT64_MAX, INT64_MIN), INT64_MIN);
    ck_assert_int_eq(calendar_elapsed(INT64_MIN, -1), INT64_MAX);
    ck_assert_int_eq(calendar_counted(NULL, INT64_MIN, INT64_MAX), INT64_MAX);

    tz_zone *utc = zone("UTC");
    calendar all = mkcal(utc, ALLDAYS, 0, 24 * 60, NULL, 0);
    /* Instants are clamped to years 0000..9999. */
    ck_assert_int_eq(calendar_counted(&all, INT64_MIN, INT64_MIN + 1000), 0);
    ck_assert_int_eq(calendar_counted(&all, civil(9999, 12, 31, 0, 0, 0), INT64_MAX), 86400);
    ck_assert_int_eq(calendar_counted(&all, INT64_MIN, 0), -civil(0, 1, 1, 0, 0, 0));
    ck_assert_int_eq(calendar_counted_us(&all, INT64_MIN, INT64_MIN + 5), 0);
    tz_free(utc);
}
END_TEST

START_TEST(test_describe)
{
    tz_zone *ny = zone("America/New_York");
    tz_zone *utc = zone("UTC");
    char out[128];
    calendar c = mkcal(ny, WEEKDAYS, 9 * 60, 17 * 60, NULL, 0);
    calendar_describe(&c, out, sizeof out);
    ck_assert_str_eq(out, "mon-fri 09:00-17:00 America/New_York");

    calendar d = mkcal(utc, MON | WED | FRI | SAT | SUN, 0, 24 * 60, NULL, 0);
    calendar_describe(&d, out, sizeof out);
    ck_assert_str_eq(out, "mon,wed,fri-sun 00:00-24:00 UTC");

    calendar e = mkcal(utc, MON | TUE | THU | SAT | SUN, 8 * 60 + 30, 12 * 60 + 5, NULL, 0);
    calendar_describe(&e, out, sizeof out);
    ck_assert_str_eq(out, "mon,tue,thu,sat,sun 08:30-12:05 UTC");

    calendar f = mkcal(utc, ALLDAYS, 0, 60, NULL, 0);
    calendar_describe(&f, out, sizeof out);
    ck_assert_str_eq(out, "mon-sun 00:00-01:00 UTC");

    /* Truncation keeps a NUL inside the buffer and writes nothing for n == 0. */
    calendar_describe(&c, out, 8);
    ck_assert_str_eq(out, "mon-fri");
    calendar_describe(&c, out, 1);
    ck_assert_str_eq(out, "");
    strcpy(out, "keep");
    calendar_describe(&c, out, 0);
    ck_assert_str_eq(out, "keep");
    tz_free(ny);
    tz_free(utc);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("calendar");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_same_day);
    tcase_add_test(tc, test_exact_seconds);
    tcase_add_test(tc, test_overnight_and_weekend);
    tcase_add_test(tc, test_reversed_and_empty);
    tcase_add_test(tc, test_holidays);
    tcase_add_test(tc, test_before_1970);
    tcase_add_test(tc, test_long_spans);
    tcase_add_test(tc, test_dst_new_york);
    tcase_add_test(tc, test_other_zones);
    tcase_add_test(tc, test_window_to_midnight);
    tcase_add_test(tc, test_around_the_clock_is_elapsed);
    tcase_add_test(tc, test_brute_force);
    tcase_add_test(tc, test_microseconds);
    tcase_add_test(tc, test_wall_clock_and_clamping);
    tcase_add_test(tc, test_describe);
    suite_add_tcase(s, tc);
    return s;
}

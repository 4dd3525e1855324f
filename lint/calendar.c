/*
 * calendar.c - business-time arithmetic (see calendar.h for the contract).
 *
 * The obvious method, walking the span day by day and converting each day's
 * window to UTC, costs a few zone lookups per day: fine for a ticket open a
 * week, slow for the records whose "from" is a 1900-01-01 placeholder and
 * whose "to" is as-of.  Instead:
 *
 *   1. Cut [from, to) into pieces over which the zone's offset is constant.
 *      Within a piece local time is UTC shifted by a constant, so the piece
 *      maps onto one interval of the local timeline; a spring-forward gap
 *      falls between two pieces (its readings are never counted) and a
 *      fall-back overlap is covered by both (the repeated hour counts twice,
 *      as it really elapses twice).
 *   2. Count working seconds in a local interval [x, y) as G(y) - G(x), where
 *      G(t) is the working time from a fixed Monday up to t ignoring
 *      holidays, computed with whole weeks at once, then subtract each
 *      holiday's window inside [x, y) (binary search, then the few holidays
 *      in range).
 *
 * Everything is integer seconds: exact, no allocation, no state.
 */
#include "calendar.h"

#include <stdbool.h>
#include <stdio.h>

#define DAY_SECS   86400
#define US_PER_SEC 1000000
/* Probe step when looking for offset changes: below the closest pair of
 * changes in tzdata (3.99 days), so a change and its undoing cannot both
 * hide between two probes. */
#define PROBE_STEP (3 * DAY_SECS)
/* 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: the span SPEC dates can
 * spell.  Clamping bounds both the arithmetic and the probing. */
#define MIN_INSTANT (-62167219200LL)
#define MAX_INSTANT 253402300800LL

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && (a < 0) != (b < 0)) q--;
    return q;
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int popcount7(unsigned v)
{
    int n = 0;
    for (v &= 0x7f; v != 0; v &= v - 1) n++;
    return n;
}

/* Monday-based weekday (0 = Monday) of a day counted from 1970-01-01, which
 * was a Thursday. */
static int weekday(int64_t day)
{
    int64_t md = day + 3;
    return (int)(md - floor_div(md, 7) * 7);
}

/* G(t): working seconds in local time from Monday 1969-12-29 up to t,
 * holidays ignored; negative before it.  Only differences are used. */
static int64_t working_upto(const calendar *cal, int64_t t)
{
    int64_t s = (int64_t)cal->start_min * 60, e = (int64_t)cal->end_min * 60;
    unsigned days = cal->days & 0x7f;
    int64_t day = floor_div(t, DAY_SECS);
    int64_t tod = t - day * DAY_SECS;
    int64_t md = day + 3;
    int64_t weeks = floor_div(md, 7);
    int r = (int)(md - weeks * 7);
    int64_t ndays = weeks * popcount7(days) + popcount7(days & ((1u << r) - 1));
    int64_t g = ndays * (e - s);
    if (days >> r & 1) g += clamp64(tod, s, e) - s;
    return g;
}

/* Working seconds of the holidays' windows inside local [x, y). */
static int64_t holiday_overlap(const calendar *cal, int64_t x, int64_t y)
{
    int64_t s = (int64_t)cal->start_min * 60, e = (int64_t)cal->end_min * 60;
    int64_t lo = floor_div(x, DAY_SECS), hi = floor_div(y - 1, DAY_SECS);
    size_t a = 0, b = cal->nholidays;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (cal->holidays[m] < lo)
            a = m + 1;
        else
            b = m;
    }
    int64_t sum = 0;
    for (size_t i = a; i < cal->nholidays && cal->holidays[i] <= hi; i++) {
        int64_t h = cal->holidays[i];
        /* The list is sorted but may repeat a date; a weekend holiday was
         * never working time in the first place. */
        if (i > 0 && cal->holidays[i - 1] == h) continue;
        if (!(cal->days >> weekday(h) & 1)) continue;
        int64_t ws = h * DAY_SECS + s, we = h * DAY_SECS + e;
        int64_t o = (y < we ? y : we) - (x > ws ? x : ws);
        if (o > 0) sum += o;
    }
    return sum;
}

/* Working seconds in the local interval [x, y), x < y. */
static int64_t local_counted(const calendar *cal, int64_t x, int64_t y)
{
    return working_upto(cal, y) - working_upto(cal, x) - holiday_overlap(cal, x, y);
}

/* The first instant in (a, to) whose offset differs from off (the offset at
 * a), or to.  Probes every PROBE_STEP, then bisects to the exact second. */
static int64_t piece_end(const tz_zone *z, int64_t a, int32_t off, int64_t to)
{
    int64_t lo = a;
    while (lo < to - 1) {
        int64_t hi = to - 1 - lo > PROBE_STEP ? lo + PROBE_STEP : to - 1;
        if (tz_offset_at(z, hi) == off) {
            lo = hi;
            continue;
        }
        while (hi - lo > 1) {
            int64_t mid = lo + (hi - lo) / 2;
            if (tz_offset_at(z, mid) == off)
                lo = mid;
            else
                hi = mid;
        }
        return hi;
    }
    return to;
}

int64_t calendar_elapsed(int64_t from_utc, int64_t to_utc)
{
    if (from_utc >= 0 && to_utc < INT64_MIN + from_utc) return INT64_MIN;
    if (from_utc < 0 && to_utc > INT64_MAX + from_utc) return INT64_MAX;
    return to_utc - from_utc;
}

int64_t calendar_counted(const calendar *cal, int64_t from_utc, int64_t to_utc)
{
    if (to_utc <= from_utc) return 0;
    if (cal == NULL) return calendar_elapsed(from_utc, to_utc);
    int64_t a = clamp64(from_utc, MIN_INSTANT, MAX_INSTANT);
    int64_t to = clamp64(to_utc, MIN_INSTANT, MAX_INSTANT);
    int64_t sum = 0;
    int32_t off = a < to ? tz_offset_at(cal->zone, a) : 0;
    while (a < to) {
        int64_t b = piece_end(cal->zone, a, off, to);
        sum += local_counted(cal, a + off, b + off);
        if (b < to) off = tz_offset_at(cal->zone, b);
        a = b;
    }
    return sum;
}

int64_t calendar_counted_us(const calendar *cal, int64_t from_us, int64_t to_us)
{
    if (to_us <= from_us) return 0;
    if (cal == NULL) return calendar_elapsed(from_us, to_us);
    /* Window edges and offset changes fall on whole seconds, so a second is
     * either all working time or none: count the whole seconds in between,
     * then the partial seconds at either end by whether their second works. */
    int64_t fs = floor_div(from_us, US_PER_SEC), ts = floor_div(to_us, US_PER_SEC);
    if (fs == ts) return calendar_counted(cal, fs, fs + 1) ? to_us - from_us : 0;
    int64_t sum = calendar_counted(cal, fs + 1, ts) * US_PER_SEC;
    if (calendar_counted(cal, fs, fs + 1)) sum += (fs + 1) * US_PER_SEC - from_us;
    if (to_us > ts * US_PER_SEC && calendar_counted(cal, ts, ts + 1))
        sum += to_us - ts * US_PER_SEC;
    return sum;
}

/* Appends to out[0..n) at *pos, keeping it NUL-terminated; *pos stops at the
 * end once the text no longer fits. */
static void put(char *out, size_t n, size_t *pos, const char *s)
{
    while (*s != '\0' && *pos + 1 < n) out[(*pos)++] = *s++;
    if (n > 0) out[*pos] = '\0';
}

void calendar_describe(const calendar *cal, char *out, size_t n)
{
    static const char *const names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    size_t pos = 0;
    bool first = true;
    if (n > 0) out[0] = '\0';
    for (int d = 0; d < 7;) {
        if (!(cal->days >> d & 1)) {
            d++;
            continue;
        }
        int end = d;
        while (end + 1 < 7 && cal->days >> (end + 1) & 1) end++;
        if (!first) put(out, n, &pos, ",");
        first = false;
        put(out, n, &pos, names[d]);
        if (end > d) {
            put(out, n, &pos, end - d >= 2 ? "-" : ",");
            put(out, n, &pos, names[end]);
        }
        d = end + 1;
    }
    char hours[64];
    snprintf(hours, sizeof hours, " %02d:%02d-%02d:%02d ", cal->start_min / 60, cal->start_min % 60,
             cal->end_min / 60, cal->end_min % 60);
    put(out, n, &pos, hours);
    put(out, n, &pos, tz_name(cal->zone));
}

/*
 * test_tz.c - time zones read from TZif files: real zones across daylight
 * saving changes in both hemispheres, the POSIX footer rule far in the
 * future, gaps and repeated hours, synthetic files for every footer form
 * (Jn, n, Mm.w.d, negative and beyond-24h times, all-year DST), v1 files,
 * corrupt files and bad names.
 *
 * Expected instants were cross-checked against glibc (TZ=... date) and
 * Python's zoneinfo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tz.h"
#include "xalloc.h"
#include "unit.h"

/* Seconds since the epoch of a UTC civil time (days_from_civil). */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    y -= mo <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    return days * 86400 + h * 3600 + mi * 60 + s;
}

static tz_zone *load_ok(const char *name)
{
    char err[256] = "";
    tz_zone *z = tz_load(name, err, sizeof err);
    ck_assert_msg(z != NULL, "loading %s: %s", name, err);
    return z;
}

/* ---- synthetic TZif files ---- */

static char tmpdir[64];

static void make_tmpdir(void)
{
    strcpy(tmpdir, "/tmp/crmlint-tz-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    ck_assert_int_eq(setenv("TZDIR", tmpdir, 1), 0);
}

static void put32(FILE *f, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    fwrite(b, 1, 4, f);
}

static void put64(FILE *f, int64_t v)
{
    put32(f, (uint32_t)((uint64_t)v >> 32));
    put32(f, (uint32_t)v);
}

/* Writes tmpdir/name: version '\0' (v1) or '2'/'3', with the given
 * transitions (type indices idx), type offsets and footer (v2+ only). */
static void write_tzif(const char *name, char version, int ntrans, const int64_t *times,
                       const unsigned char *idx, int ntypes, const int32_t *offs,
                       const char *footer)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (int pass = 0; pass < (version ? 2 : 1); pass++) {
        int tsize = pass == 0 ? 4 : 8;
        fwrite("TZif", 1, 4, f);
        fputc(version, f);
        for (int k = 0; k < 15; k++) fputc(0, f);
        put32(f, 0); /* isutcnt */
        put32(f, 0); /* isstdcnt */
        put32(f, 0); /* leapcnt */
        put32(f, (uint32_t)ntrans);
        put32(f, (uint32_t)ntypes);
        put32(f, 4); /* charcnt */
        for (int k = 0; k < ntrans; k++) {
            if (tsize == 4)
                put32(f, (uint32_t)(int32_t)times[k]);
            else
                put64(f, times[k]);
        }
        for (int k = 0; k < ntrans; k++) fputc(idx[k], f);
        for (int k = 0; k < ntypes; k++) {
            put32(f, (uint32_t)offs[k]);
            fputc(k > 0, f);
            fputc(0, f);
        }
        fwrite("XXX", 1, 4, f);
    }
    if (version) fprintf(f, "\n%s\n", footer);
    fclose(f);
}

static void write_footer_zone(const char *name, int32_t off0, const char *footer)
{
    write_tzif(name, '2', 0, NULL, NULL, 1, &off0, footer);
}

static void remove_tmpdir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
    unsetenv("TZDIR");
}

/* ---- tests ---- */

START_TEST(test_utc_builtin)
{
    /* UTC must work without any tzdata at all. */
    make_tmpdir();
    tz_zone *z = load_ok("UTC");
    ck_assert_str_eq(tz_name(z), "UTC");
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 3, 8, 7, 0, 0)), 0);
    ck_assert_int_eq(tz_local_to_utc(z, 1234567890), 1234567890);
    ck_assert_int_eq(tz_utc_to_local(z, -5), -5);
    tz_free(z);
    z = load_ok("Etc/UTC");
    ck_assert_int_eq(tz_offset_at(z, 0), 0);
    tz_free(z);
    remove_tmpdir();
}
END_TEST

START_TEST(test_new_york_2026)
{
    unsetenv("TZDIR");
    tz_zone *z = load_ok("America/New_York");
    ck_assert_str_eq(tz_name(z), "America/New_York");
    /* Spring forward 2026-03-08 07:00Z, fall back 2026-11-01 06:00Z. */
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 3, 8, 6, 59, 59)), -5 * 3600);
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 3, 8, 7, 0, 0)), -4 * 3600);
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 11, 1, 5, 59, 59)), -4 * 3600);
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 11, 1, 6, 0, 0)), -5 * 3600);
    ck_assert_int_eq(tz_utc_to_local(z, utc(2026, 7, 1, 16, 0, 0)), utc(2026, 7, 1, 12, 0, 0));
    /* Ordinary readings. */
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 7, 1, 12, 0, 0)), utc(2026, 7, 1, 16, 0, 0));
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 1, 15, 9, 0, 0)), utc(2026, 1, 15, 14, 0, 0));
    /* Before LMT ended: type 0 (-4:56:02). */
    ck_assert_int_eq(tz_offset_at(z, utc(1800, 1, 1, 0, 0, 0)), -17762);
    tz_free(z);
}
END_TEST

START_TEST(test_new_york_gap_and_fold)
{
    unsetenv("TZDIR");
    tz_zone *z = load_ok("America/New_York");
    /* 02:30 does not exist on 2026-03-08: moves forward to 03:30 EDT. */
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 3, 8, 2, 30, 0)), utc(2026, 3, 8, 7, 30, 0));
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 3, 8, 2, 0, 0)), utc(2026, 3, 8, 7, 0, 0));
    /* Either side of the gap. */
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 3, 8, 1, 59, 59)), utc(2026, 3, 8, 6, 59, 59));
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 3, 8, 3, 0, 0)), utc(2026, 3, 8, 7, 0, 0));
    /* 01:30 happens twice on 2026-11-01: the first one (EDT). */
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 11, 1, 1, 30, 0)), utc(2026, 11, 1, 5, 30, 0));
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 11, 1, 1, 0, 0)), utc(2026, 11, 1, 5, 0, 0));
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 11, 1, 0, 59, 59)), utc(2026, 11, 1, 4, 59, 59));
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 11, 1, 2, 0, 0)), utc(2026, 11, 1, 7, 0, 0));
    tz_free(z);
}
END_TEST

START_TEST(test_berlin)
{
    unsetenv("TZDIR");
    tz_zone *z = load_ok("Europe/Berlin");
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 3, 29, 0, 59, 59)), 3600);
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 3, 29, 1, 0, 0)), 7200);
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 10, 25, 0, 59, 59)), 7200);
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 10, 25, 1, 0, 0)), 3600);
    /* Gap 02:00-03:00 on 03-29; 02:00-03:00 repeated on 10-25. */
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 3, 29, 2, 30, 0)), utc(2026, 3, 29, 1, 30, 0));
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 10, 25, 2, 30, 0)), utc(2026, 10, 25, 0, 30, 0));
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 10, 25, 3, 0, 0)), utc(2026, 10, 25, 2, 0, 0));
    tz_free(z);
}
END_TEST

START_TEST(test_sydney_southern)
{
    unsetenv("TZDIR");
    tz_zone *z = load_ok("Australia/Sydney");
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 1, 15, 0, 0, 0)), 11 * 3600);
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 7, 15, 0, 0, 0)), 10 * 3600);
    /* DST ends 2026-04-05 03:00 AEDT, starts 2026-10-04 02:00 AEST. */
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 4, 4, 15, 59, 59)), 11 * 3600);
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 4, 4, 16, 0, 0)), 10 * 3600);
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 10, 3, 15, 59, 59)), 10 * 3600);
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 10, 3, 16, 0, 0)), 11 * 3600);
    /* 02:30 on 2026-04-05 happens twice: first is AEDT; on 10-04 it is a gap. */
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 4, 5, 2, 30, 0)), utc(2026, 4, 4, 15, 30, 0));
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 10, 4, 2, 30, 0)), utc(2026, 10, 3, 16, 30, 0));
    /* Far future through the footer rule. */
    ck_assert_int_eq(tz_offset_at(z, utc(2100, 4, 3, 15, 59, 59)), 11 * 3600);
    ck_assert_int_eq(tz_offset_at(z, utc(2100, 4, 3, 16, 0, 0)), 10 * 3600);
    ck_assert_int_eq(tz_offset_at(z, utc(2100, 10, 2, 16, 0, 0)), 11 * 3600);
    tz_free(z);
}
END_TEST

START_TEST(test_kolkata)
{
    unsetenv("TZDIR");
    tz_zone *z = load_ok("Asia/Kolkata");
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 6, 1, 0, 0, 0)), 19800);
    ck_assert_int_eq(tz_offset_at(z, utc(2100, 6, 1, 0, 0, 0)), 19800);
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 1, 1, 5, 30, 0)), utc(2026, 1, 1, 0, 0, 0));
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 1, 1, 0, 0, 0)), utc(2025, 12, 31, 18, 30, 0));
    tz_free(z);
}
END_TEST

START_TEST(test_footer_far_future)
{
    unsetenv("TZDIR");
    tz_zone *z = load_ok("America/New_York");
    /* 2100: second Sunday of March is the 14th, first Sunday of November the 7th. */
    ck_assert_int_eq(tz_offset_at(z, utc(2100, 1, 1, 0, 0, 0)), -5 * 3600);
    ck_assert_int_eq(tz_offset_at(z, utc(2100, 3, 14, 6, 59, 59)), -5 * 3600);
    ck_assert_int_eq(tz_offset_at(z, utc(2100, 3, 14, 7, 0, 0)), -4 * 3600);
    ck_assert_int_eq(tz_offset_at(z, utc(2100, 11, 7, 5, 59, 59)), -4 * 3600);
    ck_assert_int_eq(tz_offset_at(z, utc(2100, 11, 7, 6, 0, 0)), -5 * 3600);
    ck_assert_int_eq(tz_local_to_utc(z, utc(2100, 3, 14, 2, 30, 0)), utc(2100, 3, 14, 7, 30, 0));
    ck_assert_int_eq(tz_local_to_utc(z, utc(2100, 11, 7, 1, 30, 0)), utc(2100, 11, 7, 5, 30, 0));
    /* Absurdly far instants stay defined (and do not overflow). */
    int32_t far = tz_offset_at(z, INT64_MAX / 2);
    ck_assert(far == -5 * 3600 || far == -4 * 3600);
    ck_assert_int_eq(tz_offset_at(z, INT64_MIN / 2), -17762);
    tz_free(z);

    /* "IST-2IDT,M3.4.4/26,M10.5.0": a start time beyond 24h (Thursday 26:00). */
    z = load_ok("Asia/Jerusalem");
    ck_assert_int_eq(tz_offset_at(z, utc(2100, 3, 25, 23, 59, 59)), 7200);
    ck_assert_int_eq(tz_offset_at(z, utc(2100, 3, 26, 0, 0, 0)), 10800);
    ck_assert_int_eq(tz_offset_at(z, utc(2100, 10, 30, 22, 59, 59)), 10800);
    ck_assert_int_eq(tz_offset_at(z, utc(2100, 10, 30, 23, 0, 0)), 7200);
    tz_free(z);
}
END_TEST

START_TEST(test_footer_only_files)
{
    make_tmpdir();
    tz_zone *z;

    /* Fixed offset with a quoted name and minutes. */
    write_footer_zone("Fixed", 12600, "<+0330>-3:30");
    z = load_ok("Fixed");
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 1, 1, 0, 0, 0)), 12600);
    ck_assert_int_eq(tz_offset_at(z, utc(1900, 1, 1, 0, 0, 0)), 12600);
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 1, 1, 3, 30, 0)), utc(2026, 1, 1, 0, 0, 0));
    tz_free(z);

    /* Southern-hemisphere M rule with an end time of 03:00. */
    write_footer_zone("South", 36000, "AEST-10AEDT,M10.1.0,M4.1.0/3");
    z = load_ok("South");
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 4, 4, 15, 59, 59)), 39600);
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 4, 4, 16, 0, 0)), 36000);
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 10, 3, 16, 0, 0)), 39600);
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 12, 31, 23, 0, 0)), 39600);
    tz_free(z);

    /* Negative rule time: M3.5.0/-1 is Saturday 23:00 local. */
    write_footer_zone("Neg", -7200, "<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
    z = load_ok("Neg");
    ck_assert_int_eq(tz_offset_at(z, utc(2100, 3, 28, 0, 59, 59)), -7200);
    ck_assert_int_eq(tz_offset_at(z, utc(2100, 3, 28, 1, 0, 0)), -3600);
    ck_assert_int_eq(tz_offset_at(z, utc(2100, 10, 31, 0, 59, 59)), -3600);
    ck_assert_int_eq(tz_offset_at(z, utc(2100, 10, 31, 1, 0, 0)), -7200);
    tz_free(z);

    /* Jn never counts Feb 29: J60 is March 1 even in 2028. */
    write_footer_zone("Jul", 7200, "AAA-2BBB,J60,J300");
    z = load_ok("Jul");
    ck_assert_int_eq(tz_offset_at(z, utc(2028, 2, 29, 23, 59, 59)), 7200);
    ck_assert_int_eq(tz_offset_at(z, utc(2028, 3, 1, 0, 0, 0)), 10800);
    ck_assert_int_eq(tz_offset_at(z, utc(2028, 10, 26, 22, 59, 59)), 10800);
    ck_assert_int_eq(tz_offset_at(z, utc(2028, 10, 26, 23, 0, 0)), 7200);
    tz_free(z);

    /* Zero-based n counts Feb 29: day 59 of 2028 is Feb 29. */
    write_footer_zone("Zero", 7200, "AAA-2BBB,59,299");
    z = load_ok("Zero");
    ck_assert_int_eq(tz_offset_at(z, utc(2028, 2, 28, 23, 59, 59)), 7200);
    ck_assert_int_eq(tz_offset_at(z, utc(2028, 2, 29, 0, 0, 0)), 10800);
    ck_assert_int_eq(tz_offset_at(z, utc(2028, 10, 25, 23, 0, 0)), 7200);
    tz_free(z);

    /* RFC 8536 v3 all-year DST. */
    write_footer_zone("AllYear", -18000, "EST5EDT,0/0,J365/25");
    z = load_ok("AllYear");
    ck_assert_int_eq(tz_offset_at(z, utc(2030, 1, 1, 0, 0, 0)), -14400);
    ck_assert_int_eq(tz_offset_at(z, utc(2030, 1, 1, 4, 59, 59)), -14400);
    ck_assert_int_eq(tz_offset_at(z, utc(2030, 1, 1, 5, 0, 0)), -14400);
    ck_assert_int_eq(tz_offset_at(z, utc(2030, 7, 1, 0, 0, 0)), -14400);
    ck_assert_int_eq(tz_offset_at(z, utc(2030, 12, 31, 23, 30, 0)), -14400);
    tz_free(z);

    /* Default DST offset (std + 1h) with an explicit US rule. */
    write_footer_zone("Dflt", -18000, "EST5EDT,M3.2.0,M11.1.0");
    z = load_ok("Dflt");
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 3, 8, 7, 0, 0)), -14400);
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 3, 8, 2, 30, 0)), utc(2026, 3, 8, 7, 30, 0));
    tz_free(z);

    /* Explicit half-hour DST offset (Lord Howe): a 30-minute gap. */
    write_footer_zone("Howe", 37800, "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
    z = load_ok("Howe");
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 1, 15, 0, 0, 0)), 39600);
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 7, 15, 0, 0, 0)), 37800);
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 10, 3, 15, 29, 59)), 37800);
    ck_assert_int_eq(tz_offset_at(z, utc(2026, 10, 3, 15, 30, 0)), 39600);
    ck_assert_int_eq(tz_local_to_utc(z, utc(2026, 10, 4, 2, 15, 0)), utc(2026, 10, 3, 15, 45, 0));
    tz_free(z);

    remove_tmpdir();
}
END_TEST

START_TEST(test_v1_and_empty_footer)
{
    make_tmpdir();
    int64_t times[2] = {1000, 2000};
    unsigned char idx[2] = {1, 0};
    int32_t offs[2] = {0, 3600};

    write_tzif("V1", '\0', 2, times, idx, 2, offs, NULL);
    tz_zone *z = load_ok("V1");
    ck_assert_int_eq(tz_offset_at(z, 999), 0);
    ck_assert_int_eq(tz_offset_at(z, 1000), 3600);
    ck_assert_int_eq(tz_offset_at(z, 1999), 3600);
    ck_assert_int_eq(tz_offset_at(z, 2000), 0);
    ck_assert_int_eq(tz_offset_at(z, 1LL << 40), 0);
    tz_free(z);

    /* v2 with an empty footer: the last transition's type holds forever. */
    idx[1] = 1;
    times[1] = utc(2100, 1, 1, 0, 0, 0); /* beyond 32 bits: only the v2 block has it */
    write_tzif("V2", '2', 2, times, idx, 2, offs, "");
    z = load_ok("V2");
    ck_assert_int_eq(tz_offset_at(z, 999), 0);
    ck_assert_int_eq(tz_offset_at(z, utc(2200, 1, 1, 0, 0, 0)), 3600);
    tz_free(z);
    remove_tmpdir();
}
END_TEST

START_TEST(test_bad_files)
{
    make_tmpdir();
    char err[256];
    int32_t off = 0;
    char path[256];

    /* Truncated. */
    snprintf(path, sizeof path, "%s/Trunc", tmpdir);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fwrite("TZif2\0\0\0", 1, 8, f);
    fclose(f);
    ck_assert_ptr_null(tz_load("Trunc", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "is not a valid TZif file"));
    ck_assert_ptr_nonnull(strstr(err, "\"Trunc\""));

    /* Not a TZif file at all. */
    snprintf(path, sizeof path, "%s/Text", tmpdir);
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("hello world, this is not a time zone file at all, really\n", f);
    fclose(f);
    ck_assert_ptr_null(tz_load("Text", err, sizeof err));

    /* Unparseable footers. */
    write_footer_zone("Foot1", off, "garbage");
    ck_assert_ptr_null(tz_load("Foot1", err, sizeof err));
    write_footer_zone("Foot2", off, "EST5EDT,M13.1.0,M11.1.0");
    ck_assert_ptr_null(tz_load("Foot2", err, sizeof err));
    write_footer_zone("Foot3", off, "EST5EDT,M3.2.0");
    ck_assert_ptr_null(tz_load("Foot3", err, sizeof err));

    /* A directory is not a zone. */
    ck_assert_int_eq(mkdir(strcat(strcpy(path, tmpdir), "/Dir"), 0700), 0);
    ck_assert_ptr_null(tz_load("Dir", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "unknown time zone \"Dir\""));
    remove_tmpdir();
}
END_TEST

START_TEST(test_bad_names)
{
    char err[256];
    unsetenv("TZDIR");
    ck_assert_ptr_null(tz_load("Mars/Olympus", err, sizeof err));
    ck_assert_str_eq(err,
                     "unknown time zone \"Mars/Olympus\" (no such file in /usr/share/zoneinfo)");

    static const char *const bad[] = {"../etc/passwd",
                                      "/etc/passwd",
                                      "America/../UTC",
                                      "America/New York",
                                      "",
                                      "America/",
                                      "Europe//Berlin",
                                      "Europe/Berlin\n",
                                      "Zone;rm",
                                      "Évora",
                                      ".",
                                      "a.b"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        err[0] = '\0';
        ck_assert_msg(tz_load(bad[k], err, sizeof err) == NULL, "accepted \"%s\"", bad[k]);
        ck_assert_msg(strncmp(err, "invalid time zone name", 22) == 0, "%s: %s", bad[k], err);
    }
    ck_assert_ptr_null(tz_load("Europe/Berlin\n", err, sizeof err));
    ck_assert_str_eq(err, "invalid time zone name \"Europe/Berlin?\"");
    /* Directory names are not zones either. */
    ck_assert_ptr_null(tz_load("America", err, sizeof err));
    ck_assert_str_eq(err, "unknown time zone \"America\" (no such file in /usr/share/zoneinfo)");

    /* The name characters that real zones use are fine. */
    tz_zone *z = load_ok("Etc/GMT+5");
    ck_assert_int_eq(tz_offset_at(z, 0), -5 * 3600);
    ck_assert_int_eq(tz_local_to_utc(z, 0), 5 * 3600);
    tz_free(z);
    z = load_ok("America/Port-au-Prince");
    tz_free(z);
}
END_TEST

START_TEST(test_out_of_memory)
{
    /* Every allocation failure must give NULL with a message and no leak. */
    unsetenv("TZDIR");
    for (unsigned long n = 1; n < 10; n++) {
        char err[256] = "";
        xalloc_fail_after(n);
        tz_zone *z = tz_load("America/New_York", err, sizeof err);
        xalloc_fail_after(0);
        if (z != NULL) {
            ck_assert_int_eq(tz_offset_at(z, utc(2026, 7, 1, 0, 0, 0)), -4 * 3600);
            tz_free(z);
            break;
        }
        ck_assert_ptr_nonnull(strstr(err, "out of memory"));
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("tz");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_utc_builtin);
    tcase_add_test(tc, test_new_york_2026);
    tcase_add_test(tc, test_new_york_gap_and_fold);
    tcase_add_test(tc, test_berlin);
    tcase_add_test(tc, test_sydney_southern);
    tcase_add_test(tc, test_kolkata);
    tcase_add_test(tc, test_footer_far_future);
    tcase_add_test(tc, test_footer_only_files);
    tcase_add_test(tc, test_v1_and_empty_footer);
    tcase_add_test(tc, test_bad_files);
    tcase_add_test(tc, test_bad_names);
    tcase_add_test(tc, test_out_of_memory);
    suite_add_tcase(s, tc);
    return s;
}

/*
 * tz.h - IANA time zones read from the system's tzdata (TZif files).
 *
 * crmlint needs many zones in one run (the pack's zone, each calendar's), so
 * it never touches the process-wide TZ variable: it reads the compiled zone
 * files itself (/usr/share/zoneinfo, or $TZDIR), version 1, 2 and 3, including
 * the POSIX TZ footer rule used for instants after the last transition.
 *
 * Times are seconds since the Unix epoch (int64).  A "local" time is the
 * seconds-since-epoch value of the wall-clock reading as if it were UTC.
 */
#ifndef CRMLINT_TZ_H
#define CRMLINT_TZ_H

#include <stddef.h>
#include <stdint.h>

typedef struct tz_zone tz_zone;

/* Loads "UTC", "Etc/UTC", "America/New_York", ...  Names with "..", a leading
 * "/" or characters outside [A-Za-z0-9_+-/] are rejected.  On failure returns
 * NULL and writes a one-line reason into err (errlen bytes). */
tz_zone *tz_load(const char *name, char *err, size_t errlen);
void tz_free(tz_zone *z);
const char *tz_name(const tz_zone *z);

/* UTC offset in seconds (east positive) in force at the UTC instant t. */
int32_t tz_offset_at(const tz_zone *z, int64_t utc);

/* Converts a local wall-clock reading to UTC.  In a daylight-saving gap the
 * reading moves forward by the gap (02:30 on a spring-forward night becomes
 * 03:30 local); in a repeated hour it takes the first occurrence. */
int64_t tz_local_to_utc(const tz_zone *z, int64_t local);

/* UTC instant to local wall-clock seconds. */
static inline int64_t tz_utc_to_local(const tz_zone *z, int64_t utc)
{
    return utc + tz_offset_at(z, utc);
}

#endif

/*
 * calendar.h - business-time arithmetic for the `sla` rule.
 *
 * SPEC §3 `sla`: under a calendar the counted time between two instants is
 * only the time inside its working hours: one HH:MM-HH:MM window (24:00
 * allowed) in the calendar's zone, on its `days`, minus its `holidays`
 * (local dates).  Units keep their meaning, so the result is plain seconds.
 *
 * Precisely, an instant t counts when its wall-clock reading in the
 * calendar's zone, L = t + offset(t), falls on a working day that is not a
 * holiday, at a time of day in [start, end).  Consequences on the days a
 * zone changes its offset:
 *   - a 09:00-17:00 window is still eight real hours (the change is at night);
 *   - a 00:00-24:00 window is the real length of the local day: 23 h on a
 *     spring-forward day, 25 h on a fall-back day (the repeated hour counts
 *     twice, because it really elapses twice);
 *   - readings that do not exist (the skipped hour) never count, so a window
 *     starting inside the gap starts counting when the clock resumes.
 * With all seven days, 00:00-24:00 and no holidays the result equals the
 * wall-clock elapsed time.
 *
 * Cost: the span is cut where the zone's offset changes, and each piece is
 * counted arithmetically (whole weeks at once, holidays by binary search),
 * so the cost does not grow with the number of working days.  The offset
 * changes are found by probing the zone every 3 days (tz.h exposes no
 * "next transition" call); this assumes a zone never changes its offset
 * and changes it back within 3 days (the closest pair in tzdata is 3.99 days
 * apart, Africa/Freetown 1939).  A 100-year span costs ~12,000 offset
 * lookups.  Instants are clamped to years 0000..9999, the dates SPEC
 * values can spell, so no input can overflow or loop for long.
 *
 * Pure functions of their arguments: no allocation, no shared state.
 */
#ifndef CRMLINT_CALENDAR_H
#define CRMLINT_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "pack.h"

/* Seconds of working time in [from_utc, to_utc) under cal (UTC instants in
 * seconds).  0 when to_utc <= from_utc.  cal NULL means the wall clock:
 * to_utc - from_utc. */
int64_t calendar_counted(const calendar *cal, int64_t from_utc, int64_t to_utc);

/* As calendar_counted for instants in microseconds (dt_value.utc_us), result
 * in microseconds: a partial second counts for what it covers, so a span one
 * microsecond over its limit can be told from one exactly at it. */
int64_t calendar_counted_us(const calendar *cal, int64_t from_us, int64_t to_us);

/* Seconds between two instants on the wall clock, to - from (negative when
 * to is earlier), saturating at the int64 limits. */
int64_t calendar_elapsed(int64_t from_utc, int64_t to_utc);

/* For messages: "mon-fri 09:00-17:00 America/New_York".  Runs of three or
 * more days are written as ranges, others listed: "mon,wed,fri-sun".
 * Truncated to fit n bytes (always NUL-terminated when n > 0). */
void calendar_describe(const calendar *cal, char *out, size_t n);

#endif

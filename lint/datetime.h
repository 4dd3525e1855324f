/*
 * datetime.h - parsing dates and times as the rule pack defines them.
 *
 * Always accepted (SPEC §3 "Dates and times"): YYYY-MM-DD, optionally
 * followed by 'T' or one space, HH:MM, optional :SS, an optional fraction
 * (kept to the microsecond, more digits truncated), and an optional 'Z',
 * +-HH:MM or +-HHMM.  Out-of-range fields (2026-02-30, 25:00, 24:00) make a
 * value unparseable.  Extra strptime-style formats come from
 * settings.date_formats; one without an hour directive yields a date-only
 * value.  A value without an offset is local time in the parser's zone.
 *
 * Parsing is pure (no locale, no TZ variable, no allocation) so it is safe
 * on the hot path and from several threads.
 */
#ifndef CRMLINT_DATETIME_H
#define CRMLINT_DATETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tz.h"

typedef struct dt_value {
    int64_t utc_us;  /* the instant, microseconds since the epoch (UTC);
                        for a date-only value: 00:00 of that day in the zone */
    int32_t days;    /* date-only: days since 1970-01-01 of the date as
                        written; otherwise the date of the instant in the
                        parser's zone (the written date unless an offset
                        was written or a DST gap crossed midnight) */
    bool date_only;  /* no time of day was written (or the column is typed date) */
    bool has_offset; /* Z or +-HH:MM was written */
    bool midnight;   /* a time was written and it is exactly 00:00[:00], no fraction */
} dt_value;

typedef struct dt_parser dt_parser;

/* zone: borrowed, must outlive the parser.  formats: extra strptime-style
 * formats (borrowed array, may be NULL when nformats is 0).  Supported
 * directives: %Y %m %d %e %H %I %M %S %p %y %b %B (English month names) %j
 * is NOT supported; %f fraction; %z offset; %% and literal characters; a
 * space matches one or more spaces.  Returns NULL and fills err when a
 * format uses an unsupported directive. */
dt_parser *dt_parser_new(const tz_zone *zone, const char *const *formats, size_t nformats,
                         char *err, size_t errlen);
void dt_parser_free(dt_parser *p);
const tz_zone *dt_parser_zone(const dt_parser *p);

/* Parses s[0..n) (already trimmed).  Returns true and fills *out on success. */
bool dt_parse(const dt_parser *p, const char *s, size_t n, dt_value *out);

/* As dt_parse, then forces a date-only value keeping the date as written
 * (a column typed `date`: "2023-05-11 00:00:00" -> 2023-05-11). */
bool dt_parse_date(const dt_parser *p, const char *s, size_t n, dt_value *out);

/* Days since 1970-01-01 for a proleptic Gregorian date, and back. */
int32_t dt_days_from_civil(int y, unsigned m, unsigned d);
void dt_civil_from_days(int32_t days, int *y, unsigned *m, unsigned *d);
bool dt_valid_date(int y, unsigned m, unsigned d);

/* Parses an --as-of / settings.as_of instant: 2026-11-22 (00:00 in zone),
 * 2026-11-22T09:00:00Z, 2026-11-22T09:00:00-05:00 (any form dt_parse takes
 * with the always-accepted grammar).  Returns the instant in microseconds. */
bool dt_parse_instant(const tz_zone *zone, const char *s, int64_t *utc_us);

/* Writes YYYY-MM-DDTHH:MM:SSZ (21 bytes incl. NUL) for a UTC instant. */
void dt_format_utc(int64_t utc_us, char out[21]);

/* Durations (SPEC §3): one or more <digits><unit>, units s m h d w.
 * Returns false for anything else (empty, unknown unit, overflow). */
bool dt_parse_duration(const char *s, int64_t *seconds);
/* Human form for messages: "1d12h", "11h20m", "45s", "0s". */
void dt_format_duration(int64_t seconds, char *out, size_t outlen);

#endif

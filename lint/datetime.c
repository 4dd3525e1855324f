/*
 * datetime.c - dates, times and durations as the rule pack defines them (see
 * datetime.h and SPEC §3 "Dates and times", "Durations").
 *
 * dt_parse runs once per date value, i.e. millions of times per export, so
 * it is written as a hand-rolled scanner: no sscanf, no strptime (locale
 * dependent and not available for our %f/%z semantics everywhere), no
 * allocation, no TZ variable.  The ISO grammar is tried first since almost
 * every CRM export uses it; the pack's extra formats are compiled once into
 * a small op list when the parser is built, so matching one is a single pass
 * without re-reading the format string.
 *
 * Strictness is deliberate: this is a data-quality linter, so "2026-02-30",
 * "24:00", a leap second ":60" and trailing garbage are unparseable rather
 * than normalised.  %Y takes exactly four digits for the same reason (a
 * "5/11/23" in a "%m/%d/%Y" column is a finding, not the year 23).
 */
#include "datetime.h"

#include <stdio.h>
#include <string.h>

#include "xalloc.h"

#define SECS_PER_DAY 86400
#define US_PER_SEC   1000000

/* One step of a compiled strptime-style format. */
typedef enum op_kind {
    OP_LIT,    /* the byte `c` */
    OP_SPACE,  /* one or more ' ' */
    OP_YEAR4,  /* %Y */
    OP_YEAR2,  /* %y */
    OP_MONTH,  /* %m */
    OP_MNAME,  /* %b %B */
    OP_DAY,    /* %d */
    OP_DAYSP,  /* %e */
    OP_HOUR,   /* %H */
    OP_HOUR12, /* %I */
    OP_MIN,    /* %M */
    OP_SEC,    /* %S */
    OP_AMPM,   /* %p */
    OP_FRAC,   /* %f */
    OP_ZONE    /* %z */
} op_kind;

typedef struct dt_op {
    unsigned char kind;
    char c;
} dt_op;

typedef struct dt_format {
    const dt_op *ops;
    size_t nops;
    bool has_time;
    bool has_12h; /* %I: the hour is 1..12 and %p decides */
} dt_format;

struct dt_parser {
    const tz_zone *zone;
    dt_format *formats;
    size_t nformats;
    dt_op *ops; /* storage for every format's ops */
};

/* What a value says, before time zone conversion. */
typedef struct dt_fields {
    int year;
    int month;
    int day;
    int hour;
    int min;
    int sec;
    int32_t us;
    int32_t off; /* seconds east of UTC, when has_offset */
    bool has_time;
    bool has_frac;
    bool has_offset;
} dt_fields;

/* ---- calendar ---- */

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int y, unsigned m)
{
    static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
}

bool dt_valid_date(int y, unsigned m, unsigned d)
{
    return m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

/* Howard Hinnant's algorithms: exact for the proleptic Gregorian calendar
 * without tables or loops. */
int32_t dt_days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

void dt_civil_from_days(int32_t days, int *y, unsigned *m, unsigned *d)
{
    int64_t z = (int64_t)days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

/* ---- scanning helpers ---- */

static inline int dig2(const unsigned char *s)
{
    unsigned a = (unsigned)s[0] - '0', b = (unsigned)s[1] - '0';
    return a > 9 || b > 9 ? -1 : (int)(a * 10 + b);
}

static inline bool is_digit(unsigned char c)
{
    return (unsigned)c - '0' <= 9;
}

/* Fraction digits at s[*i..n): at least one; the first six are kept. */
static bool scan_frac(const unsigned char *s, size_t n, size_t *i, int32_t *us)
{
    size_t k = *i, start = k;
    int32_t v = 0;
    while (k < n && is_digit(s[k])) {
        if (k - start < 6) v = v * 10 + (s[k] - '0');
        k++;
    }
    if (k == start) return false;
    for (size_t digits = k - start; digits < 6; digits++) v *= 10;
    *us = v;
    *i = k;
    return true;
}

/* +-HH:MM or +-HHMM (and +-HH when allow_short) at s[*i..n). */
static bool scan_offset(const unsigned char *s, size_t n, size_t *i, bool allow_short, int32_t *off)
{
    size_t k = *i;
    if (k >= n || (s[k] != '+' && s[k] != '-')) return false;
    int sign = s[k] == '-' ? -1 : 1;
    k++;
    if (n - k < 2) return false;
    int h = dig2(s + k), m = 0;
    if (h < 0 || h > 23) return false;
    k += 2;
    if (k < n && s[k] == ':') {
        if (n - k < 3 || (m = dig2(s + k + 1)) < 0) return false;
        k += 3;
    } else if (n - k >= 2 && is_digit(s[k])) {
        if ((m = dig2(s + k)) < 0) return false;
        k += 2;
    } else if (!allow_short) {
        return false;
    }
    if (m > 59) return false;
    *off = sign * (h * 3600 + m * 60);
    *i = k;
    return true;
}

/* ---- the always-accepted ISO grammar ---- */

static bool parse_iso(const unsigned char *s, size_t n, dt_fields *f)
{
    if (n < 10 || s[4] != '-' || s[7] != '-') return false;
    int hi = dig2(s), lo = dig2(s + 2), mo = dig2(s + 5), d = dig2(s + 8);
    if (hi < 0 || lo < 0 || mo < 0 || d < 0) return false;
    int y = hi * 100 + lo;
    if (!dt_valid_date(y, (unsigned)mo, (unsigned)d)) return false;
    memset(f, 0, sizeof *f);
    f->year = y;
    f->month = mo;
    f->day = d;
    if (n == 10) return true;

    if ((s[10] != 'T' && s[10] != ' ') || n < 16 || s[13] != ':') return false;
    int h = dig2(s + 11), mi = dig2(s + 14);
    if (h < 0 || h > 23 || mi < 0 || mi > 59) return false;
    f->has_time = true;
    f->hour = h;
    f->min = mi;
    size_t i = 16;
    if (i < n && s[i] == ':') {
        if (n - i < 3 || (f->sec = dig2(s + i + 1)) < 0 || f->sec > 59) return false;
        i += 3;
        if (i < n && s[i] == '.') {
            i++;
            if (!scan_frac(s, n, &i, &f->us)) return false;
            f->has_frac = true;
        }
    }
    if (i == n) return true;
    if (s[i] == 'Z') {
        f->has_offset = true;
        return i + 1 == n;
    }
    if (!scan_offset(s, n, &i, false, &f->off)) return false;
    f->has_offset = true;
    return i == n;
}

/* ---- strptime-style formats ---- */

static const char *const month_names[12] = {"january",   "february", "march",    "april",
                                            "may",       "june",     "july",     "august",
                                            "september", "october",  "november", "december"};

static bool ieq_prefix(const unsigned char *s, size_t n, const char *lower, size_t len)
{
    if (n < len) return false;
    for (size_t k = 0; k < len; k++) {
        unsigned char c = s[k];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
        if (c != (unsigned char)lower[k]) return false;
    }
    return true;
}

/* 1 or 2 digits in [min, max]. */
static bool scan_num2(const unsigned char *s, size_t n, size_t *i, int min, int max, int *out)
{
    size_t k = *i;
    if (k >= n || !is_digit(s[k])) return false;
    int v = s[k++] - '0';
    if (k < n && is_digit(s[k])) v = v * 10 + (s[k++] - '0');
    if (v < min || v > max) return false;
    *out = v;
    *i = k;
    return true;
}

static bool match_format(const dt_format *fmt, const unsigned char *s, size_t n, dt_fields *f)
{
    size_t i = 0;
    bool pm = false;
    memset(f, 0, sizeof *f);
    for (size_t k = 0; k < fmt->nops; k++) {
        const dt_op *op = &fmt->ops[k];
        switch ((op_kind)op->kind) {
        case OP_LIT:
            if (i >= n || s[i] != (unsigned char)op->c) return false;
            i++;
            break;
        case OP_SPACE:
            if (i >= n || s[i] != ' ') return false;
            while (i < n && s[i] == ' ') i++;
            break;
        case OP_YEAR4:
            if (n - i < 4 || dig2(s + i) < 0 || dig2(s + i + 2) < 0) return false;
            f->year = dig2(s + i) * 100 + dig2(s + i + 2);
            i += 4;
            break;
        case OP_YEAR2: {
            int v;
            if (n - i < 2 || (v = dig2(s + i)) < 0) return false;
            f->year = v >= 69 ? 1900 + v : 2000 + v; /* POSIX pivot */
            i += 2;
            break;
        }
        case OP_MONTH:
            if (!scan_num2(s, n, &i, 1, 12, &f->month)) return false;
            break;
        case OP_MNAME: {
            /* As glibc: %b and %B both take the full name or its first three
             * letters, in any case. */
            f->month = 0;
            for (int j = 0; j < 12 && f->month == 0; j++) {
                size_t len = strlen(month_names[j]);
                if (!ieq_prefix(s + i, n - i, month_names[j], len)) len = 3;
                if (ieq_prefix(s + i, n - i, month_names[j], len)) {
                    f->month = j + 1;
                    i += len;
                }
            }
            if (f->month == 0) return false;
            break;
        }
        case OP_DAYSP:
            if (i < n && s[i] == ' ') i++;
            /* fall through */
        case OP_DAY:
            if (!scan_num2(s, n, &i, 1, 31, &f->day)) return false;
            break;
        case OP_HOUR:
            if (!scan_num2(s, n, &i, 0, 23, &f->hour)) return false;
            break;
        case OP_HOUR12:
            if (!scan_num2(s, n, &i, 1, 12, &f->hour)) return false;
            break;
        case OP_MIN:
            if (!scan_num2(s, n, &i, 0, 59, &f->min)) return false;
            break;
        case OP_SEC:
            if (!scan_num2(s, n, &i, 0, 59, &f->sec)) return false;
            break;
        case OP_AMPM:
            if (ieq_prefix(s + i, n - i, "am", 2))
                pm = false;
            else if (ieq_prefix(s + i, n - i, "pm", 2))
                pm = true;
            else
                return false;
            i += 2;
            break;
        case OP_FRAC:
            if (!scan_frac(s, n, &i, &f->us)) return false;
            f->has_frac = true;
            break;
        case OP_ZONE:
            if (i < n && s[i] == 'Z') {
                i++;
                f->off = 0;
            } else if (!scan_offset(s, n, &i, true, &f->off)) {
                return false;
            }
            f->has_offset = true;
            break;
        }
    }
    if (i != n) return false;
    if (!dt_valid_date(f->year, (unsigned)f->month, (unsigned)f->day)) return false;
    /* As strptime: %I reads 12 as 0, %p adds 12; %p beside %H is ignored. */
    if (fmt->has_12h) f->hour = f->hour % 12 + (pm ? 12 : 0);
    f->has_time = fmt->has_time;
    return true;
}

/* What a directive contributes, for checking that a format is complete. */
enum { HAS_YEAR = 1, HAS_MONTH = 2, HAS_DAY = 4, HAS_HOUR = 8, HAS_SUBHOUR = 16, HAS_12H = 32 };

static const struct directive {
    char c;
    unsigned char kind;
    unsigned char sets;
} directives[] = {
    {'Y', OP_YEAR4, HAS_YEAR},   {'y', OP_YEAR2, HAS_YEAR},   {'m', OP_MONTH, HAS_MONTH},
    {'b', OP_MNAME, HAS_MONTH},  {'B', OP_MNAME, HAS_MONTH},  {'d', OP_DAY, HAS_DAY},
    {'e', OP_DAYSP, HAS_DAY},    {'H', OP_HOUR, HAS_HOUR},    {'I', OP_HOUR12, HAS_HOUR | HAS_12H},
    {'M', OP_MIN, HAS_SUBHOUR},  {'S', OP_SEC, HAS_SUBHOUR},  {'p', OP_AMPM, 0},
    {'f', OP_FRAC, HAS_SUBHOUR}, {'z', OP_ZONE, HAS_SUBHOUR}, {'%', OP_LIT, 0},
};

/* Compiles fmt into ops (room for strlen(fmt) ops).  Returns the op count,
 * or -1 after writing the reason into err. */
static long compile_format(const char *fmt, dt_op *ops, dt_format *out, char *err, size_t errlen)
{
    size_t nops = 0;
    unsigned seen = 0;
    for (const char *p = fmt; *p; p++) {
        if (*p == ' ') {
            if (nops == 0 || ops[nops - 1].kind != OP_SPACE) ops[nops++] = (dt_op){OP_SPACE, ' '};
            continue;
        }
        if (*p != '%') {
            ops[nops++] = (dt_op){OP_LIT, *p};
            continue;
        }
        if (*++p == '\0') {
            snprintf(err, errlen, "date format \"%s\" ends with a lone %%", fmt);
            return -1;
        }
        const struct directive *d = NULL;
        for (size_t k = 0; k < sizeof directives / sizeof directives[0] && d == NULL; k++)
            if (directives[k].c == *p) d = &directives[k];
        if (d == NULL) {
            snprintf(err, errlen, "date format \"%s\": unsupported directive %%%c", fmt, *p);
            return -1;
        }
        seen |= d->sets;
        ops[nops++] = (dt_op){d->kind, '%'};
    }
    /* strptime would leave missing fields as they were; crmlint needs a
     * whole date, so an incomplete format is a pack error. */
    if ((seen & (HAS_YEAR | HAS_MONTH | HAS_DAY)) != (HAS_YEAR | HAS_MONTH | HAS_DAY)) {
        snprintf(err, errlen,
                 "date format \"%s\" needs a year (%%Y or %%y), a month (%%m, %%b) and a day "
                 "(%%d, %%e)",
                 fmt);
        return -1;
    }
    if ((seen & HAS_SUBHOUR) && !(seen & HAS_HOUR)) {
        snprintf(err, errlen,
                 "date format \"%s\" has minutes, seconds or an offset but no hour (%%H or %%I)",
                 fmt);
        return -1;
    }
    out->has_time = (seen & HAS_HOUR) != 0;
    out->has_12h = (seen & HAS_12H) != 0;
    return (long)nops;
}

dt_parser *dt_parser_new(const tz_zone *zone, const char *const *formats, size_t nformats,
                         char *err, size_t errlen)
{
    dt_parser *p = xcalloc(1, sizeof *p);
    if (p == NULL) goto oom;
    p->zone = zone;
    if (nformats == 0) return p;

    size_t total = 0;
    for (size_t k = 0; k < nformats; k++) total += strlen(formats[k]);
    p->formats = xcalloc(nformats, sizeof *p->formats);
    p->ops = xcalloc(total ? total : 1, sizeof *p->ops);
    if (p->formats == NULL || p->ops == NULL) goto oom;
    p->nformats = nformats;
    size_t used = 0;
    for (size_t k = 0; k < nformats; k++) {
        long nops = compile_format(formats[k], p->ops + used, &p->formats[k], err, errlen);
        if (nops < 0) goto fail;
        p->formats[k].ops = p->ops + used;
        p->formats[k].nops = (size_t)nops;
        used += (size_t)nops;
    }
    return p;

oom:
    snprintf(err, errlen, "out of memory");
fail:
    dt_parser_free(p);
    return NULL;
}

void dt_parser_free(dt_parser *p)
{
    if (p == NULL) return;
    xfree(p->formats);
    xfree(p->ops);
    xfree(p);
}

const tz_zone *dt_parser_zone(const dt_parser *p)
{
    return p->zone;
}

/* ---- from fields to a value ---- */

static void to_value(const tz_zone *zone, const dt_fields *f, bool force_date, dt_value *out)
{
    int32_t days = dt_days_from_civil(f->year, (unsigned)f->month, (unsigned)f->day);
    if (!f->has_time || force_date) {
        out->days = days;
        out->utc_us = tz_local_to_utc(zone, (int64_t)days * SECS_PER_DAY) * US_PER_SEC;
        out->date_only = true;
        out->has_offset = false;
        out->midnight = false;
        return;
    }
    int64_t local = (int64_t)days * SECS_PER_DAY + f->hour * 3600 + f->min * 60 + f->sec;
    int64_t utc = f->has_offset ? local - f->off : tz_local_to_utc(zone, local);
    out->utc_us = utc * US_PER_SEC + f->us;
    /* The reading's date in the parser's zone: equal to the written date for
     * a value without an offset, unless a gap pushed it past midnight. */
    out->days = (int32_t)floor_div(tz_utc_to_local(zone, utc), SECS_PER_DAY);
    out->date_only = false;
    out->has_offset = f->has_offset;
    out->midnight = f->hour == 0 && f->min == 0 && f->sec == 0 && !f->has_frac;
}

static bool parse_fields(const dt_parser *p, const char *s, size_t n, dt_fields *f)
{
    const unsigned char *u = (const unsigned char *)s;
    if (parse_iso(u, n, f)) return true;
    for (size_t k = 0; k < p->nformats; k++)
        if (match_format(&p->formats[k], u, n, f)) return true;
    return false;
}

bool dt_parse(const dt_parser *p, const char *s, size_t n, dt_value *out)
{
    dt_fields f;
    if (!parse_fields(p, s, n, &f)) return false;
    to_value(p->zone, &f, false, out);
    return true;
}

bool dt_parse_date(const dt_parser *p, const char *s, size_t n, dt_value *out)
{
    dt_fields f;
    if (!parse_fields(p, s, n, &f)) return false;
    to_value(p->zone, &f, true, out);
    return true;
}

bool dt_parse_instant(const tz_zone *zone, const char *s, int64_t *utc_us)
{
    dt_fields f;
    dt_value v;
    if (!parse_iso((const unsigned char *)s, strlen(s), &f)) return false;
    to_value(zone, &f, false, &v);
    *utc_us = v.utc_us;
    return true;
}

/* ---- formatting ---- */

static char *put_digits(char *o, unsigned v, int width)
{
    for (int k = width - 1; k >= 0; k--) {
        o[k] = (char)('0' + v % 10);
        v /= 10;
    }
    return o + width;
}

void dt_format_utc(int64_t utc_us, char out[21])
{
    /* The fixed-width form only holds years 0000-9999: clamp to them. */
    const int64_t min_s = (int64_t)dt_days_from_civil(0, 1, 1) * SECS_PER_DAY;
    const int64_t max_s = (int64_t)dt_days_from_civil(10000, 1, 1) * SECS_PER_DAY - 1;
    int64_t secs = floor_div(utc_us, US_PER_SEC);
    if (secs < min_s) secs = min_s;
    if (secs > max_s) secs = max_s;
    int32_t days = (int32_t)floor_div(secs, SECS_PER_DAY);
    unsigned sod = (unsigned)(secs - (int64_t)days * SECS_PER_DAY);
    int y;
    unsigned m, d;
    dt_civil_from_days(days, &y, &m, &d);
    char *o = out;
    o = put_digits(o, (unsigned)y, 4);
    *o++ = '-';
    o = put_digits(o, m, 2);
    *o++ = '-';
    o = put_digits(o, d, 2);
    *o++ = 'T';
    o = put_digits(o, sod / 3600, 2);
    *o++ = ':';
    o = put_digits(o, sod / 60 % 60, 2);
    *o++ = ':';
    o = put_digits(o, sod % 60, 2);
    *o++ = 'Z';
    *o = '\0';
}

/* ---- durations ---- */

bool dt_parse_duration(const char *s, int64_t *seconds)
{
    int64_t total = 0;
    if (s == NULL || *s == '\0') return false;
    while (*s) {
        if (!is_digit((unsigned char)*s)) return false;
        int64_t v = 0;
        while (is_digit((unsigned char)*s)) {
            int dgt = *s++ - '0';
            if (v > (INT64_MAX - dgt) / 10) return false;
            v = v * 10 + dgt;
        }
        int64_t unit;
        switch (*s++) {
        case 's':
            unit = 1;
            break;
        case 'm':
            unit = 60;
            break;
        case 'h':
            unit = 3600;
            break;
        case 'd':
            unit = SECS_PER_DAY;
            break;
        case 'w':
            unit = 7 * SECS_PER_DAY;
            break;
        default:
            return false;
        }
        if (v > INT64_MAX / unit) return false;
        v *= unit;
        if (total > INT64_MAX - v) return false;
        total += v;
    }
    *seconds = total;
    return true;
}

void dt_format_duration(int64_t seconds, char *out, size_t outlen)
{
    /* Days are the largest unit: "14d" reads better than "2w" in an SLA
     * message and stays comparable with hour counts. */
    static const struct {
        uint64_t secs;
        char unit;
    } units[] = {{SECS_PER_DAY, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
    char tmp[64];
    size_t len = 0;
    if (outlen == 0) return;
    uint64_t v = seconds < 0 ? 0 - (uint64_t)seconds : (uint64_t)seconds;
    if (seconds < 0) tmp[len++] = '-';
    if (v == 0) {
        tmp[len++] = '0';
        tmp[len++] = 's';
    }
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        uint64_t q = v / units[k].secs;
        v %= units[k].secs;
        if (q == 0) continue;
        char digits[24];
        int nd = 0;
        while (q > 0) {
            digits[nd++] = (char)('0' + q % 10);
            q /= 10;
        }
        while (nd > 0) tmp[len++] = digits[--nd];
        tmp[len++] = units[k].unit;
    }
    if (len >= outlen) len = outlen - 1;
    memcpy(out, tmp, len);
    out[len] = '\0';
}

/*
 * tz.c - IANA time zones read straight from compiled TZif files (see tz.h).
 *
 * One run of crmlint may need several zones at once (the pack's zone and one
 * per calendar) and may convert millions of values, so the process-wide TZ
 * variable, tzset() and localtime() are out of the question: they are global
 * state, not thread-safe across zones, and slow.  Instead each zone is loaded
 * once into an immutable table of transitions plus the POSIX TZ "footer" rule
 * that RFC 8536 files carry for instants after the last transition.  Every
 * lookup after loading is a pure function of the table (binary search, then
 * the footer rule when past the end), so zones can be shared between threads.
 *
 * Format notes (RFC 8536):
 *   - a v1 file has one data block with 32-bit times; v2+ files repeat the
 *     header and data with 64-bit times, followed by "\nTZSTRING\n".  We use
 *     the 64-bit block whenever it exists.
 *   - instants before the first transition use local time type 0.
 *   - leap-second records are ignored: crmlint works in POSIX time, like
 *     every CRM export (a "right/" zone would be off by the leap seconds).
 *   - v3 footers may put rule times outside 0..24h (-167..167 hours), which
 *     is how all-year daylight saving time is written.
 */
#include "tz.h"
#include "limits.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

#define TZ_DEFAULT_DIR "/usr/share/zoneinfo"
#define SECS_PER_DAY   86400
#define SECS_PER_HOUR  3600

/* Footer rules are evaluated per year; instants beyond about +-1 million years
 * are clamped first so that the year arithmetic cannot overflow (the rule is
 * periodic, so nothing meaningful is lost). */
#define TZ_CLAMP_SECS ((int64_t)1 << 45)

/* Offsets tz_local_to_utc scans around a reading (see there). */
#define TZ_WINDOW_MAX 16

/* One end of a daylight-saving period in a POSIX TZ rule. */
typedef struct tz_rule_date {
    char kind;    /* 'J': Julian day 1..365 without Feb 29; 'N': day 0..365; 'M': month rule */
    int month;    /* 'M': 1..12 */
    int week;     /* 'M': 1..5, 5 meaning the last */
    int wday;     /* 'M': 0 (Sunday) ..6 */
    int yday;     /* 'J' and 'N' */
    int32_t time; /* seconds after local midnight, -167h..167h */
} tz_rule_date;

/* A parsed POSIX TZ string such as "EST5EDT,M3.2.0,M11.1.0". */
typedef struct tz_rule {
    int32_t std_off; /* UTC offsets, east positive (the TZ string's sign is the opposite) */
    int32_t dst_off;
    bool has_dst;
    tz_rule_date start; /* switch to DST, given in local standard time */
    tz_rule_date end;   /* switch back, given in local daylight time */
} tz_rule;

struct tz_zone {
    char *name;
    int64_t *trans; /* ascending transition instants */
    int32_t *offs;  /* offs[i]: offset in force from trans[i] on */
    size_t ntrans;
    int32_t first_off; /* before the first transition (time type 0) */
    bool has_rule;     /* the footer applies after the last transition */
    tz_rule rule;
};

/* ---- calendar arithmetic (int64 so that clamped instants cannot overflow) ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int64_t year_from_days(int64_t z)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    return yoe + era * 400 + (m <= 2);
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* ---- POSIX TZ strings ---- */

/* Zone abbreviation: 3+ letters, or <...> holding letters, digits, + and -. */
static bool parse_abbr(const char **sp)
{
    const char *s = *sp;
    size_t n = 0;
    if (*s == '<') {
        s++;
        while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
               *s == '+' || *s == '-') {
            s++;
            n++;
        }
        if (*s != '>' || n < 3) return false;
        *sp = s + 1;
        return true;
    }
    while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) {
        s++;
        n++;
    }
    if (n < 3) return false;
    *sp = s;
    return true;
}

static bool parse_num(const char **sp, int min, int max, int *out)
{
    const char *s = *sp;
    int v = 0;
    if (*s < '0' || *s > '9') return false;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (*s - '0');
        if (v > max) return false;
        s++;
    }
    if (v < min) return false;
    *out = v;
    *sp = s;
    return true;
}

/* [+-]hh[:mm[:ss]] with hours up to max_hours; returns seconds. */
static bool parse_hms(const char **sp, int max_hours, int32_t *out)
{
    const char *s = *sp;
    int sign = 1, h, m = 0, sec = 0;
    if (*s == '+' || *s == '-') sign = *s++ == '-' ? -1 : 1;
    if (!parse_num(&s, 0, max_hours, &h)) return false;
    if (*s == ':') {
        s++;
        if (!parse_num(&s, 0, 59, &m)) return false;
        if (*s == ':') {
            s++;
            if (!parse_num(&s, 0, 59, &sec)) return false;
        }
    }
    *out = sign * (h * SECS_PER_HOUR + m * 60 + sec);
    *sp = s;
    return true;
}

static bool parse_rule_date(const char **sp, tz_rule_date *d)
{
    const char *s = *sp;
    if (*s == 'M') {
        s++;
        d->kind = 'M';
        if (!parse_num(&s, 1, 12, &d->month) || *s++ != '.') return false;
        if (!parse_num(&s, 1, 5, &d->week) || *s++ != '.') return false;
        if (!parse_num(&s, 0, 6, &d->wday)) return false;
    } else if (*s == 'J') {
        s++;
        d->kind = 'J';
        if (!parse_num(&s, 1, 365, &d->yday)) return false;
    } else {
        d->kind = 'N';
        if (!parse_num(&s, 0, 365, &d->yday)) return false;
    }
    d->time = 2 * SECS_PER_HOUR;
    if (*s == '/') {
        s++;
        if (!parse_hms(&s, 167, &d->time)) return false;
    }
    *sp = s;
    return true;
}

/* Parses a non-empty TZ string (a footer without its newlines). */
static bool parse_posix_tz(const char *s, tz_rule *r)
{
    int32_t off;
    memset(r, 0, sizeof *r);
    if (!parse_abbr(&s) || !parse_hms(&s, 24, &off)) return false;
    r->std_off = -off;
    if (*s == '\0') return true;
    if (!parse_abbr(&s)) return false;
    r->has_dst = true;
    r->dst_off = r->std_off + SECS_PER_HOUR;
    if (*s != ',' && *s != '\0') {
        if (!parse_hms(&s, 24, &off)) return false;
        r->dst_off = -off;
    }
    if (*s == '\0') {
        /* POSIX leaves the rule to the implementation; like glibc, use the
         * US rules.  Files compiled by zic always spell the rule out. */
        const char *us = ",M3.2.0,M11.1.0";
        s = us;
    }
    if (*s++ != ',' || !parse_rule_date(&s, &r->start)) return false;
    if (*s++ != ',' || !parse_rule_date(&s, &r->end)) return false;
    return *s == '\0';
}

/* Days since the epoch of a rule date in a year starting on day jan1.
 * Works from Jan 1 with a table rather than days_from_civil per date:
 * this runs six times per footer lookup. */
static int64_t rule_day(const tz_rule_date *d, int64_t jan1, bool leap)
{
    static const int cum[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    static const int mlen[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d->kind == 'J') return jan1 + d->yday - 1 + (leap && d->yday >= 60);
    if (d->kind == 'N') return jan1 + d->yday;
    int64_t first = jan1 + cum[d->month - 1] + (leap && d->month > 2);
    int mdays = mlen[d->month - 1] + (leap && d->month == 2);
    int wd_first = (int)(first + 4 - floor_div(first + 4, 7) * 7); /* 1970-01-01 was a Thursday */
    int64_t day = first + (d->wday - wd_first + 7) % 7 + 7 * (d->week - 1);
    while (day >= first + mdays) day -= 7;
    return day;
}

/* Offset under the footer rule at UTC instant t; *next gets the next
 * switch after t (or t + 1 when unknown, which only costs a slower path). */
static int32_t rule_offset_at(const tz_rule *r, int64_t t, int64_t *next)
{
    if (!r->has_dst) {
        *next = INT64_MAX;
        return r->std_off;
    }
    if (t > TZ_CLAMP_SECS) t = TZ_CLAMP_SECS;
    if (t < -TZ_CLAMP_SECS) t = -TZ_CLAMP_SECS;
    int64_t y = year_from_days(floor_div(t + r->std_off, SECS_PER_DAY));
    /* The latest switch at or before t wins.  Looking at the neighbouring
     * years too keeps rule times beyond 24h (or negative) correct across New
     * Year; on a tie the later event in (year, start, end) order wins, which
     * makes "all-year DST" rules such as "0/0,J365/25" stay in DST. */
    int64_t best_at = INT64_MIN, after = INT64_MAX;
    int32_t best = r->std_off;
    int64_t jan1 = days_from_civil(y - 1, 1, 1);
    for (int64_t yy = y - 1; yy <= y + 1; yy++) {
        bool leap = is_leap(yy);
        int64_t on = rule_day(&r->start, jan1, leap) * SECS_PER_DAY + r->start.time - r->std_off;
        int64_t off = rule_day(&r->end, jan1, leap) * SECS_PER_DAY + r->end.time - r->dst_off;
        jan1 += 365 + leap;
        int64_t ev[2] = {on, off};
        int32_t to[2] = {r->dst_off, r->std_off};
        if (off < on) { /* southern hemisphere: the period spans New Year */
            ev[0] = off, ev[1] = on;
            to[0] = r->std_off, to[1] = r->dst_off;
        }
        for (int k = 0; k < 2; k++) {
            if (ev[k] <= t && ev[k] >= best_at) {
                best_at = ev[k];
                best = to[k];
            } else if (ev[k] > t && ev[k] < after) {
                after = ev[k];
            }
        }
    }
    *next = after == INT64_MAX ? t + 1 : after;
    return best;
}

/* ---- TZif ---- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct tzif_hdr {
    int version; /* 1, 2, 3, ... */
    uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
} tzif_hdr;

static bool read_hdr(const unsigned char *p, size_t n, tzif_hdr *h)
{
    if (n < 44 || memcmp(p, "TZif", 4) != 0) return false;
    if (p[4] != 0 && (p[4] < '2' || p[4] > '9')) return false;
    h->version = p[4] == 0 ? 1 : p[4] - '0';
    h->isutcnt = be32(p + 20);
    h->isstdcnt = be32(p + 24);
    h->leapcnt = be32(p + 28);
    h->timecnt = be32(p + 32);
    h->typecnt = be32(p + 36);
    h->charcnt = be32(p + 40);
    return h->typecnt >= 1 && h->typecnt <= 256 && (h->isutcnt == 0 || h->isutcnt == h->typecnt) &&
           (h->isstdcnt == 0 || h->isstdcnt == h->typecnt);
}

/* Size of a data block; tsize is 4 (v1) or 8 (v2+).  Counts are bounded by
 * 32 bits each, so the sum cannot overflow a 64-bit size. */
static uint64_t block_size(const tzif_hdr *h, int tsize)
{
    return (uint64_t)h->timecnt * (uint64_t)(tsize + 1) + (uint64_t)h->typecnt * 6 + h->charcnt +
           (uint64_t)h->leapcnt * (uint64_t)(tsize + 4) + h->isstdcnt + h->isutcnt;
}

enum { TZIF_OK, TZIF_BAD, TZIF_NOMEM };

/* Fills z from the TZif image p[0..n). */
static int parse_tzif(tz_zone *z, const unsigned char *p, size_t n)
{
    tzif_hdr h;
    if (!read_hdr(p, n, &h)) return TZIF_BAD;
    int tsize = 4;
    const unsigned char *d = p + 44;
    uint64_t bs = block_size(&h, 4);
    if (bs > n - 44) return TZIF_BAD;
    if (h.version >= 2) {
        const unsigned char *p2 = d + bs;
        size_t n2 = n - 44 - (size_t)bs;
        if (!read_hdr(p2, n2, &h)) return TZIF_BAD;
        tsize = 8;
        d = p2 + 44;
        bs = block_size(&h, 8);
        if (bs > n2 - 44) return TZIF_BAD;
    }
    const unsigned char *end = d + bs;
    const unsigned char *times = d;
    const unsigned char *idx = times + (size_t)h.timecnt * (size_t)tsize;
    const unsigned char *types = idx + h.timecnt;

    int32_t type_off[256];
    for (uint32_t i = 0; i < h.typecnt; i++) {
        uint32_t u = be32(types + 6 * i);
        type_off[i] = (int32_t)u;
        /* RFC 8536's range; tz_local_to_utc relies on it. */
        if (type_off[i] < -89999 || type_off[i] > 93599) return TZIF_BAD;
        if (types[6 * i + 5] >= h.charcnt && h.charcnt > 0) return TZIF_BAD;
    }
    z->first_off = type_off[0];

    if (h.timecnt > 0) {
        z->trans = xmalloc((size_t)h.timecnt * sizeof *z->trans);
        z->offs = xmalloc((size_t)h.timecnt * sizeof *z->offs);
        if (z->trans == NULL || z->offs == NULL) return TZIF_NOMEM;
    }
    for (uint32_t i = 0; i < h.timecnt; i++) {
        int64_t t = tsize == 8 ? be64(times + 8 * (size_t)i)
                               : (int64_t)(int32_t)be32(times + 4 * (size_t)i);
        if (i > 0 && t <= z->trans[i - 1]) return TZIF_BAD;
        if (idx[i] >= h.typecnt) return TZIF_BAD;
        z->trans[i] = t;
        z->offs[i] = type_off[idx[i]];
    }
    z->ntrans = h.timecnt;

    if (h.version >= 2) {
        /* Footer: "\n" TZ "\n".  An empty TZ means no rule. */
        size_t left = (size_t)(p + n - end);
        if (left < 2 || end[0] != '\n') return TZIF_BAD;
        const unsigned char *nl = memchr(end + 1, '\n', left - 1);
        if (nl == NULL) return TZIF_BAD;
        size_t len = (size_t)(nl - end - 1);
        if (memchr(end + 1, '\0', len) != NULL) return TZIF_BAD;
        if (len > 0) {
            char tzs[256];
            if (len >= sizeof tzs) return TZIF_BAD;
            memcpy(tzs, end + 1, len);
            tzs[len] = '\0';
            if (!parse_posix_tz(tzs, &z->rule)) return TZIF_BAD;
            z->has_rule = true;
        }
    }
    return TZIF_OK;
}

/* ---- loading ---- */

static bool valid_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > CRMLINT_TZ_MAX_NAME || name[0] == '/' || name[n - 1] == '/') return false;
    if (strstr(name, "..") != NULL || strstr(name, "//") != NULL) return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '+' || c == '-' || c == '/'))
            return false;
    }
    return true;
}

/* Reads a whole regular file.  Returns 0, or an errno value. */
static int read_file(const char *path, unsigned char **out, size_t *outlen)
{
    int err = 0;
    unsigned char *data = NULL;
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    if (fstat(fd, &st) != 0) {
        err = errno;
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        err = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        goto cleanup;
    }
    size_t size = (size_t)st.st_size;
    data = xmalloc(size);
    if (data == NULL) {
        err = ENOMEM;
        goto cleanup;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, data + got, size - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            err = errno;
            goto cleanup;
        }
        if (r == 0) break;
        got += (size_t)r;
    }
    *out = data;
    *outlen = got;
    data = NULL;
cleanup:
    xfree(data);
    close(fd);
    return err;
}

tz_zone *tz_load(const char *name, char *err, size_t errlen)
{
    tz_zone *z = NULL;
    unsigned char *data = NULL;
    char *path = NULL;
    size_t len = 0;

    if (!valid_name(name)) {
        /* The reason is one line: control bytes in the name are shown as '?'. */
        char shown[64];
        size_t k = 0;
        for (; name[k] != '\0' && k < sizeof shown - 1; k++)
            shown[k] = (unsigned char)name[k] < 0x20 || name[k] == 0x7f ? '?' : name[k];
        shown[k] = '\0';
        snprintf(err, errlen, "invalid time zone name \"%s%s\"", shown, name[k] ? "..." : "");
        return NULL;
    }
    z = xcalloc(1, sizeof *z);
    if (z == NULL || (z->name = xstrdup(name)) == NULL) goto oom;

    /* UTC is built in: it must work on systems without tzdata. */
    if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0) return z;

    const char *dir = getenv("TZDIR");
    if (dir == NULL || dir[0] == '\0') dir = TZ_DEFAULT_DIR;
    size_t plen = strlen(dir) + 1 + strlen(name) + 1;
    if ((path = xmalloc(plen)) == NULL) goto oom;
    snprintf(path, plen, "%s/%s", dir, name);

    int e = read_file(path, &data, &len);
    if (e == ENOMEM) goto oom;
    if (e == ENOENT || e == ENOTDIR || e == EISDIR) {
        snprintf(err, errlen, "unknown time zone \"%s\" (no such file in %s)", name, dir);
        goto fail;
    }
    if (e != 0) {
        snprintf(err, errlen, "time zone \"%s\": cannot read %s: %s", name, path, strerror(e));
        goto fail;
    }
    int st = parse_tzif(z, data, len);
    if (st == TZIF_NOMEM) goto oom;
    if (st != TZIF_OK) {
        snprintf(err, errlen, "time zone \"%s\": %s is not a valid TZif file", name, path);
        goto fail;
    }
    xfree(data);
    xfree(path);
    return z;

oom:
    snprintf(err, errlen, "out of memory loading time zone \"%s\"", name);
fail:
    xfree(data);
    xfree(path);
    tz_free(z);
    return NULL;
}

void tz_free(tz_zone *z)
{
    if (z == NULL) return;
    xfree(z->name);
    xfree(z->trans);
    xfree(z->offs);
    xfree(z);
}

const char *tz_name(const tz_zone *z)
{
    return z->name;
}

/* The offset in force at utc, and in *next the next instant after utc at
 * which it may change (INT64_MAX: never). */
static int32_t lookup(const tz_zone *z, int64_t utc, int64_t *next)
{
    size_t n = z->ntrans;
    if (n == 0) {
        if (z->has_rule) return rule_offset_at(&z->rule, utc, next);
        *next = INT64_MAX;
        return z->first_off;
    }
    if (utc < z->trans[0]) {
        *next = z->trans[0];
        return z->first_off;
    }
    if (utc >= z->trans[n - 1]) {
        if (utc > z->trans[n - 1] && z->has_rule) return rule_offset_at(&z->rule, utc, next);
        *next = z->has_rule ? utc + 1 : INT64_MAX;
        return z->offs[n - 1];
    }
    /* Largest i with trans[i] <= utc, written so that the compiler can use
     * conditional moves: the branch is unpredictable on real data. */
    const int64_t *base = z->trans;
    size_t len = n;
    while (len > 1) {
        size_t half = len / 2;
        base = base[half] <= utc ? base + half : base;
        len -= half;
    }
    size_t i = (size_t)(base - z->trans);
    *next = z->trans[i + 1];
    return z->offs[i];
}

int32_t tz_offset_at(const tz_zone *z, int64_t utc)
{
    int64_t next;
    return lookup(z, utc, &next);
}

int64_t tz_local_to_utc(const tz_zone *z, int64_t local)
{
    /* Offsets stay within +-26h (RFC 8536, checked on load), so the readings
     * near `local` come from UTC instants within w of it.  If the offset does
     * not change in that window the answer is immediate: the common case. */
    const int64_t w = 26 * SECS_PER_HOUR;
    int64_t next;
    int32_t before = lookup(z, local - w, &next);
    if (next > local + w) return local - before;

    /* Every offset in force in the window, with the instant it starts.  Real
     * zones change at most twice in 52 hours; a zone file may change more
     * often, and then only the first TZ_WINDOW_MAX offsets are scanned (the
     * three extra candidates below still cover the window's ends).  Looking
     * only at the offsets at the window's ends is not enough: two changes
     * a day apart leave a third offset between them. */
    int32_t offs[TZ_WINDOW_MAX + 3];
    int64_t starts[TZ_WINDOW_MAX];
    size_t n = 0;
    offs[n] = before;
    starts[n++] = local - w;
    while (next <= local + w && n < TZ_WINDOW_MAX) {
        int64_t at = next;
        offs[n] = lookup(z, at, &next);
        starts[n++] = at;
        if (next <= at) break; /* no progress: never loop */
    }
    size_t nstarts = n;
    int32_t after = tz_offset_at(z, local + w);
    offs[n++] = after;
    offs[n++] = tz_offset_at(z, local - before);
    offs[n++] = tz_offset_at(z, local - after);

    /* A candidate u is a real reading when u + off(u) == local; the earliest
     * such u is the first occurrence. */
    bool found = false;
    int64_t best = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t u = local - offs[i];
        if (tz_offset_at(z, u) == offs[i] && (!found || u < best)) {
            best = u;
            found = true;
        }
    }
    if (found) return best;
    /* No reading: `local` is in the gap a forward change opens, and the
     * offset from just before that change moves it forward by the gap. */
    for (size_t i = 1; i < nstarts; i++)
        if (offs[i - 1] < offs[i] && starts[i] + offs[i - 1] <= local &&
            local < starts[i] + offs[i])
            return local - offs[i - 1];
    return local - before;
}

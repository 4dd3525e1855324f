/*
 * fuzz_datetime.c - the date, time and duration parsers on arbitrary text.
 *
 * Input: byte 0 picks the zone (bits 0-2) and the extra formats (bits 3-4:
 * none, the README's US formats, a set using every directive, or a format
 * taken from the input); byte 1 is reserved for future switches.  With a
 * format from the input, it is the bytes up to the first 0x01, and it goes
 * through dt_parser_new, which must accept or refuse it with a message.  The
 * rest is the value.
 *
 * Checked on every success: the day count is a real calendar date; a
 * date-only value's instant is local midnight of that date in the zone; an
 * instant printed with dt_format_utc parses back to the same second with
 * dt_parse_instant; a duration printed with dt_format_duration parses back
 * to the same number of seconds.
 */
#define _GNU_SOURCE
#include "fuzz.h"

#include "datetime.h"
#include "tz.h"

static const char *const zone_names[] = {
    "UTC",          "America/New_York", "Europe/London",    "Australia/Lord_Howe",
    "Asia/Kolkata", "Pacific/Chatham",  "America/St_Johns", "Africa/Casablanca",
};
static tz_zone *zones[8];
static tz_zone *utc;
static dt_parser *parsers[8][3];

static const char *const us_formats[] = {"%m/%d/%Y", "%m/%d/%Y %I:%M %p"};
static const char *const all_formats[] = {"%d.%m.%Y %H:%M:%S%z", "%e %b %Y", "%B %d, %y %I:%M%p",
                                          "%Y%m%dT%H%M%S.%f", "%d/%m/%y %%"};

static void setup(void)
{
    char err[256];
    utc = tz_load("UTC", err, sizeof err);
    FUZZ_CHECK(utc != NULL, "%s", err);
    for (size_t z = 0; z < 8; z++) {
        zones[z] = tz_load(zone_names[z], err, sizeof err);
        FUZZ_CHECK(zones[z] != NULL, "%s", err);
        parsers[z][0] = dt_parser_new(zones[z], NULL, 0, err, sizeof err);
        parsers[z][1] = dt_parser_new(zones[z], us_formats, 2, err, sizeof err);
        parsers[z][2] = dt_parser_new(zones[z], all_formats, 5, err, sizeof err);
        for (int k = 0; k < 3; k++) FUZZ_CHECK(parsers[z][k] != NULL, "%s", err);
    }
}

static void check_value(const tz_zone *zone, const dt_value *v, const char *what)
{
    int y;
    unsigned m, d;
    dt_civil_from_days(v->days, &y, &m, &d);
    FUZZ_CHECK(dt_valid_date(y, m, d), "%s: day %d is %d-%u-%u", what, (int)v->days, y, m, d);
    FUZZ_CHECK(dt_days_from_civil(y, m, d) == v->days, "%s: days round trip", what);
    if (v->date_only) {
        int64_t midnight = tz_local_to_utc(zone, (int64_t)v->days * 86400) * 1000000;
        FUZZ_CHECK(v->utc_us == midnight, "%s: date-only instant %lld is not midnight %lld", what,
                   (long long)v->utc_us, (long long)midnight);
        FUZZ_CHECK(!v->has_offset && !v->midnight, "%s: date-only flags", what);
    }
    char iso[21];
    dt_format_utc(v->utc_us, iso);
    FUZZ_CHECK(strlen(iso) == 20 && iso[19] == 'Z', "%s: formatted '%s'", what, iso);
    int64_t back;
    FUZZ_CHECK(dt_parse_instant(utc, iso, &back), "%s: '%s' does not parse back", what, iso);
    int64_t secs = v->utc_us / 1000000 - (v->utc_us % 1000000 < 0);
    /* dt_format_utc clamps to years 0000-9999. */
    if (iso[0] != '0' || strncmp(iso, "0000-01-01T00:00:00Z", 20) != 0)
        if (strncmp(iso, "9999-12-31T23:59:59Z", 20) != 0)
            FUZZ_CHECK(back == secs * 1000000, "%s: '%s' parses back as %lld, not %lld", what, iso,
                       (long long)back, (long long)(secs * 1000000));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (zones[0] == NULL) setup();
    if (size < 2) return 0;
    unsigned zi = data[0] & 7, fi = (data[0] >> 3) & 3;
    data += 2;
    size -= 2;
    const tz_zone *zone = zones[zi];
    dt_parser *own = NULL;
    const dt_parser *p;
    if (fi == 3) {
        char *fmt = fuzz_take_until(&data, &size, 0x01);
        if (fmt == NULL) return 0;
        char err[256] = "";
        const char *const fmts[1] = {fmt};
        own = dt_parser_new(zone, fmts, 1, err, sizeof err);
        if (own == NULL) FUZZ_CHECK(err[0] != '\0', "format refused without a reason");
        free(fmt);
        if (own == NULL) return 0;
        p = own;
    } else {
        p = parsers[zi][fi];
    }

    /* The value as the engine passes it: not NUL-terminated. */
    char *s = malloc(size ? size : 1);
    FUZZ_CHECK(s != NULL, "malloc");
    memcpy(s, data, size);
    dt_value v, vd;
    bool ok = dt_parse(p, s, size, &v);
    bool okd = dt_parse_date(p, s, size, &vd);
    FUZZ_CHECK(ok == okd, "dt_parse %d but dt_parse_date %d", ok, okd);
    if (ok) {
        check_value(zone, &v, "dt_parse");
        check_value(zone, &vd, "dt_parse_date");
        FUZZ_CHECK(vd.date_only, "dt_parse_date gave a time");
        if (v.date_only)
            FUZZ_CHECK(v.days == vd.days && v.utc_us == vd.utc_us, "date-only differs");
    }
    free(s);

    /* The NUL-terminated entry points see the text up to its first NUL. */
    char *z = malloc(size + 1);
    FUZZ_CHECK(z != NULL, "malloc");
    memcpy(z, data, size);
    z[size] = '\0';
    int64_t us;
    if (dt_parse_instant(zone, z, &us)) {
        dt_value vi;
        FUZZ_CHECK(dt_parse(p, z, strlen(z), &vi), "an instant dt_parse refuses: '%s'", z);
        FUZZ_CHECK(vi.utc_us == us, "instant %lld vs dt_parse %lld", (long long)us,
                   (long long)vi.utc_us);
    }
    int64_t secs;
    if (dt_parse_duration(z, &secs)) {
        FUZZ_CHECK(secs >= 0, "negative duration %lld", (long long)secs);
        char txt[64];
        dt_format_duration(secs, txt, sizeof txt);
        int64_t again;
        FUZZ_CHECK(dt_parse_duration(txt, &again), "'%s' (from '%s') does not parse", txt, z);
        FUZZ_CHECK(again == secs, "'%s' is %lld, not %lld", txt, (long long)again, (long long)secs);
        char small[5];
        dt_format_duration(secs, small, sizeof small);
        FUZZ_CHECK(strlen(small) < sizeof small, "truncation");
    }
    free(z);
    dt_parser_free(own);
    return 0;
}

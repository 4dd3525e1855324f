/*
 * fuzz_tz.c - the TZif reader and the POSIX TZ footer parser on arbitrary
 * bytes.
 *
 * A pack names zones, and $TZDIR can point anywhere, so the zone file is
 * input like any other.  The fuzz input becomes the file "Fuzz/Zone" under a
 * private $TZDIR; tz_load must load it or refuse it with a reason.  A zone
 * that loads is then queried across history (and around each of a few
 * instants the last 8 input bytes choose): offsets stay within RFC 8536's
 * range, and converting a local reading to UTC and back never lands before
 * the reading (a gap moves it forward; otherwise it is exact).
 */
#define _GNU_SOURCE
#include "fuzz.h"

#include "tz.h"

static int memfd = -1;
static char zone_path[128];

static void setup(void)
{
    const char *dir = fuzz_tmpdir();
    char sub[128];
    snprintf(sub, sizeof sub, "%s/Fuzz", dir);
    FUZZ_CHECK(mkdir(sub, 0700) == 0, "mkdir %s", sub);
    memfd = fuzz_memfile("Fuzz/Zone", zone_path);
    FUZZ_CHECK(setenv("TZDIR", dir, 1) == 0, "setenv");
}

static void probe(const tz_zone *z, int64_t t)
{
    int32_t off = tz_offset_at(z, t);
    FUZZ_CHECK(off >= -89999 && off <= 93599, "offset %d at %lld", (int)off, (long long)t);
    int64_t local = t;
    int64_t u = tz_local_to_utc(z, local);
    int64_t back = tz_utc_to_local(z, u);
    FUZZ_CHECK(back >= local, "local %lld -> utc %lld -> local %lld", (long long)local,
               (long long)u, (long long)back);
    /* Without a gap, a reading that exists is found exactly. */
    int64_t real = tz_utc_to_local(z, t);
    int64_t u2 = tz_local_to_utc(z, real);
    FUZZ_CHECK(u2 <= t, "reading %lld of %lld maps to the later %lld", (long long)real,
               (long long)t, (long long)u2);
    FUZZ_CHECK(tz_utc_to_local(z, u2) == real, "first occurrence of %lld is %lld", (long long)real,
               (long long)u2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (memfd < 0) setup();
    fuzz_fill(memfd, data, size);
    char err[512] = "";
    tz_zone *z = tz_load("Fuzz/Zone", err, sizeof err);
    if (z == NULL) {
        FUZZ_CHECK(err[0] != '\0', "tz_load failed without a reason");
        return 0;
    }
    FUZZ_CHECK(strcmp(tz_name(z), "Fuzz/Zone") == 0, "name");
    /* Every 97 days from 1900 to 2200: crosses any footer rule many times. */
    for (int64_t t = -2208988800LL; t < 7258118400LL; t += 97LL * 86400 + 3607) probe(z, t);
    if (size >= 8) {
        uint64_t u = 0;
        for (int i = 0; i < 8; i++) u = (u << 8) | data[size - 8 + i];
        /* About 35,000 years either way. */
        int64_t t = (int64_t)(u % ((uint64_t)1 << 41)) - ((int64_t)1 << 40);
        for (int64_t d = -2 * 3600; d <= 2 * 3600; d += 900) probe(z, t + d);
    }
    tz_free(z);
    return 0;
}

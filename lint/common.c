/*
 * common.c - slices and severities (see common.h).
 */
#include "common.h"

#include <string.h>

bool slice_eq(slice a, slice b)
{
    return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

bool slice_eq_cstr(slice a, const char *s)
{
    return slice_eq(a, slice_of(s, strlen(s)));
}

static const char *const severity_names[] = {"info", "warning", "error", "never"};

const char *severity_name(severity s)
{
    return severity_names[s];
}

bool severity_parse(const char *s, bool allow_never, severity *out)
{
    for (int i = 0; i <= SEV_NEVER; i++) {
        if (strcmp(s, severity_names[i]) == 0) {
            if (i == SEV_NEVER && !allow_never) return false;
            *out = (severity)i;
            return true;
        }
    }
    return false;
}

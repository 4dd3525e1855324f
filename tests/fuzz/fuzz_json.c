/*
 * fuzz_json.c - the JSON reader behind --baseline, which reads a file the
 * user points at: json_parse on arbitrary bytes, then baseline_load on the
 * same bytes as a file.
 *
 * Checked: a failure always says "NAME:LINE:COL: ..." or "NAME: ..."; a
 * document that parses can be walked completely through the accessors
 * (strings are NUL-terminated at their length, numbers have text, object
 * keys are strings, json_get finds every key); a baseline that loads can
 * mark an empty result.
 */
#define _GNU_SOURCE
#include "fuzz.h"

#include "baseline.h"
#include "json.h"
#include "result.h"

static int memfd = -1;
static char path[128];

static size_t walk(const json_value *v, int depth)
{
    FUZZ_CHECK(depth <= 64 + 1, "depth %d", depth);
    size_t n = 1, len;
    switch (json_kind_of(v)) {
    case JSON_STRING: {
        const char *s = json_string(v, &len);
        FUZZ_CHECK(s != NULL && s[len] == '\0', "string");
        break;
    }
    case JSON_NUMBER: {
        const char *t = json_number_text(v, &len);
        FUZZ_CHECK(t != NULL && len > 0, "number text");
        uint64_t u;
        (void)json_number_u64(v, &u);
        (void)json_number(v);
        break;
    }
    case JSON_ARRAY:
        for (size_t i = 0; i < json_array_len(v); i++) n += walk(json_array_item(v, i), depth + 1);
        FUZZ_CHECK(json_array_item(v, json_array_len(v)) == NULL, "past the end");
        break;
    case JSON_OBJECT:
        for (size_t i = 0; i < json_object_len(v); i++) {
            const json_value *k = json_object_key(v, i);
            FUZZ_CHECK(json_kind_of(k) == JSON_STRING, "object key kind");
            const char *name = json_string(k, &len);
            /* json_get takes a C string: keys with a NUL cannot be asked for. */
            if (memchr(name, '\0', len) == NULL)
                FUZZ_CHECK(json_get(v, name) == json_object_value(v, i), "json_get '%s'", name);
            n += walk(json_object_value(v, i), depth + 1);
        }
        break;
    case JSON_NULL:
    case JSON_BOOL:
        (void)json_bool(v);
        break;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (memfd < 0) memfd = fuzz_memfile("baseline.json", path);
    char err[512] = "";
    json_value *v = json_parse("fuzz.json", (const char *)data, size, err, sizeof err);
    if (v == NULL) {
        FUZZ_CHECK(strncmp(err, "fuzz.json:", 10) == 0, "json error '%s'", err);
    } else {
        walk(v, 1);
        json_free(v);
    }

    fuzz_fill(memfd, data, size);
    err[0] = '\0';
    baseline *b = baseline_load(path, err, sizeof err);
    if (b == NULL) {
        FUZZ_CHECK(strncmp(err, path, strlen(path)) == 0, "baseline error '%s'", err);
        return 0;
    }
    result r = {.tool_version = "0.1.0"};
    uint64_t fixed = baseline_mark(b, &r);
    FUZZ_CHECK(fixed == baseline_count(b), "%llu fixed of %llu", (unsigned long long)fixed,
               (unsigned long long)baseline_count(b));
    baseline_free(b);
    return 0;
}

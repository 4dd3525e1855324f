/*
 * fuzz_cond.c - `when` conditions, parsed through a pack and evaluated by
 * the engine on records the input supplies.
 *
 * Input: the first line is the condition, written after "when: " in a small
 * pack (flow style: {all: [{field: A, equals: x}, {not: {...}}]}); the rest
 * is the CSV file the pack lints (its header names the columns).  The same
 * condition guards a required, an allowed, a pattern and a unique rule, so
 * it is evaluated per record and while indexing.  A condition the loader
 * refuses must come with a "PACK:LINE:COL: message".
 */
#define _GNU_SOURCE
#include "fuzz.h"

#include "buf.h"
#include "fuzz_engine.h"

static int pack_fd = -1, csv_fd = -1;
static char pack_path[128], csv_path[128];

static const char head[] = "version: 1\nname: cond\nsettings: {timezone: Europe/London}\n"
                           "objects:\n  o:\n    files: [\"*\"]\n    key: A\n"
                           "    null_values: [\"null\"]\n    rules:\n";
static const char *const rules[] = {
    "      - {id: r-req, type: required, fields: [A], when: %s}\n",
    ("      - {id: r-allowed, type: allowed, field: B, values: [x, \"Y\"], ignore_case: true,\n"
     "         when: %s}\n"),
    "      - {id: r-pattern, type: pattern, field: C, regex: '^[a-z]+$', when: %s}\n",
    "      - {id: r-unique, type: unique, fields: [A, B], when: %s}\n",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (pack_fd < 0) {
        pack_fd = fuzz_memfile("pack.yaml", pack_path);
        csv_fd = fuzz_memfile("data.csv", csv_path);
    }
    if (size > 16 * 1024) return 0;
    char *cond = fuzz_take_until(&data, &size, '\n');
    if (cond == NULL) return 0;
    if (strlen(cond) == 0 || strlen(cond) > 4096) {
        free(cond);
        return 0;
    }
    buf y = BUF_INIT;
    buf_adds(&y, head);
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        char line[4096 + 256];
        snprintf(line, sizeof line, rules[i], cond);
        buf_adds(&y, line);
    }
    free(cond);
    FUZZ_CHECK(!y.oom, "buf");
    fuzz_fill(pack_fd, y.p, y.len);
    buf_free(&y);
    fuzz_fill(csv_fd, data, size);

    char err[1024] = "";
    pack *p = pack_load(pack_path, err, sizeof err);
    if (p == NULL) {
        FUZZ_CHECK(strncmp(err, pack_path, strlen(pack_path)) == 0, "pack error '%s'", err);
        return 0;
    }
    const char *paths[1] = {csv_path};
    fuzz_lint(p, paths, 1);
    pack_free(p);
    return 0;
}

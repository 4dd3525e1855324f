/*
 * test_jobs.c - threads change nothing: the same input and pack give the
 * same report, byte for byte, with --jobs 1, 2 and 4, including records with
 * multi-line fields around batch boundaries, stateful rules (unique,
 * sequence, similar, reference to the object itself) and several files of
 * one object.
 */
#include <stdlib.h>

#include "lintfix.h"
#include "out.h"
#include "report.h"
#include "unit.h"

#define PACK                                                                                       \
    "version: 1\nsettings: {timezone: America/New_York, as_of: 2026-11-22}\nobjects:\n"          \
    "  lead:\n    files: [\"Lead*.csv\"]\n    key: Id\n    report_columns: [Owner]\n"            \
    "    rules:\n"                                                                              \
    "      - {id: req, type: required, fields: [Email, Owner]}\n"                               \
    "      - {id: em, type: format, field: Email, kind: email}\n"                               \
    "      - {id: dup, type: unique, fields: [Email], normalize: {Email: email}}\n"            \
    "      - {id: sim, type: similar, field: Company, block_by: [Owner], min_similarity: 0.9}\n" \
    "      - {id: seq, type: sequence, group_by: Company, order_by: Created, state: Stage,\n"    \
    "         stages: [New, Working, Won]}\n"                                                   \
    "      - {id: parent, type: reference, field: Parent, to: lead}\n"                          \
    "      - {id: pat, type: pattern, field: Notes, regex: '^[^!]*$'}\n"                        \
    "      - {id: age, type: age, field: Created, max: 200d, severity: warning}\n"

/* A file of n records; every 97th has a multi-line Notes field, so some
 * fall on the 2048-record batch boundaries. */
static char *make_csv(int n, int seed)
{
    size_t cap = (size_t)n * 160 + 256, len = 0;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    len += (size_t)sprintf(s, "Id,Email,Owner,Company,Stage,Created,Parent,Notes\n");
    static const char *stages[] = {"New", "Working", "Won", "Lost", "Working"};
    for (int i = 0; i < n; i++) {
        int k = i * 7 + seed;
        len += (size_t)sprintf(
            s + len, "L%d,%s%d@x.io,O%d,Company %d%s,%s,2026-%02d-%02d %02d:00,%s%d,%s\n", i,
            k % 13 == 0 ? "" : "user", k % 1000, k % 5, k % 50, k % 17 == 0 ? "x" : "",
            stages[k % 5], 1 + k % 11, 1 + k % 28, k % 24, k % 3 ? "L" : "M", (k * 3) % (n + 5),
            i % 97 == 0 ? "\"line one\nline two!\"" : "ok");
    }
    return s;
}

static char *render_json(const result *r)
{
    char path[300];
    snprintf(path, sizeof path, "%s/report.json", fix_dir);
    char err[256];
    out *o = out_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(o);
    report_opts ro = {false, false};
    reporter_find("json")->write(r, &ro, o);
    ck_assert(out_commit(o, err, sizeof err));
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *text = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = 0;
    fclose(f);
    return text;
}

static char *run_jobs(pack *p, int jobs, const char *a, const char *b)
{
    file_binding fb[2] = {{a, NULL}, {b, NULL}};
    lint_options o = {.fail_on = SEV_ERROR, .files = fb, .nfiles = 2, .jobs = jobs};
    char err[512];
    result *r = engine_run(p, &o, err, sizeof err);
    if (r == NULL) ck_abort_msg("engine failed: %s", err);
    ck_assert_uint_gt(r->nfindings, 100); /* the comparison means something */
    char *json = render_json(r);
    result_free(r);
    return json;
}

START_TEST(reports_identical_for_any_jobs)
{
    pack *p = fix_pack(PACK);
    char *c1 = make_csv(5000, 1), *c2 = make_csv(1500, 3);
    const char *a = fix_file("Lead-a.csv", c1), *b = fix_file("Lead-b.csv", c2);
    char *one = run_jobs(p, 1, a, b);
    for (int jobs = 2; jobs <= 4; jobs++) {
        char *many = run_jobs(p, jobs, a, b);
        ck_assert_msg(strcmp(one, many) == 0, "--jobs %d report differs from --jobs 1", jobs);
        free(many);
    }
    free(one);
    free(c1);
    free(c2);
    pack_free(p);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("jobs");
    TCase *tc = tcase_create("jobs");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, fix_setup, fix_teardown);
    tcase_add_test(tc, reports_identical_for_any_jobs);
    suite_add_tcase(s, tc);
    return s;
}

/*
 * test_jobs.c - threads change nothing: the same input and pack give the
 * same report, byte for byte, with --jobs 1, 2, 3 and 4, whatever the chunk
 * size: records with multi-line fields on chunk boundaries, stateful rules
 * (unique, sequence, similar, reference to the object itself), several files
 * of one object, awkward CSV (CR and CRLF line ends, stray and doubled
 * quotes, blank lines, an unterminated quote), and files that cannot be cut
 * and are read on one thread from some point on.
 */
#include <stdlib.h>

#include "buf.h"
#include "lintfix.h"
#include "out.h"
#include "report.h"
#include "unit.h"

#define PACK                                                                                       \
    "version: 1\nsettings: {timezone: America/New_York, as_of: 2026-11-22}\nobjects:\n"            \
    "  lead:\n    files: [\"Lead*.csv\"]\n    key: Id\n    report_columns: [Owner]\n"              \
    "    rules:\n"                                                                                 \
    "      - {id: req, type: required, fields: [Email, Owner]}\n"                                  \
    "      - {id: em, type: format, field: Email, kind: email}\n"                                  \
    "      - {id: dup, type: unique, fields: [Email], normalize: {Email: email}}\n"                \
    "      - {id: sim, type: similar, field: Company, block_by: [Owner], min_similarity: 0.9}\n"   \
    "      - {id: seq, type: sequence, group_by: Company, order_by: Created, state: Stage,\n"      \
    "         stages: [New, Working, Won]}\n"                                                      \
    "      - {id: parent, type: reference, field: Parent, to: lead}\n"                             \
    "      - {id: pat, type: pattern, field: Notes, regex: '^[^!]*$'}\n"                           \
    "      - {id: age, type: age, field: Created, max: 200d, severity: warning}\n"

/* A file of n records; every 97th has a multi-line Notes field, so with
 * small chunks some fall on chunk boundaries. */
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

typedef struct chunking {
    size_t chunk_bytes, max_record_bytes; /* 0: the defaults */
} chunking;

/* The json report of a run with base's files and settings, with jobs
 * threads and chunking ch. */
static char *run_with(pack *p, const lint_options *base, int jobs, chunking ch, size_t min_findings)
{
    lint_options o = *base;
    o.jobs = jobs;
    o.chunk_bytes = ch.chunk_bytes;
    o.chunk_max_record_bytes = ch.max_record_bytes;
    char err[512];
    result *r = engine_run(p, &o, err, sizeof err);
    if (r == NULL) ck_abort_msg("engine failed: %s", err);
    ck_assert_uint_ge(r->nfindings, min_findings); /* the comparison means something */
    char *json = render_json(r);
    result_free(r);
    return json;
}

/* Every jobs count from 2 to 4 with every chunking gives the --jobs 1
 * report. */
static void assert_same_with(pack *p, const lint_options *base, const chunking *ch, size_t nch,
                             size_t min_findings)
{
    char *one = run_with(p, base, 1, (chunking){0, 0}, min_findings);
    for (size_t i = 0; i < nch; i++)
        for (int jobs = 2; jobs <= 4; jobs++) {
            char *many = run_with(p, base, jobs, ch[i], min_findings);
            ck_assert_msg(strcmp(one, many) == 0,
                          "--jobs %d, chunks of %zu (no boundary: %zu) differs from --jobs 1", jobs,
                          ch[i].chunk_bytes, ch[i].max_record_bytes);
            free(many);
        }
    free(one);
}

/* The same for the files a and b (NULL: just a). */
static void assert_same_reports(pack *p, const char *a, const char *b, const chunking *ch,
                                size_t nch, size_t min_findings)
{
    file_binding fb[2] = {{a, NULL}, {b, NULL}};
    lint_options base = {.fail_on = SEV_ERROR, .files = fb, .nfiles = b ? 2 : 1};
    assert_same_with(p, &base, ch, nch, min_findings);
}

START_TEST(reports_identical_for_any_jobs)
{
    pack *p = fix_pack(PACK);
    char *c1 = make_csv(5000, 1), *c2 = make_csv(1500, 3);
    const char *a = fix_file("Lead-a.csv", c1), *b = fix_file("Lead-b.csv", c2);
    /* Default chunks, then chunks of a few records and of odd sizes, so
     * every kind of record (multi-line ones too) starts some chunk. */
    static const chunking sizes[] = {{0, 0}, {1000, 0}, {4093, 0}, {65536, 0}, {1, 0}};
    assert_same_reports(p, a, b, sizes, sizeof sizes / sizeof sizes[0], 100);
    free(c1);
    free(c2);
    pack_free(p);
}
END_TEST

/* Line ends and quoting libcsv reads in its own way: the chunk boundaries
 * must follow it exactly, or records and line numbers change. */
START_TEST(awkward_csv_at_every_boundary)
{
    pack *p = fix_pack(PACK);
    buf t = BUF_INIT;
    buf_adds(&t, "Id,Email,Owner,Company,Stage,Created,Parent,Notes\n");
    for (int i = 0; i < 300; i++) {
        switch (i % 10) {
        case 0:
            buf_printf(&t, "L%d,a%d@x.io,O1,C%d,New,2026-01-02,L1,\"two\nlines\"\n", i, i % 7,
                       i % 9);
            break;
        case 1:
            buf_printf(&t, "L%d,a%d@x.io,O1,C%d,New,2026-01-02,L1,ab\"c\n", i, i % 7, i % 9);
            break;
        case 2:
            buf_printf(&t, "L%d,a%d@x.io,O1,C%d,New,2026-01-02,L1,\"x\"y\nz\"\n", i, i % 7, i % 9);
            break;
        case 3:
            buf_printf(&t, "L%d,a%d@x.io,O2,C%d,Won,2026-01-03,L2,\"say \"\"hi\"\"\"\r\n", i, i % 7,
                       i % 9);
            break;
        case 4:
            buf_printf(&t,
                       "\n\nL%d,bad,O2,C%d,Won,2026-01-03,L2,cr\rL%d-b,a@x.io,O3,C1,New,2026-01-04,"
                       "L1,ok\n",
                       i, i % 9, i);
            break;
        case 5:
            buf_printf(&t, "L%d,a%d@x.io,O3,C%d,Lost,2026-01-05,L3, \"spaced\"\n", i, i % 7, i % 9);
            break;
        case 6:
            buf_printf(&t, "L%d,,O3,C%d,New,2026-01-05,L3,ragged,extra\n", i, i % 9);
            break;
        case 7:
            buf_printf(&t, "L%d,a%d@x.io,O4,C%d,New,2026-01-06,L4,\"\r\n\"\n", i, i % 7, i % 9);
            break;
        case 8:
            buf_printf(&t, "L%d,a%d@x.io,O4,C%d,Working,2026-01-06,L4,\"\",\"\"\n", i, i % 7,
                       i % 9);
            break;
        default:
            buf_printf(&t,
                       "\"L%d\",\"a%d@x.io\",\"O4\nx\",\"C%d\",\"Working\",\"2026-01-07\",\"L4\","
                       "\"!\n\"\n",
                       i, i % 7, i % 9);
            break;
        }
    }
    buf_adds(&t, "L-last,z@x.io,O1,C1,New,2026-01-08,L1,\"never closed\nstill open\n");
    ck_assert(!t.oom);
    const char *a = fix_file("Lead-awkward.csv", t.p);
    static const chunking sizes[] = {{1, 0}, {37, 0}, {256, 0}, {1000, 0}};
    assert_same_reports(p, a, NULL, sizes, sizeof sizes / sizeof sizes[0], 300);
    buf_free(&t);
    pack_free(p);
}
END_TEST

/* A record longer than the stretch the splitter may search for a boundary:
 * the rest of the file is read on one thread, after the chunks before it,
 * and nothing changes.  Also from the header on (a header never closed). */
START_TEST(uncuttable_files_read_on_one_thread)
{
    pack *p = fix_pack(PACK);
    char *c1 = make_csv(3000, 5);
    buf t = BUF_INIT;
    buf_adds(&t, c1);
    buf_adds(&t, "L-big,big@x.io,O1,C1,New,2026-01-02,L1,\"");
    for (int i = 0; i < 400; i++) buf_adds(&t, "a long note\n");
    buf_adds(&t, "\"\n");
    buf_adds(&t, c1 + strlen("Id,Email,Owner,Company,Stage,Created,Parent,Notes\n"));
    ck_assert(!t.oom);
    const char *a = fix_file("Lead-big.csv", t.p);
    const char *b = fix_file("Lead-open.csv", "Id,Email,\"Owner\nL1,a@x.io,O1\n");
    static const chunking sizes[] = {{512, 3000}, {4096, 4000}, {1, 1}};
    assert_same_reports(p, a, b, sizes, sizeof sizes / sizeof sizes[0], 100);
    buf_free(&t);
    free(c1);
    pack_free(p);
}
END_TEST

/* The bundled exports (multi-line notes, windows-1252 and BOM files,
 * stage histories with SLA and sequence rules), with their packs, in
 * chunks of a few bytes: the report of --jobs 1, whatever the cuts.  Unit
 * tests run from the repository root. */
START_TEST(bundled_fixtures_in_small_chunks)
{
    static const struct {
        const char *pack;
        const char *files[4];
    } sets[] = {
        {"rules/demo.yaml",
         {"fixtures/salesforce/Account.csv", "fixtures/salesforce/Lead.csv",
          "fixtures/salesforce/Opportunity.csv", NULL}},
        {"fixtures/process/process.yaml",
         {"fixtures/process/Opportunity.csv", "fixtures/process/OpportunityHistory.csv",
          "fixtures/process/hubspot-crm-exports-all-contacts-2026-11-20.csv",
          "fixtures/process/marketo-leads-2026-11-20.csv"}},
    };
    static const chunking sizes[] = {{1, 0}, {64, 0}, {333, 0}, {2000, 700}};
    for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++) {
        char err[512];
        pack *p = pack_load(sets[k].pack, err, sizeof err);
        ck_assert_msg(p != NULL, "%s", err);
        file_binding fb[4];
        size_t n = 0;
        while (n < 4 && sets[k].files[n]) {
            fb[n] = (file_binding){sets[k].files[n], NULL};
            n++;
        }
        lint_options base = {.fail_on = SEV_ERROR,
                             .files = fb,
                             .nfiles = n,
                             .has_as_of = true,
                             .as_of_us = 1795000000000000};
        assert_same_with(p, &base, sizes, sizeof sizes / sizeof sizes[0], 11);
        pack_free(p);
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("jobs");
    TCase *tc = tcase_create("jobs");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, fix_setup, fix_teardown);
    tcase_add_test(tc, reports_identical_for_any_jobs);
    tcase_add_test(tc, awkward_csv_at_every_boundary);
    tcase_add_test(tc, uncuttable_files_read_on_one_thread);
    tcase_add_test(tc, bundled_fixtures_in_small_chunks);
    suite_add_tcase(s, tc);
    return s;
}

/*
 * test_faults.c - fault injection: every allocation that can fail is made to
 * fail, one at a time, and crmlint must fail cleanly each time.
 *
 * As SQLite and Lua do it: a run is repeated with xalloc_fail_after(N) for
 * N = 1, 2, 3, ... (the Nth allocation and every later one fail) until a run
 * completes without reaching N.  Each failing run must end in a clean error
 * (NULL or false with a message saying "out of memory", nothing half-done),
 * never a crash, and free everything it allocated: under `make sanitize`
 * LeakSanitizer fails the test for a single leaked byte.  A run that survives
 * an allocation failure (report writers fall back to slower paths) must give
 * exactly the output of an undisturbed run.
 *
 * The lint is small but touches every module: a pack with an `extends`,
 * settings (zone, date formats, a business calendar), lookups, report
 * columns, and one rule of every type with `when` conditions of every kind;
 * three CSV files (one gzip, one Windows-1252); every report format.
 * Allocations made by libraries behind the seam (libyaml, libcsv's parser,
 * PCRE2, zlib, iconv, utf8proc) are not counted and cannot be failed here.
 */
#include "lintfix.h"
#include "unit.h"

#include <zlib.h>

#include "decode.h"
#include "engine.h"
#include "out.h"
#include "pack.h"
#include "reader.h"
#include "report.h"
#include "xalloc.h"
#include "yamltree.h"

/* ---- the lint ------------------------------------------------------------- */

static const char base_yaml[] =
    "version: 1\n"
    "name: base\n"
    "settings:\n"
    "  timezone: America/New_York\n"
    "  as_of: 2026-11-22\n"
    "  date_formats: [\"%m/%d/%Y\", \"%m/%d/%Y %I:%M %p\"]\n"
    "  default_country_code: \"1\"\n"
    "  calendars:\n"
    "    business: {days: [mon, tue, wed, thu, fri], hours: \"09:00-17:00\",\n"
    "               holidays: [2026-11-26, 2026-12-25]}\n"
    "objects:\n"
    "  account:\n"
    "    files: [\"Account*.csv\"]\n"
    "    key: Id\n"
    "    encoding: windows-1252\n"
    "    null_values: [\"000000000000000AAA\"]\n"
    "    rules:\n"
    "      - {id: acct-name, type: required, fields: [Name]}\n"
    "      - {id: acct-similar, type: similar, field: Name, normalize: company,\n"
    "         block_by: [Country], min_similarity: 0.85}\n"
    "      - {id: acct-disabled, type: required, fields: [Country]}\n";

static const char pack_yaml[] =
    "version: 1\n"
    "name: faults\n"
    "extends: [base.yaml]\n"
    "disable: [acct-disabled]\n"
    "objects:\n"
    "  lead:\n"
    "    files: [\"Lead*.csv\", \"Lead*.csv.gz\"]\n"
    "    key: Id\n"
    "    null_values: [\"N/A\"]\n"
    "    columns: {Email: [\"Email Address\"]}\n"
    "    types: {Converted: date}\n"
    "    lookups: {acct: {field: AccountId, to: account}}\n"
    "    report_columns: [Owner, Company]\n"
    "    rules:\n"
    "      - {id: req, type: required, fields: [Company, Owner], tags: [completeness]}\n"
    "      - {id: status, type: allowed, field: Status, values: [Open, Working, Closed],\n"
    "         ignore_case: true, when: {not: {field: Status, empty: true}}}\n"
    "      - {id: owner-pattern, type: pattern, field: Owner, regex: '^[A-Z][a-z]+$',\n"
    "         when: {any: [{field: Status, in: [open, working], ignore_case: true},\n"
    "                      {field: Company, matches: '(?i)corp'}]}}\n"
    "      - {id: email, type: format, field: Email, kind: email,\n"
    "         message: \"{field} {value} of {record} is not an address ({detail})\"}\n"
    "      - {id: phone, type: format, field: Phone, kind: phone, severity: warning,\n"
    "         threshold: {max_ratio: 0.5}}\n"
    "      - {id: employees, type: range, field: Employees, min: 1, max: 100000}\n"
    "      - {id: order, type: compare, left: Converted, op: \">=\", right: Created,\n"
    "         when: {all: [{field: Status, equals: Closed}, {field: Converted, not_equals: "
    "\"\"}]}}\n"
    "      - {id: stale, type: age, field: Created, max: 365d, severity: info}\n"
    "      - {id: dup-email, type: unique, fields: [Email], normalize: {Email: email}}\n"
    "      - {id: dup-phone, type: unique, fields: [Phone], normalize: {Phone: phone},\n"
    "         threshold: {max_count: 5}}\n"
    "      - {id: account-ref, type: reference, field: AccountId, to: account}\n"
    "      - {id: acct-country, type: allowed, field: acct.Country, values: [US, GB, DE]}\n"
    "      - {id: response, type: sla, from: Created, to: Responded, max: 8h,\n"
    "         calendar: business}\n"
    "      - {id: stages, type: stage_dates, state: Status,\n"
    "         stages: [{name: Open, date: Created}, {name: Working, date: Responded},\n"
    "                  {name: Closed, date: Converted}]}\n"
    "  history:\n"
    "    files: [\"History*.csv\"]\n"
    "    rules:\n"
    "      - {id: seq, type: sequence, group_by: Opp, order_by: At, state: Stage,\n"
    "         stages: [Prospecting, Qualification, Negotiation, Closed Won],\n"
    "         exits: [Closed Lost], terminal: [Closed Won, Closed Lost],\n"
    "         previous_field: From}\n";

static const char lead_csv[] =
    "Id,Email Address,Company,Owner,Status,Phone,Employees,Created,Responded,Converted,AccountId\n"
    "L1,ann@acme.example,Acme Corp,Ann,Open,+1 555 010 0001,10,2026-11-02 09:00,2026-11-02 "
    "10:00,,A1\n"
    "L2,ANN@acme.example,Acme Corp,bob,working,555-0101,0,11/03/2026 9:30 AM,2026-11-05 "
    "17:00,,A2\n"
    "L3,bad@,,Cy,Closed,12,abc,2026-11-04,2026-11-04 11:00,2026-11-01,A9\n"
    "L4,d\xc3\xa9@x.example,Globex,Di,Nurturing,N/A,5,2025-01-01 00:00,,,A3\n"
    "L5,e@x.example,\"Initech, \"\"Ltd\"\"\",Ed,Closed,555 0100 ext 12,7,2026-11-20 "
    "08:00,2026-11-20 19:00,2026-11-21 00:00:00,\n"
    "L6,\"multi\nline\",Acme,Fay,Open,555-0101,3,2026-13-01,,,A1\n"
    "L7,x@y.example,Hooli,Gus\n";

static const char account_csv[] = "Id,Name,Country\n"
                                  "A1,Acme Corporation,US\n"
                                  "A2,Acme Corp.,US\n"
                                  "A3,Caf\xe9 M\xfcller GmbH,DE\n"
                                  "A4,,FR\n"
                                  "000000000000000AAA,Nobody,GB\n";

static const char history_csv[] = "Opp,At,Stage,From\n"
                                  "O1,2026-01-01 10:00,Prospecting,\n"
                                  "O1,2026-01-03 10:00,Negotiation,Prospecting\n"
                                  "O2,2026-01-02 10:00,Qualification,\n"
                                  "O1,2026-01-02 10:00,Qualification,Prospecting\n"
                                  "O1,2026-01-04 10:00,Closed Won,Qualification\n"
                                  "O1,2026-01-05 10:00,Prospecting,Closed Won\n"
                                  "O2,,Closed Lost,Qualification\n"
                                  "O3,2026-01-01,Mystery,\n";

static const char *pack_path;
static char lead_gz[512];
static const char *account_path, *history_path;

static void write_gzip(const char *path, const char *data, size_t n)
{
    gzFile g = gzopen(path, "wb");
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(gzwrite(g, data, (unsigned)n), (int)n);
    ck_assert_int_eq(gzclose(g), Z_OK);
}

static void setup(void)
{
    fix_setup();
    fix_file("base.yaml", base_yaml);
    pack_path = fix_file("pack.yaml", pack_yaml);
    snprintf(lead_gz, sizeof lead_gz, "%s/Lead.csv.gz", fix_dir);
    write_gzip(lead_gz, lead_csv, sizeof lead_csv - 1);
    account_path = fix_file("Account.csv", account_csv);
    history_path = fix_file("History.csv", history_csv);
}

static void teardown(void)
{
    xalloc_fail_after(0);
    fix_teardown();
}

static lint_options options(file_binding *files, int jobs)
{
    files[0] = (file_binding){lead_gz, NULL};
    files[1] = (file_binding){account_path, NULL};
    files[2] = (file_binding){history_path, "history"};
    return (lint_options){.files = files,
                          .nfiles = 3,
                          .fail_on = SEV_WARNING,
                          .jobs = jobs,
                          .has_max_findings = true,
                          .max_findings = 40};
}

/* The Nth allocation failed somewhere: the error must say so.  With
 * FAULTS_SURVEY set, wrong messages are listed on stderr instead of failing
 * the test, to see every offender in one run. */
static void assert_oom_message(const char *err, unsigned long n)
{
    if (strstr(err, "out of memory") == NULL && getenv("FAULTS_SURVEY")) {
        fprintf(stderr, "survey: allocation %lu failed but the error is '%s'\n", n, err);
        return;
    }
    ck_assert_msg(strstr(err, "out of memory") != NULL,
                  "allocation %lu failed but the error is '%s'", n, err);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* No ".report.XXXXXX" left next to the report. */
static void assert_no_temp_files(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -q '^\\.report\\.'", fix_dir);
    ck_assert_msg(system(cmd) != 0, "a temporary report file was left in %s", fix_dir);
}

/* Sweeps N = 1, 2, ... over `step`, which returns false when the run failed
 * (having checked the failure) and true when it completed.  Returns how
 * many allocations a complete run makes. */
typedef bool (*step_fn)(unsigned long n, void *ctx);

static unsigned long sweep(step_fn step, void *ctx, unsigned long stride)
{
    for (unsigned long n = 1;; n += stride) {
        xalloc_fail_after(n);
        bool done = step(n, ctx);
        unsigned long made = xalloc_fail_after(0);
        if (done && made < n) return made; /* no allocation was failed: finished */
        ck_assert_msg(n < 1000000, "the sweep does not end");
    }
}

/* ---- pack_load ------------------------------------------------------------- */

static bool step_pack(unsigned long n, void *ctx)
{
    (void)ctx;
    char err[1024] = "";
    pack *p = pack_load(pack_path, err, sizeof err);
    if (p == NULL) {
        assert_oom_message(err, n);
        return false;
    }
    pack_free(p);
    return true;
}

START_TEST(faults_pack_load)
{
    unsigned long total = sweep(step_pack, NULL, 1);
    ck_assert_uint_gt(total, 100); /* the sweep really covered a pack */
}
END_TEST

/* ---- engine_run ------------------------------------------------------------ */

typedef struct engine_ctx {
    const pack *p;
    int jobs;
    const char *baseline; /* an earlier json report, or NULL */
    uint64_t findings;    /* of the undisturbed run */
} engine_ctx;

static bool step_engine(unsigned long n, void *vctx)
{
    engine_ctx *c = vctx;
    file_binding files[3];
    lint_options o = options(files, c->jobs);
    o.baseline = c->baseline;
    o.redact = c->baseline != NULL;
    char err[1024] = "";
    result *r = engine_run(c->p, &o, err, sizeof err);
    if (r == NULL) {
        assert_oom_message(err, n);
        return false;
    }
    ck_assert_uint_eq(r->summary.findings, c->findings);
    result_free(r);
    return true;
}

/* The json report of r, written to DIR/name (the baseline of later runs). */
static const char *json_report(const result *r, const char *name)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s", fix_dir, name);
    char err[1024];
    out *o = out_open(path, err, sizeof err);
    ck_assert_msg(o != NULL, "%s", err);
    report_opts ro = {false, false};
    reporter_find("json")->write(r, &ro, o);
    ck_assert_msg(out_commit(o, err, sizeof err), "%s", err);
    return path;
}

static void engine_sweep(int jobs, bool with_baseline, unsigned long stride)
{
    char err[1024];
    pack *p = pack_load(pack_path, err, sizeof err);
    ck_assert_msg(p != NULL, "%s", err);
    file_binding files[3];
    lint_options o = options(files, jobs);
    result *r = engine_run(p, &o, err, sizeof err);
    ck_assert_msg(r != NULL, "%s", err);
    engine_ctx c = {p, jobs, NULL, r->summary.findings};
    ck_assert_uint_gt(c.findings, 20); /* most rules found something */
    if (with_baseline) c.baseline = json_report(r, "baseline.json");
    result_free(r);
    sweep(step_engine, &c, stride);
    pack_free(p);
}

START_TEST(faults_engine_run)
{
    engine_sweep(1, false, 1);
}
END_TEST

/* --baseline reads an earlier json report (json.c, baseline.c); --redact. */
START_TEST(faults_engine_run_baseline)
{
    engine_sweep(1, true, 1);
}
END_TEST

/* With worker threads the Nth allocation is not the same one from run to
 * run, but every one of them must still fail cleanly. */
START_TEST(faults_engine_run_threads)
{
    engine_sweep(3, false, 3);
}
END_TEST

/* ---- reports ---------------------------------------------------------------- */

typedef struct report_ctx {
    const result *r;
    const reporter *rep;
    char path[512];
    char *expected;
    size_t expected_len;
} report_ctx;

static bool write_report(report_ctx *c, char *err, size_t errlen)
{
    out *o = out_open(c->path, err, errlen);
    if (o == NULL) return false;
    report_opts ro = {false, false};
    c->rep->write(c->r, &ro, o);
    return out_commit(o, err, errlen);
}

static bool step_report(unsigned long n, void *vctx)
{
    report_ctx *c = vctx;
    unlink(c->path);
    char err[1024] = "";
    bool ok = write_report(c, err, sizeof err);
    assert_no_temp_files();
    if (!ok) {
        assert_oom_message(err, n);
        ck_assert_msg(access(c->path, F_OK) != 0, "%s: a failed report was left", c->rep->name);
        return false;
    }
    /* Writers that work around a failed allocation must write the same. */
    size_t len;
    char *got = slurp(c->path, &len);
    ck_assert_ptr_nonnull(got);
    ck_assert_msg(len == c->expected_len && memcmp(got, c->expected, len) == 0,
                  "%s: allocation %lu failed and the report changed", c->rep->name, n);
    free(got);
    return true;
}

START_TEST(faults_reports)
{
    char err[1024];
    pack *p = pack_load(pack_path, err, sizeof err);
    ck_assert_msg(p != NULL, "%s", err);
    file_binding files[3];
    lint_options o = options(files, 1);
    result *r = engine_run(p, &o, err, sizeof err);
    ck_assert_msg(r != NULL, "%s", err);

    char names[256];
    snprintf(names, sizeof names, "%s", reporter_names());
    size_t formats = 0;
    char *save = NULL;
    for (char *name = strtok_r(names, ", ", &save); name; name = strtok_r(NULL, ", ", &save)) {
        report_ctx c = {.r = r, .rep = reporter_find(name)};
        ck_assert_ptr_nonnull(c.rep);
        snprintf(c.path, sizeof c.path, "%s/report.%s", fix_dir, name);
        ck_assert_msg(write_report(&c, err, sizeof err), "%s", err);
        c.expected = slurp(c.path, &c.expected_len);
        ck_assert_ptr_nonnull(c.expected);
        sweep(step_report, &c, 1);
        free(c.expected);
        unlink(c.path);
        formats++;
    }
    ck_assert_uint_ge(formats, 3);
    result_free(r);
    pack_free(p);
}
END_TEST

/* ---- the whole lint, as the CLI runs it ----------------------------------- */

static bool step_whole(unsigned long n, void *ctx)
{
    const char *format = ctx;
    char err[1024] = "", path[600];
    snprintf(path, sizeof path, "%s/report.out", fix_dir);
    unlink(path);
    pack *p = pack_load(pack_path, err, sizeof err);
    if (p == NULL) {
        assert_oom_message(err, n);
        return false;
    }
    file_binding files[3];
    lint_options o = options(files, 1);
    result *r = engine_run(p, &o, err, sizeof err);
    if (r == NULL) {
        assert_oom_message(err, n);
        pack_free(p);
        return false;
    }
    bool ok = false;
    out *w = out_open(path, err, sizeof err);
    if (w) {
        report_opts ro = {false, false};
        reporter_find(format)->write(r, &ro, w);
        ok = out_commit(w, err, sizeof err);
    }
    assert_no_temp_files();
    if (!ok) {
        assert_oom_message(err, n);
        ck_assert_msg(access(path, F_OK) != 0, "a failed report was left");
    }
    result_free(r);
    pack_free(p);
    return ok;
}

START_TEST(faults_whole_lint_json)
{
    sweep(step_whole, "json", 1);
}
END_TEST

START_TEST(faults_whole_lint_sarif)
{
    sweep(step_whole, "sarif", 1);
}
END_TEST

/* ---- the input pipeline on its own --------------------------------------- */

typedef struct read_ctx {
    const char *path;
    encoding enc;
    size_t records;
} read_ctx;

static bool step_read(unsigned long n, void *vctx)
{
    read_ctx *c = vctx;
    reader_opts ro = {',', c->enc};
    char err[1024] = "";
    reader *rd = reader_open(c->path, &ro, err, sizeof err);
    if (rd == NULL) {
        assert_oom_message(err, n);
        return false;
    }
    record rec;
    size_t count = 0;
    int got;
    while ((got = reader_next(rd, &rec, err, sizeof err)) > 0) count++;
    reader_close(rd);
    if (got < 0) {
        assert_oom_message(err, n);
        return false;
    }
    ck_assert_uint_eq(count, c->records);
    return true;
}

START_TEST(faults_reader)
{
    /* UTF-16 with a lone surrogate and a multi-line field, through gzip. */
    static const char text[] = "Id,Name\n1,\"two\nlines\"\n2,x\n";
    char u16[256];
    size_t k = 0;
    u16[k++] = (char)0xFF;
    u16[k++] = (char)0xFE;
    for (size_t i = 0; i < sizeof text - 1; i++) {
        u16[k++] = text[i];
        u16[k++] = 0;
    }
    u16[k++] = 0x00; /* a lone high surrogate */
    u16[k++] = (char)0xD8;
    char gz[600];
    snprintf(gz, sizeof gz, "%s/U16.csv.gz", fix_dir);
    write_gzip(gz, u16, k);
    read_ctx c = {gz, ENC_UTF16, 4};
    sweep(step_read, &c, 1);

    read_ctx w = {account_path, ENC_WINDOWS_1252, 6};
    sweep(step_read, &w, 1);
}
END_TEST

/* ---- YAML trees with anchors and aliases ---------------------------------- */

static bool step_yaml(unsigned long n, void *ctx)
{
    (void)ctx;
    static const char doc[] = "a: &a {x: [1, 2, {y: z}], w: v}\n"
                              "b: [*a, *a, {k: *a}]\n"
                              "c: !!str 010\n"
                              "d: \"\\u00e9t\\u00e9\"\n";
    char err[1024] = "";
    ytree *t = ytree_load_mem("doc.yaml", doc, sizeof doc - 1, err, sizeof err);
    if (t == NULL) {
        assert_oom_message(err, n);
        return false;
    }
    ck_assert_uint_eq(ytree_root(t)->n, 4);
    ytree_free(t);
    return true;
}

START_TEST(faults_yamltree)
{
    sweep(step_yaml, NULL, 1);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("faults");
    TCase *tc = tcase_create("faults");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, faults_pack_load);
    tcase_add_test(tc, faults_engine_run);
    tcase_add_test(tc, faults_engine_run_baseline);
    tcase_add_test(tc, faults_engine_run_threads);
    tcase_add_test(tc, faults_reports);
    tcase_add_test(tc, faults_whole_lint_json);
    tcase_add_test(tc, faults_whole_lint_sarif);
    tcase_add_test(tc, faults_reader);
    tcase_add_test(tc, faults_yamltree);
    suite_add_tcase(s, tc);
    return s;
}

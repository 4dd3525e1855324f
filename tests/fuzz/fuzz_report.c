/*
 * fuzz_report.c - every report format on a result built from arbitrary
 * bytes: rule ids, paths, records, values (with NULs, control characters,
 * invalid UTF-8, over CRMLINT_MAX_VALUE_IN_REPORT), messages, related
 * records, report columns, stats, skipped reasons, baseline flags.
 *
 * Each format in reporter_names() writes the result to /dev/null (with and
 * without colour), then once more to a file that is checked: every format's
 * output is valid UTF-8; json, sarif and gitlab are one valid JSON document
 * and jsonl is one per line (json.h's strict parser); text without colour
 * and github hold no control character but line feeds (and tabs in github's
 * messages): a value cannot move a cursor or forge an annotation line; csv parses (libcsv, strict)
 * into rows of one width where no cell starts like a spreadsheet formula.
 */
#define _GNU_SOURCE
#include "fuzz.h"

#include <csv.h>

#include "json.h"
#include "out.h"
#include "report.h"
#include "result.h"
#include "text.h"
#include "xalloc.h"

/* ---- reading the input -------------------------------------------------- */

typedef struct input {
    const uint8_t *p;
    size_t n;
} input;

static uint8_t u8(input *in)
{
    if (in->n == 0) return 0;
    in->n--;
    return *in->p++;
}

static uint64_t u64(input *in)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | u8(in);
    return v;
}

/* A byte string: a length byte (250..255 mean long values, past the
 * report's value limit), then that many bytes. */
static size_t bytes(input *in, const char **s)
{
    unsigned b = u8(in);
    size_t len = b < 250 ? b : (size_t)(b - 249) * 700;
    if (len > in->n) len = in->n;
    *s = (const char *)in->p;
    in->p += len;
    in->n -= len;
    return len;
}

/* Strings the result borrows (rule ids, objects, columns...): kept here and
 * freed after the reports. */
typedef struct pool {
    char *v[256];
    size_t n;
} pool;

static const char *pooled(pool *pl, input *in)
{
    const char *s;
    size_t len = bytes(in, &s);
    char *c = xstrndup(s, len);
    FUZZ_CHECK(c != NULL, "alloc");
    FUZZ_CHECK(pl->n < 256, "pool");
    pl->v[pl->n++] = c;
    return c;
}

/* An owned C string (NUL cuts it) or NULL when the length byte is odd. */
static char *owned_or_null(input *in)
{
    const char *s;
    size_t len = bytes(in, &s);
    if (len == 0 && (in->n & 1)) return NULL;
    char *c = xstrndup(s, len);
    FUZZ_CHECK(c != NULL, "alloc");
    return c;
}

static const char *const report_cols[] = {"Owner", "Company \"Name\""};
static const char *const rule_types[] = {"format", "csv", "sla", "unique", "required"};
static const char *const stat_names[] = {"met", "breached", "open", "median_seconds"};

static result *build(input *in, pool *pl)
{
    result *r = xcalloc(1, sizeof *r);
    FUZZ_CHECK(r != NULL, "alloc");
    r->tool_version = CRMLINT_VERSION;
    r->pack_name = xstrdup(pooled(pl, in));
    r->as_of_us = (int64_t)(u64(in) % (400000000000ULL * 1000000)) - 200000000000LL * 1000000;
    uint8_t flags = u8(in);
    r->fail_on = (severity)(flags & 3);
    r->redact = flags & 4;
    r->has_baseline = flags & 8;

    r->nfiles = 1 + u8(in) % 3;
    r->files = xcalloc(r->nfiles, sizeof *r->files);
    for (size_t i = 0; i < r->nfiles; i++) {
        result_file *f = &r->files[i];
        f->path = xstrdup(pooled(pl, in));
        uint8_t b = u8(in);
        f->object = b & 1 ? NULL : pooled(pl, in);
        f->records = u64(in) >> (b & 0x3f);
        f->nreport_columns = f->object ? (b >> 1) % 3 : 0;
        f->report_columns = f->nreport_columns ? report_cols : NULL;
    }

    r->nrules = 1 + u8(in) % 4;
    r->rules = xcalloc(r->nrules, sizeof *r->rules);
    for (size_t i = 0; i < r->nrules; i++) {
        result_rule *ru = &r->rules[i];
        uint8_t b = u8(in);
        ru->id = pooled(pl, in);
        ru->type = rule_types[b % 5];
        ru->sev = (severity)((b >> 3) % 3);
        ru->object = b & 0x40 ? NULL : pooled(pl, in);
        ru->description = b & 0x80 ? NULL : pooled(pl, in);
        size_t ntags = u8(in) % 3;
        if (ntags) {
            const char **tags = xcalloc(ntags, sizeof *tags);
            FUZZ_CHECK(tags != NULL && pl->n < 256, "alloc");
            for (size_t t = 0; t < ntags; t++) tags[t] = pooled(pl, in);
            pl->v[pl->n++] = (char *)tags;
            ru->tags = tags;
            ru->ntags = ntags;
        }
        ru->checked = u64(in) >> 8;
        uint8_t c = u8(in);
        ru->threshold_exceeded = c & 1;
        ru->has_max_count = c & 2;
        ru->max_count = c >> 2;
        ru->has_max_ratio = c & 4;
        ru->ratio_num = u8(in);
        ru->ratio_den = 1 + u8(in);
        ru->max_ratio = (double)ru->ratio_num / (double)ru->ratio_den;
        ru->skipped = c & 8 ? owned_or_null(in) : NULL;
        ru->nstats = (c >> 4) % 3;
        if (ru->nstats) {
            ru->stats = xcalloc(ru->nstats, sizeof *ru->stats);
            for (size_t s = 0; s < ru->nstats; s++) {
                /* As rules make them: counts are whole and non-negative,
                 * durations are whole seconds (either sign). */
                ru->stats[s].name = stat_names[(c + s) % 4];
                uint64_t v = u64(in);
                ru->stats[s].value =
                    strstr(ru->stats[s].name, "_seconds")
                        ? (double)((int64_t)(v % 2000000000000ULL) - 1000000000000LL)
                        : (double)(v >> 11);
            }
        }
    }

    size_t nf = u8(in) % 24;
    r->findings = nf ? xcalloc(nf, sizeof *r->findings) : NULL;
    uint64_t line = 1;
    for (size_t k = 0; k < nf && in->n > 0; k++) {
        finding *f = &r->findings[r->nfindings++];
        uint8_t b = u8(in);
        f->rule = (uint32_t)(u8(in) % r->nrules);
        f->file = (uint32_t)(b % r->nfiles);
        line += u8(in) % 4;
        f->line = b & 0x80 ? 0 : line;
        f->column_pos = b & 0x40 ? -1 : (int)(b % 3);
        f->column = f->column_pos < 0 ? NULL : pooled(pl, in);
        f->record = b & 0x20 ? NULL : owned_or_null(in);
        if (!r->redact) {
            const char *v;
            size_t vlen = bytes(in, &v);
            if (vlen) {
                f->value = xmalloc(vlen + 1);
                memcpy(f->value, v, vlen);
                f->value[vlen] = '\0';
                f->value_len = vlen;
            }
        }
        const char *m;
        size_t mlen = bytes(in, &m);
        f->message = xmalloc(mlen + 1);
        memcpy(f->message, m, mlen);
        f->message[mlen] = '\0';
        f->nrelated = u8(in) % 3;
        if (f->nrelated) {
            f->related = xcalloc(f->nrelated, sizeof *f->related);
            for (size_t j = 0; j < f->nrelated; j++) {
                f->related[j].file = (uint32_t)(u8(in) % r->nfiles);
                f->related[j].line = 1 + u8(in);
                f->related[j].record = owned_or_null(in);
            }
        }
        uint8_t g = u8(in);
        f->gating = g & 1;
        f->baseline = r->has_baseline && (g & 2);
        size_t ncols = r->files[f->file].nreport_columns;
        if (ncols && !r->redact && (g & 4)) {
            f->extras = xcalloc(ncols, sizeof *f->extras);
            for (size_t j = 0; j < ncols; j++) f->extras[j] = owned_or_null(in);
        }
        r->rules[f->rule].findings++;
        if (f->gating) r->rules[f->rule].gating = true;
    }
    /* Counts as the engine keeps them: consistent with what is listed. */
    r->findings_omitted = u8(in) % 3;
    r->summary.findings = r->nfindings + r->findings_omitted;
    if (r->findings_omitted) r->rules[0].findings += r->findings_omitted;
    for (size_t k = 0; k < r->nfindings; k++) {
        const finding *f = &r->findings[k];
        severity sev = r->rules[f->rule].sev;
        if (sev == SEV_ERROR) r->summary.error++;
        if (sev == SEV_WARNING) r->summary.warning++;
        if (sev == SEV_INFO) r->summary.info++;
        if (f->gating) r->summary.gating++;
        if (f->baseline)
            r->summary.baseline++;
        else
            r->summary.new_findings++;
    }
    r->summary.fixed = r->has_baseline ? u8(in) % 4 : 0;
    for (size_t i = 0; i < r->nfiles; i++) r->summary.records += r->files[i].records >> 2;
    r->summary.exit_code = r->summary.gating > 0;
    return r;
}

/* ---- checking what the formats wrote ------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    FUZZ_CHECK(f != NULL, "fopen %s", path);
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    size_t k;
    while (b && (k = fread(b + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) b = realloc(b, cap *= 2);
    }
    FUZZ_CHECK(b != NULL, "alloc");
    fclose(f);
    *len = n;
    return b;
}

static void check_json(const char *name, const char *s, size_t n)
{
    char err[256] = "";
    json_value *v = json_parse(name, s, n, err, sizeof err);
    FUZZ_CHECK(v != NULL, "%s output is not JSON: %s", name, err);
    json_free(v);
}

typedef struct csv_check {
    size_t fields, width, rows;
} csv_check;

static void csv_cell(void *s, size_t len, void *data)
{
    csv_check *c = data;
    const unsigned char *p = s;
    c->fields++;
    if (len > 0)
        FUZZ_CHECK(strchr("=+-@\t\r", p[0]) == NULL || p[0] == 0,
                   "csv cell %zu starts with a formula character: '%.*s'", c->fields,
                   (int)(len < 60 ? len : 60), (const char *)s);
}

static void csv_row(int term, void *data)
{
    (void)term;
    csv_check *c = data;
    if (c->rows++ == 0) c->width = c->fields;
    FUZZ_CHECK(c->fields == c->width, "csv row %zu has %zu cells, header %zu", c->rows, c->fields,
               c->width);
    c->fields = 0;
}

/* Cells are read as a spreadsheet gets them: blanks are data. */
static int never_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void check_csv(const char *s, size_t n)
{
    struct csv_parser p;
    FUZZ_CHECK(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) == 0, "csv_init");
    csv_set_space_func(&p, never_space);
    csv_check c = {0, 0, 0};
    size_t used = csv_parse(&p, s, n, csv_cell, csv_row, &c);
    FUZZ_CHECK(used == n, "csv output does not parse: %s", csv_strerror(csv_error(&p)));
    FUZZ_CHECK(csv_fini(&p, csv_cell, csv_row, &c) == 0, "csv output ends inside a quote");
    csv_free(&p);
}

static void check_output(const char *name, const char *s, size_t n)
{
    /* FUZZ_DUMP=1 shows what each format wrote (when replaying a crash). */
    if (getenv("FUZZ_DUMP")) fprintf(stderr, "---- %s\n%.*s\n", name, (int)n, s);
    FUZZ_CHECK(text_utf8_valid(s, n), "%s output is not valid UTF-8", name);
    if (strcmp(name, "json") == 0 || strcmp(name, "sarif") == 0 || strcmp(name, "gitlab") == 0) {
        check_json(name, s, n);
    } else if (strcmp(name, "jsonl") == 0) {
        const char *p = s, *end = s + n;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            FUZZ_CHECK(nl != NULL, "jsonl: last line has no line feed");
            check_json("jsonl", p, (size_t)(nl - p));
            p = nl + 1;
        }
    } else if (strcmp(name, "text") == 0 || strcmp(name, "github") == 0) {
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK((unsigned char)s[i] >= 0x20 || s[i] == '\n' ||
                           (s[i] == '\t' && name[0] == 'g'),
                       "%s output holds control byte 0x%02x at %zu", name, (unsigned char)s[i], i);
        /* U+0080..U+009F: terminals (xterm, VTE) take U+009B as CSI. */
        for (size_t i = 0; i + 1 < n && name[0] == 't'; i++)
            FUZZ_CHECK(!(s[i] == '\xC2' && (unsigned char)s[i + 1] >= 0x80 &&
                         (unsigned char)s[i + 1] <= 0x9F),
                       "%s output holds a C1 control at %zu", name, i);
    } else if (strcmp(name, "csv") == 0) {
        check_csv(s, n);
    }
}

static char out_path[160];
static char out_dir[64] = "/dev/shm/crmlint-fuzz-XXXXXX";

static void remove_out_dir(void)
{
    unlink(out_path);
    rmdir(out_dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (out_path[0] == '\0') {
        /* Reports are written to a file and read back: tmpfs when there is one. */
        if (mkdtemp(out_dir) == NULL)
            snprintf(out_dir, sizeof out_dir, "%s", fuzz_tmpdir());
        else
            atexit(remove_out_dir);
        snprintf(out_path, sizeof out_path, "%s/report", out_dir);
    }
    input in = {data, size};
    pool pl = {.n = 0};
    result *r = build(&in, &pl);

    char names[256];
    snprintf(names, sizeof names, "%s", reporter_names());
    char *save = NULL;
    for (char *name = strtok_r(names, ", ", &save); name; name = strtok_r(NULL, ", ", &save)) {
        const reporter *rep = reporter_find(name);
        FUZZ_CHECK(rep != NULL, "reporter_names lists '%s' but reporter_find has none", name);
        char err[256] = "";
        for (int variant = 0; variant < 2; variant++) {
            out *o = out_open("/dev/null", err, sizeof err);
            FUZZ_CHECK(o != NULL, "out_open: %s", err);
            report_opts ro = {.color = variant, .quiet = variant};
            rep->write(r, &ro, o);
            FUZZ_CHECK(out_commit(o, err, sizeof err), "%s: %s", name, err);
        }
        out *o = out_open(out_path, err, sizeof err);
        FUZZ_CHECK(o != NULL, "out_open: %s", err);
        report_opts ro = {.color = false, .quiet = false};
        rep->write(r, &ro, o);
        FUZZ_CHECK(out_commit(o, err, sizeof err), "%s: %s", name, err);
        size_t n;
        char *text = slurp(out_path, &n);
        check_output(name, text, n);
        free(text);
    }
    unlink(out_path);

    result_free(r);
    for (size_t i = 0; i < pl.n; i++) xfree(pl.v[i]);
    return 0;
}

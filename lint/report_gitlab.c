/*
 * report_gitlab.c - `--format gitlab`: a GitLab Code Quality report (the
 * subset of the CodeClimate issue format GitLab reads), for the merge
 * request widget and the pipeline's Code Quality tab.
 *
 *   [
 *   {"description":"lead-email-format: Email bob@@x is not an email address (record 00Q1)",
 *    "check_name":"lead-email-format","fingerprint":"8c7e...","severity":"major",
 *    "location":{"path":"exports/Lead.csv","lines":{"begin":17}}},
 *   ...
 *   ]
 *
 * One object per listed finding, in report order, one per line; a clean run
 * is "[]" (GitLab rejects an empty file).  GitLab reads only description,
 * check_name, fingerprint, severity and location, so nothing else is written.
 *
 *   - severity: info -> "info", warning -> "minor", error -> "major"
 *     (the mapping GitLab's own examples and most linters use).  Gating does
 *     not raise it to "critical": severity stays the rule's, as in every
 *     other format, and the pipeline is stopped by the exit code.
 *   - fingerprint: GitLab keys findings by it (two with one fingerprint show
 *     as one) and compares the merge request's report with the target
 *     branch's by it, so it must be unique within the report and stable
 *     across runs.  It is report_fingerprint (rule, object, record key,
 *     column; line without a key) as 16 hex digits, so a finding keeps its
 *     identity when rows are reordered; the k-th finding (k >= 2, in report
 *     order) sharing that value gets ":k" appended, which makes duplicates -
 *     e.g. several records with one duplicated key - unique.
 *   - location.path: the path as given with leading "./" removed; an absolute
 *     path inside $CI_PROJECT_DIR is made relative to it (GitLab wants paths
 *     relative to the repository root).  location.lines.begin is the line; a
 *     finding about a whole file (line 0) points at line 1, the header, since
 *     GitLab requires a line.
 *   - description: "RULE: message (record KEY)", since the widget shows the
 *     description and not check_name.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define LIT(o, s) out_write((o), (s), sizeof(s) - 1)

static const char *const cq_severity[] = {"info", "minor", "major", "info"};

typedef struct fp_slot {
    uint64_t fp;
    size_t idx;
} fp_slot;

static int slot_cmp(const void *a, const void *b)
{
    const fp_slot *x = a, *y = b;
    if (x->fp != y->fp) return x->fp < y->fp ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* occurrence[i]: how many findings up to and including i (in report order)
 * share finding i's fingerprint.  Sorting (fingerprint, index) pairs puts
 * each group together in report order.  NULL without memory; the caller
 * then counts by scanning (same output, quadratic time). */
static uint32_t *occurrences(const result *res, uint64_t *fps)
{
    size_t n = res->nfindings;
    fp_slot *slots = xmalloc(n * sizeof *slots);
    uint32_t *occ = xmalloc(n * sizeof *occ);
    if (slots == NULL || occ == NULL) {
        xfree(slots);
        xfree(occ);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) slots[i] = (fp_slot){fps[i], i};
    qsort(slots, n, sizeof *slots, slot_cmp);
    uint32_t k = 0;
    for (size_t i = 0; i < n; i++) {
        k = i > 0 && slots[i].fp == slots[i - 1].fp ? k + 1 : 1;
        occ[slots[i].idx] = k;
    }
    xfree(slots);
    return occ;
}

/* The path GitLab should see (see the top of the file). */
static const char *project_path(const char *path)
{
    path = report_strip_dot_slash(path ? path : "");
    const char *root = getenv("CI_PROJECT_DIR");
    if (path[0] != '/' || root == NULL || root[0] != '/') return path;
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/') n--;
    if (strncmp(path, root, n) != 0 || path[n] != '/') return path;
    path += n;
    while (*path == '/') path++;
    return *path ? path : "."; /* the root itself is not a file */
}

static void issue(out *o, const result *res, const finding *f, uint64_t fp, uint32_t occurrence)
{
    const result_rule *r = &res->rules[f->rule];
    const char *id = r->id ? r->id : "";
    LIT(o, "{\"description\":\"");
    report_json_chars(o, id, strlen(id));
    LIT(o, ": ");
    if (f->message) report_json_chars(o, f->message, strlen(f->message));
    if (f->record) {
        LIT(o, " (record ");
        report_json_chars(o, f->record, strlen(f->record));
        out_putc(o, ')');
    }
    LIT(o, "\",\"check_name\":");
    report_json_cstr(o, id);
    char hex[17];
    report_hex64(fp, hex);
    LIT(o, ",\"fingerprint\":\"");
    out_write(o, hex, 16);
    if (occurrence > 1) {
        out_putc(o, ':');
        out_u64(o, occurrence);
    }
    LIT(o, "\",\"severity\":\"");
    out_puts(o, cq_severity[r->sev]);
    LIT(o, "\",\"location\":{\"path\":");
    report_json_cstr(o, project_path(res->files[f->file].path));
    LIT(o, ",\"lines\":{\"begin\":");
    out_u64(o, f->line > 0 ? f->line : 1);
    LIT(o, "}}}");
}

static void gitlab_write(const result *res, const report_opts *opts, out *o)
{
    (void)opts;
    size_t n = res->nfindings;
    if (n == 0) {
        LIT(o, "[]\n");
        return;
    }
    uint64_t *fps = xmalloc(n * sizeof *fps);
    uint32_t *occ = NULL;
    if (fps) {
        for (size_t i = 0; i < n; i++) fps[i] = report_fingerprint(res, &res->findings[i]);
        occ = occurrences(res, fps);
    }

    out_putc(o, '[');
    for (size_t i = 0; i < n; i++) {
        const finding *f = &res->findings[i];
        uint64_t fp = fps ? fps[i] : report_fingerprint(res, f);
        uint32_t k = occ ? occ[i] : 0;
        if (occ == NULL) /* no memory: count earlier findings with this fingerprint */
            for (size_t j = 0; j <= i; j++)
                if (report_fingerprint(res, &res->findings[j]) == fp) k++;
        out_putc(o, '\n');
        issue(o, res, f, fp, k);
        if (i + 1 < n) out_putc(o, ',');
    }
    LIT(o, "\n]\n");
    xfree(occ);
    xfree(fps);
}

const reporter report_gitlab = {"gitlab", gitlab_write};

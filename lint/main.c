/*
 * main.c - the crmlint command line: a thin layer over pack, engine and
 * report.  It parses arguments, prints errors and progress, and maps
 * outcomes to exit codes:
 *
 *   0  no gating finding
 *   1  at least one gating finding
 *   2  the run could not be judged (usage, unreadable file, invalid pack,
 *      report not written); always with one line on stderr saying why.
 *
 * This file is the only place that prints to the terminal or exits.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "out.h"
#include "pack.h"
#include "report.h"
#include "rule.h"
#include "xalloc.h"

#define EXIT_CLEAN    0
#define EXIT_FINDINGS 1
#define EXIT_TROUBLE  2

static const char usage_text[] =
    "usage: crmlint lint --pack PACK [options] [FILE ...]\n"
    "       crmlint rules --pack PACK\n"
    "       crmlint explain RULE-ID --pack PACK\n"
    "       crmlint check-pack PACK\n"
    "       crmlint --version | --help\n"
    "\n"
    "lint options:\n"
    "  --pack PACK          rule pack: a path, or a built-in name such as salesforce\n"
    "  --object NAME=FILE   bind FILE (or - for stdin) to object NAME (repeatable)\n"
    "  --format F           text (default), json, jsonl, sarif, junit, github, gitlab, csv\n"
    "  --output FILE        write the report to FILE atomically instead of stdout\n"
    "  --fail-on LEVEL      error (default), warning, info, never: lowest severity that gates\n"
    "  --as-of INSTANT      'now' for age rules: 2026-11-22, 2026-11-22T09:00:00Z, ...\n"
    "  --select IDS         comma-separated rule ids or prefixes ending in * to run\n"
    "  --ignore IDS         comma-separated rule ids or prefixes ending in * to skip\n"
    "  --max-findings N     list at most N findings (counts and exit code cover all)\n"
    "  --baseline FILE      findings already in this earlier json report never gate\n"
    "  --jobs N             threads that parse and check (default: one per core)\n"
    "  --redact             leave offending values out of the report\n"
    "  --quiet              print nothing for a clean run (text format)\n"
    "  --progress           show progress on stderr even when it is not a terminal\n"
    "  --no-progress        never show progress\n"
    "\n"
    "exit status: 0 no gating finding, 1 gating findings, 2 the run could not be judged\n";

/* Exit-2 errors: one line on stderr.  Pack errors already start with
 * PACK:LINE:COL, so they are printed as they are. */
static int trouble(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int trouble(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("crmlint: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_TROUBLE;
}

static int pack_trouble(const char *err)
{
    fprintf(stderr, "%s\n", err);
    return EXIT_TROUBLE;
}

static void warn_line(void *ctx, const char *message)
{
    (void)ctx;
    fprintf(stderr, "crmlint: warning: %s\n", message);
}

/* ---- progress ----------------------------------------------------------- */

typedef struct progress_state {
    struct timespec start, last;
    bool shown;
} progress_state;

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void show_progress(void *ctx, uint64_t done, uint64_t total, uint64_t records, bool final)
{
    progress_state *ps = ctx;
    if (final) {
        if (ps->shown) fputs("\r\033[K", stderr);
        return;
    }
    if (seconds_since(&ps->last) < 0.25) return;
    clock_gettime(CLOCK_MONOTONIC, &ps->last);
    double elapsed = seconds_since(&ps->start);
    double rate = elapsed > 0 ? (double)records / elapsed : 0;
    fprintf(stderr, "\r\033[Kcrmlint: %.1f MB", (double)done / 1e6);
    if (total > 0 && done <= total) {
        double frac = (double)done / (double)total;
        fprintf(stderr, " of %.1f MB (%d%%)", (double)total / 1e6, (int)(frac * 100));
        if (frac > 0.01) fprintf(stderr, ", %.0fs left", elapsed / frac - elapsed);
    }
    fprintf(stderr, ", %.0f rows/s", rate);
    ps->shown = true;
}

/* ---- signals: never leave a partial --output file ----------------------- */

static void on_signal(int sig)
{
    out_abort_all_from_signal();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* ---- argument parsing ----------------------------------------------------- */

typedef struct args {
    const char *pack;
    const char *format;
    const char *output;
    const char *fail_on;
    const char *as_of;
    const char *select;
    const char *ignore;
    const char *max_findings;
    const char *baseline;
    const char *jobs;
    bool redact, quiet, progress, no_progress;
    file_binding *files;
    size_t nfiles;
    const char **positional;
    size_t npositional;
} args;

/* Matches "--name VALUE" and "--name=VALUE". */
static int take_value(int argc, char **argv, int *i, const char *name, const char **val)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0) return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != '\0') return 0;
    if (*i + 1 >= argc) return -1;
    *val = argv[++*i];
    return 1;
}

static int parse_args(int argc, char **argv, int first, args *a)
{
    static const char *const valued[] = {"--pack",     "--format", "--output", "--fail-on",
                                         "--as-of",    "--select", "--ignore", "--max-findings",
                                         "--baseline", "--jobs",   "--object"};
    a->files = xcalloc((size_t)argc, sizeof *a->files);
    a->positional = xcalloc((size_t)argc, sizeof *a->positional);
    if (a->files == NULL || a->positional == NULL) return trouble("out of memory");
    bool only_files = false;
    for (int i = first; i < argc; i++) {
        const char *arg = argv[i];
        if (only_files || arg[0] != '-' || strcmp(arg, "-") == 0) {
            a->positional[a->npositional++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_files = true;
            continue;
        }
        if (strcmp(arg, "--redact") == 0) {
            a->redact = true;
            continue;
        }
        if (strcmp(arg, "--quiet") == 0 || strcmp(arg, "-q") == 0) {
            a->quiet = true;
            continue;
        }
        if (strcmp(arg, "--progress") == 0) {
            a->progress = true;
            continue;
        }
        if (strcmp(arg, "--no-progress") == 0) {
            a->no_progress = true;
            continue;
        }
        const char **targets[] = {&a->pack,     &a->format, &a->output, &a->fail_on,
                                  &a->as_of,    &a->select, &a->ignore, &a->max_findings,
                                  &a->baseline, &a->jobs,   NULL};
        bool matched = false;
        for (size_t k = 0; k < sizeof valued / sizeof *valued && !matched; k++) {
            const char *v = NULL;
            int st = take_value(argc, argv, &i, valued[k], &v);
            if (st < 0) return trouble("%s needs a value (see crmlint --help)", valued[k]);
            if (st == 0) continue;
            matched = true;
            if (targets[k]) {
                *targets[k] = v;
                continue;
            }
            const char *eq = strchr(v, '=');
            if (eq == NULL || eq == v || eq[1] == '\0')
                return trouble("--object takes NAME=FILE, not '%s'", v);
            char *name = xstrndup(v, (size_t)(eq - v));
            if (name == NULL) return trouble("out of memory");
            a->files[a->nfiles++] = (file_binding){eq + 1, name};
            a->positional[a->npositional++] = NULL; /* keeps command-line order */
        }
        if (!matched) return trouble("unknown option '%s' (see crmlint --help)", arg);
    }
    return 0;
}

/* --object bindings and positional files, in command-line order. */
static file_binding *ordered_files(const args *a, size_t *n)
{
    file_binding *v = xcalloc(a->npositional + 1, sizeof *v);
    if (v == NULL) return NULL;
    size_t k = 0, obj = 0;
    for (size_t i = 0; i < a->npositional; i++)
        v[k++] = a->positional[i] ? (file_binding){a->positional[i], NULL} : a->files[obj++];
    *n = k;
    return v;
}

static void free_args(args *a)
{
    for (size_t i = 0; i < a->nfiles; i++) xfree((char *)a->files[i].object);
    xfree(a->files);
    xfree(a->positional);
}

/* ---- commands ----------------------------------------------------------- */

static int cmd_lint(int argc, char **argv)
{
    args a = {0};
    pack *p = NULL;
    result *res = NULL;
    file_binding *files = NULL;
    out *o = NULL;
    char err[4096];
    int rc = parse_args(argc, argv, 2, &a);
    if (rc) goto done;
    rc = EXIT_TROUBLE;
    if (a.pack == NULL) {
        trouble("lint needs --pack PACK (a path or a built-in name such as salesforce)");
        goto done;
    }
    const reporter *rep = reporter_find(a.format ? a.format : "text");
    if (rep == NULL) {
        trouble("unknown --format '%s' (available: %s)", a.format, reporter_names());
        goto done;
    }
    lint_options lo = {.fail_on = SEV_ERROR, .redact = a.redact, .warn = warn_line};
    if (a.fail_on && !severity_parse(a.fail_on, true, &lo.fail_on)) {
        trouble("--fail-on takes error, warning, info or never, not '%s'", a.fail_on);
        goto done;
    }
    if (a.max_findings) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(a.max_findings, &end, 10);
        if (*a.max_findings == '\0' || *a.max_findings == '-' || *end || errno) {
            trouble("--max-findings takes a whole number, not '%s'", a.max_findings);
            goto done;
        }
        lo.has_max_findings = true;
        lo.max_findings = n;
    }
    p = pack_load(a.pack, err, sizeof err);
    if (p == NULL) {
        pack_trouble(err);
        goto done;
    }
    if (a.as_of) {
        if (!dt_parse_instant(p->settings.zone, a.as_of, &lo.as_of_us)) {
            trouble("--as-of takes a date or date-time such as 2026-11-22 or "
                    "2026-11-22T09:00:00Z, not '%s'",
                    a.as_of);
            goto done;
        }
        lo.has_as_of = true;
    }
    lo.baseline = a.baseline;
    if (a.jobs) {
        char *end;
        long n = strtol(a.jobs, &end, 10);
        if (*a.jobs == '\0' || *end || n < 1 || n > 256) {
            trouble("--jobs takes a number of threads from 1 to 256, not '%s'", a.jobs);
            goto done;
        }
        lo.jobs = (int)n;
    }
    lo.pack_spec = a.pack;
    lo.select = a.select;
    lo.ignore = a.ignore;
    files = ordered_files(&a, &lo.nfiles);
    if (files == NULL) {
        trouble("out of memory");
        goto done;
    }
    lo.files = files;
    size_t stdin_uses = 0;
    for (size_t i = 0; i < lo.nfiles; i++) stdin_uses += strcmp(files[i].path, "-") == 0;
    if (stdin_uses > 1) {
        trouble("standard input (-) can be given only once");
        goto done;
    }

    progress_state ps = {0};
    clock_gettime(CLOCK_MONOTONIC, &ps.start);
    if (a.progress || (!a.no_progress && isatty(STDERR_FILENO))) {
        lo.progress = show_progress;
        lo.progress_ctx = &ps;
    }
    res = engine_run(p, &lo, err, sizeof err);
    if (res == NULL) {
        fprintf(stderr, "crmlint: %s\n", err);
        goto done;
    }
    /* Handlers first: a signal must never find a temporary file unregistered. */
    if (a.output && strcmp(a.output, "-") != 0) {
        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);
        signal(SIGHUP, on_signal);
    }
    o = out_open(a.output, err, sizeof err);
    if (o == NULL) {
        fprintf(stderr, "crmlint: %s\n", err);
        goto done;
    }
    const char *no_color = getenv("NO_COLOR");
    report_opts ro = {.color = out_is_tty(o) && (no_color == NULL || no_color[0] == '\0'),
                      .quiet = a.quiet};
    rep->write(res, &ro, o);
    bool ok = out_commit(o, err, sizeof err);
    o = NULL;
    if (!ok) {
        fprintf(stderr, "crmlint: %s\n", err);
        goto done;
    }
    rc = res->summary.exit_code;
done:
    if (o) out_abort(o);
    result_free(res);
    pack_free(p);
    xfree(files);
    free_args(&a);
    return rc;
}

static int cmd_check_pack(int argc, char **argv)
{
    if (argc != 3) return trouble("usage: crmlint check-pack PACK");
    char err[4096];
    pack *p = pack_load(argv[2], err, sizeof err);
    if (p == NULL) return pack_trouble(err);
    size_t rules = 0;
    for (size_t i = 0; i < p->nobjects; i++) rules += p->objects[i].nrules;
    printf("%s: ok (pack %s, %zu object%s, %zu rule%s)\n", p->path, p->name, p->nobjects,
           p->nobjects == 1 ? "" : "s", rules, rules == 1 ? "" : "s");
    pack_free(p);
    return EXIT_CLEAN;
}

static void print_tags(const rule *r)
{
    for (size_t t = 0; t < r->ntags; t++) printf("%s%s", t ? "," : "", r->tags[t]);
    if (r->ntags == 0) printf("-");
}

static int cmd_rules(int argc, char **argv)
{
    args a = {0};
    int rc = parse_args(argc, argv, 2, &a);
    if (rc == 0 && a.pack == NULL) rc = trouble("usage: crmlint rules --pack PACK");
    if (rc == 0 && a.npositional) rc = trouble("rules takes no files");
    char err[4096];
    pack *p = rc ? NULL : pack_load(a.pack, err, sizeof err);
    if (rc == 0 && p == NULL) rc = pack_trouble(err);
    if (p) {
        printf("%-32s %-10s %-8s %-14s %-20s %s\n", "ID", "TYPE", "SEVERITY", "OBJECT", "TAGS",
               "DESCRIPTION");
        for (size_t i = 0; i < p->nobjects; i++)
            for (size_t j = 0; j < p->objects[i].nrules; j++) {
                const rule *r = p->objects[i].rules[j];
                printf("%-32s %-10s %-8s %-14s ", r->id, r->type->name, severity_name(r->sev),
                       p->objects[i].name);
                int w = 0;
                for (size_t t = 0; t < r->ntags; t++) w += printf("%s%s", t ? "," : "", r->tags[t]);
                if (r->ntags == 0) w += printf("-");
                printf("%*s %s\n", w < 20 ? 20 - w : 0, "", r->description ? r->description : "");
            }
        const char *desc;
        for (size_t i = 0; engine_structural_rule(i, &desc); i++)
            printf("%-32s %-10s %-8s %-14s %-20s %s\n", engine_structural_rule(i, NULL), "csv",
                   "error", "*", "-", desc);
    }
    pack_free(p);
    free_args(&a);
    return rc;
}

static int cmd_explain(int argc, char **argv)
{
    args a = {0};
    int rc = parse_args(argc, argv, 2, &a);
    if (rc == 0 && (a.pack == NULL || a.npositional != 1 || a.positional[0] == NULL))
        rc = trouble("usage: crmlint explain RULE-ID --pack PACK");
    char err[4096];
    pack *p = rc ? NULL : pack_load(a.pack, err, sizeof err);
    if (rc == 0 && p == NULL) rc = pack_trouble(err);
    if (p) {
        const char *id = a.positional[0], *desc;
        const rule *found = NULL;
        const pack_object *obj = NULL;
        for (size_t i = 0; i < p->nobjects && !found; i++)
            for (size_t j = 0; j < p->objects[i].nrules && !found; j++)
                if (strcmp(p->objects[i].rules[j]->id, id) == 0) {
                    found = p->objects[i].rules[j];
                    obj = &p->objects[i];
                }
        bool structural = false;
        for (size_t i = 0; !found && engine_structural_rule(i, &desc); i++)
            if (strcmp(engine_structural_rule(i, NULL), id) == 0) {
                printf("%s (built-in structural rule, severity error, every object)\n\n%s\n\n"
                       "Select or ignore it like any rule: --ignore %s\n",
                       id, desc, id);
                structural = true;
                break;
            }
        if (found) {
            printf("%s\n", found->id);
            printf("  type:        %s: %s\n", found->type->name, found->type->summary);
            printf("  object:      %s (files:", obj->name);
            for (size_t k = 0; k < obj->nfiles; k++) printf(" %s", obj->files[k]);
            printf(")\n  severity:    %s\n  tags:        ", severity_name(found->sev));
            print_tags(found);
            printf("\n  reads:       ");
            for (size_t k = 0; k < found->nfields; k++)
                printf("%s%s", k ? ", " : "", found->fields[k]);
            printf("\n  condition:   %s\n",
                   found->when ? "yes (records failing `when` are skipped)" : "none");
            if (found->has_max_count || found->has_max_ratio) {
                printf("  threshold:   gates only past");
                if (found->has_max_count)
                    printf(" %llu findings", (unsigned long long)found->max_count);
                if (found->has_max_ratio) printf(" %g of checked records", found->max_ratio);
                printf("\n");
            }
            if (found->message) printf("  message:     %s\n", found->message);
            printf("  defined at:  %s:%d:%d\n", found->pos.file, found->pos.line, found->pos.col);
            if (found->description) printf("\n%s\n", found->description);
        } else if (!structural) {
            rc = trouble("%s: no rule '%s' (see crmlint rules --pack %s)", p->path, id, a.pack);
        }
    }
    pack_free(p);
    free_args(&a);
    return rc;
}

int main(int argc, char **argv)
{
    pack_set_exe_path(argv[0]);
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_TROUBLE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("crmlint %s\n", CRMLINT_VERSION);
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "lint") == 0) return cmd_lint(argc, argv);
    if (strcmp(cmd, "check-pack") == 0) return cmd_check_pack(argc, argv);
    if (strcmp(cmd, "rules") == 0) return cmd_rules(argc, argv);
    if (strcmp(cmd, "explain") == 0) return cmd_explain(argc, argv);
    return trouble("unknown command '%s' (use lint, rules, explain or check-pack; see --help)",
                   cmd);
}

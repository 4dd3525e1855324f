/*
 * fuzz_engine.h - runs a loaded pack over CSV files and writes its reports,
 * for the harnesses whose input reaches the engine (packs, conditions).
 *
 * Every object of the pack is bound explicitly to one of the given files
 * (--object NAME=FILE), so whatever globs the input invents, rules run.  The
 * run must either produce a result or fail with a reason; every report
 * format then writes that result to /dev/null.
 */
#ifndef CRMLINT_FUZZ_ENGINE_H
#define CRMLINT_FUZZ_ENGINE_H

#include "engine.h"
#include "out.h"
#include "pack.h"
#include "report.h"

static inline void fuzz_quiet_warn(void *ctx, const char *message)
{
    (void)ctx;
    (void)message;
}

/* Writes res in every format reporter_names lists. */
static inline void fuzz_all_reports(const result *res)
{
    char names[256];
    snprintf(names, sizeof names, "%s", reporter_names());
    char *save = NULL;
    for (char *name = strtok_r(names, ", ", &save); name; name = strtok_r(NULL, ", ", &save)) {
        const reporter *rep = reporter_find(name);
        FUZZ_CHECK(rep != NULL, "reporter_names lists '%s' but reporter_find has none", name);
        for (int variant = 0; variant < 2; variant++) {
            char err[256] = "";
            out *o = out_open("/dev/null", err, sizeof err);
            FUZZ_CHECK(o != NULL, "out_open: %s", err);
            report_opts ro = {.color = variant == 1, .quiet = variant == 1};
            rep->write(res, &ro, o);
            FUZZ_CHECK(out_commit(o, err, sizeof err), "%s: %s", name, err);
        }
    }
}

static inline void fuzz_lint(const pack *p, const char *const *paths, size_t npaths)
{
    if (p->nobjects == 0 || npaths == 0) return;
    file_binding *files = calloc(p->nobjects, sizeof *files);
    FUZZ_CHECK(files != NULL, "calloc");
    for (size_t i = 0; i < p->nobjects; i++)
        files[i] = (file_binding){paths[i % npaths], p->objects[i].name};
    lint_options lo = {
        .files = files,
        .nfiles = p->nobjects,
        .fail_on = SEV_WARNING,
        .has_as_of = true,
        .as_of_us = 1795392000LL * 1000000, /* 2026-11-22T00:00:00Z */
        .has_max_findings = true,
        .max_findings = 1000,
        .warn = fuzz_quiet_warn,
        .jobs = 1, /* one thread: reproducible, and libFuzzer's coverage is per input */
    };
    char err[1024] = "";
    result *res = engine_run(p, &lo, err, sizeof err);
    if (res == NULL) {
        FUZZ_CHECK(err[0] != '\0', "engine_run failed without a reason");
    } else {
        FUZZ_CHECK(res->summary.exit_code == 0 || res->summary.exit_code == 1, "exit code %d",
                   res->summary.exit_code);
        FUZZ_CHECK(res->nfindings <= res->summary.findings, "%zu listed of %llu", res->nfindings,
                   (unsigned long long)res->summary.findings);
        fuzz_all_reports(res);
        result_free(res);
    }
    free(files);
}

#endif

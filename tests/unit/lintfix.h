/*
 * lintfix.h - test fixture helpers: write a pack and CSV files into a fresh
 * temporary directory, load, run, and look findings up.
 */
#ifndef CRMLINT_LINTFIX_H
#define CRMLINT_LINTFIX_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "pack.h"
#include "result.h"

static char fix_dir[256];

static inline void fix_setup(void)
{
    snprintf(fix_dir, sizeof fix_dir, "/tmp/crmlint-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(fix_dir));
}

static inline void fix_teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fix_dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Writes n bytes to DIR/name and returns the path (static buffer rotation). */
static inline const char *fix_write(const char *name, const char *data, size_t n)
{
    static char paths[8][512];
    static int next;
    char *path = paths[next++ % 8];
    snprintf(path, 512, "%s/%s", fix_dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    fclose(f);
    return path;
}

static inline const char *fix_file(const char *name, const char *text)
{
    return fix_write(name, text, strlen(text));
}

/* Loads the pack and expects success. */
static inline pack *fix_pack(const char *yaml)
{
    char err[1024];
    pack *p = pack_load(fix_file("pack.yaml", yaml), err, sizeof err);
    if (p == NULL) ck_abort_msg("pack failed to load: %s", err);
    return p;
}

/* Loads the pack and returns its error with the temp dir prefix removed. */
static inline const char *fix_pack_error(const char *yaml)
{
    static char err[1024];
    pack *p = pack_load(fix_file("pack.yaml", yaml), err, sizeof err);
    if (p) {
        pack_free(p);
        ck_abort_msg("pack loaded but an error was expected");
    }
    size_t n = strlen(fix_dir);
    if (strncmp(err, fix_dir, n) == 0 && err[n] == '/') return err + n + 1;
    return err;
}

/* Runs the pack over one CSV file named `name`. */
static inline result *fix_run_opts(pack *p, const char *name, const char *csv, lint_options *o)
{
    file_binding b = {fix_file(name, csv), NULL};
    o->files = &b;
    o->nfiles = 1;
    char err[1024];
    result *r = engine_run(p, o, err, sizeof err);
    if (r == NULL) ck_abort_msg("engine failed: %s", err);
    return r;
}

static inline result *fix_run(pack *p, const char *name, const char *csv)
{
    lint_options o = {.fail_on = SEV_ERROR};
    return fix_run_opts(p, name, csv, &o);
}

/* The i-th finding of rule `id` (in report order), or NULL. */
static inline const finding *fix_find(const result *r, const char *id, size_t nth)
{
    for (size_t i = 0; i < r->nfindings; i++)
        if (strcmp(r->rules[r->findings[i].rule].id, id) == 0 && nth-- == 0) return &r->findings[i];
    return NULL;
}

static inline size_t fix_count(const result *r, const char *id)
{
    size_t n = 0;
    while (fix_find(r, id, n)) n++;
    return n;
}

static inline const result_rule *fix_rule(const result *r, const char *id)
{
    for (size_t i = 0; i < r->nrules; i++)
        if (strcmp(r->rules[i].id, id) == 0) return &r->rules[i];
    return NULL;
}

#endif

/*
 * pack.h - a rule pack, loaded from YAML, extended and merged.
 *
 * pack_load reads a pack and everything it extends (built-in names resolve
 * to NAME.yaml in the rules directory), merges them as SPEC §3 "Merging"
 * says, validates every key and compiles every rule.  The result is
 * read-only: the engine and the reporters only look at it.
 *
 * Every error is one line "PACK:LINE:COL: message" naming the YAML file that
 * holds the offending node.
 */
#ifndef CRMLINT_PACK_H
#define CRMLINT_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "datetime.h"
#include "decode.h"
#include "tz.h"

struct rule;

typedef struct calendar {
    char *name;
    srcpos pos;
    unsigned days;     /* bit 0 = Monday ... bit 6 = Sunday */
    int start_min;     /* working window in minutes after local midnight */
    int end_min;       /* start_min < end_min <= 1440 */
    tz_zone *zone;     /* the calendar's zone (settings.timezone by default) */
    int32_t *holidays; /* sorted local dates, days since 1970-01-01 */
    size_t nholidays;
} calendar;

typedef struct pack_settings {
    tz_zone *zone; /* settings.timezone, default UTC */
    bool has_as_of;
    int64_t as_of_us;
    char **date_formats;
    size_t ndate_formats;
    char *default_country_code; /* NULL when not set */
    calendar *calendars;
    size_t ncalendars;
} pack_settings;

typedef struct column_aliases {
    char *name;     /* the name rules use */
    char **aliases; /* other headers accepted, in order */
    size_t naliases;
} column_aliases;

typedef struct lookup_def {
    char *name;     /* rules name NAME.COLUMN */
    char *field;    /* this object's column holding the reference */
    char *to;       /* target object name */
    char *to_field; /* target column (NULL: the target's key) */
    srcpos pos;
} lookup_def;

typedef struct pack_object {
    char *name;
    srcpos pos;
    char **files; /* globs, matched case-insensitively on base names */
    size_t nfiles;
    char *key;      /* NULL: no key column */
    char delimiter; /* 0: by file name (tab for .tsv, else comma) */
    encoding enc;
    char **null_values;
    size_t nnull_values;
    column_aliases *columns;
    size_t ncolumns;
    char **date_columns; /* types: {F: date} */
    size_t ndate_columns;
    lookup_def *lookups;
    size_t nlookups;
    char **report_columns; /* columns copied into each finding for people who
                              fix records (owner, name): csv report */
    size_t nreport_columns;
    struct rule **rules; /* in merged order */
    size_t nrules;
} pack_object;

typedef struct pack {
    char *name; /* the top pack's `name` (its file stem if absent) */
    char *path; /* the top pack's path as resolved */
    pack_settings settings;
    dt_parser *dates;     /* parser for settings.timezone + date_formats */
    pack_object *objects; /* in pack order (extended packs first) */
    size_t nobjects;
    int *order;    /* object indexes in scan order: an object after
                      every object it depends on (lookups, reference
                      targets, unique's across), else pack order */
    void *strings; /* owned file names etc. (internal) */
} pack;

/* The directories searched for built-in packs, in order: $CRMLINT_RULES_DIR,
 * <dir of the executable>/../rules (build tree), <dir of the
 * executable>/../share/crmlint/rules (installed).  Set once by the CLI. */
void pack_set_exe_path(const char *argv0);

/* Resolves PACK as the CLI takes it: a bare name (no '/', no .yaml/.yml
 * ending) means a built-in pack.  Returns a malloc'd path or NULL. */
char *pack_resolve(const char *spec, char *err, size_t errlen);

pack *pack_load(const char *spec, char *err, size_t errlen);
void pack_free(pack *p);

const pack_object *pack_find_object(const pack *p, const char *name);
int pack_object_index(const pack *p, const char *name);
bool pack_column_is_date(const pack_object *o, const char *column);

#endif

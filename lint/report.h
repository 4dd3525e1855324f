/*
 * report.h - the one interface every report format implements.
 *
 * A format is one file, report_<name>.c, exporting one `reporter`, listed
 * once in report.c.  It writes a finished `result` to an `out`.  Shared
 * helpers for escaping live here so every format escapes the same way.
 */
#ifndef CRMLINT_REPORT_H
#define CRMLINT_REPORT_H

#include <stdbool.h>

#include "out.h"
#include "result.h"

typedef struct report_opts {
    bool color;   /* text: ANSI colour (terminal and no NO_COLOR) */
    bool quiet;   /* text: nothing at all for a clean run */
} report_opts;

typedef struct reporter {
    const char *name;
    void (*write)(const result *res, const report_opts *opts, out *o);
} reporter;

const reporter *reporter_find(const char *name);
/* "text, json, jsonl" for messages. */
const char *reporter_names(void);

/* Writes s[0..n) as a JSON string with quotes: control characters escaped,
 * invalid UTF-8 bytes as U+FFFD, NUL as \u0000. */
void report_json_string(out *o, const char *s, size_t n);
/* Same for a NUL-terminated string, or `null` for NULL. */
void report_json_cstr(out *o, const char *s);
/* One finding as a JSON object (shared by json and jsonl). */
void report_json_finding(out *o, const result *res, const finding *f);
/* The summary object (shared by json and jsonl). */
void report_json_summary(out *o, const result *res);
/* Text for terminals: invalid UTF-8 as U+FFFD, control characters as \n \t
 * \r \0 or \xNN so a value can never move the cursor or fake a line. */
void report_text_escaped(out *o, const char *s, size_t n);

#endif

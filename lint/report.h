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
#include <stdint.h>

#include "out.h"
#include "result.h"

typedef struct report_opts {
    bool color; /* text: ANSI colour (terminal and no NO_COLOR) */
    bool quiet; /* text: nothing at all for a clean run */
} report_opts;

typedef struct reporter {
    const char *name;
    void (*write)(const result *res, const report_opts *opts, out *o);
} reporter;

const reporter *reporter_find(const char *name);
/* "text, json, jsonl, ..." for messages. */
const char *reporter_names(void);

/* Writes s[0..n) as a JSON string with quotes: control characters escaped,
 * invalid UTF-8 bytes as U+FFFD, NUL as \u0000. */
void report_json_string(out *o, const char *s, size_t n);
/* The same escaping without the quotes, for a string written in pieces. */
void report_json_chars(out *o, const char *s, size_t n);
/* Same for a NUL-terminated string, or `null` for NULL. */
void report_json_cstr(out *o, const char *s);
/* One finding as a JSON object (shared by json and jsonl). */
void report_json_finding(out *o, const result *res, const finding *f);
/* The summary object (shared by json and jsonl). */
void report_json_summary(out *o, const result *res);
/* One finding as the text report writes it, without the line end:
 * "FILE:LINE: SEVERITY [RULE] message (record KEY)". */
void report_text_finding(out *o, const result *res, const finding *f, bool color);

/* Text for terminals: invalid UTF-8 as U+FFFD, control characters as \n \t
 * \r \0 or \xNN so a value can never move the cursor or fake a line. */
void report_text_escaped(out *o, const char *s, size_t n);

/* XML 1.0 character data (attr false) or a double-quoted attribute value
 * (attr true): & < > " as entities, CR as &#13; (and TAB, LF as &#9; &#10;
 * in attributes, where parsers would fold them to spaces), the other C0
 * controls, which XML 1.0 cannot carry at all, as the text \0 or \xNN, and
 * invalid UTF-8, U+FFFE and U+FFFF as U+FFFD. */
void report_xml_escaped(out *o, const char *s, size_t n, bool attr);

/* A finding's identity across runs: 64-bit FNV-1a of rule id, object, record
 * key and column joined with 0x1F, plus the line only when the record is
 * null; the same key baselines match on (SPEC §4), so it survives rows being
 * reordered and other fields being edited.  Not unique: two findings of one
 * rule about the same record and column share it. */
uint64_t report_fingerprint(const result *res, const finding *f);
/* v as 16 lower-case hex digits and a NUL. */
void report_hex64(uint64_t v, char dst[17]);

/* path without leading "./" segments ("./a/b.csv" -> "a/b.csv"), for CI
 * systems that want paths relative to the repository root. */
const char *report_strip_dot_slash(const char *path);

#endif

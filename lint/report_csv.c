/*
 * report_csv.c - `--format csv`: a spreadsheet of findings for the people
 * who fix the records.
 *
 *   record,rule,severity,field,value,message,file,line
 *   00Q1,lead-email-format,error,Email,bob@@x.com,Email bob@@x.com is not an email
 * address,Lead.csv,2
 *
 * RFC 4180: one row per listed finding in report order, CRLF line ends, a
 * cell quoted (with "" for ") when it holds a comma, a quote or a line
 * break.  UTF-8 without a byte order mark, so the header is exactly the
 * column names.  `field` is the finding's column, `value` its raw value
 * (empty when there is none or under --redact), `line` empty for a finding
 * about a whole file.
 *
 * Safe to open: a spreadsheet reads a cell that begins with = + - @ TAB or
 * CR as a formula (CSV injection: =HYPERLINK(...) in a CRM field runs when
 * the report is opened), so such a cell gets a leading ' , which
 * spreadsheets take as "text" (OWASP's advice); "-5" is shown as '-5, the
 * price of never evaluating anything.  Line feeds and tabs are kept (inside
 * quotes); other control characters are written \r, \0 or \xNN, and invalid
 * UTF-8 becomes U+FFFD, so every cell is valid UTF-8 text.
 *
 * The fixed columns are the table below.  The objects' report_columns
 * (fields of the record copied into each finding, e.g. Company, Owner) follow
 * them: one column per distinct name over all files, in order of first
 * appearance (files in command-line order), filled for findings whose file's
 * object names that column and empty otherwise, and empty under --redact.
 */
#include "report.h"
#include "text.h"

#include <string.h>

#include "xalloc.h"

#define LIT(o, s) out_write((o), (s), sizeof(s) - 1)

static const char hexdigits[] = "0123456789abcdef";

/* One cell (see the top of the file). */
static void cell(out *o, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++) quote = p[i] == ',' || p[i] == '"' || p[i] == '\n';
    if (quote) out_putc(o, '"');
    if (n > 0 && p[0] != 0 && strchr("=+-@\t\r", p[0])) out_putc(o, '\'');

    size_t i = 0;
    while (i < n) {
        size_t start = i, k = 0;
        while (i < n) {
            unsigned c = p[i];
            if ((c >= 0x20 && c < 0x7F && c != '"') || c == '\n' || c == '\t') {
                i++;
            } else if (c >= 0x80) {
                k = text_utf8_seq(s + i, n - i);
                if (k == 0) break;
                i += k;
            } else {
                break;
            }
        }
        if (i > start) out_write(o, s + start, i - start);
        if (i == n) break;

        unsigned c = p[i++];
        if (c == '"') {
            LIT(o, "\"\"");
        } else if (c >= 0x80) {
            LIT(o, "\xEF\xBF\xBD");
        } else if (c == '\r') {
            LIT(o, "\\r");
        } else if (c == '\0') {
            LIT(o, "\\0");
        } else {
            char x[4] = {'\\', 'x', hexdigits[c >> 4], hexdigits[c & 15]};
            out_write(o, x, sizeof x);
        }
    }
    if (quote) out_putc(o, '"');
}

static void cell_cstr(out *o, const char *s)
{
    if (s) cell(o, s, strlen(s));
}

static void col_record(out *o, const result *res, const finding *f)
{
    (void)res;
    cell_cstr(o, f->record);
}

static void col_rule(out *o, const result *res, const finding *f)
{
    cell_cstr(o, res->rules[f->rule].id);
}

static void col_severity(out *o, const result *res, const finding *f)
{
    out_puts(o, severity_name(res->rules[f->rule].sev));
}

static void col_field(out *o, const result *res, const finding *f)
{
    (void)res;
    cell_cstr(o, f->column);
}

static void col_value(out *o, const result *res, const finding *f)
{
    if (f->value && !res->redact) cell(o, f->value, f->value_len);
}

static void col_message(out *o, const result *res, const finding *f)
{
    (void)res;
    cell_cstr(o, f->message);
}

static void col_file(out *o, const result *res, const finding *f)
{
    cell_cstr(o, res->files[f->file].path);
}

static void col_line(out *o, const result *res, const finding *f)
{
    (void)res;
    if (f->line > 0) out_u64(o, f->line);
}

typedef struct csv_column {
    const char *name;
    void (*write)(out *o, const result *res, const finding *f);
} csv_column;

static const csv_column columns[] = {
    {"record", col_record}, {"rule", col_rule},   {"severity", col_severity},
    {"field", col_field},   {"value", col_value}, {"message", col_message},
    {"file", col_file},     {"line", col_line},
};

#define NCOLUMNS (sizeof columns / sizeof columns[0])

/* ---- report_columns ---- */

/* Whether files[a].report_columns[j] is the first occurrence of its name. */
static bool first_of(const result *res, size_t a, size_t j)
{
    const char *name = res->files[a].report_columns[j];
    for (size_t b = 0; b <= a; b++) {
        const result_file *rf = &res->files[b];
        size_t end = b == a ? j : rf->nreport_columns;
        for (size_t k = 0; k < end; k++)
            if (strcmp(rf->report_columns[k], name) == 0) return false;
    }
    return true;
}

/* The distinct report_column names, in order of first appearance, into
 * names (room for every column of every file); returns how many. */
static size_t extra_names(const result *res, const char **names)
{
    size_t n = 0;
    for (size_t a = 0; a < res->nfiles; a++)
        for (size_t j = 0; j < res->files[a].nreport_columns; j++)
            if (first_of(res, a, j)) names[n++] = res->files[a].report_columns[j];
    return n;
}

/* The finding's value for report column `name`, if its file has one. */
static void extra_cell(out *o, const result *res, const finding *f, const char *name)
{
    const result_file *rf = &res->files[f->file];
    if (f->extras == NULL || res->redact) return;
    for (size_t j = 0; j < rf->nreport_columns; j++)
        if (strcmp(rf->report_columns[j], name) == 0) {
            cell_cstr(o, f->extras[j]);
            return;
        }
}

/* The extra cells of one row (f) or the header (f NULL).  With the names
 * collected, one lookup per column; without memory for them, the same
 * columns found again for every row. */
static void extras(out *o, const result *res, const finding *f, const char **names, size_t n)
{
    if (names) {
        for (size_t u = 0; u < n; u++) {
            out_putc(o, ',');
            if (f)
                extra_cell(o, res, f, names[u]);
            else
                cell_cstr(o, names[u]);
        }
        return;
    }
    for (size_t a = 0; a < res->nfiles; a++)
        for (size_t j = 0; j < res->files[a].nreport_columns; j++) {
            if (!first_of(res, a, j)) continue;
            out_putc(o, ',');
            if (f)
                extra_cell(o, res, f, res->files[a].report_columns[j]);
            else
                cell_cstr(o, res->files[a].report_columns[j]);
        }
}

static void csv_write(const result *res, const report_opts *opts, out *o)
{
    (void)opts;
    size_t total = 0, nnames = 0;
    for (size_t a = 0; a < res->nfiles; a++) total += res->files[a].nreport_columns;
    const char **names = total ? xmalloc(total * sizeof *names) : NULL;
    if (names) nnames = extra_names(res, names);

    for (size_t c = 0; c < NCOLUMNS; c++) {
        if (c) out_putc(o, ',');
        out_puts(o, columns[c].name);
    }
    if (total) extras(o, res, NULL, names, nnames);
    LIT(o, "\r\n");
    for (size_t i = 0; i < res->nfindings; i++) {
        const finding *f = &res->findings[i];
        for (size_t c = 0; c < NCOLUMNS; c++) {
            if (c) out_putc(o, ',');
            columns[c].write(o, res, f);
        }
        if (total) extras(o, res, f, names, nnames);
        LIT(o, "\r\n");
    }
    xfree(names);
}

const reporter report_csv = {"csv", csv_write};

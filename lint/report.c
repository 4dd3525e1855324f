/*
 * report.c - the list of report formats and the escaping every format shares.
 *
 * Values in findings are raw bytes from the export: they may hold NULs,
 * control characters, terminal escape sequences and invalid UTF-8.  Every
 * format writes them through one of the escapers here (JSON, text, XML), or
 * for a syntax of its own (CSV, workflow commands) judges bytes with
 * text_utf8_seq, so a value can neither break a document nor move a
 * terminal's cursor, and all formats agree on what an invalid byte becomes
 * (U+FFFD, one per byte, matching text_utf8_next and the decoder's "one
 * invalid byte per bad input unit").
 *
 * The escapers scan runs of bytes that need nothing (ASCII printables and
 * well-formed UTF-8) and hand each run to out_write in one call; only the
 * rare byte that needs escaping costs more.
 *
 * report_fingerprint is here too, so that every format that identifies a
 * finding across runs (sarif, gitlab) identifies it the same way.
 */
#include "report.h"

#include "text.h"

#include <string.h>

/* The formats: adding one is one file report_<name>.c exporting
 * `const reporter report_<name>` and one X(name) here. */
#define REPORTERS(X) X(text) X(json) X(jsonl) X(sarif) X(junit) X(github) X(gitlab) X(csv)

#define DECLARE(n) extern const reporter report_##n;
REPORTERS(DECLARE)
#undef DECLARE

#define ENTRY(n) &report_##n,
static const reporter *const reporters[] = {REPORTERS(ENTRY)};
#undef ENTRY

/* ", text, json, ...": reporter_names skips the leading ", ". */
#define NAME(n) ", " #n
static const char reporter_list[] = REPORTERS(NAME);
#undef NAME

const reporter *reporter_find(const char *name)
{
    if (name == NULL) return NULL;
    for (size_t i = 0; i < sizeof reporters / sizeof reporters[0]; i++)
        if (strcmp(reporters[i]->name, name) == 0) return reporters[i];
    return NULL;
}

const char *reporter_names(void)
{
    return reporter_list + 2;
}

static const char hexdigits[] = "0123456789abcdef";
static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

void report_json_string(out *o, const char *s, size_t n)
{
    out_putc(o, '"');
    report_json_chars(o, s, n);
    out_putc(o, '"');
}

void report_json_chars(out *o, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t start = i;
        while (i < n) {
            unsigned c = p[i];
            if (c >= 0x20 && c < 0x80) {
                if (c == '"' || c == '\\') break;
                i++;
            } else if (c >= 0x80) {
                size_t k = text_utf8_seq((const char *)p + i, n - i);
                if (k == 0) break;
                i += k;
            } else {
                break;
            }
        }
        if (i > start) out_write(o, s + start, i - start);
        if (i == n) break;

        unsigned c = p[i++];
        switch (c) {
        case '"':
            out_write(o, "\\\"", 2);
            break;
        case '\\':
            out_write(o, "\\\\", 2);
            break;
        case '\n':
            out_write(o, "\\n", 2);
            break;
        case '\r':
            out_write(o, "\\r", 2);
            break;
        case '\t':
            out_write(o, "\\t", 2);
            break;
        case '\b':
            out_write(o, "\\b", 2);
            break;
        case '\f':
            out_write(o, "\\f", 2);
            break;
        default:
            if (c >= 0x80) {
                out_write(o, replacement, 3);
            } else {
                char u[6] = {'\\', 'u', '0', '0', hexdigits[c >> 4], hexdigits[c & 15]};
                out_write(o, u, sizeof u);
            }
        }
    }
}

void report_json_cstr(out *o, const char *s)
{
    if (s == NULL)
        out_write(o, "null", 4);
    else
        report_json_string(o, s, strlen(s));
}

/* Code points that are valid UTF-8 but still unsafe on a terminal: the C1
 * controls (U+0080..U+009F; U+009B is CSI to some terminals) and the
 * bidirectional overrides and isolates, which can make a line read as
 * something else ("Trojan Source").  Written as \u0085, \u202e. */
static unsigned long text_unsafe_cp(const unsigned char *s, size_t k)
{
    if (k == 2 && s[0] == 0xC2 && s[1] < 0xA0) return s[1];
    if (k == 3 && s[0] == 0xE2) {
        if (s[1] == 0x80 && s[2] >= 0xAA && s[2] <= 0xAE) return 0x2000ul + (s[2] & 0x3F);
        if (s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9) return 0x2040ul + (s[2] & 0x3F);
    }
    return 0;
}

void report_text_escaped(out *o, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t start = i, k = 0;
        unsigned long cp = 0;
        while (i < n) {
            unsigned c = p[i];
            if (c >= 0x20 && c < 0x7F) {
                i++;
            } else if (c >= 0x80) {
                k = text_utf8_seq((const char *)p + i, n - i);
                if (k == 0) break;
                cp = text_unsafe_cp(p + i, k);
                if (cp) break;
                i += k;
            } else {
                break;
            }
        }
        if (i > start) out_write(o, s + start, i - start);
        if (i == n) break;

        unsigned c = p[i];
        if (cp) {
            char u[6] = {'\\',
                         'u',
                         hexdigits[(cp >> 12) & 15],
                         hexdigits[(cp >> 8) & 15],
                         hexdigits[(cp >> 4) & 15],
                         hexdigits[cp & 15]};
            out_write(o, u, sizeof u);
            i += k;
            continue;
        }
        i++;
        switch (c) {
        case '\n':
            out_write(o, "\\n", 2);
            break;
        case '\r':
            out_write(o, "\\r", 2);
            break;
        case '\t':
            out_write(o, "\\t", 2);
            break;
        case '\0':
            out_write(o, "\\0", 2);
            break;
        default:
            if (c >= 0x80) {
                out_write(o, replacement, 3);
            } else {
                char x[4] = {'\\', 'x', hexdigits[c >> 4], hexdigits[c & 15]};
                out_write(o, x, sizeof x);
            }
        }
    }
}

void report_xml_escaped(out *o, const char *s, size_t n, bool attr)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t start = i, k = 0;
        while (i < n) {
            unsigned c = p[i];
            if (c >= 0x20 && c < 0x80) {
                if (c == '&' || c == '<' || c == '>' || c == '"') break;
                i++;
            } else if (c >= 0x80) {
                k = text_utf8_seq((const char *)p + i, n - i);
                /* U+FFFE and U+FFFF are well-formed but not XML characters. */
                if (k == 0 || (k == 3 && c == 0xEF && p[i + 1] == 0xBF && p[i + 2] >= 0xBE)) break;
                i += k;
            } else if ((c == '\n' || c == '\t') && !attr) {
                i++;
            } else {
                break;
            }
        }
        if (i > start) out_write(o, s + start, i - start);
        if (i == n) break;

        unsigned c = p[i];
        if (c >= 0x80) {
            out_write(o, replacement, 3);
            i += k ? k : 1;
            continue;
        }
        i++;
        switch (c) {
        case '&':
            out_write(o, "&amp;", 5);
            break;
        case '<':
            out_write(o, "&lt;", 4);
            break;
        case '>':
            out_write(o, "&gt;", 4);
            break;
        case '"':
            out_write(o, "&quot;", 6);
            break;
        case '\n':
            out_write(o, "&#10;", 5);
            break;
        case '\t':
            out_write(o, "&#9;", 4);
            break;
        case '\r':
            out_write(o, "&#13;", 5);
            break;
        case '\0':
            out_write(o, "\\0", 2);
            break;
        default: {
            char x[4] = {'\\', 'x', hexdigits[c >> 4], hexdigits[c & 15]};
            out_write(o, x, sizeof x);
        }
        }
    }
}

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME  UINT64_C(0x100000001b3)

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= FNV_PRIME;
    }
    return h;
}

static uint64_t fnv_field(uint64_t h, const char *s)
{
    h = fnv(h, "\x1f", 1);
    return s ? fnv(h, s, strlen(s)) : h;
}

uint64_t report_fingerprint(const result *res, const finding *f)
{
    const result_rule *r = &res->rules[f->rule];
    const char *object = result_finding_object(res, f);
    uint64_t h = FNV_OFFSET;
    if (r->id) h = fnv(h, r->id, strlen(r->id));
    h = fnv_field(h, object);
    h = fnv_field(h, f->record);
    h = fnv_field(h, f->column);
    if (f->record == NULL) {
        char digits[20];
        size_t nd = 0;
        uint64_t v = f->line;
        do {
            digits[sizeof digits - ++nd] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        h = fnv(fnv(h, "\x1f", 1), digits + sizeof digits - nd, nd);
    }
    return h;
}

void report_hex64(uint64_t v, char dst[17])
{
    for (int i = 15; i >= 0; i--) {
        dst[i] = hexdigits[v & 15];
        v >>= 4;
    }
    dst[16] = '\0';
}

const char *report_strip_dot_slash(const char *path)
{
    if (path == NULL) return NULL;
    const char *p = path;
    while (p[0] == '.' && p[1] == '/') {
        p += 2;
        while (*p == '/') p++;
    }
    return *p ? p : path; /* "./" names the directory itself */
}

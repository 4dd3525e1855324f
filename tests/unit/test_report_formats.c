/*
 * test_report_formats.c - the CI and spreadsheet report formats (sarif,
 * junit, github, gitlab, csv) and the helpers they share in report.c (the
 * XML escaper, the finding fingerprint).
 *
 * Results are built by hand and allocated the way the engine allocates them,
 * so result_free runs on every fixture under ASan.  Each format is compared
 * byte for byte on a result whose values hold quotes, line breaks, %, commas,
 * control characters, a NUL, invalid UTF-8, formula-looking text and a null
 * record, and on a clean run; then checked structurally: SARIF and GitLab
 * are well-formed JSON, JUnit is well-formed XML whose counts match its
 * elements, fingerprints survive reordering, GitHub annotations stop at the
 * per-step limit.  python3 and xmllint, when installed, give a second
 * opinion on well-formedness (schema validation is done outside the tests).
 */
#include "unit.h"

#include <stdint.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "reportfix.h"
#include "text.h"
#include "xalloc.h"

/* ---- rendering to a string ---- */

typedef struct report_ctx {
    const char *format;
    const result *res;
    unsigned long fail_after; /* make allocations fail while writing */
} report_ctx;

static void report_fn(out *o, const void *p)
{
    const report_ctx *c = p;
    const reporter *r = reporter_find(c->format);
    ck_assert_ptr_nonnull(r);
    report_opts opts = {false, false};
    if (c->fail_after) xalloc_fail_after(c->fail_after);
    r->write(c->res, &opts, o);
    if (c->fail_after) xalloc_fail_after(0);
}

static char *report_len(const char *format, const result *res, size_t *len)
{
    report_ctx c = {format, res, 0};
    return render_with(report_fn, &c, len);
}

static char *report(const char *format, const result *res)
{
    return report_len(format, res, NULL);
}

typedef struct xml_ctx {
    const char *s;
    size_t n;
    bool attr;
} xml_ctx;

static void xml_fn(out *o, const void *p)
{
    const xml_ctx *c = p;
    report_xml_escaped(o, c->s, c->n, c->attr);
}

#define XML_EQ(attr, lit, expect)                                                                  \
    do {                                                                                           \
        xml_ctx c_ = {lit, sizeof(lit) - 1, attr};                                                 \
        char *got_ = render_with(xml_fn, &c_, NULL);                                               \
        ck_assert_str_eq(got_, expect);                                                            \
        free(got_);                                                                                \
    } while (0)

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    return n;
}

/* ---- a tiny JSON well-formedness checker ---- */

/* Character data or an attribute value up to `stop`: valid UTF-8, only XML
 * 1.0 characters, '&' only as a known entity or a character reference, no
 * '<'.  Returns the stop position or NULL. */
static const unsigned char *xml_chars(const unsigned char *p, const unsigned char *end, char stop)
{
    while (p < end && *p != (unsigned char)stop) {
        unsigned c = *p;
        if (c == '<') return NULL;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return NULL;
        if (c == '&') {
            static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
            bool ok = false;
            for (size_t i = 0; i < 5 && !ok; i++)
                if ((size_t)(end - p) >= strlen(ents[i]) &&
                    memcmp(p, ents[i], strlen(ents[i])) == 0) {
                    p += strlen(ents[i]);
                    ok = true;
                }
            if (!ok && end - p > 3 && p[1] == '#') {
                const unsigned char *q = p + 2;
                unsigned long v = 0;
                while (q < end && *q >= '0' && *q <= '9') v = v * 10 + (*q++ - '0');
                if (q == p + 2 || q >= end || *q != ';') return NULL;
                if (v < 0x20 && v != 9 && v != 10 && v != 13) return NULL;
                p = q + 1;
                ok = true;
            }
            if (!ok) return NULL;
            continue;
        }
        if (c >= 0x80) {
            size_t k = utf8_ok(p, end);
            if (k == 0) return NULL;
            if (k == 3 && c == 0xEF && p[1] == 0xBF && p[2] >= 0xBE) return NULL;
            p += k;
            continue;
        }
        p++;
    }
    return p;
}

static const unsigned char *xml_name(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *s = p;
    while (p < end && (strchr("-_.:", *p) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                       (*p >= '0' && *p <= '9')))
        p++;
    return p > s ? p : NULL;
}

/* Balanced elements, quoted attributes, one root, nothing but white space
 * outside it (after an optional declaration). */
static bool xml_well_formed(const char *doc, size_t n)
{
    const unsigned char *p = (const unsigned char *)doc, *end = p + n;
    const unsigned char *stack[64];
    size_t len[64], depth = 0, roots = 0;
    const char *decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    if (n >= strlen(decl) && memcmp(p, decl, strlen(decl)) == 0) p += strlen(decl);
    while (p < end) {
        if (*p != '<') {
            const unsigned char *q = xml_chars(p, end, '<');
            if (q == NULL) return false;
            if (depth == 0)
                for (const unsigned char *t = p; t < q; t++)
                    if (!strchr(" \t\r\n", *t)) return false;
            p = q;
            continue;
        }
        p++;
        if (p < end && *p == '/') {
            const unsigned char *q = xml_name(p + 1, end);
            if (q == NULL || depth == 0 || q >= end || *q != '>') return false;
            depth--;
            if ((size_t)(q - p - 1) != len[depth] || memcmp(p + 1, stack[depth], len[depth]) != 0)
                return false;
            p = q + 1;
            continue;
        }
        const unsigned char *q = xml_name(p, end);
        if (q == NULL) return false;
        if (depth == 0 && ++roots > 1) return false;
        const unsigned char *name = p;
        size_t nlen = (size_t)(q - p);
        p = q;
        for (;;) {
            if (p >= end) return false;
            if (*p == '>' || (*p == '/' && p + 1 < end && p[1] == '>')) break;
            if (*p != ' ') return false;
            p++;
            q = xml_name(p, end);
            if (q == NULL || q + 1 >= end || q[0] != '=' || q[1] != '"') return false;
            q = xml_chars(q + 2, end, '"');
            if (q == NULL || q >= end) return false;
            p = q + 1;
        }
        if (*p == '/') {
            p += 2;
            continue;
        }
        p++;
        if (depth == 64) return false;
        stack[depth] = name;
        len[depth++] = nlen;
    }
    return depth == 0 && roots == 1;
}

/* Second opinions, when the tools are installed. */
static void external_check(const char *doc, const char *cmd_fmt, const char *probe)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", probe);
    if (system(cmd) != 0) return;
    char path[] = "/tmp/crmlint-check-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, doc, strlen(doc)), (long)strlen(doc));
    close(fd);
    snprintf(cmd, sizeof cmd, cmd_fmt, path);
    int rc = system(cmd);
    unlink(path);
    ck_assert_int_eq(rc, 0);
}

static void python_json_check(const char *doc)
{
    external_check(
        doc, "python3 -c 'import json,sys; json.load(open(sys.argv[1],encoding=\"utf-8\"))' %s",
        "python3");
}

static void xmllint_check(const char *doc)
{
    external_check(doc, "xmllint --noout %s", "xmllint");
}

/* ---- fixtures, allocated like the engine does ---- */

static const char *const dup_tags[] = {"dedup", "email"};
static const char *const email_tags[] = {"contactability"};

/*
 * Three files (one with a space, %, a comma and a colon in its name and a
 * leading "./", one that matched no object), six rules (structural, with
 * and without descriptions and tags, one skipped, one clean) and six
 * findings covering every kind of awkward byte.
 */
static result *fixture(void)
{
    result *r = xcalloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    r->tool_version = "0.1.0";
    r->pack_name = DUP("acme <weekly> & \"hygiene\"");
    r->pack_spec = DUP("PACK");
    r->as_of_us = INT64_C(1795323600000000); /* 2026-11-22T05:00:00Z */
    r->fail_on = SEV_ERROR;

    r->nfiles = 3;
    r->files = xcalloc(3, sizeof *r->files);
    r->files[0] = (result_file){.path = DUP("exports/Lead.csv"), .object = "lead", .records = 5};
    r->files[1] =
        (result_file){.path = DUP("./in/Acct 50%,x:y.csv"), .object = "account", .records = 1};
    r->files[2] = (result_file){.path = DUP("notes.csv"), .object = NULL, .records = 0};

    r->nrules = 6;
    r->rules = xcalloc(6, sizeof *r->rules);
    set_rule(&r->rules[0], "csv/ragged-row", "csv", SEV_INFO, NULL, 6, 1, false);
    set_rule(&r->rules[1], "lead-dup", "unique", SEV_WARNING, "lead", 5, 2, false);
    r->rules[1].description = "No two leads share an \"Email\" & <key>.";
    r->rules[1].tags = dup_tags;
    r->rules[1].ntags = 2;
    set_rule(&r->rules[2], "lead-email-format", "format", SEV_ERROR, "lead", 5, 2, true);
    r->rules[2].description = "Lead emails must be deliverable.";
    r->rules[2].tags = email_tags;
    r->rules[2].ntags = 1;
    set_rule(&r->rules[3], "account-owner", "required", SEV_ERROR, "account", 0, 0, false);
    r->rules[3].skipped = DUP("no file bound to account & <co>");
    set_rule(&r->rules[4], "lead-name", "required", SEV_ERROR, "lead", 5, 0, false);
    set_rule(&r->rules[5], "acct-name", "required", SEV_WARNING, "account", 1, 1, false);

    r->nfindings = 6;
    r->findings = xcalloc(6, sizeof *r->findings);
    finding *f = r->findings;
    /* A formula in the value and the message. */
    set_finding(&f[0], 2, 0, 2, "Email", DUP("00Q1"), DUP("=HYPERLINK(\"x\")"), 15,
                DUP("Email =HYPERLINK(\"x\") is not an email address"), true);
    /* Structural: no column, no record, no value. */
    set_finding(&f[1], 0, 0, 3, NULL, NULL, NULL, 0, DUP("row has 3 fields, header has 4"), false);
    /* NUL, quote, backslash, an invalid byte, e-acute and ESC in the value; a
     * control character in the key; LF, ESC, %, a comma, quotes, CR and an
     * e-acute in the message; a related record. */
    set_finding(&f[2], 1, 0, 4, "Email",
                DUP("00Q\x01"
                    "4"),
                DUP("a\0b\"\\\xff\xc3\xa9\x1b"), 9,
                DUP("duplicate of line 2\n\x1b[31m50% off, \"x\"\r\xc3\xa9"), false);
    f[2].nrelated = 1;
    f[2].related = xcalloc(1, sizeof *f[2].related);
    f[2].related[0] = (related_ref){0, 2, DUP("00Q1")};
    /* A multi-byte key, a value that starts like a formula. */
    set_finding(&f[3], 2, 0, 5, "Email", DUP("\xc3\xa9\xe2\x82\xac"), DUP("-1+2"), 4,
                DUP("Email -1+2 is not an email address"), true);
    /* The same rule, record and column as f[2]: the same fingerprint. */
    set_finding(&f[4], 1, 0, 6, "Email",
                DUP("00Q\x01"
                    "4"),
                DUP("@sum"), 4, DUP("duplicate of line 4"), false);
    f[4].nrelated = 1;
    f[4].related = xcalloc(1, sizeof *f[4].related);
    f[4].related[0] = (related_ref){0, 4, NULL};
    /* About the whole file (line 0), in the file with the awkward name. */
    set_finding(&f[5], 5, 1, 0, "Name", NULL, NULL, 0, DUP("no column Name"), false);

    r->summary = (result_summary){.records = 6,
                                  .findings = 6,
                                  .error = 2,
                                  .warning = 3,
                                  .info = 1,
                                  .gating = 2,
                                  .exit_code = 1};
    return r;
}

static result *clean_result(void)
{
    result *r = xcalloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    r->pack_name = DUP("p");
    r->pack_spec = DUP("PACK");
    r->fail_on = SEV_WARNING;
    r->nfiles = 1;
    r->files = xcalloc(1, sizeof *r->files);
    r->files[0] = (result_file){.path = DUP("a.csv"), .object = "lead", .records = 3};
    r->nrules = 1;
    r->rules = xcalloc(1, sizeof *r->rules);
    set_rule(&r->rules[0], "lead-name", "required", SEV_ERROR, "lead", 3, 0, false);
    r->summary.records = 3;
    return r;
}

/* A result with n findings of rule 0 (error, gating), in one file. */
static result *many_result(size_t nerr, size_t nwarn, size_t ninfo)
{
    result *r = xcalloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    r->pack_name = DUP("p");
    r->pack_spec = DUP("PACK");
    r->fail_on = SEV_ERROR;
    r->nfiles = 1;
    r->files = xcalloc(1, sizeof *r->files);
    r->files[0] = (result_file){.path = DUP("a.csv"), .object = "lead", .records = 1000};
    r->nrules = 3;
    r->rules = xcalloc(3, sizeof *r->rules);
    set_rule(&r->rules[0], "e", "required", SEV_ERROR, "lead", 1000, nerr, nerr > 0);
    set_rule(&r->rules[1], "w", "required", SEV_WARNING, "lead", 1000, nwarn, false);
    set_rule(&r->rules[2], "i", "required", SEV_INFO, "lead", 1000, ninfo, false);
    size_t n = nerr + nwarn + ninfo;
    r->nfindings = n;
    r->findings = xcalloc(n ? n : 1, sizeof *r->findings);
    for (size_t i = 0; i < n; i++) {
        uint32_t rule = i < nerr ? 0 : i < nerr + nwarn ? 1 : 2;
        char key[32];
        int k = snprintf(key, sizeof key, "K%zu", i);
        set_finding(&r->findings[i], rule, 0, i + 2, "F", dupn(key, (size_t)k), NULL, 0, DUP("bad"),
                    rule == 0);
    }
    r->summary = (result_summary){.records = 1000,
                                  .findings = n,
                                  .error = nerr,
                                  .warning = nwarn,
                                  .info = ninfo,
                                  .gating = nerr,
                                  .exit_code = nerr > 0};
    return r;
}

/* ---- registry and shared helpers ---- */

START_TEST(test_registry)
{
    const char *names[] = {"text", "json", "jsonl", "sarif", "junit", "github", "gitlab", "csv"};
    for (int i = 0; i < 8; i++) {
        const reporter *r = reporter_find(names[i]);
        ck_assert_ptr_nonnull(r);
        ck_assert_str_eq(r->name, names[i]);
        ck_assert_ptr_nonnull(r->write);
    }
    ck_assert_ptr_null(reporter_find("SARIF"));
    ck_assert_ptr_null(reporter_find("junit-xml"));
    ck_assert_str_eq(reporter_names(), "text, json, jsonl, sarif, junit, github, gitlab, csv");
}
END_TEST

START_TEST(test_xml_escaped)
{
    XML_EQ(false, "plain text", "plain text");
    XML_EQ(false, "a&b<c>d\"e'f", "a&amp;b&lt;c&gt;d&quot;e'f");
    /* Content keeps LF and TAB; CR would be folded to LF by a parser. */
    XML_EQ(false, "a\nb\tc\rd", "a\nb\tc&#13;d");
    XML_EQ(true, "a\nb\tc\rd", "a&#10;b&#9;c&#13;d");
    /* C0 controls cannot appear in XML 1.0 even as references. */
    XML_EQ(false, "a\0b\x01\x1b[1m\x1f", "a\\0b\\x01\\x1b[1m\\x1f");
    XML_EQ(true, "\0", "\\0");
    /* DEL and C1 controls are XML characters. */
    XML_EQ(false, "\x7f\xc2\x85", "\x7f\xc2\x85");
    /* Invalid UTF-8 one U+FFFD per byte; U+FFFE and U+FFFF one each. */
    XML_EQ(false, "\xff\xc3\xa9\xe2\x82", FFFD "\xc3\xa9" FFFD FFFD);
    XML_EQ(false, "x\xef\xbf\xbey\xef\xbf\xbfz\xef\xbf\xbd", "x" FFFD "y" FFFD "z" FFFD);
    XML_EQ(false, "\xf0\x9d\x84\x9e\xed\xa0\x80", "\xf0\x9d\x84\x9e" FFFD FFFD FFFD);
    XML_EQ(false, "", "");
}
END_TEST

START_TEST(test_helpers)
{
    char hex[17];
    report_hex64(0, hex);
    ck_assert_str_eq(hex, "0000000000000000");
    report_hex64(UINT64_C(0x0123456789abcdef), hex);
    ck_assert_str_eq(hex, "0123456789abcdef");
    report_hex64(UINT64_MAX, hex);
    ck_assert_str_eq(hex, "ffffffffffffffff");

    ck_assert_str_eq(report_strip_dot_slash("./a/b.csv"), "a/b.csv");
    ck_assert_str_eq(report_strip_dot_slash("././/a.csv"), "a.csv");
    ck_assert_str_eq(report_strip_dot_slash("../a.csv"), "../a.csv");
    ck_assert_str_eq(report_strip_dot_slash(".hidden.csv"), ".hidden.csv");
    ck_assert_str_eq(report_strip_dot_slash("/abs/a.csv"), "/abs/a.csv");
    ck_assert_str_eq(report_strip_dot_slash("./"), "./");
    ck_assert_str_eq(report_strip_dot_slash("-"), "-");
    ck_assert_ptr_null(report_strip_dot_slash(NULL));

    ck_assert_uint_eq(text_utf8_seq("\xc3\xa9", 2), 2);
    ck_assert_uint_eq(text_utf8_seq("\xc3\xa9", 1), 0);
    ck_assert_uint_eq(text_utf8_seq("\xe2\x82\xac", 3), 3);
    ck_assert_uint_eq(text_utf8_seq("\xf0\x9d\x84\x9e", 4), 4);
    ck_assert_uint_eq(text_utf8_seq("\xc0\xaf", 2), 0);
    ck_assert_uint_eq(text_utf8_seq("\x80", 1), 0);
}
END_TEST

/* Known answers computed independently (Python):
 *   fnv1a64(b"lead-email-format\x1flead\x1f00Q1\x1fEmail") etc. */
START_TEST(test_fingerprint_known)
{
    result *r = fixture();
    ck_assert_uint_eq(report_fingerprint(r, &r->findings[0]), UINT64_C(0x1edb190ea8c5637f));
    /* No record: the line takes part; object from the file. */
    ck_assert_uint_eq(report_fingerprint(r, &r->findings[1]), UINT64_C(0x7e064a9990e8a442));
    ck_assert_uint_eq(report_fingerprint(r, &r->findings[5]), UINT64_C(0xbcabba6c9b76e300));
    /* Same rule, record and column: same fingerprint, other lines. */
    ck_assert_uint_eq(report_fingerprint(r, &r->findings[2]),
                      report_fingerprint(r, &r->findings[4]));

    /* What changes it and what does not. */
    finding f = r->findings[0];
    uint64_t base = report_fingerprint(r, &f);
    f.line = 999;
    f.message = "another message";
    f.value = "other";
    ck_assert_uint_eq(report_fingerprint(r, &f), base);
    f.column = "Phone";
    ck_assert_uint_ne(report_fingerprint(r, &f), base);
    f = r->findings[0];
    f.record = "00Q2";
    ck_assert_uint_ne(report_fingerprint(r, &f), base);
    f = r->findings[0];
    f.rule = 1;
    ck_assert_uint_ne(report_fingerprint(r, &f), base);
    f = r->findings[1];
    base = report_fingerprint(r, &f);
    f.line = 4;
    ck_assert_uint_ne(report_fingerprint(r, &f), base);
    /* A record "" and no record differ (one field more or less). */
    f = r->findings[1];
    f.record = "";
    ck_assert_uint_ne(report_fingerprint(r, &f), base);
    result_free(r);
}
END_TEST

static int cmp_str(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Every "crmlint/v1" (sarif) or "fingerprint" (gitlab) value, sorted. */
static void sorted_values(const char *doc, const char *key, char out_vals[][24], size_t *n)
{
    *n = 0;
    for (const char *p = doc; (p = strstr(p, key)) != NULL; p += strlen(key)) {
        const char *v = p + strlen(key);
        size_t len = strcspn(v, "\"");
        ck_assert_uint_lt(len, 24);
        ck_assert_uint_lt(*n, 16);
        memcpy(out_vals[*n], v, len);
        out_vals[*n][len] = '\0';
        (*n)++;
    }
    qsort(out_vals, *n, sizeof out_vals[0], cmp_str);
}

START_TEST(test_fingerprint_reordered)
{
    result *r = fixture();
    char *sarif1 = report("sarif", r), *gitlab1 = report("gitlab", r);

    /* The export again, rows in reverse order and shifted: keyed findings
     * move to other lines; the unkeyed ones stay where they were. */
    for (size_t i = 0; i < r->nfindings / 2; i++) {
        finding t = r->findings[i];
        r->findings[i] = r->findings[r->nfindings - 1 - i];
        r->findings[r->nfindings - 1 - i] = t;
    }
    for (size_t i = 0; i < r->nfindings; i++)
        if (r->findings[i].record) r->findings[i].line += 100;
    char *sarif2 = report("sarif", r), *gitlab2 = report("gitlab", r);
    ck_assert_str_ne(sarif1, sarif2);

    char a[16][24], b[16][24];
    size_t na, nb;
    sorted_values(sarif1, "\"crmlint/v1\":\"", a, &na);
    sorted_values(sarif2, "\"crmlint/v1\":\"", b, &nb);
    ck_assert_uint_eq(na, 6);
    ck_assert_uint_eq(nb, 6);
    for (size_t i = 0; i < na; i++) ck_assert_str_eq(a[i], b[i]);

    sorted_values(gitlab1, "\"fingerprint\":\"", a, &na);
    sorted_values(gitlab2, "\"fingerprint\":\"", b, &nb);
    ck_assert_uint_eq(na, 6);
    ck_assert_uint_eq(nb, 6);
    for (size_t i = 0; i < na; i++) {
        ck_assert_str_eq(a[i], b[i]);
        if (i) ck_assert_str_ne(a[i], a[i - 1]); /* unique */
    }
    free(sarif1);
    free(sarif2);
    free(gitlab1);
    free(gitlab2);
    result_free(r);
}
END_TEST

/* ---- sarif ---- */

#define SARIF_HEAD                                                                                 \
    "{\"$schema\":\"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"           \
    "sarif-schema-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":"             \
    "{\"name\":\"crmlint\",\"version\":\"0.1.0\",\"semanticVersion\":\"0.1.0\",\"rules\":[\n"

/* A reporting descriptor: `text` is the description, `what` the help line. */
#define SARIF_RULE(id, text, what, level, tags, type, psev)                                        \
    "{\"id\":\"" id "\",\"shortDescription\":{\"text\":\"" text "\"},"                             \
    "\"fullDescription\":{\"text\":\"" text "\"},"                                                 \
    "\"help\":{\"text\":\"" text "\\n" what "\\nSettings: crmlint explain " id " --pack PACK\"},"  \
    "\"defaultConfiguration\":{\"level\":\"" level "\"},\"properties\":{\"tags\":[" tags "],"      \
    "\"type\":\"" type "\",\"precision\":\"very-high\",\"problem.severity\":\"" psev "\"}}"

#define LOC(uri, line)                                                                             \
    "{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"" uri                                  \
    "\"},\"region\":{\"startLine\":" #line "}}}"

/* clang-format off */
#define SARIF_RULES_FIXTURE                                                                        \
    SARIF_RULE("csv/ragged-row", "csv rule csv/ragged-row", "Type: csv. Severity: info.",          \
               "note", "", "csv", "recommendation") ",\n"                                          \
    SARIF_RULE("lead-dup", "No two leads share an \\\"Email\\\" & <key>.",                         \
               "Type: unique. Object: lead. Severity: warning.", "warning",                        \
               "\"dedup\",\"email\"", "unique", "warning") ",\n"                                  \
    SARIF_RULE("lead-email-format", "Lead emails must be deliverable.",                            \
               "Type: format. Object: lead. Severity: error.", "error", "\"contactability\"",     \
               "format", "error") ",\n"                                                            \
    SARIF_RULE("account-owner", "required rule account-owner",                                     \
               "Type: required. Object: account. Severity: error.", "error", "", "required",       \
               "error") ",\n"                                                                      \
    SARIF_RULE("lead-name", "required rule lead-name",                                             \
               "Type: required. Object: lead. Severity: error.", "error", "", "required",          \
               "error") ",\n"                                                                      \
    SARIF_RULE("acct-name", "required rule acct-name",                                             \
               "Type: required. Object: account. Severity: warning.", "warning", "", "required",   \
               "warning") "\n"

#define SARIF_CLEAN                                                                                \
    SARIF_HEAD                                                                                     \
    SARIF_RULE("lead-name", "required rule lead-name",                                             \
               "Type: required. Object: lead. Severity: error.", "error", "", "required",          \
               "error")                                                                            \
    "\n]}},\"invocations\":[{\"executionSuccessful\":true,\"exitCode\":0}],"                       \
    "\"columnKind\":\"unicodeCodePoints\",\"results\":[],\"properties\":{\"pack\":\"p\","          \
    "\"as_of\":\"1970-01-01T00:00:00Z\",\"fail_on\":\"warning\",\"summary\":{\"records\":3,"      \
    "\"findings\":0,\"error\":0,\"warning\":0,\"info\":0,\"gating\":0,\"exit_code\":0}}}]}\n"
/* clang-format on */

START_TEST(test_sarif_document)
{
    result *r = fixture();
    size_t n;
    char *got = report_len("sarif", r, &n);
    /* clang-format off */
    const char *expect = SARIF_HEAD SARIF_RULES_FIXTURE
        "]}},\"invocations\":[{\"executionSuccessful\":true,\"exitCode\":1,"
        "\"toolExecutionNotifications\":[\n"
        "{\"level\":\"warning\",\"message\":{\"text\":\"rule account-owner skipped: no file "
        "bound to account & <co>\"},\"associatedRule\":{\"id\":\"account-owner\",\"index\":3}},\n"
        "{\"level\":\"warning\",\"message\":{\"text\":\"notes.csv matched no object and was not "
        "linted\"},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":"
        "\"notes.csv\"}}}]}\n"
        "]}],\"columnKind\":\"unicodeCodePoints\",\"results\":[\n"
        /* f0 */
        "{\"ruleId\":\"lead-email-format\",\"ruleIndex\":2,\"level\":\"error\",\"message\":"
        "{\"text\":\"Email =HYPERLINK(\\\"x\\\") is not an email address (record 00Q1)\"},"
        "\"locations\":[" LOC("exports/Lead.csv", 2) "],"
        "\"partialFingerprints\":{\"crmlint/v1\":\"1edb190ea8c5637f\"},"
        "\"properties\":{\"object\":\"lead\",\"column\":\"Email\",\"record\":\"00Q1\","
        "\"gating\":true}},\n"
        /* f1: structural, no record */
        "{\"ruleId\":\"csv/ragged-row\",\"ruleIndex\":0,\"level\":\"note\",\"message\":"
        "{\"text\":\"row has 3 fields, header has 4\"},"
        "\"locations\":[" LOC("exports/Lead.csv", 3) "],"
        "\"partialFingerprints\":{\"crmlint/v1\":\"7e064a9990e8a442\"},"
        "\"properties\":{\"object\":\"lead\",\"column\":null,\"record\":null,\"gating\":false}},\n"
        /* f2: escapes, a related record */
        "{\"ruleId\":\"lead-dup\",\"ruleIndex\":1,\"level\":\"warning\",\"message\":"
        "{\"text\":\"duplicate of line 2\\n\\u001b[31m50% off, \\\"x\\\"\\r\xc3\xa9 (record "
        "00Q\\u00014)\"},\"locations\":[" LOC("exports/Lead.csv", 4) "],"
        "\"relatedLocations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":"
        "\"exports/Lead.csv\"},\"region\":{\"startLine\":2}},\"message\":{\"text\":\"record "
        "00Q1\"}}],\"partialFingerprints\":{\"crmlint/v1\":\"f3e331abddcf7fb0\"},"
        "\"properties\":{\"object\":\"lead\",\"column\":\"Email\",\"record\":\"00Q\\u00014\","
        "\"gating\":false}},\n"
        /* f3 */
        "{\"ruleId\":\"lead-email-format\",\"ruleIndex\":2,\"level\":\"error\",\"message\":"
        "{\"text\":\"Email -1+2 is not an email address (record \xc3\xa9\xe2\x82\xac)\"},"
        "\"locations\":[" LOC("exports/Lead.csv", 5) "],"
        "\"partialFingerprints\":{\"crmlint/v1\":\"c6b6e59ae3d7d215\"},"
        "\"properties\":{\"object\":\"lead\",\"column\":\"Email\",\"record\":"
        "\"\xc3\xa9\xe2\x82\xac\",\"gating\":true}},\n"
        /* f4: same fingerprint as f2; a related row without a key */
        "{\"ruleId\":\"lead-dup\",\"ruleIndex\":1,\"level\":\"warning\",\"message\":"
        "{\"text\":\"duplicate of line 4 (record 00Q\\u00014)\"},"
        "\"locations\":[" LOC("exports/Lead.csv", 6) "],"
        "\"relatedLocations\":[" LOC("exports/Lead.csv", 4) "],"
        "\"partialFingerprints\":{\"crmlint/v1\":\"f3e331abddcf7fb0\"},"
        "\"properties\":{\"object\":\"lead\",\"column\":\"Email\",\"record\":\"00Q\\u00014\","
        "\"gating\":false}},\n"
        /* f5: whole file, no region; the path percent-encoded, "./" gone */
        "{\"ruleId\":\"acct-name\",\"ruleIndex\":5,\"level\":\"warning\",\"message\":"
        "{\"text\":\"no column Name\"},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":"
        "{\"uri\":\"in/Acct%2050%25,x%3Ay.csv\"}}}],"
        "\"partialFingerprints\":{\"crmlint/v1\":\"bcabba6c9b76e300\"},"
        "\"properties\":{\"object\":\"account\",\"column\":\"Name\",\"record\":null,"
        "\"gating\":false}}\n"
        "],\"properties\":{\"pack\":\"acme <weekly> & \\\"hygiene\\\"\","
        "\"as_of\":\"2026-11-22T05:00:00Z\",\"fail_on\":\"error\",\"summary\":{\"records\":6,"
        "\"findings\":6,\"error\":2,\"warning\":3,\"info\":1,\"gating\":2,\"exit_code\":1}}}]}\n";
    /* clang-format on */
    ck_assert_str_eq(got, expect);
    ck_assert_uint_eq(n, strlen(expect));
    ck_assert(json_well_formed(got, n));
    python_json_check(got);
    /* Checks no schema makes: every result's ruleIndex names its ruleId. */
    const char *ids[] = {"csv/ragged-row", "lead-dup",  "lead-email-format",
                         "account-owner",  "lead-name", "acct-name"};
    size_t results = 0;
    for (const char *p = got; (p = strstr(p, "{\"ruleId\":\"")) != NULL; p++, results++) {
        const char *idx = strstr(p, "\"ruleIndex\":");
        ck_assert_ptr_nonnull(idx);
        int k = atoi(idx + 12);
        ck_assert_int_lt(k, 6);
        ck_assert_int_eq(strncmp(p + 11, ids[k], strlen(ids[k])), 0);
        ck_assert_int_eq(p[11 + strlen(ids[k])], '"');
    }
    ck_assert_uint_eq(results, 6);

    /* Same result, same bytes. */
    char *again = report("sarif", r);
    ck_assert_str_eq(again, got);
    free(again);
    free(got);
    result_free(r);
}
END_TEST

START_TEST(test_sarif_clean)
{
    result *r = clean_result();
    char *got = report("sarif", r);
    ck_assert_str_eq(got, SARIF_CLEAN);
    ck_assert(json_well_formed(got, strlen(got)));
    free(got);
    result_free(r);
}
END_TEST

START_TEST(test_sarif_baseline_omitted)
{
    result *r = fixture();
    r->has_baseline = true;
    r->findings[0].baseline = true;
    r->findings[0].gating = false;
    r->findings_omitted = 1;
    r->summary.new_findings = 5;
    r->summary.baseline = 1;
    char *got = report("sarif", r);
    ck_assert_uint_eq(count_of(got, ",\"baselineState\":\"unchanged\",\"properties\""), 1);
    ck_assert_uint_eq(count_of(got, ",\"baselineState\":\"new\",\"properties\""), 5);
    ck_assert_ptr_nonnull(strstr(got, "\"crmlint/v1\":\"1edb190ea8c5637f\"},"
                                      "\"baselineState\":\"unchanged\""));
    ck_assert_ptr_nonnull(strstr(got, "{\"level\":\"note\",\"message\":{\"text\":\"1 finding not "
                                      "listed (--max-findings)\"}}\n]}]"));
    ck_assert_ptr_nonnull(strstr(got, "\"exit_code\":1,\"new\":5,\"baseline\":1,\"fixed\":0,"
                                      "\"findings_omitted\":1}}}]}\n"));
    ck_assert(json_well_formed(got, strlen(got)));
    free(got);
    result_free(r);
}
END_TEST

/* URIs: absolute paths as file://, percent-encoding of everything outside
 * the URI path characters, stdin as "-". */
START_TEST(test_sarif_uris_and_long_descriptions)
{
    result *r = clean_result();
    xfree(r->files[0].path);
    xfree(r->files);
    r->nfiles = 4;
    r->files = xcalloc(4, sizeof *r->files);
    r->files[0] = (result_file){.path = DUP("/srv/exp orts/x.csv"), .object = "lead", .records = 1};
    r->files[1] = (result_file){.path = DUP("-"), .object = "lead", .records = 1};
    r->files[2] = (result_file){
        .path = DUP("d\xc3\xa9j\xc3\xa0/\xff#1?[2]\\\".csv"), .object = "lead", .records = 1};
    r->files[3] =
        (result_file){.path = DUP("a:b/c@d=e+f(g)'h'!$&;*~_.csv"), .object = "lead", .records = 1};
    r->nfindings = 4;
    r->findings = xcalloc(4, sizeof *r->findings);
    for (uint32_t i = 0; i < 4; i++)
        set_finding(&r->findings[i], 0, i, 1, "Name", NULL, NULL, 0, DUP("Name is empty"), true);

    /* 1025 characters: cut to 1023 and an ellipsis; 1024 stay. */
    char *longdesc = malloc(2 * 1025 + 1);
    for (size_t i = 0; i < 1025; i++) memcpy(longdesc + 2 * i, "\xc3\xa9", 2);
    longdesc[2 * 1025] = '\0';
    r->rules[0].description = longdesc;

    char *got = report("sarif", r);
    ck_assert_ptr_nonnull(strstr(got, "{\"uri\":\"file:///srv/exp%20orts/x.csv\"}"));
    ck_assert_ptr_nonnull(strstr(got, "{\"uri\":\"-\"}"));
    ck_assert_ptr_nonnull(strstr(got, "{\"uri\":\"d%C3%A9j%C3%A0/%FF%231%3F%5B2%5D%5C%22.csv\"}"));
    ck_assert_ptr_nonnull(strstr(got, "{\"uri\":\"a%3Ab/c@d=e+f(g)'h'!$&;*~_.csv\"}"));
    ck_assert(json_well_formed(got, strlen(got)));

    const char *key = "\"shortDescription\":{\"text\":\"";
    const char *d = strstr(got, key);
    ck_assert_ptr_nonnull(d);
    d += strlen(key);
    for (size_t i = 0; i < 1023; i++) ck_assert_int_eq(memcmp(d + 2 * i, "\xc3\xa9", 2), 0);
    ck_assert_int_eq(strncmp(d + 2 * 1023, "\xe2\x80\xa6\"}", 5), 0);
    free(got);

    longdesc[2 * 1024] = '\0';
    got = report("sarif", r);
    d = strstr(got, key) + strlen(key);
    for (size_t i = 0; i < 1024; i++) ck_assert_int_eq(memcmp(d + 2 * i, "\xc3\xa9", 2), 0);
    ck_assert_int_eq(strncmp(d + 2 * 1024, "\"}", 2), 0);
    free(got);

    r->rules[0].description = NULL;
    free(longdesc);
    result_free(r);
}
END_TEST

/* ---- junit ---- */

/* The number in attribute `name` of the first element starting with `tag`. */
static long attr_count(const char *doc, const char *tag, const char *name)
{
    const char *p = strstr(doc, tag);
    ck_assert_ptr_nonnull(p);
    char key[32];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *a = strstr(p, key);
    const char *close = strchr(p, '>');
    ck_assert_ptr_nonnull(a);
    ck_assert(a < close);
    return atol(a + strlen(key));
}

/* tests/failures/errors/skipped on both levels equal the elements. */
static void junit_counts_match(const char *doc)
{
    long cases = (long)count_of(doc, "<testcase ");
    long failures = (long)count_of(doc, "<failure ");
    long skipped = (long)count_of(doc, "<skipped ");
    long errors = (long)count_of(doc, "<error ");
    const char *tags[] = {"<testsuites ", "<testsuite "};
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(attr_count(doc, tags[i], "tests"), cases);
        ck_assert_int_eq(attr_count(doc, tags[i], "failures"), failures);
        ck_assert_int_eq(attr_count(doc, tags[i], "errors"), errors);
        ck_assert_int_eq(attr_count(doc, tags[i], "skipped"), skipped);
    }
}

#define JUNIT_FIXTURE                                                                              \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<testsuites name=\"crmlint\" tests=\"6\" failures=\"1\" errors=\"0\" skipped=\"1\">\n"        \
    "  <testsuite name=\"acme &lt;weekly&gt; &amp; &quot;hygiene&quot;\" tests=\"6\" "             \
    "failures=\"1\" errors=\"0\" skipped=\"1\">\n"                                                 \
    "    <properties>\n"                                                                           \
    "      <property name=\"crmlint\" value=\"0.1.0\"/>\n"                                         \
    "      <property name=\"as_of\" value=\"2026-11-22T05:00:00Z\"/>\n"                            \
    "      <property name=\"fail_on\" value=\"error\"/>\n"                                         \
    "    </properties>\n"                                                                          \
    "    <testcase classname=\"crmlint.csv\" name=\"csv/ragged-row\">\n"                           \
    "      <system-out>exports/Lead.csv:3: row has 3 fields, header has 4\n"                       \
    "</system-out>\n"                                                                              \
    "    </testcase>\n"                                                                            \
    "    <testcase classname=\"crmlint.lead\" name=\"lead-dup\">\n"                                \
    "      <system-out>No two leads share an &quot;Email&quot; &amp; &lt;key&gt;.\n"               \
    "exports/Lead.csv:4: duplicate of line 2\\n\\x1b[31m50% off, &quot;x&quot;\\r\xc3\xa9 "        \
    "(record 00Q\\x014)\n"                                                                         \
    "exports/Lead.csv:6: duplicate of line 4 (record 00Q\\x014)\n"                                 \
    "</system-out>\n"                                                                              \
    "    </testcase>\n"                                                                            \
    "    <testcase classname=\"crmlint.lead\" name=\"lead-email-format\">\n"                       \
    "      <failure message=\"2 findings\" type=\"error\">Lead emails must be deliverable.\n"      \
    "exports/Lead.csv:2: Email =HYPERLINK(&quot;x&quot;) is not an email address (record 00Q1)\n"  \
    "exports/Lead.csv:5: Email -1+2 is not an email address (record \xc3\xa9\xe2\x82\xac)\n"       \
    "</failure>\n"                                                                                 \
    "    </testcase>\n"                                                                            \
    "    <testcase classname=\"crmlint.account\" name=\"account-owner\">\n"                        \
    "      <skipped message=\"no file bound to account &amp; &lt;co&gt;\"/>\n"                     \
    "    </testcase>\n"                                                                            \
    "    <testcase classname=\"crmlint.lead\" name=\"lead-name\"/>\n"                              \
    "    <testcase classname=\"crmlint.account\" name=\"acct-name\">\n"                            \
    "      <system-out>./in/Acct 50%,x:y.csv: no column Name\n"                                    \
    "</system-out>\n"                                                                              \
    "    </testcase>\n"                                                                            \
    "    <system-out>skipped: notes.csv (no object)\n"                                             \
    "6 findings (2 errors, 3 warnings, 1 info) in 6 records from 2 files; 2 gating (fail-on "      \
    "error) -&gt; exit 1\n"                                                                        \
    "</system-out>\n"                                                                              \
    "  </testsuite>\n"                                                                             \
    "</testsuites>\n"

START_TEST(test_junit_document)
{
    result *r = fixture();
    size_t n;
    char *got = report_len("junit", r, &n);
    ck_assert_str_eq(got, JUNIT_FIXTURE);
    ck_assert(xml_well_formed(got, n));
    xmllint_check(got);
    junit_counts_match(got);
    free(got);
    result_free(r);
}
END_TEST

START_TEST(test_junit_clean)
{
    result *r = clean_result();
    char *got = report("junit", r);
    /* A passing case even when nothing was found: Jenkins rejects a report
     * without one. */
    ck_assert_str_eq(got, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<testsuites name=\"crmlint\" tests=\"1\" failures=\"0\" errors=\"0\" "
                          "skipped=\"0\">\n"
                          "  <testsuite name=\"p\" tests=\"1\" failures=\"0\" errors=\"0\" "
                          "skipped=\"0\">\n"
                          "    <properties>\n"
                          "      <property name=\"crmlint\" value=\"0.1.0\"/>\n"
                          "      <property name=\"as_of\" value=\"1970-01-01T00:00:00Z\"/>\n"
                          "      <property name=\"fail_on\" value=\"warning\"/>\n"
                          "    </properties>\n"
                          "    <testcase classname=\"crmlint.lead\" name=\"lead-name\"/>\n"
                          "    <system-out>0 findings (0 errors, 0 warnings, 0 info) in 3 "
                          "records from 1 file; 0 gating (fail-on warning) -&gt; exit 0\n"
                          "</system-out>\n"
                          "  </testsuite>\n"
                          "</testsuites>\n");
    ck_assert(xml_well_formed(got, strlen(got)));
    junit_counts_match(got);
    free(got);
    result_free(r);
}
END_TEST

/* At most 100 findings per case, then how many more; baseline marks. */
START_TEST(test_junit_many_findings)
{
    result *r = many_result(150, 1, 0);
    r->rules[0].findings = 160; /* 10 found but not listed */
    r->findings_omitted = 10;
    r->has_baseline = true;
    r->findings[1].baseline = true;
    r->findings[1].gating = false;
    char *got = report("junit", r);
    ck_assert_ptr_nonnull(strstr(got, "<failure message=\"160 findings\" type=\"error\">"
                                      "a.csv:2: bad (record K0)\n"
                                      "a.csv:3: bad (record K1) [baseline]\n"
                                      "a.csv:4: bad (record K2)\n"));
    ck_assert_ptr_nonnull(strstr(got, "a.csv:101: bad (record K99)\n"
                                      "... 60 more findings not listed here\n"
                                      "</failure>\n"));
    ck_assert_ptr_null(strstr(got, "(record K100)"));
    /* The passing warning rule lists its one finding. */
    ck_assert_ptr_nonnull(strstr(got, "<testcase classname=\"crmlint.lead\" name=\"w\">\n"
                                      "      <system-out>a.csv:152: bad (record K150)\n"
                                      "</system-out>\n"));
    ck_assert_ptr_nonnull(strstr(got, "<testcase classname=\"crmlint.lead\" name=\"i\"/>\n"));
    ck_assert_ptr_nonnull(strstr(got, "<system-out>10 findings not listed (--max-findings)\n"
                                      "151 findings (150 errors, 1 warning, 0 info) in 1000 "
                                      "records from 1 file; 0 new, 0 in baseline, 0 fixed; 150 "
                                      "gating (fail-on error) -&gt; exit 1\n"));
    ck_assert(xml_well_formed(got, strlen(got)));
    junit_counts_match(got);
    free(got);
    result_free(r);
}
END_TEST

/* Without memory for grouping, the same bytes (each allocation in turn). */
START_TEST(test_junit_without_memory)
{
    result *r = fixture();
    char *want = report("junit", r);
    for (unsigned long k = 1; k <= 4; k++) {
        report_ctx c = {"junit", r, k};
        char *got = render_with(report_fn, &c, NULL);
        ck_assert_str_eq(got, want);
        free(got);
    }
    free(want);
    result_free(r);
}
END_TEST

START_TEST(test_xml_checker_rejects)
{
#define WF(lit) xml_well_formed(lit, sizeof(lit) - 1)
    ck_assert(WF("<a><b x=\"1\"/>t &amp; &#10;</a>"));
    ck_assert(!WF("<a><b></a></b>"));
    ck_assert(!WF("<a>"));
    ck_assert(!WF("<a>x & y</a>"));
    ck_assert(!WF("<a>\x01</a>"));
    ck_assert(!WF("<a>&#1;</a>"));
    ck_assert(!WF("<a b=\"<\"/>"));
    ck_assert(!WF("<a/><b/>"));
    ck_assert(!WF("<a>\xff</a>"));
    ck_assert(!WF("<a>\xef\xbf\xbf</a>"));
    ck_assert(!WF("<a b=1/>"));
#undef WF
}
END_TEST

/* ---- github ---- */

static size_t lines_starting(const char *doc, const char *prefix)
{
    size_t n = 0;
    for (const char *p = doc; *p; p = strchr(p, '\n') + 1) {
        if (strncmp(p, prefix, strlen(prefix)) == 0) n++;
        if (strchr(p, '\n') == NULL) break;
    }
    return n;
}

#define GITHUB_FIXTURE                                                                             \
    "::error file=exports/Lead.csv,line=2,title=crmlint (lead-email-format)::Email "               \
    "=HYPERLINK(\"x\") is not an email address (record 00Q1)\n"                                    \
    "::notice file=exports/Lead.csv,line=3,title=crmlint (csv/ragged-row)::row has 3 fields, "     \
    "header has 4\n"                                                                               \
    "::warning file=exports/Lead.csv,line=4,title=crmlint (lead-dup)::duplicate of line "          \
    "2%0A\\x1b[31m50%25 off, \"x\"%0D\xc3\xa9 (record 00Q\\x014)\n"                                \
    "::error file=exports/Lead.csv,line=5,title=crmlint (lead-email-format)::Email -1+2 is not "   \
    "an email address (record \xc3\xa9\xe2\x82\xac)\n"                                             \
    "::warning file=exports/Lead.csv,line=6,title=crmlint (lead-dup)::duplicate of line 4 "        \
    "(record 00Q\\x014)\n"                                                                         \
    "::warning file=in/Acct 50%25%2Cx%3Ay.csv,title=crmlint (acct-name)::no column Name\n"

START_TEST(test_github_document)
{
    unsetenv("GITHUB_STEP_SUMMARY");
    result *r = fixture();
    char *got = report("github", r);
    ck_assert_str_eq(got, GITHUB_FIXTURE);
    /* Every line is a command: no value started a line of its own. */
    ck_assert_uint_eq(lines_starting(got, "::"), 6);
    ck_assert_uint_eq(count_of(got, "\n"), 6);
    free(got);
    result_free(r);

    r = clean_result();
    size_t n = 99;
    got = report_len("github", r, &n);
    ck_assert_uint_eq(n, 0);
    free(got);
    result_free(r);
}
END_TEST

/* Property values escape : and , as well; data does not. */
START_TEST(test_github_escaping)
{
    unsetenv("GITHUB_STEP_SUMMARY");
    result *r = many_result(1, 0, 0);
    r->rules[0].id = "a:b,c%d";
    xfree(r->files[0].path);
    r->files[0].path = DUP("./x,y:z%\n.csv");
    xfree(r->findings[0].message);
    r->findings[0].message = DUP("m:1,2%3\r\n::error::fake\x7f\xff\t");
    char *got = report("github", r);
    ck_assert_str_eq(got,
                     "::error file=x%2Cy%3Az%25%0A.csv,line=2,title=crmlint "
                     "(a%3Ab%2Cc%25d)::m:1,2%253%0D%0A::error::fake\\x7f" FFFD "\t (record K0)\n");
    free(got);
    result_free(r);
}
END_TEST

START_TEST(test_github_cap)
{
    unsetenv("GITHUB_STEP_SUMMARY");
    /* 25 errors, 12 warnings, 11 notices: 10, 10 and 9 annotations (the
     * closing notice takes the tenth notice slot), 19 log lines. */
    result *r = many_result(25, 12, 11);
    char *got = report("github", r);
    ck_assert_uint_eq(lines_starting(got, "::error file=a.csv,"), 10);
    ck_assert_uint_eq(lines_starting(got, "::warning file=a.csv,"), 10);
    ck_assert_uint_eq(lines_starting(got, "::notice file=a.csv,"), 9);
    ck_assert_uint_eq(lines_starting(got, "a.csv:"), 19);
    ck_assert_uint_eq(lines_starting(got, "::"), 30);
    /* Report order: the 11th error is a log line right after the 10th. */
    ck_assert_ptr_nonnull(strstr(got, "::error file=a.csv,line=11,title=crmlint (e)::bad (record "
                                      "K9)\na.csv:12: error [e] bad (record K10)\n"));
    ck_assert_ptr_nonnull(strstr(got, "a.csv:49: info [i] bad (record K47)\n"));
    const char *closing = "::notice title=crmlint::19 findings listed without annotation (GitHub "
                          "shows at most 10 errors, 10 warnings and 10 notices per step)\n";
    size_t n = strlen(got);
    ck_assert_uint_ge(n, strlen(closing));
    ck_assert_str_eq(got + n - strlen(closing), closing);
    free(got);
    result_free(r);

    /* Exactly 10 of each: all annotated, no closing notice. */
    r = many_result(10, 10, 10);
    got = report("github", r);
    ck_assert_uint_eq(lines_starting(got, "::notice file="), 10);
    ck_assert_uint_eq(lines_starting(got, "::"), 30);
    ck_assert_ptr_null(strstr(got, "title=crmlint::"));
    free(got);
    result_free(r);

    /* Under the caps, but --max-findings left some out. */
    r = many_result(1, 0, 10);
    r->findings_omitted = 1;
    got = report("github", r);
    ck_assert_uint_eq(lines_starting(got, "::notice file="), 9);
    ck_assert_ptr_nonnull(
        strstr(got, "a.csv:12: info [i] bad (record K10)\n"
                    "::notice title=crmlint::1 finding listed without annotation (GitHub shows at "
                    "most 10 errors, 10 warnings and 10 notices per step); 1 finding not listed "
                    "(--max-findings)\n"));
    free(got);
    result_free(r);
}
END_TEST

/* Gating findings take the annotation slots first; baseline ones never. */
START_TEST(test_github_gating_first_and_baseline)
{
    unsetenv("GITHUB_STEP_SUMMARY");
    result *r = many_result(15, 0, 0);
    for (size_t i = 0; i < 10; i++) r->findings[i].gating = false;
    char *got = report("github", r);
    /* 5 gating (K10..K14) + the first 5 others (K0..K4). */
    ck_assert_uint_eq(lines_starting(got, "::error "), 10);
    for (int i = 0; i < 15; i++) {
        char ann[80], log[80];
        snprintf(ann, sizeof ann, "title=crmlint (e)::bad (record K%d)\n", i);
        snprintf(log, sizeof log, "a.csv:%d: error [e] bad (record K%d)\n", i + 2, i);
        bool annotated = i < 5 || i >= 10;
        ck_assert_msg((strstr(got, ann) != NULL) == annotated, "K%d", i);
        ck_assert_msg((strstr(got, log) != NULL) == !annotated, "K%d", i);
    }
    free(got);
    result_free(r);

    r = many_result(2, 0, 0);
    r->has_baseline = true;
    r->findings[0].baseline = true;
    r->findings[0].gating = false;
    got = report("github", r);
    ck_assert_str_eq(got, "a.csv:2: error [e] bad (record K0) (in baseline)\n"
                          "::error file=a.csv,line=3,title=crmlint (e)::bad (record K1)\n"
                          "::notice title=crmlint::1 finding listed without annotation (GitHub "
                          "shows at most 10 errors, 10 warnings and 10 notices per step; 1 in "
                          "the baseline)\n");
    free(got);
    result_free(r);
}
END_TEST

#define STEP_SUMMARY_FIXTURE                                                                       \
    "### crmlint: acme \\<weekly\\> \\& \"hygiene\"\n"                                             \
    "\n"                                                                                           \
    "**6 findings** (2 errors, 3 warnings, 1 info) in 6 records from 2 files; **2 gating** "       \
    "(fail-on error): exit 1\n"                                                                    \
    "\n"                                                                                           \
    "| Rule | Severity | Findings | Checked | Gating | Note |\n"                                   \
    "| :--- | :--- | ---: | ---: | :--- | :--- |\n"                                                \
    "| csv/ragged-row | info | 1 | 6 | no |  |\n"                                                  \
    "| lead-dup | warning | 2 | 5 | no |  |\n"                                                     \
    "| lead-email-format | error | 2 | 5 | yes |  |\n"                                             \
    "| account-owner | error | 0 | 0 | no | skipped: no file bound to account \\& \\<co\\> |\n"    \
    "| acct-name | warning | 1 | 1 | no |  |\n"                                                    \
    "\n"                                                                                           \
    "Not linted (no object): notes.csv\n"                                                          \
    "\n"

START_TEST(test_github_step_summary)
{
    char path[] = "/tmp/crmlint-summary-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "earlier step\n", 13), 13);
    close(fd);
    ck_assert_int_eq(setenv("GITHUB_STEP_SUMMARY", path, 1), 0);

    result *r = fixture();
    char *got = report("github", r);
    ck_assert_str_eq(got, GITHUB_FIXTURE); /* the report itself is unchanged */
    free(got);
    char *summary = slurp(path, NULL);
    ck_assert_str_eq(summary, "earlier step\n" STEP_SUMMARY_FIXTURE);
    free(summary);

    /* Appended again by a second run, never truncated. */
    got = report("github", r);
    free(got);
    summary = slurp(path, NULL);
    ck_assert_str_eq(summary, "earlier step\n" STEP_SUMMARY_FIXTURE STEP_SUMMARY_FIXTURE);
    free(summary);
    result_free(r);

    /* Thresholds, baseline counts, omitted findings; Markdown escaping. */
    r = many_result(3, 0, 0);
    r->rules[0].id = "e|*x*";
    r->rules[0].has_max_count = true;
    r->rules[0].max_count = 2;
    r->rules[0].has_max_ratio = true;
    r->rules[0].max_ratio = 0.25;
    r->has_baseline = true;
    r->summary.new_findings = 3;
    r->summary.fixed = 4;
    r->findings_omitted = 2;
    fd = open(path, O_WRONLY | O_TRUNC);
    ck_assert_int_ge(fd, 0);
    close(fd);
    got = report("github", r);
    free(got);
    summary = slurp(path, NULL);
    ck_assert_str_eq(summary, "### crmlint: p\n\n"
                              "**3 findings** (3 errors, 0 warnings, 0 info) in 1000 records from "
                              "1 file; 3 new, 0 in baseline, 4 fixed; **3 gating** (fail-on "
                              "error): exit 1\n\n"
                              "| Rule | Severity | Findings | Checked | Gating | Note |\n"
                              "| :--- | :--- | ---: | ---: | :--- | :--- |\n"
                              "| e\\|\\*x\\* | error | 3 | 1000 | yes | threshold max\\_count 2, "
                              "max\\_ratio 0.25: exceeded |\n"
                              "\n2 findings not listed (--max-findings).\n\n");
    free(summary);
    result_free(r);

    /* A summary that cannot be written leaves the report alone. */
    ck_assert_int_eq(setenv("GITHUB_STEP_SUMMARY", "/nonexistent-dir/summary.md", 1), 0);
    r = fixture();
    got = report("github", r);
    ck_assert_str_eq(got, GITHUB_FIXTURE);
    free(got);
    result_free(r);
    unsetenv("GITHUB_STEP_SUMMARY");
    unlink(path);
}
END_TEST

/* ---- gitlab ---- */

#define GITLAB_FIXTURE                                                                             \
    "[\n"                                                                                          \
    "{\"description\":\"lead-email-format: Email =HYPERLINK(\\\"x\\\") is not an email address "   \
    "(record 00Q1)\",\"check_name\":\"lead-email-format\",\"fingerprint\":\"1edb190ea8c5637f\","   \
    "\"severity\":\"major\",\"location\":{\"path\":\"exports/"                                     \
    "Lead.csv\",\"lines\":{\"begin\":2}}},"                                                        \
    "\n"                                                                                           \
    "{\"description\":\"csv/ragged-row: row has 3 fields, header has 4\",\"check_name\":"          \
    "\"csv/ragged-row\",\"fingerprint\":\"7e064a9990e8a442\",\"severity\":\"info\",\"location\":"  \
    "{\"path\":\"exports/Lead.csv\",\"lines\":{\"begin\":3}}},\n"                                  \
    "{\"description\":\"lead-dup: duplicate of line 2\\n\\u001b[31m50% off, \\\"x\\\"\\r\xc3\xa9 " \
    "(record 00Q\\u00014)\",\"check_name\":\"lead-dup\",\"fingerprint\":\"f3e331abddcf7fb0\","     \
    "\"severity\":\"minor\",\"location\":{\"path\":\"exports/"                                     \
    "Lead.csv\",\"lines\":{\"begin\":4}}},"                                                        \
    "\n"                                                                                           \
    "{\"description\":\"lead-email-format: Email -1+2 is not an email address (record "            \
    "\xc3\xa9\xe2\x82\xac)\",\"check_name\":\"lead-email-format\",\"fingerprint\":"                \
    "\"c6b6e59ae3d7d215\",\"severity\":\"major\",\"location\":{\"path\":\"exports/Lead.csv\","     \
    "\"lines\":{\"begin\":5}}},\n"                                                                 \
    "{\"description\":\"lead-dup: duplicate of line 4 (record 00Q\\u00014)\",\"check_name\":"      \
    "\"lead-dup\",\"fingerprint\":\"f3e331abddcf7fb0:2\",\"severity\":\"minor\",\"location\":"     \
    "{\"path\":\"exports/Lead.csv\",\"lines\":{\"begin\":6}}},\n"                                  \
    "{\"description\":\"acct-name: no column Name\",\"check_name\":\"acct-name\",\"fingerprint\":" \
    "\"bcabba6c9b76e300\",\"severity\":\"minor\",\"location\":{\"path\":\"in/Acct 50%,x:y.csv\","  \
    "\"lines\":{\"begin\":1}}}\n"                                                                  \
    "]\n"

START_TEST(test_gitlab_document)
{
    unsetenv("CI_PROJECT_DIR");
    result *r = fixture();
    size_t n;
    char *got = report_len("gitlab", r, &n);
    ck_assert_str_eq(got, GITLAB_FIXTURE);
    ck_assert(json_well_formed(got, n));
    python_json_check(got);
    free(got);
    result_free(r);

    r = clean_result();
    got = report("gitlab", r);
    ck_assert_str_eq(got, "[]\n");
    free(got);
    result_free(r);
}
END_TEST

/* Duplicates numbered in report order; absolute paths made relative to the
 * project directory when inside it. */
START_TEST(test_gitlab_duplicates_and_paths)
{
    ck_assert_int_eq(setenv("CI_PROJECT_DIR", "/builds/acme/", 1), 0);
    result *r = many_result(4, 0, 0);
    xfree(r->files[0].path);
    r->files[0].path = DUP("/builds/acme/exports/a.csv");
    for (size_t i = 0; i < 4; i++) {
        xfree(r->findings[i].record);
        r->findings[i].record = DUP("SAME");
    }
    char *got = report("gitlab", r);
    ck_assert_uint_eq(count_of(got, "\"path\":\"exports/a.csv\""), 4);
    char hex[17];
    report_hex64(report_fingerprint(r, &r->findings[0]), hex);
    char want[64];
    for (int k = 1; k <= 4; k++) {
        if (k == 1)
            snprintf(want, sizeof want, "\"fingerprint\":\"%s\"", hex);
        else
            snprintf(want, sizeof want, "\"fingerprint\":\"%s:%d\"", hex, k);
        ck_assert_uint_eq(count_of(got, want), 1);
    }
    free(got);

    xfree(r->files[0].path);
    r->files[0].path = DUP("/builds/acme-other/a.csv");
    got = report("gitlab", r);
    ck_assert_uint_eq(count_of(got, "\"path\":\"/builds/acme-other/a.csv\""), 4);
    free(got);
    unsetenv("CI_PROJECT_DIR");
    got = report("gitlab", r);
    ck_assert_uint_eq(count_of(got, "\"path\":\"/builds/acme-other/a.csv\""), 4);
    free(got);
    result_free(r);
}
END_TEST

START_TEST(test_gitlab_without_memory)
{
    unsetenv("CI_PROJECT_DIR");
    result *r = fixture();
    char *want = report("gitlab", r);
    for (unsigned long k = 1; k <= 4; k++) {
        report_ctx c = {"gitlab", r, k};
        char *got = render_with(report_fn, &c, NULL);
        ck_assert_str_eq(got, want);
        free(got);
    }
    free(want);
    result_free(r);
}
END_TEST

/* ---- csv ---- */

#define CSV_HEADER "record,rule,severity,field,value,message,file,line\r\n"

START_TEST(test_csv_document)
{
    result *r = fixture();
    char *got = report("csv", r);
    ck_assert_str_eq(
        got, CSV_HEADER
        "00Q1,lead-email-format,error,Email,\"'=HYPERLINK(\"\"x\"\")\",\"Email "
        "=HYPERLINK(\"\"x\"\") is not an email address\",exports/Lead.csv,2\r\n"
        ",csv/ragged-row,info,,,\"row has 3 fields, header has 4\",exports/Lead.csv,3\r\n"
        "00Q\\x014,lead-dup,warning,Email,\"a\\0b\"\"\\" FFFD "\xc3\xa9\\x1b\",\"duplicate of "
        "line 2\n\\x1b[31m50% off, \"\"x\"\"\\r\xc3\xa9\",exports/Lead.csv,4\r\n"
        "\xc3\xa9\xe2\x82\xac,lead-email-format,error,Email,'-1+2,Email -1+2 is not an email "
        "address,exports/Lead.csv,5\r\n"
        "00Q\\x014,lead-dup,warning,Email,'@sum,duplicate of line 4,exports/Lead.csv,6\r\n"
        ",acct-name,warning,Name,,no column Name,\"./in/Acct 50%,x:y.csv\",\r\n");
    free(got);

    /* --redact: no value anywhere (the engine already redacts messages). */
    r->redact = true;
    got = report("csv", r);
    ck_assert_ptr_null(strstr(got, "HYPERLINK(\"\"x\"\")\","));
    ck_assert_ptr_nonnull(strstr(got, "\r\n00Q1,lead-email-format,error,Email,,\"Email "));
    ck_assert_ptr_nonnull(
        strstr(got, "\r\n00Q\\x014,lead-dup,warning,Email,,duplicate of line 4,"));
    free(got);
    result_free(r);

    r = clean_result();
    got = report("csv", r);
    ck_assert_str_eq(got, CSV_HEADER);
    free(got);
    result_free(r);
}
END_TEST

/* Every formula trigger neutralised in every cell; nothing else touched. */
START_TEST(test_csv_formula_cells)
{
    static const struct {
        const char *in;
        size_t n;
        const char *out;
    } cases[] = {
        {"=1+1", 4, "'=1+1"},
        {"+1", 2, "'+1"},
        {"-1", 2, "'-1"},
        {"@SUM(A1)", 8, "'@SUM(A1)"},
        {"\tx", 2, "'\tx"},
        {"\rx", 2, "'\\rx"},
        {"=a,b", 4, "\"'=a,b\""},
        {"=\"q\"", 4, "\"'=\"\"q\"\"\""},
        {" =1", 3, " =1"},
        {"a=1", 3, "a=1"},
        {"\0=1", 3, "\\0=1"},
        {"1-2", 3, "1-2"},
        {"line1\nline2", 11, "\"line1\nline2\""},
        {"\x01\x7f", 2, "\\x01\\x7f"},
    };
    size_t ncases = sizeof cases / sizeof cases[0];
    result *r = many_result(ncases, 0, 0);
    for (size_t i = 0; i < ncases; i++) {
        finding *f = &r->findings[i];
        xfree(f->record);
        f->record = dupn(cases[i].in, cases[i].n); /* NUL-terminated; a NUL cuts it */
        f->value = dupn(cases[i].in, cases[i].n);
        f->value_len = cases[i].n;
        xfree(f->message);
        f->message = dupn(cases[i].in, cases[i].n);
    }
    r->rules[0].id = "-rule";
    xfree(r->files[0].path);
    r->files[0].path = DUP("=cmd|' /C calc'!A0");
    char *got = report("csv", r);
    const char *p = got + strlen(CSV_HEADER);
    ck_assert_int_eq(strncmp(got, CSV_HEADER, strlen(CSV_HEADER)), 0);
    for (size_t i = 0; i < ncases; i++) {
        /* record, rule, severity, field, value, message, file, line */
        char row[256];
        /* Record and message are C strings: a leading NUL leaves them empty. */
        const char *cstr = cases[i].in[0] == '\0' ? "" : cases[i].out;
        snprintf(row, sizeof row, "%s,'-rule,error,F,%s,%s,'=cmd|' /C calc'!A0,%zu\r\n", cstr,
                 cases[i].out, cstr, i + 2);
        ck_assert_msg(strncmp(p, row, strlen(row)) == 0, "case %zu: got [%.*s] want [%s]", i,
                      (int)strlen(row), p, row);
        p += strlen(row);
    }
    ck_assert_str_eq(p, "");
    free(got);
    result_free(r);
}
END_TEST

/* The objects' report_columns: one column per distinct name, filled per
 * file; the same bytes without memory for the name list. */
static const char *const lead_columns[] = {"Company", "Owner"};
static const char *const account_columns[] = {"Owner", "=Region"};

START_TEST(test_csv_report_columns)
{
    result *r = xcalloc(1, sizeof *r);
    r->pack_name = DUP("p");
    r->pack_spec = DUP("PACK");
    r->nfiles = 3;
    r->files = xcalloc(3, sizeof *r->files);
    r->files[0] = (result_file){.path = DUP("lead.csv"),
                                .object = "lead",
                                .records = 2,
                                .report_columns = lead_columns,
                                .nreport_columns = 2};
    r->files[1] = (result_file){.path = DUP("acct.csv"),
                                .object = "account",
                                .records = 1,
                                .report_columns = account_columns,
                                .nreport_columns = 2};
    r->files[2] = (result_file){.path = DUP("x.csv"), .object = NULL, .records = 0};
    r->nrules = 2;
    r->rules = xcalloc(2, sizeof *r->rules);
    set_rule(&r->rules[0], "r", "required", SEV_ERROR, "lead", 2, 2, true);
    set_rule(&r->rules[1], "s", "required", SEV_WARNING, "account", 1, 1, false);
    r->nfindings = 3;
    r->findings = xcalloc(3, sizeof *r->findings);
    set_finding(&r->findings[0], 0, 0, 2, "F", DUP("K1"), NULL, 0, DUP("bad"), true);
    r->findings[0].extras = xcalloc(2, sizeof(char *));
    r->findings[0].extras[0] = DUP("Acme, Inc.");
    /* A finding about a remembered record has no extras. */
    set_finding(&r->findings[1], 0, 0, 3, "F", DUP("K2"), NULL, 0, DUP("bad"), true);
    set_finding(&r->findings[2], 1, 1, 2, "F", DUP("A1"), NULL, 0, DUP("bad"), false);
    r->findings[2].extras = xcalloc(2, sizeof(char *));
    r->findings[2].extras[0] = DUP("bob");
    r->findings[2].extras[1] = DUP("-EMEA");

    const char *want =
        "record,rule,severity,field,value,message,file,line,Company,Owner,'=Region\r\n"
        "K1,r,error,F,,bad,lead.csv,2,\"Acme, Inc.\",,\r\n"
        "K2,r,error,F,,bad,lead.csv,3,,,\r\n"
        "A1,s,warning,F,,bad,acct.csv,2,,bob,'-EMEA\r\n";
    char *got = report("csv", r);
    ck_assert_str_eq(got, want);
    free(got);
    for (unsigned long k = 1; k <= 2; k++) {
        report_ctx c = {"csv", r, k};
        got = render_with(report_fn, &c, NULL);
        ck_assert_str_eq(got, want);
        free(got);
    }
    /* Other formats are not affected by extras. */
    got = report("gitlab", r);
    ck_assert_ptr_null(strstr(got, "Acme"));
    free(got);

    r->redact = true;
    got = report("csv", r);
    ck_assert_str_eq(got,
                     "record,rule,severity,field,value,message,file,line,Company,Owner,'=Region\r\n"
                     "K1,r,error,F,,bad,lead.csv,2,,,\r\n"
                     "K2,r,error,F,,bad,lead.csv,3,,,\r\n"
                     "A1,s,warning,F,,bad,acct.csv,2,,,\r\n");
    free(got);
    result_free(r);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("report_formats");
    TCase *tc = tcase_create("shared");
    tcase_add_test(tc, test_registry);
    tcase_add_test(tc, test_xml_escaped);
    tcase_add_test(tc, test_helpers);
    tcase_add_test(tc, test_fingerprint_known);
    tcase_add_test(tc, test_fingerprint_reordered);
    tcase_add_test(tc, test_xml_checker_rejects);
    suite_add_tcase(s, tc);
    tc = tcase_create("sarif");
    tcase_add_test(tc, test_sarif_document);
    tcase_add_test(tc, test_sarif_clean);
    tcase_add_test(tc, test_sarif_baseline_omitted);
    tcase_add_test(tc, test_sarif_uris_and_long_descriptions);
    suite_add_tcase(s, tc);
    tc = tcase_create("junit");
    tcase_add_test(tc, test_junit_document);
    tcase_add_test(tc, test_junit_clean);
    tcase_add_test(tc, test_junit_many_findings);
    tcase_add_test(tc, test_junit_without_memory);
    suite_add_tcase(s, tc);
    tc = tcase_create("github");
    tcase_add_test(tc, test_github_document);
    tcase_add_test(tc, test_github_escaping);
    tcase_add_test(tc, test_github_cap);
    tcase_add_test(tc, test_github_gating_first_and_baseline);
    tcase_add_test(tc, test_github_step_summary);
    suite_add_tcase(s, tc);
    tc = tcase_create("gitlab");
    tcase_add_test(tc, test_gitlab_document);
    tcase_add_test(tc, test_gitlab_duplicates_and_paths);
    tcase_add_test(tc, test_gitlab_without_memory);
    suite_add_tcase(s, tc);
    tc = tcase_create("csv");
    tcase_add_test(tc, test_csv_document);
    tcase_add_test(tc, test_csv_formula_cells);
    tcase_add_test(tc, test_csv_report_columns);
    suite_add_tcase(s, tc);
    return s;
}

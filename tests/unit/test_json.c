/*
 * test_json.c - the strict JSON reader: the tree it builds, every escape,
 * surrogates, numbers, limits, and the exact NAME:LINE:COL of each error.
 *
 * Error messages are compared whole: they are what a user sees when a
 * --baseline file is damaged, and the position must point at the byte.
 */
#include "unit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "limits.h"
#include "xalloc.h"

static char err[512];

static json_value *parse_n(const char *s, size_t n)
{
    err[0] = '\0';
    return json_parse("t.json", s, n, err, sizeof err);
}

static json_value *parse(const char *s)
{
    return parse_n(s, strlen(s));
}

/* Parses a literal (its length from sizeof, so it may hold NULs). */
#define PARSE_LIT(lit) parse_n(lit, sizeof(lit) - 1)

static json_value *parse_ok(const char *s)
{
    json_value *v = parse(s);
    ck_assert_msg(v != NULL, "%s: %s", s, err);
    return v;
}

/* Parsing must fail with exactly `msg`. */
#define PARSE_ERR(lit, msg)                                                                        \
    do {                                                                                           \
        json_value *v_ = PARSE_LIT(lit);                                                           \
        ck_assert_ptr_null(v_);                                                                    \
        ck_assert_str_eq(err, msg);                                                                \
    } while (0)

/* A string document decodes to exactly these bytes. */
#define STRING_EQ(doc, bytes)                                                                      \
    do {                                                                                           \
        json_value *v_ = PARSE_LIT(doc);                                                           \
        ck_assert_msg(v_ != NULL, "%s", err);                                                      \
        size_t n_ = 0;                                                                             \
        const char *s_ = json_string(v_, &n_);                                                     \
        ck_assert_ptr_nonnull(s_);                                                                 \
        ck_assert_uint_eq(n_, sizeof(bytes) - 1);                                                  \
        ck_assert_int_eq(memcmp(s_, bytes, n_), 0);                                                \
        ck_assert_int_eq(s_[n_], '\0');                                                            \
        json_free(v_);                                                                             \
    } while (0)

START_TEST(test_document)
{
    json_value *v = parse_ok(" {\"b\": [1, \"two\", true, false, null, {}, []],\r\n"
                             "\t\"a\": {\"x\": -2.5}, \"\": \"empty key\"} ");
    ck_assert_int_eq(json_kind_of(v), JSON_OBJECT);
    ck_assert_uint_eq(json_object_len(v), 3);
    /* Keys in document order, not sorted. */
    ck_assert_str_eq(json_string(json_object_key(v, 0), NULL), "b");
    ck_assert_str_eq(json_string(json_object_key(v, 1), NULL), "a");
    ck_assert_str_eq(json_string(json_object_key(v, 2), NULL), "");
    ck_assert_ptr_null(json_object_key(v, 3));
    ck_assert_ptr_eq(json_object_value(v, 0), json_get(v, "b"));

    const json_value *b = json_get(v, "b");
    ck_assert_int_eq(json_kind_of(b), JSON_ARRAY);
    ck_assert_uint_eq(json_array_len(b), 7);
    ck_assert(json_number(json_array_item(b, 0)) == 1.0);
    ck_assert_str_eq(json_string(json_array_item(b, 1), NULL), "two");
    ck_assert_int_eq(json_kind_of(json_array_item(b, 2)), JSON_BOOL);
    ck_assert(json_bool(json_array_item(b, 2)));
    ck_assert(!json_bool(json_array_item(b, 3)));
    ck_assert_int_eq(json_kind_of(json_array_item(b, 4)), JSON_NULL);
    ck_assert_int_eq(json_kind_of(json_array_item(b, 5)), JSON_OBJECT);
    ck_assert_uint_eq(json_object_len(json_array_item(b, 5)), 0);
    ck_assert_int_eq(json_kind_of(json_array_item(b, 6)), JSON_ARRAY);
    ck_assert_uint_eq(json_array_len(json_array_item(b, 6)), 0);
    ck_assert_ptr_null(json_array_item(b, 7));

    ck_assert(json_number(json_get(json_get(v, "a"), "x")) == -2.5);
    ck_assert_str_eq(json_string(json_get(v, ""), NULL), "empty key");
    ck_assert_ptr_null(json_get(v, "c"));
    ck_assert_ptr_null(json_get(v, "B"));
    json_free(v);

    /* Scalars at the top level. */
    v = parse_ok("\"s\"");
    ck_assert_str_eq(json_string(v, NULL), "s");
    json_free(v);
    v = parse_ok("null");
    ck_assert_int_eq(json_kind_of(v), JSON_NULL);
    json_free(v);
    v = parse_ok(" 7 ");
    ck_assert(json_number(v) == 7.0);
    json_free(v);
    json_free(NULL);
}
END_TEST

START_TEST(test_wrong_kind_accessors)
{
    json_value *v = parse_ok("[\"s\", 3, {\"k\": 1}]");
    const json_value *s = json_array_item(v, 0), *n = json_array_item(v, 1);
    const json_value *o = json_array_item(v, 2);
    size_t len = 99;
    ck_assert_ptr_null(json_string(n, &len));
    ck_assert_uint_eq(len, 99);
    ck_assert(isnan(json_number(s)));
    ck_assert_ptr_null(json_number_text(s, NULL));
    uint64_t u = 5;
    ck_assert(!json_number_u64(s, &u));
    ck_assert(!json_bool(n));
    ck_assert_uint_eq(json_array_len(o), 0);
    ck_assert_ptr_null(json_array_item(o, 0));
    ck_assert_uint_eq(json_object_len(v), 0);
    ck_assert_ptr_null(json_get(v, "k"));
    ck_assert_ptr_null(json_get(NULL, "k"));
    ck_assert_ptr_null(json_object_value(v, 0));
    ck_assert_ptr_null(json_string(NULL, NULL));
    json_free(v);
}
END_TEST

START_TEST(test_escapes)
{
    STRING_EQ("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t");
    STRING_EQ("\"a\\u0041\\u00e9\\u00E9\\u20ac\\uFFFF\"",
              "aA\xc3\xa9\xc3\xa9\xe2\x82\xac\xef\xbf\xbf");
    /* \u0000 is a NUL inside the string: the length carries it. */
    STRING_EQ("\"a\\u0000b\"", "a\0b");
    STRING_EQ("\"\\u0000\"", "\0");
    /* Raw UTF-8 passes through unchanged, escapes or not around it. */
    STRING_EQ("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    STRING_EQ("\"\xc3\xa9\\n\xf0\x9f\x98\x80\"", "\xc3\xa9\n\xf0\x9f\x98\x80");
    STRING_EQ("\"\"", "");
    /* DEL and non-ASCII need no escape. */
    STRING_EQ("\"\x7f\"", "\x7f");

    PARSE_ERR("\"\\q\"", "t.json:1:2: invalid escape '\\q' in string");
    PARSE_ERR("\"ab\\x41\"", "t.json:1:4: invalid escape '\\x' in string");
    PARSE_ERR("\"\\\x01\"", "t.json:1:2: invalid escape in string");
    PARSE_ERR("\"\\u12\"", "t.json:1:2: invalid \\u escape (needs four hex digits)");
    PARSE_ERR("\"\\u12g4\"", "t.json:1:2: invalid \\u escape (needs four hex digits)");
    PARSE_ERR("\"\\", "t.json:1:1: unterminated string");
    PARSE_ERR("\"\\u", "t.json:1:2: invalid \\u escape (needs four hex digits)");
}
END_TEST

START_TEST(test_surrogates)
{
    STRING_EQ("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80");
    STRING_EQ("\"\\uD834\\uDD1E!\"", "\xf0\x9d\x84\x9e!");
    STRING_EQ("\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf");
    STRING_EQ("\"\\uD800\\uDC00\"", "\xf0\x90\x80\x80");

    PARSE_ERR("\"\\ud800\"", "t.json:1:2: high surrogate \\uD800 not followed by a low surrogate");
    PARSE_ERR("\"x\\uD83Dy\"",
              "t.json:1:3: high surrogate \\uD83D not followed by a low surrogate");
    PARSE_ERR("\"\\ud800\\u0041\"",
              "t.json:1:2: high surrogate \\uD800 not followed by a low surrogate");
    /* Two high surrogates in a row. */
    PARSE_ERR("\"\\ud800\\ud800\"",
              "t.json:1:2: high surrogate \\uD800 not followed by a low surrogate");
    PARSE_ERR("\"\\ude00\"", "t.json:1:2: lone low surrogate \\uDE00");
    PARSE_ERR("\"\\ude00\\ud83d\"", "t.json:1:2: lone low surrogate \\uDE00");
    PARSE_ERR("\"\\ud800\\n\"",
              "t.json:1:2: high surrogate \\uD800 not followed by a low surrogate");
    /* Encoded surrogates in raw UTF-8 are invalid UTF-8 too. */
    PARSE_ERR("\"\xed\xa0\x80\"", "t.json:1:2: invalid UTF-8 in string");
}
END_TEST

START_TEST(test_strings_invalid)
{
    PARSE_ERR("\"abc", "t.json:1:1: unterminated string");
    PARSE_ERR("[\"a\", \"b", "t.json:1:7: unterminated string");
    PARSE_ERR("\"a\nb\"", "t.json:1:3: control character 0x0A in string (must be escaped)");
    PARSE_ERR("\"a\tb\"", "t.json:1:3: control character 0x09 in string (must be escaped)");
    PARSE_ERR("\"a\\n\x1f\"", "t.json:1:5: control character 0x1F in string (must be escaped)");
    PARSE_ERR("\"a\0b\"", "t.json:1:3: control character 0x00 in string (must be escaped)");
    PARSE_ERR("\"\xff\"", "t.json:1:2: invalid UTF-8 in string");
    PARSE_ERR("\"\xc3\"", "t.json:1:2: invalid UTF-8 in string");
    PARSE_ERR("\"\xc0\xaf\"", "t.json:1:2: invalid UTF-8 in string"); /* overlong '/' */
    PARSE_ERR("\"\xf4\x90\x80\x80\"", "t.json:1:2: invalid UTF-8 in string");
    PARSE_ERR("\"\\n\xe2\x82\"", "t.json:1:4: invalid UTF-8 in string");
    PARSE_ERR("'single'", "t.json:1:1: expected a value, found '''");
}
END_TEST

START_TEST(test_numbers)
{
    static const struct {
        const char *text;
        double value;
    } ok[] = {
        {"0", 0.0},
        {"-0", -0.0},
        {"123", 123.0},
        {"-45", -45.0},
        {"1.5", 1.5},
        {"-0.25", -0.25},
        {"1e3", 1000.0},
        {"1E-2", 0.01},
        {"2.5e+3", 2500.0},
        {"0.1", 0.1},
        {"1e0", 1.0},
        {"100000000000000", 1e14},
        {"9007199254740993", 9007199254740992.0}, /* rounds like strtod */
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        json_value *v = parse_ok(ok[i].text);
        ck_assert_int_eq(json_kind_of(v), JSON_NUMBER);
        ck_assert_msg(json_number(v) == ok[i].value, "%s", ok[i].text);
        size_t n;
        const char *t = json_number_text(v, &n);
        ck_assert_uint_eq(n, strlen(ok[i].text));
        ck_assert_int_eq(memcmp(t, ok[i].text, n), 0);
        json_free(v);
    }
    json_value *v = parse_ok("-0");
    ck_assert(signbit(json_number(v)));
    json_free(v);
    v = parse_ok("1e400");
    ck_assert(isinf(json_number(v)));
    json_free(v);

    /* A long number (slow path, heap copy) and the exact text kept. */
    char big[200];
    memset(big, '1', 150);
    strcpy(big + 150, ".5e-140");
    v = parse_ok(big);
    ck_assert(fabs(json_number(v) - 1.111111111e9) < 1.0);
    size_t n;
    json_number_text(v, &n);
    ck_assert_uint_eq(n, strlen(big));
    json_free(v);

    /* Exact 64-bit integers, where a double would round. */
    static const struct {
        const char *text;
        bool ok;
        uint64_t value;
    } u[] = {
        {"0", true, 0},
        {"42", true, 42},
        {"18446744073709551615", true, UINT64_MAX},
        {"9007199254740993", true, UINT64_C(9007199254740993)},
        {"18446744073709551616", false, 0},
        {"-1", false, 0},
        {"1.0", false, 0},
        {"1e2", false, 0},
        {"-0", false, 0},
    };
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) {
        v = parse_ok(u[i].text);
        uint64_t got = 777;
        ck_assert_msg(json_number_u64(v, &got) == u[i].ok, "%s", u[i].text);
        if (u[i].ok) ck_assert_msg(got == u[i].value, "%s", u[i].text);
        json_free(v);
    }

    PARSE_ERR("01", "t.json:1:1: leading zero in number");
    PARSE_ERR("[-01]", "t.json:1:3: leading zero in number");
    PARSE_ERR("-", "t.json:1:2: expected a digit, found end of input");
    PARSE_ERR("-a", "t.json:1:2: expected a digit, found 'a'");
    PARSE_ERR("1.", "t.json:1:3: expected a digit after '.', found end of input");
    PARSE_ERR("1.e5", "t.json:1:3: expected a digit after '.', found 'e'");
    PARSE_ERR(".5", "t.json:1:1: expected a value, found '.'");
    PARSE_ERR("+1", "t.json:1:1: expected a value, found '+'");
    PARSE_ERR("1e", "t.json:1:3: expected a digit in the exponent, found end of input");
    PARSE_ERR("1e+", "t.json:1:4: expected a digit in the exponent, found end of input");
    PARSE_ERR("0x10", "t.json:1:2: unexpected data after the JSON value");
    PARSE_ERR("NaN", "t.json:1:1: expected a value, found 'N'");
    PARSE_ERR("-Infinity", "t.json:1:2: expected a digit, found 'I'");
}
END_TEST

START_TEST(test_literals_and_syntax)
{
    PARSE_ERR("tru", "t.json:1:1: invalid literal (expected true)");
    PARSE_ERR("[nul]", "t.json:1:2: invalid literal (expected null)");
    PARSE_ERR("True", "t.json:1:1: expected a value, found 'T'");
    PARSE_ERR("falsey", "t.json:1:6: unexpected data after the JSON value");
    PARSE_ERR("[1,]", "t.json:1:4: expected a value, found ']'");
    PARSE_ERR("[1 2]", "t.json:1:4: expected ',' or ']', found '2'");
    PARSE_ERR("[1", "t.json:1:3: expected ',' or ']', found end of input");
    PARSE_ERR("{\"a\":1,}", "t.json:1:8: expected a string (object key), found '}'");
    PARSE_ERR("{\"a\" 1}", "t.json:1:6: expected ':' after the object key, found '1'");
    PARSE_ERR("{a:1}", "t.json:1:2: expected a string (object key), found 'a'");
    PARSE_ERR("{\"a\":1 \"b\":2}", "t.json:1:8: expected ',' or '}', found '\"'");
    PARSE_ERR("{\"a\":}", "t.json:1:6: expected a value, found '}'");
    PARSE_ERR("[1] // c", "t.json:1:5: unexpected data after the JSON value");
    PARSE_ERR("[\x01]", "t.json:1:2: expected a value, found byte 0x01");
    PARSE_ERR("[\0]", "t.json:1:2: expected a value, found byte 0x00");
    PARSE_ERR("\xef\xbb\xbf", "t.json:1:1: empty input (expected a JSON value)");
}
END_TEST

START_TEST(test_trailing_and_empty)
{
    PARSE_ERR("", "t.json:1:1: empty input (expected a JSON value)");
    PARSE_ERR(" \r\n\t\n  ", "t.json:3:3: empty input (expected a JSON value)");
    PARSE_ERR("{} x", "t.json:1:4: unexpected data after the JSON value");
    PARSE_ERR("[1] [2]", "t.json:1:5: unexpected data after the JSON value");
    /* Two jsonl lines are not one JSON document. */
    PARSE_ERR("{\"a\":1}\n{\"a\":2}\n", "t.json:2:1: unexpected data after the JSON value");
    PARSE_ERR("1 2", "t.json:1:3: unexpected data after the JSON value");
    PARSE_ERR("null\0", "t.json:1:5: unexpected data after the JSON value");

    /* Trailing whitespace of every kind is fine; a BOM at the start too. */
    json_value *v = parse_ok("[] \r\n\t");
    json_free(v);
    v = parse_ok("\xef\xbb\xbf{\"k\":\"v\"}");
    ck_assert_str_eq(json_string(json_get(v, "k"), NULL), "v");
    json_free(v);
    /* ... but only at the start, and it does not count as a column. */
    PARSE_ERR("[\xef\xbb\xbf]", "t.json:1:2: expected a value, found byte 0xEF");
    PARSE_ERR("\xef\xbb\xbf[x]", "t.json:1:2: expected a value, found 'x'");
}
END_TEST

START_TEST(test_error_positions)
{
    /* Line and column of the offending byte; the column counts characters,
     * so "é" and "€" before it count one each. */
    PARSE_ERR("{\n  \"a\": 1,\n  \"b\": tru\n}", "t.json:3:8: invalid literal (expected true)");
    PARSE_ERR("{\"\xc3\xa9\xe2\x82\xac\": x}", "t.json:1:8: expected a value, found 'x'");
    PARSE_ERR("[\r\n\"\xc3\xa9\",\r\n \"\\z\"]", "t.json:3:3: invalid escape '\\z' in string");
    /* A string with escapes earlier on the line does not shift the column
     * (the decoded copy is shorter than the text). */
    PARSE_ERR("[\"\\u00e9\\n\\t\", ?]", "t.json:1:16: expected a value, found '?'");
    PARSE_ERR("[\"abc\", \"d\", ?]", "t.json:1:14: expected a value, found '?'");
    /* The error names the input as given. */
    json_value *v = json_parse("some/dir/base.json", "[", 1, err, sizeof err);
    ck_assert_ptr_null(v);
    ck_assert_str_eq(err, "some/dir/base.json:1:2: expected a value, found end of input");
}
END_TEST

/* depth copies of open, then mid, then depth copies of close. */
static char *nested(int depth, const char *open, const char *mid, const char *close)
{
    size_t no = strlen(open), nm = strlen(mid), nc = strlen(close), len = 0;
    char *s = malloc((size_t)depth * (no + nc) + nm + 1);
    ck_assert_ptr_nonnull(s);
    for (int i = 0; i < depth; i++, len += no) memcpy(s + len, open, no);
    memcpy(s + len, mid, nm);
    len += nm;
    for (int i = 0; i < depth; i++, len += nc) memcpy(s + len, close, nc);
    s[len] = '\0';
    return s;
}

START_TEST(test_nesting_limit)
{
    ck_assert_int_eq(CRMLINT_JSON_MAX_DEPTH, 64);
    char *s = nested(64, "[", "", "]");
    json_value *v = parse_ok(s);
    const json_value *p = v;
    for (int i = 0; i < 63; i++) p = json_array_item(p, 0);
    ck_assert_int_eq(json_kind_of(p), JSON_ARRAY);
    ck_assert_uint_eq(json_array_len(p), 0);
    json_free(v);
    free(s);

    s = nested(65, "[", "", "]");
    ck_assert_ptr_null(parse(s));
    ck_assert_str_eq(err, "t.json:1:65: nesting deeper than 64 (CRMLINT_JSON_MAX_DEPTH)");
    free(s);

    s = nested(64, "{\"a\":", "0", "}");
    v = parse_ok(s);
    json_free(v);
    free(s);
    s = nested(65, "{\"a\":", "0", "}");
    ck_assert_ptr_null(parse(s));
    ck_assert_str_eq(err, "t.json:1:321: nesting deeper than 64 (CRMLINT_JSON_MAX_DEPTH)");
    free(s);

    /* Deep input well past the limit fails the same way, without recursing
     * further (no stack overflow). */
    s = nested(100000, "[", "", "]");
    ck_assert_ptr_null(parse(s));
    ck_assert_str_eq(err, "t.json:1:65: nesting deeper than 64 (CRMLINT_JSON_MAX_DEPTH)");
    free(s);
}
END_TEST

START_TEST(test_duplicate_keys)
{
    PARSE_ERR("{\"a\":1,\"b\":2,\"a\":3}", "t.json:1:14: duplicate key \"a\"");
    /* Escapes are decoded before comparing: "\u0061" is "a". */
    PARSE_ERR("{\"a\":1,\"\\u0061\":2}", "t.json:1:8: duplicate key \"a\"");
    /* Different keys that share a prefix or differ after a NUL are fine. */
    json_value *v = parse_ok("{\"a\":1,\"ab\":2,\"a\\u0000\":3,\"A\":4}");
    ck_assert_uint_eq(json_object_len(v), 4);
    size_t n;
    ck_assert_str_eq(json_string(json_object_key(v, 2), &n), "a");
    ck_assert_uint_eq(n, 2);
    json_free(v);
    /* Nested objects have their own keys. */
    v = parse_ok("{\"a\":{\"a\":{\"a\":1}}}");
    json_free(v);

    /* A large object (the sorting path): the first repeat in document order
     * is named, with a long key cut. */
    char doc[4096] = "{";
    for (int i = 0; i < 40; i++) {
        char m[64];
        snprintf(m, sizeof m, "%s\"k%02d\":%d", i ? "," : "", i, i);
        strcat(doc, m);
    }
    strcat(doc, "}");
    v = parse_ok(doc);
    ck_assert_uint_eq(json_object_len(v), 40);
    ck_assert(json_number(json_get(v, "k39")) == 39.0);
    json_free(v);
    /* "k07" repeated at the end, "k03" repeated earlier: k03 is reported. */
    doc[strlen(doc) - 1] = '\0';
    strcat(doc, ",\"k03\":0,\"k07\":0}");
    ck_assert_ptr_null(parse(doc));
    char expect[128];
    snprintf(expect, sizeof expect, "t.json:1:%zu: duplicate key \"k03\"",
             strlen(doc) - strlen("\"k03\":0,\"k07\":0}") + 1);
    ck_assert_str_eq(err, expect);

    PARSE_ERR("{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":1,"
              "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":2}",
              "t.json:1:57: duplicate key \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\"");
    PARSE_ERR("{\"\\n\":1,\"\\n\":2}", "t.json:1:9: duplicate key \"?\"");
}
END_TEST

START_TEST(test_large_array)
{
    /* Many items: the parser stack grows, values keep their order. */
    size_t count = 100000;
    char *doc = malloc(count * 12 + 16);
    ck_assert_ptr_nonnull(doc);
    size_t len = 0;
    doc[len++] = '[';
    for (size_t i = 0; i < count; i++)
        len += (size_t)sprintf(doc + len, "%s{\"i\":%zu}", i ? "," : "", i);
    doc[len++] = ']';
    json_value *v = parse_n(doc, len);
    ck_assert_msg(v != NULL, "%s", err);
    ck_assert_uint_eq(json_array_len(v), count);
    uint64_t got = 0;
    ck_assert(json_number_u64(json_get(json_array_item(v, 0), "i"), &got));
    ck_assert_uint_eq(got, 0);
    ck_assert(json_number_u64(json_get(json_array_item(v, count - 1), "i"), &got));
    ck_assert_uint_eq(got, count - 1);
    ck_assert(json_number_u64(json_get(json_array_item(v, 54321), "i"), &got));
    ck_assert_uint_eq(got, 54321);
    json_free(v);
    free(doc);
}
END_TEST

/* The caller's buffer is only read: parsing copies it. */
START_TEST(test_input_untouched)
{
    char doc[] = "{\"k\":\"plain\",\"e\":\"a\\nb\"}";
    char copy[sizeof doc];
    memcpy(copy, doc, sizeof doc);
    json_value *v = parse_ok(doc);
    ck_assert_int_eq(memcmp(doc, copy, sizeof doc), 0);
    memset(doc, 'x', sizeof doc - 1); /* the tree does not point into it */
    ck_assert_str_eq(json_string(json_get(v, "k"), NULL), "plain");
    ck_assert_str_eq(json_string(json_get(v, "e"), NULL), "a\nb");
    json_free(v);
}
END_TEST

static void write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_load_file)
{
    char path[] = "/tmp/crmlint-json-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);

    const char doc[] = "{\"findings\":[\n{\"rule\":\"r\\u00e9\",\"line\":3}\n]}\n";
    write_file(path, doc, sizeof doc - 1);
    json_value *v = json_load_file(path, err, sizeof err);
    ck_assert_msg(v != NULL, "%s", err);
    const json_value *f0 = json_array_item(json_get(v, "findings"), 0);
    ck_assert_str_eq(json_string(json_get(f0, "rule"), NULL), "r\xc3\xa9");
    json_free(v);

    /* Errors name the path, with a position for syntax errors. */
    write_file(path, "{\"findings\":[\n  {\"rule\": tru}]}", 31);
    ck_assert_ptr_null(json_load_file(path, err, sizeof err));
    char expect[256];
    snprintf(expect, sizeof expect, "%s:2:12: invalid literal (expected true)", path);
    ck_assert_str_eq(err, expect);

    write_file(path, "", 0);
    ck_assert_ptr_null(json_load_file(path, err, sizeof err));
    snprintf(expect, sizeof expect, "%s:1:1: empty input (expected a JSON value)", path);
    ck_assert_str_eq(err, expect);

    unlink(path);
    ck_assert_ptr_null(json_load_file(path, err, sizeof err));
    snprintf(expect, sizeof expect, "%s: cannot open: No such file or directory", path);
    ck_assert_str_eq(err, expect);

    ck_assert_ptr_null(json_load_file("/tmp", err, sizeof err));
    ck_assert_str_eq(err, "/tmp: cannot read: Is a directory");
}
END_TEST

/* A pipe has no size up front: the reader grows its buffer. */
START_TEST(test_load_pipe)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        FILE *w = fdopen(fds[1], "w");
        fputc('[', w);
        for (int i = 0; i < 50000; i++) fprintf(w, "%s\"item %d\"", i ? "," : "", i);
        fputc(']', w);
        fclose(w);
        _exit(0);
    }
    close(fds[1]);
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
    json_value *v = json_load_file(path, err, sizeof err);
    close(fds[0]);
    ck_assert_msg(v != NULL, "%s", err);
    ck_assert_uint_eq(json_array_len(v), 50000);
    ck_assert_str_eq(json_string(json_array_item(v, 49999), NULL), "item 49999");
    json_free(v);
}
END_TEST

/* Every allocation failing in turn: a clean "out of memory", no leak (ASan),
 * and eventually success. */
START_TEST(test_out_of_memory)
{
    const char *doc = "{\"a\":[1,2.5,\"x\\ny\",{\"b\":null}],\"c\":\"plain\"}";
    bool succeeded = false;
    for (unsigned long n = 1; n < 200 && !succeeded; n++) {
        xalloc_fail_after(n);
        json_value *v = json_parse("t.json", doc, strlen(doc), err, sizeof err);
        xalloc_fail_after(0);
        if (v) {
            succeeded = true;
            ck_assert_str_eq(json_string(json_get(v, "a") ? json_get(v, "c") : NULL, NULL),
                             "plain");
            json_free(v);
        } else {
            ck_assert_str_eq(err, "t.json: out of memory");
        }
    }
    ck_assert(succeeded);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, test_document);
    tcase_add_test(tc, test_wrong_kind_accessors);
    tcase_add_test(tc, test_escapes);
    tcase_add_test(tc, test_surrogates);
    tcase_add_test(tc, test_strings_invalid);
    tcase_add_test(tc, test_numbers);
    tcase_add_test(tc, test_literals_and_syntax);
    tcase_add_test(tc, test_trailing_and_empty);
    tcase_add_test(tc, test_error_positions);
    tcase_add_test(tc, test_nesting_limit);
    tcase_add_test(tc, test_duplicate_keys);
    tcase_add_test(tc, test_large_array);
    tcase_add_test(tc, test_input_untouched);
    suite_add_tcase(s, tc);
    tc = tcase_create("file");
    tcase_add_test(tc, test_load_file);
    tcase_add_test(tc, test_load_pipe);
    tcase_add_test(tc, test_out_of_memory);
    suite_add_tcase(s, tc);
    return s;
}

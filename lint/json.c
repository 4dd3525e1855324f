/*
 * json.c - strict RFC 8259 parser into an arena-allocated tree (see json.h).
 *
 * Speed and memory matter because a baseline can be a 300 MB report with a
 * million findings:
 *   - The document owns its text, NUL-terminated, so every scanning loop can
 *     stop on a sentinel instead of checking the end at each byte.
 *   - A string without escapes (nearly all of them) is not copied: the value
 *     points into the text and its closing quote is overwritten with a NUL.
 *     Only strings with escapes are decoded into the arena.
 *   - Values are 16 bytes; a container's children are collected on one
 *     parser stack and copied to the arena once, at their exact count, when
 *     the container closes.  Freeing a tree is freeing a few large chunks.
 *   - Line and column are computed only when there is an error, by counting
 *     from the start of the text, so the hot loops track nothing.
 */
#include "json.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "limits.h"
#include "text.h"
#include "xalloc.h"

typedef struct json_member json_member;

/* A number's value and text: numbers are rare enough in a report (a line or
 * two per finding) to live out of line and keep every value at 16 bytes. */
typedef struct json_num {
    double d;
    const char *text;
} json_num;

struct json_value {
    uint8_t kind;
    uint32_t len; /* string bytes, number text bytes, items, members; bool 0/1 */
    union {
        const char *s;
        json_num *num;
        json_value *items;
        json_member *members;
    } u;
};

struct json_member {
    json_value key;
    json_value value;
};

/* Arena chunks: header, then data, 16-byte aligned. */
typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
} chunk;

#define CHUNK_HDR ((sizeof(chunk) + 15) & ~(size_t)15)
#define CHUNK_MIN (64u * 1024u)
#define CHUNK_MAX (8u * 1024u * 1024u)

typedef struct json_doc {
    json_value root; /* first, so json_free can turn the root back into its doc */
    char *text;
    chunk *chunks;
    size_t next_chunk;
} json_doc;

/* A child being collected for the container that encloses it.  pos is the
 * key's offset in the text, for a duplicate-key message. */
typedef struct stack_entry {
    json_member m;
    size_t pos;
} stack_entry;

typedef struct parser {
    const char *name;
    json_doc *doc;
    unsigned char *text; /* after any byte order mark: positions count from here */
    const unsigned char *p, *end;
    stack_entry *stack;
    size_t top, cap;
    buf scratch; /* decoding strings with escapes */
    char *err;
    size_t errlen;
} parser;

static void *arena_alloc(json_doc *d, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    chunk *c = d->chunks;
    if (c == NULL || c->cap - c->used < n) {
        size_t cap = d->next_chunk > n ? d->next_chunk : n;
        c = xmalloc(CHUNK_HDR + cap);
        if (c == NULL) return NULL;
        c->next = d->chunks;
        c->used = 0;
        c->cap = cap;
        d->chunks = c;
        if (d->next_chunk < CHUNK_MAX) d->next_chunk *= 2;
    }
    void *p = (char *)c + CHUNK_HDR + c->used;
    c->used += n;
    return p;
}

/* ---- errors ---- */

static bool fail(parser *ps, const unsigned char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(parser *ps, const unsigned char *at, const char *fmt, ...)
{
    /* Raw line feeds occur only in whitespace (never inside a string), and
     * the only bytes the parser rewrites are closing quotes, so counting on
     * the text as it is now gives the original position. */
    size_t line = 1, col = 1;
    const unsigned char *ls = ps->text;
    for (const unsigned char *q = ps->text; q < at; q++)
        if (*q == '\n') line++, ls = q + 1;
    for (const unsigned char *q = ls; q < at; q++)
        if ((*q & 0xC0) != 0x80) col++;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(ps->err, ps->errlen, "%s:%zu:%zu: %s", ps->name, line, col, msg);
    return false;
}

static bool fail_oom(parser *ps)
{
    snprintf(ps->err, ps->errlen, "%s: out of memory", ps->name);
    return false;
}

/* "expected WHAT, found X" where X is the character, a byte or the end. */
static bool fail_expected(parser *ps, const unsigned char *at, const char *what)
{
    if (at >= ps->end) return fail(ps, at, "expected %s, found end of input", what);
    if (*at > 0x20 && *at < 0x7F) return fail(ps, at, "expected %s, found '%c'", what, *at);
    return fail(ps, at, "expected %s, found byte 0x%02X", what, *at);
}

/* ---- scanning ---- */

/* Bytes that end a run of plain string content: the quote, the backslash,
 * control characters (including the NUL sentinel) and non-ASCII bytes,
 * which are checked to be well-formed UTF-8. */
/* clang-format off */
static const unsigned char string_stop[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};
/* clang-format on */

static inline void skip_ws(parser *ps)
{
    const unsigned char *q = ps->p;
    while (*q == ' ' || *q == '\n' || *q == '\r' || *q == '\t') q++;
    ps->p = q;
}

static inline bool is_digit(unsigned c)
{
    return c - '0' < 10u;
}

static bool push(parser *ps, const json_value *key, const json_value *value, size_t pos)
{
    if (ps->top == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 64;
        stack_entry *s = xrealloc(ps->stack, cap * sizeof *s);
        if (s == NULL) return false;
        ps->stack = s;
        ps->cap = cap;
    }
    stack_entry *e = &ps->stack[ps->top++];
    if (key) e->m.key = *key;
    e->m.value = *value;
    e->pos = pos;
    return true;
}

static bool parse_value(parser *ps, json_value *out, int depth);

static int hexval(unsigned c)
{
    if (c - '0' < 10u) return (int)(c - '0');
    c |= 0x20;
    if (c - 'a' < 6u) return (int)(c - 'a' + 10);
    return -1;
}

/* Four hex digits at q; stops at the first non-hex byte, so the sentinel
 * keeps it inside the text. */
static bool hex4(const unsigned char *q, uint32_t *cp)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(q[i]);
        if (h < 0) return false;
        v = v << 4 | (uint32_t)h;
    }
    *cp = v;
    return true;
}

/* The part of parse_string after the first backslash: decode into scratch,
 * then copy to the arena.  q points at that backslash. */
static bool parse_string_escaped(parser *ps, json_value *out, const unsigned char *open,
                                 const unsigned char *q)
{
    buf *b = &ps->scratch;
    buf_reset(b);
    const unsigned char *run = open + 1;
    for (;;) {
        while (!string_stop[*q]) q++;
        unsigned c = *q;
        if (c >= 0x80) {
            uint32_t cp;
            size_t k = text_utf8_next((const char *)q, (size_t)(ps->end - q), &cp);
            if (k == 1) return fail(ps, q, "invalid UTF-8 in string");
            q += k;
            continue;
        }
        buf_add(b, run, (size_t)(q - run));
        if (c == '"') break;
        if (q >= ps->end) return fail(ps, open, "unterminated string");
        if (c != '\\')
            return fail(ps, q, "control character 0x%02X in string (must be escaped)", c);
        const unsigned char *esc = q;
        switch (q[1]) {
        case '"':
        case '\\':
        case '/':
            buf_addc(b, (char)q[1]);
            break;
        case 'b':
            buf_addc(b, '\b');
            break;
        case 'f':
            buf_addc(b, '\f');
            break;
        case 'n':
            buf_addc(b, '\n');
            break;
        case 'r':
            buf_addc(b, '\r');
            break;
        case 't':
            buf_addc(b, '\t');
            break;
        case 'u': {
            uint32_t cp, lo;
            if (!hex4(q + 2, &cp))
                return fail(ps, esc, "invalid \\u escape (needs four hex digits)");
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return fail(ps, esc, "lone low surrogate \\u%04X", (unsigned)cp);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (q[6] != '\\' || q[7] != 'u' || !hex4(q + 8, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                    return fail(ps, esc, "high surrogate \\u%04X not followed by a low surrogate",
                                (unsigned)cp);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                q += 6;
            }
            text_utf8_put(b, cp); /* \u0000 becomes a NUL byte */
            q += 4;
            break;
        }
        default:
            if (q + 1 >= ps->end) return fail(ps, open, "unterminated string");
            if (q[1] > 0x20 && q[1] < 0x7F)
                return fail(ps, esc, "invalid escape '\\%c' in string", q[1]);
            return fail(ps, esc, "invalid escape in string");
        }
        q += 2;
        run = q;
    }
    if (b->oom) return fail_oom(ps);
    char *s = arena_alloc(ps->doc, b->len + 1);
    if (s == NULL) return fail_oom(ps);
    if (b->len) memcpy(s, b->p, b->len);
    s[b->len] = '\0';
    out->kind = JSON_STRING;
    out->len = (uint32_t)b->len;
    out->u.s = s;
    ps->p = q + 1;
    return true;
}

static bool parse_string(parser *ps, json_value *out)
{
    const unsigned char *open = ps->p, *q = open + 1;
    for (;;) {
        while (!string_stop[*q]) q++;
        unsigned c = *q;
        if (c == '"') break;
        if (c >= 0x80) {
            uint32_t cp;
            size_t k = text_utf8_next((const char *)q, (size_t)(ps->end - q), &cp);
            if (k == 1) return fail(ps, q, "invalid UTF-8 in string");
            q += k;
            continue;
        }
        if (c == '\\') return parse_string_escaped(ps, out, open, q);
        if (q >= ps->end) return fail(ps, open, "unterminated string");
        return fail(ps, q, "control character 0x%02X in string (must be escaped)", c);
    }
    /* The text is the doc's own copy: the quote becomes the terminator. */
    ps->text[q - ps->text] = '\0';
    out->kind = JSON_STRING;
    out->len = (uint32_t)(q - open - 1);
    out->u.s = (const char *)open + 1;
    ps->p = q + 1;
    return true;
}

/* strtod for what the grammar has already accepted.  JSON always uses '.',
 * whatever LC_NUMERIC says. */
static bool slow_number(parser *ps, const unsigned char *s, size_t n, double *d)
{
    char tmp[64];
    char *t = n < sizeof tmp ? tmp : xmalloc(n + 1);
    if (t == NULL) return fail_oom(ps);
    memcpy(t, s, n);
    t[n] = '\0';
    const char *dp = localeconv()->decimal_point;
    if (dp && dp[0] && dp[0] != '.' && !dp[1]) {
        char *dot = memchr(t, '.', n);
        if (dot) *dot = dp[0];
    }
    *d = strtod(t, NULL);
    if (t != tmp) xfree(t);
    return true;
}

static bool parse_number(parser *ps, json_value *out)
{
    const unsigned char *s = ps->p, *q = s;
    bool neg = false, exact = true;
    uint64_t v = 0;
    int digits = 0;
    if (*q == '-') neg = true, q++;
    if (*q == '0') {
        q++;
        if (is_digit(*q)) return fail(ps, q - 1, "leading zero in number");
    } else if (is_digit(*q)) {
        for (; is_digit(*q); q++, digits++) v = v * 10 + (*q - '0');
        /* Up to 15 digits a double holds the integer exactly; beyond, let
         * strtod round (and avoid overflowing v). */
        if (digits > 15) exact = false;
    } else {
        return fail_expected(ps, q, "a digit");
    }
    if (*q == '.') {
        exact = false;
        q++;
        if (!is_digit(*q)) return fail_expected(ps, q, "a digit after '.'");
        while (is_digit(*q)) q++;
    }
    if (*q == 'e' || *q == 'E') {
        exact = false;
        q++;
        if (*q == '+' || *q == '-') q++;
        if (!is_digit(*q)) return fail_expected(ps, q, "a digit in the exponent");
        while (is_digit(*q)) q++;
    }
    json_num *num = arena_alloc(ps->doc, sizeof *num);
    if (num == NULL) return fail_oom(ps);
    num->text = (const char *)s;
    if (exact)
        num->d = neg ? -(double)v : (double)v;
    else if (!slow_number(ps, s, (size_t)(q - s), &num->d))
        return false;
    out->kind = JSON_NUMBER;
    out->len = (uint32_t)(q - s);
    out->u.num = num;
    ps->p = q;
    return true;
}

static bool parse_literal(parser *ps, json_value *out, const char *word, json_kind kind,
                          uint32_t len)
{
    const unsigned char *q = ps->p;
    size_t n = strlen(word);
    for (size_t i = 0; i < n; i++)
        if (q + i >= ps->end || q[i] != (unsigned char)word[i])
            return fail(ps, q, "invalid literal (expected %s)", word);
    out->kind = (uint8_t)kind;
    out->len = len;
    out->u.s = NULL;
    ps->p = q + n;
    return true;
}

/* Enters an array or object at ps->p: the depth check, the opening bracket,
 * and an immediate close.  1: the container is empty (and closed), 0: items
 * follow, -1: error. */
static int open_container(parser *ps, char close, int depth)
{
    if (depth > CRMLINT_JSON_MAX_DEPTH) {
        fail(ps, ps->p, "nesting deeper than %d (CRMLINT_JSON_MAX_DEPTH)", CRMLINT_JSON_MAX_DEPTH);
        return -1;
    }
    ps->p++;
    skip_ws(ps);
    if (*ps->p != close) return 0;
    ps->p++;
    return 1;
}

/* After an item: 0 another item follows (',' consumed), 1 the container
 * closed, -1 error. */
static int after_item(parser *ps, char close, const char *expected)
{
    skip_ws(ps);
    if (*ps->p == ',') {
        ps->p++;
        return 0;
    }
    if (*ps->p == close) {
        ps->p++;
        return 1;
    }
    fail_expected(ps, ps->p, expected);
    return -1;
}

static bool parse_array(parser *ps, json_value *out, int depth)
{
    size_t base = ps->top;
    int st = open_container(ps, ']', depth);
    while (st == 0) {
        json_value v;
        if (!parse_value(ps, &v, depth)) return false;
        if (!push(ps, NULL, &v, 0)) return fail_oom(ps);
        st = after_item(ps, ']', "',' or ']'");
    }
    if (st < 0) return false;
    size_t n = ps->top - base;
    json_value *items = NULL;
    if (n) {
        items = arena_alloc(ps->doc, n * sizeof *items);
        if (items == NULL) return fail_oom(ps);
        for (size_t i = 0; i < n; i++) items[i] = ps->stack[base + i].m.value;
    }
    ps->top = base;
    out->kind = JSON_ARRAY;
    out->len = (uint32_t)n;
    out->u.items = items;
    return true;
}

static bool key_eq(const json_value *a, const json_value *b)
{
    return a->len == b->len && memcmp(a->u.s, b->u.s, a->len) == 0;
}

static int entry_cmp(const void *pa, const void *pb)
{
    const stack_entry *a = *(const stack_entry *const *)pa;
    const stack_entry *b = *(const stack_entry *const *)pb;
    size_t n = a->m.key.len < b->m.key.len ? a->m.key.len : b->m.key.len;
    int c = memcmp(a->m.key.u.s, b->m.key.u.s, n);
    if (c) return c;
    if (a->m.key.len != b->m.key.len) return a->m.key.len < b->m.key.len ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static bool fail_duplicate(parser *ps, const stack_entry *e)
{
    /* Quote at most 40 bytes of the key, cut on a character boundary, with
     * control characters shown as '?' so the message stays one line. */
    char shown[48];
    size_t n = e->m.key.len, cut = n > 40 ? 40 : n;
    while (cut < n && cut > 0 && ((unsigned char)e->m.key.u.s[cut] & 0xC0) == 0x80) cut--;
    for (size_t i = 0; i < cut; i++) {
        unsigned char c = (unsigned char)e->m.key.u.s[i];
        shown[i] = c < 0x20 || c == 0x7F ? '?' : (char)c;
    }
    shown[cut] = '\0';
    return fail(ps, ps->text + e->pos, "duplicate key \"%s%s\"", shown, cut < n ? "..." : "");
}

/* Rejects an object that repeats a key, naming the first repeat in document
 * order.  Small objects (every finding) compare pairwise; large ones sort. */
static bool check_duplicates(parser *ps, size_t base)
{
    size_t n = ps->top - base;
    if (n < 2) return true; /* also: no stack yet, and NULL + 0 is undefined */
    stack_entry *e = ps->stack + base;
    if (n <= 16) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (key_eq(&e[i].m.key, &e[j].m.key)) return fail_duplicate(ps, &e[i]);
        return true;
    }
    stack_entry **sorted = xmalloc(n * sizeof *sorted);
    if (sorted == NULL) return fail_oom(ps);
    for (size_t i = 0; i < n; i++) sorted[i] = &e[i];
    qsort(sorted, n, sizeof *sorted, entry_cmp);
    const stack_entry *first = NULL;
    for (size_t i = 1; i < n; i++)
        if (key_eq(&sorted[i]->m.key, &sorted[i - 1]->m.key) &&
            (first == NULL || sorted[i]->pos < first->pos))
            first = sorted[i];
    xfree(sorted);
    return first == NULL || fail_duplicate(ps, first);
}

static bool parse_object(parser *ps, json_value *out, int depth)
{
    size_t base = ps->top;
    int st = open_container(ps, '}', depth);
    while (st == 0) {
        skip_ws(ps);
        if (*ps->p != '"') return fail_expected(ps, ps->p, "a string (object key)");
        size_t pos = (size_t)(ps->p - ps->text);
        json_value k, v;
        if (!parse_string(ps, &k)) return false;
        skip_ws(ps);
        if (*ps->p != ':') return fail_expected(ps, ps->p, "':' after the object key");
        ps->p++;
        if (!parse_value(ps, &v, depth)) return false;
        if (!push(ps, &k, &v, pos)) return fail_oom(ps);
        st = after_item(ps, '}', "',' or '}'");
    }
    if (st < 0) return false;
    if (!check_duplicates(ps, base)) return false;
    size_t n = ps->top - base;
    json_member *members = NULL;
    if (n) {
        members = arena_alloc(ps->doc, n * sizeof *members);
        if (members == NULL) return fail_oom(ps);
        for (size_t i = 0; i < n; i++) members[i] = ps->stack[base + i].m;
    }
    ps->top = base;
    out->kind = JSON_OBJECT;
    out->len = (uint32_t)n;
    out->u.members = members;
    return true;
}

/* depth: the number of containers around this value. */
static bool parse_value(parser *ps, json_value *out, int depth)
{
    skip_ws(ps);
    switch (*ps->p) {
    case '{':
        return parse_object(ps, out, depth + 1);
    case '[':
        return parse_array(ps, out, depth + 1);
    case '"':
        return parse_string(ps, out);
    case 't':
        return parse_literal(ps, out, "true", JSON_BOOL, 1);
    case 'f':
        return parse_literal(ps, out, "false", JSON_BOOL, 0);
    case 'n':
        return parse_literal(ps, out, "null", JSON_NULL, 0);
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
        return parse_number(ps, out);
    default:
        return fail_expected(ps, ps->p, "a value");
    }
}

/* Parses text[0..len), which must be xmalloc'd with text[len] == '\0'; the
 * document takes it over (freed here on failure). */
static json_value *parse_owned(const char *name, char *text, size_t len, char *err, size_t errlen)
{
    json_doc *d = xcalloc(1, sizeof *d);
    if (d == NULL) {
        xfree(text);
        snprintf(err, errlen, "%s: out of memory", name);
        return NULL;
    }
    d->text = text;
    d->next_chunk = CHUNK_MIN;
    parser ps;
    memset(&ps, 0, sizeof ps);
    ps.name = name;
    ps.doc = d;
    ps.text = (unsigned char *)text;
    ps.end = ps.text + len;
    ps.err = err;
    ps.errlen = errlen;
    ps.scratch = (buf)BUF_INIT;
    bool ok = false;
    if (len > CRMLINT_BASELINE_MAX_BYTES) {
        snprintf(err, errlen,
                 "%s: JSON text too large (%zu bytes, limit %u, "
                 "CRMLINT_BASELINE_MAX_BYTES)",
                 name, len, CRMLINT_BASELINE_MAX_BYTES);
        goto cleanup;
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) ps.text += 3;
    ps.p = ps.text;
    skip_ws(&ps);
    if (ps.p >= ps.end) {
        fail(&ps, ps.p, "empty input (expected a JSON value)");
        goto cleanup;
    }
    if (!parse_value(&ps, &d->root, 0)) goto cleanup;
    skip_ws(&ps);
    if (ps.p < ps.end) {
        fail(&ps, ps.p, "unexpected data after the JSON value");
        goto cleanup;
    }
    ok = true;
cleanup:
    xfree(ps.stack);
    buf_free(&ps.scratch);
    if (!ok) {
        json_free(&d->root);
        return NULL;
    }
    return &d->root;
}

json_value *json_parse(const char *name, const char *data, size_t len, char *err, size_t errlen)
{
    if (len > CRMLINT_BASELINE_MAX_BYTES) {
        snprintf(err, errlen,
                 "%s: JSON text too large (%zu bytes, limit %u, "
                 "CRMLINT_BASELINE_MAX_BYTES)",
                 name, len, CRMLINT_BASELINE_MAX_BYTES);
        return NULL;
    }
    char *text = xmalloc(len + 1);
    if (text == NULL) {
        snprintf(err, errlen, "%s: out of memory", name);
        return NULL;
    }
    if (len) memcpy(text, data, len);
    text[len] = '\0';
    return parse_owned(name, text, len, err, errlen);
}

json_value *json_load_file(const char *path, char *err, size_t errlen)
{
    const size_t max = CRMLINT_BASELINE_MAX_BYTES;
    char *text = NULL;
    size_t len = 0, cap = 65536;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
        if ((uint64_t)st.st_size > max) goto too_large;
        /* Room for the whole file, one byte to see the end, the sentinel. */
        cap = (size_t)st.st_size + 2;
    }
    text = xmalloc(cap);
    if (text == NULL) goto oom;
    for (;;) {
        if (len + 1 >= cap) { /* a pipe, or a file that grew */
            size_t ncap = cap > (max + 2) / 2 ? max + 2 : cap * 2;
            char *t = xrealloc(text, ncap);
            if (t == NULL) goto oom;
            text = t;
            cap = ncap;
        }
        size_t k = fread(text + len, 1, cap - 1 - len, f);
        len += k;
        if (len > max) goto too_large;
        if (k == 0) break;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        goto fail;
    }
    fclose(f);
    text[len] = '\0';
    return parse_owned(path, text, len, err, errlen);
too_large:
    snprintf(err, errlen, "%s: JSON file too large (limit %u bytes, CRMLINT_BASELINE_MAX_BYTES)",
             path, CRMLINT_BASELINE_MAX_BYTES);
    goto fail;
oom:
    snprintf(err, errlen, "%s: out of memory", path);
fail:
    fclose(f);
    xfree(text);
    return NULL;
}

void json_free(json_value *root)
{
    if (root == NULL) return;
    json_doc *d = (json_doc *)(void *)root;
    chunk *c = d->chunks;
    while (c) {
        chunk *next = c->next;
        xfree(c);
        c = next;
    }
    xfree(d->text);
    xfree(d);
}

/* ---- accessors ---- */

json_kind json_kind_of(const json_value *v)
{
    return (json_kind)v->kind;
}

const char *json_string(const json_value *v, size_t *len)
{
    if (v == NULL || v->kind != JSON_STRING) return NULL;
    if (len) *len = v->len;
    return v->u.s;
}

double json_number(const json_value *v)
{
    if (v == NULL || v->kind != JSON_NUMBER) return NAN;
    return v->u.num->d;
}

const char *json_number_text(const json_value *v, size_t *len)
{
    if (v == NULL || v->kind != JSON_NUMBER) return NULL;
    if (len) *len = v->len;
    return v->u.num->text;
}

bool json_number_u64(const json_value *v, uint64_t *out)
{
    if (v == NULL || v->kind != JSON_NUMBER) return false;
    const char *s = v->u.num->text;
    uint64_t n = 0;
    for (uint32_t i = 0; i < v->len; i++) {
        unsigned d = (unsigned char)s[i] - '0';
        if (d > 9) return false;
        if (n > (UINT64_MAX - d) / 10) return false;
        n = n * 10 + d;
    }
    *out = n;
    return true;
}

bool json_bool(const json_value *v)
{
    return v != NULL && v->kind == JSON_BOOL && v->len;
}

size_t json_array_len(const json_value *v)
{
    return v != NULL && v->kind == JSON_ARRAY ? v->len : 0;
}

const json_value *json_array_item(const json_value *v, size_t i)
{
    if (v == NULL || v->kind != JSON_ARRAY || i >= v->len) return NULL;
    return &v->u.items[i];
}

size_t json_object_len(const json_value *v)
{
    return v != NULL && v->kind == JSON_OBJECT ? v->len : 0;
}

const json_value *json_object_key(const json_value *v, size_t i)
{
    if (v == NULL || v->kind != JSON_OBJECT || i >= v->len) return NULL;
    return &v->u.members[i].key;
}

const json_value *json_object_value(const json_value *v, size_t i)
{
    if (v == NULL || v->kind != JSON_OBJECT || i >= v->len) return NULL;
    return &v->u.members[i].value;
}

const json_value *json_get(const json_value *obj, const char *key)
{
    if (obj == NULL || obj->kind != JSON_OBJECT) return NULL;
    size_t n = strlen(key);
    for (uint32_t i = 0; i < obj->len; i++) {
        const json_value *k = &obj->u.members[i].key;
        if (k->len == n && memcmp(k->u.s, key, n) == 0) return &obj->u.members[i].value;
    }
    return NULL;
}

/*
 * normalize.c - the value normalisers (see normalize.h for the definitions).
 *
 * `unique` and `similar` normalise every value of a column, so each
 * normaliser writes straight into the caller's reused buffer and never
 * allocates a temporary: company and domain case-fold into `out` first and
 * then edit the folded bytes in place, which is safe because every edit
 * (deleting, collapsing punctuation to one space, dropping words) only
 * shortens the text.
 */
#include "normalize.h"

#include <string.h>

#include <utf8proc.h>

#include "text.h"

static const char *const norm_names[] = {"exact", "trim",    "lower", "email",
                                         "phone", "company", "domain"};

#define NORM__COUNT (sizeof norm_names / sizeof norm_names[0])

bool normalizer_parse(const char *name, normalizer *out)
{
    for (size_t k = 0; k < NORM__COUNT; k++) {
        if (strcmp(name, norm_names[k]) == 0) {
            *out = (normalizer)k;
            return true;
        }
    }
    return false;
}

const char *normalizer_name(normalizer n)
{
    return (unsigned)n < NORM__COUNT ? norm_names[n] : "unknown";
}

static inline bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static inline unsigned char ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* ---- phone ------------------------------------------------------------- */

/* Where the value ends once a final extension ("x123", "ext 123",
 * "ext. 123", any case) is removed.  The same grammar as the `phone` format
 * kind (formats.c), so a value the format accepts normalises to the number
 * it validated. */
static size_t phone_strip_extension(const unsigned char *p, size_t n)
{
    size_t e = n;
    while (e > 0 && is_digit(p[e - 1])) e--;
    if (e == n) return n;
    while (e > 0 && p[e - 1] == ' ') e--;
    if (e >= 1 && ascii_lower(p[e - 1]) == 'x') return e - 1;
    if (e >= 4 && p[e - 1] == '.' && ascii_lower(p[e - 2]) == 't' && ascii_lower(p[e - 3]) == 'x' &&
        ascii_lower(p[e - 4]) == 'e')
        return e - 4;
    if (e >= 3 && ascii_lower(p[e - 1]) == 't' && ascii_lower(p[e - 2]) == 'x' &&
        ascii_lower(p[e - 3]) == 'e')
        return e - 3;
    return n;
}

static size_t count_digits(const char *s)
{
    size_t k = 0;
    for (; *s; s++)
        if (is_digit((unsigned char)*s)) k++;
    return k;
}

/* True when d[0..nd) starts with the digits of cc (which has ncc of them). */
static bool starts_with_digits(const char *d, size_t nd, const char *cc, size_t ncc)
{
    if (nd < ncc) return false;
    size_t k = 0;
    for (; *cc; cc++) {
        if (!is_digit((unsigned char)*cc)) continue;
        if (d[k++] != *cc) return false;
    }
    return true;
}

static void norm_phone(slice raw, const char *default_cc, buf *out)
{
    slice t = text_trim(raw);
    const unsigned char *p = (const unsigned char *)t.p;
    size_t n = phone_strip_extension(p, t.n);
    size_t ncc = default_cc ? count_digits(default_cc) : 0;

    /* The number can only shrink, plus the country code in front. */
    if (!buf_reserve(out, n + ncc)) return;
    size_t start = out->len;
    char *d = out->p + start;
    size_t nd = 0;
    bool carries_cc = false, seen = false;
    for (size_t i = 0; i < n; i++) {
        if (is_digit(p[i])) {
            d[nd++] = (char)p[i];
            seen = true;
        } else if (p[i] == '+' && !seen) {
            carries_cc = true;
            seen = true;
        }
    }
    if (!carries_cc && nd >= 2 && d[0] == '0' && d[1] == '0') {
        carries_cc = true;
        nd -= 2;
        memmove(d, d + 2, nd);
    }
    /* No digits is no number: an empty key, whatever the country code. */
    if (nd > 0 && !carries_cc && ncc > 0 &&
        !(nd > 10 && starts_with_digits(d, nd, default_cc, ncc))) {
        memmove(d + ncc, d, nd);
        size_t k = 0;
        for (const char *c = default_cc; *c; c++)
            if (is_digit((unsigned char)*c)) d[k++] = *c;
        nd += ncc;
    }
    out->len = start + nd;
    out->p[out->len] = '\0';
}

/* ---- company ----------------------------------------------------------- */

static const char *const legal_forms[] = {"inc",         "llc", "ltd", "limited", "gmbh", "corp",
                                          "corporation", "co",  "plc", "sa",      "ag"};

static bool is_legal_form(const char *w, size_t n)
{
    for (size_t k = 0; k < sizeof legal_forms / sizeof legal_forms[0]; k++)
        if (strlen(legal_forms[k]) == n && memcmp(legal_forms[k], w, n) == 0) return true;
    return false;
}

/* Punctuation, symbols, separators and controls end a word.  U+FFFD is a
 * symbol, but here it stands for an undecodable letter more often than not
 * ("M\xFCller" in a mis-declared latin-1 file), so it stays in the word. */
static bool is_word_break(uint32_t cp)
{
    if (cp == 0xFFFD) return false;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_CC;
}

static void norm_company(slice raw, buf *out)
{
    size_t start = out->len;
    text_casefold(out, text_trim(raw));
    if (out->oom || out->len == start) return;

    char *p = out->p;
    size_t end = out->len, r = start, w = start;
    bool gap = false; /* a word break since the last kept character */
    while (r < end) {
        unsigned char c = (unsigned char)p[r];
        uint32_t cp = c;
        size_t k = 1;
        if (c >= 0x80) k = text_utf8_next(p + r, end - r, &cp);
        if (c == '.' || c == '\'' || cp == 0x2019) {
            r += k;
            continue;
        }
        bool brk = c < 0x80 ? !(is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
                            : is_word_break(cp);
        if (brk) {
            gap = true;
            r += k;
            continue;
        }
        /* w < r here whenever gap is set (the break consumed a byte), so
         * the space never overwrites unread text. */
        if (gap && w > start) p[w++] = ' ';
        gap = false;
        memmove(p + w, p + r, k);
        w += k;
        r += k;
    }

    /* Drop trailing legal forms, all of them (SPEC: "removed repeatedly"): a
     * name that is only a legal form normalises to empty, and an empty key
     * is ignored by the rules rather than matching every other such name. */
    for (;;) {
        size_t s = w;
        while (s > start && p[s - 1] != ' ') s--;
        if (w == start || !is_legal_form(p + s, w - s)) break;
        w = s > start ? s - 1 : start;
    }
    out->len = w;
    p[w] = '\0';
}

/* ---- domain ------------------------------------------------------------ */

static bool prefix_nocase(const char *p, size_t n, const char *pre)
{
    size_t k = strlen(pre);
    if (n < k) return false;
    for (size_t i = 0; i < k; i++)
        if (ascii_lower((unsigned char)p[i]) != (unsigned char)pre[i]) return false;
    return true;
}

static inline bool is_alpha(unsigned char c)
{
    return ascii_lower(c) >= 'a' && ascii_lower(c) <= 'z';
}

/* Length of a leading "scheme://", "//" or "mailto:" (0 when none). */
static size_t scheme_length(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    if (n >= 2 && p[0] == '/' && p[1] == '/') return 2;
    if (prefix_nocase(s, n, "mailto:")) return 7;
    if (n == 0 || !is_alpha(p[0])) return 0;
    size_t i = 1;
    while (i < n && (is_alpha(p[i]) || is_digit(p[i]) || p[i] == '+' || p[i] == '-' || p[i] == '.'))
        i++;
    if (i + 3 <= n && p[i] == ':' && p[i + 1] == '/' && p[i + 2] == '/') return i + 3;
    return 0;
}

static void norm_domain(slice raw, buf *out)
{
    slice t = text_trim(raw);
    const char *s = t.p;
    size_t n = t.n;
    size_t i = scheme_length(s, n);

    /* The authority ends at the path, query or fragment.  Cutting there
     * before looking for '@' keeps "medium.com/@acme" on medium.com. */
    size_t e = i;
    while (e < n && s[e] != '/' && s[e] != '?' && s[e] != '#') e++;
    size_t h = i;
    for (size_t k = i; k < e; k++)
        if (s[k] == '@') h = k + 1;
    size_t he = h;
    if (h < e && s[h] == '[') {
        while (he < e && s[he] != ']') he++;
        if (he < e) he++;
    } else {
        while (he < e && s[he] != ':') he++;
    }

    size_t start = out->len;
    text_casefold(out, slice_of(s + h, he - h));
    if (out->oom) return;
    if (out->len - start >= 4 && memcmp(out->p + start, "www.", 4) == 0) {
        memmove(out->p + start, out->p + start + 4, out->len - start - 4);
        out->len -= 4;
        out->p[out->len] = '\0';
    }
}

/* ---- dispatch ---------------------------------------------------------- */

void normalize(normalizer n, slice raw, const char *default_cc, buf *out)
{
    switch (n) {
    case NORM_EXACT:
        buf_add(out, raw.p, raw.n);
        break;
    case NORM_TRIM: {
        slice t = text_trim(raw);
        buf_add(out, t.p, t.n);
        break;
    }
    case NORM_LOWER:
    case NORM_EMAIL:
        text_casefold(out, text_trim(raw));
        break;
    case NORM_PHONE:
        norm_phone(raw, default_cc, out);
        break;
    case NORM_COMPANY:
        norm_company(raw, out);
        break;
    case NORM_DOMAIN:
        norm_domain(raw, out);
        break;
    }
}

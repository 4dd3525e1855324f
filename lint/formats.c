/*
 * formats.c - the `format` rule's kinds (SPEC §3 "Format kinds").
 *
 * Every checker is a hand-written scanner over the trimmed value: no PCRE2,
 * no allocation, no locale.  The format rule runs once per value of large
 * exports, and these grammars are small enough that a direct scan is both
 * faster than a regex and easier to check against the SPEC's definitions.
 */
#include "formats.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[FMT__COUNT] = {
    "email",   "phone",   "url",           "date",    "datetime", "number",
    "integer", "boolean", "salesforce_id", "country", "currency", "uuid",
};

static const char *const kind_phrases[FMT__COUNT] = {
    "an email address", "a phone number", "a URL",           "a date",
    "a datetime",       "a number",       "an integer",      "a boolean",
    "a Salesforce id",  "a country code", "a currency code", "a UUID",
};

bool format_kind_parse(const char *name, format_kind *out)
{
    for (int k = 0; k < FMT__COUNT; k++) {
        if (strcmp(name, kind_names[k]) == 0) {
            *out = (format_kind)k;
            return true;
        }
    }
    return false;
}

const char *format_kind_name(format_kind k)
{
    return (unsigned)k < FMT__COUNT ? kind_names[k] : "unknown";
}

const char *format_kind_phrase(format_kind k)
{
    return (unsigned)k < FMT__COUNT ? kind_phrases[k] : "a value";
}

/* ---- character classes (ASCII only, no locale) ------------------------- */

static inline bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}
static inline bool is_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
static inline bool is_alnum(unsigned char c)
{
    return is_digit(c) || is_alpha(c);
}
static inline bool is_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}
static inline unsigned char lower(unsigned char c)
{
    return is_upper(c) ? c + 32 : c;
}

static inline bool is_hex(unsigned char c)
{
    return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* ---- email ------------------------------------------------------------- */

/* Local-part characters of the SPEC regex: letters, digits and
 * .!#$%&'*+/=?^_`{|}~- */
static bool is_local_char(unsigned char c)
{
    static const char punct[] = ".!#$%&'*+/=?^_`{|}~-";
    return is_alnum(c) || (c != 0 && memchr(punct, c, sizeof punct - 1) != NULL);
}

/* The SPEC regex, by hand:
 *   local@label(.label)*.TLD
 * where a label is [A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])? and the TLD is
 * [A-Za-z]{2,}.  No local-part character is '@', so the first '@' splits. */
static bool check_email(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n && p[i] != '@') {
        if (!is_local_char(p[i])) return false;
        i++;
    }
    if (i == 0 || i == n) return false;
    i++; /* '@' */
    size_t labels = 0;
    bool last_all_alpha = false;
    size_t last_len = 0;
    for (;;) {
        size_t start = i;
        bool all_alpha = true;
        while (i < n && (is_alnum(p[i]) || p[i] == '-')) {
            if (!is_alpha(p[i])) all_alpha = false;
            i++;
        }
        size_t len = i - start;
        if (len == 0 || p[start] == '-' || p[i - 1] == '-') return false;
        labels++;
        last_all_alpha = all_alpha;
        last_len = len;
        if (i == n) break;
        if (p[i] != '.') return false;
        i++;
    }
    return labels >= 2 && last_all_alpha && last_len >= 2;
}

/* ---- phone ------------------------------------------------------------- */

/* Where the value ends once a final extension ("x123", "ext 123",
 * "ext. 123", any case, spaces allowed around the marker) is removed. */
static size_t phone_strip_extension(const unsigned char *p, size_t n)
{
    size_t e = n;
    while (e > 0 && is_digit(p[e - 1])) e--;
    if (e == n) return n; /* no digits at the end: no extension */
    while (e > 0 && p[e - 1] == ' ') e--;
    if (e >= 1 && lower(p[e - 1]) == 'x') return e - 1;
    if (e >= 4 && p[e - 1] == '.' && lower(p[e - 2]) == 't' && lower(p[e - 3]) == 'x' &&
        lower(p[e - 4]) == 'e')
        return e - 4;
    if (e >= 3 && lower(p[e - 1]) == 't' && lower(p[e - 2]) == 'x' && lower(p[e - 3]) == 'e')
        return e - 3;
    return n;
}

static bool check_phone(const unsigned char *p, size_t n)
{
    n = phone_strip_extension(p, n);
    size_t digits = 0;
    bool seen = false; /* a digit or the '+' */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') continue;
        if (c == '+' && !seen) {
            seen = true;
            continue;
        }
        if (!is_digit(c)) return false;
        seen = true;
        digits++;
    }
    return digits >= 7 && digits <= 15;
}

/* ---- url --------------------------------------------------------------- */

static bool prefix_nocase(const unsigned char *p, size_t n, const char *pre)
{
    size_t k = strlen(pre);
    if (n < k) return false;
    for (size_t i = 0; i < k; i++)
        if (lower(p[i]) != (unsigned char)pre[i]) return false;
    return true;
}

static bool check_url(const unsigned char *p, size_t n)
{
    size_t i = 0;
    if (prefix_nocase(p, n, "http://")) {
        i = 7;
    } else if (prefix_nocase(p, n, "https://")) {
        i = 8;
    }
    /* Host: non-empty labels of letters, digits and hyphens, at least one
     * dot. */
    size_t dots = 0, label = 0;
    for (; i < n; i++) {
        unsigned char c = p[i];
        if (is_alnum(c) || c == '-') {
            label++;
        } else if (c == '.') {
            if (label == 0) return false;
            dots++;
            label = 0;
        } else {
            break;
        }
    }
    if (label == 0 || dots == 0) return false;
    if (i < n && p[i] == ':') {
        size_t start = ++i;
        while (i < n && is_digit(p[i])) i++;
        if (i == start) return false;
    }
    return i == n || p[i] == '/' || p[i] == '?' || p[i] == '#';
}

/* ---- numbers and booleans ---------------------------------------------- */

/* [+-]?(D+(\.D*)?|\.D+)([eE][+-]?D+)? */
static bool check_number(const unsigned char *p, size_t n)
{
    size_t i = 0;
    if (i < n && (p[i] == '+' || p[i] == '-')) i++;
    size_t int_digits = 0, frac_digits = 0;
    while (i < n && is_digit(p[i])) i++, int_digits++;
    if (i < n && p[i] == '.') {
        i++;
        while (i < n && is_digit(p[i])) i++, frac_digits++;
    }
    if (int_digits == 0 && frac_digits == 0) return false;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-')) i++;
        size_t start = i;
        while (i < n && is_digit(p[i])) i++;
        if (i == start) return false;
    }
    return i == n;
}

static bool check_integer(const unsigned char *p, size_t n)
{
    size_t i = 0;
    if (i < n && (p[i] == '+' || p[i] == '-')) i++;
    if (i == n) return false;
    for (; i < n; i++)
        if (!is_digit(p[i])) return false;
    return true;
}

static bool eq_nocase(const unsigned char *p, size_t n, const char *w)
{
    return strlen(w) == n && prefix_nocase(p, n, w);
}

static bool check_boolean(const unsigned char *p, size_t n)
{
    return eq_nocase(p, n, "true") || eq_nocase(p, n, "false") || eq_nocase(p, n, "yes") ||
           eq_nocase(p, n, "no") || eq_nocase(p, n, "1") || eq_nocase(p, n, "0");
}

/* Significant digits handed to strtod; beyond these the value is the same
 * double in all but contrived cases. */
#define NUM_SIG_DIGITS 40

bool format_parse_number(slice v, double *out)
{
    const unsigned char *p = (const unsigned char *)v.p;
    size_t n = v.n, i = 0;
    if (!check_number(p, n)) return false;

    /* Rewritten as <sign><integer mantissa>e<exponent>: bounded in length
     * whatever was written, and free of the locale's decimal point. */
    char tmp[NUM_SIG_DIGITS + 32];
    size_t t = 0;
    if (p[i] == '+' || p[i] == '-') {
        if (p[i] == '-') tmp[t++] = '-';
        i++;
    }
    int sig = 0;
    int64_t adj = 0; /* power of ten the mantissa must be scaled by */
    for (; i < n && is_digit(p[i]); i++) {
        if (sig == 0 && p[i] == '0') continue;
        if (sig < NUM_SIG_DIGITS) {
            tmp[t++] = (char)p[i];
            sig++;
        } else {
            adj++;
        }
    }
    if (i < n && p[i] == '.') {
        for (i++; i < n && is_digit(p[i]); i++) {
            if (sig < NUM_SIG_DIGITS) {
                if (sig > 0 || p[i] != '0') tmp[t++] = (char)p[i], sig++;
                adj--;
            }
        }
    }
    if (sig == 0) tmp[t++] = '0';
    int64_t e = 0;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        bool neg = false;
        if (p[i] == '+' || p[i] == '-') neg = p[i++] == '-';
        for (; i < n; i++) {
            if (e < 1000000000) e = e * 10 + (p[i] - '0');
        }
        if (neg) e = -e;
    }
    e += adj;
    if (e > 1000000000) e = 1000000000;
    if (e < -1000000000) e = -1000000000;
    snprintf(tmp + t, sizeof tmp - t, "e%lld", (long long)e);
    *out = strtod(tmp, NULL);
    return true;
}

/* ---- Salesforce ids ---------------------------------------------------- */

void format_sfid_suffix(const char *id15, char out[3])
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    for (int b = 0; b < 3; b++) {
        unsigned bits = 0;
        for (int j = 0; j < 5; j++)
            if (is_upper((unsigned char)id15[b * 5 + j])) bits |= 1u << j;
        out[b] = alphabet[bits];
    }
}

static bool check_sfid(const unsigned char *p, size_t n)
{
    if (n != 15 && n != 18) return false;
    for (size_t i = 0; i < n; i++)
        if (!is_alnum(p[i])) return false;
    if (n == 15) return true;
    char suffix[3];
    format_sfid_suffix((const char *)p, suffix);
    return memcmp(suffix, p + 15, 3) == 0;
}

/* ---- code lists -------------------------------------------------------- */

/* ISO 3166-1 alpha-2, the 249 officially assigned codes (no user-assigned
 * codes such as XK), sorted. */
static const char countries[] = "ADAEAFAGAIALAMAOAQARASATAUAWAXAZ"
                                "BABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ"
                                "CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZ"
                                "DEDJDKDMDODZ"
                                "ECEEEGEHERESET"
                                "FIFJFKFMFOFR"
                                "GAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGY"
                                "HKHMHNHRHTHU"
                                "IDIEILIMINIOIQIRISIT"
                                "JEJMJOJP"
                                "KEKGKHKIKMKNKPKRKWKYKZ"
                                "LALBLCLILKLRLSLTLULVLY"
                                "MAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZ"
                                "NANCNENFNGNINLNONPNRNUNZ"
                                "OM"
                                "PAPEPFPGPHPKPLPMPNPRPSPTPWPY"
                                "QA"
                                "RERORSRURW"
                                "SASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZ"
                                "TCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZ"
                                "UAUGUMUSUYUZ"
                                "VAVCVEVGVIVNVU"
                                "WFWS"
                                "YEYT"
                                "ZAZMZW";

/* ISO 4217 List One, active codes including funds and X codes (precious
 * metals, SDR, testing, no currency).  Withdrawn codes are not here: HRK
 * (2023), SLL (2024), ZWL (2024, now ZWG), VEF, MRO, STD.  ANG is kept while
 * XCG replaces it.  Sorted. */
static const char currencies[] = "AEDAFNALLAMDANGAOAARSAUDAWGAZN"
                                 "BAMBBDBDTBGNBHDBIFBMDBNDBOBBOVBRLBSDBTNBWPBYNBZD"
                                 "CADCDFCHECHFCHWCLFCLPCNYCOPCOUCRCCUCCUPCVECZK"
                                 "DJFDKKDOPDZD"
                                 "EGPERNETBEUR"
                                 "FJDFKP"
                                 "GBPGELGHSGIPGMDGNFGTQGYD"
                                 "HKDHNLHTGHUF"
                                 "IDRILSINRIQDIRRISK"
                                 "JMDJODJPY"
                                 "KESKGSKHRKMFKPWKRWKWDKYDKZT"
                                 "LAKLBPLKRLRDLSLLYD"
                                 "MADMDLMGAMKDMMKMNTMOPMRUMURMVRMWKMXNMXVMYRMZN"
                                 "NADNGNNIONOKNPRNZD"
                                 "OMR"
                                 "PABPENPGKPHPPKRPLNPYG"
                                 "QAR"
                                 "RONRSDRUBRWF"
                                 "SARSBDSCRSDGSEKSGDSHPSLESOSSRDSSPSTNSVCSYPSZL"
                                 "THBTJSTMTTNDTOPTRYTTDTWDTZS"
                                 "UAHUGXUSDUSNUYIUYUUYWUZS"
                                 "VEDVESVNDVUV"
                                 "WST"
                                 "XAFXAGXAUXBAXBBXBCXBDXCDXCGXDRXOFXPDXPFXPTXSUXTSXUAXXX"
                                 "YER"
                                 "ZARZMWZWG";

/* Binary search of a sorted run of fixed-width upper-case codes. */
static bool in_code_list(const char *list, size_t listlen, size_t width, const unsigned char *p,
                         size_t n)
{
    if (n != width) return false;
    for (size_t i = 0; i < n; i++)
        if (!is_upper(p[i])) return false;
    size_t lo = 0, hi = listlen / width;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(list + mid * width, p, width);
        if (c == 0) return true;
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return false;
}

/* ---- uuid -------------------------------------------------------------- */

static bool check_uuid(const unsigned char *p, size_t n)
{
    if (n != 36) return false;
    for (size_t i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? p[i] != '-' : !is_hex(p[i])) return false;
    }
    return true;
}

/* ---- dispatch ---------------------------------------------------------- */

bool format_check(format_kind k, slice v)
{
    const unsigned char *p = (const unsigned char *)v.p;
    size_t n = v.n;
    switch (k) {
    case FMT_EMAIL:
        return check_email(p, n);
    case FMT_PHONE:
        return check_phone(p, n);
    case FMT_URL:
        return check_url(p, n);
    case FMT_NUMBER:
        return check_number(p, n);
    case FMT_INTEGER:
        return check_integer(p, n);
    case FMT_BOOLEAN:
        return check_boolean(p, n);
    case FMT_SALESFORCE_ID:
        return check_sfid(p, n);
    case FMT_COUNTRY:
        return in_code_list(countries, sizeof countries - 1, 2, p, n);
    case FMT_CURRENCY:
        return in_code_list(currencies, sizeof currencies - 1, 3, p, n);
    case FMT_UUID:
        return check_uuid(p, n);
    case FMT_DATE:
    case FMT_DATETIME:
    case FMT__COUNT:
        break;
    }
    return false; /* dates need a parser: format_check_date */
}

bool format_check_date(format_kind k, const dt_parser *p, bool column_is_date, slice v)
{
    dt_value d;
    if (k == FMT_DATETIME) return dt_parse(p, v.p, v.n, &d);
    if (k != FMT_DATE) return format_check(k, v);
    if (column_is_date) return dt_parse_date(p, v.p, v.n, &d);
    if (!dt_parse(p, v.p, v.n, &d)) return false;
    return d.date_only || (d.midnight && !d.has_offset);
}

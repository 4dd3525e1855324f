/*
 * test_csvscan.c - record boundaries found without parsing must be exactly
 * where libcsv (through the reader) ends records: for random CSV-like text,
 * parsing the text in pieces cut at the boundaries the scanner reports gives
 * the same records, fields and line numbers as parsing it whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvscan.h"
#include "reader.h"
#include "unit.h"

/* A record as text: fields joined by '|', then the lines. */
static void dump_records(reader *r, char *out, size_t cap)
{
    size_t len = 0;
    record rec;
    out[0] = 0;
    while (reader_next(r, &rec, NULL, 0) > 0) {
        len += (size_t)snprintf(out + len, cap - len, "%llu-%llu/%u:", (unsigned long long)rec.line,
                                (unsigned long long)rec.end_line, rec.flags);
        for (size_t i = 0; i < rec.nfields && len < cap; i++) {
            size_t n = rec.fields[i].n < cap - len - 2 ? rec.fields[i].n : cap - len - 2;
            memcpy(out + len, rec.fields[i].p, n);
            len += n;
            out[len++] = '|';
        }
        if (len < cap) out[len++] = '\n';
        ck_assert_uint_lt(len, cap);
        out[len] = 0;
    }
}

static uint64_t count_lf(const char *p, size_t n)
{
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++) k += p[i] == '\n';
    return k;
}

static void parse_whole_and_split(const char *text, size_t n, char delim, const size_t *cuts,
                                  size_t ncuts)
{
    static char whole[1 << 17], parts[1 << 17], piece[1 << 17];
    reader_opts o = {delim, ENC_UTF8};
    reader *r = reader_open_text("t.csv", &o, text, n, 1);
    ck_assert_ptr_nonnull(r);
    dump_records(r, whole, sizeof whole);
    reader_close(r);
    parts[0] = 0;
    size_t start = 0;
    for (size_t k = 0; k <= ncuts; k++) {
        size_t stop = k < ncuts ? cuts[k] : n;
        r = reader_open_text("t.csv", &o, text + start, stop - start, 1 + count_lf(text, start));
        ck_assert_ptr_nonnull(r);
        dump_records(r, piece, sizeof piece);
        reader_close(r);
        ck_assert_uint_lt(strlen(parts) + strlen(piece), sizeof parts);
        strcat(parts, piece);
        start = stop;
    }
    ck_assert_msg(strcmp(whole, parts) == 0, "cut at %zu boundaries:\n%s\n--- vs whole ---\n%s",
                  ncuts, parts, whole);
}

/* Every boundary, found as the splitter finds them: feed `step` bytes at a
 * time, take the first boundary reported, restart there.  Also checks the
 * counts and last boundaries of an uninterrupted scan against them. */
static size_t find_all(const char *text, size_t n, char delim, size_t step, size_t *cuts)
{
    csvscan s;
    csvscan_init(&s, delim);
    size_t ncuts = 0, pos = 0;
    while (pos < n) {
        size_t lim = n - pos < step ? n - pos : step, first, last;
        if (csvscan_feed(&s, text + pos, lim, &first, &last)) {
            ck_assert(first >= 1 && first <= last && last <= lim);
            ck_assert_int_eq(text[pos + first - 1], '\n');
            pos += first;
            cuts[ncuts++] = pos;
            csvscan_restart(&s);
        } else {
            ck_assert_uint_eq(first, 0);
            pos += lim;
        }
    }
    csvscan_init(&s, delim);
    size_t count = 0, final = 0;
    for (pos = 0; pos < n; pos += step) {
        size_t lim = n - pos < step ? n - pos : step, first, last;
        size_t k = csvscan_feed(&s, text + pos, lim, &first, &last);
        count += k;
        if (k) final = pos + last;
        if (k == 1) ck_assert_uint_eq(first, last);
    }
    ck_assert_uint_eq(count, ncuts);
    ck_assert_uint_eq(final, ncuts ? cuts[ncuts - 1] : 0);
    return ncuts;
}

/* Mostly regular CSV, the kind the 64-byte blocks take: quoted fields
 * with delimiters, CR, LF and doubled quotes inside, empty fields, CRLF and
 * blank lines, and now and then a stray quote or a quote followed by text,
 * which send a block to the byte machine. */
static size_t regular_csv(char *text, size_t cap, unsigned long *seed, char delim)
{
    size_t n = 0;
    while (n + 40 < cap) {
        *seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
        unsigned r = (unsigned)(*seed >> 33);
        static const char *const pieces[] = {"\"ab\"", "\"a\nb\"", "\"x\"\"y\"", "\"\"",
                                             "plain",  "\"c,d\"",  "\"e\rf\"",   "",
                                             "\"\n\"", "12",       "ab\"c",      "\"q\"z"};
        const char *piece = pieces[r % 12 < 10 || r % 97 == 0 ? r % 12 : r % 10];
        memcpy(text + n, piece, strlen(piece));
        n += strlen(piece);
        switch ((r >> 8) % 9) {
        case 0:
            text[n++] = '\n';
            break;
        case 1:
            text[n++] = '\r';
            text[n++] = '\n';
            break;
        case 2:
            text[n++] = '\n';
            text[n++] = '\n';
            break;
        default:
            text[n++] = delim;
            break;
        }
    }
    return n;
}

START_TEST(random_text_cuts_like_libcsv)
{
    static const char alphabet[] = {'a', 'b', ',', ',', '"', '"', '\n', '\n', '\r', ' ', ';'};
    unsigned long seed = 7;
    static char text[3000];
    static size_t cuts[3000];
    size_t total_cuts = 0;
    for (int it = 0; it < 6000; it++) {
        char delim = it % 4 == 3 ? ';' : ',';
        size_t n;
        if (it % 2) {
            n = regular_csv(text, 200 + (size_t)(it % 11) * 250, &seed, delim);
        } else {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            n = (seed >> 33) % 400;
            for (size_t i = 0; i < n; i++) {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                text[i] = alphabet[(seed >> 33) % sizeof alphabet];
            }
        }
        /* Steps below, at and above a block, and odd ones, so blocks start
         * in every state. */
        static const size_t steps[] = {1, 13, 64, 100, 129, 1000, 4096};
        size_t ncuts = find_all(text, n, delim, steps[it % 7], cuts);
        total_cuts += ncuts;
        parse_whole_and_split(text, n, delim, cuts, ncuts);
    }
    /* The texts must have had boundaries to check. */
    ck_assert_uint_gt(total_cuts, 50000);
}
END_TEST

/* Not a boundary: an LF inside quotes, after a quote kept as text, after
 * a doubled quote.  Boundaries: after a closed quoted field, after a stray
 * quote in an unquoted field. */
START_TEST(quote_states)
{
    size_t cuts[16];
    static const char t1[] = "a,\"x\ny\"\nb\n";
    ck_assert_uint_eq(find_all(t1, strlen(t1), ',', 64, cuts), 2);
    ck_assert_uint_eq(cuts[0], 8);
    static const char t2[] = "\"x\"y\nz\"\nq\n"; /* "x"y keeps the field open */
    ck_assert_uint_eq(find_all(t2, strlen(t2), ',', 64, cuts), 2);
    ck_assert_uint_eq(cuts[0], 8);
    static const char t3[] = "ab\"c\nd\n"; /* a stray quote is text */
    ck_assert_uint_eq(find_all(t3, strlen(t3), ',', 64, cuts), 2);
    ck_assert_uint_eq(cuts[0], 5);
    static const char t4[] = "\"a\"\"\nb\"\n"; /* doubled quote, still quoted */
    ck_assert_uint_eq(find_all(t4, strlen(t4), ',', 64, cuts), 1);
    ck_assert_uint_eq(cuts[0], 8);
    static const char t5[] = " \"a\nb\n"; /* a quote after a space is text */
    ck_assert_uint_eq(find_all(t5, strlen(t5), ',', 64, cuts), 2);
    ck_assert(csvscan_usable(',') && csvscan_usable('\t'));
    ck_assert(!csvscan_usable('"') && !csvscan_usable('\n') && !csvscan_usable('\r'));
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("csvscan");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, quote_states);
    tcase_add_test(tc, random_text_cuts_like_libcsv);
    suite_add_tcase(s, tc);
    return s;
}

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
    static char whole[1 << 16], parts[1 << 16], piece[1 << 16];
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

/* Every boundary the scanner finds, feeding it the text in pieces of
 * `step` bytes (its state must carry across calls). */
static size_t find_all(const char *text, size_t n, char delim, size_t step, size_t *cuts)
{
    csvscan s;
    csvscan_init(&s, delim);
    size_t ncuts = 0, pos = 0;
    while (pos < n) {
        size_t lim = n - pos < step ? n - pos : step, used;
        bool found = csvscan_find(&s, text + pos, lim, &used);
        ck_assert(found ? used >= 1 && text[pos + used - 1] == '\n' : used == lim);
        pos += used;
        if (found) cuts[ncuts++] = pos;
    }
    return ncuts;
}

START_TEST(random_text_cuts_like_libcsv)
{
    static const char alphabet[] = {'a', 'b', ',', ',', '"', '"', '\n', '\n', '\r', ' ', ';'};
    unsigned long seed = 7;
    char text[400];
    size_t cuts[400];
    size_t total_cuts = 0;
    for (int it = 0; it < 4000; it++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        size_t n = (seed >> 33) % sizeof text;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            text[i] = alphabet[(seed >> 33) % sizeof alphabet];
        }
        char delim = it % 4 == 3 ? ';' : ',';
        size_t step = 1 + (size_t)(it % 7) * 13;
        size_t ncuts = find_all(text, n, delim, step, cuts);
        total_cuts += ncuts;
        parse_whole_and_split(text, n, delim, cuts, ncuts);
    }
    /* The texts must have had boundaries to check. */
    ck_assert_uint_gt(total_cuts, 10000);
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

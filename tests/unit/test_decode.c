/*
 * test_decode.c - encoding names and the block decoder: BOM handling, the
 * single-byte tables, UTF-16 through iconv with units split across blocks,
 * and invalid input surviving as invalid UTF-8 bytes.
 */
#include <string.h>

#include "decode.h"
#include "unit.h"

/* Decodes in[0..n) fed in pieces of `step` bytes (0: one piece). */
static void decode(encoding e, const char *in, size_t n, size_t step, buf *out)
{
    char err[128];
    decoder *d = decoder_new(e, err, sizeof err);
    ck_assert_ptr_nonnull(d);
    buf_reset(out);
    if (step == 0) step = n ? n : 1;
    size_t off = 0;
    do {
        size_t k = n - off < step ? n - off : step;
        ck_assert(decoder_feed(d, in + off, k, false, out));
        off += k;
    } while (off < n);
    ck_assert(decoder_feed(d, NULL, 0, true, out));
    decoder_free(d);
}

#define ck_assert_buf(b, lit)                                                                      \
    do {                                                                                           \
        ck_assert_uint_eq((b).len, sizeof(lit) - 1);                                               \
        ck_assert_mem_eq((b).p, (lit), sizeof(lit) - 1);                                           \
    } while (0)

START_TEST(test_names)
{
    encoding e;
    ck_assert(encoding_parse("UTF-8", &e));
    ck_assert_int_eq(e, ENC_UTF8);
    ck_assert(encoding_parse("Windows-1252", &e));
    ck_assert_int_eq(e, ENC_WINDOWS_1252);
    ck_assert(encoding_parse("cp1252", &e));
    ck_assert_int_eq(e, ENC_WINDOWS_1252);
    ck_assert(encoding_parse("latin-1", &e));
    ck_assert_int_eq(e, ENC_LATIN1);
    ck_assert(encoding_parse("ISO-8859-1", &e));
    ck_assert_int_eq(e, ENC_LATIN1);
    ck_assert(encoding_parse("utf-16", &e));
    ck_assert_int_eq(e, ENC_UTF16);
    ck_assert(!encoding_parse("ebcdic", &e));
    ck_assert(!encoding_parse("", &e));
    ck_assert_str_eq(encoding_name(ENC_UTF8), "utf-8");
    ck_assert_str_eq(encoding_name(ENC_WINDOWS_1252), "windows-1252");
    ck_assert_str_eq(encoding_name(ENC_LATIN1), "latin-1");
    ck_assert_str_eq(encoding_name(ENC_UTF16), "utf-16");
}
END_TEST

START_TEST(test_utf8_bom)
{
    buf b = BUF_INIT;
    static const char bom[] = "\xEF\xBB\xBFId,Name\n";
    decode(ENC_UTF8, bom, sizeof bom - 1, 0, &b);
    ck_assert_buf(b, "Id,Name\n");
    /* The BOM split over three feeds is still a BOM. */
    decode(ENC_UTF8, bom, sizeof bom - 1, 1, &b);
    ck_assert_buf(b, "Id,Name\n");
    /* Two BOM bytes then data: the held bytes are data, kept as they are. */
    decode(ENC_UTF8,
           "\xEF\xBB"
           "A",
           3, 1, &b);
    ck_assert_buf(b, "\xEF\xBB"
                     "A");
    /* A BOM prefix and nothing else: kept (invalid bytes, not dropped). */
    decode(ENC_UTF8, "\xEF", 1, 0, &b);
    ck_assert_buf(b, "\xEF");
    /* Only a leading BOM goes; one later in the stream is data. */
    decode(ENC_UTF8, "a\xEF\xBB\xBF", 4, 0, &b);
    ck_assert_buf(b, "a\xEF\xBB\xBF");
    /* Invalid UTF-8 passes through untouched, NUL bytes too. */
    decode(ENC_UTF8, "x\xFF\x00y", 4, 2, &b);
    ck_assert_buf(b, "x\xFF\x00y");
    decode(ENC_UTF8, "", 0, 0, &b);
    ck_assert_uint_eq(b.len, 0);
    buf_free(&b);
}
END_TEST

START_TEST(test_windows_1252)
{
    buf b = BUF_INIT;
    decode(ENC_WINDOWS_1252,
           "Jos\xE9 G\xF3mez \x80"
           "5",
           13, 0, &b);
    ck_assert_buf(b, "Jos\xC3\xA9 G\xC3\xB3mez \xE2\x82\xAC"
                     "5");
    /* Smart quotes, dash, Y-diaeresis, no-break space. */
    decode(ENC_WINDOWS_1252, "\x93q\x94\x96\x9F\xA0", 6, 0, &b);
    ck_assert_buf(b, "\xE2\x80\x9Cq\xE2\x80\x9D\xE2\x80\x93\xC5\xB8\xC2\xA0");
    /* The five undefined bytes come out raw, i.e. invalid UTF-8. */
    decode(ENC_WINDOWS_1252, "\x81\x8D\x8F\x90\x9D", 5, 0, &b);
    ck_assert_buf(b, "\x81\x8D\x8F\x90\x9D");
    /* A UTF-8 BOM in Windows-1252 input is three ordinary characters. */
    decode(ENC_WINDOWS_1252,
           "\xEF\xBB\xBF"
           "A",
           4, 0, &b);
    ck_assert_buf(b, "\xC3\xAF\xC2\xBB\xC2\xBF"
                     "A");
    /* Long ASCII runs (the eight-byte path) with a high byte at odd spots. */
    static const char mixed[] = "abcdefghijklmnop\xF3qrstuvwxyz0123456\xE9";
    decode(ENC_WINDOWS_1252, mixed, sizeof mixed - 1, 5, &b);
    ck_assert_buf(b, "abcdefghijklmnop\xC3\xB3qrstuvwxyz0123456\xC3\xA9");
    buf_free(&b);
}
END_TEST

START_TEST(test_latin1)
{
    buf b = BUF_INIT;
    /* Latin-1 maps every byte to the code point of the same value. */
    decode(ENC_LATIN1,
           "\x80\x81\xF3\xFF"
           "a\x00",
           6, 0, &b);
    ck_assert_buf(b, "\xC2\x80\xC2\x81\xC3\xB3\xC3\xBF"
                     "a\x00");
    buf_free(&b);
}
END_TEST

START_TEST(test_utf16_bom)
{
    buf b = BUF_INIT;
    /* "Aé😀\n" little-endian with BOM; the pair is U+D83D U+DE00. */
    static const char le[] = "\xFF\xFE"
                             "A\x00"
                             "\xE9\x00"
                             "\x3D\xD8\x00\xDE"
                             "\n\x00";
    decode(ENC_UTF16, le, sizeof le - 1, 0, &b);
    ck_assert_buf(b, "A\xC3\xA9\xF0\x9F\x98\x80\n");
    /* Fed one byte at a time: odd bytes and half pairs wait for the rest. */
    decode(ENC_UTF16, le, sizeof le - 1, 1, &b);
    ck_assert_buf(b, "A\xC3\xA9\xF0\x9F\x98\x80\n");
    decode(ENC_UTF16, le, sizeof le - 1, 3, &b);
    ck_assert_buf(b, "A\xC3\xA9\xF0\x9F\x98\x80\n");
    static const char be[] = "\xFE\xFF"
                             "\x00"
                             "A"
                             "\x00\xF3"
                             "\xD8\x3D\xDE\x00";
    decode(ENC_UTF16, be, sizeof be - 1, 0, &b);
    ck_assert_buf(b, "A\xC3\xB3\xF0\x9F\x98\x80");
    decode(ENC_UTF16, be, sizeof be - 1, 1, &b);
    ck_assert_buf(b, "A\xC3\xB3\xF0\x9F\x98\x80");
    /* Empty input: nothing, not even a no-BOM marker. */
    decode(ENC_UTF16, "", 0, 0, &b);
    ck_assert_uint_eq(b.len, 0);
    buf_free(&b);
}
END_TEST

START_TEST(test_utf16_invalid)
{
    buf b = BUF_INIT;
    /* Lone high surrogate before 'x', lone low surrogate before 'y'. */
    static const char bad[] = "\xFF\xFE"
                              "a\x00"
                              "\x00\xD8"
                              "x\x00"
                              "\x00\xDC"
                              "y\x00";
    decode(ENC_UTF16, bad, sizeof bad - 1, 0, &b);
    ck_assert_buf(b, "a\xFFx\xFFy");
    decode(ENC_UTF16, bad, sizeof bad - 1, 1, &b);
    ck_assert_buf(b, "a\xFFx\xFFy");
    /* A high surrogate cut off by the end of input, then an odd byte. */
    decode(ENC_UTF16,
           "\xFF\xFE"
           "b\x00"
           "\x3D\xD8",
           6, 0, &b);
    ck_assert_buf(b, "b\xFF");
    decode(ENC_UTF16,
           "\xFF\xFE"
           "b\x00"
           "c",
           5, 0, &b);
    ck_assert_buf(b, "b\xFF");
    /* No BOM: little-endian assumed, flagged by a leading invalid byte. */
    decode(ENC_UTF16,
           "A\x00"
           "B\x00",
           4, 0, &b);
    ck_assert_buf(b, "\xFF"
                     "AB");
    decode(ENC_UTF16,
           "A\x00"
           "B\x00",
           4, 1, &b);
    ck_assert_buf(b, "\xFF"
                     "AB");
    buf_free(&b);
}
END_TEST

/* The decoder must report, not crash, when out cannot grow. */
START_TEST(test_out_of_memory)
{
    char err[64];
    decoder *d = decoder_new(ENC_WINDOWS_1252, err, sizeof err);
    ck_assert_ptr_nonnull(d);
    buf b = BUF_INIT;
    b.oom = true;
    ck_assert(!decoder_feed(d, "abc", 3, true, &b));
    decoder_free(d);
    buf_free(&b);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("decode");
    TCase *tc = tcase_create("decode");
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_utf8_bom);
    tcase_add_test(tc, test_windows_1252);
    tcase_add_test(tc, test_latin1);
    tcase_add_test(tc, test_utf16_bom);
    tcase_add_test(tc, test_utf16_invalid);
    tcase_add_test(tc, test_out_of_memory);
    suite_add_tcase(s, tc);
    return s;
}

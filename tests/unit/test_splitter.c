/*
 * test_splitter.c - cutting a file into chunks: the chunks put back together
 * are the decoded file, each starts on the line the file puts it on and
 * right after a record-ending LF, text is decoded before it is cut, and a
 * file with no place to cut goes on as an ordinary reader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "splitter.h"
#include "unit.h"

static char path[64];

static const char *write_file(const char *data, size_t n)
{
    snprintf(path, sizeof path, "/tmp/crmlint_split_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, data, n), (ssize_t)n);
    close(fd);
    return path;
}

static uint64_t lines_in(const char *p, size_t n)
{
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++) k += p[i] == '\n';
    return k;
}

START_TEST(chunks_rebuild_the_file)
{
    /* 2,000 records; every 10th holds a quoted line feed. */
    char *text = malloc(200000);
    size_t n = 0;
    n += (size_t)sprintf(text, "Id,Note\n");
    for (int i = 0; i < 2000; i++)
        n += (size_t)sprintf(text + n, i % 10 ? "%d,plain\n" : "%d,\"two\nlines\"\n", i);
    const char *p = write_file(text, n);
    char err[256];
    reader_opts o = {',', ENC_UTF8};
    splitter *sp = splitter_open(p, &o, err, sizeof err);
    ck_assert_ptr_nonnull(sp);
    splitter_set_sizes(sp, 100, 0);
    buf chunk = BUF_INIT, all = BUF_INIT;
    uint64_t line;
    int nchunks = 0;
    split_result r;
    while ((r = splitter_next(sp, &chunk, &line, err, sizeof err)) == SPLIT_CHUNK) {
        ck_assert_uint_eq(line, 1 + lines_in(all.p ? all.p : "", all.len));
        ck_assert_uint_ge(chunk.len, 100 < n - all.len ? 100 : n - all.len);
        /* Ends with a whole record: after an LF that is not inside quotes. */
        ck_assert_int_eq(chunk.p[chunk.len - 1], '\n');
        ck_assert(chunk.len < 7 || memcmp(chunk.p + chunk.len - 7, "\"two\n", 5) != 0);
        buf_add(&all, chunk.p, chunk.len);
        nchunks++;
    }
    ck_assert_int_eq(r, SPLIT_END);
    ck_assert_int_gt(nchunks, 100);
    ck_assert_uint_eq(all.len, n);
    ck_assert(memcmp(all.p, text, n) == 0);
    ck_assert_uint_eq(splitter_bytes_in(sp), n);
    splitter_close(sp);
    buf_free(&chunk);
    buf_free(&all);
    free(text);
    unlink(p);
}
END_TEST

START_TEST(decoded_before_cutting)
{
    /* Windows-1252: e-acute is one byte in the file, two in the chunk. */
    static const char w[] = "Name\nG\xE9rard\n\"a\nb\"\n";
    const char *p = write_file(w, sizeof w - 1);
    char err[256];
    reader_opts o = {',', ENC_WINDOWS_1252};
    splitter *sp = splitter_open(p, &o, err, sizeof err);
    ck_assert_ptr_nonnull(sp);
    splitter_set_sizes(sp, 1, 0);
    buf chunk = BUF_INIT;
    uint64_t line;
    ck_assert_int_eq(splitter_next(sp, &chunk, &line, err, sizeof err), SPLIT_CHUNK);
    ck_assert_uint_eq(line, 1);
    ck_assert_uint_eq(chunk.len, 5);
    ck_assert_int_eq(splitter_next(sp, &chunk, &line, err, sizeof err), SPLIT_CHUNK);
    ck_assert_uint_eq(line, 2);
    ck_assert_uint_eq(chunk.len, 8);
    ck_assert(memcmp(chunk.p, "G\xC3\xA9rard\n", 8) == 0);
    ck_assert_int_eq(splitter_next(sp, &chunk, &line, err, sizeof err), SPLIT_CHUNK);
    ck_assert_uint_eq(line, 3);
    ck_assert_uint_eq(chunk.len, 6); /* the quoted LF stays inside */
    ck_assert_int_eq(splitter_next(sp, &chunk, &line, err, sizeof err), SPLIT_END);
    splitter_close(sp);
    buf_free(&chunk);
    unlink(p);
}
END_TEST

START_TEST(no_boundary_goes_on_as_a_reader)
{
    /* Two records, then a quote that never closes: 100 lines inside it. */
    char text[4000];
    size_t n = (size_t)sprintf(text, "a,b\n1,2\n3,\"");
    for (int i = 0; i < 100; i++) n += (size_t)sprintf(text + n, "line %d\n", i);
    const char *p = write_file(text, n);
    char err[256];
    reader_opts o = {',', ENC_UTF8};
    splitter *sp = splitter_open(p, &o, err, sizeof err);
    splitter_set_sizes(sp, 4096, 200);
    buf chunk = BUF_INIT;
    uint64_t line;
    /* The records before the long one come first, as a chunk. */
    ck_assert_int_eq(splitter_next(sp, &chunk, &line, err, sizeof err), SPLIT_CHUNK);
    ck_assert_uint_eq(chunk.len, 8);
    ck_assert_int_eq(splitter_next(sp, &chunk, &line, err, sizeof err), SPLIT_NO_BOUNDARY);
    reader *r = splitter_rest(sp, err, sizeof err);
    ck_assert_ptr_nonnull(r);
    record rec;
    ck_assert_int_eq(reader_next(r, &rec, err, sizeof err), 1);
    ck_assert_uint_eq(rec.line, 3);
    ck_assert_uint_eq(rec.nfields, 2);
    ck_assert(rec.flags & REC_UNTERMINATED_QUOTE);
    ck_assert_uint_eq(rec.end_line, 102);
    ck_assert_int_eq(reader_next(r, &rec, err, sizeof err), 0);
    reader_close(r);
    splitter_close(sp);
    buf_free(&chunk);
    /* A delimiter that cannot be scanned for: nothing is cut. */
    reader_opts q = {'"', ENC_UTF8};
    sp = splitter_open(p, &q, err, sizeof err);
    ck_assert_int_eq(splitter_next(sp, &chunk, &line, err, sizeof err), SPLIT_NO_BOUNDARY);
    r = splitter_rest(sp, err, sizeof err);
    ck_assert_int_eq(reader_next(r, &rec, err, sizeof err), 1);
    ck_assert_uint_eq(rec.line, 1);
    reader_close(r);
    splitter_close(sp);
    buf_free(&chunk);
    unlink(p);
    ck_assert_ptr_null(splitter_open("/nonexistent/x.csv", &o, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/x.csv"));
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("splitter");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, chunks_rebuild_the_file);
    tcase_add_test(tc, decoded_before_cutting);
    tcase_add_test(tc, no_boundary_goes_on_as_a_reader);
    suite_add_tcase(s, tc);
    return s;
}

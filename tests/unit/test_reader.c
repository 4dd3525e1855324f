/*
 * test_reader.c - the input pipeline end to end: files (plain, gzip, stdin)
 * through the decoder and libcsv to records with exact fields, physical line
 * numbers and flags.  Every input is written to a temporary file first, so
 * the real read path runs, including block boundaries on the larger inputs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "limits.h"
#include "reader.h"
#include "source.h"
#include "xalloc.h"
#include "unit.h"

#define MAXREC 64
#define MAXF   8

typedef struct trec {
    size_t nf;
    char *f[MAXF];
    size_t flen[MAXF];
    uint64_t line, end_line, quote_line;
    unsigned flags;
} trec;

typedef struct tres {
    int rc;   /* last reader_next result, or -2 when open failed */
    size_t n; /* records read (all of them; details kept for MAXREC) */
    trec r[MAXREC];
    char err[256];
} tres;

static char tmp_paths[16][64];
static int ntmp;

/* Writes data to a fresh temporary file whose name ends in suffix. */
static const char *write_tmp(const void *data, size_t n, const char *suffix)
{
    ck_assert_int_lt(ntmp, 16);
    char *path = tmp_paths[ntmp++];
    snprintf(path, 64, "/tmp/crmlint_rd_XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    ck_assert_int_ge(fd, 0);
    const char *p = data;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        ck_assert_int_gt(w, 0);
        p += w;
        n -= (size_t)w;
    }
    close(fd);
    return path;
}

static void cleanup_tmp(void)
{
    for (int i = 0; i < ntmp; i++) unlink(tmp_paths[i]);
    ntmp = 0;
}

static void read_path(const char *path, char delim, encoding enc, size_t limit, tres *t)
{
    memset(t, 0, sizeof *t);
    reader_opts o = {delim, enc};
    reader *r = reader_open(path, &o, t->err, sizeof t->err);
    if (r == NULL) {
        t->rc = -2;
        return;
    }
    if (limit) reader_set_field_limit(r, limit);
    record rec;
    while ((t->rc = reader_next(r, &rec, t->err, sizeof t->err)) == 1) {
        if (t->n < MAXREC) {
            trec *x = &t->r[t->n];
            x->nf = rec.nfields;
            x->line = rec.line;
            x->end_line = rec.end_line;
            x->quote_line = rec.quote_line;
            x->flags = rec.flags;
            for (size_t i = 0; i < rec.nfields && i < MAXF; i++) {
                x->f[i] = xstrndup(rec.fields[i].p, rec.fields[i].n);
                x->flen[i] = rec.fields[i].n;
            }
        }
        t->n++;
    }
    reader_close(r);
}

static void read_str(const char *csv, size_t n, char delim, encoding enc, size_t limit, tres *t)
{
    read_path(write_tmp(csv, n, ".csv"), delim, enc, limit, t);
}

#define READ(lit, t) read_str((lit), sizeof(lit) - 1, ',', ENC_UTF8, 0, (t))

static void free_res(tres *t)
{
    for (size_t i = 0; i < t->n && i < MAXREC; i++)
        for (size_t j = 0; j < t->r[i].nf && j < MAXF; j++) xfree(t->r[i].f[j]);
    cleanup_tmp();
}

/* Field j of record i equals the literal, byte for byte (NULs included). */
#define ck_field(t, i, j, lit)                                                                     \
    do {                                                                                           \
        ck_assert_uint_eq((t)->r[i].flen[j], sizeof(lit) - 1);                                     \
        ck_assert_mem_eq((t)->r[i].f[j], (lit), sizeof(lit) - 1);                                  \
    } while (0)

#define ck_rec(t, i, nfields, ln, eln, fl)                                                         \
    do {                                                                                           \
        ck_assert_uint_eq((t)->r[i].nf, (nfields));                                                \
        ck_assert_uint_eq((t)->r[i].line, (ln));                                                   \
        ck_assert_uint_eq((t)->r[i].end_line, (eln));                                              \
        ck_assert_uint_eq((t)->r[i].flags, (fl));                                                  \
    } while (0)

START_TEST(test_basic_quoting)
{
    tres t;
    READ("\xEF\xBB\xBFId,Name, Note \r\n"
         "1,\"Acme, Inc.\",\"say \"\"hi\"\"\"\r\n"
         "2,  padded  ,\"\"\r\n",
         &t);
    ck_assert_int_eq(t.rc, 0);
    ck_assert_uint_eq(t.n, 3);
    ck_rec(&t, 0, 3, 1, 1, 0);
    ck_field(&t, 0, 0, "Id"); /* BOM gone from the first header cell */
    ck_field(&t, 0, 2, " Note ");
    ck_rec(&t, 1, 3, 2, 2, 0);
    ck_field(&t, 1, 1, "Acme, Inc.");
    ck_field(&t, 1, 2, "say \"hi\"");
    ck_rec(&t, 2, 3, 3, 3, 0);
    ck_field(&t, 2, 1, "  padded  "); /* libcsv would trim without our space func */
    ck_field(&t, 2, 2, "");
    free_res(&t);
}
END_TEST

START_TEST(test_line_numbers)
{
    tres t;
    READ("\n"                           /* 1: blank before the header */
         "a,b\n"                        /* 2 */
         "1,\"multi\r\nline\nvalue\"\n" /* 3-5 */
         "\r\n"                         /* 6: blank CRLF line */
         "\n"                           /* 7 */
         "2,x\r\n"                      /* 8 */
         "\"q\nq\",\"r\n\nr\"\n"        /* 9-12: two multi-line fields */
         "3,y",                         /* 13: no final newline */
         &t);
    ck_assert_int_eq(t.rc, 0);
    ck_assert_uint_eq(t.n, 5);
    ck_rec(&t, 0, 2, 2, 2, 0);
    ck_rec(&t, 1, 2, 3, 5, 0);
    ck_field(&t, 1, 1, "multi\r\nline\nvalue");
    ck_rec(&t, 2, 2, 8, 8, 0);
    ck_rec(&t, 3, 2, 9, 12, 0);
    ck_field(&t, 3, 1, "r\n\nr");
    ck_rec(&t, 4, 2, 13, 13, 0);
    ck_field(&t, 4, 1, "y");
    free_res(&t);
}
END_TEST

START_TEST(test_bare_cr_and_final_field)
{
    tres t;
    /* A bare CR ends a record without ending the line. */
    READ("h1,h2\ra,b\nc,\n", &t);
    ck_assert_uint_eq(t.n, 3);
    ck_rec(&t, 0, 2, 1, 1, 0);
    ck_rec(&t, 1, 2, 1, 1, 0);
    ck_field(&t, 1, 0, "a");
    ck_rec(&t, 2, 2, 2, 2, 0);
    ck_field(&t, 2, 1, "");
    free_res(&t);
    /* A trailing delimiter at end of file still yields the empty field. */
    READ("h1,h2\nx,", &t);
    ck_assert_uint_eq(t.n, 2);
    ck_rec(&t, 1, 2, 2, 2, 0);
    ck_field(&t, 1, 1, "");
    free_res(&t);
}
END_TEST

START_TEST(test_empty_inputs)
{
    tres t;
    READ("", &t);
    ck_assert_int_eq(t.rc, 0);
    ck_assert_uint_eq(t.n, 0);
    free_res(&t);
    READ("\n\r\n\n", &t);
    ck_assert_int_eq(t.rc, 0);
    ck_assert_uint_eq(t.n, 0);
    free_res(&t);
    READ("\xEF\xBB\xBF", &t);
    ck_assert_uint_eq(t.n, 0);
    free_res(&t);
}
END_TEST

START_TEST(test_delimiters_and_ragged)
{
    tres t;
    static const char tsv[] = "a\tb\tc\n1\t\"x,\ty\"\t3\n4\t5\n6\t7\t8\t9\n";
    read_str(tsv, sizeof tsv - 1, '\t', ENC_UTF8, 0, &t);
    ck_assert_uint_eq(t.n, 4);
    ck_rec(&t, 0, 3, 1, 1, 0);
    ck_field(&t, 1, 1, "x,\ty");
    ck_rec(&t, 2, 2, 3, 3, 0);
    ck_rec(&t, 3, 4, 4, 4, 0);
    ck_field(&t, 3, 3, "9");
    free_res(&t);
    static const char semi[] = "a;b\n\"1;2\";3,4\n";
    read_str(semi, sizeof semi - 1, ';', ENC_UTF8, 0, &t);
    ck_assert_uint_eq(t.n, 2);
    ck_field(&t, 1, 0, "1;2");
    ck_field(&t, 1, 1, "3,4");
    free_res(&t);
}
END_TEST

START_TEST(test_unterminated_quote)
{
    tres t;
    /* Open quote in the first field of line 3, file ending with LF. */
    READ("a,b\n1,2\n\"open,3\nmore\n", &t);
    ck_assert_int_eq(t.rc, 0);
    ck_assert_uint_eq(t.n, 3);
    ck_rec(&t, 2, 1, 3, 4, REC_UNTERMINATED_QUOTE);
    ck_assert_uint_eq(t.r[2].quote_line, 3);
    ck_field(&t, 2, 0, "open,3\nmore\n");
    ck_assert_uint_eq(t.r[1].quote_line, 0);
    free_res(&t);
    /* Open quote in the last field, after a multi-line field of the same
     * record: the record starts at 2, the open field at 3. */
    READ("a,b,c\n\"x\ny\",z,\"open", &t);
    ck_assert_uint_eq(t.n, 2);
    ck_rec(&t, 1, 3, 2, 3, REC_UNTERMINATED_QUOTE);
    ck_assert_uint_eq(t.r[1].quote_line, 3);
    ck_field(&t, 1, 2, "open");
    free_res(&t);
    /* In the header itself, right at the start. */
    READ("\"a,b\n1,2\n", &t);
    ck_assert_uint_eq(t.n, 1);
    ck_rec(&t, 0, 1, 1, 2, REC_UNTERMINATED_QUOTE);
    ck_assert_uint_eq(t.r[0].quote_line, 1);
    free_res(&t);
    /* A closed quote at end of file is fine. */
    READ("a\n\"x\"", &t);
    ck_assert_uint_eq(t.n, 2);
    ck_rec(&t, 1, 1, 2, 2, 0);
    ck_field(&t, 1, 0, "x");
    free_res(&t);
}
END_TEST

START_TEST(test_nul_and_encoding_flags)
{
    tres t;
    static const char csv[] = "a,b\n"
                              "x\0y,\"q\0\"\n"             /* NULs are data */
                              "caf\xC3\xA9,\xE2\x82\xAC\n" /* valid UTF-8 */
                              "bad\xFF,ok\n"               /* invalid byte */
                              "\xC3,\xA9\n"                /* a sequence split by a delimiter */
                              "\xED\xA0\x80,x\n";          /* an encoded surrogate */
    read_str(csv, sizeof csv - 1, ',', ENC_UTF8, 0, &t);
    ck_assert_uint_eq(t.n, 6);
    ck_field(&t, 1, 0, "x\0y");
    ck_field(&t, 1, 1, "q\0");
    ck_assert_uint_eq(t.r[1].flags, 0);
    ck_assert_uint_eq(t.r[2].flags, 0);
    ck_field(&t, 2, 0, "caf\xC3\xA9");
    ck_rec(&t, 3, 2, 4, 4, REC_INVALID_ENCODING);
    ck_field(&t, 3, 0, "bad\xFF");
    ck_rec(&t, 4, 2, 5, 5, REC_INVALID_ENCODING);
    ck_rec(&t, 5, 2, 6, 6, REC_INVALID_ENCODING);
    free_res(&t);
}
END_TEST

START_TEST(test_single_byte_encodings)
{
    tres t;
    static const char w[] = "Name,Note\nG\xF3mez,\x80 5\nBad\x81,x\n";
    read_str(w, sizeof w - 1, ',', ENC_WINDOWS_1252, 0, &t);
    ck_assert_uint_eq(t.n, 3);
    ck_field(&t, 1, 0, "G\xC3\xB3mez");
    ck_field(&t, 1, 1, "\xE2\x82\xAC 5");
    ck_assert_uint_eq(t.r[1].flags, 0);
    ck_rec(&t, 2, 2, 3, 3, REC_INVALID_ENCODING);
    free_res(&t);
    read_str(w, sizeof w - 1, ',', ENC_LATIN1, 0, &t);
    ck_assert_uint_eq(t.n, 3);
    ck_field(&t, 1, 1, "\xC2\x80 5");
    ck_assert_uint_eq(t.r[2].flags, 0); /* 0x81 is a (control) character in Latin-1 */
    free_res(&t);
}
END_TEST

START_TEST(test_utf16)
{
    tres t;
    /* "Id,Name\r\n1,José\r\n" little-endian with BOM. */
    static const char le[] = "\xFF\xFE"
                             "I\0d\0,\0N\0a\0m\0e\0\r\0\n\0"
                             "1\0,\0J\0o\0s\0\xE9\0\r\0\n\0";
    read_str(le, sizeof le - 1, ',', ENC_UTF16, 0, &t);
    ck_assert_int_eq(t.rc, 0);
    ck_assert_uint_eq(t.n, 2);
    ck_field(&t, 0, 0, "Id");
    ck_rec(&t, 1, 2, 2, 2, 0);
    ck_field(&t, 1, 1, "Jos\xC3\xA9");
    free_res(&t);
    static const char be[] = "\xFE\xFF"
                             "\0A\0\n"
                             "\0\xF3\0\n";
    read_str(be, sizeof be - 1, ',', ENC_UTF16, 0, &t);
    ck_assert_uint_eq(t.n, 2);
    ck_field(&t, 1, 0, "\xC3\xB3");
    free_res(&t);
    /* A lone surrogate flags its record only. */
    static const char bad[] = "\xFF\xFE"
                              "A\0\n\0"
                              "x\0\x00\xD8\n\0"
                              "y\0\n\0";
    read_str(bad, sizeof bad - 1, ',', ENC_UTF16, 0, &t);
    ck_assert_uint_eq(t.n, 3);
    ck_rec(&t, 1, 1, 2, 2, REC_INVALID_ENCODING);
    ck_field(&t, 1, 0, "x\xFF");
    ck_rec(&t, 2, 1, 3, 3, 0);
    free_res(&t);
}
END_TEST

/* Compresses data into a .gz file with zlib; extra appends raw bytes. */
static const char *write_gz(const char *data, size_t n, size_t cut)
{
    const char *path = write_tmp("", 0, ".gz");
    gzFile g = gzopen(path, "wb");
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(gzwrite(g, data, (unsigned)n), (int)n);
    ck_assert_int_eq(gzclose(g), Z_OK);
    if (cut) {
        FILE *f = fopen(path, "rb");
        ck_assert_ptr_nonnull(f);
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        fclose(f);
        ck_assert_int_gt(size, (long)cut);
        ck_assert_int_eq(truncate(path, size - (long)cut), 0);
    }
    return path;
}

START_TEST(test_gzip)
{
    tres t;
    static const char csv[] = "Id,Name\n1,\"a\nb\"\n2,c\n";
    read_path(write_gz(csv, sizeof csv - 1, 0), ',', ENC_UTF8, 0, &t);
    ck_assert_int_eq(t.rc, 0);
    ck_assert_uint_eq(t.n, 3);
    ck_rec(&t, 1, 2, 2, 3, 0);
    ck_field(&t, 1, 1, "a\nb");
    ck_rec(&t, 2, 2, 4, 4, 0);
    free_res(&t);

    /* Losing the trailer (CRC and size) is a truncated stream, not EOF. */
    const char *cut = write_gz(csv, sizeof csv - 1, 4);
    read_path(cut, ',', ENC_UTF8, 0, &t);
    ck_assert_int_eq(t.rc, -1);
    char want[128];
    snprintf(want, sizeof want, "%s: truncated gzip stream", cut);
    ck_assert_str_eq(t.err, want);
    free_res(&t);

    /* Corrupt: a .gz name on data that is not gzip. */
    const char *junk = write_tmp("plain,text\n", 11, ".GZ");
    read_path(junk, ',', ENC_UTF8, 0, &t);
    ck_assert_int_eq(t.rc, -1);
    ck_assert_ptr_nonnull(strstr(t.err, "corrupt gzip stream"));
    ck_assert(strncmp(t.err, junk, strlen(junk)) == 0);
    free_res(&t);
}
END_TEST

START_TEST(test_gzip_members_and_stdin)
{
    /* Two concatenated members read as one stream (as gzip -d does). */
    const char *a = write_gz("h\n1\n", 4, 0);
    const char *b = write_gz("2\n", 2, 0);
    FILE *fa = fopen(a, "ab"), *fb = fopen(b, "rb");
    ck_assert(fa && fb);
    char tmp[256];
    size_t k = fread(tmp, 1, sizeof tmp, fb);
    ck_assert_uint_eq(fwrite(tmp, 1, k, fa), k);
    fclose(fa);
    fclose(fb);
    tres t;
    read_path(a, ',', ENC_UTF8, 0, &t);
    ck_assert_int_eq(t.rc, 0);
    ck_assert_uint_eq(t.n, 3);
    ck_field(&t, 2, 0, "2");
    ck_rec(&t, 2, 1, 3, 3, 0);
    free_res(&t);

    /* Standard input starting with the gzip magic is inflated.  Check runs
     * each test in its own process, so replacing fd 0 is safe. */
    const char *gz = write_gz("x,y\n1,2\n", 8, 0);
    FILE *in = fopen(gz, "rb");
    ck_assert_ptr_nonnull(in);
    ck_assert_int_ge(dup2(fileno(in), STDIN_FILENO), 0);
    fclose(in);
    read_path("-", ',', ENC_UTF8, 0, &t);
    ck_assert_int_eq(t.rc, 0);
    ck_assert_uint_eq(t.n, 2);
    ck_field(&t, 1, 1, "2");
    free_res(&t);

    /* Plain standard input: the peeked bytes are not lost. */
    const char *plain = write_tmp("p,q\n3,4\n", 8, ".csv");
    in = fopen(plain, "rb");
    ck_assert_ptr_nonnull(in);
    ck_assert_int_ge(dup2(fileno(in), STDIN_FILENO), 0);
    fclose(in);
    read_path("-", ',', ENC_UTF8, 0, &t);
    ck_assert_uint_eq(t.n, 2);
    ck_field(&t, 0, 0, "p");
    ck_field(&t, 1, 1, "4");
    free_res(&t);
}
END_TEST

START_TEST(test_open_errors)
{
    tres t;
    read_path("/nonexistent/Lead.csv", ',', ENC_UTF8, 0, &t);
    ck_assert_int_eq(t.rc, -2);
    ck_assert_str_eq(t.err, "/nonexistent/Lead.csv: No such file or directory");
    read_path("/tmp", ',', ENC_UTF8, 0, &t);
    ck_assert_int_eq(t.rc, -2);
    ck_assert_str_eq(t.err, "/tmp: Is a directory");

    char err[128];
    source *s = source_open("/nonexistent.gz", err, sizeof err);
    ck_assert_ptr_null(s);
    ck_assert_str_eq(err, "/nonexistent.gz: No such file or directory");
}
END_TEST

START_TEST(test_source_sizes)
{
    static const char csv[] = "a,b\n1,2\n";
    const char *p = write_tmp(csv, sizeof csv - 1, ".csv");
    char err[128];
    source *s = source_open(p, err, sizeof err);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(source_size(s), sizeof csv - 1);
    char b[64];
    ck_assert_int_eq(source_read(s, b, sizeof b, err, sizeof err), (ssize_t)(sizeof csv - 1));
    ck_assert_int_eq(source_read(s, b, sizeof b, err, sizeof err), 0);
    ck_assert_uint_eq(source_bytes_in(s), sizeof csv - 1);
    source_close(s);
    cleanup_tmp();
}
END_TEST

START_TEST(test_field_limit)
{
    tres t;
    /* Limit 10: a 10-byte field passes, 11 bytes cut the record and reading
     * resumes at the next line. */
    static const char csv[] = "a,b\n"
                              "1,0123456789\n"
                              "2,0123456789X,z\n"
                              "3,\"0123456789\"\n"     /* quoted, exactly 10 */
                              "4,\"012345678\"\"\"\n"  /* 10 with a doubled quote */
                              "5,\"012345678\"\"9\"\n" /* 11 with a doubled quote */
                              "6,ok\n";
    read_str(csv, sizeof csv - 1, ',', ENC_UTF8, 10, &t);
    ck_assert_int_eq(t.rc, 0);
    ck_assert_uint_eq(t.n, 7);
    ck_rec(&t, 1, 2, 2, 2, 0);
    ck_rec(&t, 2, 1, 3, 3, REC_FIELD_TOO_LARGE);
    ck_field(&t, 2, 0, "2");
    ck_rec(&t, 3, 2, 4, 4, 0);
    ck_field(&t, 3, 1, "0123456789");
    ck_rec(&t, 4, 2, 5, 5, 0);
    ck_field(&t, 4, 1, "012345678\"");
    ck_rec(&t, 5, 1, 6, 6, REC_FIELD_TOO_LARGE);
    ck_rec(&t, 6, 2, 7, 7, 0);
    ck_field(&t, 6, 1, "ok");
    free_res(&t);

    /* An unterminated quote swallowing lines is cut at the limit; the line
     * where the limit was hit is dropped and reading resumes after it. */
    static const char open[] = "a,b\n"
                               "1,\"abc\n" /* 2: the quote opens */
                               "defg\n"    /* 3: value now "abc\ndefg\n" = 9 */
                               "hijk,l\n"  /* 4: limit hit here */
                               "5,m\n";    /* 5: resumes */
    read_str(open, sizeof open - 1, ',', ENC_UTF8, 10, &t);
    ck_assert_uint_eq(t.n, 3);
    ck_rec(&t, 1, 1, 2, 4, REC_FIELD_TOO_LARGE);
    ck_rec(&t, 2, 2, 5, 5, 0);
    ck_field(&t, 2, 1, "m");
    free_res(&t);

    /* The oversized field is the first of its record, on a line that runs
     * past the read block: the skip carries over block boundaries. */
    size_t big = (3u << 20) + 17;
    char *data = xmalloc(big + 64);
    ck_assert_ptr_nonnull(data);
    size_t n = 0;
    memcpy(data, "h\n", 2);
    n = 2;
    memset(data + n, 'x', big);
    n += big;
    memcpy(data + n, "\nlast\n", 6);
    n += 6;
    read_str(data, n, ',', ENC_UTF8, 1000, &t);
    xfree(data);
    ck_assert_uint_eq(t.n, 3);
    ck_rec(&t, 1, 0, 2, 2, REC_FIELD_TOO_LARGE);
    ck_rec(&t, 2, 1, 3, 3, 0);
    ck_field(&t, 2, 0, "last");
    free_res(&t);
}
END_TEST

START_TEST(test_too_many_fields)
{
    size_t nf = CRMLINT_MAX_COLUMNS + 5;
    char *data = xmalloc(2 * nf + 8);
    ck_assert_ptr_nonnull(data);
    size_t n = 0;
    for (size_t i = 0; i < nf; i++) {
        data[n++] = 'v';
        data[n++] = i + 1 < nf ? ',' : '\n';
    }
    memcpy(data + n, "a,b\n", 4);
    n += 4;
    tres t;
    read_str(data, n, ',', ENC_UTF8, 0, &t);
    xfree(data);
    ck_assert_int_eq(t.rc, 0);
    ck_assert_uint_eq(t.n, 2);
    ck_assert_uint_eq(t.r[0].nf, CRMLINT_MAX_COLUMNS);
    ck_assert_uint_eq(t.r[0].flags, REC_TOO_MANY_FIELDS);
    ck_rec(&t, 1, 2, 2, 2, 0);
    free_res(&t);
}
END_TEST

/* Several read blocks: records and multi-line fields straddle block
 * boundaries, and line numbers stay exact to the end. */
START_TEST(test_across_blocks)
{
    size_t rows = 100000;
    size_t cap = rows * 40 + 64;
    char *data = xmalloc(cap);
    ck_assert_ptr_nonnull(data);
    size_t n = (size_t)snprintf(data, cap, "id,text\r\n");
    uint64_t line = 2;
    for (size_t i = 0; i < rows; i++) {
        if (i % 7 == 3) {
            n += (size_t)snprintf(data + n, cap - n, "%zu,\"two\r\nlines \xC3\xA9\"\r\n", i);
            line += 2;
        } else if (i % 11 == 5) {
            n += (size_t)snprintf(data + n, cap - n, "\r\n%zu,blank before\r\n", i);
            line += 2;
        } else {
            n += (size_t)snprintf(data + n, cap - n, "%zu,plain value %zu\r\n", i, i * 7);
            line += 1;
        }
    }
    n += (size_t)snprintf(data + n, cap - n, "end,\"x\"");
    ck_assert_uint_gt(n, 2u << 20);
    reader_opts o = {',', ENC_UTF8};
    const char *path = write_tmp(data, n, ".csv");
    xfree(data);
    char err[128];
    reader *r = reader_open(path, &o, err, sizeof err);
    ck_assert_ptr_nonnull(r);
    record rec;
    size_t count = 0, bad = 0;
    uint64_t last_line = 0;
    while (reader_next(r, &rec, err, sizeof err) == 1) {
        if (count > 0 && count <= rows) {
            size_t i = count - 1;
            char want[32];
            int w = snprintf(want, sizeof want, "%zu", i);
            if (rec.nfields != 2 || rec.fields[0].n != (size_t)w ||
                memcmp(rec.fields[0].p, want, (size_t)w) != 0 || rec.flags != 0)
                bad++;
            if (i % 7 == 3 && (rec.fields[1].n != 13 || rec.end_line != rec.line + 1)) bad++;
        }
        last_line = rec.line;
        count++;
    }
    ck_assert_uint_eq(bad, 0);
    ck_assert_uint_eq(count, rows + 2);
    ck_assert_uint_eq(last_line, line);
    ck_assert_uint_eq(reader_bytes_in(r), n);
    ck_assert_uint_eq(reader_size(r), n);
    reader_close(r);
    cleanup_tmp();
}
END_TEST

/* Every allocation failing in turn: a clean error, never a crash or leak. */
/* A reader over a chunk of text: the lines it is told it starts on, its
 * records kept for reading again by index (as the ordered lanes do), and
 * reuse on the next chunk with another delimiter. */
START_TEST(test_text_chunks)
{
    static const char a[] = "x,\"multi\nline\"\n\ny,z\n";
    reader_opts o = {',', ENC_UTF8};
    reader *r = reader_open_text("chunk.csv", &o, a, sizeof a - 1, 41);
    ck_assert_ptr_nonnull(r);
    record rec;
    ck_assert_int_eq(reader_next(r, &rec, NULL, 0), 1);
    ck_assert_uint_eq(rec.line, 41);
    ck_assert_uint_eq(rec.end_line, 42);
    ck_assert_int_eq(reader_next(r, &rec, NULL, 0), 1);
    ck_assert_uint_eq(rec.line, 44); /* after a blank line */
    ck_assert_int_eq(reader_next(r, &rec, NULL, 0), 0);
    ck_assert_uint_eq(reader_kept(r), 2);
    slice *fields = NULL;
    size_t cap = 0;
    ck_assert(reader_kept_record(r, 0, &rec, &fields, &cap));
    ck_assert_uint_eq(rec.nfields, 2);
    ck_assert_uint_eq(rec.line, 41);
    ck_assert(slice_eq(rec.fields[1], slice_of("multi\nline", 10)));
    ck_assert(reader_kept_record(r, 1, &rec, &fields, &cap));
    ck_assert(slice_eq(rec.fields[0], slice_of("y", 1)));
    /* The same reader, the next chunk: tab-separated, from line 7. */
    static const char b[] = "p\tq\tr\n";
    reader_opts t = {'\t', ENC_UTF8};
    ck_assert(reader_set_text(r, "other.tsv", &t, b, sizeof b - 1, 7));
    ck_assert_int_eq(reader_next(r, &rec, NULL, 0), 1);
    ck_assert_uint_eq(rec.nfields, 3);
    ck_assert_uint_eq(rec.line, 7);
    ck_assert_int_eq(reader_next(r, &rec, NULL, 0), 0);
    ck_assert_uint_eq(reader_kept(r), 1);
    xfree(fields);
    reader_close(r);
}
END_TEST

START_TEST(test_alloc_failures)
{
    static const char csv[] = "a,b\n1,\"x\ny\"\n2,3\n";
    const char *path = write_tmp(csv, sizeof csv - 1, ".csv");
    int failures = 0;
    for (unsigned long nth = 1; nth < 40; nth++) {
        reader_opts o = {',', ENC_WINDOWS_1252};
        char err[128] = "";
        xalloc_fail_after(nth);
        reader *r = reader_open(path, &o, err, sizeof err);
        int rc = -2;
        size_t count = 0;
        if (r) {
            record rec;
            while ((rc = reader_next(r, &rec, err, sizeof err)) == 1) count++;
            reader_close(r);
        }
        xalloc_fail_after(0);
        if (rc != 0) {
            ck_assert_ptr_nonnull(strstr(err, "out of memory"));
            failures++;
        } else {
            ck_assert_uint_eq(count, 3);
        }
    }
    ck_assert_int_gt(failures, 3);
    cleanup_tmp();
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("reader");
    TCase *tc = tcase_create("reader");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_basic_quoting);
    tcase_add_test(tc, test_line_numbers);
    tcase_add_test(tc, test_bare_cr_and_final_field);
    tcase_add_test(tc, test_empty_inputs);
    tcase_add_test(tc, test_delimiters_and_ragged);
    tcase_add_test(tc, test_unterminated_quote);
    tcase_add_test(tc, test_nul_and_encoding_flags);
    tcase_add_test(tc, test_single_byte_encodings);
    tcase_add_test(tc, test_utf16);
    tcase_add_test(tc, test_gzip);
    tcase_add_test(tc, test_gzip_members_and_stdin);
    tcase_add_test(tc, test_open_errors);
    tcase_add_test(tc, test_source_sizes);
    tcase_add_test(tc, test_field_limit);
    tcase_add_test(tc, test_too_many_fields);
    tcase_add_test(tc, test_across_blocks);
    tcase_add_test(tc, test_text_chunks);
    tcase_add_test(tc, test_alloc_failures);
    suite_add_tcase(s, tc);
    return s;
}

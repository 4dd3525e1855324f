/*
 * test_out.c - buffered, atomic report output (out.c).
 *
 * Every test works in its own fresh directory under /tmp so that "no file
 * and no temporary file is left behind" can be checked by listing it.
 */
#include "unit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "out.h"
#include "xalloc.h"

static char dir[64];
static char path[128];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/crmlint-out-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/report.json", dir);
}

static void teardown(void)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[512];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* Names in dir, sorted and joined by '|' ("" when empty). */
static void listing(char *outbuf, size_t n)
{
    char names[16][256];
    int count = 0;
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        ck_assert_int_lt(count, 16);
        snprintf(names[count++], 256, "%s", e->d_name);
    }
    closedir(d);
    for (int i = 1; i < count; i++)
        for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char t[256];
            memcpy(t, names[j], 256);
            memcpy(names[j], names[j - 1], 256);
            memcpy(names[j - 1], t, 256);
        }
    outbuf[0] = '\0';
    for (int i = 0; i < count; i++) {
        if (i) strncat(outbuf, "|", n - strlen(outbuf) - 1);
        strncat(outbuf, names[i], n - strlen(outbuf) - 1);
    }
}

static char *slurp(const char *p, size_t *len)
{
    FILE *f = fopen(p, "rb");
    if (f == NULL) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    size_t r;
    while ((r = fread(b + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) b = realloc(b, cap *= 2);
    }
    fclose(f);
    *len = n;
    return b;
}

static void write_file(const char *p, const char *s)
{
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(s, f);
    fclose(f);
}

START_TEST(test_commit_writes_everything)
{
    char err[256] = "";
    out *o = out_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(o);
    ck_assert(!out_is_tty(o));

    /* Small pieces, a piece larger than the buffer, printf that straddles a
     * buffer boundary and printf larger than the buffer. */
    char *expect = malloc(1 << 20);
    size_t n = 0;
    for (int i = 0; i < 10000; i++) {
        out_printf(o, "line %d\n", i);
        n += (size_t)sprintf(expect + n, "line %d\n", i);
    }
    char *big = malloc(200000);
    for (size_t i = 0; i < 200000; i++) big[i] = (char)('a' + i % 26);
    out_write(o, big, 200000);
    memcpy(expect + n, big, 200000);
    n += 200000;
    out_putc(o, '\0');
    expect[n++] = '\0';
    out_puts(o, "tail");
    memcpy(expect + n, "tail", 4);
    n += 4;
    out_printf(o, "%.*s", 100000, big);
    memcpy(expect + n, big, 100000);
    n += 100000;
    out_u64(o, 0);
    out_putc(o, ' ');
    out_u64(o, UINT64_MAX);
    memcpy(expect + n, "0 18446744073709551615", 22);
    n += 22;

    /* Nothing is visible under the target name before commit. */
    struct stat st;
    ck_assert_int_eq(stat(path, &st), -1);
    char names[1024];
    listing(names, sizeof names);
    ck_assert_int_eq(strncmp(names, ".report.json.", 13), 0);
    ck_assert_uint_eq(strlen(names), 19);

    ck_assert(out_commit(o, err, sizeof err));
    size_t got_n;
    char *got = slurp(path, &got_n);
    ck_assert_ptr_nonnull(got);
    ck_assert_uint_eq(got_n, n);
    ck_assert(memcmp(got, expect, n) == 0);
    listing(names, sizeof names);
    ck_assert_str_eq(names, "report.json");
    free(got);
    free(big);
    free(expect);
}
END_TEST

START_TEST(test_abort_leaves_nothing)
{
    char err[256] = "", names[1024];
    out *o = out_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(o);
    for (int i = 0; i < 20000; i++) out_puts(o, "some report bytes\n");
    out_abort(o);
    listing(names, sizeof names);
    ck_assert_str_eq(names, "");
}
END_TEST

START_TEST(test_abort_keeps_old_file)
{
    char err[256] = "", names[1024];
    write_file(path, "old report\n");
    out *o = out_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(o);
    out_puts(o, "new report\n");
    out_abort(o);
    size_t n;
    char *got = slurp(path, &n);
    ck_assert_uint_eq(n, 11);
    ck_assert(memcmp(got, "old report\n", 11) == 0);
    free(got);
    listing(names, sizeof names);
    ck_assert_str_eq(names, "report.json");
}
END_TEST

START_TEST(test_commit_replaces_and_keeps_mode)
{
    char err[256] = "";
    write_file(path, "a much longer old report that must disappear entirely\n");
    ck_assert_int_eq(chmod(path, 0600), 0);
    out *o = out_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(o);
    out_puts(o, "new\n");
    ck_assert(out_commit(o, err, sizeof err));
    size_t n;
    char *got = slurp(path, &n);
    ck_assert_uint_eq(n, 4);
    ck_assert(memcmp(got, "new\n", 4) == 0);
    free(got);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0600);
}
END_TEST

START_TEST(test_new_file_mode_follows_umask)
{
    char err[256] = "";
    mode_t old = umask(022);
    out *o = out_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(o);
    ck_assert(out_commit(o, err, sizeof err));
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0644);
    ck_assert_int_eq(st.st_size, 0);
    unlink(path);

    umask(027);
    o = out_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(o);
    ck_assert(out_commit(o, err, sizeof err));
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0640);
    /* out_open restored the umask it had to read. */
    ck_assert_int_eq(umask(old), 027);
}
END_TEST

START_TEST(test_missing_directory)
{
    char err[256] = "", p[256], names[1024];
    snprintf(p, sizeof p, "%s/no/such/dir/r.json", dir);
    out *o = out_open(p, err, sizeof err);
    ck_assert_ptr_null(o);
    char expect[320];
    snprintf(expect, sizeof expect, "%s: No such file or directory", p);
    ck_assert_str_eq(err, expect);
    listing(names, sizeof names);
    ck_assert_str_eq(names, "");
}
END_TEST

START_TEST(test_directory_target)
{
    char err[256] = "", expect[320];
    out *o = out_open(dir, err, sizeof err);
    ck_assert_ptr_null(o);
    snprintf(expect, sizeof expect, "%s: Is a directory", dir);
    ck_assert_str_eq(err, expect);

    char p[128];
    snprintf(p, sizeof p, "%s/", dir);
    o = out_open(p, err, sizeof err);
    ck_assert_ptr_null(o);
    snprintf(expect, sizeof expect, "%s/: Is a directory", dir);
    ck_assert_str_eq(err, expect);
}
END_TEST

/* A full device: the error is remembered at the write that fails and
 * reported by commit with the target's name. */
START_TEST(test_enospc_dev_full)
{
    char err[256] = "";
    if (access("/dev/full", W_OK) != 0) return; /* no /dev/full in this sandbox */
    out *o = out_open("/dev/full", err, sizeof err);
    ck_assert_ptr_nonnull(o);
    out_puts(o, "small");
    ck_assert(!out_commit(o, err, sizeof err));
    ck_assert_str_eq(err, "/dev/full: No space left on device");

    /* Larger than the buffer: the write fails before commit; later writes
     * are dropped without crashing. */
    o = out_open("/dev/full", err, sizeof err);
    ck_assert_ptr_nonnull(o);
    for (int i = 0; i < 100000; i++) out_printf(o, "%d\n", i);
    out_write(o, "x", 1);
    err[0] = '\0';
    ck_assert(!out_commit(o, err, sizeof err));
    ck_assert_str_eq(err, "/dev/full: No space left on device");
}
END_TEST

/* Renaming over /dev/null would replace the device node: it is written in
 * place instead. */
START_TEST(test_dev_null_written_in_place)
{
    char err[256] = "";
    out *o = out_open("/dev/null", err, sizeof err);
    ck_assert_ptr_nonnull(o);
    for (int i = 0; i < 100000; i++) out_puts(o, "discarded\n");
    ck_assert(out_commit(o, err, sizeof err));
    struct stat st;
    ck_assert_int_eq(stat("/dev/null", &st), 0);
    ck_assert(S_ISCHR(st.st_mode));
}
END_TEST

START_TEST(test_symlink_target_followed)
{
    char err[256] = "", real[160], link[160];
    snprintf(real, sizeof real, "%s/real.json", dir);
    snprintf(link, sizeof link, "%s/link.json", dir);
    write_file(real, "old");
    ck_assert_int_eq(symlink("real.json", link), 0);
    out *o = out_open(link, err, sizeof err);
    ck_assert_ptr_nonnull(o);
    out_puts(o, "through the link");
    ck_assert(out_commit(o, err, sizeof err));
    struct stat st;
    ck_assert_int_eq(lstat(link, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    size_t n;
    char *got = slurp(real, &n);
    ck_assert_uint_eq(n, 16);
    ck_assert(memcmp(got, "through the link", 16) == 0);
    free(got);
}
END_TEST

START_TEST(test_signal_cleanup)
{
    char err[256] = "", names[1024];
    out *o = out_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(o);
    out_puts(o, "partial");
    listing(names, sizeof names);
    ck_assert_int_eq(strncmp(names, ".report.json.", 13), 0);
    out_abort_all_from_signal();
    listing(names, sizeof names);
    ck_assert_str_eq(names, "");
    out_abort(o); /* still safe after the handler ran */

    /* A committed report is no longer "in progress". */
    o = out_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(o);
    out_puts(o, "done");
    ck_assert(out_commit(o, err, sizeof err));
    out_abort_all_from_signal();
    listing(names, sizeof names);
    ck_assert_str_eq(names, "report.json");

    /* The slot is free again for the next report. */
    o = out_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(o);
    out_abort_all_from_signal();
    listing(names, sizeof names);
    ck_assert_str_eq(names, "report.json");
    out_abort(o);
}
END_TEST

/* "-" and NULL are standard output; bytes arrive only at commit (or when the
 * buffer fills), and abort drops what is still buffered. */
START_TEST(test_stdout)
{
    char err[256] = "";
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_ge(dup2(fd, STDOUT_FILENO), 0);
    close(fd);

    out *o = out_open("-", err, sizeof err);
    ck_assert_ptr_nonnull(o);
    ck_assert(!out_is_tty(o));
    out_puts(o, "one\n");
    ck_assert(out_commit(o, err, sizeof err));
    o = out_open(NULL, err, sizeof err);
    ck_assert_ptr_nonnull(o);
    out_puts(o, "dropped\n");
    out_abort(o);
    o = out_open(NULL, err, sizeof err);
    out_puts(o, "two\n");
    ck_assert(out_commit(o, err, sizeof err));

    dup2(saved, STDOUT_FILENO);
    close(saved);
    size_t n;
    char *got = slurp(path, &n);
    ck_assert_uint_eq(n, 8);
    ck_assert(memcmp(got, "one\ntwo\n", 8) == 0);
    free(got);
}
END_TEST

START_TEST(test_out_of_memory)
{
    char err[256] = "", names[1024];
    xalloc_fail_after(1);
    out *o = out_open(path, err, sizeof err);
    xalloc_fail_after(0);
    ck_assert_ptr_null(o);
    ck_assert_str_eq(err, "out of memory");

    /* Failing later allocations (path copies, the temp name) as well. */
    for (unsigned long k = 2; k <= 4; k++) {
        err[0] = '\0';
        xalloc_fail_after(k);
        o = out_open(path, err, sizeof err);
        xalloc_fail_after(0);
        if (o) {
            out_abort(o);
            continue;
        }
        ck_assert_ptr_nonnull(strstr(err, "out of memory"));
    }
    listing(names, sizeof names);
    ck_assert_str_eq(names, "");
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("out");
    TCase *tc = tcase_create("out");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_commit_writes_everything);
    tcase_add_test(tc, test_abort_leaves_nothing);
    tcase_add_test(tc, test_abort_keeps_old_file);
    tcase_add_test(tc, test_commit_replaces_and_keeps_mode);
    tcase_add_test(tc, test_new_file_mode_follows_umask);
    tcase_add_test(tc, test_missing_directory);
    tcase_add_test(tc, test_directory_target);
    tcase_add_test(tc, test_enospc_dev_full);
    tcase_add_test(tc, test_dev_null_written_in_place);
    tcase_add_test(tc, test_symlink_target_followed);
    tcase_add_test(tc, test_signal_cleanup);
    tcase_add_test(tc, test_stdout);
    tcase_add_test(tc, test_out_of_memory);
    suite_add_tcase(s, tc);
    return s;
}

/*
 * fuzz.h - shared scaffolding for the libFuzzer harnesses in tests/fuzz/.
 *
 * crmlint's entry points take paths, not buffers (the reader opens files, the
 * pack loader resolves `extends` relative to a file), so each harness writes
 * its input into an in-memory file (memfd_create) and hands crmlint a path to
 * it: a symbolic link in a private temporary directory pointing at
 * /proc/self/fd/N.  The link can carry whatever name the code under test
 * looks at (".gz" for gzip, ".yaml" for a pack), and nothing touches a disk.
 *
 * FUZZ_CHECK is an assertion that stays on in every build: a broken
 * invariant is a crash libFuzzer records, with the message on stderr.
 */
#ifndef CRMLINT_FUZZ_H
#define CRMLINT_FUZZ_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz check failed at %s:%d: %s: ", __FILE__, __LINE__, #cond);        \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* The private directory the links live in, made on first use and removed at
 * exit (libFuzzer leaves through exit() when its time is up). */
static char fuzz_dir[64];
static char fuzz_links[8][128];
static int fuzz_nlinks;

static inline void fuzz_cleanup(void)
{
    for (int i = 0; i < fuzz_nlinks; i++) unlink(fuzz_links[i]);
    if (fuzz_dir[0]) rmdir(fuzz_dir);
}

static inline const char *fuzz_tmpdir(void)
{
    if (fuzz_dir[0] == '\0') {
        const char *base = getenv("TMPDIR");
        snprintf(fuzz_dir, sizeof fuzz_dir, "%s/crmlint-fuzz-XXXXXX",
                 base && base[0] && strlen(base) < 40 ? base : "/tmp");
        FUZZ_CHECK(mkdtemp(fuzz_dir) != NULL, "mkdtemp %s", fuzz_dir);
        atexit(fuzz_cleanup);
    }
    return fuzz_dir;
}

/* An in-memory file and a link named `name` to it in the private directory;
 * the link's path is written to path (128 bytes). */
static inline int fuzz_memfile(const char *name, char *path)
{
    int fd = memfd_create(name, MFD_CLOEXEC);
    FUZZ_CHECK(fd >= 0, "memfd_create");
    char target[64];
    snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
    snprintf(path, 128, "%s/%s", fuzz_tmpdir(), name);
    unlink(path);
    FUZZ_CHECK(symlink(target, path) == 0, "symlink %s", path);
    FUZZ_CHECK(fuzz_nlinks < 8, "too many links");
    memcpy(fuzz_links[fuzz_nlinks++], path, 128);
    return fd;
}

/* Another name for an existing in-memory file. */
static inline void fuzz_alias(int fd, const char *name, char *path)
{
    char target[64];
    snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
    snprintf(path, 128, "%s/%s", fuzz_tmpdir(), name);
    unlink(path);
    FUZZ_CHECK(symlink(target, path) == 0, "symlink %s", path);
    FUZZ_CHECK(fuzz_nlinks < 8, "too many links");
    memcpy(fuzz_links[fuzz_nlinks++], path, 128);
}

/* Replaces the file's content with data[0..n). */
static inline void fuzz_fill(int fd, const void *data, size_t n)
{
    FUZZ_CHECK(ftruncate(fd, 0) == 0, "ftruncate");
    const char *p = data;
    size_t off = 0;
    while (off < n) {
        ssize_t w = pwrite(fd, p + off, n - off, (off_t)off);
        FUZZ_CHECK(w > 0, "pwrite");
        off += (size_t)w;
    }
}

/* Splits the input at the first byte equal to sep: *a gets what is before it
 * (NUL-terminated copy), the rest stays in data/size.  Returns the copy (free
 * it) or NULL when there is no separator. */
static inline char *fuzz_take_until(const uint8_t **data, size_t *size, uint8_t sep)
{
    const uint8_t *p = memchr(*data, sep, *size);
    if (p == NULL) return NULL;
    size_t n = (size_t)(p - *data);
    char *s = malloc(n + 1);
    FUZZ_CHECK(s != NULL, "malloc");
    memcpy(s, *data, n);
    s[n] = '\0';
    *data = p + 1;
    *size -= n + 1;
    return s;
}

#endif

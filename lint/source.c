/*
 * source.c - the byte stream under the CSV reader: a file, standard input or
 * a gzip file (see source.h).
 *
 * Plain files are read with read(2) straight into the caller's block, with
 * the kernel told we read sequentially, so a plain file costs one copy.  Gzip
 * goes through zlib's inflate directly rather than gzread: gzread turns a
 * truncated stream into a short read that looks like a clean end of file,
 * and a linter must not judge half an export as if it were all of it.  With
 * inflate, input running out before the end of a member is visible
 * (Z_BUF_ERROR with no input left) and becomes "truncated gzip stream".
 * Concatenated members are one stream, as gzip -d treats them.
 *
 * Standard input is inflated when its first two bytes are the gzip magic;
 * those bytes are peeked into the inflate buffer, so nothing is lost either
 * way.
 */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "xalloc.h"

/* Compressed input block: large enough that syscalls are noise next to
 * inflate, small enough not to matter next to the reader's buffers. */
#define ZBUF_SIZE (256u * 1024u)
#define MAX_READ  ((size_t)1 << 30)

struct source {
    int fd;
    bool own_fd; /* false for standard input */
    char *path;  /* for messages */
    uint64_t bytes_in;
    uint64_t size;

    /* Plain standard input: bytes peeked while looking for the gzip magic,
     * served before reading the descriptor again. */
    unsigned char peek[2];
    size_t npeek, peekpos;

    /* Gzip state. */
    bool gz;
    bool zinit;      /* inflateInit2 succeeded: inflateEnd needed */
    bool member_end; /* inflate reported the end of a member */
    bool in_eof;     /* the descriptor reached end of file */
    z_stream zs;
    unsigned char *zbuf;
};

static void set_err(char *err, size_t errlen, const char *path, const char *what)
{
    if (err && errlen) snprintf(err, errlen, "%s: %s", path, what);
}

static bool ends_with_gz(const char *path)
{
    size_t n = strlen(path);
    return n >= 3 && strcasecmp(path + n - 3, ".gz") == 0;
}

/* read(2) that retries on EINTR.  Returns bytes, 0 at end, -1 on error. */
static ssize_t read_retry(int fd, void *dst, size_t cap)
{
    for (;;) {
        ssize_t n = read(fd, dst, cap);
        if (n >= 0 || errno != EINTR) return n;
    }
}

static bool gz_start(source *s, char *err, size_t errlen)
{
    s->zbuf = xmalloc(ZBUF_SIZE);
    if (s->zbuf == NULL) {
        set_err(err, errlen, s->path, "out of memory");
        return false;
    }
    memset(&s->zs, 0, sizeof s->zs);
    /* 16 + MAX_WBITS: gzip wrapper only; a zlib or raw stream is corrupt. */
    if (inflateInit2(&s->zs, 16 + MAX_WBITS) != Z_OK) {
        set_err(err, errlen, s->path, "out of memory");
        return false;
    }
    s->zinit = true;
    s->gz = true;
    s->zs.next_in = s->zbuf;
    s->zs.avail_in = 0;
    return true;
}

source *source_open(const char *path, char *err, size_t errlen)
{
    source *s = xcalloc(1, sizeof *s);
    if (s == NULL) {
        set_err(err, errlen, path, "out of memory");
        return NULL;
    }
    s->fd = -1;
    s->path = xstrdup(path);
    if (s->path == NULL) {
        set_err(err, errlen, path, "out of memory");
        goto fail;
    }

    bool is_stdin = strcmp(path, "-") == 0;
    if (is_stdin) {
        s->fd = STDIN_FILENO;
    } else {
        s->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (s->fd < 0) {
            set_err(err, errlen, path, strerror(errno));
            goto fail;
        }
        s->own_fd = true;
    }

    struct stat st;
    if (fstat(s->fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            set_err(err, errlen, path, strerror(EISDIR));
            goto fail;
        }
        if (S_ISREG(st.st_mode)) {
            s->size = (uint64_t)st.st_size;
            (void)posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
        }
    }

    if (!is_stdin) {
        if (ends_with_gz(path) && !gz_start(s, err, errlen)) goto fail;
        return s;
    }

    /* Standard input has no name to go by: peek at the magic bytes. */
    while (s->npeek < 2) {
        ssize_t n = read_retry(s->fd, s->peek + s->npeek, 2 - s->npeek);
        if (n < 0) {
            set_err(err, errlen, path, strerror(errno));
            goto fail;
        }
        if (n == 0) break;
        s->npeek += (size_t)n;
    }
    s->bytes_in = s->npeek;
    if (s->npeek == 2 && s->peek[0] == 0x1f && s->peek[1] == 0x8b) {
        if (!gz_start(s, err, errlen)) goto fail;
        memcpy(s->zbuf, s->peek, 2);
        s->zs.avail_in = 2;
        s->npeek = 0;
    }
    return s;

fail:
    source_close(s);
    return NULL;
}

/* Refills the compressed buffer when inflate has used it all. */
static bool gz_refill(source *s, char *err, size_t errlen)
{
    if (s->zs.avail_in > 0 || s->in_eof) return true;
    ssize_t n = read_retry(s->fd, s->zbuf, ZBUF_SIZE);
    if (n < 0) {
        set_err(err, errlen, s->path, strerror(errno));
        return false;
    }
    if (n == 0) s->in_eof = true;
    s->zs.next_in = s->zbuf;
    s->zs.avail_in = (uInt)n;
    s->bytes_in += (uint64_t)n;
    return true;
}

static ssize_t gz_read(source *s, void *dst, size_t cap, char *err, size_t errlen)
{
    s->zs.next_out = dst;
    s->zs.avail_out = (uInt)cap;

    while (s->zs.avail_out == cap) {
        if (!gz_refill(s, err, errlen)) return -1;
        if (s->member_end) {
            if (s->zs.avail_in == 0) return 0; /* clean end after a whole member */
            if (s->zs.next_in[0] != 0x1f) {
                set_err(err, errlen, s->path, "trailing garbage after gzip stream");
                return -1;
            }
            /* Another member follows (concatenated gzip). */
            if (inflateReset(&s->zs) != Z_OK) {
                set_err(err, errlen, s->path, "corrupt gzip stream");
                return -1;
            }
            s->member_end = false;
        }
        int rc = inflate(&s->zs, Z_NO_FLUSH);
        switch (rc) {
        case Z_OK:
            break;
        case Z_STREAM_END:
            s->member_end = true;
            break;
        case Z_BUF_ERROR:
            /* No progress possible: only happens once input has run out
             * in the middle of a member. */
            if (s->zs.avail_in == 0 && s->in_eof) {
                set_err(err, errlen, s->path, "truncated gzip stream");
                return -1;
            }
            break;
        case Z_MEM_ERROR:
            set_err(err, errlen, s->path, "out of memory");
            return -1;
        default: /* Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR */
            if (err && errlen) {
                snprintf(err, errlen, "%s: corrupt gzip stream%s%s%s", s->path,
                         s->zs.msg ? " (" : "", s->zs.msg ? s->zs.msg : "", s->zs.msg ? ")" : "");
            }
            return -1;
        }
    }
    return (ssize_t)(cap - s->zs.avail_out);
}

ssize_t source_read(source *s, void *dst, size_t cap, char *err, size_t errlen)
{
    if (cap == 0) return 0;
    /* Keeps the count representable as ssize_t and as zlib's uInt. */
    if (cap > MAX_READ) cap = MAX_READ;
    if (s->gz) return gz_read(s, dst, cap, err, errlen);

    if (s->peekpos < s->npeek) {
        size_t n = s->npeek - s->peekpos;
        if (n > cap) n = cap;
        memcpy(dst, s->peek + s->peekpos, n);
        s->peekpos += n;
        return (ssize_t)n;
    }
    ssize_t n = read_retry(s->fd, dst, cap);
    if (n < 0) {
        set_err(err, errlen, s->path, strerror(errno));
        return -1;
    }
    s->bytes_in += (uint64_t)n;
    return n;
}

uint64_t source_bytes_in(const source *s)
{
    /* For gzip, input still sitting in the buffer is not consumed yet. */
    if (s->gz) return s->bytes_in - s->zs.avail_in;
    return s->bytes_in;
}

uint64_t source_size(const source *s)
{
    return s->size;
}

void source_close(source *s)
{
    if (s == NULL) return;
    if (s->zinit) inflateEnd(&s->zs);
    xfree(s->zbuf);
    if (s->own_fd && s->fd >= 0) close(s->fd);
    xfree(s->path);
    xfree(s);
}

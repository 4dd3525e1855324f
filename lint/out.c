/*
 * out.c - buffered report output, written atomically (see out.h).
 *
 * Reporters emit many small pieces (one per JSON key, per finding), so bytes
 * collect in a 64 KiB buffer inside the `out` and reach write(2) only when it
 * is full: a report of a million findings costs a few thousand syscalls, not
 * millions.
 *
 * A report file is never seen half-written: bytes go to a temporary file
 * "DIR/.BASENAME.XXXXXX" next to the target (same file system, so rename(2)
 * is atomic), which out_commit fsyncs and renames over the target.  Any
 * error on the way (ENOSPC, EIO, a failed fsync or close) is remembered at the
 * first write that fails, later writes are dropped, and out_commit reports it
 * and unlinks the temporary file, so the target keeps its old content.
 *
 * Targets that are not regular files (/dev/null, /dev/stdout, a FIFO) are
 * written in place: renaming over a device node would replace it, and there
 * is nothing to make atomic there anyway.  A symlink is followed, so the file
 * it points to is the one replaced.  When the target already exists its
 * permission bits are kept (a report someone made private stays private);
 * a new file gets 0644 minus the umask, as if created by open(2).
 *
 * Process-wide state: the name of the temporary file in progress is kept in a
 * fixed static array guarded by a volatile sig_atomic_t flag, so a SIGINT or
 * SIGTERM handler can unlink it (out_abort_all_from_signal) without touching
 * the heap.  There is one slot: crmlint writes one report at a time, and an
 * `out` opened while the slot is taken works normally but is not cleaned up
 * by a signal.  This is the only global mutable state in the module.
 */
#include "out.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

#define OUT_BUF_SIZE (64u * 1024u)

typedef enum out_kind {
    OUT_STDOUT, /* fd 1, never closed here */
    OUT_TEMP,   /* temporary file renamed over `path` on commit */
    OUT_DIRECT  /* a device or FIFO, written in place */
} out_kind;

struct out {
    out_kind kind;
    int fd;
    int err;         /* first errno of a failed write; later writes are dropped */
    bool registered; /* owns the signal slot */
    char *path;      /* the target as it will be named in messages */
    char *target;    /* where rename(2) puts the file (symlink resolved) */
    char *tmp;       /* OUT_TEMP: the temporary file */
    size_t len;
    char buf[OUT_BUF_SIZE];
};

/* The signal slot (see the top of the file). */
static volatile sig_atomic_t sig_slot_used;
static char sig_slot_path[4096]; /* PATH_MAX on Linux; longer names go unregistered */

static void sig_slot_take(out *o)
{
    size_t n = strlen(o->tmp);
    if (sig_slot_used || n >= sizeof sig_slot_path) return;
    memcpy(sig_slot_path, o->tmp, n + 1);
    sig_slot_used = 1;
    o->registered = true;
}

static void sig_slot_release(out *o)
{
    if (!o->registered) return;
    sig_slot_used = 0;
    o->registered = false;
}

void out_abort_all_from_signal(void)
{
    if (sig_slot_used) {
        int saved = errno;
        unlink(sig_slot_path);
        sig_slot_used = 0;
        errno = saved;
    }
}

static void set_err(char *err, size_t errlen, const char *path, int e)
{
    if (err && errlen) snprintf(err, errlen, "%s: %s", path, strerror(e));
}

static void out_free(out *o)
{
    xfree(o->path);
    xfree(o->target);
    xfree(o->tmp);
    xfree(o);
}

/* Writes p[0..n) to the descriptor, retrying short writes and EINTR. */
static void write_all(out *o, const char *p, size_t n)
{
    while (n > 0 && o->err == 0) {
        ssize_t w = write(o->fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            o->err = errno;
        } else if (w == 0) {
            o->err = EIO;
        } else {
            p += w;
            n -= (size_t)w;
        }
    }
}

static void flush(out *o)
{
    if (o->len) write_all(o, o->buf, o->len);
    o->len = 0;
}

/* The temporary file's name, "DIR/.BASENAME.XXXXXX", for target. */
static char *temp_template(const char *target)
{
    const char *slash = strrchr(target, '/');
    size_t dirlen = slash ? (size_t)(slash - target) + 1 : 0;
    const char *base = target + dirlen;
    size_t baselen = strlen(base);
    char *t = xmalloc(dirlen + 1 + baselen + 8);
    if (t == NULL) return NULL;
    memcpy(t, target, dirlen);
    t[dirlen] = '.';
    memcpy(t + dirlen + 1, base, baselen);
    memcpy(t + dirlen + 1 + baselen, ".XXXXXX", 8);
    return t;
}

/* The mode a new file would get from open(path, ..., 0644). */
static mode_t default_mode(void)
{
    /* umask(2) can only be read by setting it; it is restored at once. */
    mode_t mask = umask(022);
    umask(mask);
    return 0644 & ~mask;
}

static out *open_temp(out *o, const struct stat *existing, char *err, size_t errlen)
{
    mode_t mode = existing ? existing->st_mode & 0777 : default_mode();
    o->kind = OUT_TEMP;
    o->tmp = temp_template(o->target);
    if (o->tmp == NULL) goto oom;
    o->fd = mkstemp(o->tmp);
    if (o->fd < 0) {
        set_err(err, errlen, o->path, errno);
        goto fail;
    }
    sig_slot_take(o);
    /* mkstemp creates the file 0600. */
    if (fchmod(o->fd, mode) != 0) {
        set_err(err, errlen, o->path, errno);
        out_abort(o);
        return NULL;
    }
    return o;
oom:
    if (err && errlen) snprintf(err, errlen, "%s: out of memory", o->path);
fail:
    out_free(o);
    return NULL;
}

out *out_open(const char *path, char *err, size_t errlen)
{
    out *o = xmalloc(sizeof *o);
    if (o == NULL) {
        if (err && errlen) snprintf(err, errlen, "out of memory");
        return NULL;
    }
    o->fd = -1;
    o->err = 0;
    o->registered = false;
    o->len = 0;
    o->path = o->target = o->tmp = NULL;

    if (path == NULL || strcmp(path, "-") == 0) {
        o->kind = OUT_STDOUT;
        o->fd = STDOUT_FILENO;
        o->path = xstrdup("standard output");
        if (o->path == NULL) goto oom;
        return o;
    }

    o->path = xstrdup(path);
    if (o->path == NULL) goto oom;
    if (path[0] == '\0' || path[strlen(path) - 1] == '/') {
        set_err(err, errlen, path[0] ? path : "\"\"", path[0] ? EISDIR : ENOENT);
        goto fail;
    }

    struct stat st, lst;
    bool exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        set_err(err, errlen, path, EISDIR);
        goto fail;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        o->kind = OUT_DIRECT;
        o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (o->fd < 0) {
            set_err(err, errlen, path, errno);
            goto fail;
        }
        return o;
    }
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) && exists) {
        o->target = realpath(path, NULL);
        if (o->target == NULL) {
            set_err(err, errlen, path, errno);
            goto fail;
        }
        /* realpath allocates with malloc; keep the xalloc seam for our frees. */
        char *copy = xstrdup(o->target);
        free(o->target);
        o->target = copy;
    } else {
        o->target = xstrdup(path);
    }
    if (o->target == NULL) goto oom;
    return open_temp(o, exists ? &st : NULL, err, errlen);

oom:
    if (err && errlen) snprintf(err, errlen, "%s: out of memory", path ? path : "standard output");
fail:
    out_free(o);
    return NULL;
}

void out_write(out *o, const void *p, size_t n)
{
    if (o->err) return;
    if (n <= OUT_BUF_SIZE - o->len) {
        memcpy(o->buf + o->len, p, n);
        o->len += n;
        return;
    }
    flush(o);
    if (n >= OUT_BUF_SIZE) {
        write_all(o, p, n);
    } else {
        memcpy(o->buf, p, n);
        o->len = n;
    }
}

void out_puts(out *o, const char *s)
{
    out_write(o, s, strlen(s));
}

void out_putc(out *o, char c)
{
    if (o->len == OUT_BUF_SIZE) flush(o);
    if (o->err) return;
    o->buf[o->len++] = c;
}

void out_u64(out *o, uint64_t v)
{
    char tmp[20];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    out_write(o, tmp + i, sizeof tmp - i);
}

void out_printf(out *o, const char *fmt, ...)
{
    if (o->err) return;
    va_list ap;
    va_start(ap, fmt);
    size_t room = OUT_BUF_SIZE - o->len;
    int n = vsnprintf(o->buf + o->len, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        o->err = errno ? errno : EINVAL;
        return;
    }
    if ((size_t)n < room) {
        o->len += (size_t)n;
        return;
    }
    /* Did not fit: flush and format again, into the buffer or, for a piece
     * larger than the buffer, into a temporary allocation. */
    flush(o);
    if ((size_t)n < OUT_BUF_SIZE) {
        va_start(ap, fmt);
        vsnprintf(o->buf, OUT_BUF_SIZE, fmt, ap);
        va_end(ap);
        o->len = (size_t)n;
        return;
    }
    char *big = xmalloc((size_t)n + 1);
    if (big == NULL) {
        o->err = ENOMEM;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    write_all(o, big, (size_t)n);
    xfree(big);
}

bool out_is_tty(const out *o)
{
    return o->kind != OUT_TEMP && isatty(o->fd);
}

/* Makes the rename itself durable; failure here loses nothing already
 * visible, so it is not an error. */
static void sync_dir(const char *target)
{
    const char *slash = strrchr(target, '/');
    char *dir =
        slash ? xstrndup(target, slash == target ? 1 : (size_t)(slash - target)) : xstrdup(".");
    if (dir == NULL) return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    xfree(dir);
}

bool out_commit(out *o, char *err, size_t errlen)
{
    flush(o);
    if (o->kind == OUT_STDOUT) {
        bool ok = o->err == 0;
        if (!ok) set_err(err, errlen, o->path, o->err);
        out_free(o);
        return ok;
    }
    if (o->kind == OUT_DIRECT) {
        if (close(o->fd) != 0 && o->err == 0 && errno != EINTR) o->err = errno;
        bool ok = o->err == 0;
        if (!ok) set_err(err, errlen, o->path, o->err);
        out_free(o);
        return ok;
    }
    if (o->err == 0 && fsync(o->fd) != 0) o->err = errno;
    if (close(o->fd) != 0 && o->err == 0 && errno != EINTR) o->err = errno;
    o->fd = -1;
    if (o->err == 0 && rename(o->tmp, o->target) != 0) o->err = errno;
    if (o->err) {
        set_err(err, errlen, o->path, o->err);
        unlink(o->tmp);
        sig_slot_release(o);
        out_free(o);
        return false;
    }
    sig_slot_release(o);
    sync_dir(o->target);
    out_free(o);
    return true;
}

void out_abort(out *o)
{
    if (o == NULL) return;
    if (o->kind == OUT_TEMP) {
        if (o->fd >= 0) close(o->fd);
        unlink(o->tmp);
        sig_slot_release(o);
    } else if (o->kind == OUT_DIRECT) {
        close(o->fd);
    }
    /* Standard output: what was already flushed cannot be taken back; the
     * buffered rest is dropped. */
    out_free(o);
}

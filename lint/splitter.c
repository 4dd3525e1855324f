/*
 * splitter.c - chunks of a file at record boundaries (see splitter.h).
 *
 * `pending` holds decoded text not handed out yet, of which the scanner has
 * seen `scanned` bytes.  The chunk ends at `cut`, the first record-ending
 * LF at or past the chunk size; then the caller's buffer and pending are
 * swapped and the bytes after the cut are copied back, so the file's text
 * is not copied a second time.
 */
#include "splitter.h"

#include <stdio.h>
#include <string.h>

#include "csvscan.h"
#include "decode.h"
#include "limits.h"
#include "source.h"
#include "swar.h"
#include "xalloc.h"

/* Past the chunk size, text is scanned this much at a time for the cut. */
#define SCAN_PIECE 4096u
/* Bytes read at a time: enough to fill a chunk and SPLIT_SLACK more, where
 * the cut should fall, but at least SPLIT_SLACK and at most
 * SPLIT_READ_BLOCK.  Reading much past the cut would only mean copying the
 * rest to the front of the next chunk. */
#define SPLIT_READ_BLOCK (1u << 20)
#define SPLIT_SLACK      (64u * 1024u)

struct splitter {
    char *path;
    reader_opts opts;
    source *src;
    decoder *dec;
    char *raw;
    bool eof;       /* the source is exhausted and the decoder flushed */
    bool scannable; /* the delimiter can be scanned for */
    csvscan scan;
    buf pending;
    size_t scanned;       /* bytes of pending the scanner has seen */
    size_t last_boundary; /* in pending: just past the last boundary seen, 0 none */
    size_t cut;           /* where the next chunk ends: the first boundary at or
                             past chunk_bytes; 0 none yet */
    size_t chunk_bytes, max_record_bytes;
    uint64_t line; /* line of pending's first byte */
};

splitter *splitter_open(const char *path, const reader_opts *opts, char *err, size_t errlen)
{
    splitter *sp = xcalloc(1, sizeof *sp);
    if (sp == NULL || (sp->path = xstrdup(path)) == NULL ||
        (sp->raw = xmalloc(SPLIT_READ_BLOCK)) == NULL) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto fail;
    }
    sp->opts = *opts;
    sp->line = 1;
    splitter_set_sizes(sp, 0, 0);
    sp->scannable = csvscan_usable(opts->delimiter);
    csvscan_init(&sp->scan, opts->delimiter);
    if (!reader_open_input(path, opts, &sp->src, &sp->dec, err, errlen)) goto fail;
    return sp;
fail:
    splitter_close(sp);
    return NULL;
}

void splitter_set_sizes(splitter *sp, size_t chunk_bytes, size_t max_record_bytes)
{
    sp->chunk_bytes = chunk_bytes ? chunk_bytes : SPLITTER_CHUNK_BYTES;
    sp->max_record_bytes = max_record_bytes ? max_record_bytes : CRMLINT_CHUNK_MAX_RECORD_BYTES;
}

/* Reads and decodes one more block into pending; UTF-8 past its BOM is read
 * straight into pending. */
static bool read_more(splitter *sp, char *err, size_t errlen)
{
    size_t want = SPLIT_SLACK;
    if (sp->pending.len < sp->chunk_bytes) want += sp->chunk_bytes - sp->pending.len;
    if (want > SPLIT_READ_BLOCK) want = SPLIT_READ_BLOCK;
    if (decoder_is_identity(sp->dec)) {
        if (!buf_reserve(&sp->pending, want)) goto oom;
        ssize_t n = source_read(sp->src, sp->pending.p + sp->pending.len, want, err, errlen);
        if (n < 0) return false;
        sp->pending.len += (size_t)n;
        sp->pending.p[sp->pending.len] = 0;
        if (n == 0) sp->eof = true;
        return true;
    }
    ssize_t n = source_read(sp->src, sp->raw, want, err, errlen);
    if (n < 0) return false;
    if (!decoder_feed(sp->dec, sp->raw, (size_t)n, n == 0, &sp->pending)) goto oom;
    if (n == 0) sp->eof = true;
    return true;
oom:
    snprintf(err, errlen, "%s: out of memory", sp->path);
    return false;
}

/* Scans what is new in pending, up to the first boundary at or past
 * chunk_bytes (the cut).  Past chunk_bytes it scans a piece at a time and
 * restarts the scanner at the cut, so at most a piece is scanned twice. */
static void scan_pending(splitter *sp)
{
    while (sp->cut == 0 && sp->scanned < sp->pending.len) {
        size_t piece = sp->scanned < sp->chunk_bytes ? sp->chunk_bytes - sp->scanned : SCAN_PIECE;
        if (piece > sp->pending.len - sp->scanned) piece = sp->pending.len - sp->scanned;
        size_t first, last;
        if (csvscan_feed(&sp->scan, sp->pending.p + sp->scanned, piece, &first, &last)) {
            /* Before the chunk size only the last boundary can reach it. */
            size_t at = sp->scanned + (sp->scanned >= sp->chunk_bytes ? first : last);
            sp->last_boundary = sp->scanned + last;
            if (at >= sp->chunk_bytes) {
                sp->cut = sp->last_boundary = sp->scanned = at;
                csvscan_restart(&sp->scan);
                break;
            }
        }
        sp->scanned += piece;
    }
}

/* Line feeds in p[0..n), eight bytes at a time. */
static uint64_t count_lf(const char *p, size_t n)
{
    uint64_t lines = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) lines += swar_count(swar_match(swar_load(p + i), '\n'));
    for (; i < n; i++) lines += p[i] == '\n';
    return lines;
}

split_result splitter_next(splitter *sp, buf *chunk, uint64_t *first_line, char *err, size_t errlen)
{
    for (;;) {
        if (sp->scannable) scan_pending(sp);
        size_t take = sp->cut;
        if (take == 0 && sp->eof) take = sp->pending.len; /* the last chunk ends with the file */
        /* A long record ahead: hand out the records before it first. */
        if (take == 0 && sp->pending.len - sp->last_boundary >= sp->max_record_bytes)
            take = sp->last_boundary;
        if (take) {
            buf rest = *chunk;
            *chunk = sp->pending;
            sp->pending = rest;
            buf_reset(&sp->pending);
            sp->pending.oom = false;
            buf_add(&sp->pending, chunk->p + take, chunk->len - take);
            if (sp->pending.oom) {
                snprintf(err, errlen, "%s: out of memory", sp->path);
                return SPLIT_ERROR;
            }
            chunk->len = take;
            sp->scanned -= take;
            sp->cut = sp->last_boundary = 0;
            *first_line = sp->line;
            sp->line += count_lf(chunk->p, take);
            return SPLIT_CHUNK;
        }
        if (sp->eof) return SPLIT_END;
        if (!sp->scannable || sp->pending.len >= sp->max_record_bytes) return SPLIT_NO_BOUNDARY;
        if (!read_more(sp, err, errlen)) return SPLIT_ERROR;
    }
}

reader *splitter_rest(splitter *sp, char *err, size_t errlen)
{
    reader *r =
        reader_resume(sp->path, &sp->opts, sp->src, sp->dec, sp->pending.p ? sp->pending.p : "",
                      sp->pending.len, sp->line, err, errlen);
    sp->src = NULL;
    sp->dec = NULL;
    buf_free(&sp->pending);
    sp->eof = true;
    return r;
}

uint64_t splitter_bytes_in(const splitter *sp)
{
    return sp->src ? source_bytes_in(sp->src) : 0;
}

void splitter_close(splitter *sp)
{
    if (sp == NULL) return;
    source_close(sp->src);
    decoder_free(sp->dec);
    buf_free(&sp->pending);
    xfree(sp->raw);
    xfree(sp->path);
    xfree(sp);
}

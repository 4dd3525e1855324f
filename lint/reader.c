/*
 * reader.c - CSV records with physical line numbers, on libcsv (see reader.h).
 *
 * libcsv is a push parser with no notion of lines, so the reader feeds it one
 * physical line at a time (each segment ends just after an LF) and keeps the
 * line count itself.  A record starts on the line of the segment in which the
 * parser left its idle state, or, when a bare CR ended the previous record in
 * mid-segment, on that same line; `cand_line` holds that candidate and the
 * first field's callback claims it.
 *
 * libcsv's defaults do not suit a linter, so:
 *   - it trims blanks around unquoted fields: a space function that always
 *     says "no" keeps values exactly as exported;
 *   - strict mode would stop at the first stray quote: not used, the reader
 *     keeps going and reports what it can;
 *   - an unterminated quote makes it buffer the rest of the file: the reader
 *     never feeds more bytes than would take the open field past the field
 *     limit, so it sees the limit being crossed between two csv_parse calls,
 *     cuts the record there (REC_FIELD_TOO_LARGE), resets the parser and
 *     resumes at the next line.  A capped realloc hook is a second line of
 *     defence; libcsv's hook has no user pointer, so that cap is the global
 *     CRMLINT_MAX_FIELD_BYTES while the feeding limit can be lowered per
 *     reader for tests.
 *
 * The callbacks copy fields into a reader-owned arena (slices point into it)
 * and queue finished records; reader_next hands them out one at a time and
 * feeds the next line only when the queue is empty, so memory is bounded by
 * the largest record plus one input block, never by the file.
 */
#include "reader.h"

#include <csv.h>
#include <stdio.h>
#include <string.h>

#include "limits.h"
#include "source.h"
#include "text.h"
#include "xalloc.h"

/* Input block.  Large enough that read(2) and the decoder call are noise. */
#define READ_BLOCK (1u << 20)
/* libcsv grows its field buffer by blk_size; the reader raises blk_size to
 * the current size before each call so growth is geometric, not 128 bytes at
 * a time (quadratic copying on a multi-megabyte rich-text field). */
#define CSV_BLK_MIN (16u * 1024u)
/* Slack over the limit for the transient closing quote libcsv keeps in the
 * field buffer until it knows the quote was not doubled. */
#define CSV_BUF_CAP ((size_t)CRMLINT_MAX_FIELD_BYTES + 64u)

/* libcsv 3.0's parser states (struct csv_parser is public; these values
 * are not exported by csv.h). */
#define LIBCSV_ROW_NOT_BEGUN          0
#define LIBCSV_FIELD_BEGUN            2
#define LIBCSV_FIELD_MIGHT_HAVE_ENDED 3

typedef struct fspan {
    size_t off, len;
} fspan;

/* A finished record waiting in the queue. */
typedef struct qrec {
    size_t first, nfields; /* spans[first .. first+nfields) */
    uint64_t line, end_line, quote_line;
    unsigned flags;
} qrec;

struct reader {
    source *src;
    decoder *dec;
    struct csv_parser csv;
    bool csv_inited;
    char *path;

    char *raw;      /* undecoded block */
    buf text;       /* decoded block */
    const char *in; /* the text being fed: `text`, or the caller's (reader_open_text) */
    size_t in_len;
    size_t pos; /* bytes of `in` already fed */
    bool keep;  /* reader_open_text: keep every record (reader_kept_record) */
    bool src_eof;
    bool done; /* csv_fini has run */
    size_t max_field;

    /* Line bookkeeping. */
    uint64_t line;       /* line of the next byte fed */
    uint64_t cand_line;  /* where a record starting now would start */
    uint64_t field_line; /* where the open record's current field started */
    bool at_line_start;
    bool skipping; /* dropping the rest of a line after a cut record */

    /* The record being built. */
    bool rec_open;
    uint64_t rec_line, rec_quote_line;
    size_t rec_first; /* its first span */
    size_t rec_count; /* fields seen, stored or not */
    unsigned rec_flags;

    /* Field bytes and spans of queued records and the open one. */
    char *data;
    size_t dlen, dcap;
    fspan *spans;
    size_t nspans, scap;
    qrec *q;
    size_t qlen, qhead, qcap;
    slice *out; /* the record handed out */
    size_t outcap;
    bool oom; /* set in a callback, checked after csv_parse */
};

static int never_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void *capped_realloc(void *p, size_t n)
{
    if (n > CSV_BUF_CAP) return NULL;
    return xrealloc(p, n);
}

static void set_oom(const reader *r, char *err, size_t errlen)
{
    if (err && errlen) snprintf(err, errlen, "%s: out of memory", r->path);
}

/* Grows an array of elem-sized items to hold at least need. */
static bool grow(void **arr, size_t *cap, size_t need, size_t elem, size_t min)
{
    if (need <= *cap) return true;
    size_t c = *cap ? *cap : min;
    while (c < need) {
        if (c > SIZE_MAX / 2 / elem) return false;
        c *= 2;
    }
    void *p = xrealloc(*arr, c * elem);
    if (p == NULL) return false;
    *arr = p;
    *cap = c;
    return true;
}

/* ---- record assembly (libcsv callbacks) -------------------------------- */

static void open_record(reader *r)
{
    r->rec_open = true;
    r->rec_line = r->cand_line;
    r->field_line = r->cand_line;
    r->rec_first = r->nspans;
    r->rec_count = 0;
}

static bool ascii_only(const char *p, size_t n)
{
    uint64_t acc = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        acc |= w;
    }
    for (; i < n; i++) acc |= (unsigned char)p[i];
    return (acc & 0x8080808080808080ull) == 0;
}

/* The open record's fields are the tail of the arena, so they are checked
 * as one run.  A run of valid UTF-8 can still hide a field that starts with
 * a continuation byte (a sequence split across two fields), hence the
 * per-field check of first bytes. */
static bool record_utf8_ok(const reader *r, size_t first)
{
    if (first >= r->nspans) return true;
    size_t off = r->spans[first].off;
    const char *p = r->data + off;
    size_t n = r->dlen - off;
    if (ascii_only(p, n)) return true;
    if (!text_utf8_valid(p, n)) return false;
    for (size_t i = first; i < r->nspans; i++) {
        const fspan *f = &r->spans[i];
        if (f->len && ((unsigned char)r->data[f->off] & 0xC0) == 0x80) return false;
    }
    return true;
}

static void close_record(reader *r, uint64_t end_line)
{
    if (!r->rec_open) open_record(r);
    unsigned flags = r->rec_flags;
    if (!record_utf8_ok(r, r->rec_first)) flags |= REC_INVALID_ENCODING;
    if (grow((void **)&r->q, &r->qcap, r->qlen + 1, sizeof *r->q, 16)) {
        r->q[r->qlen++] = (qrec){r->rec_first, r->nspans - r->rec_first, r->rec_line,
                                 end_line,     r->rec_quote_line,        flags};
    } else {
        r->oom = true;
    }
    r->rec_open = false;
    r->rec_flags = 0;
    r->rec_quote_line = 0;
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (!r->rec_open) open_record(r);
    r->rec_count++;
    /* The delimiter that ended this field is on the current line, and so is
     * the start of the next field. */
    r->field_line = r->line;
    if (r->rec_count > CRMLINT_MAX_COLUMNS) {
        r->rec_flags |= REC_TOO_MANY_FIELDS;
        return;
    }
    if (r->oom) return;
    if (len > r->dcap - r->dlen && !grow((void **)&r->data, &r->dcap, r->dlen + len, 1, 65536)) {
        r->oom = true;
        return;
    }
    if (r->nspans == r->scap &&
        !grow((void **)&r->spans, &r->scap, r->nspans + 1, sizeof *r->spans, 256)) {
        r->oom = true;
        return;
    }
    if (len) memcpy(r->data + r->dlen, s, len);
    r->spans[r->nspans++] = (fspan){r->dlen, len};
    r->dlen += len;
}

static void on_row(int c, void *data)
{
    reader *r = data;
    (void)c;
    close_record(r, r->line);
    /* A bare CR can end a record in mid-line: the next one starts here. */
    r->cand_line = r->line;
}

/* Drops handed-out records, moving the open record's fields to the front. */
static void compact(reader *r)
{
    if (r->qlen == 0) return;
    size_t keep = r->rec_open ? r->rec_first : r->nspans;
    size_t doff = keep < r->nspans ? r->spans[keep].off : r->dlen;
    if (doff < r->dlen) memmove(r->data, r->data + doff, r->dlen - doff);
    r->dlen -= doff;
    for (size_t i = keep; i < r->nspans; i++)
        r->spans[i - keep] = (fspan){r->spans[i].off - doff, r->spans[i].len};
    r->nspans -= keep;
    r->rec_first = 0;
    r->qlen = r->qhead = 0;
}

/* ---- feeding ----------------------------------------------------------- */

/* Bytes of the open field's value: libcsv keeps a closing quote in its
 * buffer until the next byte shows whether it was doubled. */
static size_t field_content(const struct csv_parser *p)
{
    return p->entry_pos - (p->pstate == LIBCSV_FIELD_MIGHT_HAVE_ENDED ? 1 : 0);
}

/* The open field passed the limit: emit what the record had before it and
 * start over on a clean parser.  The oversized buffer is released. */
static void cut_record(reader *r)
{
    r->rec_flags |= REC_FIELD_TOO_LARGE;
    close_record(r, r->line);
    csv_fini(&r->csv, NULL, NULL, NULL);
    csv_free(&r->csv);
    csv_set_blk_size(&r->csv, CSV_BLK_MIN);
}

/* Feeds the next segment: up to and including the next LF of the block. */
static bool feed_segment(reader *r)
{
    const char *s = r->in + r->pos;
    size_t rem = r->in_len - r->pos;
    const char *lf = memchr(s, '\n', rem);
    size_t seg = lf ? (size_t)(lf - s) + 1 : rem;
    r->pos += seg;

    if (r->skipping) {
        if (lf) {
            r->skipping = false;
            r->line++;
            r->at_line_start = true;
        }
        return true;
    }
    if (r->at_line_start && r->csv.pstate == LIBCSV_ROW_NOT_BEGUN) r->cand_line = r->line;
    r->at_line_start = false;

    bool cut = false;
    size_t off = 0;
    while (off < seg) {
        /* Never let the open field grow past the limit inside one call. */
        size_t room = r->max_field + 1 - field_content(&r->csv);
        size_t k = seg - off < room ? seg - off : room;
        if (r->csv.entry_size > CSV_BLK_MIN) csv_set_blk_size(&r->csv, r->csv.entry_size);
        size_t used = csv_parse(&r->csv, s + off, k, on_field, on_row, r);
        if (r->oom) return false;
        off += used;
        if (used < k) {
            /* libcsv could not grow its buffer: our cap, or real memory. */
            if (r->csv.entry_size + CSV_BLK_MIN < CSV_BUF_CAP) return false;
            cut = true;
        } else if (field_content(&r->csv) > r->max_field) {
            cut = true;
        }
        if (cut) {
            cut_record(r);
            if (r->oom) return false;
            break;
        }
    }
    if (cut && !lf) {
        r->skipping = true;
    } else if (lf) {
        r->line++;
        r->at_line_start = true;
    }
    return true;
}

/* End of input: flush the last record, flagging an open quote. */
static void finish(reader *r)
{
    /* A final LF ends the last line; it does not start another. */
    if (r->at_line_start && r->line > 1) r->line--;
    if (r->csv.pstate == LIBCSV_FIELD_BEGUN && r->csv.quoted) {
        r->rec_flags |= REC_UNTERMINATED_QUOTE;
        r->rec_quote_line = r->rec_open ? r->field_line : r->cand_line;
    }
    csv_fini(&r->csv, on_field, on_row, r);
    r->done = true;
}

static bool refill(reader *r, char *err, size_t errlen)
{
    buf_reset(&r->text);
    r->pos = 0;
    ssize_t n = source_read(r->src, r->raw, READ_BLOCK, err, errlen);
    if (n < 0) return false;
    if (!decoder_feed(r->dec, r->raw, (size_t)n, n == 0, &r->text)) {
        set_oom(r, err, errlen);
        return false;
    }
    if (n == 0) r->src_eof = true;
    r->in = r->text.p;
    r->in_len = r->text.len;
    return true;
}

/* Queued record q as a record whose fields go into *out (grown as needed). */
static bool fill_record(const reader *r, const qrec *q, record *rec, slice **out, size_t *cap)
{
    if (!grow((void **)out, cap, q->nfields, sizeof **out, 64)) return false;
    for (size_t i = 0; i < q->nfields; i++) {
        const fspan *f = &r->spans[q->first + i];
        (*out)[i] = slice_of(r->data + f->off, f->len);
    }
    rec->fields = *out;
    rec->nfields = q->nfields;
    rec->line = q->line;
    rec->end_line = q->end_line;
    rec->flags = q->flags;
    rec->quote_line = q->quote_line;
    return true;
}

static int hand_out(reader *r, record *rec, char *err, size_t errlen)
{
    if (!fill_record(r, &r->q[r->qhead++], rec, &r->out, &r->outcap)) {
        set_oom(r, err, errlen);
        return -1;
    }
    return 1;
}

int reader_next(reader *r, record *rec, char *err, size_t errlen)
{
    for (;;) {
        if (r->qhead < r->qlen) return hand_out(r, rec, err, errlen);
        if (r->done) return 0;
        if (!r->keep) compact(r);
        if (r->pos < r->in_len) {
            if (!feed_segment(r)) goto oom;
        } else if (r->src_eof) {
            finish(r);
            if (r->oom) goto oom;
        } else if (!refill(r, err, errlen)) {
            return -1;
        }
    }
oom:
    set_oom(r, err, errlen);
    return -1;
}

/* ---- lifecycle --------------------------------------------------------- */

/* A reader with its parser set up and no input yet. */
static reader *reader_new(const char *path, const reader_opts *opts)
{
    reader *r = xcalloc(1, sizeof *r);
    if (r == NULL) return NULL;
    r->path = xstrdup(path);
    /* The field arena exists from the start: slices of empty fields point
     * into it, and pointer arithmetic on NULL (even + 0) is undefined. */
    if (r->path == NULL || !grow((void **)&r->data, &r->dcap, 1, 1, 65536)) goto fail;
    if (csv_init(&r->csv, 0) != 0) goto fail;
    r->csv_inited = true;
    csv_set_delim(&r->csv, (unsigned char)opts->delimiter);
    csv_set_space_func(&r->csv, never_space);
    csv_set_realloc_func(&r->csv, capped_realloc);
    csv_set_free_func(&r->csv, xfree);
    csv_set_blk_size(&r->csv, CSV_BLK_MIN);
    r->max_field = CRMLINT_MAX_FIELD_BYTES;
    r->line = r->cand_line = 1;
    r->at_line_start = true;
    r->in = "";
    return r;
fail:
    reader_close(r);
    return NULL;
}

bool reader_open_input(const char *path, const reader_opts *opts, source **src, decoder **dec,
                       char *err, size_t errlen)
{
    *dec = NULL;
    if ((*src = source_open(path, err, errlen)) == NULL) return false;
    char derr[128] = "";
    if ((*dec = decoder_new(opts->enc, derr, sizeof derr)) == NULL) {
        if (err && errlen) snprintf(err, errlen, "%s: %s", path, derr[0] ? derr : "out of memory");
        source_close(*src);
        *src = NULL;
        return false;
    }
    return true;
}

reader *reader_open(const char *path, const reader_opts *opts, char *err, size_t errlen)
{
    source *src;
    decoder *dec;
    if (!reader_open_input(path, opts, &src, &dec, err, errlen)) return NULL;
    return reader_resume(path, opts, src, dec, "", 0, 1, err, errlen);
}

reader *reader_resume(const char *path, const reader_opts *opts, source *src, decoder *dec,
                      const char *text, size_t n, uint64_t first_line, char *err, size_t errlen)
{
    reader *r = reader_new(path, opts);
    if (r == NULL) goto oom;
    r->src = src;
    r->dec = dec;
    src = NULL;
    dec = NULL;
    if ((r->raw = xmalloc(READ_BLOCK)) == NULL) goto oom;
    buf_add(&r->text, text, n);
    if (r->text.oom) goto oom;
    r->in = n ? r->text.p : "";
    r->in_len = n;
    r->line = r->cand_line = first_line;
    return r;
oom:
    if (err && errlen) snprintf(err, errlen, "%s: out of memory", path);
    source_close(src);
    decoder_free(dec);
    reader_close(r);
    return NULL;
}

reader *reader_open_text(const char *path, const reader_opts *opts, const char *text, size_t n,
                         uint64_t first_line)
{
    reader *r = reader_new(path, opts);
    if (r == NULL) return NULL;
    r->src_eof = true;
    r->keep = true;
    reader_set_text(r, path, opts, text, n, first_line); /* same path: cannot fail */
    return r;
}

bool reader_set_text(reader *r, const char *path, const reader_opts *opts, const char *text,
                     size_t n, uint64_t first_line)
{
    if (strcmp(r->path, path) != 0) {
        char *p = xstrdup(path);
        if (p == NULL) return false;
        xfree(r->path);
        r->path = p;
    }
    csv_fini(&r->csv, NULL, NULL, NULL); /* a fresh parser state, buffers kept */
    csv_set_delim(&r->csv, (unsigned char)opts->delimiter);
    r->in = text;
    r->in_len = n;
    r->pos = 0;
    r->done = r->skipping = r->rec_open = r->oom = false;
    r->line = r->cand_line = r->field_line = first_line;
    r->at_line_start = true;
    r->rec_flags = 0;
    r->rec_quote_line = 0;
    r->dlen = r->nspans = r->qlen = r->qhead = 0;
    return true;
}

size_t reader_kept(const reader *r)
{
    return r->keep ? r->qlen : 0;
}

bool reader_kept_record(const reader *r, size_t i, record *rec, slice **fields, size_t *cap)
{
    return fill_record(r, &r->q[i], rec, fields, cap);
}

void reader_set_field_limit(reader *r, size_t max_bytes)
{
    if (max_bytes == 0 || max_bytes > CRMLINT_MAX_FIELD_BYTES) max_bytes = CRMLINT_MAX_FIELD_BYTES;
    r->max_field = max_bytes;
}

uint64_t reader_bytes_in(const reader *r)
{
    return r->src ? source_bytes_in(r->src) : 0;
}

uint64_t reader_size(const reader *r)
{
    return r->src ? source_size(r->src) : 0;
}

void reader_close(reader *r)
{
    if (r == NULL) return;
    if (r->csv_inited) csv_free(&r->csv);
    source_close(r->src);
    decoder_free(r->dec);
    xfree(r->raw);
    buf_free(&r->text);
    xfree(r->data);
    xfree(r->spans);
    xfree(r->q);
    xfree(r->out);
    xfree(r->path);
    xfree(r);
}

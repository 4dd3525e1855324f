/*
 * scan.c - reading an object's files (see engine_int.h).
 *
 * With --jobs 1 (or no threads to be had) the main context reads each file
 * with a reader and checks every record itself.  Otherwise the main thread
 * cuts each file into chunks (splitter.h) for a job pool (jobpool.h): in the
 * first phase a worker parses a chunk and runs the structural checks and
 * row-local rules with its own context; in the second, each lane's context
 * runs its share of the rules that need file order over the chunk's kept
 * records.  Headers, and files with no place to cut, stay on the main
 * context.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "engine_int.h"
#include "jobpool.h"
#include "splitter.h"
#include "xalloc.h"

void scan_progress(engine *e, uint64_t file_bytes, bool final)
{
    if (e->opt->progress == NULL) return;
    e->opt->progress(e->opt->progress_ctx, e->bytes_done + file_bytes, e->bytes_total,
                     (uint64_t)atomic_load(&e->records_total), final);
}

static void warn_empty(engine *e, uint32_t fi)
{
    if (e->opt->warn == NULL) return;
    char msg[512];
    snprintf(msg, sizeof msg, "%s: empty file (no header row); nothing to check",
             e->res->files[fi].path);
    e->opt->warn(e->opt->warn_ctx, msg);
}

/* One data record, as c's role asks: structural checks, then check_record. */
static void check_data_record(check_ctx *c, const record *rec)
{
    c->rec = rec;
    if (!check_broken_record(c, rec)) check_record(c, rec);
    c->rec = NULL;
}

/* Reads rd's records on this thread with c (ROLE_ALL); the first is the
 * header when `header` is set.  Returns reader_next's last result: 0 at the
 * end, -1 on an error (reason in err). */
static int scan_sequential(engine *e, check_ctx *c, reader *rd, uint32_t fi, binding *b,
                           bool header, char *err, size_t errlen)
{
    result_file *rf = &e->res->files[fi];
    record rec;
    c->file = fi;
    c->bind = b;
    int got = reader_next(rd, &rec, err, errlen);
    if (header && got > 0) {
        check_header(c, &rec, b);
        got = reader_next(rd, &rec, err, errlen);
    } else if (header && got == 0) {
        warn_empty(e, fi);
    }
    for (; got > 0 && !c->oom; got = reader_next(rd, &rec, err, errlen)) {
        rf->records++;
        if ((atomic_fetch_add(&e->records_total, 1) & 0xFFFF) == 0xFFFF)
            scan_progress(e, reader_bytes_in(rd), false);
        check_data_record(c, &rec);
    }
    return got;
}

/* ---- one file on several threads ---------------------------------------- */

/* A job of the pool: a chunk of a file (splitter.h). */
typedef struct chunk {
    buf text;
    uint64_t first_line;
    uint32_t file;
    reader_opts ro;
    bool has_header; /* the file's first chunk: its first record is the header */
    const binding *bind;
    reader *rd;  /* its records, parsed in the first phase (kept for reuse) */
    bool parsed; /* rd holds this chunk's records */
    uint64_t records;
} chunk;

typedef struct chunk_set {
    chunk *v;
    int n;
    jobpool *pool;
} chunk_set;

/* Chunks in flight hold their text and parsed records (about three times
 * the text), and there are two per worker: past a few workers the chunks
 * shrink so that all of them together stay near SCAN_INFLIGHT_BYTES of
 * text, down to SCAN_MIN_CHUNK (the job pool's locking stays rare). */
#define SCAN_INFLIGHT_BYTES (16u << 20)
#define SCAN_MIN_CHUNK      (128u << 10)

static size_t chunk_size(int nslots)
{
    size_t per = SCAN_INFLIGHT_BYTES / (size_t)nslots;
    if (per > SPLITTER_CHUNK_BYTES) per = SPLITTER_CHUNK_BYTES;
    return per < SCAN_MIN_CHUNK ? SCAN_MIN_CHUNK : per;
}

/* First phase: parses the chunk, checking each record as it comes. */
static void parse_chunk(check_ctx *c, chunk *ch)
{
    record rec;
    int got;
    bool skip = ch->has_header;
    c->file = ch->file;
    c->bind = ch->bind;
    while ((got = reader_next(ch->rd, &rec, NULL, 0)) > 0 && !c->oom) {
        if (skip) {
            skip = false;
            continue;
        }
        ch->records++;
        check_data_record(c, &rec);
    }
    if (got < 0) c->oom = true; /* reading from memory fails only for memory */
}

/* First phase, on any worker: parse, structural checks, row-local rules.
 * The slot's reader is reused from chunk to chunk, memory and all. */
static void chunk_parallel(void *ctx, int job)
{
    check_ctx *c = ctx;
    chunk *ch = &c->chunks->v[job];
    const char *path = c->e->res->files[ch->file].path, *text = ch->text.p ? ch->text.p : "";
    bool ready = ch->rd ? reader_set_text(ch->rd, path, &ch->ro, text, ch->text.len, ch->first_line)
                        : (ch->rd = reader_open_text(path, &ch->ro, text, ch->text.len,
                                                     ch->first_line)) != NULL;
    ch->parsed = ready;
    if (!ready)
        c->oom = true;
    else
        parse_chunk(c, ch);
}

/* Second phase, one chunk at a time in file order, in each lane: the
 * chunk's records again for the lane's work that needs order; lane 0 also
 * counts them.  Lanes may read one chunk at once: kept records are
 * read-only. */
static void chunk_ordered(void *ctx, int job)
{
    check_ctx *c = ctx;
    chunk *ch = &c->chunks->v[job];
    if (ch->parsed && c->obj->has_ordered) {
        c->file = ch->file;
        c->bind = ch->bind;
        size_t n = reader_kept(ch->rd);
        for (size_t i = ch->has_header ? 1 : 0; i < n && !c->oom; i++) {
            record rec;
            if (!reader_kept_record(ch->rd, i, &rec, &c->kept_fields, &c->kept_cap))
                c->oom = true;
            else
                check_data_record(c, &rec);
        }
    }
    if (c->lane > 0) return;
    c->e->res->files[ch->file].records += ch->records;
    atomic_fetch_add(&c->e->records_total, ch->records);
    ch->records = 0;
}

/* Cuts the file into chunks for the pool; reads the header here first.
 * Where no record boundary can be found, waits for the pool and reads the
 * rest on this thread with c. */
static bool scan_chunked(engine *e, check_ctx *c, chunk_set *cs, uint32_t fi, binding *b,
                         const reader_opts *ro, char *err, size_t errlen)
{
    const char *path = e->res->files[fi].path;
    splitter *sp = splitter_open(path, ro, err, errlen);
    if (sp == NULL) return false;
    splitter_set_sizes(sp, e->opt->chunk_bytes ? e->opt->chunk_bytes : chunk_size(cs->n),
                       e->opt->chunk_max_record_bytes);
    c->file = fi; /* for the header's findings */
    c->bind = b;
    buf text = BUF_INIT;
    bool header = true, ok = false;
    uint64_t bytes = 0;
    for (;;) {
        uint64_t line;
        split_result got = splitter_next(sp, &text, &line, err, errlen);
        bytes = splitter_bytes_in(sp);
        if (got == SPLIT_ERROR) goto done;
        if (got == SPLIT_END) break;
        if (got == SPLIT_NO_BOUNDARY) {
            jobpool_drain(cs->pool);
            reader *rd = splitter_rest(sp, err, errlen);
            if (rd == NULL) goto done;
            int last = scan_sequential(e, c, rd, fi, b, header, err, errlen);
            header = false;
            bytes = reader_bytes_in(rd);
            reader_close(rd);
            if (last < 0) goto done;
            break;
        }
        bool has_header = false;
        if (header) {
            record rec;
            reader *hr = reader_open_text(path, ro, text.p ? text.p : "", text.len, line);
            int n = hr ? reader_next(hr, &rec, err, errlen) : -1;
            if (n > 0) check_header(c, &rec, b);
            reader_close(hr);
            if (n < 0) {
                snprintf(err, errlen, "%s: out of memory", path);
                goto done;
            }
            has_header = n > 0;
            header = !has_header; /* only blank lines so far */
        }
        int job = jobpool_acquire(cs->pool);
        chunk *ch = &cs->v[job];
        buf swap = ch->text;
        ch->text = text;
        text = swap;
        ch->first_line = line;
        ch->file = fi;
        ch->ro = *ro;
        ch->has_header = has_header;
        ch->bind = b;
        jobpool_submit(cs->pool, job);
        scan_progress(e, bytes, false);
    }
    if (header) warn_empty(e, fi);
    ok = true;
done:
    e->bytes_done += bytes;
    buf_free(&text);
    splitter_close(sp);
    return ok;
}

/* Reads one file: on this thread with c, or cut into chunks for the pool. */
static bool lint_file(engine *e, check_ctx *c, chunk_set *cs, uint32_t fi, binding *b, char *err,
                      size_t errlen)
{
    result_file *rf = &e->res->files[fi];
    reader_opts ro = {file_delimiter(c->obj->o, rf->path), c->obj->o->enc};
    bool ok;
    if (cs) {
        ok = scan_chunked(e, c, cs, fi, b, &ro, err, errlen);
    } else {
        reader *rd = reader_open(rf->path, &ro, err, errlen);
        if (rd == NULL) return false;
        ok = scan_sequential(e, c, rd, fi, b, true, err, errlen) >= 0;
        scan_progress(e, reader_bytes_in(rd), false);
        e->bytes_done += reader_bytes_in(rd);
        reader_close(rd);
    }
    if (ok && c->oom) {
        snprintf(err, errlen, "%s: out of memory", rf->path);
        return false;
    }
    return ok;
}

/* Spreads the object's ordered work over at most max_lanes lanes: each rule
 * that needs file order is one unit with its collectors here (they share
 * its state), so is each other object's rule that collects these records;
 * lookup tables this object fills stay in lane 0.  Returns the number of
 * lanes (0 when nothing needs order). */
static int assign_lanes(obj_run * or, int max_lanes)
{
    int units = 0;
    for (size_t ri = 0; ri < or->nrules; ri++) or->rules[ri].lane = -1;
    for (size_t k = 0; k < or->ncollectors; k++) or->collectors[k].rr->lane = -1;
    for (size_t ri = 0; ri < or->nrules; ri++) {
        rule_run *rr = & or->rules[ri];
        if (rr->selected && !rr->skip_all && !rr->row_local) rr->lane = units++ % max_lanes;
    }
    for (size_t k = 0; k < or->ncollectors; k++) {
        rule_run *rr = or->collectors[k].rr;
        if (!rr->skip_all && rr->lane < 0) rr->lane = units++ % max_lanes;
    }
    if (or->nprovides > 0 && units == 0) units = 1;
    return units < max_lanes ? units : max_lanes;
}

/* Scans one object's files.  With workers, each file is cut into chunks
 * that the pool parses and checks (row-local rules in parallel, the rest in
 * file order, spread over lanes); `main` reads headers, and whatever cannot
 * be cut. */
bool scan_object(engine *e, size_t oi, char *err, size_t errlen)
{
    obj_run * or = &e->objs[oi];
    int nworkers = e->workers;
    check_ctx main_ctx, *wctx = NULL, *lctx = NULL;
    void **wptr = NULL, **lptr = NULL;
    chunk_set cs = {NULL, 0, NULL};
    binding **binds = xcalloc(e->res->nfiles + 1, sizeof *binds);
    bool ok = false;
    int inited = 0, nlanes = 0, lanes_inited = 0;
    if (!check_ctx_init(&main_ctx, e, or, ROLE_ALL, -1) || binds == NULL) goto oom;
    if (nworkers > 0) {
        /* A lane even with nothing in order: it counts the records. */
        nlanes = assign_lanes(or, nworkers);
        or->has_ordered = nlanes > 0;
        if (nlanes == 0) nlanes = 1;
        wctx = xcalloc((size_t)nworkers, sizeof *wctx);
        wptr = xcalloc((size_t)nworkers, sizeof *wptr);
        lctx = xcalloc((size_t)nlanes, sizeof *lctx);
        lptr = xcalloc((size_t)nlanes, sizeof *lptr);
        cs.n = 2 * nworkers + 2;
        cs.v = xcalloc((size_t)cs.n, sizeof *cs.v);
        if (wctx == NULL || wptr == NULL || lctx == NULL || lptr == NULL || cs.v == NULL) goto oom;
        for (; lanes_inited < nlanes; lanes_inited++) {
            if (!check_ctx_init(&lctx[lanes_inited], e, or, ROLE_ORDERED, lanes_inited)) {
                lanes_inited++;
                goto oom;
            }
            lctx[lanes_inited].chunks = &cs;
            lptr[lanes_inited] = &lctx[lanes_inited];
        }
        for (; inited < nworkers; inited++) {
            if (!check_ctx_init(&wctx[inited], e, or, ROLE_ROW, -1)) {
                inited++;
                goto oom;
            }
            wctx[inited].chunks = &cs;
            wptr[inited] = &wctx[inited];
        }
        /* No threads to be had: read on this thread after all. */
        cs.pool = jobpool_new(nworkers, cs.n, chunk_parallel, wptr, nlanes, chunk_ordered, lptr);
    }
    for (size_t fi = 0; fi < e->res->nfiles; fi++) {
        if (e->file_object[fi] != (int)oi) continue;
        if ((binds[fi] = binding_new(or)) == NULL) goto oom;
        if (!lint_file(e, &main_ctx, cs.pool ? &cs : NULL, (uint32_t)fi, binds[fi], err, errlen))
            goto done;
    }
    jobpool_free(cs.pool);
    cs.pool = NULL;
    bool lane_oom = false;
    for (int l = 0; l < lanes_inited; l++) lane_oom |= lctx[l].oom;
    for (size_t ri = 0; ri < or->nrules; ri++) {
        rule_run *rr = & or->rules[ri];
        if (!rr->selected || rr->skip_all || !rr->ran || rr->r->type->finish == NULL) continue;
        /* A context whose allocation failed may have left this state half
         * updated; the run fails anyway. */
        if (main_ctx.oom || lane_oom) continue;
        main_ctx.cur = rr;
        rr->r->type->finish(&main_ctx, rr->r, rr->state);
        main_ctx.cur = NULL;
    }
    ok = true;
    goto done;
oom:
    snprintf(err, errlen, "out of memory while checking object %s", or->o->name);
done:
    jobpool_free(cs.pool); /* finishes what was submitted: the chunks are in use until then */
    for (int i = 0; cs.v && i < cs.n; i++) {
        buf_free(&cs.v[i].text);
        reader_close(cs.v[i].rd);
    }
    bool oom = main_ctx.oom;
    for (int i = 0; i < inited; i++) {
        oom |= wctx[i].oom;
        check_ctx_finish(&wctx[i], e);
    }
    for (int l = 0; l < lanes_inited; l++) {
        oom |= lctx[l].oom;
        check_ctx_finish(&lctx[l], e);
    }
    check_ctx_finish(&main_ctx, e);
    if (ok && (oom || e->oom)) {
        /* Also a rule's finish (stats, group findings) running out of memory. */
        snprintf(err, errlen, "out of memory while checking object %s", or->o->name);
        ok = false;
    }
    for (size_t fi = 0; binds && fi < e->res->nfiles; fi++) binding_free(binds[fi]);
    xfree(binds);
    xfree(cs.v);
    xfree(wctx);
    xfree(wptr);
    xfree(lctx);
    xfree(lptr);
    return ok;
}

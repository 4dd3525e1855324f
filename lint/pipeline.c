/*
 * pipeline.c - batches of records from the reader thread to worker threads
 * (see pipeline.h).
 *
 * A ring of RING batches.  The producer fills batch (seq % RING), waits
 * while that slot still has workers reading it, publishes it by bumping
 * `produced`, and moves on.  Each worker walks the same sequence of batches
 * and decrements the batch's `pending` count when done; the last one wakes
 * the producer.  One mutex and two condition variables: batches are large
 * (BATCH_RECORDS records) so the lock is taken rarely.
 */
#define _GNU_SOURCE /* sched_getaffinity */
#include "pipeline.h"

#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

#define RING 4
#define BATCH_RECORDS 2048
#define BATCH_BYTES (1u << 20)

typedef struct rec_meta {
    uint64_t line, end_line, quote_line;
    unsigned flags;
    size_t first;   /* index of its first field in `fields` */
    size_t nfields;
} rec_meta;

typedef struct batch {
    char *data;         /* field bytes */
    size_t len, cap;
    size_t *field_off;  /* per field: start offset in data; length = next - start */
    size_t *field_len;
    size_t nfields, fields_cap;
    rec_meta *recs;
    size_t nrecs;
    uint32_t file;
    uint64_t seq;       /* the sequence number it holds or is being filled as */
    int pending;        /* workers still reading it */
} batch;

typedef struct worker {
    pipeline *p;
    int index;
    pthread_t thread;
    bool started;
} worker;

struct pipeline {
    pipeline_fn fn;
    void *const *ctxs;
    int nworkers;
    worker *workers;
    batch ring[RING];
    uint64_t produced;  /* batches published */
    uint64_t filling;   /* sequence number of the batch being filled */
    bool stop;
    pthread_mutex_t mu;
    pthread_cond_t ready; /* a batch was published, or stop */
    pthread_cond_t done;  /* a batch was finished by every worker */
};

int pipeline_cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static void process_batch(pipeline *p, int w, const batch *b)
{
    slice fields[64];
    slice *v = fields;
    size_t cap = 64;
    for (size_t i = 0; i < b->nrecs; i++) {
        const rec_meta *m = &b->recs[i];
        if (m->nfields > cap) {
            slice *nv = xrealloc(v == fields ? NULL : v, m->nfields * sizeof *nv);
            if (nv == NULL) continue; /* cannot happen for records the reader could hold */
            v = nv;
            cap = m->nfields;
        }
        for (size_t f = 0; f < m->nfields; f++)
            v[f] = slice_of(b->data + b->field_off[m->first + f], b->field_len[m->first + f]);
        record rec = {v, m->nfields, m->line, m->end_line, m->flags, m->quote_line};
        p->fn(p->ctxs[w], &rec, b->file);
    }
    if (v != fields) xfree(v);
}

static void *worker_main(void *arg)
{
    worker *self = arg;
    pipeline *p = self->p;
    for (uint64_t seq = 0;; seq++) {
        pthread_mutex_lock(&p->mu);
        while (p->produced <= seq && !p->stop) pthread_cond_wait(&p->ready, &p->mu);
        bool have = p->produced > seq;
        pthread_mutex_unlock(&p->mu);
        if (!have) break;
        batch *b = &p->ring[seq % RING];
        process_batch(p, self->index, b);
        pthread_mutex_lock(&p->mu);
        if (--b->pending == 0) pthread_cond_broadcast(&p->done);
        pthread_mutex_unlock(&p->mu);
    }
    return NULL;
}

pipeline *pipeline_new(int nworkers, pipeline_fn fn, void *const *ctxs)
{
    pipeline *p = xcalloc(1, sizeof *p);
    if (p == NULL) return NULL;
    p->fn = fn;
    p->ctxs = ctxs;
    p->nworkers = nworkers;
    p->workers = xcalloc((size_t)nworkers, sizeof *p->workers);
    if (p->workers == NULL) goto fail_alloc;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->ready, NULL);
    pthread_cond_init(&p->done, NULL);
    for (int i = 0; i < RING; i++) p->ring[i].seq = UINT64_MAX;
    for (int w = 0; w < nworkers; w++) {
        p->workers[w] = (worker){p, w, 0, false};
        if (pthread_create(&p->workers[w].thread, NULL, worker_main, &p->workers[w]) != 0) {
            pipeline_free(p);
            return NULL;
        }
        p->workers[w].started = true;
    }
    return p;
fail_alloc:
    xfree(p);
    return NULL;
}

static bool grow(void **v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return true;
    size_t n = *cap ? *cap : 256;
    while (n < need) n *= 2;
    void *nv = xrealloc(*v, n * size);
    if (nv == NULL) return false;
    *v = nv;
    *cap = n;
    return true;
}

static void publish(pipeline *p)
{
    batch *b = &p->ring[p->filling % RING];
    if (b->seq != p->filling || b->nrecs == 0) return; /* nothing being filled */
    pthread_mutex_lock(&p->mu);
    b->pending = p->nworkers;
    p->produced++;
    pthread_cond_broadcast(&p->ready);
    pthread_mutex_unlock(&p->mu);
    p->filling++;
}

/* The batch to fill next, once every worker is done with its old contents. */
static batch *slot_to_fill(pipeline *p)
{
    batch *b = &p->ring[p->filling % RING];
    if (b->seq == p->filling) return b; /* already being filled */
    pthread_mutex_lock(&p->mu);
    while (b->pending > 0) pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
    b->seq = p->filling;
    b->nrecs = b->len = b->nfields = 0;
    return b;
}

bool pipeline_add(pipeline *p, const record *rec, uint32_t file)
{
    batch *b = slot_to_fill(p);
    if (b->nrecs > 0 && b->file != file) {
        publish(p);
        b = slot_to_fill(p);
    }
    if (b->nrecs == 0) b->file = file;
    size_t bytes = 0;
    for (size_t i = 0; i < rec->nfields; i++) bytes += rec->fields[i].n;
    size_t recs_cap = BATCH_RECORDS;
    if (b->recs == NULL && (b->recs = xcalloc(recs_cap, sizeof *b->recs)) == NULL) return false;
    size_t need = b->nfields + rec->nfields, len_cap = b->fields_cap;
    if (!grow((void **)&b->data, &b->cap, b->len + bytes + 1, 1) ||
        !grow((void **)&b->field_len, &len_cap, need, sizeof(size_t)) ||
        !grow((void **)&b->field_off, &b->fields_cap, need, sizeof(size_t)))
        return false;
    rec_meta *m = &b->recs[b->nrecs];
    *m = (rec_meta){rec->line, rec->end_line, rec->quote_line, rec->flags, b->nfields, rec->nfields};
    for (size_t i = 0; i < rec->nfields; i++) {
        b->field_off[b->nfields] = b->len;
        b->field_len[b->nfields++] = rec->fields[i].n;
        if (rec->fields[i].n) memcpy(b->data + b->len, rec->fields[i].p, rec->fields[i].n);
        b->len += rec->fields[i].n;
    }
    if (++b->nrecs == BATCH_RECORDS || b->len >= BATCH_BYTES) publish(p);
    return true;
}

void pipeline_drain(pipeline *p)
{
    publish(p);
    pthread_mutex_lock(&p->mu);
    for (int i = 0; i < RING; i++)
        while (p->ring[i].pending > 0) pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void pipeline_free(pipeline *p)
{
    if (p == NULL) return;
    bool any = false;
    for (int w = 0; w < p->nworkers; w++) any |= p->workers[w].started;
    if (any) {
        pipeline_drain(p);
        pthread_mutex_lock(&p->mu);
        p->stop = true;
        pthread_cond_broadcast(&p->ready);
        pthread_mutex_unlock(&p->mu);
        for (int w = 0; w < p->nworkers; w++)
            if (p->workers[w].started) pthread_join(p->workers[w].thread, NULL);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->ready);
    pthread_cond_destroy(&p->done);
    for (int i = 0; i < RING; i++) {
        xfree(p->ring[i].data);
        xfree(p->ring[i].field_off);
        xfree(p->ring[i].field_len);
        xfree(p->ring[i].recs);
    }
    xfree(p->workers);
    xfree(p);
}

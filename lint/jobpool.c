/*
 * jobpool.c - two-phase jobs on worker threads (see jobpool.h).
 *
 * One mutex guards everything; jobs are large (a chunk of about a megabyte)
 * so it is taken a few times per megabyte.  Each slot moves
 * FREE -> FILLING -> READY -> RUNNING -> PARALLEL_DONE -> ORDERING -> FREE.
 * READY slots wait in a FIFO; the second phase of job `next_ordered` may
 * start once its first phase is done and no other second phase is running.
 * A worker prefers a due second phase over a new first phase, which frees
 * slots soonest.
 */
#define _GNU_SOURCE /* sched_getaffinity */
#include "jobpool.h"

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

#include "xalloc.h"

typedef enum slot_state { FREE, FILLING, READY, RUNNING, PARALLEL_DONE, ORDERING } slot_state;

typedef struct job_slot {
    slot_state state;
    uint64_t seq; /* submission number */
} job_slot;

struct jobpool {
    jobpool_fn parallel, ordered;
    void *const *worker_ctxs;
    void *ordered_ctx;
    int nworkers, nslots;
    pthread_t *threads;
    int started;
    job_slot *slots;
    int *ready; /* FIFO of READY slots */
    int ready_head, ready_len;
    uint64_t submitted;    /* jobs submitted so far */
    uint64_t next_ordered; /* the job whose second phase is due */
    bool ordering;         /* a second phase is running */
    bool stop;
    pthread_mutex_t mu;
    pthread_cond_t work;  /* a job became READY or PARALLEL_DONE, or stop */
    pthread_cond_t freed; /* a slot became FREE */
};

int jobpool_cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* The slot whose second phase is due and may start now, or -1. */
static int due_ordered(const jobpool *p)
{
    if (p->ordering) return -1;
    for (int i = 0; i < p->nslots; i++)
        if (p->slots[i].state == PARALLEL_DONE && p->slots[i].seq == p->next_ordered) return i;
    return -1;
}

typedef struct worker_arg {
    jobpool *p;
    int index;
} worker_arg;

static void *worker_main(void *arg)
{
    jobpool *p = ((worker_arg *)arg)->p;
    void *ctx = p->worker_ctxs[((worker_arg *)arg)->index];
    xfree(arg);
    pthread_mutex_lock(&p->mu);
    for (;;) {
        int s = due_ordered(p);
        if (s >= 0) {
            p->slots[s].state = ORDERING;
            p->ordering = true;
            pthread_mutex_unlock(&p->mu);
            p->ordered(p->ordered_ctx, s);
            pthread_mutex_lock(&p->mu);
            p->slots[s].state = FREE;
            p->ordering = false;
            p->next_ordered++;
            pthread_cond_broadcast(&p->work); /* the next one may be due */
            pthread_cond_broadcast(&p->freed);
            continue;
        }
        if (p->ready_len > 0) {
            s = p->ready[p->ready_head];
            p->ready_head = (p->ready_head + 1) % p->nslots;
            p->ready_len--;
            p->slots[s].state = RUNNING;
            pthread_mutex_unlock(&p->mu);
            p->parallel(ctx, s);
            pthread_mutex_lock(&p->mu);
            p->slots[s].state = PARALLEL_DONE;
            if (p->slots[s].seq == p->next_ordered) pthread_cond_broadcast(&p->work);
            continue;
        }
        if (p->stop) break;
        pthread_cond_wait(&p->work, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

jobpool *jobpool_new(int nworkers, int nslots, jobpool_fn parallel, void *const *worker_ctxs,
                     jobpool_fn ordered, void *ordered_ctx)
{
    jobpool *p = xcalloc(1, sizeof *p);
    if (p == NULL) return NULL;
    *p = (jobpool){.parallel = parallel,
                   .ordered = ordered,
                   .worker_ctxs = worker_ctxs,
                   .ordered_ctx = ordered_ctx,
                   .nworkers = nworkers,
                   .nslots = nslots};
    p->threads = xcalloc((size_t)nworkers, sizeof *p->threads);
    p->slots = xcalloc((size_t)nslots, sizeof *p->slots);
    p->ready = xcalloc((size_t)nslots, sizeof *p->ready);
    if (p->threads == NULL || p->slots == NULL || p->ready == NULL) {
        xfree(p->threads);
        xfree(p->slots);
        xfree(p->ready);
        xfree(p);
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->freed, NULL);
    for (; p->started < nworkers; p->started++) {
        worker_arg *a = xmalloc(sizeof *a);
        if (a) *a = (worker_arg){p, p->started};
        if (a == NULL || pthread_create(&p->threads[p->started], NULL, worker_main, a) != 0) {
            xfree(a);
            jobpool_free(p);
            return NULL;
        }
    }
    return p;
}

int jobpool_acquire(jobpool *p)
{
    pthread_mutex_lock(&p->mu);
    for (;;) {
        for (int i = 0; i < p->nslots; i++)
            if (p->slots[i].state == FREE) {
                p->slots[i].state = FILLING;
                pthread_mutex_unlock(&p->mu);
                return i;
            }
        pthread_cond_wait(&p->freed, &p->mu);
    }
}

void jobpool_release(jobpool *p, int slot)
{
    pthread_mutex_lock(&p->mu);
    p->slots[slot].state = FREE;
    pthread_cond_broadcast(&p->freed);
    pthread_mutex_unlock(&p->mu);
}

void jobpool_submit(jobpool *p, int slot)
{
    pthread_mutex_lock(&p->mu);
    p->slots[slot].state = READY;
    p->slots[slot].seq = p->submitted++;
    p->ready[(p->ready_head + p->ready_len++) % p->nslots] = slot;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
}

void jobpool_drain(jobpool *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->next_ordered < p->submitted) pthread_cond_wait(&p->freed, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void jobpool_free(jobpool *p)
{
    if (p == NULL) return;
    if (p->started > 0) {
        jobpool_drain(p);
        pthread_mutex_lock(&p->mu);
        p->stop = true;
        pthread_cond_broadcast(&p->work);
        pthread_mutex_unlock(&p->mu);
        for (int i = 0; i < p->started; i++) pthread_join(p->threads[i], NULL);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->freed);
    xfree(p->threads);
    xfree(p->slots);
    xfree(p->ready);
    xfree(p);
}

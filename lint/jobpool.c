/*
 * jobpool.c - two-phase jobs on worker threads (see jobpool.h).
 *
 * One mutex guards everything; jobs are large (a chunk of about a megabyte)
 * so it is taken a few times per megabyte.  Each slot moves
 * FREE -> FILLING -> READY -> RUNNING -> PARALLEL_DONE -> FREE, the last step
 * once every lane is done with it.  READY slots wait in a FIFO; lane l may
 * start its second phase of job `next` once that job's first phase is done
 * and the lane is not busy.  A worker prefers a due second phase over a new
 * first phase, which frees slots soonest.
 */
#define _GNU_SOURCE /* sched_getaffinity */
#include "jobpool.h"

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

#include "xalloc.h"

typedef enum slot_state { FREE, FILLING, READY, RUNNING, PARALLEL_DONE } slot_state;

typedef struct job_slot {
    slot_state state;
    uint64_t seq;   /* submission number */
    int lanes_done; /* lanes whose second phase of this job has finished */
} job_slot;

typedef struct lane {
    uint64_t next; /* the job whose second phase is due in this lane */
    bool busy;
} lane;

struct jobpool {
    jobpool_fn parallel, ordered;
    void *const *worker_ctxs;
    void *const *lane_ctxs;
    int nworkers, nslots, nlanes;
    lane *lanes;
    pthread_t *threads;
    int started;
    job_slot *slots;
    int *ready; /* FIFO of READY slots */
    int ready_head, ready_len;
    uint64_t submitted; /* jobs submitted so far */
    uint64_t finished;  /* jobs done in every lane */
    bool stop;
    pthread_mutex_t mu;
    pthread_cond_t work;  /* a job became READY or PARALLEL_DONE, a lane moved on, or stop */
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

/* A second phase that is due and may start now: its slot, and its lane in
 * *lane_out; -1 when there is none. */
static int due_ordered(const jobpool *p, int *lane_out)
{
    for (int l = 0; l < p->nlanes; l++) {
        if (p->lanes[l].busy) continue;
        for (int i = 0; i < p->nslots; i++)
            if (p->slots[i].state == PARALLEL_DONE && p->slots[i].seq == p->lanes[l].next) {
                *lane_out = l;
                return i;
            }
    }
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
        int l, s = due_ordered(p, &l);
        if (s >= 0) {
            p->lanes[l].busy = true;
            pthread_mutex_unlock(&p->mu);
            p->ordered(p->lane_ctxs[l], s);
            pthread_mutex_lock(&p->mu);
            p->lanes[l].busy = false;
            p->lanes[l].next++;
            if (++p->slots[s].lanes_done == p->nlanes) {
                p->slots[s].state = FREE;
                p->finished++;
                pthread_cond_broadcast(&p->freed);
            }
            pthread_cond_broadcast(&p->work); /* the lane's next job may be due */
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
            pthread_cond_broadcast(&p->work); /* a lane may be waiting for it */
            continue;
        }
        if (p->stop) break;
        pthread_cond_wait(&p->work, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

jobpool *jobpool_new(int nworkers, int nslots, jobpool_fn parallel, void *const *worker_ctxs,
                     int nlanes, jobpool_fn ordered, void *const *lane_ctxs)
{
    jobpool *p = xcalloc(1, sizeof *p);
    if (p == NULL) return NULL;
    *p = (jobpool){.parallel = parallel,
                   .ordered = ordered,
                   .worker_ctxs = worker_ctxs,
                   .lane_ctxs = lane_ctxs,
                   .nworkers = nworkers,
                   .nslots = nslots,
                   .nlanes = nlanes};
    p->threads = xcalloc((size_t)nworkers, sizeof *p->threads);
    p->slots = xcalloc((size_t)nslots, sizeof *p->slots);
    p->ready = xcalloc((size_t)nslots, sizeof *p->ready);
    p->lanes = xcalloc((size_t)nlanes, sizeof *p->lanes);
    if (p->threads == NULL || p->slots == NULL || p->ready == NULL || p->lanes == NULL) {
        xfree(p->threads);
        xfree(p->slots);
        xfree(p->ready);
        xfree(p->lanes);
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

void jobpool_submit(jobpool *p, int slot)
{
    pthread_mutex_lock(&p->mu);
    p->slots[slot].state = READY;
    p->slots[slot].seq = p->submitted++;
    p->slots[slot].lanes_done = 0;
    p->ready[(p->ready_head + p->ready_len++) % p->nslots] = slot;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
}

void jobpool_drain(jobpool *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->finished < p->submitted) pthread_cond_wait(&p->freed, &p->mu);
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
    xfree(p->lanes);
    xfree(p);
}

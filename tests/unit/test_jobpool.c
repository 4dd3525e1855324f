/*
 * test_jobpool.c - the two-phase pool: second phases run one at a time in
 * submission order whatever order the first phases finish in, first phases
 * overlap, a few slots carry any number of jobs, drain waits for all.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include "jobpool.h"
#include "unit.h"

#define NJOBS  300
#define NSLOTS 4

typedef struct job {
    int id;
    unsigned delay_us;
    bool parallel_done;
} job;

typedef struct shared {
    job slots[NSLOTS];
    atomic_int running, max_running;
    int order[NJOBS]; /* ids in second-phase order */
    int norder;
    atomic_int ordering; /* second phases running now */
    bool overlap_seen;   /* two second phases at once: must not happen */
    bool first_missing;  /* a second phase before its first: must not happen */
} shared;

typedef struct wctx {
    shared *sh;
} wctx;

static void sleep_us(unsigned us)
{
    struct timespec ts = {0, (long)us * 1000};
    nanosleep(&ts, NULL);
}

static void first_phase(void *ctx, int slot)
{
    shared *sh = ((wctx *)ctx)->sh;
    int now = atomic_fetch_add(&sh->running, 1) + 1;
    int seen = atomic_load(&sh->max_running);
    while (now > seen && !atomic_compare_exchange_weak(&sh->max_running, &seen, now)) {
    }
    sleep_us(sh->slots[slot].delay_us);
    sh->slots[slot].parallel_done = true;
    atomic_fetch_sub(&sh->running, 1);
}

static void second_phase(void *ctx, int slot)
{
    shared *sh = ctx;
    if (atomic_fetch_add(&sh->ordering, 1) != 0) sh->overlap_seen = true;
    if (!sh->slots[slot].parallel_done) sh->first_missing = true;
    sh->order[sh->norder++] = sh->slots[slot].id;
    atomic_fetch_sub(&sh->ordering, 1);
}

START_TEST(ordered_after_parallel)
{
    static shared sh;
    wctx w[3] = {{&sh}, {&sh}, {&sh}};
    void *ctxs[3] = {&w[0], &w[1], &w[2]};
    jobpool *p = jobpool_new(3, NSLOTS, first_phase, ctxs, second_phase, &sh);
    ck_assert_ptr_nonnull(p);
    for (int i = 0; i < NJOBS; i++) {
        int s = jobpool_acquire(p);
        ck_assert_int_ge(s, 0);
        ck_assert_int_lt(s, NSLOTS);
        /* Later jobs often finish their first phase before earlier ones. */
        sh.slots[s] = (job){i, (unsigned)((i * 7919) % 5) * 150, false};
        jobpool_submit(p, s);
        if (i == NJOBS / 2) {
            jobpool_drain(p);
            ck_assert_int_eq(sh.norder, i + 1);
        }
    }
    jobpool_drain(p);
    ck_assert_int_eq(sh.norder, NJOBS);
    for (int i = 0; i < NJOBS; i++) ck_assert_int_eq(sh.order[i], i);
    ck_assert(!sh.overlap_seen);
    ck_assert(!sh.first_missing);
    ck_assert_int_ge(atomic_load(&sh.max_running), 2);
    /* A slot acquired and given back is not a job. */
    int s = jobpool_acquire(p);
    jobpool_release(p, s);
    jobpool_free(p);
    ck_assert_int_eq(sh.norder, NJOBS);
    ck_assert_int_ge(jobpool_cores(), 1);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("jobpool");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, ordered_after_parallel);
    suite_add_tcase(s, tc);
    return s;
}

/*
 * test_jobpool.c - the two-phase pool: in every lane, second phases run one
 * at a time in submission order, whatever order the first phases finish
 * in, and only after them; lanes overlap one another, first phases overlap,
 * a few slots carry any number of jobs, and drain waits for all of it.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include "jobpool.h"
#include "unit.h"

#define NJOBS  300
#define NSLOTS 4
#define NLANES 2

typedef struct job {
    int id;
    unsigned delay_us;
    atomic_bool parallel_done;
    atomic_int lanes_seen;
} job;

typedef struct shared {
    job slots[NSLOTS];
    atomic_int running, max_running; /* first phases at once */
    atomic_int lanes_running, max_lanes_running;
} shared;

typedef struct lane_state {
    shared *sh;
    int order[NJOBS]; /* ids in this lane's second-phase order */
    int norder;
    atomic_int inside;  /* second phases of this lane running now */
    bool overlap_seen;  /* two at once in one lane: must not happen */
    bool first_missing; /* a second phase before its first: must not happen */
} lane_state;

typedef struct wctx {
    shared *sh;
} wctx;

static void sleep_us(unsigned us)
{
    struct timespec ts = {0, (long)us * 1000};
    nanosleep(&ts, NULL);
}

static void note_max(atomic_int *now_counter, atomic_int *max)
{
    int now = atomic_fetch_add(now_counter, 1) + 1;
    int seen = atomic_load(max);
    while (now > seen && !atomic_compare_exchange_weak(max, &seen, now)) {
    }
}

static void first_phase(void *ctx, int slot)
{
    shared *sh = ((wctx *)ctx)->sh;
    note_max(&sh->running, &sh->max_running);
    sleep_us(sh->slots[slot].delay_us);
    atomic_store(&sh->slots[slot].parallel_done, true);
    atomic_fetch_sub(&sh->running, 1);
}

static void second_phase(void *ctx, int slot)
{
    lane_state *ls = ctx;
    shared *sh = ls->sh;
    if (atomic_fetch_add(&ls->inside, 1) != 0) ls->overlap_seen = true;
    note_max(&sh->lanes_running, &sh->max_lanes_running);
    if (!atomic_load(&sh->slots[slot].parallel_done)) ls->first_missing = true;
    ls->order[ls->norder++] = sh->slots[slot].id;
    atomic_fetch_add(&sh->slots[slot].lanes_seen, 1);
    sleep_us(50);
    atomic_fetch_sub(&sh->lanes_running, 1);
    atomic_fetch_sub(&ls->inside, 1);
}

START_TEST(ordered_after_parallel_in_every_lane)
{
    static shared sh;
    static lane_state lanes[NLANES];
    wctx w[3] = {{&sh}, {&sh}, {&sh}};
    void *ctxs[3] = {&w[0], &w[1], &w[2]};
    void *lctxs[NLANES];
    for (int l = 0; l < NLANES; l++) {
        lanes[l].sh = &sh;
        lctxs[l] = &lanes[l];
    }
    jobpool *p = jobpool_new(3, NSLOTS, first_phase, ctxs, NLANES, second_phase, lctxs);
    ck_assert_ptr_nonnull(p);
    for (int i = 0; i < NJOBS; i++) {
        int s = jobpool_acquire(p);
        ck_assert_int_ge(s, 0);
        ck_assert_int_lt(s, NSLOTS);
        /* A slot comes back only when every lane is done with its job. */
        if (i >= NSLOTS) ck_assert_int_eq(atomic_load(&sh.slots[s].lanes_seen), NLANES);
        /* Later jobs often finish their first phase before earlier ones. */
        sh.slots[s].id = i;
        sh.slots[s].delay_us = (unsigned)((i * 7919) % 5) * 150;
        atomic_store(&sh.slots[s].parallel_done, false);
        atomic_store(&sh.slots[s].lanes_seen, 0);
        jobpool_submit(p, s);
        if (i == NJOBS / 2) {
            jobpool_drain(p);
            for (int l = 0; l < NLANES; l++) ck_assert_int_eq(lanes[l].norder, i + 1);
        }
    }
    jobpool_drain(p);
    for (int l = 0; l < NLANES; l++) {
        ck_assert_int_eq(lanes[l].norder, NJOBS);
        for (int i = 0; i < NJOBS; i++) ck_assert_int_eq(lanes[l].order[i], i);
        ck_assert(!lanes[l].overlap_seen);
        ck_assert(!lanes[l].first_missing);
    }
    ck_assert_int_ge(atomic_load(&sh.max_running), 2);
    ck_assert_int_ge(atomic_load(&sh.max_lanes_running), 2);
    jobpool_free(p);
    ck_assert_int_eq(lanes[0].norder, NJOBS);
    ck_assert_int_ge(jobpool_cores(), 1);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("jobpool");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, ordered_after_parallel_in_every_lane);
    suite_add_tcase(s, tc);
    return s;
}

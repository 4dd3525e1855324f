/*
 * jobpool.h - worker threads running jobs in two phases: the first on any
 * worker, several jobs at once; the second in lanes, each lane taking the
 * jobs one at a time in the order they were submitted.
 *
 * This is how one file is checked on several cores: each job is a chunk of
 * the file; its first phase parses the chunk and runs the rules that look at
 * one record at a time, and its second phase runs the rules that remember
 * earlier records (duplicates, sequences, SLAs), which must see records in
 * file order, as they would on one thread.  Such rules are independent of
 * each other, so they are spread over lanes: lane 0 may work on chunk 7
 * while lane 1 is still on chunk 5.  Whichever worker is free takes the
 * next second phase that is due in any lane, so no thread is set aside.
 *
 * The pool has a fixed number of job slots; the caller owns what a slot
 * holds.  Memory is bounded by the slots: jobpool_acquire blocks until every
 * lane is done with some earlier job.
 */
#ifndef CRMLINT_JOBPOOL_H
#define CRMLINT_JOBPOOL_H

typedef struct jobpool jobpool;

/* parallel(worker_ctxs[w], slot) runs on worker w; ordered(lane_ctxs[l],
 * slot) is lane l's second phase.  Lanes of one job may run at once, on
 * different workers. */
typedef void (*jobpool_fn)(void *ctx, int slot);

/* nworkers >= 1 threads, nslots >= 1 job slots, nlanes >= 1 lanes.  NULL
 * when threads or memory cannot be had. */
jobpool *jobpool_new(int nworkers, int nslots, jobpool_fn parallel, void *const *worker_ctxs,
                     int nlanes, jobpool_fn ordered, void *const *lane_ctxs);

/* A free slot (blocks until one is), for the caller to fill. */
int jobpool_acquire(jobpool *p);
/* The job in slot is ready; it follows every job submitted before it. */
void jobpool_submit(jobpool *p, int slot);
/* Waits until every submitted job has finished both phases in every lane. */
void jobpool_drain(jobpool *p);
/* Drains, then stops and joins the workers. */
void jobpool_free(jobpool *p);

/* Cores available to this process (at least 1). */
int jobpool_cores(void);

#endif

/*
 * jobpool.h - worker threads running jobs in two phases: the first on any
 * worker, several jobs at once; the second one job at a time, in the order
 * the jobs were submitted.
 *
 * This is how one file is checked on several cores: each job is a chunk of
 * the file; its first phase parses the chunk and runs the rules that look at
 * one record at a time, and its second phase runs the rules that remember
 * earlier records (duplicates, sequences, SLAs), which must see records in
 * file order, as they would on one thread.  Whichever worker is free takes
 * the next second phase that is due, so no thread is set aside for it.
 *
 * The pool has a fixed number of job slots; the caller owns what a slot
 * holds.  Memory is bounded by the slots: jobpool_acquire blocks until the
 * second phase of some earlier job has finished.
 */
#ifndef CRMLINT_JOBPOOL_H
#define CRMLINT_JOBPOOL_H

typedef struct jobpool jobpool;

/* The first phase runs as parallel(worker_ctxs[w], slot) on worker w; the
 * second as ordered(ordered_ctx, slot). */
typedef void (*jobpool_fn)(void *ctx, int slot);

/* nworkers >= 1 threads and nslots >= 1 job slots.  NULL when threads or
 * memory cannot be had. */
jobpool *jobpool_new(int nworkers, int nslots, jobpool_fn parallel, void *const *worker_ctxs,
                     jobpool_fn ordered, void *ordered_ctx);

/* A free slot (blocks until one is), for the caller to fill. */
int jobpool_acquire(jobpool *p);
/* Gives back a slot acquired but not submitted. */
void jobpool_release(jobpool *p, int slot);
/* The job in slot is ready; it follows every job submitted before it. */
void jobpool_submit(jobpool *p, int slot);
/* Waits until every submitted job has finished both phases. */
void jobpool_drain(jobpool *p);
/* Drains, then stops and joins the workers. */
void jobpool_free(jobpool *p);

/* Cores available to this process (at least 1). */
int jobpool_cores(void);

#endif

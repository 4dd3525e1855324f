/*
 * pipeline.h - checking records on other threads while the reader parses.
 *
 * The reader (libcsv) runs on the calling thread and hands records to the
 * pipeline in batches; each of N worker threads sees every record, in file
 * order, and runs its own share of the rules on it.  Because each rule
 * lives on exactly one worker and sees records in the same order as a
 * single-threaded run, every rule's state evolves exactly as it would
 * without threads; findings are sorted into report order afterwards, so the
 * report is byte-identical whatever the number of jobs.
 *
 * Records are copied into the batch (the reader reuses its buffers), and a
 * ring of a few batches bounds memory: the reader blocks when the workers
 * fall behind.
 */
#ifndef CRMLINT_PIPELINE_H
#define CRMLINT_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reader.h"

typedef struct pipeline pipeline;

/* Called on worker w's thread for each record, in file order.  ctx is
 * ctxs[w]; file is the index given to pipeline_add. */
typedef void (*pipeline_fn)(void *ctx, const record *rec, uint32_t file);

/* Starts nworkers (>= 1) threads.  NULL when threads or memory cannot be
 * had (the caller then checks records itself). */
pipeline *pipeline_new(int nworkers, pipeline_fn fn, void *const *ctxs);

/* Copies rec into the current batch; hands the batch over when it is full.
 * false when memory ran out (nothing was queued). */
bool pipeline_add(pipeline *p, const record *rec, uint32_t file);

/* Hands over the current batch and waits until every worker has processed
 * every record added so far.  Afterwards the caller may change what the
 * workers read (for example the column binding of the next file). */
void pipeline_drain(pipeline *p);

/* Drains, stops and joins the workers. */
void pipeline_free(pipeline *p);

/* Cores available to this process (at least 1). */
int pipeline_cores(void);

#endif

/*
 * out.h - buffered report output, written atomically to a file or to stdout.
 *
 * Reporters append through out_write/out_printf; nothing reaches the file
 * system per finding.  For a file, bytes go to a temporary file in the same
 * directory, which out_commit fsyncs and renames into place; out_abort (or
 * any failure) removes it, so a report is either complete or absent.
 */
#ifndef CRMLINT_OUT_H
#define CRMLINT_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct out out;

/* path NULL or "-": standard output.  NULL with reason in err. */
out *out_open(const char *path, char *err, size_t errlen);
void out_write(out *o, const void *p, size_t n);
void out_puts(out *o, const char *s);
void out_putc(out *o, char c);
void out_printf(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Decimal digits of v (no printf on the per-finding path). */
void out_u64(out *o, uint64_t v);
/* Whether the destination is a terminal (for colour in text reports). */
bool out_is_tty(const out *o);
/* Flushes and, for a file, fsyncs and renames into place; frees o.  Returns
 * false with reason in err (nothing is left behind on failure). */
bool out_commit(out *o, char *err, size_t errlen);
/* Discards everything, removes the temporary file, frees o. */
void out_abort(out *o);

/* For signal handlers: the temporary file in progress, if any, is removed by
 * out_abort_all_from_signal (async-signal-safe: unlink only). */
void out_abort_all_from_signal(void);

#endif

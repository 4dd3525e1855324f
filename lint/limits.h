/*
 * limits.h - every bound crmlint enforces, in one place.
 *
 * Each limit has a name users can find in the README's limits table and in
 * the message they see when it is hit.  Nothing in crmlint is bounded except
 * through one of these: a value over a limit is reported, never silently cut.
 */
#ifndef CRMLINT_LIMITS_H
#define CRMLINT_LIMITS_H

/* Largest single CSV field, in bytes after decoding.  A field that grows past
 * it (usually an unterminated quote swallowing the file) becomes a finding and
 * the reader resumes at the next line. */
#define CRMLINT_MAX_FIELD_BYTES (64u * 1024u * 1024u)

/* With --jobs above 1 a file is cut into chunks at record boundaries.  A
 * stretch this long without one (a record this large, or an unterminated
 * quote) makes the rest of that file read on one thread: slower, same
 * findings. */
#define CRMLINT_CHUNK_MAX_RECORD_BYTES (16u * 1024u * 1024u)

/* Most fields in one record (header included).  More is a ragged row. */
#define CRMLINT_MAX_COLUMNS 65536

/* PCRE2 match and depth limits per regex search.  Hitting one is a finding
 * ("regex gave up"), never a hang. */
#define CRMLINT_REGEX_MATCH_LIMIT 1000000u
#define CRMLINT_REGEX_DEPTH_LIMIT 10000u
/* The JIT's stack per regex: deeper backtracking gives up like the limits. */
#define CRMLINT_REGEX_JIT_STACK_BYTES (1024u * 1024u)

/* Longest IANA time-zone name accepted (real ones are under 40 bytes). */
#define CRMLINT_TZ_MAX_NAME 255

/* YAML rule packs: nesting depth, alias expansions and file size. */
#define CRMLINT_YAML_MAX_DEPTH   64
#define CRMLINT_YAML_MAX_ALIASES 1000
#define CRMLINT_YAML_MAX_BYTES   (16u * 1024u * 1024u)
#define CRMLINT_YAML_MAX_NODES   1000000

/* `extends` chains deeper than this are reported (cycles are caught first). */
#define CRMLINT_MAX_EXTENDS_DEPTH 32

/* Findings kept in memory for the report.  Past it, findings are still
 * counted (summary, thresholds, exit code) but not listed; the report says
 * how many were dropped. */
#define CRMLINT_MAX_FINDINGS_KEPT 10000000u

/* A finding's value is kept up to this many bytes in reports (a 60 MB
 * rich-text field is not copied into every report); the cut is marked
 * with an ellipsis. */
#define CRMLINT_MAX_VALUE_IN_REPORT 1024u

/* JSON (the --baseline report): container nesting depth and file size.  A
 * crmlint report nests four deep; 1 GiB holds about three million findings. */
#define CRMLINT_JSON_MAX_DEPTH     64
#define CRMLINT_BASELINE_MAX_BYTES (1024u * 1024u * 1024u)

/* `similar` compares each record with every earlier record of its block, so a
 * block of n records costs n(n-1)/2 comparisons.  A block whose next record
 * would take it past this many (at its 3,163rd record) gets one finding
 * there, and that record and the block's later ones are not compared: the
 * time per record stays bounded however large a block grows. */
#define CRMLINT_SIMILAR_MAX_BLOCK_COMPARISONS 5000000u

#endif

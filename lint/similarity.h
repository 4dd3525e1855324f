/*
 * similarity.h - Jaro-Winkler similarity for the `similar` rule (SPEC §3).
 *
 * Strings are compared as sequences of Unicode code points, so "müller" is
 * six characters, not seven bytes.  Each invalid UTF-8 byte counts as one
 * code point, equal only to the same invalid byte.  Callers normalise first
 * (case is not folded here).
 *
 * Definition: match window w = floor(max(|a|,|b|)/2) - 1, not below 0; a
 * code point of a matches the first unmatched equal code point of b within
 * w positions; m matches, t = half the matched code points that are out of
 * order; jaro = (m/|a| + m/|b| + (m-t)/m) / 3, or 0 when m == 0.  Winkler's
 * boost is always applied: with l the common prefix length capped at 4,
 * jw = jaro + l * 0.1 * (1 - jaro).
 *
 * Two empty strings score 1.0 and one empty string against a non-empty one
 * 0.0 (the `similar` rule skips empty values before comparing anyway).
 */
#ifndef CRMLINT_SIMILARITY_H
#define CRMLINT_SIMILARITY_H

#include "common.h"

/* The Jaro-Winkler similarity of a and b, in [0, 1].  Strings of up to
 * JW_STACK_CPS code points each are compared without allocating; longer ones
 * take one allocation, and if it fails the result is -1.0, which the caller
 * must report as out of memory (it is never a valid score). */
#define JW_STACK_CPS 256
double jaro_winkler(slice a, slice b);

#endif

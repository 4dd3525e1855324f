/*
 * regex.h - PCRE2 regexes compiled once, JIT-compiled, searched many times.
 *
 * Patterns are compiled with UTF and UCP and searched unanchored (SPEC §3).
 * Subjects are not re-validated as UTF-8 by PCRE2 on every search
 * (PCRE2_NO_UTF_CHECK): the caller says whether the subject is valid, and an
 * invalid subject is searched as a copy with each invalid byte replaced by
 * U+FFFD (kept in the regex, reused), so a bad byte never crashes a search.
 * Every search runs under CRMLINT_REGEX_MATCH_LIMIT / DEPTH_LIMIT.
 *
 * A compiled regex is read-only after regex_new, so one regex can be searched
 * from several threads at once; what a search writes (match data, the JIT
 * stack, the U+FFFD copy of an invalid subject) lives in a regex_space, one
 * per thread of checking.
 */
#ifndef CRMLINT_REGEX_H
#define CRMLINT_REGEX_H

#include <stdbool.h>
#include <stddef.h>

typedef struct regex regex;
typedef struct regex_space regex_space;

/* Compiles pattern (NUL-terminated).  On error returns NULL and writes the
 * PCRE2 message and the offset in the pattern into err. */
regex *regex_new(const char *pattern, bool caseless, char *err, size_t errlen);
void regex_free(regex *rx);
const char *regex_pattern(const regex *rx);

typedef enum regex_result {
    RX_NOMATCH = 0,
    RX_MATCH = 1,
    RX_LIMIT = -1,
    RX_ERROR = -2
} regex_result;

/* A thread's working memory for searches, usable with any regex.  NULL when
 * memory ran out. */
regex_space *regex_space_new(void);
void regex_space_free(regex_space *sp);

/* Searches subject[0..n) (may contain NUL).  utf8_valid: the caller knows the
 * subject is valid UTF-8 (validated once per value).  sp == NULL (its
 * creation failed) gives RX_ERROR. */
regex_result regex_search(const regex *rx, regex_space *sp, const char *subject, size_t n,
                          bool utf8_valid);

#endif

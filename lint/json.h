/*
 * json.h - a small, strict JSON (RFC 8259) reader into a read-only tree.
 *
 * crmlint reads JSON for one thing, the earlier report behind --baseline,
 * which may hold millions of findings: the parser makes a single pass over
 * the text, allocates the tree from an arena freed in one go, and points
 * strings without escapes straight into the text it owns.
 *
 * Strict means: exactly one value, surrounded only by JSON whitespace (a
 * leading UTF-8 byte order mark is skipped, as RFC 8259 §8.1 allows); no
 * comments, trailing commas, single quotes, NaN or leading zeros; strings
 * must be valid UTF-8 and \u escapes must pair surrogates correctly; an
 * object must not repeat a key (so no two readers can disagree about it).
 *
 * Errors are one line, "NAME:LINE:COL: message", LINE and COL 1-based at the
 * offending byte (COL counts characters, i.e. UTF-8 sequences, on the line).
 */
#ifndef CRMLINT_JSON_H
#define CRMLINT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum json_kind {
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
} json_kind;

typedef struct json_value json_value;

/* Parses data[0..len) (copied; the caller keeps data).  NAME names the input
 * in error messages.  NULL and a message in err on failure. */
json_value *json_parse(const char *name, const char *data, size_t len, char *err, size_t errlen);
/* Reads and parses the file at path (a regular file or a pipe), at most
 * CRMLINT_BASELINE_MAX_BYTES.  NULL and "PATH: message" or
 * "PATH:LINE:COL: message" in err on failure. */
json_value *json_load_file(const char *path, char *err, size_t errlen);
/* Frees a whole tree; only a root returned by json_parse/json_load_file. */
void json_free(json_value *root);

json_kind json_kind_of(const json_value *v);

/* Strings: the decoded UTF-8 bytes (a \u0000 makes a NUL inside), always
 * followed by a NUL byte.  NULL when v is not a string. */
const char *json_string(const json_value *v, size_t *len);

/* Numbers: the value as a double (+-HUGE_VAL when out of range; NaN when v is
 * not a number) and the number's exact text (not NUL-terminated). */
double json_number(const json_value *v);
const char *json_number_text(const json_value *v, size_t *len);
/* True and *out when v is a number written as a plain non-negative integer
 * (no sign, fraction or exponent) that fits in 64 bits: exact, where a double
 * would round above 2^53. */
bool json_number_u64(const json_value *v, uint64_t *out);

/* false when v is not a boolean. */
bool json_bool(const json_value *v);

/* Arrays: 0 and NULL when v is not an array or i is out of range. */
size_t json_array_len(const json_value *v);
const json_value *json_array_item(const json_value *v, size_t i);

/* Objects, members in document order: 0 and NULL when v is not an object or
 * i is out of range.  A key is a JSON_STRING value. */
size_t json_object_len(const json_value *v);
const json_value *json_object_key(const json_value *v, size_t i);
const json_value *json_object_value(const json_value *v, size_t i);
/* The value under key (a NUL-terminated name), NULL when v is not an object
 * or has no such key.  Linear in the number of members. */
const json_value *json_get(const json_value *obj, const char *key);

#endif

/*
 * lookup.h - the table behind an object's `lookups`: for each distinct
 * trimmed key of the target object, the raw values of the few columns the
 * source object's rules read through it (SPEC §3 "Lookups").
 *
 * The first target record with a key wins (file order); later ones are
 * ignored.  Only the needed columns are kept, so memory is the number of
 * distinct keys times the size of those values.
 */
#ifndef CRMLINT_LOOKUP_H
#define CRMLINT_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"

typedef struct lookup_table lookup_table;

lookup_table *lookup_table_new(size_t ncolumns);
void lookup_table_free(lookup_table *t);
/* Adds the record with trimmed key `key` and its raw column values (ncolumns
 * slices), unless the key is already present.  false when out of memory. */
bool lookup_table_add(lookup_table *t, slice key, const slice *columns);
/* The raw value of column col for key; false when no record has the key. */
bool lookup_table_get(const lookup_table *t, slice key, size_t col, slice *out);
size_t lookup_table_count(const lookup_table *t);

#endif

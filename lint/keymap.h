/*
 * keymap.h - a compact hash map from byte strings to 32-bit values.
 *
 * The index behind lookups, references and duplicate detection, sized for
 * millions of distinct keys.  Keys are copied once into an append-only
 * arena (length-prefixed, so they may hold NUL bytes); the table's slots
 * hold half the hash and an entry number (8 bytes a slot, at a load factor
 * of at most 3/4), the entries the key's arena offset and the value (8
 * bytes a key): about 19-29 bytes of index per key plus the key bytes
 * themselves.  A matching hash is always confirmed by
 * comparing the key bytes, so a hash collision can never make two
 * different keys equal.
 */
#ifndef CRMLINT_KEYMAP_H
#define CRMLINT_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"

typedef struct keymap keymap;

keymap *keymap_new(void);
void keymap_free(keymap *m);

/* Looks key up.  Present: returns 1 and sets *value to the stored value.
 * Absent: inserts key with `value` and returns 0.  Out of memory: -1 (the
 * map is unchanged). */
int keymap_put(keymap *m, slice key, uint32_t value, uint32_t *found);

/* 1 and *value when present, 0 when absent. */
int keymap_get(const keymap *m, slice key, uint32_t *value);

size_t keymap_count(const keymap *m);
/* Bytes held by the table and the key arena, for benchmarks. */
size_t keymap_bytes(const keymap *m);

/* The 64-bit hash used by the map (exposed for fingerprints and tests). */
uint64_t keymap_hash(const void *p, size_t n);

#endif

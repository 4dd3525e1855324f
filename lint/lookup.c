/*
 * lookup.c - lookup tables (see lookup.h).
 *
 * Entries live in one growable byte arena: per entry, ncolumns lengths
 * (uint32) followed by the bytes.  The keymap maps a key to its entry's
 * offset, so a lookup is one hash probe and a short walk over lengths.
 */
#include "lookup.h"

#include <string.h>

#include "buf.h"
#include "keymap.h"
#include "xalloc.h"

struct lookup_table {
    keymap *index; /* key -> entry number */
    size_t ncolumns;
    buf arena;       /* entries */
    size_t *offsets; /* entry number -> arena offset */
    size_t count, cap;
};

lookup_table *lookup_table_new(size_t ncolumns)
{
    lookup_table *t = xcalloc(1, sizeof *t);
    if (t == NULL) return NULL;
    t->ncolumns = ncolumns;
    if ((t->index = keymap_new()) == NULL) {
        xfree(t);
        return NULL;
    }
    return t;
}

void lookup_table_free(lookup_table *t)
{
    if (t == NULL) return;
    keymap_free(t->index);
    buf_free(&t->arena);
    xfree(t->offsets);
    xfree(t);
}

bool lookup_table_add(lookup_table *t, slice key, const slice *columns)
{
    if (t->count >= UINT32_MAX) return false;
    if (keymap_get(t->index, key, NULL)) return true;
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        size_t *v = xrealloc(t->offsets, cap * sizeof *v);
        if (v == NULL) return false;
        t->offsets = v;
        t->cap = cap;
    }
    size_t start = t->arena.len;
    for (size_t i = 0; i < t->ncolumns; i++) {
        uint32_t len = columns[i].n > UINT32_MAX ? UINT32_MAX : (uint32_t)columns[i].n;
        buf_add(&t->arena, &len, sizeof len);
    }
    for (size_t i = 0; i < t->ncolumns; i++) buf_add(&t->arena, columns[i].p, columns[i].n);
    if (t->arena.oom) return false;
    if (keymap_put(t->index, key, (uint32_t)t->count, NULL) < 0) {
        t->arena.len = start;
        return false;
    }
    t->offsets[t->count++] = start;
    return true;
}

bool lookup_table_get(const lookup_table *t, slice key, size_t col, slice *out)
{
    uint32_t entry;
    if (!keymap_get(t->index, key, &entry)) return false;
    const char *base = t->arena.p + t->offsets[entry];
    size_t skip = 0;
    uint32_t len = 0;
    for (size_t i = 0; i <= col; i++) {
        memcpy(&len, base + i * sizeof len, sizeof len);
        if (i < col) skip += len;
    }
    *out = slice_of(base + t->ncolumns * sizeof len + skip, len);
    return true;
}

size_t lookup_table_count(const lookup_table *t)
{
    return t->count;
}

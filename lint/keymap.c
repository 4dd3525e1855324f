/*
 * keymap.c - open-addressing hash map over an append-only key arena (see
 * keymap.h).
 *
 * Linear probing on a power-of-two table of 8-byte slots (half the hash
 * and an entry number); the entries (key offset, value) are a separate
 * array in insertion order, so the table, which is mostly empty, is as
 * small as it can be.  Nothing is ever deleted, which keeps probing simple
 * and the arena append-only.
 */
#include "keymap.h"

#include <string.h>
#include <sys/mman.h>

#include "varint.h"
#include "xalloc.h"

/* A slot: the low half of the key's hash and 1 + the entry's index; ref 0
 * is empty.  The slot's position is the low bits of the same half, so keys
 * with another home never match the tag, and keys sharing a home are told
 * apart by the tag's upper bits before the arena is touched.  Keeping the
 * position bits in the slot lets growth walk the old table in order and
 * write the new one almost in order too (position i goes to i or
 * i + old size), which matters once the table is larger than the caches. */
typedef struct slot {
    uint32_t tag;
    uint32_t ref;
} slot;

/* Per key, in insertion order. */
typedef struct entry {
    uint32_t key; /* arena offset of the key's length prefix */
    uint32_t value;
} entry;

struct keymap {
    slot *slots;
    size_t mask; /* table size - 1 */
    entry *entries;
    size_t count, entries_cap;
    char *arena; /* [len: varint][bytes] ... */
    size_t arena_len, arena_cap;
};

/* A fast 64-bit hash (wyhash-style multiply-mix over 8-byte words). */
static uint64_t mix(uint64_t a, uint64_t b)
{
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)(r >> 64) ^ (uint64_t)r;
}

uint64_t keymap_hash(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = mix(h ^ w, 0xA0761D6478BD642Full);
        s += 8;
        n -= 8;
    }
    uint64_t tail = 0;
    if (n) memcpy(&tail, s, n); /* s may be NULL when n is 0 */
    return mix(h ^ tail, 0xE7037ED1A0B428DBull);
}

keymap *keymap_new(void)
{
    keymap *m = xcalloc(1, sizeof *m);
    if (m == NULL) return NULL;
    m->slots = xcalloc(64, sizeof *m->slots);
    if (m->slots == NULL) {
        xfree(m);
        return NULL;
    }
    m->mask = 63;
    return m;
}

void keymap_free(keymap *m)
{
    if (m == NULL) return;
    xfree(m->slots);
    xfree(m->entries);
    xfree(m->arena);
    xfree(m);
}

static slice key_at(const keymap *m, uint32_t off)
{
    uint64_t len;
    const char *p = varint_get(m->arena + off, &len);
    return slice_of(p, (size_t)len);
}

static bool key_equals(const keymap *m, uint32_t off, slice key)
{
    slice k = key_at(m, off);
    return k.n == key.n && (k.n == 0 || memcmp(k.p, key.p, key.n) == 0);
}

/* The key's slot, or the empty slot where it would go. */
static slot *probe(const keymap *m, uint64_t h, slice key)
{
    uint32_t tag = (uint32_t)h;
    for (size_t i = tag & m->mask;; i = (i + 1) & m->mask) {
        slot *s = &m->slots[i];
        if (s->ref == 0 || (s->tag == tag && key_equals(m, m->entries[s->ref - 1].key, key)))
            return s;
    }
}

/* A large table is probed at random, so with 4 KiB pages nearly every probe
 * also misses the TLB.  Where the kernel gives transparent huge pages on
 * request, ask for them; a refusal changes nothing. */
static void advise_huge_pages(void *p, size_t n)
{
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t start = ((uintptr_t)p + huge - 1) & ~(huge - 1),
              end = ((uintptr_t)p + n) & ~(huge - 1);
    if (end > start) (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
}

/* Doubles the table (at most 2^32 slots: positions come from the tag). */
static bool grow(keymap *m)
{
    size_t size = (m->mask + 1) * 2, mask = size - 1;
    if (size > (size_t)UINT32_MAX + 1) return false;
    /* Written, not calloc'd: a large calloc maps the shared zero page, and
     * the first write after probing it read-only costs a second page fault
     * whose TLB flush interrupts every other checking thread. */
    slot *slots = xmalloc(size * sizeof *slots);
    if (slots == NULL) return false;
    advise_huge_pages(slots, size * sizeof *slots);
    memset(slots, 0, size * sizeof *slots);
    for (size_t i = 0; i <= m->mask; i++) {
        const slot *s = &m->slots[i];
        if (s->ref == 0) continue;
        size_t j = s->tag & mask;
        while (slots[j].ref != 0) j = (j + 1) & mask;
        slots[j] = *s;
    }
    xfree(m->slots);
    m->slots = slots;
    m->mask = mask;
    return true;
}

static bool arena_add(keymap *m, slice key, uint32_t *off)
{
    size_t need = m->arena_len + key.n + 10;
    if (need > UINT32_MAX) return false; /* offsets are 32-bit: 4 GiB of keys */
    if (need > m->arena_cap) {
        size_t cap = m->arena_cap ? m->arena_cap : 4096;
        while (cap < need) cap *= 2;
        if (cap > (size_t)UINT32_MAX + 1) cap = (size_t)UINT32_MAX + 1;
        char *a = xrealloc(m->arena, cap);
        if (a == NULL) return false;
        m->arena = a;
        m->arena_cap = cap;
    }
    *off = (uint32_t)m->arena_len;
    char *p = varint_put(m->arena + m->arena_len, key.n);
    if (key.n) memcpy(p, key.p, key.n);
    m->arena_len = (size_t)(p - m->arena) + key.n;
    return true;
}

int keymap_put(keymap *m, slice key, uint32_t value, uint32_t *found)
{
    uint64_t h = keymap_hash(key.p, key.n);
    slot *s = probe(m, h, key);
    if (s->ref != 0) {
        if (found) *found = m->entries[s->ref - 1].value;
        return 1;
    }
    if (m->count >= UINT32_MAX - 1) return -1; /* refs are 32-bit */
    if (m->count == m->entries_cap) {
        size_t cap = m->entries_cap ? m->entries_cap * 2 : 64;
        entry *v = xrealloc(m->entries, cap * sizeof *v);
        if (v == NULL) return -1;
        m->entries = v;
        m->entries_cap = cap;
    }
    if ((m->count + 1) * 4 > (m->mask + 1) * 3) {
        if (!grow(m)) return -1;
        s = probe(m, h, key);
    }
    uint32_t off;
    if (!arena_add(m, key, &off)) return -1;
    m->entries[m->count] = (entry){off, value};
    *s = (slot){(uint32_t)h, (uint32_t)++m->count};
    return 0;
}

int keymap_get(const keymap *m, slice key, uint32_t *value)
{
    const slot *s = probe(m, keymap_hash(key.p, key.n), key);
    if (s->ref == 0) return 0;
    if (value) *value = m->entries[s->ref - 1].value;
    return 1;
}

size_t keymap_count(const keymap *m)
{
    return m->count;
}

size_t keymap_bytes(const keymap *m)
{
    return (m->mask + 1) * sizeof(slot) + m->entries_cap * sizeof(entry) + m->arena_cap;
}

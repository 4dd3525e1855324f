/*
 * keymap.c - open-addressing hash map over an append-only key arena (see
 * keymap.h).
 *
 * Linear probing on a power-of-two table.  A slot stores the full 64-bit
 * hash (so most mismatches are rejected without touching the arena), the
 * key's arena offset, and the value.  Nothing is ever deleted, which keeps
 * probing simple and the arena append-only.
 */
#include "keymap.h"

#include <string.h>

#include "varint.h"
#include "xalloc.h"

/* Set in every stored hash, so 0 can mean "empty".  The top bit, not the
 * bottom one: slots are chosen by the low bits. */
#define OCCUPIED (1ull << 63)

typedef struct slot {
    uint64_t hash; /* 0 marks an empty slot; real hashes have the top bit set */
    uint32_t key;  /* arena offset of the key's length prefix */
    uint32_t value;
} slot;

struct keymap {
    slot *slots;
    size_t mask; /* table size - 1 */
    size_t count;
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
    xfree(m->arena);
    xfree(m);
}

static bool key_equals(const keymap *m, uint32_t off, slice key)
{
    uint64_t len;
    const char *p = varint_get(m->arena + off, &len);
    return len == key.n && (len == 0 || memcmp(p, key.p, key.n) == 0);
}

static slot *probe(const keymap *m, uint64_t h, slice key)
{
    for (size_t i = h & m->mask;; i = (i + 1) & m->mask) {
        slot *s = &m->slots[i];
        if (s->hash == 0 || (s->hash == h && key_equals(m, s->key, key))) return s;
    }
}

static bool grow(keymap *m)
{
    size_t size = (m->mask + 1) * 2;
    /* Written, not calloc'd: a large calloc maps the shared zero page, and
     * the first write after probing it read-only costs a second page fault
     * whose TLB flush interrupts every other checking thread. */
    slot *slots = xmalloc(size * sizeof *slots);
    if (slots == NULL) return false;
    memset(slots, 0, size * sizeof *slots);
    for (size_t i = 0; i <= m->mask; i++) {
        slot *s = &m->slots[i];
        if (s->hash == 0) continue;
        size_t j = s->hash & (size - 1);
        while (slots[j].hash != 0) j = (j + 1) & (size - 1);
        slots[j] = *s;
    }
    xfree(m->slots);
    m->slots = slots;
    m->mask = size - 1;
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
    uint64_t h = keymap_hash(key.p, key.n) | OCCUPIED;
    slot *s = probe(m, h, key);
    if (s->hash != 0) {
        if (found) *found = s->value;
        return 1;
    }
    if ((m->count + 1) * 4 > (m->mask + 1) * 3) {
        if (!grow(m)) return -1;
        s = probe(m, h, key);
    }
    uint32_t off;
    if (!arena_add(m, key, &off)) return -1;
    s->hash = h;
    s->key = off;
    s->value = value;
    m->count++;
    return 0;
}

int keymap_get(const keymap *m, slice key, uint32_t *value)
{
    uint64_t h = keymap_hash(key.p, key.n) | OCCUPIED;
    const slot *s = probe(m, h, key);
    if (s->hash == 0) return 0;
    if (value) *value = s->value;
    return 1;
}

size_t keymap_count(const keymap *m)
{
    return m->count;
}

size_t keymap_bytes(const keymap *m)
{
    return (m->mask + 1) * sizeof(slot) + m->arena_cap;
}

/*
 * test_keymap.c - the hash map behind lookups and duplicate indexes:
 * insert/find, NUL bytes in keys, growth, collisions confirmed by bytes.
 */
#include <stdio.h>
#include <string.h>

#include "keymap.h"
#include "unit.h"
#include "xalloc.h"

START_TEST(put_and_get)
{
    keymap *m = keymap_new();
    uint32_t v = 0;
    ck_assert_int_eq(keymap_put(m, SLICE_LIT("a@x.io"), 7, &v), 0);
    ck_assert_int_eq(keymap_put(m, SLICE_LIT("a@x.io"), 9, &v), 1);
    ck_assert_uint_eq(v, 7); /* the first value stays */
    ck_assert_int_eq(keymap_get(m, SLICE_LIT("a@x.io"), &v), 1);
    ck_assert_uint_eq(v, 7);
    ck_assert_int_eq(keymap_get(m, SLICE_LIT("a@x.i"), &v), 0);
    ck_assert_int_eq(keymap_put(m, slice_of("", 0), 1, NULL), 0); /* the empty key is a key */
    ck_assert_int_eq(keymap_get(m, slice_of("", 0), &v), 1);
    ck_assert_uint_eq(keymap_count(m), 2);
    keymap_free(m);
}
END_TEST

START_TEST(nul_bytes_are_part_of_the_key)
{
    keymap *m = keymap_new();
    ck_assert_int_eq(keymap_put(m, slice_of("a\0b", 3), 1, NULL), 0);
    ck_assert_int_eq(keymap_put(m, slice_of("a\0c", 3), 2, NULL), 0);
    ck_assert_int_eq(keymap_put(m, slice_of("a", 1), 3, NULL), 0);
    uint32_t v;
    ck_assert_int_eq(keymap_get(m, slice_of("a\0c", 3), &v), 1);
    ck_assert_uint_eq(v, 2);
    ck_assert_uint_eq(keymap_count(m), 3);
    keymap_free(m);
}
END_TEST

START_TEST(grows_to_many_keys)
{
    keymap *m = keymap_new();
    char key[32];
    for (uint32_t i = 0; i < 200000; i++) {
        int n = snprintf(key, sizeof key, "lead-%u@example.com", i);
        ck_assert_int_eq(keymap_put(m, slice_of(key, (size_t)n), i, NULL), 0);
    }
    ck_assert_uint_eq(keymap_count(m), 200000);
    for (uint32_t i = 0; i < 200000; i += 997) {
        int n = snprintf(key, sizeof key, "lead-%u@example.com", i);
        uint32_t v;
        ck_assert_int_eq(keymap_get(m, slice_of(key, (size_t)n), &v), 1);
        ck_assert_uint_eq(v, i);
    }
    /* index: at most 32 bytes a key for the table, plus the key bytes */
    ck_assert_uint_le(keymap_bytes(m), 200000 * (32 + 2 * 26));
    keymap_free(m);
}
END_TEST

START_TEST(long_keys_and_lengths)
{
    keymap *m = keymap_new();
    static char big[70000];
    memset(big, 'x', sizeof big);
    ck_assert_int_eq(keymap_put(m, slice_of(big, sizeof big), 5, NULL), 0);
    ck_assert_int_eq(keymap_get(m, slice_of(big, sizeof big - 1), NULL), 0);
    uint32_t v;
    ck_assert_int_eq(keymap_get(m, slice_of(big, sizeof big), &v), 1);
    ck_assert_uint_eq(v, 5);
    keymap_free(m);
}
END_TEST

START_TEST(out_of_memory_leaves_map_usable)
{
    keymap *m = keymap_new();
    char key[32];
    int i = 0, n;
    xalloc_fail_after(1);
    int rc = 0;
    for (; i < 100 && rc == 0; i++) {
        n = snprintf(key, sizeof key, "k%d", i);
        rc = keymap_put(m, slice_of(key, (size_t)n), (uint32_t)i, NULL);
    }
    xalloc_fail_after(0);
    ck_assert_int_eq(rc, -1);
    size_t before = keymap_count(m);
    ck_assert_int_eq(keymap_put(m, SLICE_LIT("after"), 1, NULL), 0);
    ck_assert_uint_eq(keymap_count(m), before + 1);
    keymap_free(m);
}
END_TEST

START_TEST(hash_differs_on_tail_bytes)
{
    ck_assert(keymap_hash("abcdefgh1", 9) != keymap_hash("abcdefgh2", 9));
    ck_assert(keymap_hash("", 0) != keymap_hash("\0", 1));
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("keymap");
    TCase *tc = tcase_create("keymap");
    tcase_add_test(tc, put_and_get);
    tcase_add_test(tc, nul_bytes_are_part_of_the_key);
    tcase_add_test(tc, grows_to_many_keys);
    tcase_add_test(tc, long_keys_and_lengths);
    tcase_add_test(tc, out_of_memory_leaves_map_usable);
    tcase_add_test(tc, hash_differs_on_tail_bytes);
    suite_add_tcase(s, tc);
    return s;
}

/*
 * test_arena.c - block allocation: alignment, copies, large requests,
 * moving blocks between arenas, and failing allocations.
 */
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "unit.h"
#include "xalloc.h"

START_TEST(allocations_are_aligned_and_distinct)
{
    arena *a = arena_new();
    ck_assert_ptr_nonnull(a);
    char *prev = NULL;
    for (size_t n = 0; n < 3000; n++) {
        char *p = arena_alloc(a, n % 37);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq((uintptr_t)p % alignof(max_align_t), 0);
        memset(p, 0xAB, n % 37);
        ck_assert(p != prev);
        prev = p;
    }
    char *s = arena_strndup(a, "ab\0cd", 5);
    ck_assert(memcmp(s, "ab\0cd", 6) == 0);
    char *z = arena_calloc(a, 100);
    for (int i = 0; i < 100; i++) ck_assert_int_eq(z[i], 0);
    /* A large request gets a block of its own and small ones go on. */
    char *big = arena_alloc(a, 1 << 20);
    ck_assert_ptr_nonnull(big);
    memset(big, 1, 1 << 20);
    ck_assert_ptr_nonnull(arena_strndup(a, "after", 5));
    ck_assert_uint_ge(arena_bytes(a), (1u << 20) + 3000u);
    arena_free(a);
    arena_free(NULL);
}
END_TEST

START_TEST(adopt_moves_blocks)
{
    arena *dst = arena_new(), *src = arena_new();
    char *keep = arena_strndup(src, "kept", 4);
    size_t bytes = arena_bytes(src);
    ck_assert_ptr_nonnull(arena_strndup(dst, "x", 1));
    size_t before = arena_bytes(dst);
    arena_adopt(dst, src);
    ck_assert_uint_eq(arena_bytes(src), 0);
    ck_assert_uint_eq(arena_bytes(dst), before + bytes);
    arena_free(src); /* the strings now belong to dst */
    ck_assert_str_eq(keep, "kept");
    ck_assert_ptr_nonnull(arena_strndup(dst, "y", 1));
    arena *empty = arena_new();
    arena_adopt(empty, dst);
    ck_assert_str_eq(keep, "kept");
    arena_free(dst);
    arena_free(empty);
}
END_TEST

START_TEST(out_of_memory)
{
    arena *a = arena_new();
    xalloc_fail_after(1);
    ck_assert_ptr_null(arena_alloc(a, 10));
    xalloc_fail_after(1);
    ck_assert_ptr_null(arena_alloc(a, 1 << 20));
    xalloc_fail_after(0);
    ck_assert_ptr_nonnull(arena_alloc(a, 10));
    arena_free(a);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("arena");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, allocations_are_aligned_and_distinct);
    tcase_add_test(tc, adopt_moves_blocks);
    tcase_add_test(tc, out_of_memory);
    suite_add_tcase(s, tc);
    return s;
}

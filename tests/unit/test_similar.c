/*
 * test_similar.c - the `similar` rule through the engine: blocks (and
 * records outside any block), the threshold boundary, the earliest similar
 * record as related, the score in the message (cut, not rounded), block_by
 * with its own normaliser, one block for all without block_by, the
 * comparison limit per block, and pack errors.
 */
#include "lintfix.h"
#include "limits.h"
#include "unit.h"

#define HEAD                                                                                       \
    "version: 1\nsettings: {timezone: UTC}\nobjects:\n"                                            \
    "  account:\n    files: [\"Acc*.csv\"]\n    key: Id\n    null_values: [\"N/A\"]\n"             \
    "    rules:\n"

static void expect(const result *r, const char *id, size_t nth, uint64_t line, const char *record,
                   uint64_t rel_line, const char *rel_record, const char *message)
{
    const finding *f = fix_find(r, id, nth);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(f->line, line);
    if (record)
        ck_assert_str_eq(f->record, record);
    else
        ck_assert_ptr_null(f->record);
    ck_assert_uint_eq(f->nrelated, 1);
    ck_assert_uint_eq(f->related[0].file, 0);
    ck_assert_uint_eq(f->related[0].line, rel_line);
    if (rel_record)
        ck_assert_str_eq(f->related[0].record, rel_record);
    else
        ck_assert_ptr_null(f->related[0].record);
    if (message) ck_assert_str_eq(f->message, message);
}

START_TEST(only_within_blocks)
{
    pack *p = fix_pack(HEAD "      - {id: s, type: similar, field: Name, block_by: [Country],\n"
                            "         min_similarity: 0.9}\n");
    result *r = fix_run(p, "Acc.csv",
                        "Id,Name,Country\n"
                        "A1,Acme Corporation,US\n"
                        "A2,Acme Corp,DE\n"   /* another block */
                        "A3,ACME Corp,US\n"   /* 0.9125 to A1 */
                        "A4,Globex,us\n"      /* block values are lower-cased */
                        "A5,Globex Inc,US \n" /* 0.92 to A4 */
                        "A6,Acme Corp,\n"     /* no block */
                        "A7,Acme Corp,N/A\n"  /* null block value: no block */
                        "A8,,US\n"            /* empty field: skipped */
                        "A9,Acme Inc,US\n");  /* 0.883 to A3: below */
    ck_assert_uint_eq(fix_count(r, "s"), 2);
    expect(r, "s", 0, 4, "A3", 2, "A1", "Name ACME Corp is 0.91 similar to record A1 (line 2)");
    ck_assert_str_eq(fix_find(r, "s", 0)->column, "Name");
    ck_assert_str_eq(fix_find(r, "s", 0)->value, "ACME Corp");
    expect(r, "s", 1, 6, "A5", 5, "A4", "Name Globex Inc is 0.92 similar to record A4 (line 5)");
    ck_assert_uint_eq(fix_rule(r, "s")->checked, 6);
    ck_assert_uint_eq(fix_rule(r, "s")->nstats, 0);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(threshold_boundary)
{
    pack *p = fix_pack(HEAD "      - {id: at, type: similar, field: N, min_similarity: 0.7}\n"
                            "      - {id: above, type: similar, field: N, min_similarity: 0.7001}\n"
                            "      - {id: one, type: similar, field: N, min_similarity: 1}\n"
                            "      - {id: zero, type: similar, field: N, min_similarity: 0}\n");
    /* "ab" and "ac" score exactly 0.7; "ab" and "AB" are equal once lowered. */
    result *r = fix_run(p, "Acc.csv", "Id,N\nA1,ab\nA2,ac\nA3,AB\nA4,zz\n");
    ck_assert_uint_eq(fix_count(r, "at"), 2);
    expect(r, "at", 0, 3, "A2", 2, "A1", "N ac is 0.70 similar to record A1 (line 2)");
    expect(r, "at", 1, 4, "A3", 2, "A1", "N AB is 1.00 similar to record A1 (line 2)");
    ck_assert_uint_eq(fix_count(r, "above"), 1);
    expect(r, "above", 0, 4, "A3", 2, "A1", NULL);
    ck_assert_uint_eq(fix_count(r, "one"), 1);
    ck_assert_uint_eq(fix_count(r, "zero"), 3); /* 0 similarity still reaches 0 */
    expect(r, "zero", 2, 5, "A4", 2, "A1", "N zz is 0.00 similar to record A1 (line 2)");
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(earliest_similar_record_is_related)
{
    pack *p = fix_pack(HEAD "      - {id: s, type: similar, field: N, min_similarity: 0.94}\n");
    result *r = fix_run(p, "Acc.csv",
                        "Id,N\nA1,jonathan smith\nA2,zzz\nA3,jonathon smith\nA4,jonathan smyth\n"
                        "A5,Jonathon Smith\n");
    ck_assert_uint_eq(fix_count(r, "s"), 3);
    expect(r, "s", 0, 4, "A3", 2, "A1", "N jonathon smith is 0.97 similar to record A1 (line 2)");
    /* 0.971 to A1 and 0.943 to A3: the earliest wins, not the best. */
    expect(r, "s", 1, 5, "A4", 2, "A1", "N jonathan smyth is 0.97 similar to record A1 (line 2)");
    /* A5 equals A3 once lowered but A1 comes first (0.971). */
    expect(r, "s", 2, 6, "A5", 2, "A1", NULL);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(score_is_cut_not_rounded)
{
    pack *p =
        fix_pack(HEAD "      - {id: two, type: similar, field: N, min_similarity: 0.98}\n"
                      "      - {id: three, type: similar, field: N, min_similarity: 0.985}\n");
    /* Score 0.98888...: rounding would say 0.99. */
    result *r = fix_run(p, "Acc.csv",
                        "Id,N\nA1,abcdefghijklmnopqrstuvwxyz0123456789\n"
                        "A2,abcdefghijklmnopqrstuvwxyz012345678X\n");
    ck_assert_str_eq(
        fix_find(r, "two", 0)->message,
        "N abcdefghijklmnopqrstuvwxyz012345678X is 0.98 similar to record A1 (line 2)");
    /* Two digits would read as below 0.985: a third is shown. */
    ck_assert_str_eq(fix_find(r, "three", 0)->message,
                     "N abcdefghijklmnopqrstuvwxyz012345678X is 0.988 similar to record A1 "
                     "(line 2)");
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(normalisers_for_field_and_blocks)
{
    pack *p = fix_pack(HEAD "      - {id: s, type: similar, field: Name, normalize: company,\n"
                            "         block_by: [{field: Web, normalize: domain}, City],\n"
                            "         min_similarity: 0.95}\n"
                            "      - {id: p, type: similar, field: Phone, normalize: phone,\n"
                            "         min_similarity: 1}\n");
    result *r = fix_run(p, "Acc.csv",
                        "Id,Name,Web,City,Phone\n"
                        "A1,\"Acme, Inc.\",https://www.acme.com/about,Paris,+33 1 23\n"
                        "A2,ACME Ltd,acme.com,PARIS,0033 1 23\n" /* same block, "acme" */
                        "A3,ACME Ltd,acme.com,Lyon,n/a\n"        /* another block */
                        "A4,ACME Ltd,,Paris,none\n");            /* no block */
    ck_assert_uint_eq(fix_count(r, "s"), 1);
    expect(r, "s", 0, 3, "A2", 2, "A1", "Name ACME Ltd is 1.00 similar to record A1 (line 2)");
    ck_assert_uint_eq(fix_count(r, "p"), 1);
    expect(r, "p", 0, 3, "A2", 2, "A1", NULL);
    ck_assert_uint_eq(fix_rule(r, "p")->checked, 2); /* no digits: empty, skipped */
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(without_record_key)
{
    pack *p = fix_pack("version: 1\nobjects:\n  account:\n    files: [\"Acc*.csv\"]\n    rules:\n"
                       "      - {id: s, type: similar, field: N, min_similarity: 0.9}\n");
    result *r = fix_run(p, "Acc.csv", "N\nmartha\nmarhta\n");
    ck_assert_uint_eq(fix_count(r, "s"), 1);
    expect(r, "s", 0, 3, NULL, 2, NULL, "N marhta is 0.96 similar to the record at line 2");
    result_free(r);
    pack_free(p);
}
END_TEST

/* n(n-1)/2 comparisons for n records: the record that goes over the limit. */
static uint64_t first_over_limit(void)
{
    uint64_t k = 1;
    while (k * (k - 1) / 2 <= CRMLINT_SIMILAR_MAX_BLOCK_COMPARISONS) k++;
    return k;
}

START_TEST(block_over_comparison_limit)
{
    pack *p = fix_pack(HEAD "      - {id: s, type: similar, field: N, block_by: [B],\n"
                            "         min_similarity: 0.9}\n");
    uint64_t cut = first_over_limit();
    ck_assert_uint_eq(cut, 3163); /* as limits.h says */
    uint64_t big = cut + 40;
    buf csv = BUF_INIT;
    buf_adds(&csv, "Id,N,B\n");
    buf_adds(&csv, "S1,small block,y\n");
    /* Identical names: each record matches the block's first at once, so
     * the test is fast, but the charge is still every earlier record. */
    for (uint64_t i = 1; i <= big; i++)
        buf_printf(&csv, "R%llu,same name,x\n", (unsigned long long)i);
    buf_adds(&csv, "S2,small blocks,y\n");
    ck_assert(!csv.oom);
    result *r = fix_run(p, "Acc.csv", csv.p);
    buf_free(&csv);
    /* R2..R(cut-1) are similar to R1, R(cut) hits the limit, S2 still compared. */
    ck_assert_uint_eq(fix_count(r, "s"), (cut - 2) + 1 + 1);
    expect(r, "s", 0, 4, "R2", 3, "R1", "N same name is 1.00 similar to record R1 (line 3)");
    const finding *f = fix_find(r, "s", cut - 2);
    char rec[32];
    snprintf(rec, sizeof rec, "R%llu", (unsigned long long)cut);
    expect(r, "s", cut - 2, cut + 2, rec, 3, "R1",
           "N same name is not compared: its block (same B as record R1, line 3) would exceed "
           "5000000 comparisons (CRMLINT_SIMILAR_MAX_BLOCK_COMPARISONS), so neither are its "
           "later records");
    ck_assert_str_eq(f->column, "N");
    expect(r, "s", cut - 1, big + 3, "S2", 2, "S1", NULL);
    const result_rule *rr = fix_rule(r, "s");
    ck_assert_uint_eq(rr->checked, 2 + cut);
    ck_assert_uint_eq(rr->nstats, 2);
    ck_assert_str_eq(rr->stats[0].name, "blocks_over_comparison_limit");
    ck_assert(rr->stats[0].value == 1.0);
    ck_assert_str_eq(rr->stats[1].name, "records_not_compared");
    ck_assert(rr->stats[1].value == (double)(big - cut));
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(no_block_by_is_one_block_under_the_limit)
{
    pack *p = fix_pack("version: 1\nobjects:\n  account:\n    files: [\"Acc*.csv\"]\n    rules:\n"
                       "      - {id: s, type: similar, field: N, min_similarity: 0.99}\n");
    buf csv = BUF_INIT;
    buf_adds(&csv, "N\n");
    /* Distinct values with nothing similar: every pair is compared. */
    for (int i = 0; i < 3170; i++) buf_printf(&csv, "v%d\n", i * 7919);
    result *r = fix_run(p, "Acc.csv", csv.p);
    buf_free(&csv);
    ck_assert_uint_eq(fix_count(r, "s"), 1);
    const finding *f = fix_find(r, "s", 0);
    ck_assert_uint_eq(f->line, 3164);
    ck_assert_str_eq(f->message,
                     "N v25039878 is not compared: its block (all records: no block_by, the first "
                     "is the record at line 2) would exceed 5000000 comparisons "
                     "(CRMLINT_SIMILAR_MAX_BLOCK_COMPARISONS), so neither are its later records");
    ck_assert_uint_eq(f->related[0].line, 2);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(pack_errors)
{
    ck_assert_str_eq(fix_pack_error(HEAD "      - {id: s, type: similar, field: N, "
                                         "min_similarity: 1.5}\n"),
                     "pack.yaml:9:58: 'min_similarity' must be between 0 and 1");
    ck_assert_str_eq(fix_pack_error(HEAD "      - {id: s, type: similar, field: N}\n"),
                     "pack.yaml:9:9: missing required key 'min_similarity'");
    ck_assert_str_eq(fix_pack_error(HEAD "      - {id: s, type: similar, field: N, "
                                         "normalize: soundex, min_similarity: 1}\n"),
                     "pack.yaml:9:53: unknown normaliser 'soundex' (expected exact, trim, lower, "
                     "email, phone, company or domain)");
    ck_assert_str_eq(fix_pack_error(HEAD "      - {id: s, type: similar, field: N, "
                                         "block_by: [{field: B, norm: lower}], "
                                         "min_similarity: 1}\n"),
                     "pack.yaml:9:64: unknown key 'norm' in a block_by entry");
    ck_assert_str_eq(fix_pack_error(HEAD "      - {id: s, type: similar, field: N, "
                                         "block_by: [[B]], min_similarity: 1}\n"),
                     "pack.yaml:9:53: 'block_by' entries must be column names or {field, "
                     "normalize} mappings");
    ck_assert_str_eq(fix_pack_error(HEAD "      - {id: s, type: similar, field: N, "
                                         "block_by: [], min_similarity: 1}\n"),
                     "pack.yaml:9:52: 'block_by' must list at least one column");
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("similar");
    TCase *tc = tcase_create("similar");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, fix_setup, fix_teardown);
    tcase_add_test(tc, only_within_blocks);
    tcase_add_test(tc, threshold_boundary);
    tcase_add_test(tc, earliest_similar_record_is_related);
    tcase_add_test(tc, score_is_cut_not_rounded);
    tcase_add_test(tc, normalisers_for_field_and_blocks);
    tcase_add_test(tc, without_record_key);
    tcase_add_test(tc, block_over_comparison_limit);
    tcase_add_test(tc, no_block_by_is_one_block_under_the_limit);
    tcase_add_test(tc, pack_errors);
    suite_add_tcase(s, tc);
    return s;
}

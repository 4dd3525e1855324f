/*
 * test_unique.c - the `unique` rule through the engine: normalisers (case,
 * white space, e-mail +tags, phone formats with default_country_code,
 * company suffixes), composite keys and their separator, empty parts,
 * `across` other objects (aliases, `when`, first listed object wins, one
 * finding per record), the related site in the same and in another file,
 * and pack errors.
 */
#include "lintfix.h"
#include "unit.h"

#define HEAD                                                                                       \
    "version: 1\nsettings: {timezone: UTC, default_country_code: \"1\"}\nobjects:\n"               \
    "  lead:\n    files: [\"Lead*.csv\"]\n    key: Id\n    null_values: [\"N/A\"]\n"

static result *run_files(pack *p, const char **names, const char **csv, size_t n)
{
    file_binding b[4];
    for (size_t i = 0; i < n; i++) b[i] = (file_binding){fix_file(names[i], csv[i]), NULL};
    lint_options o = {.fail_on = SEV_ERROR, .files = b, .nfiles = n};
    char err[512];
    result *r = engine_run(p, &o, err, sizeof err);
    if (r == NULL) ck_abort_msg("engine failed: %s", err);
    return r;
}

/* Asserts finding nth of rule id: its line, record, and related site. */
static void expect(const result *r, const char *id, size_t nth, uint64_t line, const char *record,
                   uint32_t rel_file, uint64_t rel_line, const char *rel_record)
{
    const finding *f = fix_find(r, id, nth);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(f->line, line);
    if (record)
        ck_assert_str_eq(f->record, record);
    else
        ck_assert_ptr_null(f->record);
    ck_assert_uint_eq(f->nrelated, 1);
    ck_assert_uint_eq(f->related[0].file, rel_file);
    ck_assert_uint_eq(f->related[0].line, rel_line);
    if (rel_record)
        ck_assert_str_eq(f->related[0].record, rel_record);
    else
        ck_assert_ptr_null(f->related[0].record);
}

START_TEST(email_ignores_case_and_white_space_but_keeps_tags)
{
    pack *p = fix_pack(
        HEAD "    rules:\n"
             "      - {id: u, type: unique, fields: [Email], normalize: {Email: email}}\n");
    result *r = fix_run(p, "Lead.csv",
                        "Id,Email\n"
                        "L1,Ann@X.com\n"
                        "L2, ann@x.COM \n"
                        "L3,ann+tag@x.com\n"
                        "L4,bob@x.com\n"
                        "L5,ANN@x.com\n"
                        "L6,\n"
                        "L7,N/A\n"
                        "L8,a.nn@x.com\n");
    ck_assert_uint_eq(fix_count(r, "u"), 2);
    expect(r, "u", 0, 3, "L2", 0, 2, "L1");
    const finding *f = fix_find(r, "u", 0);
    ck_assert_str_eq(f->column, "Email");
    ck_assert_str_eq(f->value, " ann@x.COM ");
    ck_assert_str_eq(f->message, "Email ann@x.COM duplicates record L1 (line 2)");
    expect(r, "u", 1, 6, "L5", 0, 2, "L1");          /* related is the first, not the latest */
    ck_assert_uint_eq(fix_rule(r, "u")->checked, 6); /* empty and null skipped */
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(default_is_the_trimmed_value)
{
    pack *p = fix_pack(HEAD "    rules:\n      - {id: u, type: unique, fields: [Email]}\n");
    result *r = fix_run(p, "Lead.csv",
                        "Id,Email\nL1,Ann@x.com\nL2,ann@x.com\nL3,  Ann@x.com\t\nL4,Ann@x.com\n");
    ck_assert_uint_eq(fix_count(r, "u"), 2);
    expect(r, "u", 0, 4, "L3", 0, 2, "L1");
    expect(r, "u", 1, 5, "L4", 0, 2, "L1");
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(phone_formats_with_default_country_code)
{
    pack *p = fix_pack(
        HEAD "    rules:\n"
             "      - {id: u, type: unique, fields: [Phone], normalize: {Phone: phone}}\n");
    result *r = fix_run(p, "Lead.csv",
                        "Id,Phone\n"
                        "L1,(415) 555-0100\n"
                        "L2,+1 415 555 0100\n"
                        "L3,415.555.0100 x12\n"
                        "L4,0044 20 7946 0958\n"
                        "L5,+44 20 7946 0958\n"
                        "L6,14155550100\n"
                        "L7,call me\n"
                        "L8,415 555 0101\n");
    ck_assert_uint_eq(fix_count(r, "u"), 4);
    expect(r, "u", 0, 3, "L2", 0, 2, "L1");
    expect(r, "u", 1, 4, "L3", 0, 2, "L1");          /* the extension is not part of the number */
    expect(r, "u", 2, 6, "L5", 0, 5, "L4");          /* 00 and + both carry the country code */
    expect(r, "u", 3, 7, "L6", 0, 2, "L1");          /* already starts with 1 and has 11 digits */
    ck_assert_uint_eq(fix_rule(r, "u")->checked, 7); /* no digits: empty after normalising */
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(company_suffixes)
{
    pack *p = fix_pack(HEAD "    rules:\n"
                            "      - {id: u, type: unique, fields: [Company], "
                            "normalize: {Company: company}}\n");
    result *r =
        fix_run(p, "Lead.csv",
                "Id,Company\nL1,\"Acme, Inc.\"\nL2,ACME Inc\nL3,Acme Corp.\nL4,Acme Widgets\n"
                "L5,acme   co\n");
    ck_assert_uint_eq(fix_count(r, "u"), 3);
    expect(r, "u", 0, 3, "L2", 0, 2, "L1");
    expect(r, "u", 1, 4, "L3", 0, 2, "L1");
    expect(r, "u", 2, 6, "L5", 0, 2, "L1");
    ck_assert_str_eq(fix_find(r, "u", 1)->message,
                     "Company Acme Corp. duplicates record L1 (line 2)");
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(composite_keys_and_empty_parts)
{
    pack *p = fix_pack(HEAD "    rules:\n"
                            "      - {id: u, type: unique, fields: [First, Last, Company],\n"
                            "         normalize: {Last: lower, Company: company}}\n");
    result *r = fix_run(p, "Lead.csv",
                        "Id,First,Last,Company\n"
                        "L1,Ann,Lee,Acme Inc\n"
                        "L2,Ann,LEE,ACME\n" /* duplicate of L1 */
                        "L3,ann,Lee,Acme\n" /* First is only trimmed: differs */
                        "L4,Ann,Lee,\n"     /* empty part: no key */
                        "L5,Ann,Lee,N/A\n"  /* null part: no key */
                        "L6,Ann,,Acme\n"    /* empty part: no key */
                        "L7,Ann,Lee,Inc.\n" /* only a legal form: empty after normalising, no key */
                        "L8,Ann , lee,acme\n");
    ck_assert_uint_eq(fix_count(r, "u"), 2);
    expect(r, "u", 0, 3, "L2", 0, 2, "L1");
    expect(r, "u", 1, 9, "L8", 0, 2, "L1");
    const finding *f = fix_find(r, "u", 0);
    ck_assert_str_eq(f->column, "First"); /* the first key field */
    ck_assert_str_eq(f->message, "First Ann duplicates record L1 (line 2) on First, Last, Company");
    ck_assert_uint_eq(fix_rule(r, "u")->checked, 4);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(composite_parts_do_not_run_together)
{
    pack *p = fix_pack(HEAD "    rules:\n      - {id: u, type: unique, fields: [A, B]}\n");
    /* Parts of 128 bytes and more take a two-byte length prefix. */
    char x200[201];
    memset(x200, 'x', 200);
    x200[200] = '\0';
    char csv[2048];
    snprintf(csv, sizeof csv,
             "Id,A,B\nL1,ab,c\nL2,a,bc\nL3,%s,y\nL4,%.199s,xy\nL5,%s,y\nL6,a,bc\nL7,abc,\n", x200,
             x200, x200);
    result *r = fix_run(p, "Lead.csv", csv);
    ck_assert_uint_eq(fix_count(r, "u"), 2);
    expect(r, "u", 0, 6, "L5", 0, 4, "L3");
    expect(r, "u", 1, 7, "L6", 0, 3, "L2");
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(related_in_another_file_and_without_record_key)
{
    pack *p =
        fix_pack("version: 1\nobjects:\n  lead:\n    files: [\"Lead*.csv\"]\n    rules:\n"
                 "      - {id: u, type: unique, fields: [Email], normalize: {Email: email}}\n");
    const char *names[] = {"Lead1.csv", "Lead2.csv"};
    const char *csv[] = {"Email\na@x.io\nb@x.io\n", "Email\nc@x.io\nB@X.io\nc@x.io\n"};
    result *r = run_files(p, names, csv, 2);
    ck_assert_uint_eq(fix_count(r, "u"), 2);
    const finding *f = fix_find(r, "u", 0);
    ck_assert_uint_eq(f->file, 1);
    expect(r, "u", 0, 3, NULL, 0, 3, NULL);
    ck_assert_str_eq(f->message, "Email B@X.io duplicates the record at line 3 of another file");
    expect(r, "u", 1, 4, NULL, 1, 2, NULL);
    ck_assert_str_eq(fix_find(r, "u", 1)->message, "Email c@x.io duplicates the record at line 2");
    result_free(r);
    pack_free(p);
}
END_TEST

#define ACROSS                                                                                     \
    "version: 1\nobjects:\n"                                                                       \
    "  lead:\n    files: [\"Lead*.csv\"]\n    key: Id\n    rules:\n"                               \
    "      - {id: u, type: unique, fields: [Email], normalize: {Email: email},\n"                  \
    "         across: [contact, account], when: {field: Status, not_equals: Junk}}\n"              \
    "  account:\n    files: [\"Acc*.csv\"]\n    key: Id\n"                                         \
    "  contact:\n    files: [\"Con*.csv\"]\n    key: Id\n    columns: {Email: [\"E-mail\"]}\n"

START_TEST(across_lead_versus_contact)
{
    pack *p = fix_pack(ACROSS);
    const char *names[] = {"Lead.csv", "Con.csv", "Acc.csv"};
    const char *csv[] = {"Id,Email,Status\n"
                         "L1,bob@x.com,Open\n"
                         "L2,Ann@x.com,Open\n"  /* in contact C2 */
                         "L3,ann@x.com,Open\n"  /* duplicate of L2: one finding */
                         "L4,bob@x.com,Junk\n"  /* not checked, not indexed */
                         "L5,BOB@x.com,Open\n"  /* duplicate of L1 */
                         "L6,zed@x.com,Junk\n"  /* in contact, but `when` is false */
                         "L7,acc@x.com,Open\n"  /* only in account */
                         "L8,both@x.com,Open\n" /* in both: contact is listed first */
                         "L9,none@x.com,Open\n",
                         "Id,E-mail\nC1,zed@x.com\nC2,ann@x.com\nC3,ANN@x.com\nC4,both@x.com\n",
                         "Id,Email\nA1,both@x.com\nA2,acc@x.com\nA3,ANN@X.COM\n"};
    result *r = run_files(p, names, csv, 3);
    ck_assert_uint_eq(fix_count(r, "u"), 5);
    expect(r, "u", 0, 3, "L2", 1, 3, "C2");
    ck_assert_str_eq(fix_find(r, "u", 0)->message, "Email Ann@x.com matches contact C2 (line 3)");
    expect(r, "u", 1, 4, "L3", 0, 3, "L2"); /* the first occurrence in this object wins */
    ck_assert_str_eq(fix_find(r, "u", 1)->message, "Email ann@x.com duplicates record L2 (line 3)");
    expect(r, "u", 2, 6, "L5", 0, 2, "L1");
    expect(r, "u", 3, 8, "L7", 2, 3, "A2");
    ck_assert_str_eq(fix_find(r, "u", 3)->message, "Email acc@x.com matches account A2 (line 3)");
    expect(r, "u", 4, 9, "L8", 1, 5, "C4"); /* account is scanned first, contact listed first */
    ck_assert_uint_eq(fix_rule(r, "u")->checked, 7);
    ck_assert_ptr_null(fix_rule(r, "u")->skipped);
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(across_object_without_file_still_runs)
{
    pack *p = fix_pack(ACROSS);
    result *r =
        fix_run(p, "Lead.csv", "Id,Email,Status\nL1,a@x.io,Open\nL2,A@x.io,Open\nL3,b@x.io,Open\n");
    ck_assert_ptr_null(fix_rule(r, "u")->skipped);
    ck_assert_uint_eq(fix_count(r, "u"), 1);
    expect(r, "u", 0, 3, "L2", 0, 2, "L1");
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(pack_errors)
{
    ck_assert_str_eq(fix_pack_error(HEAD "    rules:\n      - {id: u, type: unique, fields: [A], "
                                         "normalize: {B: lower}}\n"),
                     "pack.yaml:9:56: 'normalize' names 'B', which is not one of 'fields'");
    ck_assert_str_eq(fix_pack_error(HEAD "    rules:\n      - {id: u, type: unique, fields: [A], "
                                         "normalize: {A: upper}}\n"),
                     "pack.yaml:9:59: unknown normaliser 'upper' (expected exact, trim, lower, "
                     "email, phone, company or domain)");
    ck_assert_str_eq(fix_pack_error(HEAD "    rules:\n      - {id: u, type: unique, fields: [A], "
                                         "normalize: lower}\n"),
                     "pack.yaml:9:55: 'normalize' must be a mapping of field names to normalisers, "
                     "such as {Email: email}");
    ck_assert_str_eq(fix_pack_error(HEAD "    rules:\n      - {id: u, type: unique, fields: [A], "
                                         "across: [lead]}\n"),
                     "pack.yaml:9:53: 'across' names this rule's own object 'lead' (duplicates "
                     "within it are found without 'across')");
    ck_assert_str_eq(fix_pack_error(HEAD "    rules:\n      - {id: u, type: unique, fields: [A], "
                                         "across: [nope]}\n"),
                     "pack.yaml:9:53: rule 'u' names object 'nope', which the pack does not "
                     "define");
    ck_assert_str_eq(fix_pack_error(HEAD "    rules:\n      - {id: u, type: unique, fields: []}\n"),
                     "pack.yaml:9:39: 'fields' must be a non-empty list of column names");
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("unique");
    TCase *tc = tcase_create("unique");
    tcase_add_checked_fixture(tc, fix_setup, fix_teardown);
    tcase_add_test(tc, email_ignores_case_and_white_space_but_keeps_tags);
    tcase_add_test(tc, default_is_the_trimmed_value);
    tcase_add_test(tc, phone_formats_with_default_country_code);
    tcase_add_test(tc, company_suffixes);
    tcase_add_test(tc, composite_keys_and_empty_parts);
    tcase_add_test(tc, composite_parts_do_not_run_together);
    tcase_add_test(tc, related_in_another_file_and_without_record_key);
    tcase_add_test(tc, across_lead_versus_contact);
    tcase_add_test(tc, across_object_without_file_still_runs);
    tcase_add_test(tc, pack_errors);
    suite_add_tcase(s, tc);
    return s;
}

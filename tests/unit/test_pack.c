/*
 * test_pack.c - the rule-pack loader: merging, literal text, and every error
 * path with its exact PACK:LINE:COL message.
 */
#include "lintfix.h"
#include "rule.h"
#include "unit.h"

#define V "version: 1\n"

START_TEST(minimal_pack_and_defaults)
{
    pack *p = fix_pack(V "objects:\n  lead:\n    files: Lead.csv\n");
    ck_assert_str_eq(p->name, "pack"); /* file stem when there is no name */
    ck_assert_uint_eq(p->nobjects, 1);
    ck_assert_uint_eq(p->objects[0].nfiles, 1);
    ck_assert_str_eq(tz_name(p->settings.zone), "UTC");
    ck_assert(!p->settings.has_as_of);
    pack_free(p);
}
END_TEST

START_TEST(literal_text_stays_text)
{
    pack *p = fix_pack(
        V "objects:\n  lead:\n    files: [\"*.csv\"]\n"
          "    null_values: [null, ~, 010, yes]\n"
          "    rules:\n      - {id: a, type: allowed, field: F, values: [yes, no, 010, null]}\n");
    const pack_object *o = &p->objects[0];
    ck_assert_uint_eq(o->nnull_values, 4);
    ck_assert_str_eq(o->null_values[0], "null");
    ck_assert_str_eq(o->null_values[1], "~");
    ck_assert_str_eq(o->null_values[2], "010");
    ck_assert_str_eq(o->null_values[3], "yes");
    pack_free(p);
}
END_TEST

START_TEST(settings_are_parsed)
{
    pack *p = fix_pack(V "settings:\n  timezone: America/New_York\n  as_of: 2026-11-22\n"
                         "  date_formats: [\"%m/%d/%Y\"]\n  default_country_code: \"1\"\n"
                         "  calendars:\n    business:\n      days: [mon, tue, wed, thu, fri]\n"
                         "      hours: \"09:00-17:00\"\n      holidays: [2026-12-25, 2026-11-26]\n"
                         "objects: {}\n");
    ck_assert_str_eq(tz_name(p->settings.zone), "America/New_York");
    ck_assert(p->settings.has_as_of);
    ck_assert_int_eq(p->settings.as_of_us, (int64_t)1795323600 * 1000000); /* 05:00Z */
    ck_assert_str_eq(p->settings.default_country_code, "1");
    ck_assert_uint_eq(p->settings.ncalendars, 1);
    const calendar *c = &p->settings.calendars[0];
    ck_assert_uint_eq(c->days, 0x1f);
    ck_assert_int_eq(c->start_min, 540);
    ck_assert_int_eq(c->end_min, 1020);
    ck_assert_uint_eq(c->nholidays, 2);
    ck_assert_int_lt(c->holidays[0], c->holidays[1]); /* sorted */
    ck_assert_str_eq(tz_name(c->zone), "America/New_York");
    pack_free(p);
}
END_TEST

START_TEST(extends_merge_and_disable)
{
    fix_file("base.yaml", V "name: base\nsettings: {timezone: Europe/Berlin}\n"
                            "objects:\n  lead:\n    files: [\"Lead*.csv\"]\n    key: Id\n"
                            "    columns: {Email: [E-mail]}\n"
                            "    rules:\n"
                            "      - {id: one, type: required, fields: [A]}\n"
                            "      - {id: two, type: required, fields: [B]}\n"
                            "      - {id: three, type: required, fields: [C]}\n"
                            "  account:\n    files: [\"Account*.csv\"]\n");
    pack *p = fix_pack(V "name: top\nextends: [./base.yaml]\ndisable: [three]\n"
                         "objects:\n  lead:\n    key: LeadId\n    columns: {Phone: [Tel]}\n"
                         "    rules:\n"
                         "      - {id: one, type: required, fields: [Z], severity: warning}\n"
                         "      - {id: four, type: required, fields: [D]}\n"
                         "  contact:\n    files: [\"Contact*.csv\"]\n");
    ck_assert_str_eq(p->name, "top");
    ck_assert_str_eq(tz_name(p->settings.zone), "Europe/Berlin");
    ck_assert_uint_eq(p->nobjects, 3);
    ck_assert_str_eq(p->objects[0].name, "lead"); /* keeps its place */
    ck_assert_str_eq(p->objects[2].name, "contact");
    const pack_object *o = &p->objects[0];
    ck_assert_str_eq(o->key, "LeadId");
    ck_assert_str_eq(o->files[0], "Lead*.csv"); /* not given again: kept */
    ck_assert_uint_eq(o->ncolumns, 2);
    ck_assert_uint_eq(o->nrules, 3);
    ck_assert_str_eq(o->rules[0]->id, "one"); /* replaced in place */
    ck_assert_int_eq(o->rules[0]->sev, SEV_WARNING);
    ck_assert_str_eq(o->rules[0]->fields[0], "Z");
    ck_assert_str_eq(o->rules[1]->id, "two");
    ck_assert_str_eq(o->rules[2]->id, "four");
    pack_free(p);
}
END_TEST

START_TEST(rule_fields_include_conditions)
{
    pack *p = fix_pack(V "objects:\n  lead:\n    files: x\n    rules:\n"
                         "      - {id: r, type: compare, left: A, op: '<', right: B, "
                         "when: {any: [{field: C, empty: true}, {field: A, matches: '^x'}]}}\n");
    const rule *r = p->objects[0].rules[0];
    ck_assert_uint_eq(r->nfields, 3);
    ck_assert_str_eq(r->fields[0], "A");
    ck_assert_str_eq(r->fields[1], "B");
    ck_assert_str_eq(r->fields[2], "C");
    ck_assert_ptr_nonnull(r->when);
    pack_free(p);
}
END_TEST

#define ERR(name, yaml, expected)                                                                  \
    START_TEST(name)                                                                               \
    {                                                                                              \
        ck_assert_str_eq(fix_pack_error(yaml), expected);                                          \
    }                                                                                              \
    END_TEST

ERR(err_missing_version, "objects: {}\n",
    "pack.yaml:1:1: missing required key 'version' (use version: 1)")
ERR(err_bad_version, "version: 2\n",
    "pack.yaml:1:10: unsupported pack version '2' (this crmlint reads version 1)")
ERR(err_unknown_top_key, V "objcts: {}\n",
    "pack.yaml:2:1: unknown key 'objcts' in the pack (top level)")
ERR(err_unknown_object_key, V "objects:\n  lead:\n    file: x\n",
    "pack.yaml:4:5: unknown key 'file' in object 'lead'")
ERR(err_unknown_rule_key,
    V "objects:\n  lead:\n    rules:\n      - {id: a, type: required, fields: [A], feild: B}\n",
    "pack.yaml:5:46: unknown key 'feild' in rule 'a' (type required)")
START_TEST(err_unknown_type)
{
    const char *e =
        fix_pack_error(V "objects:\n  lead:\n    rules:\n      - {id: a, type: requird}\n");
    ck_assert_ptr_nonnull(
        strstr(e, "pack.yaml:5:23: unknown rule type 'requird' (known: required, allowed,"));
}
END_TEST
ERR(err_missing_id, V "objects:\n  lead:\n    rules:\n      - {type: required, fields: [A]}\n",
    "pack.yaml:5:9: missing required key 'id'")
ERR(err_duplicate_id,
    V "objects:\n  lead:\n    rules:\n      - {id: a, type: required, fields: [A]}\n"
      "      - {id: a, type: required, fields: [B]}\n",
    "pack.yaml:6:14: duplicate rule id 'a' (first defined at line 5)")
ERR(err_bad_regex,
    V "objects:\n  lead:\n    rules:\n      - {id: a, type: pattern, field: F, regex: 'a(b'}\n",
    "pack.yaml:5:49: invalid regex: missing closing parenthesis at offset 3")
ERR(err_bad_duration,
    V "objects:\n  lead:\n    rules:\n      - {id: a, type: age, field: F, max: 3 days}\n",
    "pack.yaml:5:43: 'max' must be a duration such as 90m, 24h, 2d or 1d12h (units s m h d w)")
ERR(err_bad_severity,
    V "objects:\n  lead:\n    rules:\n      - {id: a, type: required, fields: [A], severity: "
      "fatal}\n",
    "pack.yaml:5:56: severity must be error, warning or info, not 'fatal'")
ERR(err_wrong_type, V "objects:\n  lead:\n    rules:\n      - {id: a, type: required, fields: A}\n",
    "pack.yaml:5:41: 'fields' must be a non-empty list of column names")
ERR(err_bad_number,
    V "objects:\n  lead:\n    rules:\n      - {id: a, type: range, field: F, min: abc}\n",
    "pack.yaml:5:45: 'min' must be a number or a date, not 'abc'")
ERR(err_bad_zone, V "settings: {timezone: Mars/Olympus}\n",
    "pack.yaml:2:22: unknown time zone \"Mars/Olympus\" (no such file in /usr/share/zoneinfo)")
ERR(err_bad_hours, V "settings:\n  calendars:\n    b: {days: [mon], hours: \"17:00-09:00\"}\n",
    "pack.yaml:4:29: 'hours' must be one window HH:MM-HH:MM with start before end (24:00 allowed), "
    "not '17:00-09:00'")
ERR(err_bad_day,
    V "settings:\n  calendars:\n    b: {days: [mon, funday], hours: \"09:00-17:00\"}\n",
    "pack.yaml:4:15: unknown day 'funday' (use mon tue wed thu fri sat sun)")
ERR(err_bad_holiday,
    V "settings:\n  calendars:\n    b: {days: [mon], hours: \"09:00-17:00\", holidays: "
      "[2026-02-30]}\n",
    "pack.yaml:4:54: holiday '2026-02-30' is not a date YYYY-MM-DD")
ERR(err_bad_condition,
    V "objects:\n  lead:\n    rules:\n      - {id: a, type: required, fields: [A], when: {field: "
      "B, equal: x}}\n",
    "pack.yaml:5:52: a condition needs one of equals, not_equals, in, not_in, empty, matches")
ERR(err_two_tests,
    V "objects:\n  lead:\n    rules:\n      - {id: a, type: required, fields: [A], when: {field: "
      "B, equals: x, in: [y]}}\n",
    "pack.yaml:5:78: a condition takes one test, not both 'equals' and 'in'")
ERR(err_bad_placeholder,
    V "objects:\n  lead:\n    rules:\n      - {id: a, type: required, fields: [A], message: "
      "\"{feild} empty\"}\n",
    "pack.yaml:5:55: unknown placeholder {feild} in message (use {field}, {value}, {record}, "
    "{rule}, {object}, {line} or {detail})")
ERR(err_bad_encoding, V "objects:\n  lead:\n    encoding: ebcdic\n",
    "pack.yaml:4:15: unknown encoding (use utf-8, windows-1252, latin-1 or utf-16)")
ERR(err_bad_kind,
    V "objects:\n  lead:\n    rules:\n      - {id: a, type: format, field: F, kind: zip}\n",
    "pack.yaml:5:47: unknown format kind 'zip' (use email, phone, url, date, datetime, number, "
    "integer, boolean, salesforce_id, country, currency or uuid)")
ERR(err_disable_unknown, V "disable: [nope]\n",
    "pack.yaml:2:11: cannot disable 'nope': no such rule in this pack or the packs it extends")
ERR(err_threshold,
    V "objects:\n  lead:\n    rules:\n      - {id: a, type: required, fields: [A], threshold: "
      "{max_ratio: 2}}\n",
    "pack.yaml:5:69: 'max_ratio' must be a decimal between 0 and 1, such as 0.01")
ERR(err_reserved_id,
    V "objects:\n  lead:\n    rules:\n      - {id: csv/ragged-row, type: required, fields: [A]}\n",
    "pack.yaml:5:14: rule ids starting with 'csv/' are reserved for the built-in structural rules")
ERR(err_null_key, V "objects:\n  lead:\n    key:\n", "pack.yaml:4:9: 'key' must name a column")

START_TEST(diamond_extends_merges_base_once)
{
    fix_file("d.yaml", V "objects:\n  lead:\n    files: x\n    rules:\n"
                         "      - {id: d1, type: required, fields: [A]}\n"
                         "      - {id: d2, type: required, fields: [B]}\n");
    fix_file("b.yaml", V "extends: [./d.yaml]\ndisable: [d2]\nobjects:\n  lead:\n    rules:\n"
                         "      - {id: d1, type: required, fields: [A], severity: info}\n");
    fix_file("c.yaml", V "extends: [./d.yaml]\n");
    pack *p = fix_pack(V "extends: [./b.yaml, ./c.yaml]\n");
    ck_assert_uint_eq(p->objects[0].nrules, 1); /* d2 stays disabled */
    ck_assert_int_eq(p->objects[0].rules[0]->sev, SEV_INFO);
    pack_free(p);
}
END_TEST

START_TEST(duplicate_id_in_one_file_even_over_a_base)
{
    fix_file("base.yaml", V "objects:\n  lead:\n    files: x\n    rules:\n"
                            "      - {id: r, type: required, fields: [A]}\n");
    const char *e = fix_pack_error(V "extends: [./base.yaml]\nobjects:\n  lead:\n    rules:\n"
                                     "      - {id: r, type: required, fields: [B]}\n"
                                     "      - {id: r, type: required, fields: [C]}\n");
    ck_assert_str_eq(e, "pack.yaml:7:14: duplicate rule id 'r' (first defined at line 6)");
}
END_TEST

START_TEST(err_extends_cycle)
{
    fix_file("a.yaml", V "extends: [./b.yaml]\n");
    fix_file("b.yaml", V "extends: [./a.yaml]\n");
    const char *e = fix_pack_error(V "extends: [./a.yaml]\n");
    ck_assert_ptr_nonnull(strstr(e, "b.yaml:2:11: 'extends' forms a cycle"));
}
END_TEST

START_TEST(err_extends_missing)
{
    const char *e = fix_pack_error(V "extends: [./nope.yaml]\n");
    ck_assert_ptr_nonnull(strstr(e, "pack.yaml:2:11: cannot extend './nope.yaml':"));
    ck_assert_ptr_nonnull(strstr(e, "No such file or directory"));
}
END_TEST

START_TEST(err_yaml_syntax)
{
    const char *e = fix_pack_error(V "objects:\n  lead: [\n");
    ck_assert_ptr_nonnull(strstr(e, "pack.yaml:"));
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("pack");
    TCase *tc = tcase_create("pack");
    tcase_add_checked_fixture(tc, fix_setup, fix_teardown);
    tcase_add_test(tc, minimal_pack_and_defaults);
    tcase_add_test(tc, literal_text_stays_text);
    tcase_add_test(tc, settings_are_parsed);
    tcase_add_test(tc, extends_merge_and_disable);
    tcase_add_test(tc, rule_fields_include_conditions);
    tcase_add_test(tc, err_missing_version);
    tcase_add_test(tc, err_bad_version);
    tcase_add_test(tc, err_unknown_top_key);
    tcase_add_test(tc, err_unknown_object_key);
    tcase_add_test(tc, err_unknown_rule_key);
    tcase_add_test(tc, err_unknown_type);
    tcase_add_test(tc, err_missing_id);
    tcase_add_test(tc, err_duplicate_id);
    tcase_add_test(tc, err_bad_regex);
    tcase_add_test(tc, err_bad_duration);
    tcase_add_test(tc, err_bad_severity);
    tcase_add_test(tc, err_wrong_type);
    tcase_add_test(tc, err_bad_number);
    tcase_add_test(tc, err_bad_zone);
    tcase_add_test(tc, err_bad_hours);
    tcase_add_test(tc, err_bad_day);
    tcase_add_test(tc, err_bad_holiday);
    tcase_add_test(tc, err_bad_condition);
    tcase_add_test(tc, err_two_tests);
    tcase_add_test(tc, err_bad_placeholder);
    tcase_add_test(tc, err_bad_encoding);
    tcase_add_test(tc, err_bad_kind);
    tcase_add_test(tc, err_disable_unknown);
    tcase_add_test(tc, err_threshold);
    tcase_add_test(tc, err_extends_cycle);
    tcase_add_test(tc, err_reserved_id);
    tcase_add_test(tc, err_null_key);
    tcase_add_test(tc, diamond_extends_merges_base_once);
    tcase_add_test(tc, duplicate_id_in_one_file_even_over_a_base);
    tcase_add_test(tc, err_extends_missing);
    tcase_add_test(tc, err_yaml_syntax);
    suite_add_tcase(s, tc);
    return s;
}

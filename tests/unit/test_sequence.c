/*
 * test_sequence.c - the `sequence` rule through the engine: ordering within
 * interleaved groups (by instant, file order on ties), every kind of
 * transition finding, exits, terminal and initial states, unknown states,
 * explicit transitions, history chains, rows that cannot be ordered, the
 * finding's record/column/value/related, and pack validation.
 */
#include "lintfix.h"
#include "unit.h"

#define HEAD                                                                                       \
    "version: 1\nsettings: {timezone: UTC}\nobjects:\n  history:\n    files: [\"Hist*.csv\"]\n"    \
    "    key: Id\n    rules:\n"
/* A rule over columns G (group), T (time), S (state); `extra` adds keys. */
#define SEQ(extra)                                                                                 \
    HEAD "      - {id: seq, type: sequence, group_by: G, order_by: T, state: S, " extra "}\n"
#define STAGES "stages: [New, Working, Proposal, Won]"

static result *run(const char *yaml, const char *csv, pack **p)
{
    *p = fix_pack(yaml);
    return fix_run(*p, "Hist.csv", csv);
}

static void done(result *r, pack *p)
{
    result_free(r);
    pack_free(p);
}

static const char *msg(const result *r, size_t nth)
{
    const finding *f = fix_find(r, "seq", nth);
    ck_assert_ptr_nonnull(f);
    return f->message;
}

START_TEST(interleaved_groups_ordered_by_time)
{
    pack *p;
    /* Group A is written out of time order but is a clean New -> Working
     * -> Proposal; group B moves back from Working to New. */
    result *r = run(SEQ(STAGES),
                    "Id,G,T,S\n"
                    "h1,A,2026-01-05,Proposal\n"
                    "h2,B,2026-01-01,New\n"
                    "h3,A,2026-01-01,New\n"
                    "h4,B,2026-01-02,Working\n"
                    "h5,A,2026-01-03,Working\n"
                    "h6,B,2026-01-03,New\n",
                    &p);
    ck_assert_uint_eq(fix_count(r, "seq"), 1);
    const finding *f = fix_find(r, "seq", 0);
    ck_assert_uint_eq(f->line, 7);
    ck_assert_str_eq(f->record, "B"); /* the group value, not the key */
    ck_assert_str_eq(f->column, "S");
    ck_assert_str_eq(f->value, "New");
    ck_assert_str_eq(f->message, "S New: Working \xE2\x86\x92 New moves backward");
    ck_assert_uint_eq(f->nrelated, 1);
    ck_assert_uint_eq(f->related[0].line, 5); /* the previous row of the group */
    ck_assert_uint_eq(f->related[0].file, 0);
    ck_assert_str_eq(f->related[0].record, "B");
    ck_assert_uint_eq(fix_rule(r, "seq")->checked, 6);
    done(r, p);
}
END_TEST

START_TEST(same_state_is_no_transition_and_backward_allow)
{
    pack *p;
    result *r = run(SEQ(STAGES),
                    "Id,G,T,S\n"
                    "1,A,2026-01-01,New\n"
                    "2,A,2026-01-02,New\n"
                    "3,A,2026-01-03,Working\n"
                    "4,A,2026-01-04,Working\n"
                    "5,A,2026-01-05,Working\n",
                    &p);
    ck_assert_uint_eq(fix_count(r, "seq"), 0);
    ck_assert_uint_eq(fix_rule(r, "seq")->checked, 5);
    done(r, p);
    r = run(SEQ(STAGES ", backward: allow"),
            "Id,G,T,S\n1,A,2026-01-01,Proposal\n2,A,2026-01-02,New\n3,A,2026-01-03,Won\n", &p);
    ck_assert_uint_eq(fix_count(r, "seq"), 0); /* skips are allowed by default too */
    done(r, p);
}
END_TEST

START_TEST(skip_forbid_counts_skipped_stages)
{
    pack *p;
    const char *csv = "Id,G,T,S\n"
                      "1,A,2026-01-01,New\n"
                      "2,A,2026-01-02,Proposal\n"
                      "3,B,2026-01-01,New\n"
                      "4,B,2026-01-02,Won\n"
                      "5,C,2026-01-01,New\n"
                      "6,C,2026-01-02,Working\n";
    result *r = run(SEQ(STAGES ", skip: forbid"), csv, &p);
    ck_assert_uint_eq(fix_count(r, "seq"), 2);
    ck_assert_str_eq(msg(r, 0), "S Proposal: New \xE2\x86\x92 Proposal skips 1 stage");
    ck_assert_str_eq(msg(r, 1), "S Won: New \xE2\x86\x92 Won skips 2 stages");
    ck_assert_uint_eq(fix_find(r, "seq", 1)->line, 5);
    done(r, p);
    r = run(SEQ(STAGES ", skip: allow"), csv, &p);
    ck_assert_uint_eq(fix_count(r, "seq"), 0);
    done(r, p);
}
END_TEST

START_TEST(terminal_states_and_exits)
{
    pack *p;
    result *r = run(SEQ(STAGES ", exits: [Lost, Hold], terminal: [Won, Lost], skip: forbid"),
                    "Id,G,T,S\n"
                    /* into a non-terminal exit and out of it: always allowed */
                    "1,A,2026-01-01,New\n"
                    "2,A,2026-01-02,Hold\n"
                    "3,A,2026-01-03,Proposal\n"
                    "4,A,2026-01-04,Won\n"
                    "5,A,2026-01-05,Lost\n" /* a flip out of a terminal stage */
                    "6,B,2026-01-01,Proposal\n"
                    "7,B,2026-01-02,Won\n"
                    "8,B,2026-01-03,Working\n" /* leaves Won and goes back */
                    "9,C,2026-01-01,New\n"
                    "10,C,2026-01-02,Lost\n" /* into a terminal exit: allowed */
                    "11,C,2026-01-03,New\n"  /* out of it: not */
                    "12,D,2026-01-01,Won\n"
                    "13,D,2026-01-02,Gone\n",
                    &p);
    ck_assert_uint_eq(fix_count(r, "seq"), 4);
    ck_assert_uint_eq(fix_find(r, "seq", 0)->line, 6);
    ck_assert_str_eq(msg(r, 0), "S Lost: Won \xE2\x86\x92 Lost leaves a terminal state");
    ck_assert_uint_eq(fix_find(r, "seq", 1)->line, 9);
    ck_assert_str_eq(
        msg(r, 1),
        "S Working: Won \xE2\x86\x92 Working leaves a terminal state and moves backward");
    ck_assert_uint_eq(fix_find(r, "seq", 2)->line, 12);
    ck_assert_str_eq(msg(r, 2), "S New: Lost \xE2\x86\x92 New leaves a terminal state");
    ck_assert_uint_eq(fix_find(r, "seq", 3)->line, 14);
    ck_assert_str_eq(msg(r, 3), "S Gone: not a known state; leaves terminal state Won");
    done(r, p);
}
END_TEST

START_TEST(initial_states)
{
    pack *p;
    const char *csv = "Id,G,T,S\n"
                      "1,A,2026-01-01,New\n"
                      "2,B,2026-01-02,Won\n"
                      "3,B,2026-01-01,Proposal\n" /* B's first row is this one */
                      "4,C,2026-01-01,Bogus\n";
    result *r = run(SEQ(STAGES ", initial: [New]"), csv, &p);
    ck_assert_uint_eq(fix_count(r, "seq"), 2);
    const finding *f = fix_find(r, "seq", 0);
    ck_assert_uint_eq(f->line, 4);
    ck_assert_str_eq(f->message,
                     "S Proposal: the group's first row is not an initial state (expected New)");
    ck_assert_uint_eq(f->nrelated, 0); /* no previous row */
    ck_assert_str_eq(msg(r, 1), "S Bogus: not a known state; the group's first row is not an "
                                "initial state (expected New)");
    done(r, p);
    r = run(SEQ(STAGES ", initial: [New, Proposal]"), csv, &p);
    ck_assert_uint_eq(fix_count(r, "seq"), 1);
    ck_assert_str_eq(msg(r, 0), "S Bogus: not a known state; the group's first row is not an "
                                "initial state (expected one of: New, Proposal)");
    done(r, p);
}
END_TEST

START_TEST(unknown_states_every_row_and_moving_out_is_free)
{
    pack *p;
    result *r = run(SEQ(STAGES ", skip: forbid"),
                    "Id,G,T,S\n"
                    "1,A,2026-01-01,New\n"
                    "2,A,2026-01-02,Bogus\n"
                    "3,A,2026-01-03,Bogus\n" /* repeat: still a finding */
                    "4,A,2026-01-04,Won\n"   /* out of an unknown state: no finding */
                    "5,A,2026-01-05,new\n",  /* states are exact text */
                    &p);
    ck_assert_uint_eq(fix_count(r, "seq"), 3);
    ck_assert_uint_eq(fix_find(r, "seq", 0)->line, 3);
    ck_assert_uint_eq(fix_find(r, "seq", 1)->line, 4);
    ck_assert_uint_eq(fix_find(r, "seq", 1)->related[0].line, 3);
    ck_assert_str_eq(msg(r, 1), "S Bogus: not a known state");
    ck_assert_uint_eq(fix_find(r, "seq", 2)->line, 6);
    ck_assert_str_eq(fix_find(r, "seq", 2)->value, "new");
    done(r, p);
}
END_TEST

START_TEST(explicit_transitions)
{
    pack *p;
    result *r = run(SEQ("transitions: {New: [Working, Lost], Working: [Proposal, New], "
                        "Proposal: [Won, Working]}, exits: [Hold], terminal: [Won, Lost]"),
                    "Id,G,T,S\n"
                    "1,A,2026-01-01,New\n"
                    "2,A,2026-01-02,Proposal\n" /* not listed */
                    "3,A,2026-01-03,Working\n"
                    "4,A,2026-01-04,New\n"
                    "5,A,2026-01-05,Hold\n" /* into an exit */
                    "6,A,2026-01-06,Won\n"  /* out of a non-terminal exit */
                    "7,A,2026-01-07,Working\n"
                    "8,B,2026-01-01,New\n"
                    "9,B,2026-01-02,Working\n"
                    "10,B,2026-01-03,Proposal\n"
                    "11,B,2026-01-04,Won\n"
                    "12,C,2026-01-01,Lost\n"
                    "13,C,2026-01-02,Nowhere\n",
                    &p);
    ck_assert_uint_eq(fix_count(r, "seq"), 3);
    ck_assert_uint_eq(fix_find(r, "seq", 0)->line, 3);
    ck_assert_str_eq(msg(r, 0), "S Proposal: New \xE2\x86\x92 Proposal is not a listed transition");
    ck_assert_uint_eq(fix_find(r, "seq", 1)->line, 8);
    ck_assert_str_eq(msg(r, 1), "S Working: Won \xE2\x86\x92 Working leaves a terminal state");
    ck_assert_str_eq(msg(r, 2), "S Nowhere: not a known state; leaves terminal state Lost");
    done(r, p);
}
END_TEST

START_TEST(previous_field_history_chain)
{
    pack *p;
    result *r = run(SEQ(STAGES ", previous_field: F"),
                    "Id,G,T,S,F\n"
                    "1,A,2026-01-01,New,Won\n" /* the group's first row is not checked */
                    "2,A,2026-01-02,Working,New\n"
                    "3,A,2026-01-03,Proposal,New\n" /* line 4: should say Working */
                    "4,A,2026-01-04,Proposal,\n"    /* line 5: empty differs too */
                    "5,A,2026-01-05,Won, Proposal \n"
                    "6,B,2026-01-01,Bogus,\n"
                    "7,B,2026-01-02,New,Nope\n"
                    "8,C,2026-01-01,Bogus,\n"
                    "9,C,2026-01-02,New,Bogus\n", /* the chain holds through an unknown state */
                    &p);
    ck_assert_uint_eq(fix_count(r, "seq"), 5);
    ck_assert_uint_eq(fix_find(r, "seq", 0)->line, 4);
    ck_assert_str_eq(msg(r, 0),
                     "S Proposal: broken history chain: F is not the previous row's S (Working)");
    ck_assert_uint_eq(fix_find(r, "seq", 0)->related[0].line, 3);
    ck_assert_uint_eq(fix_find(r, "seq", 1)->line, 5);
    ck_assert_str_eq(msg(r, 1), "S Proposal: broken history chain: F is empty, the previous row's "
                                "S is Proposal");
    ck_assert_uint_eq(fix_find(r, "seq", 2)->line, 7); /* B's unknown first row */
    ck_assert_uint_eq(fix_find(r, "seq", 3)->line, 8);
    ck_assert_str_eq(msg(r, 3), "S New: broken history chain: F is not the previous row's S");
    ck_assert_uint_eq(fix_find(r, "seq", 4)->line, 9);
    ck_assert_str_eq(msg(r, 4), "S Bogus: not a known state");
    done(r, p);
}
END_TEST

START_TEST(ties_keep_file_order_to_the_microsecond)
{
    pack *p;
    result *r = run(SEQ(STAGES),
                    "Id,G,T,S\n"
                    "1,A,2026-01-01 10:00,Working\n"
                    "2,A,2026-01-01T10:00:00Z,New\n" /* same instant: file order */
                    "3,B,2026-01-01 10:00:00.000002,New\n"
                    "4,B,2026-01-01 10:00:00.000001,Working\n" /* one microsecond earlier */
                    "5,C,2026-01-01 12:00:00+02:00,New\n"      /* 10:00 UTC */
                    "6,C,2026-01-01 11:00,Working\n",
                    &p);
    ck_assert_uint_eq(fix_count(r, "seq"), 2);
    const finding *f = fix_find(r, "seq", 0);
    ck_assert_uint_eq(f->line, 3);
    ck_assert_uint_eq(f->related[0].line, 2);
    f = fix_find(r, "seq", 1);
    ck_assert_uint_eq(f->line, 4);
    ck_assert_uint_eq(f->related[0].line, 5); /* a later line, earlier in time */
    ck_assert_str_eq(f->record, "B");
    done(r, p);
}
END_TEST

START_TEST(large_group_sorted_stably)
{
    /* 42 rows of one group in reverse time order, in triples with equal
     * times (New, Working, Proposal): the merge sort splits triples, and
     * each must keep file order, so the only findings are the moves back
     * from one triple's Proposal to the next triple's New. */
    static const char *const st[] = {"New", "Working", "Proposal"};
    char csv[4096];
    size_t n = (size_t)snprintf(csv, sizeof csv, "Id,G,T,S\n");
    for (int i = 0; i < 42; i++)
        n += (size_t)snprintf(csv + n, sizeof csv - n, "%d,A,2026-01-01 10:%02d:00.000001,%s\n", i,
                              59 - i / 3, st[i % 3]);
    ck_assert_uint_lt(n, sizeof csv);
    pack *p;
    result *r = run(SEQ(STAGES), csv, &p);
    ck_assert_uint_eq(fix_count(r, "seq"), 13);
    for (size_t k = 0; k < 13; k++) {
        const finding *f = fix_find(r, "seq", k);
        ck_assert_str_eq(f->message, "S New: Proposal \xE2\x86\x92 New moves backward");
        ck_assert_uint_eq(f->line, 2 + 3 * k);            /* New of triple k ... */
        ck_assert_uint_eq(f->related[0].line, 7 + 3 * k); /* ... after triple k + 1's Proposal */
    }
    done(r, p);
}
END_TEST

START_TEST(unparseable_order_leaves_the_group)
{
    pack *p;
    result *r = run(SEQ(STAGES ", terminal: [Won]"),
                    "Id,G,T,S\n"
                    "1,A,2026-01-01,New\n"
                    "2,A,last tuesday,Won\n"
                    "3,A,,Bogus\n"
                    "4,A,2026-02-30,Won\n"
                    "5,A,2026-01-02,Working\n", /* judged after New, as if Won were absent */
                    &p);
    ck_assert_uint_eq(fix_count(r, "seq"), 3);
    const finding *f = fix_find(r, "seq", 0);
    ck_assert_uint_eq(f->line, 3);
    ck_assert_str_eq(f->record, "A");
    ck_assert_str_eq(f->column, "S");
    ck_assert_str_eq(f->message, "S Won: cannot parse T as a date or time, so the row is left "
                                 "out of its group's sequence");
    ck_assert_uint_eq(f->nrelated, 0);
    ck_assert_str_eq(msg(r, 1), "S Bogus: cannot parse T (empty), so the row is left out of its "
                                "group's sequence; not a known state");
    ck_assert_uint_eq(fix_find(r, "seq", 2)->line, 5);
    ck_assert_uint_eq(fix_rule(r, "seq")->checked, 5);
    done(r, p);
}
END_TEST

START_TEST(empty_group_or_state_skipped_and_raw_value_kept)
{
    pack *p;
    result *r = run(SEQ(STAGES),
                    "Id,G,T,S\n"
                    "1,A,2026-01-01,Working\n"
                    "2,,2026-01-02,New\n"
                    "3,A,2026-01-03,  \n"
                    "4, A ,bad,\n"
                    "5,A,2026-01-04,\" New \"\n",
                    &p);
    ck_assert_uint_eq(fix_count(r, "seq"), 1);
    const finding *f = fix_find(r, "seq", 0);
    ck_assert_uint_eq(f->line, 6);
    ck_assert_str_eq(f->value, " New "); /* raw */
    ck_assert_str_eq(f->message, "S New: Working \xE2\x86\x92 New moves backward");
    ck_assert_uint_eq(fix_rule(r, "seq")->checked, 3); /* the state is the subject */
    done(r, p);
}
END_TEST

START_TEST(one_finding_lists_every_reason)
{
    pack *p;
    result *r = run(SEQ(STAGES ", terminal: [Won], skip: forbid, previous_field: F"),
                    "Id,G,T,S,F\n"
                    "1,A,2026-01-01,Won,\n"
                    "2,A,2026-01-02,Working,Proposal\n",
                    &p);
    ck_assert_uint_eq(fix_count(r, "seq"), 1);
    ck_assert_str_eq(msg(r, 0), "S Working: Won \xE2\x86\x92 Working leaves a terminal state and "
                                "moves backward; broken history chain: F is not the previous "
                                "row's S (Won)");
    done(r, p);
}
END_TEST

START_TEST(groups_span_files_of_one_object)
{
    pack *p = fix_pack(SEQ(STAGES));
    file_binding b[2] = {{fix_file("Hist1.csv", "Id,G,T,S\n1,A,2026-01-02,Proposal\n"), NULL},
                         {fix_file("Hist2.csv", "Id,S,T,G\n\n2,Working,2026-01-03,A\n"), NULL}};
    lint_options o = {.fail_on = SEV_ERROR, .files = b, .nfiles = 2};
    char err[512];
    result *r = engine_run(p, &o, err, sizeof err);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(fix_count(r, "seq"), 1);
    const finding *f = fix_find(r, "seq", 0);
    ck_assert_uint_eq(f->file, 1);
    ck_assert_uint_eq(f->line, 3);
    ck_assert_uint_eq(f->related[0].file, 0);
    ck_assert_uint_eq(f->related[0].line, 2);
    done(r, p);
}
END_TEST

/* A Salesforce OpportunityHistory export (all 20 columns, as the Data
 * Export service writes them), with the stock stages. */
#define SF_PACK                                                                                    \
    "version: 1\nsettings: {timezone: UTC}\nobjects:\n"                                            \
    "  opportunity_history:\n    files: [\"OpportunityHistory*.csv\"]\n    key: Id\n"              \
    "    rules:\n"                                                                                 \
    "      - id: opp-stage-sequence\n"                                                             \
    "        type: sequence\n"                                                                     \
    "        group_by: OpportunityId\n"                                                            \
    "        order_by: CreatedDate\n"                                                              \
    "        state: StageName\n"                                                                   \
    "        previous_field: FromOpportunityStageName\n"                                           \
    "        when: {field: IsDeleted, equals: \"0\"}\n"                                            \
    "        stages: [Prospecting, Qualification, Needs Analysis, Value Proposition,\n"            \
    "                 Id. Decision Makers, Perception Analysis, Proposal/Price Quote,\n"           \
    "                 Negotiation/Review, Closed Won]\n"                                           \
    "        exits: [Closed Lost]\n"                                                               \
    "        terminal: [Closed Won, Closed Lost]\n"                                                \
    "        severity: warning\n"

#define SF_HEADER                                                                                  \
    "\"Id\",\"OpportunityId\",\"CreatedById\",\"CreatedDate\",\"CreatedDateForInsert\","           \
    "\"StageName\",\"Amount\",\"ExpectedRevenue\",\"CloseDate\",\"Probability\","                  \
    "\"FromForecastCategory\",\"ForecastCategory\",\"PrevForecastUpdate\","                        \
    "\"FromOpportunityStageName\",\"PrevOpportunityStageUpdate\",\"ValidThroughDate\","            \
    "\"SystemModstamp\",\"IsDeleted\",\"PrevAmount\",\"PrevCloseDate\"\n"

/* History rows: opportunity (id suffix), created, stage, from-stage, deleted. */
static const char *const SF_ROWS[][5] = {
    {"7k", "2023-10-28 20:45:25", "Prospecting", "", "0"},
    {"7m", "2023-10-28 20:45:25", "Qualification", "", "0"},
    {"7k", "2023-10-30 09:12:00", "Prospecting", "Prospecting", "0"}, /* an amount change */
    {"7m", "2023-11-02 14:00:00", "Negotiation/Review", "Qualification", "0"},
    {"7k", "2023-11-03 10:00:00", "Needs Analysis", "Prospecting", "0"},
    {"7m", "2023-11-20 16:30:00", "Qualification", "Negotiation/Review", "0"}, /* backward */
    {"7k", "2023-11-21 11:00:00", "Closed Won", "Needs Analysis", "0"},
    {"7m", "2023-11-22 08:00:00", "Closed Lost", "Qualification", "0"},
    {"7k", "2023-11-23 08:00:00", "Closed Lost", "Closed Won", "0"}, /* a Won -> Lost flip */
    {"7p", "2023-11-23 09:00:00", "Closed Won", "", "0"},
    {"7p", "2023-11-24 09:00:00", "Prospecting", "Closed Won", "1"}, /* deleted: not checked */
};

static char *sf_csv(void)
{
    static char csv[8192];
    size_t n = (size_t)snprintf(csv, sizeof csv, "%s", SF_HEADER);
    for (size_t i = 0; i < sizeof SF_ROWS / sizeof *SF_ROWS; i++) {
        const char *const *w = SF_ROWS[i];
        n += (size_t)snprintf(
            csv + n, sizeof csv - n,
            "\"008Hp00002evx1%02zuAQ\",\"006Hp000015Yh%sIAC\",\"005Hp00000hnUYPIA2\","
            "\"%s\",\"%s\",\"%s\",\"15000\",\"1500\",\"2023-12-01 00:00:00\",\"10\","
            "\"\",\"Pipeline\",\"\",\"%s\",\"\",\"2025-04-08 00:19:44\",\"%s\",\"%s\","
            "\"\",\"\"\n",
            i, w[0], w[1], w[1], w[2], w[3], w[1], w[4]);
        ck_assert_uint_lt(n, sizeof csv);
    }
    return csv;
}

START_TEST(salesforce_opportunity_history)
{
    pack *p = fix_pack(SF_PACK);
    const char *csv = sf_csv();
    result *r = fix_run(p, "OpportunityHistory.csv", csv);
    ck_assert_uint_eq(r->files[0].records, 11);
    ck_assert_uint_eq(fix_count(r, "opp-stage-sequence"), 2);
    const finding *f = fix_find(r, "opp-stage-sequence", 0);
    ck_assert_uint_eq(f->line, 7);
    ck_assert_str_eq(f->record, "006Hp000015Yh7mIAC");
    ck_assert_str_eq(f->column, "StageName");
    ck_assert_str_eq(f->message,
                     "StageName Qualification: Negotiation/Review \xE2\x86\x92 Qualification "
                     "moves backward");
    ck_assert_uint_eq(f->related[0].line, 5);
    ck_assert_str_eq(f->related[0].record, "006Hp000015Yh7mIAC");
    f = fix_find(r, "opp-stage-sequence", 1);
    ck_assert_uint_eq(f->line, 10);
    ck_assert_str_eq(f->message,
                     "StageName Closed Lost: Closed Won \xE2\x86\x92 Closed Lost leaves "
                     "a terminal state");
    ck_assert_int_eq(r->summary.exit_code, 0); /* warnings do not gate by default */
    ck_assert_uint_eq(fix_rule(r, "opp-stage-sequence")->checked, 10); /* deleted row excluded */
    result_free(r);
    pack_free(p);
}
END_TEST

START_TEST(missing_column_skips_the_rule)
{
    pack *p;
    result *r = run(SEQ(STAGES ", previous_field: F"), "Id,G,T,S\n1,A,2026-01-01,New\n", &p);
    ck_assert_uint_eq(fix_count(r, "csv/missing-column"), 1);
    ck_assert_str_eq(fix_find(r, "csv/missing-column", 0)->column, "F");
    ck_assert_uint_eq(fix_count(r, "seq"), 0);
    ck_assert_uint_eq(fix_rule(r, "seq")->checked, 0);
    done(r, p);
}
END_TEST

/* Pack errors: PACK:LINE:COL with the rule on line 8 of the pack. */
static const char *seq_error(const char *extra)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, "%s", SEQ("%s"));
    char full[4096];
    snprintf(full, sizeof full, yaml, extra);
    return fix_pack_error(full);
}

START_TEST(pack_errors)
{
    ck_assert_str_eq(seq_error(STAGES ", transitions: {New: [Won]}"),
                     "pack.yaml:8:123: give either 'stages' or 'transitions', not both");
    ck_assert_str_eq(seq_error("exits: [Lost]"),
                     "pack.yaml:8:9: 'sequence' needs 'stages' or 'transitions'");
    ck_assert_str_eq(seq_error("transitions: {New: [Won]}, backward: allow"),
                     "pack.yaml:8:108: 'backward' applies to 'stages'; with 'transitions' list "
                     "the allowed moves");
    ck_assert_str_eq(seq_error("transitions: {New: [Won]}, skip: forbid"),
                     "pack.yaml:8:104: 'skip' applies to 'stages'; with 'transitions' list the "
                     "allowed moves");
    ck_assert_str_eq(seq_error("transitions: {New: Won}"),
                     "pack.yaml:8:90: the moves out of 'New' must be a list of states (use [] "
                     "for none)");
    ck_assert_str_eq(seq_error("transitions: [New, Won]"),
                     "pack.yaml:8:84: 'transitions' must be a mapping from a state to the list "
                     "of states it may move to");
    ck_assert_str_eq(seq_error("transitions: {New: [Won, Won]}"),
                     "pack.yaml:8:96: 'Won' is listed twice among the moves out of 'New'");
    ck_assert_str_eq(seq_error("transitions: {New: [New]}"),
                     "pack.yaml:8:91: 'New' \xE2\x86\x92 'New' is not a transition (a repeated "
                     "state never is)");
    ck_assert_str_eq(seq_error("transitions: {New: [Won], Won: [New]}, terminal: [Won]"),
                     "pack.yaml:8:103: 'Won' is terminal, so 'transitions' cannot list moves out "
                     "of it");
    ck_assert_str_eq(seq_error("stages: [New, Working, New]"),
                     "pack.yaml:8:94: stage 'New' is listed twice");
    ck_assert_str_eq(seq_error(STAGES ", terminal: [Lost]"),
                     "pack.yaml:8:121: 'terminal' names 'Lost', which is not one of the 'stages' "
                     "or 'exits'");
    ck_assert_str_eq(seq_error("transitions: {New: [Won]}, initial: [Old]"),
                     "pack.yaml:8:108: 'initial' names 'Old', which is not a state in "
                     "'transitions' or 'exits'");
    ck_assert_str_eq(seq_error(STAGES ", exits: [Won]"),
                     "pack.yaml:8:118: 'Won' is both a stage and an exit");
    ck_assert_str_eq(seq_error(STAGES ", exits: [Lost, Lost]"),
                     "pack.yaml:8:124: 'Lost' is listed twice in 'exits'");
    ck_assert_str_eq(seq_error(STAGES ", initial: [New, New]"),
                     "pack.yaml:8:125: 'New' is listed twice in 'initial'");
    ck_assert_str_eq(seq_error(STAGES ", backward: never"),
                     "pack.yaml:8:120: 'backward' must be allow or forbid");
    ck_assert_str_eq(seq_error("stages: [New, ' Working']"),
                     "pack.yaml:8:85: state ' Working' in 'stages' has surrounding white space; "
                     "values are trimmed, so it could never match");
    ck_assert_str_eq(seq_error("stages: []"), "pack.yaml:8:79: 'stages' is empty");
    ck_assert_str_eq(seq_error("stages: {New: 1}"),
                     "pack.yaml:8:79: 'stages' must be a list of state names");
    ck_assert_str_eq(seq_error(STAGES ", previous_field: S"),
                     "pack.yaml:8:126: 'previous_field' must differ from 'state'");
    ck_assert_str_eq(fix_pack_error(HEAD "      - {id: seq, type: sequence, group_by: G, "
                                         "order_by: T, state: G, " STAGES "}\n"),
                     "pack.yaml:8:9: 'group_by', 'order_by' and 'state' must name three "
                     "different columns");
    ck_assert_str_eq(seq_error(STAGES ", skip: forbid, steps: 2"),
                     "pack.yaml:8:124: unknown key 'steps' in rule 'seq' (type sequence)");
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("sequence");
    TCase *tc = tcase_create("sequence");
    tcase_add_checked_fixture(tc, fix_setup, fix_teardown);
    tcase_add_test(tc, interleaved_groups_ordered_by_time);
    tcase_add_test(tc, same_state_is_no_transition_and_backward_allow);
    tcase_add_test(tc, skip_forbid_counts_skipped_stages);
    tcase_add_test(tc, terminal_states_and_exits);
    tcase_add_test(tc, initial_states);
    tcase_add_test(tc, unknown_states_every_row_and_moving_out_is_free);
    tcase_add_test(tc, explicit_transitions);
    tcase_add_test(tc, previous_field_history_chain);
    tcase_add_test(tc, ties_keep_file_order_to_the_microsecond);
    tcase_add_test(tc, large_group_sorted_stably);
    tcase_add_test(tc, unparseable_order_leaves_the_group);
    tcase_add_test(tc, empty_group_or_state_skipped_and_raw_value_kept);
    tcase_add_test(tc, one_finding_lists_every_reason);
    tcase_add_test(tc, groups_span_files_of_one_object);
    tcase_add_test(tc, salesforce_opportunity_history);
    tcase_add_test(tc, missing_column_skips_the_rule);
    tcase_add_test(tc, pack_errors);
    suite_add_tcase(s, tc);
    return s;
}

/*
 * gen_history.c - writes a seeded, deterministic Salesforce
 * OpportunityHistory export.
 *
 *   gen_history ROWS OUT.csv [SEED [OPPORTUNITIES]]     (OUT.csv may be "-")
 *
 * The input of rules/bench-history.yaml (issue 3): a stage history the way
 * the Data Export writes it, so that the `sequence` and `sla` rules are timed
 * on what users feed them.  What it copies from real exports
 * (/work/shared/realdata, described in research/crm-export-formats.md):
 *
 *   - the 20 columns of a 2023 export, every value quoted, "YYYY-MM-DD
 *     HH:MM:SS" date-times in UTC, CloseDate with " 00:00:00";
 *   - one row per change of stage, amount, close date or forecast category,
 *     so most consecutive rows of an opportunity keep the stage (about 60%
 *     here, 64% in the real one);
 *   - the chain columns: FromOpportunityStageName and FromForecastCategory
 *     are the previous row's values, PrevAmount and PrevCloseDate likewise,
 *     PrevOpportunityStageUpdate and PrevForecastUpdate the time the previous
 *     stage (category) was entered, ValidThroughDate the time of the next
 *     row (empty on the current row), SystemModstamp the later of the two;
 *   - the rows of all opportunities interleaved in roughly time order, but
 *     not exactly: rows leave through a shuffling window of 256, so rows of
 *     one opportunity written minutes apart may appear out of order, as in
 *     the real export.
 *
 * OPPORTUNITIES (default ROWS / 10) opportunities each get 1-40 rows (mean
 * ROWS / OPPORTUNITIES), start between 2024-12-01 and as_of (2026-11-22),
 * walk the Salesforce default stages (mostly forward one stage, sometimes
 * two, 4% of moves backward) and, unless recent, end Closed Won or Closed
 * Lost.  Defects the sequence rule reports: the backward moves, 1% of closed
 * opportunities reopened, 0.3% of rows whose FromOpportunityStageName does
 * not match (a broken chain), 0.1% of rows in a custom stage the pack does
 * not know ("Discovery").  The SLA (time a row stays current, in business
 * hours) is breached by the long gaps between changes and by stale open
 * opportunities.
 *
 * The output depends only on the arguments; no floating point.
 */
#include "gen.h"

#define WINDOW   256u /* rows shuffled together on the way out */
#define ROW_TEXT 1024u
#define MAX_ROWS 40u /* per opportunity */

#define T_START 1733011200LL /* 2024-12-01 00:00:00 UTC */

enum { CLOSED_WON = 8, CLOSED_LOST = 9, NSTAGES = 10 };

static const char *const STAGE[NSTAGES] = {
    "Prospecting",         "Qualification",       "Needs Analysis",       "Value Proposition",
    "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review",
    "Closed Won",          "Closed Lost"};
static const unsigned PROBABILITY[NSTAGES] = {10, 10, 20, 50, 60, 70, 75, 90, 100, 0};
static const char *const UNKNOWN_STAGE = "Discovery";

enum { FC_PIPELINE, FC_BEST_CASE, FC_COMMIT, FC_CLOSED, FC_OMITTED };
/* OpportunityHistory holds the labels, unlike Opportunity (API values). */
static const char *const FORECAST[] = {"Pipeline", "Best Case", "Commit", "Closed", "Omitted"};

typedef struct opp {
    uint64_t rng;            /* its own draws: its rows do not depend on the interleaving */
    uint64_t gap_rng;        /* the times of its rows, apart so that place() can replay them */
    int64_t t, next_t;       /* CreatedDate of its next row and of the one after */
    uint32_t n, seq;         /* rows in all, rows written */
    uint32_t scale;          /* gaps are multiplied by scale / 1024 to end before as_of */
    uint8_t stage, fc, end;  /* end: its last row's stage (CLOSED_*) or 0: still open */
    uint8_t reopen;          /* closes one row early and then reopens */
    const char *shown_stage; /* the previous row's StageName as written */
    int64_t stage_since, fc_since;
    uint64_t amount, close_day; /* close_day: days since the epoch */
} opp;

typedef struct history {
    gen g;
    opp *opps;
    uint32_t *heap; /* opportunity indexes, earliest next row first */
    size_t nheap;
    char *window;      /* WINDOW slots of ROW_TEXT bytes */
    size_t *win_len;   /* the length of the row in each slot */
    uint32_t *win_row; /* the occupied slots, in no order */
    char users[50][19];
    uint64_t next_id;
} history;

static uint64_t opp_below(opp *o, uint64_t n)
{
    return gen_mix(&o->rng) % n;
}

static uint64_t draw(uint64_t *rng, uint64_t n)
{
    return gen_mix(rng) % n;
}

/* The time to an opportunity's next change, in seconds: minutes (10%),
 * hours (25%), days (55%) or weeks (10%). */
static int64_t draw_gap(uint64_t *rng)
{
    uint64_t r = draw(rng, 100);
    if (r < 10) return 60 + (int64_t)draw(rng, 59 * 60);
    if (r < 35) return 3600 + (int64_t)draw(rng, 7 * 3600);
    if (r < 90) return GEN_DAY + (int64_t)draw(rng, 9 * GEN_DAY);
    return 10 * GEN_DAY + (int64_t)draw(rng, 35 * GEN_DAY);
}

static int64_t next_gap(opp *o)
{
    return draw_gap(&o->gap_rng) * o->scale / 1024;
}

/* Places the opportunity in time: the gaps are drawn once to learn its
 * span (the same draws come again as it is written, from a copy of
 * gap_rng), then it starts at a random time that lets it end before as_of. */
static void place(gen *g, opp *o)
{
    const int64_t room = GEN_AS_OF - 1 - T_START;
    uint64_t probe = o->gap_rng;
    int64_t span = 0;
    for (uint32_t i = 1; i < o->n; i++) span += draw_gap(&probe);
    o->scale = 1024;
    if (span > room) {
        o->scale = (uint32_t)(room * 1024 / span);
        span = span * o->scale / 1024;
    }
    o->t = T_START + (int64_t)below(g, (uint64_t)(room - span) + 1);
    o->next_t = o->n > 1 ? o->t + next_gap(o) : 0;

    /* Opportunities long finished are nearly all closed; recent ones are
     * mostly open. */
    int64_t last = o->t + span;
    unsigned closed_per_mille = last < GEN_AS_OF - 120 * GEN_DAY ? 900 : 300;
    o->end = 0;
    if (opp_below(o, 1000) < closed_per_mille)
        o->end = opp_below(o, 100) < 45 ? CLOSED_WON : CLOSED_LOST;
    o->reopen = o->end && o->n >= 3 && opp_below(o, 1000) < 10;
    uint64_t s = opp_below(o, 100);
    o->stage = s < 75 ? 0 : s < 90 ? 1 : 2;
    o->amount = (1 + opp_below(o, 2000)) * 500;
    o->close_day = (uint64_t)(o->t / GEN_DAY) + 30 + opp_below(o, 90);
}

/* The forecast category a rep leaves at this stage: the default, or at the
 * late stages sometimes Best Case or Commit. */
static uint8_t forecast_for(opp *o, unsigned stage)
{
    if (stage == CLOSED_WON) return FC_CLOSED;
    if (stage == CLOSED_LOST) return FC_OMITTED;
    if (stage >= 6) {
        uint64_t r = opp_below(o, 100);
        if (r < 30) return FC_BEST_CASE;
        if (r < 50) return FC_COMMIT;
    }
    return FC_PIPELINE;
}

/* ---- the heap of opportunities by next row time ---------------------------- */

static int earlier(const history *h, uint32_t a, uint32_t b)
{
    const opp *x = &h->opps[a], *y = &h->opps[b];
    return x->t < y->t || (x->t == y->t && a < b);
}

static void heap_push(history *h, uint32_t i)
{
    size_t k = h->nheap++;
    while (k > 0) {
        size_t parent = (k - 1) / 2;
        if (!earlier(h, i, h->heap[parent])) break;
        h->heap[k] = h->heap[parent];
        k = parent;
    }
    h->heap[k] = i;
}

static uint32_t heap_pop(history *h)
{
    uint32_t top = h->heap[0], last = h->heap[--h->nheap];
    size_t k = 0, n = h->nheap;
    for (;;) {
        size_t c = 2 * k + 1;
        if (c >= n) break;
        if (c + 1 < n && earlier(h, h->heap[c + 1], h->heap[c])) c++;
        if (!earlier(h, h->heap[c], last)) break;
        h->heap[k] = h->heap[c];
        k = c;
    }
    if (n) h->heap[k] = last;
    return top;
}

/* ---- one row ----------------------------------------------------------------- */

static void put_money(gen *g, uint64_t v)
{
    open_field(g);
    put_uint(g, v);
    close_field(g, 0);
}

static void put_time_field(gen *g, int64_t t)
{
    open_field(g);
    put_datetime(g, t, 0);
    close_field(g, 0);
}

/* Writes the next row of opportunity i into g (the row's own buffer). */
static void write_row(history *h, gen *g, uint32_t i)
{
    opp *o = &h->opps[i];
    char id[19];
    int first = o->seq == 0;
    int last = o->seq + 1 == o->n;
    unsigned prev_stage = o->stage, prev_fc = o->fc;
    uint64_t prev_amount = o->amount, prev_close = o->close_day;
    const char *prev_shown = o->shown_stage;

    /* What changes in this row. */
    unsigned stage = o->stage;
    if (o->end && (last || (o->reopen && o->seq + 2 == o->n))) {
        stage = last && o->reopen ? 7 : o->end; /* reopened: back to Negotiation/Review */
    } else if (!first && prev_stage < CLOSED_WON) {
        uint64_t r = opp_below(o, 100);
        if (r >= 60 && r < 90)
            stage = prev_stage < 7 ? prev_stage + 1 : 7;
        else if (r >= 90 && r < 93)
            stage = prev_stage < 6 ? prev_stage + 2 : 7;
        else if (r >= 93 && r < 97 && prev_stage > 0)
            stage = prev_stage - 1;
    }
    if (!first && stage == prev_stage && stage < CLOSED_WON) {
        /* No stage change: the amount or the close date moved. */
        if (opp_below(o, 100) < 40) {
            uint64_t pct = 70 + opp_below(o, 61); /* 70% - 130% */
            o->amount = (o->amount * pct / 100 + 99) / 100 * 100;
            if (o->amount == 0) o->amount = 100;
        } else {
            o->close_day += 7 + opp_below(o, 39);
        }
    }
    if (stage >= CLOSED_WON) o->close_day = (uint64_t)(o->t / GEN_DAY);
    /* A new stage sets the category; otherwise the rep sometimes changes it. */
    uint8_t fc = o->fc;
    if (first || stage != prev_stage || opp_below(o, 100) < 10) fc = forecast_for(o, stage);
    const char *shown = opp_below(o, 1000) < 1 && !last ? UNKNOWN_STAGE : STAGE[stage];

    /* Id, OpportunityId, CreatedById */
    make_id(id, "008", GEN_POD, h->next_id++, 0);
    field(g, id);
    putc_(g, ',');
    make_id(id, "006", GEN_POD, i, 0);
    field(g, id);
    putc_(g, ',');
    field(g, h->users[opp_below(o, 50)]);
    putc_(g, ',');
    /* CreatedDate, CreatedDateForInsert */
    put_time_field(g, o->t);
    put_time_field(g, o->t);
    /* StageName, Amount, ExpectedRevenue, CloseDate, Probability */
    field(g, shown);
    putc_(g, ',');
    put_money(g, o->amount);
    put_money(g, o->amount * PROBABILITY[stage] / 100);
    open_field(g);
    put_datetime(g, (int64_t)o->close_day * GEN_DAY, 1);
    close_field(g, 0);
    put_money(g, PROBABILITY[stage]);
    /* FromForecastCategory, ForecastCategory, PrevForecastUpdate */
    field(g, first ? "" : FORECAST[prev_fc]);
    putc_(g, ',');
    field(g, FORECAST[fc]);
    putc_(g, ',');
    put_time_field(g, first ? o->t : o->fc_since);
    /* FromOpportunityStageName (a broken chain names another stage),
     * PrevOpportunityStageUpdate */
    if (first) {
        field(g, "");
    } else if (opp_below(o, 1000) < 3) {
        field(g, STAGE[(prev_stage + 3) % 8]);
    } else {
        field(g, prev_shown);
    }
    putc_(g, ',');
    put_time_field(g, first ? o->t : o->stage_since);
    /* ValidThroughDate, SystemModstamp, IsDeleted */
    if (last) {
        field(g, "");
        putc_(g, ',');
        put_time_field(g, o->t);
    } else {
        put_time_field(g, o->next_t);
        put_time_field(g, o->next_t);
    }
    field(g, "0");
    putc_(g, ',');
    /* PrevAmount, PrevCloseDate */
    if (first) {
        field(g, "");
        putc_(g, ',');
        field(g, "");
    } else {
        put_money(g, prev_amount);
        open_field(g);
        put_datetime(g, (int64_t)prev_close * GEN_DAY, 1);
        putc_(g, '"');
    }
    putc_(g, '\n');

    /* Move on. */
    if (first || stage != prev_stage) o->stage_since = o->t;
    if (first || fc != prev_fc) o->fc_since = o->t;
    o->stage = (uint8_t)stage;
    o->fc = fc;
    o->shown_stage = shown;
    o->seq++;
    o->t = o->next_t;
    o->next_t = o->seq + 1 < o->n ? o->t + next_gap(o) : 0;
}

/* ---- the shuffling window ------------------------------------------------- */

/* Sends a random one of the `occupied` rows in the window to the output
 * and returns the slot it leaves free. */
static uint32_t emit_one(history *h, size_t occupied)
{
    size_t k = below(&h->g, occupied);
    uint32_t slot = h->win_row[k];
    put(&h->g, h->window + (size_t)slot * ROW_TEXT, h->win_len[slot]);
    h->win_row[k] = h->win_row[occupied - 1];
    gen_maybe_flush(&h->g);
    return slot;
}

static const char HEADER[] =
    "\"Id\",\"OpportunityId\",\"CreatedById\",\"CreatedDate\",\"CreatedDateForInsert\","
    "\"StageName\",\"Amount\",\"ExpectedRevenue\",\"CloseDate\",\"Probability\","
    "\"FromForecastCategory\",\"ForecastCategory\",\"PrevForecastUpdate\","
    "\"FromOpportunityStageName\",\"PrevOpportunityStageUpdate\",\"ValidThroughDate\","
    "\"SystemModstamp\",\"IsDeleted\",\"PrevAmount\",\"PrevCloseDate\"\n";

int main(int argc, char **argv)
{
    uint64_t rows, seed = 42, nopps = 0;
    history h;
    int rc = 1;

    memset(&h, 0, sizeof h);
    if (argc < 3 || argc > 5 || !parse_u64(argv[1], &rows) ||
        (argc >= 4 && !parse_u64(argv[3], &seed)) || (argc == 5 && !parse_u64(argv[4], &nopps))) {
        fprintf(stderr, "usage: gen_history ROWS OUT.csv [SEED [OPPORTUNITIES]]\n");
        return 2;
    }
    if (argc < 5) nopps = rows / 10;
    if (nopps > rows) nopps = rows;
    if (nopps == 0 && rows > 0) nopps = 1;
    if (nopps > UINT32_MAX || rows > nopps * MAX_ROWS) {
        fprintf(stderr, "gen_history: at most %u rows per opportunity\n", MAX_ROWS);
        return 2;
    }
    if (gen_open(&h.g, "gen_history", argv[2], seed)) return 1;
    h.opps = calloc(nopps ? nopps : 1, sizeof *h.opps);
    h.heap = calloc(nopps ? nopps : 1, sizeof *h.heap);
    h.window = malloc(WINDOW * ROW_TEXT);
    h.win_len = calloc(WINDOW, sizeof *h.win_len);
    h.win_row = calloc(WINDOW, sizeof *h.win_row);
    if (!h.opps || !h.heap || !h.window || !h.win_len || !h.win_row) {
        fprintf(stderr, "gen_history: out of memory\n");
        goto cleanup;
    }
    for (size_t u = 0; u < 50; u++) make_id(h.users[u], "005", GEN_POD, 3000 + u * 977, 0);

    /* Rows per opportunity: uniform 1-19, then nudged until they add up. */
    uint64_t total = 0;
    for (uint64_t i = 0; i < nopps; i++) {
        h.opps[i].n = 1 + (uint32_t)below(&h.g, 19);
        total += h.opps[i].n;
    }
    while (total != rows) {
        opp *o = &h.opps[below(&h.g, nopps)];
        if (total < rows && o->n < MAX_ROWS) {
            o->n++;
            total++;
        } else if (total > rows && o->n > 1) {
            o->n--;
            total--;
        }
    }
    for (uint32_t i = 0; i < nopps; i++) {
        h.opps[i].rng = seed ^ (0xA0761D6478BD642Full * (i + 1ull));
        h.opps[i].gap_rng = seed ^ (0xE7037ED1A0B428DBull * (i + 1ull));
        place(&h.g, &h.opps[i]);
        heap_push(&h, i);
    }

    put(&h.g, HEADER, sizeof HEADER - 1);
    size_t occupied = 0;
    uint32_t slot = 0; /* free: the next unused slot while filling, then the last emitted */
    while (h.nheap && !h.g.failed) {
        uint32_t i = heap_pop(&h);
        /* A row is under 700 bytes: 18-character ids, date-times and the
         * fixed stage and category names. */
        gen row = {.buf = h.window + (size_t)slot * ROW_TEXT};
        write_row(&h, &row, i);
        h.win_len[slot] = row.len;
        h.win_row[occupied++] = slot;
        if (occupied == WINDOW)
            slot = emit_one(&h, occupied--);
        else
            slot = (uint32_t)occupied;
        if (h.opps[i].seq < h.opps[i].n) heap_push(&h, i);
    }
    while (occupied) emit_one(&h, occupied--);
    rc = 0;

cleanup:
    if (gen_close(&h.g, "gen_history")) rc = 1;
    free(h.opps);
    free(h.heap);
    free(h.window);
    free(h.win_len);
    free(h.win_row);
    return rc;
}

/*
 * gen_leads.c - writes a seeded, deterministic Salesforce-shaped Lead export.
 *
 *   gen_leads ROWS OUT.csv [SEED]        (OUT.csv may be "-" for stdout)
 *
 * The benchmark (ci/bench.sh, rules/bench.yaml) needs a large export that
 * looks like the real thing, so that the time measured is the time a user
 * would see: API-name headers, every value double-quoted, "YYYY-MM-DD
 * HH:MM:SS" date-times, dates with " 00:00:00", 18-character ids with valid
 * case-checksums, occasional quoted commas, doubled quotes and multi-line
 * descriptions, about 230 bytes per record.  Most values are valid; for each
 * rule of rules/bench.yaml about 1.5% of the records carry a defect that rule
 * reports, so the report path is exercised as well.
 *
 * The output depends only on ROWS and SEED (default 42): the generator has its
 * own PRNG (splitmix64) and does no floating point, so every machine writes the
 * same bytes and ci/bench.sh can reuse a file it generated before.
 *
 * A standalone tool: it uses nothing but libc, and it writes through one
 * large buffer because it must produce hundreds of megabytes in seconds.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_CAP          (4u << 20) /* flush threshold of the output buffer */
#define ROW_MAX          4096u      /* no record comes near this; checked anyway */
#define DEFECT_PER_MILLE 15u        /* per rule */

/* 2026-11-22 00:00:00 UTC, the pack's as_of, in seconds since the epoch. */
#define AS_OF 1795305600LL
#define DAY   86400LL

typedef struct gen {
    uint64_t rng;
    FILE *fp;
    char *buf;
    size_t len;
    int failed;
} gen;

/* splitmix64: tiny, fast and identical everywhere. */
static uint64_t next_u64(gen *g)
{
    uint64_t z = (g->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A number in [0, n); the modulo bias is irrelevant here. */
static uint64_t below(gen *g, uint64_t n)
{
    return next_u64(g) % n;
}

static int chance(gen *g, unsigned per_mille)
{
    return below(g, 1000) < per_mille;
}

#define PICK(g, arr) ((arr)[below((g), sizeof(arr) / sizeof((arr)[0]))])

static void flush_out(gen *g)
{
    if (g->len && !g->failed && fwrite(g->buf, 1, g->len, g->fp) != g->len)
        g->failed = errno ? errno : EIO;
    g->len = 0;
}

static void put(gen *g, const char *s, size_t n)
{
    memcpy(g->buf + g->len, s, n);
    g->len += n;
}

static void puts_(gen *g, const char *s)
{
    put(g, s, strlen(s));
}

static void putc_(gen *g, char c)
{
    g->buf[g->len++] = c;
}

static void put_uint(gen *g, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) putc_(g, tmp[--n]);
}

static void put2(gen *g, unsigned v)
{
    putc_(g, (char)('0' + v / 10));
    putc_(g, (char)('0' + v % 10));
}

/* Civil date from days since 1970-01-01 (Howard Hinnant's algorithm). */
static void civil(int64_t days, int *y, unsigned *m, unsigned *d)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned doe = (unsigned)(days - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* "YYYY-MM-DD HH:MM:SS"; date_only writes the time as 00:00:00, the way the
 * Data Export writes date fields. */
static void put_datetime(gen *g, int64_t t, int date_only)
{
    int64_t days = t >= 0 ? t / DAY : (t - DAY + 1) / DAY;
    int64_t secs = t - days * DAY;
    int y;
    unsigned m, d;
    civil(days, &y, &m, &d);
    put_uint(g, (uint64_t)y);
    putc_(g, '-');
    put2(g, m);
    putc_(g, '-');
    put2(g, d);
    putc_(g, ' ');
    if (date_only) secs = 0;
    put2(g, (unsigned)(secs / 3600));
    putc_(g, ':');
    put2(g, (unsigned)(secs / 60 % 60));
    putc_(g, ':');
    put2(g, (unsigned)(secs % 60));
}

static const char BASE62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
static const char CHECKSUM[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/* Appends the 3-character case-checksum of id[0..15). */
static void sfid_suffix(const char *id, char out[3])
{
    for (int b = 0; b < 3; b++) {
        unsigned v = 0;
        for (int i = 0; i < 5; i++) {
            char c = id[b * 5 + i];
            if (c >= 'A' && c <= 'Z') v |= 1u << i;
        }
        out[b] = CHECKSUM[v];
    }
}

/* An 18-character id: prefix (3 chars) + pod (6 chars) + n in 6 base-62
 * digits + checksum.  bad: a checksum that does not match. */
static void make_id(char out[19], const char *prefix, const char *pod, uint64_t n, int bad)
{
    memcpy(out, prefix, 3);
    memcpy(out + 3, pod, 6);
    for (int i = 14; i >= 9; i--) {
        out[i] = BASE62[n % 62];
        n /= 62;
    }
    sfid_suffix(out, out + 15);
    if (bad) out[17] = out[17] == 'A' ? 'B' : 'A';
    out[18] = '\0';
}

static const char *const FIRST[] = {
    "Amelia", "Jonas", "Priya",  "Tomas", "Wei",   "Olivia", "Lukas", "Noah",  "Fatima", "Harriet",
    "Jon",    "Elena", "Marcus", "Ines",  "Kenji", "Grace",  "Liam",  "Sofia", "Daniel", "Chloe",
    "Ravi",   "Anna",  "Mateo",  "Zoe",   "Hugo",  "Mei",    "Oscar", "Ada",   "Greta",  "Arjun",
    "Clara",  "Tunde", "Paula",  "Ivan",  "Hana",  "Luca",   "Maya",  "Omar",  "Nina",   "Felix"};
static const char *const LAST[] = {
    "Hart",    "Berg",      "Nair",   "Rivera",  "Chen",  "Grant",    "Novak",    "Kim",
    "Zahra",   "Cole",      "Park",   "Petrova", "Bell",  "Duarte",   "Watanabe", "Okafor",
    "OBrien",  "Lindqvist", "Mensah", "Martin",  "Shah",  "Kowalski", "Silva",    "Adams",
    "Lefevre", "Tanaka",    "Nilsen", "Byrne",   "Holm",  "Mehta",    "Weiss",    "Bakare",
    "Reyes",   "Petrov",    "Sato",   "Ferri",   "Cohen", "Haddad",   "Wagner",   "Lund"};
static const char *const CO_A[] = {"Bright", "Nord",   "Lotus",  "Jade",   "Copper",
                                   "Harbor", "Atlas",  "Baltic", "Sakura", "Volta",
                                   "Pine",   "Amber",  "Delta",  "Summit", "Iron",
                                   "Coral",  "Falcon", "Maple",  "Silver", "Granite"};
static const char *const CO_B[] = {"water", "grid",  "field", "stone", "wave", "leaf", "point",
                                   "gate",  "works", "line",  "ridge", "bay",  "peak", "mark"};
static const char *const CO_SUFFIX[] = {"Inc", "Ltd", "GmbH", "LLC", "SA", "AB", "Corp", "Co"};
static const char *const COUNTRY[] = {"US", "GB", "DE", "FR", "BR", "MX", "CA", "AU", "JP", "IN",
                                      "ES", "IT", "NL", "SE", "CH", "IE", "PL", "SG", "ZA", "NZ"};
static const char *const BAD_COUNTRY[] = {"USA", "UK", "Deutschland", "uk", "XX"};
static const char *const SOURCE[] = {
    "Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other", "web", "WEB", "other"};
static const char *const BAD_SOURCE[] = {"Webinar", "Trade Show", "Cold Call"};
static const char *const STATUS[] = {"Open - Not Contacted", "Working - Contacted",
                                     "Closed - Not Converted"};
static const char *const BAD_STATUS[] = {"Qualified", "Open \xE2\x80\x93 Not Contacted",
                                         "open - not contacted"};
static const char *const BAD_EMAIL_FMT[] = {"@@", "@", " at "};
static const char *const BAD_PHONE[] = {"12345", "call me", "555-12", "+1 (415) 555-01234567890"};
static const char *const BAD_EMPLOYEES[] = {"0", "-3", "lots", "1000000"};
static const char *const DESC[] = {
    "Met at the trade show, asked for \"pricing\".", "Downloaded the whitepaper.",
    "Requested a demo for the EMEA team, budget approved.", "Referred by an existing customer."};
static const char *const DESC_MULTI[] = {"First call went well.\nFollow up in two weeks.",
                                         "Notes from the webinar:\n- wants SSO\n- 200 seats"};

/* Writes s as a quoted CSV field, doubling quotes. */
static void field(gen *g, const char *s)
{
    putc_(g, '"');
    for (; *s; s++) {
        if (*s == '"') putc_(g, '"');
        putc_(g, *s);
    }
    putc_(g, '"');
}

static void open_field(gen *g)
{
    putc_(g, '"');
}
static void close_field(gen *g, int last)
{
    putc_(g, '"');
    putc_(g, last ? '\n' : ',');
}

static void lower_into(char *dst, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        dst[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
    dst[i] = '\0';
}

static void write_row(gen *g, uint64_t row, char owners[][19], size_t nowners)
{
    char id[19], tmp[64], first_l[32], last_l[32], coa_l[32];
    const char *first = PICK(g, FIRST), *last = PICK(g, LAST);
    const char *coa = PICK(g, CO_A), *cob = PICK(g, CO_B), *cos = PICK(g, CO_SUFFIX);

    /* Which rules get a defect in this record (independently of each other). */
    int d_required = chance(g, DEFECT_PER_MILLE), d_converted = chance(g, DEFECT_PER_MILLE);
    int d_id = chance(g, DEFECT_PER_MILLE), d_email = chance(g, DEFECT_PER_MILLE);
    int d_phone = chance(g, DEFECT_PER_MILLE), d_country = chance(g, DEFECT_PER_MILLE);
    int d_status = chance(g, DEFECT_PER_MILLE), d_source = chance(g, DEFECT_PER_MILLE);
    int d_owner = chance(g, DEFECT_PER_MILLE), d_compare = chance(g, DEFECT_PER_MILLE);
    int d_employees = chance(g, DEFECT_PER_MILLE), d_stale = chance(g, DEFECT_PER_MILLE);

    /* Id */
    make_id(id, "00Q", "5g0000", row + 1000000, d_id);
    field(g, id);
    putc_(g, ',');
    /* FirstName, LastName, Company: a required defect empties one of the two */
    int empty_last = d_required && (row & 1), empty_company = d_required && !(row & 1);
    field(g, first);
    putc_(g, ',');
    field(g, empty_last ? "" : last);
    putc_(g, ',');
    open_field(g);
    if (!empty_company) {
        puts_(g, coa);
        puts_(g, cob);
        putc_(g, ' ');
        puts_(g, cos);
    }
    close_field(g, 0);
    /* Country */
    field(g, d_country ? PICK(g, BAD_COUNTRY) : PICK(g, COUNTRY));
    putc_(g, ',');
    /* Phone: +CC AAA 555 NNNN */
    if (d_phone) {
        field(g, PICK(g, BAD_PHONE));
    } else {
        open_field(g);
        if (chance(g, 500)) { /* national: (AAA) 555-NNNN */
            putc_(g, '(');
            put_uint(g, 200 + below(g, 800));
            puts_(g, ") 555-");
        } else { /* international: +CC AAA 555 NNNN */
            putc_(g, '+');
            put_uint(g, 1 + below(g, 89));
            putc_(g, ' ');
            put_uint(g, 200 + below(g, 800));
            puts_(g, " 555 ");
        }
        put_uint(g, 1000 + below(g, 9000));
        if (chance(g, 20)) {
            puts_(g, " ext. ");
            put_uint(g, 1 + below(g, 999));
        }
        putc_(g, '"');
    }
    putc_(g, ',');
    /* Email: first.last@, flast@ or first@ coacob.test */
    lower_into(first_l, sizeof first_l, first);
    lower_into(last_l, sizeof last_l, last);
    lower_into(coa_l, sizeof coa_l, coa);
    open_field(g);
    uint64_t style = below(g, 3);
    if (style == 0) {
        puts_(g, first_l);
        putc_(g, '.');
        puts_(g, last_l);
    } else if (style == 1) {
        putc_(g, first_l[0]);
        puts_(g, last_l);
    } else {
        puts_(g, first_l);
    }
    if (d_email) {
        const char *how = PICK(g, BAD_EMAIL_FMT);
        puts_(g, how);
        puts_(g, coa_l);
        puts_(g, cob);
        if (how[0] != '@' || how[1] == '@') puts_(g, ".test"); /* "@" alone: no TLD */
    } else {
        putc_(g, '@');
        puts_(g, coa_l);
        puts_(g, cob);
        puts_(g, ".test");
    }
    close_field(g, 0);
    /* Website */
    open_field(g);
    if (chance(g, 400)) {
        puts_(g, "www.");
        puts_(g, coa_l);
        puts_(g, cob);
        puts_(g, ".test");
    }
    close_field(g, 0);
    /* Description: mostly empty, sometimes quoted text, rarely several lines */
    uint64_t dr = below(g, 1000);
    field(g, dr < 5 ? PICK(g, DESC_MULTI) : dr < 80 ? PICK(g, DESC) : "");
    putc_(g, ',');
    /* LeadSource */
    field(g, d_source ? PICK(g, BAD_SOURCE) : PICK(g, SOURCE));
    putc_(g, ',');
    /* Status; converted leads are "Closed - Converted" */
    int converted = d_converted || chance(g, 150);
    field(g, d_status ? PICK(g, BAD_STATUS) : converted ? "Closed - Converted" : PICK(g, STATUS));
    putc_(g, ',');
    /* AnnualRevenue */
    open_field(g);
    if (!chance(g, 300)) put_uint(g, (1 + below(g, 5000)) * 10000);
    close_field(g, 0);
    /* NumberOfEmployees */
    if (d_employees) {
        field(g, PICK(g, BAD_EMPLOYEES));
        putc_(g, ',');
    } else {
        open_field(g);
        if (!chance(g, 300)) put_uint(g, 1 + below(g, 5000));
        close_field(g, 0);
    }
    /* OwnerId: a queue (00G) instead of a user (005) is the pattern defect */
    if (d_owner) {
        make_id(tmp, "00G", "5g0000", 4242 + below(g, 10), 0);
        field(g, tmp);
    } else {
        field(g, owners[below(g, nowners)]);
    }
    putc_(g, ',');
    /* Dates: created between 2024-12-01 and 2026-11-15, modified up to 60 days
     * later (never after as_of).  A stale record was created and last touched
     * in 2022-2023; a compare defect is modified before it was created. */
    int64_t created, modified;
    if (d_stale) {
        created = 1640995200LL + (int64_t)below(g, 600 * DAY); /* 2022-01-01 + < 600 days */
        modified = created + (int64_t)below(g, 30 * DAY);
    } else {
        created = 1733011200LL + (int64_t)below(g, 714 * DAY); /* 2024-12-01 + < 714 days */
        modified = created + (int64_t)below(g, 60 * DAY);
        if (modified > AS_OF - 1) modified = AS_OF - 1;
    }
    if (d_compare) modified = created - 3600 - (int64_t)below(g, 7 * DAY);
    /* IsConverted, ConvertedDate */
    field(g, converted ? "1" : "0");
    putc_(g, ',');
    open_field(g);
    if (converted && !d_converted) put_datetime(g, created + (int64_t)below(g, 20 * DAY), 1);
    close_field(g, 0);
    /* CreatedDate, LastModifiedDate */
    open_field(g);
    put_datetime(g, created, 0);
    close_field(g, 0);
    open_field(g);
    put_datetime(g, modified, 0);
    close_field(g, 1);
}

static const char HEADER[] =
    "\"Id\",\"FirstName\",\"LastName\",\"Company\",\"Country\",\"Phone\",\"Email\",\"Website\","
    "\"Description\",\"LeadSource\",\"Status\",\"AnnualRevenue\",\"NumberOfEmployees\","
    "\"OwnerId\",\"IsConverted\",\"ConvertedDate\",\"CreatedDate\",\"LastModifiedDate\"\n";

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (!*s || *s == '-') return 0;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return 0;
    *out = v;
    return 1;
}

int main(int argc, char **argv)
{
    uint64_t rows, seed = 42;
    gen g = {0};
    int rc = 1;
    char owners[8][19];

    if (argc < 3 || argc > 4 || !parse_u64(argv[1], &rows) ||
        (argc == 4 && !parse_u64(argv[3], &seed))) {
        fprintf(stderr, "usage: gen_leads ROWS OUT.csv [SEED]\n");
        return 2;
    }
    g.rng = seed;
    g.buf = malloc(OUT_CAP + ROW_MAX);
    if (!g.buf) {
        fprintf(stderr, "gen_leads: out of memory\n");
        return 1;
    }
    g.fp = strcmp(argv[2], "-") == 0 ? stdout : fopen(argv[2], "wb");
    if (!g.fp) {
        fprintf(stderr, "gen_leads: %s: %s\n", argv[2], strerror(errno));
        goto cleanup;
    }
    for (size_t i = 0; i < 8; i++) make_id(owners[i], "005", "5g0000", 3000 + i * 977, 0);

    put(&g, HEADER, sizeof HEADER - 1);
    for (uint64_t r = 0; r < rows && !g.failed; r++) {
        write_row(&g, r, owners, 8);
        if (g.len >= OUT_CAP) flush_out(&g);
    }
    flush_out(&g);
    if (!g.failed && fflush(g.fp) != 0) g.failed = errno ? errno : EIO;
    if (g.failed) {
        fprintf(stderr, "gen_leads: %s: %s\n", argv[2], strerror(g.failed));
        goto cleanup;
    }
    rc = 0;

cleanup:
    if (g.fp && g.fp != stdout && fclose(g.fp) != 0 && rc == 0) {
        fprintf(stderr, "gen_leads: %s: %s\n", argv[2], strerror(errno));
        rc = 1;
    }
    free(g.buf);
    return rc;
}

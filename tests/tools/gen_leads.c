/*
 * gen_leads.c - writes a seeded, deterministic Salesforce-shaped Lead export.
 *
 *   gen_leads [-a ACCOUNTS | -f FIRST_ROW] ROWS OUT.csv [SEED]
 *     (OUT.csv may be "-" for stdout)
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
 * With -a ACCOUNTS it writes the duplicate-detection export of
 * rules/bench-dupes.yaml instead, whose point is a known number of distinct
 * keys (ci/bench.sh divides memory by it):
 *
 *   - Email and Phone are unique by construction (a bijection of the row
 *     number picks the name, domain, style and number), except that 1% of
 *     the records repeat an earlier record's email, and 1% its phone, in
 *     another case or another format ("(415) 555-0147" for
 *     "+1 415 555 0147"), so the rules' normalisers do real work.  3% of the
 *     emails and 10% of the phones are empty.  A repeated record also
 *     repeats the person's name: it is the same lead entered twice.
 *   - A ConvertedAccountId column follows ConvertedDate.  Leads reach
 *     accounts only through conversion, so, as in a real export, only
 *     converted leads (about 16%) name an account, one of the ACCOUNTS that
 *     gen_accounts writes; the others hold Salesforce's empty id
 *     000000000000000AAA.  0.5% of the converted name an account that does
 *     not exist (deleted after conversion).
 *   - The bench.yaml defects of Email and Phone are not planted (a repeated
 *     "call me" would be an unplanned duplicate).
 *
 * and prints on stderr what the lint must find, for ci/bench.sh to check:
 *
 *   email_keys=N email_dupes=N phone_keys=N phone_dupes=N converted=N dangling=N
 *
 * The output depends only on the arguments: the generator has its own PRNG
 * (splitmix64) and does no floating point, so every machine writes the same
 * bytes and ci/bench.sh can reuse a file it generated before.
 *
 * A standalone tool: it uses nothing but libc (and gen.h), and it writes
 * through one large buffer because it must produce gigabytes in seconds.
 */
#include "gen.h"

#define DEFECT_PER_MILLE 15u /* per rule of bench.yaml */
#define DUPE_PER_MILLE   10u /* -a: records repeating an earlier email, and phone */
#define NO_EMAIL         30u /* -a: per mille of records without an email */
#define NO_PHONE         100u
#define DANGLING         5u /* -a: per mille of converted leads naming no account */

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

typedef struct opts {
    uint64_t seed;
    uint64_t accounts; /* -a; 0: the bench.yaml export */
} opts;

typedef struct counts {
    uint64_t email_keys, email_dupes, phone_keys, phone_dupes, converted, dangling;
} counts;

/* ---- -a: identities that are unique by construction ----------------------
 *
 * Everything that makes a record's email and phone is a pure function of
 * the seed and the row number, so a repeat can rebuild an earlier row's
 * values without remembering them. */

typedef struct ident {
    const char *first, *last, *coa, *cob;
    unsigned style;  /* email local part: first.last, first_last, last.first */
    uint64_t suffix; /* digits after the local part; 0: none */
    uint64_t phone;  /* ten digits, the first at least 2 */
    unsigned phone_fmt;
    int has_email, has_phone, email_dup, phone_dup;
    uint64_t rng; /* this row's own draws */
} ident;

/* A bijection of 32-bit numbers (odd multipliers and xor-shifts each are). */
static uint32_t perm32(uint32_t x)
{
    x *= 0x9E3779B1u;
    x ^= x >> 16;
    x *= 0x85EBCA6Bu;
    x ^= x >> 13;
    return x;
}

#define NNAMES   (COUNT(FIRST) * COUNT(LAST))
#define NDOMAINS (COUNT(CO_A) * COUNT(CO_B))

static void identify(const opts *o, uint64_t row, ident *id)
{
    /* Names, domain and style are digits of one mixed-radix number; the
     * rest of perm32's value is the suffix, so two rows never share an
     * email (the lists of first and last names are disjoint and hold no
     * '.', '_' or digit, which makes the three styles unambiguous). */
    uint64_t x = perm32((uint32_t)(row + (o->seed * 0x2545F491u)));
    uint64_t name = x % NNAMES, dom = (x / NNAMES) % NDOMAINS;
    x /= NNAMES * NDOMAINS;
    id->first = FIRST[name % COUNT(FIRST)];
    id->last = LAST[name / COUNT(FIRST)];
    id->coa = CO_A[dom % COUNT(CO_A)];
    id->cob = CO_B[dom / COUNT(CO_A)];
    id->style = (unsigned)(x % 3);
    id->suffix = x / 3;
    /* 8e9 = 2^12 * 5^9 and the multiplier (below 2^64 / 8e9) is odd and not a multiple of 5:
     * a bijection of [0, 8e9), so no two rows under 8e9 share a number. */
    id->phone = 2000000000ull + (row + o->seed) % 8000000000ull * 1640531527ull % 8000000000ull;

    id->rng = o->seed ^ (row * 0xD1B54A32D192ED03ull);
    id->phone_fmt = (unsigned)(gen_mix(&id->rng) % 10);
    id->has_email = gen_mix(&id->rng) % 1000 >= NO_EMAIL;
    id->has_phone = gen_mix(&id->rng) % 1000 >= NO_PHONE;
    id->email_dup = row > 0 && gen_mix(&id->rng) % 1000 < DUPE_PER_MILLE;
    id->phone_dup = row > 0 && gen_mix(&id->rng) % 1000 < DUPE_PER_MILLE;
}

/* The earliest-found row before `row` whose own email (want_email) or
 * phone was written, starting at a random one; UINT64_MAX when none. */
static uint64_t repeat_source(const opts *o, uint64_t row, uint64_t *rng, int want_email)
{
    uint64_t j = gen_mix(rng) % row;
    for (;;) {
        ident s;
        identify(o, j, &s);
        if (want_email ? s.has_email && !s.email_dup : s.has_phone && !s.phone_dup) return j;
        if (j == 0) return UINT64_MAX;
        j--;
    }
}

/* Case of a repeated email: as written, Capitalised or UPPER. */
static void put_cased(gen *g, const char *s, unsigned how)
{
    for (size_t i = 0; s[i]; i++) {
        char c = s[i];
        if (how == 2 || (how == 1 && i == 0)) c = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
        putc_(g, c);
    }
}

static void put_email(gen *g, const ident *id, unsigned how)
{
    char first[32], last[32], coa[32];
    lower_into(first, sizeof first, id->first);
    lower_into(last, sizeof last, id->last);
    lower_into(coa, sizeof coa, id->coa);
    put_cased(g, id->style == 2 ? last : first, how);
    putc_(g, id->style == 1 ? '_' : '.');
    put_cased(g, id->style == 2 ? first : last, how);
    if (id->suffix) put_uint(g, id->suffix);
    putc_(g, '@');
    put_cased(g, coa, how);
    put_cased(g, id->cob, how == 2 ? 2 : 0);
    puts_(g, how == 2 ? ".TEST" : ".test");
}

/* Four ways of writing one North American number, all of which the phone
 * normaliser (default_country_code "1") turns into the same 11 digits. */
static void put_phone(gen *g, uint64_t digits, unsigned fmt)
{
    uint64_t area = digits / 10000000, exch = digits / 10000 % 1000, line = digits % 10000;
    if (fmt < 4) {
        puts_(g, "+1 ");
        put_uint_w(g, area, 3);
        putc_(g, ' ');
        put_uint_w(g, exch, 3);
        putc_(g, ' ');
    } else if (fmt < 8) {
        putc_(g, '(');
        put_uint_w(g, area, 3);
        puts_(g, ") ");
        put_uint_w(g, exch, 3);
        putc_(g, '-');
    } else if (fmt < 9) {
        put_uint_w(g, area, 3);
        putc_(g, '.');
        put_uint_w(g, exch, 3);
        putc_(g, '.');
    } else {
        puts_(g, "+1-");
        put_uint_w(g, area, 3);
        putc_(g, '-');
        put_uint_w(g, exch, 3);
        putc_(g, '-');
    }
    put_uint_w(g, line, 4);
}

/* ---- records --------------------------------------------------------------- */

static void write_row(gen *g, const opts *o, counts *k, uint64_t row, char owners[][19],
                      size_t nowners)
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

    /* -a: who this is, and whose email and phone it repeats. */
    ident me, email_of, phone_of;
    unsigned email_case = 0;
    if (o->accounts) {
        identify(o, row, &me);
        email_of = phone_of = me;
        if (me.email_dup) {
            uint64_t j = repeat_source(o, row, &me.rng, 1);
            if (j != UINT64_MAX) {
                identify(o, j, &email_of);
                email_case = 1 + (unsigned)(gen_mix(&me.rng) % 2);
                me.first = email_of.first, me.last = email_of.last;
                me.coa = email_of.coa, me.cob = email_of.cob;
            } else {
                me.email_dup = 0;
            }
        }
        if (me.phone_dup) {
            uint64_t j = repeat_source(o, row, &me.rng, 0);
            if (j != UINT64_MAX) {
                identify(o, j, &phone_of);
                /* Another way of writing it than the first record's. */
                phone_of.phone_fmt =
                    (phone_of.phone_fmt + 1 + (unsigned)(gen_mix(&me.rng) % 9)) % 10;
            } else {
                me.phone_dup = 0;
            }
        }
        first = me.first, last = me.last, coa = me.coa, cob = me.cob;
        d_email = d_phone = 0;
        if (me.has_email) {
            if (me.email_dup)
                k->email_dupes++;
            else
                k->email_keys++;
        }
        if (me.has_phone) {
            if (me.phone_dup)
                k->phone_dupes++;
            else
                k->phone_keys++;
        }
    }

    /* Id */
    make_id(id, "00Q", GEN_POD, row + 1000000, d_id);
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
    if (o->accounts) {
        open_field(g);
        if (me.has_phone) put_phone(g, phone_of.phone, phone_of.phone_fmt);
        putc_(g, '"');
    } else if (d_phone) {
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
    if (o->accounts) {
        if (me.has_email) put_email(g, &email_of, email_case);
    } else {
        /* Unique by construction (the row number is part of the local
         * part), except that about 1.5% of the records repeat the email of
         * one of the previous thousand: a realistic duplicate rate for the
         * bench's unique rule, which a name-only email would make 50%+. */
        uint64_t n = row;
        if (row > 0 && chance(g, DEFECT_PER_MILLE)) n = row - 1 - below(g, row < 1000 ? row : 1000);
        /* Everything in the email is a function of n, so a repeat is exact. */
        uint64_t h = n * 0x9E3779B97F4A7C15ull;
        lower_into(first_l, sizeof first_l, FIRST[(h >> 8) % (sizeof FIRST / sizeof *FIRST)]);
        lower_into(last_l, sizeof last_l, LAST[(h >> 20) % (sizeof LAST / sizeof *LAST)]);
        lower_into(coa_l, sizeof coa_l, CO_A[(h >> 32) % (sizeof CO_A / sizeof *CO_A)]);
        const char *email_cob = CO_B[(h >> 44) % (sizeof CO_B / sizeof *CO_B)];
        uint64_t style = n % 3;
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
        putc_(g, '.');
        put_uint(g, n);
        cob = email_cob;
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
        make_id(tmp, "00G", GEN_POD, 4242 + below(g, 10), 0);
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
        created = 1640995200LL + (int64_t)below(g, 600 * GEN_DAY); /* 2022-01-01 + < 600 days */
        modified = created + (int64_t)below(g, 30 * GEN_DAY);
    } else {
        created = 1733011200LL + (int64_t)below(g, 714 * GEN_DAY); /* 2024-12-01 + < 714 days */
        modified = created + (int64_t)below(g, 60 * GEN_DAY);
        if (modified > GEN_AS_OF - 1) modified = GEN_AS_OF - 1;
    }
    if (d_compare) modified = created - 3600 - (int64_t)below(g, 7 * GEN_DAY);
    /* IsConverted, ConvertedDate */
    field(g, converted ? "1" : "0");
    putc_(g, ',');
    open_field(g);
    if (converted && !d_converted) put_datetime(g, created + (int64_t)below(g, 20 * GEN_DAY), 1);
    close_field(g, 0);
    /* -a: ConvertedAccountId */
    if (o->accounts) {
        if (converted) {
            uint64_t n = below(g, o->accounts);
            k->converted++;
            if (chance(g, DANGLING)) {
                n = o->accounts + below(g, 1000);
                k->dangling++;
            }
            make_id(tmp, "001", GEN_POD, n, 0);
            field(g, tmp);
            putc_(g, ',');
        } else {
            field(g, "000000000000000AAA");
            putc_(g, ',');
        }
    }
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
    "\"OwnerId\",\"IsConverted\",\"ConvertedDate\",";
static const char HEADER_END[] = "\"CreatedDate\",\"LastModifiedDate\"\n";

int main(int argc, char **argv)
{
    opts o = {.seed = 42};
    counts k = {0};
    uint64_t rows, first = 0;
    gen g;
    char owners[8][19];

    if (argc >= 3 && strcmp(argv[1], "-a") == 0) {
        if (!parse_u64(argv[2], &o.accounts) || o.accounts == 0) goto usage;
        argc -= 2;
        argv += 2;
    }
    /* -f: the first row number, so several files with different -f (and
     * seeds) hold different records: ids and emails come from the row. */
    if (argc >= 3 && strcmp(argv[1], "-f") == 0) {
        if (!parse_u64(argv[2], &first) || o.accounts) goto usage;
        argc -= 2;
        argv += 2;
    }
    if (argc < 3 || argc > 4 || !parse_u64(argv[1], &rows) ||
        (argc == 4 && !parse_u64(argv[3], &o.seed)))
        goto usage;
    /* -a's identities are unique only below 2^32 rows (perm32). */
    if (o.accounts && rows > UINT32_MAX) goto usage;
    if (gen_open(&g, "gen_leads", argv[2], o.seed)) return 1;
    for (size_t i = 0; i < 8; i++) make_id(owners[i], "005", GEN_POD, 3000 + i * 977, 0);

    put(&g, HEADER, sizeof HEADER - 1);
    if (o.accounts) puts_(&g, "\"ConvertedAccountId\",");
    put(&g, HEADER_END, sizeof HEADER_END - 1);
    for (uint64_t r = first; r < first + rows && !g.failed; r++) {
        write_row(&g, &o, &k, r, owners, 8);
        gen_maybe_flush(&g);
    }
    if (gen_close(&g, "gen_leads")) return 1;
    if (o.accounts)
        fprintf(stderr,
                "email_keys=%llu email_dupes=%llu phone_keys=%llu phone_dupes=%llu "
                "converted=%llu dangling=%llu\n",
                (unsigned long long)k.email_keys, (unsigned long long)k.email_dupes,
                (unsigned long long)k.phone_keys, (unsigned long long)k.phone_dupes,
                (unsigned long long)k.converted, (unsigned long long)k.dangling);
    return 0;

usage:
    fprintf(stderr, "usage: gen_leads [-a ACCOUNTS | -f FIRST_ROW] ROWS OUT.csv [SEED]\n");
    return 2;
}

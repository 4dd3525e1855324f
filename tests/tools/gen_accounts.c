/*
 * gen_accounts.c - writes a seeded, deterministic Salesforce-shaped Account
 * export.
 *
 *   gen_accounts ROWS OUT.csv [SEED]        (OUT.csv may be "-" for stdout)
 *
 * The target of the `reference` rule in rules/bench-dupes.yaml: the leads
 * that `gen_leads -a ROWS` writes name accounts 0 .. ROWS-1 in their
 * ConvertedAccountId, and this writes exactly those ids (prefix 001, the
 * shared pod, the account number in base 62; see gen.h), in order.  The
 * columns and their look are those of fixtures/salesforce/Account.csv: every
 * value quoted, "YYYY-MM-DD HH:MM:SS" date-times, Salesforce's empty id
 * 000000000000000AAA in ParentId when there is no parent; about 250 bytes a
 * record.  Nothing here is a defect: the pack has no rule on accounts.
 *
 * The output depends only on ROWS and SEED (default 42).
 */
#include "gen.h"

static const char *const NAME_A[] = {"Bright", "Nord",   "Lotus",  "Jade",   "Copper",
                                     "Harbor", "Atlas",  "Baltic", "Sakura", "Volta",
                                     "Pine",   "Amber",  "Delta",  "Summit", "Iron",
                                     "Coral",  "Falcon", "Maple",  "Silver", "Granite"};
static const char *const NAME_B[] = {"water", "grid",  "field", "stone", "wave", "leaf", "point",
                                     "gate",  "works", "line",  "ridge", "bay",  "peak", "mark"};
static const char *const NAME_SUFFIX[] = {"Inc", "Ltd", "GmbH", "LLC", "SA", "AB", "Corp", "Co"};
static const char *const TYPE[] = {"Customer - Direct",          "Customer - Channel",   "Prospect",
                                   "Channel Partner / Reseller", "Installation Partner", "Other"};
static const char *const INDUSTRY[] = {"Manufacturing",  "Retail",     "Technology", "Healthcare",
                                       "Energy",         "Finance",    "Education",  "Media",
                                       "Transportation", "Hospitality"};
static const struct {
    const char *city, *country, *cc;
} PLACE[] = {{"Austin", "US", "+1 512"},        {"Boston", "US", "+1 617"},
             {"London", "GB", "+44 20"},        {"Munich", "DE", "+49 89"},
             {"Lyon", "FR", "+33 4"},           {"S\xC3\xA3o Paulo", "BR", "+55 11"},
             {"Toronto", "CA", "+1 416"},       {"Sydney", "AU", "+61 2"},
             {"Osaka", "JP", "+81 6"},          {"Pune", "IN", "+91 20"},
             {"Z\xC3\xBCrich", "CH", "+41 44"}, {"Dublin", "IE", "+353 1"}};
static const char *const DESC[] = {"Key account, renewal in Q3.",
                                   "Parent company handles \"all\" procurement.",
                                   "Prefers e-mail, not phone.", "Expanding into EMEA, see notes."};

static void write_row(gen *g, uint64_t n, char owners[][19], size_t nowners)
{
    char id[19], low[32];
    const char *a = PICK(g, NAME_A), *b = PICK(g, NAME_B), *suffix = PICK(g, NAME_SUFFIX);
    size_t place = below(g, COUNT(PLACE));

    /* Id */
    make_id(id, "001", GEN_POD, n, 0);
    field(g, id);
    putc_(g, ',');
    /* Name: with a branch number, since real account names are mostly unique */
    open_field(g);
    puts_(g, a);
    puts_(g, b);
    putc_(g, ' ');
    puts_(g, suffix);
    if (chance(g, 300)) {
        puts_(g, " (");
        puts_(g, PLACE[place].city);
        putc_(g, ')');
    }
    close_field(g, 0);
    /* Type */
    field(g, PICK(g, TYPE));
    putc_(g, ',');
    /* ParentId: one account in ten belongs to an earlier one */
    if (n > 0 && chance(g, 100)) {
        make_id(id, "001", GEN_POD, below(g, n), 0);
        field(g, id);
    } else {
        field(g, "000000000000000AAA");
    }
    putc_(g, ',');
    /* BillingCity, BillingCountry, Phone */
    field(g, PLACE[place].city);
    putc_(g, ',');
    field(g, PLACE[place].country);
    putc_(g, ',');
    open_field(g);
    puts_(g, PLACE[place].cc);
    putc_(g, ' ');
    put_uint(g, 5550000 + below(g, 10000));
    close_field(g, 0);
    /* Website */
    open_field(g);
    if (chance(g, 800)) {
        puts_(g, chance(g, 500) ? "https://www." : "www.");
        lower_into(low, sizeof low, a);
        puts_(g, low);
        puts_(g, b);
        puts_(g, ".test");
    }
    close_field(g, 0);
    /* Industry, AnnualRevenue, NumberOfEmployees */
    field(g, PICK(g, INDUSTRY));
    putc_(g, ',');
    open_field(g);
    if (!chance(g, 200)) put_uint(g, (1 + below(g, 20000)) * 25000);
    close_field(g, 0);
    open_field(g);
    if (!chance(g, 200)) put_uint(g, 1 + below(g, 20000));
    close_field(g, 0);
    /* Description */
    field(g, chance(g, 150) ? PICK(g, DESC) : "");
    putc_(g, ',');
    /* OwnerId */
    field(g, owners[below(g, nowners)]);
    putc_(g, ',');
    /* CreatedDate between 2018-01-01 and 2024-11-30, LastModifiedDate later */
    int64_t created = 1514764800LL + (int64_t)below(g, 2525 * GEN_DAY);
    int64_t modified = created + (int64_t)below(g, 700 * GEN_DAY);
    open_field(g);
    put_datetime(g, created, 0);
    close_field(g, 0);
    open_field(g);
    put_datetime(g, modified, 0);
    close_field(g, 1);
}

static const char HEADER[] =
    "\"Id\",\"Name\",\"Type\",\"ParentId\",\"BillingCity\",\"BillingCountry\",\"Phone\","
    "\"Website\",\"Industry\",\"AnnualRevenue\",\"NumberOfEmployees\",\"Description\","
    "\"OwnerId\",\"CreatedDate\",\"LastModifiedDate\"\n";

int main(int argc, char **argv)
{
    uint64_t rows, seed = 42;
    gen g;
    char owners[8][19];

    if (argc < 3 || argc > 4 || !parse_u64(argv[1], &rows) ||
        (argc == 4 && !parse_u64(argv[3], &seed))) {
        fprintf(stderr, "usage: gen_accounts ROWS OUT.csv [SEED]\n");
        return 2;
    }
    if (gen_open(&g, "gen_accounts", argv[2], seed)) return 1;
    for (size_t i = 0; i < 8; i++) make_id(owners[i], "005", GEN_POD, 3000 + i * 977, 0);

    put(&g, HEADER, sizeof HEADER - 1);
    for (uint64_t r = 0; r < rows && !g.failed; r++) {
        write_row(&g, r, owners, 8);
        gen_maybe_flush(&g);
    }
    return gen_close(&g, "gen_accounts");
}

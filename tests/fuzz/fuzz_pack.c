/*
 * fuzz_pack.c - YAML rule packs: the YAML tree (ytree_load_mem), the pack
 * loader (pack_load from a file, with `extends` able to reach two small
 * packs next to it), and, for a pack that loads, a lint of two small CSV
 * files with every report format.
 *
 * Checked: a tree that loads is well formed (mapping keys are scalars,
 * scalar text is NUL-terminated at its length, positions are 1-based); a
 * failure always comes with a "NAME:..." message; a loaded pack's objects
 * know their rules, rule ids are unique, and the scan order is a
 * permutation of the objects.
 */
#define _GNU_SOURCE
#include "fuzz.h"

#include "fuzz_engine.h"
#include "rule.h"
#include "yamltree.h"

static int pack_fd = -1;
static char pack_path[128];
static char csv_paths[2][128];

static const char base_pack[] =
    "version: 1\nname: base\nsettings:\n  timezone: America/New_York\n"
    "  date_formats: [\"%m/%d/%Y\"]\n"
    "  calendars:\n    business: {days: [mon, tue, wed, thu, fri], hours: \"09:00-17:00\","
    " holidays: [2026-11-26]}\n"
    "objects:\n  lead:\n    files: [\"Lead*.csv\"]\n    key: Id\n"
    "    rules:\n      - {id: base-email, type: format, field: Email, kind: email}\n"
    "      - {id: base-req, type: required, fields: [Name]}\n"
    "  account:\n    files: [\"Account*.csv\"]\n    key: Id\n    rules: []\n";
static const char mid_pack[] = "version: 1\nname: mid\nextends: [base.yaml]\ndisable: [base-req]\n";

/* Columns with the names the seeds and the dictionary use. */
static const char csv1[] =
    "Id,Email,Name,Status,Stage,CreatedDate,ClosedDate,Amount,AccountId,A,B,C\n"
    "1,a@x.io,Acme Corp,Open,Prospecting,2026-01-05 10:00:00,2026-02-01,100,A1,x,,3\n"
    "2,bad@,ACME Corporation,Closed,Closed Won,01/05/2026,2025-12-01,-5,A2,y,\"q,\"\"z\",\n"
    "3,,Été,open,Negotiation,2026-03-08T02:30:00,,1e3,A9,,N/A,\xff\n"
    "4,d@y.org, ,Working,Prospecting,2026-11-01 01:30:00,2026-11-02,abc,,x,b,c\n"
    "2,a@x.io,Acme Corp,Open,Qualification,2026-13-01,2026-01-01,0,A1,x,y\n";
static const char csv2[] =
    "Id,Name,Industry,Email\nA1,Acme,Tech,a@x.io\nA2,Beta,,\nA2,Gamma,Retail,b@y\n";

static void write_file(const char *name, const char *text)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", fuzz_tmpdir(), name);
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL, "fopen %s", path);
    fputs(text, f);
    fclose(f);
    FUZZ_CHECK(fuzz_nlinks < 8, "too many files");
    memcpy(fuzz_links[fuzz_nlinks++], path, 128);
}

static void setup(void)
{
    write_file("base.yaml", base_pack);
    write_file("mid.yaml", mid_pack);
    pack_fd = fuzz_memfile("pack.yaml", pack_path);
    int fd = fuzz_memfile("Lead.csv", csv_paths[0]);
    fuzz_fill(fd, csv1, sizeof csv1 - 1);
    fd = fuzz_memfile("Account.csv", csv_paths[1]);
    fuzz_fill(fd, csv2, sizeof csv2 - 1);
}

static size_t walk(const ynode *n, int depth)
{
    FUZZ_CHECK(depth <= 64 + 1, "depth %d", depth);
    FUZZ_CHECK(n->pos.line >= 1 && n->pos.col >= 1, "position %d:%d", n->pos.line, n->pos.col);
    size_t count = 1;
    switch (n->kind) {
    case YN_SCALAR:
        FUZZ_CHECK(n->text != NULL && n->text[n->len] == '\0', "scalar text");
        break;
    case YN_SEQ:
        for (size_t i = 0; i < n->n; i++) count += walk(n->items[i], depth + 1);
        break;
    case YN_MAP:
        for (size_t i = 0; i < n->n; i++) {
            FUZZ_CHECK(n->items[2 * i]->kind == YN_SCALAR, "mapping key is %s",
                       ynode_kind_name(n->items[2 * i]->kind));
            count += walk(n->items[2 * i], depth + 1);
            count += walk(n->items[2 * i + 1], depth + 1);
        }
        break;
    }
    return count;
}

static void check_pack(const pack *p)
{
    FUZZ_CHECK(p->name != NULL && p->path != NULL, "name/path");
    bool *seen = calloc(p->nobjects + 1, 1);
    FUZZ_CHECK(seen != NULL, "calloc");
    for (size_t i = 0; i < p->nobjects; i++) {
        int k = p->order[i];
        FUZZ_CHECK(k >= 0 && (size_t)k < p->nobjects && !seen[k], "order[%zu] = %d", i, k);
        seen[k] = true;
        const pack_object *o = &p->objects[i];
        FUZZ_CHECK(pack_find_object(p, o->name) == o || pack_object_index(p, o->name) < (int)i,
                   "object '%s' not found", o->name);
        for (size_t j = 0; j < o->nrules; j++) {
            const rule *r = o->rules[j];
            FUZZ_CHECK(r->id != NULL && r->type != NULL, "rule");
            FUZZ_CHECK(r->object == (int)i, "rule %s of object %zu says %d", r->id, i, r->object);
        }
    }
    free(seen);
    /* Ids are unique across the merged pack. */
    for (size_t i = 0; i < p->nobjects; i++)
        for (size_t j = 0; j < p->objects[i].nrules; j++)
            for (size_t k = i; k < p->nobjects; k++)
                for (size_t l = k == i ? j + 1 : 0; l < p->objects[k].nrules; l++)
                    FUZZ_CHECK(strcmp(p->objects[i].rules[j]->id, p->objects[k].rules[l]->id),
                               "duplicate id %s", p->objects[i].rules[j]->id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (pack_fd < 0) setup();
    if (size > 64 * 1024) return 0; /* packs are small; big inputs only slow the search */
    char err[1024] = "";
    ytree *t = ytree_load_mem("fuzz.yaml", (const char *)data, size, err, sizeof err);
    if (t == NULL) {
        FUZZ_CHECK(strncmp(err, "fuzz.yaml:", 10) == 0, "ytree error '%s'", err);
    } else {
        walk(ytree_root(t), 1);
        ytree_free(t);
    }

    fuzz_fill(pack_fd, data, size);
    err[0] = '\0';
    pack *p = pack_load(pack_path, err, sizeof err);
    if (p == NULL) {
        FUZZ_CHECK(err[0] != '\0', "pack_load failed without a reason");
        return 0;
    }
    check_pack(p);
    const char *paths[2] = {csv_paths[0], csv_paths[1]};
    fuzz_lint(p, paths, 2);
    pack_free(p);
    return 0;
}

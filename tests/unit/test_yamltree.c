/*
 * test_yamltree.c - the YAML tree: positions, scalars as written, aliases and
 * their limits, duplicate keys, error messages.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "limits.h"
#include "unit.h"
#include "xalloc.h"
#include "yamltree.h"

static char err[512];

static ytree *load(const char *s)
{
    err[0] = '\0';
    return ytree_load_mem("p.yaml", s, strlen(s), err, sizeof err);
}

/* Loading must fail with exactly this message. */
#define ck_load_fails(doc, msg)                                                                    \
    do {                                                                                           \
        ytree *t_ = load(doc);                                                                     \
        ck_assert_ptr_null(t_);                                                                    \
        ck_assert_str_eq(err, msg);                                                                \
    } while (0)

static void ck_scalar(const ynode *n, const char *text, bool plain, int line, int col)
{
    ck_assert_ptr_nonnull(n);
    ck_assert_int_eq(n->kind, YN_SCALAR);
    ck_assert_str_eq(n->text, text);
    ck_assert_uint_eq(n->len, strlen(text));
    ck_assert_int_eq(n->plain, plain);
    ck_assert_int_eq(n->pos.line, line);
    ck_assert_int_eq(n->pos.col, col);
}

START_TEST(positions_and_nesting)
{
    ytree *t = load("name: pack\n"
                    "objects:\n"
                    "  lead:\n"
                    "    files: [\"a.csv\", 'b.csv']\n"
                    "    rules:\n"
                    "      - id: r1\n"
                    "        max: 10\n");
    ck_assert_msg(t != NULL, "%s", err);
    ynode *root = ytree_root(t);
    ck_assert_int_eq(root->kind, YN_MAP);
    ck_assert_uint_eq(root->n, 2);
    ck_assert_str_eq(root->pos.file, "p.yaml");
    ck_scalar(ymap_get(root, "name"), "pack", true, 1, 7);
    ck_scalar(root->items[0], "name", true, 1, 1);
    ynode *objects = ymap_get(root, "objects");
    ck_assert_int_eq(objects->kind, YN_MAP);
    ck_assert_int_eq(objects->pos.line, 3);
    ck_assert_int_eq(objects->pos.col, 3);
    ynode *lead = ymap_get(objects, "lead");
    ynode *files = ymap_get(lead, "files");
    ck_assert_int_eq(files->kind, YN_SEQ);
    ck_assert_uint_eq(files->n, 2);
    ck_assert_int_eq(files->pos.line, 4);
    ck_assert_int_eq(files->pos.col, 12);
    ck_scalar(files->items[0], "a.csv", false, 4, 13);
    ck_scalar(files->items[1], "b.csv", false, 4, 22);
    ynode *rules = ymap_get(lead, "rules");
    ck_assert_int_eq(rules->kind, YN_SEQ);
    ck_assert_int_eq(rules->pos.line, 6);
    ck_assert_int_eq(rules->pos.col, 7);
    ynode *r1 = rules->items[0];
    ck_assert_int_eq(r1->kind, YN_MAP);
    ck_assert_int_eq(r1->pos.col, 9);
    ck_scalar(ymap_get(r1, "max"), "10", true, 7, 14);
    /* Every node's file is the tree's own copy of the name. */
    ck_assert_ptr_eq(files->items[1]->pos.file, root->pos.file);
    ytree_free(t);
}
END_TEST

START_TEST(get_and_unused)
{
    ytree *t = load("a: 1\nb: 2\nc: 3\n");
    ynode *root = ytree_root(t);
    ck_assert_ptr_eq(ymap_first_unused(root), root->items[0]);
    ck_scalar(ymap_get(root, "b"), "2", true, 2, 4);
    ck_assert_ptr_eq(ymap_first_unused(root), root->items[0]);
    ymap_get(root, "a");
    ck_scalar(ymap_first_unused(root), "c", true, 3, 1);
    ck_assert_ptr_null(ymap_get(root, "d"));
    ck_assert_ptr_null(ymap_get(root, "A"));
    ck_assert_ptr_null(ymap_get(root, ""));
    ymap_get(root, "c");
    ck_assert_ptr_null(ymap_first_unused(root));
    /* Not a mapping. */
    ck_assert_ptr_null(ymap_get(ymap_get(root, "a"), "x"));
    ck_assert_ptr_null(ymap_get(NULL, "x"));
    ck_assert_ptr_null(ymap_first_unused(ymap_get(root, "a")));
    ytree_free(t);
}
END_TEST

START_TEST(scalars_as_written)
{
    ytree *t = load("a: null\nb: \"null\"\nc: ~\nd:\ne: ''\nf: NULL\ng: nil\nh: 010\n"
                    "i: yes\nj: !!str 5\nk: \"x\\0y\"\nl: |\n  one\n  two\nm: Null\nn: nULL\n"
                    "o: 1.50\n");
    ck_assert_msg(t != NULL, "%s", err);
    ynode *r = ytree_root(t);
    ck_assert(ynode_is_null(ymap_get(r, "a")));
    ck_assert(!ynode_is_null(ymap_get(r, "b")));
    ck_assert(ynode_is_null(ymap_get(r, "c")));
    ck_assert(ynode_is_null(ymap_get(r, "d")));
    ck_scalar(ymap_get(r, "d"), "", true, 4, 3);
    ck_assert(!ynode_is_null(ymap_get(r, "e")));
    ck_assert(ynode_is_null(ymap_get(r, "f")));
    ck_assert(!ynode_is_null(ymap_get(r, "g")));
    ck_assert(ynode_is_null(ymap_get(r, "m")));
    ck_assert(!ynode_is_null(ymap_get(r, "n")));
    ck_assert(!ynode_is_null(r));
    ck_assert(!ynode_is_null(NULL));
    ck_scalar(ymap_get(r, "h"), "010", true, 8, 4);
    ck_scalar(ymap_get(r, "i"), "yes", true, 9, 4);
    ck_assert_str_eq(ymap_get(r, "j")->text, "5");
    ck_assert_str_eq(ymap_get(r, "o")->text, "1.50");
    ynode *k = ymap_get(r, "k");
    ck_assert_uint_eq(k->len, 3);
    ck_assert(memcmp(k->text, "x\0y", 4) == 0);
    ynode *l = ymap_get(r, "l");
    ck_assert_str_eq(l->text, "one\ntwo\n");
    ck_assert(!l->plain);
    ytree_free(t);
}
END_TEST

START_TEST(aliases)
{
    ytree *t = load("base: &b {x: 1, y: [2, 3]}\n"
                    "name: &n Acme\n"
                    "copy: *b\n"
                    "who: *n\n"
                    "<<: *b\n");
    ck_assert_msg(t != NULL, "%s", err);
    ynode *r = ytree_root(t);
    ynode *base = ymap_get(r, "base"), *copy = ymap_get(r, "copy");
    ck_assert_int_eq(copy->kind, YN_MAP);
    ck_assert_ptr_ne(copy, base);
    ck_assert_uint_eq(copy->n, 2);
    ynode *y = ymap_get(copy, "y");
    ck_assert_int_eq(y->kind, YN_SEQ);
    ck_assert_uint_eq(y->n, 2);
    ck_scalar(y->items[1], "3", true, 1, 24); /* the anchor's text position */
    /* The copy is independent: marking it does not mark the original. */
    ck_assert_ptr_eq(ymap_first_unused(copy), copy->items[0]);
    ymap_get(copy, "x");
    ck_assert_ptr_eq(ymap_first_unused(copy), NULL);
    ck_assert_ptr_eq(ymap_first_unused(base), base->items[0]);
    ck_scalar(ymap_get(r, "who"), "Acme", true, 4, 6);
    ck_assert_int_eq(copy->pos.line, 3);
    ck_assert_int_eq(copy->pos.col, 7);
    /* Merge keys are not special: "<<" is an ordinary key. */
    ynode *merge = ymap_get(r, "<<");
    ck_assert_ptr_nonnull(merge);
    ck_assert_int_eq(merge->kind, YN_MAP);
    ck_assert_ptr_null(ymap_get(r, "x"));
    ytree_free(t);

    /* A later anchor of the same name wins. */
    t = load("a: &v one\nb: &v two\nc: *v\n");
    ck_assert_str_eq(ymap_get(ytree_root(t), "c")->text, "two");
    ytree_free(t);

    ck_load_fails("a: *nope\n", "p.yaml:1:4: undefined YAML alias 'nope'");
    ck_load_fails("a: &x [1, *x]\n", "p.yaml:1:11: undefined YAML alias 'x'");
}
END_TEST

START_TEST(alias_bomb)
{
    const char *bomb =
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
        "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    clock_t t0 = clock();
    ytree *t = load(bomb);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ck_assert_ptr_null(t);
    ck_assert_str_eq(err,
                     "p.yaml:7:8: too many YAML nodes (limit 1000000, CRMLINT_YAML_MAX_NODES)");
    ck_assert(secs < 5.0);
}
END_TEST

START_TEST(alias_count_limit)
{
    /* 1000 alias uses pass, the 1001st is refused where it is written. */
    char doc[8000];
    size_t n = (size_t)snprintf(doc, sizeof doc, "v: &v x\nl: [");
    for (int i = 0; i < CRMLINT_YAML_MAX_ALIASES; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n, "*v,");
    snprintf(doc + n, sizeof doc - n, "]\n");
    ytree *t = load(doc);
    ck_assert_msg(t != NULL, "%s", err);
    ck_assert_uint_eq(ymap_get(ytree_root(t), "l")->n, 1000);
    ytree_free(t);
    snprintf(doc + n, sizeof doc - n, "*v]\n");
    ck_load_fails(doc,
                  "p.yaml:2:3005: too many YAML aliases (limit 1000, CRMLINT_YAML_MAX_ALIASES)");
}
END_TEST

static char *nested(int depth, const char *inner)
{
    static char doc[1024];
    size_t n = 0;
    for (int i = 0; i < depth; i++) doc[n++] = '[';
    n += (size_t)snprintf(doc + n, sizeof doc - n, "%s", inner);
    for (int i = 0; i < depth; i++) doc[n++] = ']';
    doc[n] = '\0';
    return doc;
}

START_TEST(depth_limit)
{
    ytree *t = load(nested(CRMLINT_YAML_MAX_DEPTH, "x"));
    ck_assert_msg(t != NULL, "%s", err);
    ytree_free(t);
    ck_load_fails(nested(CRMLINT_YAML_MAX_DEPTH + 1, "x"),
                  "p.yaml:1:65: YAML nesting too deep (limit 64, CRMLINT_YAML_MAX_DEPTH)");
    /* Mappings count too. */
    char doc[2048];
    size_t n = 0;
    for (int i = 0; i < 65; i++) n += (size_t)snprintf(doc + n, sizeof doc - n, "{a: ");
    n += (size_t)snprintf(doc + n, sizeof doc - n, "1");
    for (int i = 0; i < 65; i++) doc[n++] = '}';
    doc[n] = '\0';
    ck_load_fails(doc, "p.yaml:1:257: YAML nesting too deep (limit 64, CRMLINT_YAML_MAX_DEPTH)");
    /* An alias that would nest too deep once copied is refused. */
    char deep[1024];
    snprintf(deep, sizeof deep, "a: &d %s\nb: [[*d]]\n", nested(62, "x"));
    ck_load_fails(deep, "p.yaml:2:6: YAML nesting too deep (limit 64, CRMLINT_YAML_MAX_DEPTH)");
    snprintf(deep, sizeof deep, "a: &d %s\nb: [*d]\n", nested(62, "x"));
    t = load(deep);
    ck_assert_msg(t != NULL, "%s", err);
    ytree_free(t);
}
END_TEST

START_TEST(duplicate_keys)
{
    ck_load_fails("a: 1\nb: 2\na: 3\n", "p.yaml:3:1: duplicate key 'a'");
    ck_load_fails("x:\n  k: 1\n  \"k\": 2\n", "p.yaml:3:3: duplicate key 'k'");
    ck_load_fails("{a: 1, a: 2}", "p.yaml:1:8: duplicate key 'a'");
    /* Keys compare as text: 1 and 01 differ, and so do case variants. */
    ytree *t = load("1: a\n01: b\nA: c\na: d\n");
    ck_assert_msg(t != NULL, "%s", err);
    ck_assert_uint_eq(ytree_root(t)->n, 4);
    ytree_free(t);
    /* Large mappings (sorted check): the first repeat in document order. */
    char doc[4096];
    size_t n = 0;
    for (int i = 0; i < 40; i++) n += (size_t)snprintf(doc + n, sizeof doc - n, "k%02d: v\n", i);
    n += (size_t)snprintf(doc + n, sizeof doc - n, "k30: again\nk05: again\nk30: third\n");
    ck_load_fails(doc, "p.yaml:41:1: duplicate key 'k30'");
    ck_load_fails("? [a]\n: 1\n", "p.yaml:1:3: a mapping key must be a scalar, not a list");
    ck_load_fails("k: &m {a: 1}\n*m : 2\n",
                  "p.yaml:2:1: a mapping key must be a scalar, not a mapping");
}
END_TEST

START_TEST(syntax_errors)
{
    ck_load_fails("a: 1\n b: 2\n", "p.yaml:2:3: mapping values are not allowed in this context");
    ck_load_fails("key: value\n- item\n",
                  "p.yaml:2:1: did not find expected key while parsing a block mapping");
    ck_load_fails("a: [1, 2\n",
                  "p.yaml:2:1: did not find expected ',' or ']' while parsing a flow sequence");
    /* Reader errors are placed from the byte offset. */
    ck_load_fails("a: 1\nbb: c\xff\n", "p.yaml:2:6: invalid leading UTF-8 octet");
    ck_load_fails("a: 1\n---\nb: 2\n",
                  "p.yaml:2:1: a second YAML document is not allowed (a pack is one document)");
    /* A short err buffer is cut, not overrun. */
    char small[12];
    ck_assert_ptr_null(ytree_load_mem("p.yaml", "a: [", 4, small, sizeof small));
    ck_assert_str_eq(small, "p.yaml:2:1:");
}
END_TEST

START_TEST(empty_documents)
{
    const char *empties[] = {"", "\n\n", "# only a comment\n", "---\n", "--- ~\n", "---\n...\n"};
    for (size_t i = 0; i < sizeof empties / sizeof *empties; i++) {
        ytree *t = load(empties[i]);
        ck_assert_msg(t != NULL, "%s: %s", empties[i], err);
        ynode *r = ytree_root(t);
        ck_assert_int_eq(r->kind, YN_MAP);
        ck_assert_uint_eq(r->n, 0);
        ck_assert_ptr_null(ymap_get(r, "a"));
        ck_assert_ptr_null(ymap_first_unused(r));
        ytree_free(t);
    }
    ytree *e = ytree_load_mem("m", NULL, 0, err, sizeof err);
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(ytree_root(e)->pos.line, 1);
    ck_assert_int_eq(ytree_root(e)->pos.col, 1);
    ytree_free(e);
    /* A root that is not a mapping is kept for the pack to reject. */
    ytree *t = load("- a\n");
    ck_assert_int_eq(ytree_root(t)->kind, YN_SEQ);
    ytree_free(t);
    t = load("\"\"");
    ck_assert_int_eq(ytree_root(t)->kind, YN_SCALAR);
    ytree_free(t);
}
END_TEST

START_TEST(files)
{
    char path[] = "/tmp/crmlint_yamltree_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    const char *doc = "name: x\nlist: [1]\n";
    ck_assert_int_eq(write(fd, doc, strlen(doc)), (ssize_t)strlen(doc));
    close(fd);
    ytree *t = ytree_load(path, err, sizeof err);
    ck_assert_msg(t != NULL, "%s", err);
    ck_assert_str_eq(ytree_root(t)->pos.file, path);
    ck_assert_str_eq(ymap_get(ytree_root(t), "name")->text, "x");
    ytree_free(t);
    unlink(path);
    ck_assert_ptr_null(ytree_load("/nonexistent/pack.yaml", err, sizeof err));
    ck_assert_str_eq(err, "/nonexistent/pack.yaml: cannot open: No such file or directory");

    size_t big = CRMLINT_YAML_MAX_BYTES + 1;
    char *data = xcalloc(1, big);
    ck_assert_ptr_nonnull(data);
    t = ytree_load_mem("big.yaml", data, big, err, sizeof err);
    xfree(data);
    ck_assert_ptr_null(t);
    ck_assert_str_eq(err, "big.yaml: YAML file too large (16777217 bytes, limit 16777216, "
                          "CRMLINT_YAML_MAX_BYTES)");
}
END_TEST

START_TEST(alloc_failures)
{
    const char *doc = "a: &x {k: [1, 2], j: v}\nb: *x\nc: [*x, *x]\nd: &s t\ne: *s\n";
    bool succeeded = false;
    for (unsigned long n = 1; n < 400 && !succeeded; n++) {
        xalloc_fail_after(n);
        ytree *t = load(doc);
        xalloc_fail_after(0);
        if (t == NULL) {
            ck_assert_str_eq(err, "p.yaml: out of memory");
        } else {
            succeeded = true;
            ck_assert_uint_eq(ymap_get(ytree_root(t), "c")->n, 2);
            ytree_free(t);
        }
    }
    ck_assert(succeeded);
}
END_TEST

START_TEST(kind_names)
{
    ck_assert_str_eq(ynode_kind_name(YN_SCALAR), "a scalar");
    ck_assert_str_eq(ynode_kind_name(YN_SEQ), "a list");
    ck_assert_str_eq(ynode_kind_name(YN_MAP), "a mapping");
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("yamltree");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, positions_and_nesting);
    tcase_add_test(tc, get_and_unused);
    tcase_add_test(tc, scalars_as_written);
    tcase_add_test(tc, aliases);
    tcase_add_test(tc, alias_bomb);
    tcase_add_test(tc, alias_count_limit);
    tcase_add_test(tc, depth_limit);
    tcase_add_test(tc, duplicate_keys);
    tcase_add_test(tc, syntax_errors);
    tcase_add_test(tc, empty_documents);
    tcase_add_test(tc, files);
    tcase_add_test(tc, alloc_failures);
    tcase_add_test(tc, kind_names);
    suite_add_tcase(s, tc);
    return s;
}

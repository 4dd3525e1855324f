/*
 * yamltree.h - a YAML document as a tree of nodes with source positions.
 *
 * libyaml's event stream is turned into a small tree so the pack loader can
 * look keys up in any order and still say PACK:LINE:COL for every node.
 * Aliases are expanded by copying, with CRMLINT_YAML_MAX_ALIASES alias uses
 * and CRMLINT_YAML_MAX_NODES nodes in all, so an alias bomb is an error, not
 * a hang.  Nesting deeper than CRMLINT_YAML_MAX_DEPTH is an error.  Only the
 * first document of a stream is read; a second one is an error.
 *
 * Scalars keep their text exactly as written (the pack decides what is a
 * number or a boolean: "Literal text" in SPEC §3).
 */
#ifndef CRMLINT_YAMLTREE_H
#define CRMLINT_YAMLTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"

typedef enum ynode_kind { YN_SCALAR, YN_SEQ, YN_MAP } ynode_kind;

typedef struct ynode ynode;
struct ynode {
    ynode_kind kind;
    srcpos pos; /* pos.file points at the tree's file name */
    /* YN_SCALAR */
    char *text; /* NUL-terminated; len excludes the NUL */
    size_t len;
    bool plain; /* written without quotes (a plain `null`/`~`/empty is null) */
    /* YN_SEQ: items[0..n); YN_MAP: keys at items[2i], values at items[2i+1], n pairs */
    ynode **items;
    size_t n;
    bool *used; /* YN_MAP: per pair, set by ymap_get; for unknown-key checks */
};

typedef struct ytree ytree;

/* Parses the file at path.  On failure returns NULL and writes
 * "PATH:LINE:COL: message" into err.  An empty file is an empty mapping. */
ytree *ytree_load(const char *path, char *err, size_t errlen);
/* Same, from memory (name used in positions and messages). */
ytree *ytree_load_mem(const char *name, const char *data, size_t len, char *err, size_t errlen);
void ytree_free(ytree *t);
ynode *ytree_root(const ytree *t);

/* A mapping's value for key (scalar key compared exactly), marking it used.
 * NULL when absent or when map is not a mapping.  A duplicate key in one
 * mapping is reported by the loader of the tree (ytree_load) as an error. */
ynode *ymap_get(ynode *map, const char *key);
/* The first key not yet fetched with ymap_get (NULL when all were). */
const ynode *ymap_first_unused(const ynode *map);
/* A plain scalar null: "", "~", "null", "Null", "NULL" written unquoted. */
bool ynode_is_null(const ynode *n);
const char *ynode_kind_name(ynode_kind k); /* "a scalar", "a list", "a mapping" */

#endif

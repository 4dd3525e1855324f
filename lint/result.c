/*
 * result.c - freeing a result built by the engine (see result.h).
 *
 * Ownership: the result owns pack_name, each file's path, the findings
 * (with their record, value, message, related refs and extras: in the
 * `strings` arena for the engine's results, else one by one through
 * xalloc), the rules array and each rule's skipped reason.
 * Rule ids, types, objects, descriptions and tags, file objects and finding
 * columns are borrowed from the pack and are not freed here.
 */
#include "result.h"

#include "arena.h"
#include "xalloc.h"

const char *result_finding_object(const result *r, const finding *f)
{
    const char *o = r->rules[f->rule].object;
    return o ? o : r->files[f->file].object;
}

void result_finding_free(const result *r, finding *f)
{
    if (r->strings) return;
    xfree(f->record);
    xfree(f->value);
    xfree(f->message);
    for (size_t j = 0; j < f->nrelated; j++) xfree(f->related[j].record);
    xfree(f->related);
    if (f->extras) {
        for (size_t j = 0; j < r->files[f->file].nreport_columns; j++) xfree(f->extras[j]);
        xfree(f->extras);
    }
}

void result_free(result *r)
{
    if (r == NULL) return;
    for (size_t i = 0; i < r->nfindings; i++) result_finding_free(r, &r->findings[i]);
    xfree(r->findings);
    xfree(r->summary.tags);
    xfree(r->pack_name);
    xfree(r->pack_spec);
    for (size_t i = 0; i < r->nfiles; i++) xfree(r->files[i].path);
    xfree(r->files);
    for (size_t i = 0; i < r->nrules; i++) {
        xfree(r->rules[i].skipped);
        xfree(r->rules[i].stats);
    }
    xfree(r->rules);
    arena_free(r->strings);
    xfree(r);
}

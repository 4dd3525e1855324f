/*
 * rules.c - the registry of rule types.
 *
 * A new rule type is one file, rule_<type>.c, and one line here.
 */
#include "rule.h"

#include <string.h>

extern const rule_type rule_required, rule_allowed, rule_pattern, rule_format, rule_range,
    rule_compare, rule_age, rule_reference, rule_sla;

extern const rule_type rule_unique, rule_similar;
extern const rule_type rule_sequence, rule_stage_dates;

static const rule_type *const all_types[] = {
    &rule_required, &rule_allowed,  &rule_pattern,     &rule_format, &rule_range,
    &rule_compare,  &rule_age,      &rule_reference,   &rule_sla,    &rule_unique,
    &rule_similar,  &rule_sequence, &rule_stage_dates,
};

const rule_type *rule_type_find(const char *name)
{
    for (size_t i = 0; i < sizeof all_types / sizeof *all_types; i++)
        if (strcmp(all_types[i]->name, name) == 0) return all_types[i];
    return NULL;
}

const rule_type *const *rule_types_all(size_t *n)
{
    *n = sizeof all_types / sizeof *all_types;
    return all_types;
}

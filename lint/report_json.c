/*
 * report_json.c - `--format json`: the one-document report of SPEC §4.
 *
 * Layout: compact JSON (no spaces), keys in the order of SPEC §4, with a
 * newline before each finding and each rule so that two reports diff line by
 * line, and a newline at the end:
 *
 *   {"crmlint":"0.1.0","as_of":"...","pack":"...","files":[{...},{...}],"findings":[
 *   {...},
 *   {...}
 *   ],"rules":[
 *   {...}
 *   ],"summary":{...}}
 *
 * An empty array is written "[]" on the same line.  The output depends only
 * on the result: same result, same bytes.
 *
 * Extensions to SPEC §4 (additive, readers that ignore unknown keys are
 * unaffected):
 *   - summary.findings_omitted: findings counted but not listed
 *     (--max-findings or the in-memory limit); present only when > 0.
 *   - rules[].threshold: {"max_count":N} and/or {"max_ratio":R}, present only
 *     when the rule has a threshold.
 *   - summary.tags: {"TAG":{"findings":N,"gating":N},...} counted over the
 *     rules' tags, and summary.primary_constraint: the tag with the most
 *     gating findings (null when none gates); present only when some rule
 *     has tags.
 *   - rules[].stats: figures a rule reports besides findings, such as an
 *     sla rule's {"met":N,"breached":N,"open":N,"median_seconds":S,
 *     "p90_seconds":S}; present only when the rule has any.
 *
 * A finding's "object" is its rule's object, or for structural (csv/...)
 * findings, whose rule has none, the object of the file it was found in.
 */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "datetime.h"

/* Keys and punctuation are literals from this file: plain ASCII, written
 * with their length known at compile time. */
#define LIT(o, s) out_write((o), (s), sizeof(s) - 1)

static void bool_value(out *o, bool b)
{
    if (b)
        out_write(o, "true", 4);
    else
        out_write(o, "false", 5);
}

/* Shortest of %.15g, %.16g, %.17g that reads back as the same double, so
 * 0.1 prints as 0.1 and not 0.10000000000000001. */
static void double_value(out *o, double d)
{
    if (!isfinite(d)) {
        out_write(o, "null", 4); /* JSON has no NaN or infinity */
        return;
    }
    char tmp[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        if (strtod(tmp, NULL) == d) break;
    }
    /* A locale with a decimal comma must not leak into JSON. */
    for (char *p = tmp; *p; p++)
        if (*p == ',') *p = '.';
    out_puts(o, tmp);
}

void report_json_finding(out *o, const result *res, const finding *f)
{
    const result_rule *r = &res->rules[f->rule];
    const result_file *file = &res->files[f->file];

    LIT(o, "{\"rule\":");
    report_json_cstr(o, r->id);
    LIT(o, ",\"severity\":");
    report_json_cstr(o, severity_name(r->sev));
    LIT(o, ",\"object\":");
    report_json_cstr(o, result_finding_object(res, f));
    LIT(o, ",\"file\":");
    report_json_cstr(o, file->path);
    LIT(o, ",\"line\":");
    out_u64(o, f->line);
    LIT(o, ",\"column\":");
    report_json_cstr(o, f->column);
    LIT(o, ",\"record\":");
    report_json_cstr(o, f->record);
    /* --redact is also honoured here, in case a value slipped through. */
    if (f->value != NULL && !res->redact) {
        LIT(o, ",\"value\":");
        report_json_string(o, f->value, f->value_len);
    }
    LIT(o, ",\"message\":");
    report_json_cstr(o, f->message ? f->message : "");
    if (f->nrelated > 0) {
        LIT(o, ",\"related\":[");
        for (size_t i = 0; i < f->nrelated; i++) {
            const related_ref *rel = &f->related[i];
            if (i) out_putc(o, ',');
            LIT(o, "{\"file\":");
            report_json_cstr(o, res->files[rel->file].path);
            LIT(o, ",\"line\":");
            out_u64(o, rel->line);
            LIT(o, ",\"record\":");
            report_json_cstr(o, rel->record);
            out_putc(o, '}');
        }
        out_putc(o, ']');
    }
    if (res->has_baseline) {
        LIT(o, ",\"baseline\":");
        bool_value(o, f->baseline);
    }
    LIT(o, ",\"gating\":");
    bool_value(o, f->gating);
    out_putc(o, '}');
}

/* A key (literal, with its leading comma if any) and an integer. */
#define COUNT(o, lit, v) (LIT(o, lit), out_u64((o), (v)))

void report_json_summary(out *o, const result *res)
{
    const result_summary *s = &res->summary;
    out_putc(o, '{');
    COUNT(o, "\"records\":", s->records);
    COUNT(o, ",\"findings\":", s->findings);
    COUNT(o, ",\"error\":", s->error);
    COUNT(o, ",\"warning\":", s->warning);
    COUNT(o, ",\"info\":", s->info);
    COUNT(o, ",\"gating\":", s->gating);
    COUNT(o, ",\"exit_code\":", (uint64_t)s->exit_code);
    if (res->has_baseline) {
        COUNT(o, ",\"new\":", s->new_findings);
        COUNT(o, ",\"baseline\":", s->baseline);
        COUNT(o, ",\"fixed\":", s->fixed);
    }
    if (res->findings_omitted > 0) COUNT(o, ",\"findings_omitted\":", res->findings_omitted);
    if (s->ntags) {
        LIT(o, ",\"tags\":{");
        for (size_t i = 0; i < s->ntags; i++) {
            if (i) out_putc(o, ',');
            report_json_cstr(o, s->tags[i].tag);
            COUNT(o, ":{\"findings\":", s->tags[i].findings);
            COUNT(o, ",\"gating\":", s->tags[i].gating);
            out_putc(o, '}');
        }
        LIT(o, "},\"primary_constraint\":");
        report_json_cstr(o, s->primary_constraint);
    }
    out_putc(o, '}');
}

static void rule_object(out *o, const result_rule *r)
{
    LIT(o, "{\"id\":");
    report_json_cstr(o, r->id);
    LIT(o, ",\"type\":");
    report_json_cstr(o, r->type);
    LIT(o, ",\"severity\":");
    report_json_cstr(o, severity_name(r->sev));
    LIT(o, ",\"object\":");
    report_json_cstr(o, r->object);
    COUNT(o, ",\"checked\":", r->checked);
    COUNT(o, ",\"findings\":", r->findings);
    LIT(o, ",\"gating\":");
    bool_value(o, r->gating);
    LIT(o, ",\"skipped\":");
    report_json_cstr(o, r->skipped);
    if (r->has_max_count || r->has_max_ratio) {
        LIT(o, ",\"threshold\":{");
        if (r->has_max_count) COUNT(o, "\"max_count\":", r->max_count);
        if (r->has_max_ratio) {
            if (r->has_max_count) out_putc(o, ',');
            LIT(o, "\"max_ratio\":");
            double_value(o, r->max_ratio);
        }
        out_putc(o, '}');
    }
    if (r->nstats) {
        LIT(o, ",\"stats\":{");
        for (size_t i = 0; i < r->nstats; i++) {
            if (i) out_putc(o, ',');
            report_json_cstr(o, r->stats[i].name);
            out_putc(o, ':');
            double_value(o, r->stats[i].value);
        }
        out_putc(o, '}');
    }
    out_putc(o, '}');
}

static void json_write(const result *res, const report_opts *opts, out *o)
{
    (void)opts;
    char as_of[21];
    dt_format_utc(res->as_of_us, as_of);

    LIT(o, "{\"crmlint\":");
    report_json_cstr(o, res->tool_version ? res->tool_version : CRMLINT_VERSION);
    LIT(o, ",\"as_of\":");
    report_json_cstr(o, as_of);
    LIT(o, ",\"pack\":");
    report_json_cstr(o, res->pack_name);
    LIT(o, ",\"files\":[");
    for (size_t i = 0; i < res->nfiles; i++) {
        const result_file *f = &res->files[i];
        if (i) out_putc(o, ',');
        LIT(o, "{\"path\":");
        report_json_cstr(o, f->path);
        LIT(o, ",\"object\":");
        report_json_cstr(o, f->object);
        COUNT(o, ",\"records\":", f->records);
        out_putc(o, '}');
    }
    LIT(o, "],\"findings\":[");
    for (size_t i = 0; i < res->nfindings; i++) {
        if (i) out_putc(o, ',');
        out_putc(o, '\n');
        report_json_finding(o, res, &res->findings[i]);
    }
    if (res->nfindings) out_putc(o, '\n');
    LIT(o, "],\"rules\":[");
    for (size_t i = 0; i < res->nrules; i++) {
        if (i) out_putc(o, ',');
        out_putc(o, '\n');
        rule_object(o, &res->rules[i]);
    }
    if (res->nrules) out_putc(o, '\n');
    LIT(o, "],\"summary\":");
    report_json_summary(o, res);
    LIT(o, "}\n");
}

const reporter report_json = {"json", json_write};

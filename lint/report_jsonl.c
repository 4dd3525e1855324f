/*
 * report_jsonl.c - `--format jsonl`: one finding object per line, then one
 * {"summary":{...}} line (SPEC §4).
 *
 * The objects are exactly those of the json format (report_json_finding and
 * report_json_summary), so a consumer can switch formats without changing
 * how it reads a finding.  Each line is a complete JSON document and ends in
 * "\n"; a run without findings is the summary line alone.
 */
#include "report.h"

static void jsonl_write(const result *res, const report_opts *opts, out *o)
{
    (void)opts;
    for (size_t i = 0; i < res->nfindings; i++) {
        report_json_finding(o, res, &res->findings[i]);
        out_putc(o, '\n');
    }
    out_write(o, "{\"summary\":", 11);
    report_json_summary(o, res);
    out_write(o, "}\n", 2);
}

const reporter report_jsonl = {"jsonl", jsonl_write};

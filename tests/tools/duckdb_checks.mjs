// duckdb_checks.mjs - rules/bench.yaml's twelve checks as one DuckDB query,
// the comparison point of ci/bench-duckdb.sh (issue 7).
//
//   node tests/tools/duckdb_checks.mjs run FILE.csv [--out COUNTS.json]
//        [--threads N] [--duckdb DIR] [--formats lint/formats.c]
//   node tests/tools/duckdb_checks.mjs compare CRMLINT.json COUNTS.json
//   node tests/tools/duckdb_checks.mjs version [--duckdb DIR]
//
// `run` reads the Lead export once with DuckDB's read_csv and counts, per
// rule, the findings crmlint would report (SPEC §3), then writes
// {"records": N, "query_s": S, "rules": {"bench-...": N, ...}} to --out (or
// standard output).  DuckDB is the npm package @duckdb/node-api, installed
// by ci/bench-duckdb.sh into DIR/node_modules (default build/duckdb);
// --threads defaults to DuckDB's own choice, every core.
//
// The query is what a user who knows SQL would write instead of a rule pack:
// one SELECT over read_csv with a filtered count per rule and a
// count(DISTINCT) for the unique rule.  It follows crmlint's definitions
// wherever the generated export can tell them apart, and says below where it
// knowingly does not (none of those cases occur in gen_leads' output; the
// per-rule comparison would show it if they did).  A ragged record, which
// crmlint reports and leaves out, stops the query (strict_mode).
//
// `version` loads DuckDB, runs a query and prints its version and thread
// count: ci/bench-duckdb.sh's check that the install works.
//
// `compare` prints one line per rule of the DuckDB counts with crmlint's
// count from a --format json report, "ok" or "DIFF", and exits 1 on any
// difference (or when the record counts differ).

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

function die(msg) {
    process.stderr.write(`duckdb_checks: ${msg}\n`);
    process.exit(2);
}

// SQL string literal.
const lit = (s) => `'${s.replaceAll("'", "''")}'`;
const list = (xs) => xs.map(lit).join(', ');

// ISO 3166-1 alpha-2 as crmlint knows it: the `countries` table of
// lint/formats.c, so that both sides use one list.
function countryCodes(formatsC) {
    const src = readFileSync(formatsC, 'utf8');
    const m = /static const char countries\[\] =([^;]*);/.exec(src);
    if (!m) die(`${formatsC}: no countries[] table`);
    const all = [...m[1].matchAll(/"([A-Z]*)"/g)].map((x) => x[1]).join('');
    if (all.length === 0 || all.length % 2) die(`${formatsC}: odd countries[] table`);
    return all.match(/../g);
}

// SPEC §3 "Format kinds", email: RE2 (DuckDB) reads it as PCRE2 does.
const EMAIL_RE =
    "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?" +
    '(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\\.[A-Za-z]{2,}';

function query(file, countries) {
    // Values as rules see them (SPEC §2): trimmed, and empty when that leaves
    // nothing or the object's null value.  DuckDB's trim() removes spaces,
    // U+00A0 included, but not tabs or line breaks, which crmlint trims as
    // well; gen_leads writes neither around a value.
    // An empty value is NULL, so a filter such as NOT regexp_full_match(x, ..)
    // skips it (NOT NULL is NULL), as every rule but required does; where an
    // unparseable value must count (TRY_CAST gives NULL), emptiness is tested
    // first.
    const v = (c) => `nullif(nullif(trim(${c}), ''), '000000000000000AAA')`;
    const ts = (c) => `TRY_CAST(${c} AS TIMESTAMP)`;
    return `
WITH lead AS (
    SELECT ${v('LastName')} AS last_name, ${v('Company')} AS company,
           ${v('IsConverted')} AS is_converted, ${v('ConvertedDate')} AS converted_date,
           ${v('Email')} AS email, ${v('Phone')} AS phone, ${v('Country')} AS country,
           ${v('Status')} AS status, ${v('LeadSource')} AS source,
           OwnerId AS owner_raw, ${v('OwnerId')} AS owner,
           ${v('CreatedDate')} AS created, ${v('LastModifiedDate')} AS modified,
           ${v('NumberOfEmployees')} AS employees
    FROM read_csv(${lit(file)}, header = true, all_varchar = true, delim = ',',
                  quote = '"', escape = '"', strict_mode = true)
)
SELECT
    count(*) AS records,
    -- required: one finding per empty field
    sum((last_name IS NULL)::INTEGER + (company IS NULL)::INTEGER) AS "bench-required",
    count(*) FILTER (WHERE is_converted = '1' AND converted_date IS NULL)
        AS "bench-converted-date",
    count(*) FILTER (WHERE NOT regexp_full_match(email, ${lit(EMAIL_RE)})) AS "bench-email",
    -- phone: drop a final extension, then spaces - . ( ), then 7-15 digits after
    -- at most one leading +
    count(*) FILTER (WHERE NOT regexp_full_match(
        translate(regexp_replace(phone, '(?i)(?:x|ext\\.?) *[0-9]+$', ''), ' -.()', ''),
        '\\+?[0-9]{7,15}')) AS "bench-phone",
    count(*) FILTER (WHERE country NOT IN (${list(countries)})) AS "bench-country",
    count(*) FILTER (WHERE status NOT IN ('Open - Not Contacted', 'Working - Contacted',
                                          'Closed - Converted', 'Closed - Not Converted'))
        AS "bench-status",
    -- ignore_case: crmlint folds case (Unicode), lower() lower-cases; the two
    -- differ only for a few letters such as the German sharp s.
    count(*) FILTER (WHERE lower(source) NOT IN ('web', 'phone inquiry', 'partner referral',
                                                 'purchased list', 'other'))
        AS "bench-source",
    -- pattern: the raw value, when the trimmed one is not empty.  PCRE2's $
    -- also matches before a final newline, RE2's does not.
    count(*) FILTER (WHERE owner IS NOT NULL
                     AND NOT regexp_matches(owner_raw, '^005[A-Za-z0-9]{15}$'))
        AS "bench-owner",
    -- compare: both sides must parse (else "cannot compare", a finding).
    -- Where crmlint differs, and gen_leads writes no such value: it compares
    -- two numbers as numbers; when one side is date-only it compares dates
    -- (the cast makes it midnight); it applies a UTC offset ("-05:00"),
    -- which a cast to TIMESTAMP drops (TIMESTAMPTZ would keep it, slower).
    count(*) FILTER (WHERE modified IS NOT NULL AND created IS NOT NULL
                     AND NOT coalesce(${ts('modified')} >= ${ts('created')}, false))
        AS "bench-modified-after-created",
    -- range: unparseable is a finding.  TRY_CAST accepts a little more than
    -- SPEC's number grammar (inf, nan, surrounding spaces).
    count(*) FILTER (WHERE employees IS NOT NULL
                     AND NOT coalesce(TRY_CAST(employees AS DOUBLE) BETWEEN 1 AND 500000,
                                      false)) AS "bench-employees",
    -- age: max 730d before as_of 2026-11-22 (00:00 UTC); unparseable is a
    -- finding.  The same caveat about offsets.
    count(*) FILTER (WHERE modified IS NOT NULL
                     AND NOT coalesce(${ts('modified')} >=
                                      TIMESTAMP '2026-11-22' - INTERVAL 730 DAY, false))
        AS "bench-stale",
    -- unique email (normaliser email: trimmed, case-folded): every record
    -- whose key was seen before.  Case folding makes "straße" and "STRASSE"
    -- one key, lower() does not.
    count(lower(email)) - count(DISTINCT lower(email)) AS "bench-email-unique"
FROM lead`;
}

function loadDuckDB(dir) {
    const require = createRequire(resolve(dir) + '/');
    try {
        return require('@duckdb/node-api');
    } catch (e) {
        die(`cannot load @duckdb/node-api from ${dir}: ${e.message}`);
    }
}

async function version(args) {
    let dir = 'build/duckdb';
    if (args[0] === '--duckdb' && args.length === 2) dir = args[1];
    else if (args.length) die('usage: version [--duckdb DIR]');
    const duckdb = loadDuckDB(dir);
    const con = await (await duckdb.DuckDBInstance.create(':memory:')).connect();
    const r = await con.runAndReadAll("SELECT version() AS v, current_setting('threads') AS t");
    const row = r.getRowObjects()[0];
    console.log(`DuckDB ${row.v}, ${row.t} threads`);
}

async function run(args) {
    let file = null;
    let out = null;
    let threads = null;
    let dir = 'build/duckdb';
    let formats = 'lint/formats.c';
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === '--out') out = args[++i];
        else if (a === '--threads') threads = Number(args[++i]);
        else if (a === '--duckdb') dir = args[++i];
        else if (a === '--formats') formats = args[++i];
        else if (!file && !a.startsWith('--')) file = a;
        else die(`unexpected argument ${a}`);
    }
    if (!file) die('run needs a CSV file');
    const duckdb = loadDuckDB(dir);
    const sql = query(file, countryCodes(formats));
    if (process.env.DUCKDB_CHECKS_SQL) process.stderr.write(sql + '\n');
    const options = threads ? { threads: String(threads) } : {};
    const db = await duckdb.DuckDBInstance.create(':memory:', options);
    const con = await db.connect();
    const t0 = process.hrtime.bigint();
    const reader = await con.runAndReadAll(sql);
    const querySeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const row = reader.getRowObjects()[0];
    const rules = {};
    for (const [k, val] of Object.entries(row))
        if (k !== 'records') rules[k] = Number(val ?? 0);
    const threadsUsed = (await con.runAndReadAll("SELECT current_setting('threads') AS t"))
        .getRowObjects()[0].t;
    const result = {
        records: Number(row.records),
        duckdb: (await con.runAndReadAll('SELECT version() AS v')).getRowObjects()[0].v,
        threads: Number(threadsUsed),
        query_s: querySeconds,
        rules,
    };
    const text = JSON.stringify(result, null, 1) + '\n';
    if (out) writeFileSync(out, text);
    else process.stdout.write(text);
}

function compare(args) {
    if (args.length !== 2) die('compare needs CRMLINT.json COUNTS.json');
    const report = JSON.parse(readFileSync(args[0], 'utf8'));
    const counts = JSON.parse(readFileSync(args[1], 'utf8'));
    const ours = new Map(report.rules.map((r) => [r.id, r.findings]));
    let diffs = 0;
    const line = (a, b, c, d) =>
        `${a.padEnd(32)} ${String(b).padStart(10)} ${String(c).padStart(10)}  ${d}`;
    console.log(line('rule', 'crmlint', 'duckdb', ''));
    console.log(line('----', '-------', '------', ''));
    for (const [id, n] of Object.entries(counts.rules)) {
        const c = ours.has(id) ? ours.get(id) : '-';
        const ok = c === n;
        if (!ok) diffs++;
        console.log(line(id, c, n, ok ? 'ok' : 'DIFF'));
    }
    // A rule crmlint ran that the query lacks is a difference too (structural
    // csv/* rules aside: the query has nothing to say about them unless they
    // found something).
    for (const r of report.rules) {
        if (r.id in counts.rules || (r.id.startsWith('csv/') && r.findings === 0)) continue;
        diffs++;
        console.log(line(r.id, r.findings, '-', 'DIFF'));
    }
    const recs = report.summary.records;
    const same = recs === counts.records;
    if (!same) diffs++;
    console.log(line('records', recs, counts.records, same ? 'ok' : 'DIFF'));
    console.log(
        `(crmlint's timed runs list all ${report.summary.findings} findings in their report;` +
            ` the query returns ${Object.keys(counts.rules).length} counts)`
    );
    process.exit(diffs ? 1 : 0);
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === 'run') await run(rest);
else if (cmd === 'compare') compare(rest);
else if (cmd === 'version') await version(rest);
else die('usage: duckdb_checks.mjs run FILE.csv [options] | compare REPORT COUNTS | version');

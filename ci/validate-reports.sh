#!/bin/sh
# validate-reports.sh - checks crmlint's machine-read reports against what
# their consumers accept: SARIF 2.1.0 (GitHub code scanning) against the JSON
# schema, and the GitLab Code Quality report against the rules of GitLab's
# parser.
#
#   ./ci/validate-reports.sh [BINARY]          (default build/crmlint)
#
# The reports are made from the bundled fixtures: the demo export
# (fixtures/salesforce with rules/demo.yaml), a clean run, the process and
# duplicate fixtures, and a run against a baseline.  Each check prints "ok
# NAME" or "FAIL NAME" with the reasons; the last line is "N passed, N
# failed", and the exit status is 1 when a check failed.  Negative checks
# corrupt a copy of a valid report (a result with level "fatal", a result
# without a message, a duplicated GitLab fingerprint, ...) and pass only when
# the validator rejects it, so a validator that accepts everything cannot
# pass.
#
# Only Debian and npm packages are used, and nothing is installed globally
# except Debian's python3-jsonschema (when it is missing and we are root):
#
#   - the schema: lib/schemas/sarif-2.1.0-rtm.5.json (draft-04, 22 KB) from
#     the npm package @microsoft/jest-sarif@1.0.0-beta.0, fetched once with
#     `npm pack` into $BUILD/schema/ and checked against its SHA-256.  No
#     Debian package ships a SARIF schema; CRMLINT_SARIF_SCHEMA=FILE uses a
#     local copy instead (for example the OASIS sarif-schema-2.1.0.json).
#   - the validator: python3-jsonschema (Debian), which picks the schema's
#     draft itself.  ajv cannot compile this schema (a regex ajv 8 rejects).
#
# Without npm or a network (and no schema already in $BUILD/schema/), or
# without python3-jsonschema and not root, the SARIF schema checks are
# skipped with a "skipped: ..." line and do not fail the run; the GitLab
# checks need python3 alone.  KEEP_TMP=1 keeps the reports and the
# corrupted copies (the directory is named on standard error).
set -u

BIN=${1:-build/crmlint}
case $BIN in
/*) ;;
*) BIN=$(pwd)/$BIN ;;
esac
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
SCHEMA_DIR=$BUILD/schema
SCHEMA_PKG=@microsoft/jest-sarif@1.0.0-beta.0
SCHEMA_TGZ=microsoft-jest-sarif-1.0.0-beta.0.tgz
SCHEMA_IN_TGZ=package/lib/schemas/sarif-2.1.0-rtm.5.json
SCHEMA_SHA256=2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8
LC_ALL=C
export LC_ALL

if [ ! -x "$BIN" ]; then
    echo "validate-reports.sh: $BIN is not an executable (run 'make' first)" >&2
    exit 2
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "skipped: python3 is not installed, so no report can be validated"
    echo "0 passed, 0 failed"
    exit 0
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/crmlint-reports.XXXXXX") || exit 2
if [ -n "${KEEP_TMP:-}" ]; then
    echo "validate-reports.sh: keeping $TMP" >&2
else
    trap 'rm -rf "$TMP"' EXIT
fi
trap 'exit 130' INT TERM

# ---- the validator -------------------------------------------------------
have_jsonschema() {
    python3 -c 'import jsonschema' >/dev/null 2>&1
}

# "" when the SARIF schema checks can run, else why not.
sarif_skip=
if ! have_jsonschema; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing python3-jsonschema (Debian) ..."
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-jsonschema >"$TMP/apt.log" 2>&1 ||
            { apt-get update -q >>"$TMP/apt.log" 2>&1 &&
                DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-jsonschema \
                    >>"$TMP/apt.log" 2>&1; }
    fi
    have_jsonschema ||
        sarif_skip="python3-jsonschema is not installed (apt-get install python3-jsonschema, as root)"
fi

# ---- the schema ----------------------------------------------------------
sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    else
        python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$1"
    fi
}

SCHEMA=${CRMLINT_SARIF_SCHEMA:-}
if [ -z "$sarif_skip" ] && [ -z "$SCHEMA" ]; then
    SCHEMA=$SCHEMA_DIR/sarif-2.1.0-rtm.5.json
    if [ ! -f "$SCHEMA" ] || [ "$(sha256_of "$SCHEMA")" != "$SCHEMA_SHA256" ]; then
        rm -f "$SCHEMA"
        if ! command -v npm >/dev/null 2>&1; then
            sarif_skip="npm is not installed, so the SARIF schema ($SCHEMA_PKG) cannot be fetched"
        else
            mkdir -p "$SCHEMA_DIR" "$TMP/npm"
            # npm pack downloads the registry's tarball (integrity-checked by
            # npm) without installing anything.  Short retries, so a machine
            # without a network gives up quickly.
            if (cd "$TMP/npm" && timeout 180 npm pack --loglevel=error --fetch-retries=1 \
                --fetch-timeout=30000 "$SCHEMA_PKG") >"$TMP/npm.log" 2>&1 &&
                tar -xzf "$TMP/npm/$SCHEMA_TGZ" -C "$TMP/npm" "$SCHEMA_IN_TGZ" 2>>"$TMP/npm.log"; then
                if [ "$(sha256_of "$TMP/npm/$SCHEMA_IN_TGZ")" = "$SCHEMA_SHA256" ]; then
                    cp "$TMP/npm/$SCHEMA_IN_TGZ" "$SCHEMA"
                else
                    echo "FAIL sarif schema: $SCHEMA_IN_TGZ in $SCHEMA_PKG has an unexpected SHA-256"
                    echo "0 passed, 1 failed"
                    exit 1
                fi
            else
                sarif_skip="could not fetch $SCHEMA_PKG with npm (no network or registry?): $(grep -m 1 -i "error" "$TMP/npm.log")"
            fi
        fi
    fi
fi
if [ -z "$sarif_skip" ] && [ ! -f "$SCHEMA" ]; then
    sarif_skip="CRMLINT_SARIF_SCHEMA names no file: $SCHEMA"
fi

# ---- the reports ---------------------------------------------------------
# report NAME FORMAT ARGS...: writes $TMP/NAME.FORMAT; crmlint must judge the
# run (exit 0 or 1): exit 2 means no report.
report() {
    name=$1 format=$2
    shift 2
    "$BIN" lint --format "$format" --output "$TMP/$name.$format" "$@" 2>"$TMP/$name.$format.err"
    rc=$?
    if [ $rc -gt 1 ]; then
        echo "FAIL report $name.$format: crmlint exited with $rc: $(cat "$TMP/$name.$format.err")"
        return 1
    fi
    return 0
}

SF="fixtures/salesforce/Account.csv fixtures/salesforce/Lead.csv fixtures/salesforce/Opportunity.csv"
PROC="fixtures/process/Opportunity.csv fixtures/process/OpportunityHistory.csv
      fixtures/process/hubspot-crm-exports-all-contacts-2026-11-20.csv
      fixtures/process/marketo-leads-2026-11-20.csv"
DUPES="fixtures/dupes/Account.csv fixtures/dupes/Contact.csv fixtures/dupes/next/Lead.csv
       fixtures/dupes/Opportunity.csv"
made=0
for format in sarif gitlab; do
    # shellcheck disable=SC2086 # the file lists are split on purpose
    report demo "$format" --pack rules/demo.yaml $SF || made=1
    report clean "$format" --pack rules/demo.yaml fixtures/e2e/Lead-clean.csv || made=1
    # shellcheck disable=SC2086
    report process "$format" --pack fixtures/process/process.yaml $PROC || made=1
    # shellcheck disable=SC2086
    report baseline "$format" --pack fixtures/dupes/dupes.yaml \
        --baseline fixtures/dupes/baseline.json $DUPES || made=1
done

# ---- the checks ----------------------------------------------------------
cat >"$TMP/check.py" <<'EOF'
"""Checks crmlint reports.  usage: check.py sarif SCHEMA FILE... | gitlab FILE...
   Prints "ok FILE" or "FAIL FILE" and the reasons; exit 1 if one failed."""
import json
import sys

def sarif_problems(doc, schema):
    import jsonschema
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    # FORMAT_CHECKER (jsonschema 4.5+) knows the formats of the schema's draft.
    checker = getattr(cls, "FORMAT_CHECKER", None) or jsonschema.FormatChecker()
    v = cls(schema, format_checker=checker)
    out = ["schema: %s at /%s" % (e.message[:200], "/".join(str(p) for p in e.absolute_path))
           for e in sorted(v.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))]
    # What the schema does not say but GitHub code scanning needs.
    for r, run in enumerate(doc.get("runs", []) if isinstance(doc, dict) else []):
        rules = run.get("tool", {}).get("driver", {}).get("rules", [])
        ids = [x.get("id") for x in rules]
        if len(set(ids)) != len(ids):
            out.append("runs/%d: rule ids are not unique" % r)
        if "results" not in run:
            out.append("runs/%d: no results array (GitHub needs one, even empty)" % r)
        results = run.get("results", [])
        if results and "columnKind" not in run:
            out.append("runs/%d: results without columnKind" % r)
        for i, res in enumerate(results):
            where = "runs/%d/results/%d" % (r, i)
            rid, idx = res.get("ruleId"), res.get("ruleIndex")
            if rid not in ids:
                out.append("%s: ruleId %r is not a rule of the driver" % (where, rid))
            elif idx is not None and (idx >= len(ids) or ids[idx] != rid):
                out.append("%s: ruleIndex %r does not point at %r" % (where, idx, rid))
            if not res.get("partialFingerprints"):
                out.append("%s: no partialFingerprints" % where)
            for loc in res.get("locations", []) + res.get("relatedLocations", []):
                uri = loc.get("physicalLocation", {}).get("artifactLocation", {}).get("uri", "")
                if uri.startswith("/") or "\\" in uri or uri.startswith("./") or ":" in uri.split("/")[0]:
                    out.append("%s: uri %r is not relative with / separators" % (where, uri))
    return out

SEVERITIES = {"info", "minor", "major", "critical", "blocker"}

def gitlab_problems(doc):
    # GitLab's parser (lib/gitlab/ci/parsers/codequality/code_climate.rb)
    # stops at the first invalid element and keys degradations by
    # fingerprint, so every element must be valid and fingerprints unique.
    if not isinstance(doc, list):
        return ["the report is not a JSON array"]
    out, seen = [], {}
    for i, d in enumerate(doc):
        where = "[%d]" % i
        if not isinstance(d, dict):
            out.append("%s: not an object" % where)
            continue
        for key in ("description", "check_name", "fingerprint", "severity"):
            if not isinstance(d.get(key), str) or not d.get(key):
                out.append("%s: %s is not a non-empty string" % (where, key))
        if d.get("severity") not in SEVERITIES:
            out.append("%s: severity %r is not one of %s" % (where, d.get("severity"), sorted(SEVERITIES)))
        fp = d.get("fingerprint")
        if isinstance(fp, str):
            if fp in seen:
                out.append("%s: fingerprint %s repeats %s (GitLab would show one of them)" % (where, fp, seen[fp]))
            seen.setdefault(fp, where)
        loc = d.get("location")
        if not isinstance(loc, dict):
            out.append("%s: no location object" % where)
            continue
        path = loc.get("path")
        if not isinstance(path, str) or not path or path.startswith("/") or path.startswith("./"):
            out.append("%s: location.path %r is not a relative path" % (where, path))
        lines = loc.get("lines")
        begin = lines.get("begin") if isinstance(lines, dict) else None
        if type(begin) is not int or begin < 1:
            out.append("%s: location.lines.begin %r is not a line number" % (where, begin))
    return out

def main():
    mode, args = sys.argv[1], sys.argv[2:]
    schema = None
    if mode == "sarif":
        with open(args[0], encoding="utf-8") as f:
            schema = json.load(f)
        args = args[1:]
    failed = 0
    for path in args:
        try:
            with open(path, "rb") as f:
                raw = f.read()
            if raw.startswith(b"\xef\xbb\xbf"):
                problems = ["starts with a byte order mark (GitLab and GitHub reject it)"]
            else:
                doc = json.loads(raw.decode("utf-8"))
                problems = sarif_problems(doc, schema) if mode == "sarif" else gitlab_problems(doc)
        except (ValueError, OSError) as e:
            problems = ["not readable JSON: %s" % e]
        if problems:
            failed += 1
            print("FAIL %s" % path)
            for p in problems[:20]:
                print("    " + p)
            if len(problems) > 20:
                print("    ... and %d more" % (len(problems) - 20))
        else:
            print("ok %s" % path)
    sys.exit(1 if failed else 0)

main()
EOF

# Corrupted copies for the negative checks.
cat >"$TMP/corrupt.py" <<'EOF'
import json, sys
kind, src, dst = sys.argv[1:4]
doc = json.load(open(src, encoding="utf-8"))
if kind == "sarif-level":
    doc["runs"][0]["results"][0]["level"] = "fatal"
elif kind == "sarif-message":
    res = doc["runs"][0]["results"][0]
    del res["message"]
    res["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
elif kind == "sarif-rule-index":
    doc["runs"][0]["results"][0]["ruleIndex"] += 1
elif kind == "gitlab-fingerprint":
    doc[1]["fingerprint"] = doc[0]["fingerprint"]
elif kind == "gitlab-severity":
    doc[0]["severity"] = "high"
elif kind == "gitlab-line":
    del doc[0]["location"]["lines"]
json.dump(doc, open(dst, "w", encoding="utf-8"))
EOF

passed=0
failed=0
[ $made -eq 0 ] || failed=$((failed + 1))

# check NAME EXPECT(valid|invalid) MODE [SCHEMA] FILE
check() {
    name=$1 expect=$2
    shift 2
    python3 "$TMP/check.py" "$@" >"$TMP/out" 2>&1
    rc=$?
    if { [ "$expect" = valid ] && [ $rc -eq 0 ]; } || { [ "$expect" = invalid ] && [ $rc -eq 1 ]; }; then
        echo "ok $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name (expected $expect)"
        sed 's/^/    /' "$TMP/out"
        failed=$((failed + 1))
    fi
}

if [ -n "$sarif_skip" ]; then
    echo "skipped: SARIF schema checks: $sarif_skip"
else
    for name in demo clean process baseline; do
        [ -f "$TMP/$name.sarif" ] && check "sarif $name" valid sarif "$SCHEMA" "$TMP/$name.sarif"
    done
    for kind in sarif-level sarif-message sarif-rule-index; do
        python3 "$TMP/corrupt.py" $kind "$TMP/demo.sarif" "$TMP/$kind.sarif" &&
            check "sarif rejects a corrupted copy ($kind)" invalid sarif "$SCHEMA" "$TMP/$kind.sarif"
    done
fi
for name in demo clean process baseline; do
    [ -f "$TMP/$name.gitlab" ] && check "gitlab $name" valid gitlab "$TMP/$name.gitlab"
done
for kind in gitlab-fingerprint gitlab-severity gitlab-line; do
    python3 "$TMP/corrupt.py" $kind "$TMP/demo.gitlab" "$TMP/$kind.gitlab" &&
        check "gitlab rejects a corrupted copy ($kind)" invalid gitlab "$TMP/$kind.gitlab"
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

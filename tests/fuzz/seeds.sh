#!/bin/sh
# seeds.sh - builds the seed corpora of the fuzz harnesses from fixtures/.
#
#   tests/fuzz/seeds.sh CORPUS_DIR      (run.sh calls it with $BUILD/fuzz/corpus)
#
# Writes CORPUS_DIR/NAME/seed-* for each harness (reader, csvscan, decode, pack,
# cond, datetime, tz, report, json).  Seeds are only added: what the fuzzer found in
# earlier runs stays in the corpus.  Each harness reads its first byte(s) as
# switches (see the top of tests/fuzz/fuzz_NAME.c), so seeds carry them.
# Plain POSIX sh.
set -eu
cd "$(dirname "$0")/../.." || exit 2
C=${1:?usage: seeds.sh CORPUS_DIR}
mkdir -p "$C/reader" "$C/csvscan" "$C/decode" "$C/pack" "$C/cond" "$C/datetime" "$C/tz" "$C/report" "$C/json"

n=0
# seed DIR SWITCH-BYTES FILE: the switches (printf escapes), then at most
# 16 KiB of FILE.
seed() {
    n=$((n + 1))
    { printf "$2"; head -c 16384 "$3"; } >"$1/seed-$n"
}

# ---- reader: every CSV fixture, with the configuration it was made for ----
for f in fixtures/e2e/*.csv fixtures/salesforce/*.csv fixtures/bad/*/*.csv; do
    [ -f "$f" ] || continue
    seed "$C/reader" '\000' "$f"            # utf-8, comma
    seed "$C/reader" '\041' "$f"            # windows-1252, field limit 5
done
for f in fixtures/e2e/*.tsv fixtures/bad/*/*.tsv; do
    [ -f "$f" ] && seed "$C/reader" '\004' "$f"   # tab
done
[ -f fixtures/e2e/Lead-utf16.csv ] && seed "$C/reader" '\003' fixtures/e2e/Lead-utf16.csv
[ -f fixtures/salesforce/Account.csv ] && seed "$C/reader" '\001' fixtures/salesforce/Account.csv
[ -f fixtures/salesforce/Account.csv ] && seed "$C/reader" '\002' fixtures/salesforce/Account.csv
for f in fixtures/e2e/*.gz fixtures/bad/*/*.gz; do
    [ -f "$f" ] && seed "$C/reader" '\020' "$f"   # gzip
done
printf '\000a,"b\n"c,d\n"unterminated\n' >"$C/reader/seed-quotes"

# ---- csvscan: CSV fixtures, comma, fed in 1-, 14- and 66-byte steps ------
for f in fixtures/e2e/*.csv fixtures/salesforce/*.csv fixtures/process/*.csv; do
    [ -f "$f" ] || continue
    seed "$C/csvscan" '\000' "$f"
    seed "$C/csvscan" '\004' "$f"
    seed "$C/csvscan" '\024' "$f"
done
printf '\000a,"b\n"c,d\nab"c\n"x"y\nz"\n"q""\n"\r\n' >"$C/csvscan/seed-quotes"
printf '\003\377\376a\000,\000b\000\n\000\000\330' >"$C/reader/seed-utf16-lone"

# ---- decode: the encoded fixtures, cut into pieces of 1, 2, 3 and 7 bytes ----
[ -f fixtures/e2e/Lead-utf16.csv ] && seed "$C/decode" '\003\001\002\003\007\001\002\003\007' fixtures/e2e/Lead-utf16.csv
[ -f fixtures/salesforce/Account.csv ] && seed "$C/decode" '\001\001\002\003\007\001\002\003\007' fixtures/salesforce/Account.csv
[ -f fixtures/e2e/Lead-bom.csv ] && seed "$C/decode" '\000\001\001\001\002\001\002\003\007' fixtures/e2e/Lead-bom.csv
printf '\003\001\001\001\001\001\001\001\001\376\377\000a\330\000\334\000\330' >"$C/decode/seed-utf16be-pair"

# ---- pack: every pack in the tree ----
for f in rules/*.yaml fixtures/packs/*.yaml fixtures/bad/*/*.yaml tests/e2e/cases/*/*.yaml; do
    [ -f "$f" ] && seed "$C/pack" '' "$f"
done
printf 'version: 1\nextends: [mid.yaml]\nobjects:\n  lead:\n    rules:\n      - {id: x, type: required, fields: [Email], when: {field: Status, equals: Open}}\n' \
    >"$C/pack/seed-extends"
printf 'a: &a [1, 2]\nb: [*a, *a]\nc: {<<: *a}\n' >"$C/pack/seed-alias"

# ---- cond: every `when` written on one line in the packs, over a small CSV ----
csv='A,B,C,Status,IsConverted\nx,y,abc,Open,1\n,x,Ab,Closed,true\nx,Y,,N/A,0\n'
grep -h 'when: {' rules/*.yaml fixtures/packs/*.yaml fixtures/bad/*/*.yaml 2>/dev/null |
    sed 's/^.*when: //' | sort -u | while IFS= read -r w; do
        n=$((n + 1))
        printf '%s\n'"$csv" "$w" >"$C/cond/seed-$n"
    done
printf '{all: [{field: A, equals: x}, {not: {field: B, in: [x, y], ignore_case: true}}]}\n'"$csv" \
    >"$C/cond/seed-all"
printf '{any: [{field: C, matches: "^(a+)+$"}, {field: A, empty: true}]}\n'"$csv" >"$C/cond/seed-any"

# ---- datetime: values in every accepted shape, per zone and format set ----
i=0
for v in '2026-11-22' '2026-11-22T09:00:00Z' '2026-11-22 09:00:00.123456-05:00' \
    '2026-03-08T02:30:00' '2026-11-01 01:30' '2026-02-30' '24:00' '11/22/2026' \
    '11/22/2026 9:05 PM' '22.11.2026 23:59:59+0100' ' 2 Nov 2026' 'November 22, 26 9:05am' \
    '20261122T090000.5' '22/11/26 %' '90m' '1d12h' '2w3d4h5m6s' '99999999999999999999s'; do
    i=$((i + 1))
    printf "\\$(printf '%03o' $((i % 8 + 8 * (i % 3))))\\000%s" "$v" >"$C/datetime/seed-$i"
done
printf '\030\000%%d %%b %%Y %%H:%%M:%%S%%z\001022 Nov 2026 10:00:00 +0530' >"$C/datetime/seed-fmt"

# ---- tz: real zone files (the footer rules are the interesting part) ----
for z in UTC America/New_York Europe/London Australia/Lord_Howe Asia/Kolkata Pacific/Chatham \
    Africa/Casablanca America/Sao_Paulo Antarctica/Troll Europe/Dublin; do
    f=${TZDIR:-/usr/share/zoneinfo}/$z
    [ -f "$f" ] && cp "$f" "$C/tz/seed-$(echo "$z" | tr / _)"
done

# ---- json: the json reports the end-to-end tests expect (baselines) ----
for f in tests/e2e/cases/*/expected.out; do
    [ -f "$f" ] && [ "$(head -c 1 "$f")" = "{" ] && seed "$C/json" '' "$f"
done
printf '{"a":[1,2.5e3,-0,"\\u00e9\\ud83d\\ude00",true,false,null,{}]}' >"$C/json/seed-kinds"

# ---- report: structured bytes; any bytes make a result ----
for f in fixtures/e2e/Lead-nul.csv fixtures/salesforce/Lead.csv fixtures/e2e/Lead-utf16.csv; do
    [ -f "$f" ] && seed "$C/report" '\003\012\200\001' "$f"
done
printf 'pack\000\000\000\000\000\000\000\000\017\002\005a.csv\000\004lead\000\000\000\000\000\000\000\001\003\001\004rule\004lead\001\002\003tag\000\000\000\000\000\000\000\007\010\001\002\003\010\001\005Email\001\003abc\005\000=cmd\011\001\001\001\001\003rec\007' \
    >"$C/report/seed-built"
exit 0

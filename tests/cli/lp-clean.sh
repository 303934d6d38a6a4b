#!/bin/sh
# CLI tests of lp-clean.
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-clean
MAN=$(dirname "$0")/../../man/lp-clean.1

USAGE="usage: lp-clean [-qv] [-o file] [--fields f,...] [--case lower|keep]\n       [--fluff file] [--keep-pii] [--pseudonymize field]\n       [--repair-utf8] [--schema file | --no-schema] [file ...]\nTry 'lp-clean --help' for more information.\n"
strip() { sed 's/,"lineage":{[^}]*}\]}//'; }
one() { printf '%s\n' "$1" | "$TOOL" -q --plain "$@" | strip; }

# Each rule, before and after.
R=$(printf '%s\n' '{"id":"1","title":"ＷＯＷ!!! 🔥 Apple  iPhone 13 128gb BNIB 👍🏽 L@@K"}' | "$TOOL" -q --plain | strip)
expect 'NFKC, emoji, fluff, units, abbreviations, case' sh -c "[ '$R' = '{\"id\":\"1\",\"title\":\"apple iphone 13 128 gb brand new in box\",\"raw\":{\"title\":\"ＷＯＷ!!! 🔥 Apple  iPhone 13 128gb BNIB 👍🏽 L@@K\"},\"attrs\":{\"storage_gb\":128.0}}' ]"
R=$(printf '%s\n' '{"id":"1","title":"Dell XPS 15 15.6-inch 16GB RAM 1TB SSD"}' | "$TOOL" -q --plain --case keep | strip)
expect '--case keep; units and attributes; model numbers alone' sh -c "[ '$R' = '{\"id\":\"1\",\"title\":\"Dell XPS 15 15.6 in 16 GB RAM 1 TB SSD\",\"raw\":{\"title\":\"Dell XPS 15 15.6-inch 16GB RAM 1TB SSD\"},\"attrs\":{\"screen_in\":15.6,\"ram_gb\":16.0,\"storage_gb\":1000.0}}' ]"
R=$(printf '%s\n' '{"id":"1","title":"Canon lens mail me bob@example.com or 07700 900123"}' | "$TOOL" -q --plain | strip)
expect 'PII redacted' sh -c "echo '$R' | grep -q '\"title\":\"canon lens mail me \[email\] or \[phone\]\"'"
R=$(printf '%s\n' '{"id":"1","title":"Canon lens mail me bob@example.com"}' | "$TOOL" -q --plain --keep-pii | strip)
expect '--keep-pii leaves it' sh -c "echo '$R' | grep -q 'bob@example.com\",\"raw'"
R=$(printf '%s\n' '{"id":"1","title":"Lamp","price":"£1,299.99","condition":"Pre-owned"}' | "$TOOL" -q --plain | strip)
expect 'price text parsed, condition mapped, originals kept' sh -c "[ '$R' = '{\"id\":\"1\",\"title\":\"lamp\",\"price\":{\"amount\":1299.99,\"currency\":\"GBP\",\"text\":\"£1,299.99\"},\"condition\":\"used\",\"raw\":{\"title\":\"Lamp\",\"price\":\"£1,299.99\",\"condition\":\"Pre-owned\"}}' ]"
R=$(printf '%s\n' '{"id":"1","title":"lamp","price":{"text":"£10.00 to £20.00"},"condition":"Like new-ish"}' | "$TOOL" --plain --stats st.json 2>/dev/null | strip)
expect 'a price range; unknown condition kept and counted' sh -c "echo '$R' | grep -q '\"price\":{\"min\":10.0,\"max\":20.0,\"currency\":\"GBP\",\"text\":\"£10.00 to £20.00\"},\"condition\":\"Like new-ish\"' && grep -q '\"conditions_unknown\":1' st.json"
R=$(printf '%s\n' '{"id":"1","title":"lamp","seller":"Bob Smith"}' | LP_PSEUDONYM_KEY=secret "$TOOL" -q --plain --pseudonymize seller | strip)
S=$(printf '%s\n' '{"id":"2","title":"desk","seller":"Bob Smith"}' | LP_PSEUDONYM_KEY=secret "$TOOL" -q --plain --pseudonymize seller | strip)
expect '--pseudonymize: a keyed token, the same for the same seller, no name kept' sh -c "echo '$R' | grep -q '\"seller\":\"p_[0-9a-f]\{16\}\"' && [ \"\$(echo '$R' | grep -o 'p_[0-9a-f]*')\" = \"\$(echo '$S' | grep -o 'p_[0-9a-f]*')\" ] && ! echo '$R' | grep -q Bob"
check 2 '--pseudonymize seller' '' '' "lp-clean: --pseudonymize needs a key in LP_PSEUDONYM_KEY\n$USAGE"

# Stats count removals per pattern.
printf '%s\n' '{"id":"1","title":"WOW lamp WOW"}' '{"id":"2","title":"FREE P&P desk!!"}' | "$TOOL" -q --plain --stats st2.json > /dev/null
expect '--stats counts each pattern' grep -q '"fluff:FREE P&P":1,"fluff:WOW":2,.*"punctuation_runs":1' st2.json

# --fluff adds rules; a bad rules file names its line.
printf 'version mine-1\nremove GEM\nexpand XL extra large\n' > mine.txt
R=$(printf '%s\n' '{"id":"1","title":"GEM XL shirt"}' | "$TOOL" -q --plain --fluff mine.txt | strip)
expect '--fluff adds rules' sh -c "echo '$R' | grep -q '\"title\":\"extra large shirt\"'"
printf 'remove ok\nfrobnicate x\n' > bad.txt
check 65 '--fluff bad.txt' '' '' "lp-clean: bad.txt:2: unknown rule 'frobnicate'\n"

# Bad input: each with its outcome and file:line.
printf '{"id":"1","title":3}\n{"id":"2","title":null}\n{"id":"3","title":"\360\237\224\245\360\237\224\245"}\n{"id":"4"}\n[5]\n{"id":"6","title":"ok"}\n' > bad.jsonl
"$TOOL" --plain --on-error=skip bad.jsonl 2> e.txt | strip > o.txt
expect 'bad titles: each named' sh -c "grep -qx 'lp-clean: bad.jsonl:1: title is a number, not a string (skipped)' e.txt && grep -qx 'lp-clean: bad.jsonl:2: title is null, not a string (skipped)' e.txt && grep -qx 'lp-clean: bad.jsonl:3: title is empty after cleaning (skipped)' e.txt && grep -qx 'lp-clean: bad.jsonl:4: title is missing (skipped)' e.txt && grep -qx 'lp-clean: bad.jsonl:5: expected JSON object, got array (skipped)' e.txt"
expect 'the good record passes' sh -c "[ \"\$(cat o.txt)\" = '{\"id\":\"6\",\"title\":\"ok\"}' ]"
"$TOOL" -q --plain --on-error=quarantine --quarantine q.jsonl bad.jsonl > /dev/null
expect 'quarantine keeps the rejects, with reasons' sh -c "[ \$(wc -l < q.jsonl) = 5 ] && grep -q 'empty after cleaning' q.jsonl"
check 65 '-q --plain' '{"id":"1","title":3}\n' '' 'lp-clean: <stdin>:1: title is a number, not a string\n'
printf '{"id":"1","title":"caf\351 ok"}\n' > latin1.jsonl
check 65 '-q --plain latin1.jsonl' '' '' 'lp-clean: latin1.jsonl:1: invalid UTF-8 at column 23 (byte 0xe9)\n'
"$TOOL" -q --plain --repair-utf8 latin1.jsonl > rep.jsonl
expect '--repair-utf8 puts U+FFFD in' grep -q "\"title\":\"$(printf 'caf\357\277\275 ok')\"" rep.jsonl

# Schema: the built-in one, a file, none.
printf '{"type":"object","required":["id","title","price"]}\n' > s.json
check 65 '-q --plain --schema s.json' '{"id":"1","title":"x"}\n' '' 'lp-clean: <stdin>:1: price is missing\n'
printf '{"title":"x"}\n' | "$TOOL" -q --plain --no-schema > ns.jsonl; st=$?
expect '--no-schema: no id needed' sh -c "[ $st = 0 ] && grep -q '^{\"title\":\"x\",\"lineage\"' ns.jsonl"
printf '{"type":"object","pattern":"x"}\n' > s2.json
check 65 '--schema s2.json' '' '' 'lp-clean: s2.json: (top): "pattern" is not in the supported subset\n'
check 2 '--schema s.json --no-schema' '' '' "lp-clean: --schema and --no-schema: choose one\n$USAGE"
check 2 '--case upper' '' '' "lp-clean: invalid --case 'upper' (want lower or keep)\n$USAGE"

# Cleaning twice gives what cleaning once gave (bar lineage), over the
# generator's records.
"$LP_GEN" -n 5000 -s 9 > gen.jsonl
"$TOOL" -q --plain gen.jsonl > once.jsonl
"$TOOL" -q --plain once.jsonl > twice.jsonl
expect 'idempotent on 5000 generated records' sh -c "[ \$(wc -l < once.jsonl) = 5000 ] && sed 's/,\"lineage\".*//' once.jsonl > a && sed 's/,\"lineage\".*//' twice.jsonl > b && cmp -s a b"
sed 's/^{"id":"[^"]*","title":"\([^"]*\)".*/\1/' once.jsonl > titles.txt
expect 'no emoji survive in generated titles' sh -c "[ \$(wc -l < titles.txt) = 5000 ] && ! grep -q \"\$(printf '\360\237')\" titles.txt && ! grep -q \"\$(printf '\342\234\250')\" titles.txt"

# The rules' version is traceable: the audit log holds the text behind
# each record's config digest.
printf '{"id":"1","title":"Phone"}\n' | "$TOOL" -q --plain --audit au.log > au.jsonl
text=$(sed -n 's/.*"event":"run_start".*"config_text":"\([^"]*\)".*/\1/p' au.log)
digest=$(printf '%s' "$text" | sha256sum | cut -c1-8)
expect 'audit: the config text, with the rules version, behind the digest' sh -c "case '$text' in rules=clean-rules-1\;*) grep -q '\"tool\":\"lp-clean\",.*\"config\":\"$digest\"' au.jsonl ;; *) false ;; esac"

help_man_agree "$MAN"
finish

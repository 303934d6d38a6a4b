#!/bin/sh
# CLI tests of lp-dedup (exact mode).
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-dedup
MAN=$(dirname "$0")/../../man/lp-dedup.1

USAGE="usage: lp-dedup [-qv] [-o file] [-k field[,field...]] [--near] [--threshold t]\n       [--shingle words:k|chars:k] [--dropped file] [--mark] [file ...]\nTry 'lp-dedup --help' for more information.\n"

# Strip lineage so the expectations stay readable.
strip() { sed 's/,"lineage":{[^}]*}\]}//'; }

A='{"id":"1","title":"iPhone  13","price":{"amount":649.99}}'
B='{"id":"2","title":"IPHONE 13","price":{"amount":649.99}}'
C='{"id":"1","title":"Pixel 7","price":{"amount":300.0}}'
D='{"title":"no id","price":{"amount":1}}'
E='{"id":"5","title":"\357\274\251\357\275\220\357\275\210\357\275\217\357\275\216\357\275\205 13"}'
printf '%s\n' "$A" "$B" "$C" "$D" > in.jsonl

# Default key: id.
"$TOOL" -q --plain in.jsonl | strip > o.txt
expect 'default key id drops the repeated id' sh -c "[ \"\$(cat o.txt)\" = '$A
$B
$D' ]"

# -k title: normalised text (case, spaces, full-width) makes one key.
printf '%s\n' "$A" "$B" "$E" | "$TOOL" -q --plain -k title | strip > o.txt
expect '-k title compares normalised text' sh -c "[ \"\$(cat o.txt)\" = '$A' ]"

# Two fields; a record without the key passes through.
printf '%s\n' "$A" "$B" "$C" '{"x":1}' | "$TOOL" -q --plain -k title,price.amount --stats st.json | strip > o.txt
expect '-k title,price.amount' sh -c "[ \"\$(wc -l < o.txt)\" = 3 ]"
expect 'stats: in/out/dropped and no_key' grep -q '"in":4,"out":3,"dropped":1,.*"dropped_exact":1,.*"no_key":1' st.json

# --dropped names the kept record; --mark keeps all.
"$TOOL" -q --plain -k title --dropped dropped.jsonl in.jsonl > /dev/null
expect '--dropped holds the duplicate with dup.of' grep -q '^{"id":"2","title":"IPHONE 13","price":{"amount":649.99},"dup":{"of":"1","similarity":1.0,"method":"exact"},"lineage"' dropped.jsonl
"$TOOL" -q --plain -k title --mark in.jsonl | strip > o.txt
expect '--mark keeps every record' sh -c "[ \"\$(wc -l < o.txt)\" = 4 ] && grep -q '\"dup\":{\"of\":\"1\"' o.txt"
printf '%s\n' '{"title":"a"}' '{"title":"A"}' | "$TOOL" -q --plain -k title --mark | strip > o.txt
expect 'a kept record without id is named by file:line' grep -q '"of":"<stdin>:1"' o.txt

# Bad input and usage.
printf '{"id":"1"}\n[1]\n' | "$TOOL" -q --plain > /dev/null 2> e.txt; st=$?
expect 'bad line: 65 with file:line' sh -c "[ $st = 65 ] && grep -qx 'lp-dedup: <stdin>:2: expected JSON object, got array' e.txt"
printf '{"id":"1"}\n[1]\n{"id":"1"}\n' | "$TOOL" -q --plain --on-error=skip --stats st2.json > /dev/null; st=$?
expect 'skip: accounting' sh -c "[ $st = 0 ] && grep -q '\"in\":3,\"out\":1,\"dropped\":1,\"skipped\":1' st2.json"
# Like -o, --dropped is kept only when the run succeeds.
printf '{"id":"1"}\n{"id":"1"}\n[1]\n' | "$TOOL" -q --plain --dropped failed.jsonl > /dev/null 2>&1; st=$?
expect 'a failed run leaves no --dropped file' sh -c "[ $st = 65 ] && [ ! -e failed.jsonl ] && ! ls | grep -q 'failed.jsonl.tmp'"
check 2 '--mark --dropped x' '' '' "lp-dedup: --mark keeps every record: it does not go with --dropped\n$USAGE"
check 2 '-k ,' '' '' "lp-dedup: invalid --key ',' (want field[,field...])\n$USAGE"
check 2 '--near --threshold 1.5' '' '' "lp-dedup: invalid --threshold '1.5' (want a number in (0, 1])\n$USAGE"
check 2 '--near --threshold x' '' '' "lp-dedup: invalid --threshold 'x' (want a number in (0, 1])\n$USAGE"
check 2 '--near --shingle bytes:3' '' '' "lp-dedup: invalid --shingle 'bytes:3' (want words:K or chars:K)\n$USAGE"
check 2 '--near --perms 3' '' '' "lp-dedup: invalid --perms '3' (want a whole number from 8 to 1024)\n$USAGE"

# Near duplicates: an edit away is dropped, a different listing is kept;
# the dropped one names its kept twin and the similarity.
N1='{"id":"n1","title":"Apple iPhone 13 128GB Midnight Unlocked Smartphone"}'
N2='{"id":"n2","title":"Apple iPhone 13 128GB Midnight Unlocked Smartphone!!"}'
N3='{"id":"n3","title":"Samsung Galaxy S21 256GB Phantom Grey"}'
N4='{"id":"n4","title":"Apple iPhone 12 64GB Blue Unlocked"}'
printf '%s\n' "$N1" "$N2" "$N3" "$N4" | "$TOOL" -q --plain --near --dropped nd.jsonl --stats nst.json | strip > o.txt
expect '--near keeps distinct listings' sh -c "[ \"\$(cat o.txt)\" = '$N1
$N3
$N4' ]"
expect '--near names the kept twin' grep -q '"id":"n2".*"dup":{"of":"n1","similarity":0.9[0-9]*,"method":"near"}' nd.jsonl
expect '--near stats' grep -q '"dropped_exact":0,"dropped_near":1' nst.json
printf '%s\n' "$N1" "$N2" | "$TOOL" -q --plain --near --threshold 0.99 | strip > o.txt
expect 'a high threshold keeps both' sh -c "[ \"\$(wc -l < o.txt)\" = 2 ]"
printf '%s\n' "$N1" "$N2" | "$TOOL" -q --plain --near --shingle words:2 --threshold 0.7 | strip > o.txt
expect 'word shingles' sh -c "[ \"\$(wc -l < o.txt)\" = 1 ]"

# Reproducible and streaming-friendly.
"$LP_GEN" -n 20000 --dup-rate 0.2 > gen.jsonl
"$TOOL" -q -k title gen.jsonl > r1.gz
"$TOOL" -q -k title gen.jsonl > r2.gz
expect 'byte-identical reruns' cmp -s r1.gz r2.gz
n1=$(gzip -dc r1.gz | wc -l)
expect 'generated exact duplicates are dropped' sh -c "[ $n1 -lt 17000 ] && [ $n1 -gt 10000 ]"

help_man_agree "$MAN"
finish

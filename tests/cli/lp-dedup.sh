#!/bin/sh
# CLI tests of lp-dedup (exact mode).
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-dedup
MAN=$(dirname "$0")/../../man/lp-dedup.1

USAGE="usage: lp-dedup [-qv] [-o file] [-k field[,field...]] [--near] [--threshold t]\n       [--shingle words:k|chars:k] [--keep first|longest|cheapest]\n       [--dropped file] [--mark] [--seen state [--update-seen]]\n       [--memory size] [file ...]\nTry 'lp-dedup --help' for more information.\n"

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
printf '%s\n' "$A" "$B" "$(printf "$E")" > in3.jsonl
"$TOOL" -q --plain -k title in3.jsonl > o3.jsonl; st=$?
strip < o3.jsonl > o.txt
expect '-k title compares normalised text' sh -c "[ $st = 0 ] && [ \"\$(cat o.txt)\" = '$A' ]"

# Two fields; a record without the key passes through.
printf '%s\n' "$A" "$B" "$C" '{"x":1}' | "$TOOL" -q --plain -k title,price.amount --stats st.json | strip > o.txt
expect '-k title,price.amount' sh -c "[ \"\$(wc -l < o.txt)\" = 3 ]"
expect 'stats: in/out/dropped and no_key' grep -q '"in":4,"out":3,"dropped":1,.*"dropped_exact":1,.*"no_key":1' st.json

# --dropped names the kept record; --mark keeps all.
"$TOOL" -q --plain -k title --dropped dropped.jsonl in.jsonl > /dev/null
expect '--dropped holds the duplicate with dup.of' grep -q '^{"id":"2","title":"IPHONE 13","price":{"amount":649.99},"dup":{"of":"1","similarity":1.0,"method":"exact","cluster":"1"},"lineage"' dropped.jsonl
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
expect '--near names the kept twin' grep -q '"id":"n2".*"dup":{"of":"n1","similarity":0.9[0-9]*,"method":"near","cluster":"n1"}' nd.jsonl
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

# Accuracy on generated repeats (bench/dedup-eval: the issue's bar).
"$LP_GEN" -n 20000 --label --dup-rate 0.05 --near-rate 0.1 --variant-rate 0.1 > lab.jsonl
"$TOOL" -q --plain --near --mark lab.jsonl > marked.jsonl
"$LP_BENCH/dedup-eval" --min-recall 0.95 --min-precision 0.99 marked.jsonl > eval.txt 2>&1; st=$?
expect 'near: recall >= 0.95 and precision >= 0.99 on generated repeats' sh -c "[ $st = 0 ] && grep -q 'recall 0.9[5-9]\|recall 1.0' eval.txt"

# --keep longest|cheapest: the cluster's survivor, in input order.
K1='{"id":"k1","title":"Apple iPhone 13 128GB Midnight Unlocked","price":{"amount":500}}'
K2='{"id":"k2","title":"Pixel 7 Pro 256GB Obsidian","price":{"amount":400}}'
K3='{"id":"k3","title":"Apple iPhone 13 128GB Midnight Unlocked Boxed","price":{"amount":450}}'
K4='{"id":"k4","title":"apple iphone 13 128gb midnight unlocked","price":{"amount":300}}'
K5='{"id":"k5","title":"Apple iPhone 13 128GB Midnight Unlocked Boxed","price":{"amount":450}}'
printf '%s\n' "$K1" "$K2" "$K3" "$K4" "$K5" > keep.jsonl
"$TOOL" -q --plain --near --keep longest --dropped kd.jsonl keep.jsonl | strip > o.txt
expect '--keep longest keeps the longest title, in input order' sh -c "[ \"\$(cat o.txt)\" = '$K2
$K3' ]"
expect '--keep longest: the others name the survivor and the cluster' sh -c "grep -q '\"id\":\"k1\".*\"dup\":{\"of\":\"k3\",\"similarity\":0.[89][0-9]*,\"method\":\"near\",\"cluster\":\"k1\"}' kd.jsonl && grep -q '\"id\":\"k5\".*\"dup\":{\"of\":\"k3\",\"similarity\":1.0,\"method\":\"exact\",\"cluster\":\"k1\"}' kd.jsonl"
"$TOOL" -q --plain --near --keep cheapest keep.jsonl | strip > o.txt
expect '--keep cheapest keeps the lowest price' sh -c "[ \"\$(cat o.txt)\" = '$K2
$K4' ]"
"$TOOL" -q --plain -k title --keep cheapest keep.jsonl | strip > o.txt
expect '--keep cheapest, exact keys: one survivor per key' sh -c "[ \"\$(cat o.txt)\" = '$K2
$K3
$K4' ]"
"$TOOL" -q --near --keep longest keep.jsonl > k1.gz
"$TOOL" -q --near --keep longest keep.jsonl > k2.gz
expect '--keep longest: byte-identical reruns' cmp -s k1.gz k2.gz
check 2 '--keep best' '' '' "lp-dedup: invalid --keep 'best' (want first, longest or cheapest)\n$USAGE"
check 2 '--keep longest --memory 1M' '' '' "lp-dedup: --memory bounds a streaming run: --keep longest holds the input anyway\n$USAGE"

# --seen: day 1 makes the state, day 2 sends only what is new.
printf '%s\n' "$N1" "$N3" > day1.jsonl
printf '%s\n' "$N2" "$N3" "$N4" > day2.jsonl
"$TOOL" -q --plain --near --seen state.jsonl --update-seen day1.jsonl > /dev/null; st=$?
expect '--update-seen starts a missing state' sh -c "[ $st = 0 ] && [ \"\$(head -1 state.jsonl)\" = '{\"lp_dedup_state\":1,\"key\":\"title\"}' ] && [ \"\$(tail -1 state.jsonl)\" = '{\"items\":2}' ]"
"$TOOL" -q --plain --near --seen state.jsonl --update-seen --dropped d2.jsonl --stats st2.json day2.jsonl | strip > o.txt
expect '--seen drops what earlier runs kept' sh -c "[ \"\$(cat o.txt)\" = '$N4' ]"
expect '--seen: dup names the earlier record and says seen' sh -c "grep -q '\"id\":\"n2\".*\"of\":\"n1\",.*\"method\":\"near\",\"cluster\":\"n1\",\"seen\":true' d2.jsonl && grep -q '\"id\":\"n3\".*\"method\":\"exact\".*\"seen\":true' d2.jsonl"
expect '--seen stats' grep -q '"seen_items":2,.*"state_items":3,.*"dropped_seen":2' st2.json
expect '--update-seen adds the kept records' sh -c "[ \"\$(tail -1 state.jsonl)\" = '{\"items\":3}' ] && grep -q '\"of\":\"n4\"' state.jsonl"
"$TOOL" -q --plain --near --seen state.jsonl day2.jsonl | strip > o.txt
expect '--seen without --update-seen leaves the state' sh -c "[ ! -s o.txt ] && [ \"\$(tail -1 state.jsonl)\" = '{\"items\":3}' ]"
"$TOOL" -q --plain --near --keep longest --seen state.jsonl day2.jsonl | strip > o.txt
expect '--seen with --keep longest' sh -c "[ ! -s o.txt ]"
cp state.jsonl st-copy.jsonl
printf '{"id":"x"}\n[1]\n' | "$TOOL" -q --plain --near --seen state.jsonl --update-seen > /dev/null 2>&1; st=$?
expect 'a failed run leaves the state as it was' sh -c "[ $st = 65 ] && cmp -s state.jsonl st-copy.jsonl"
head -2 state.jsonl > trunc.jsonl
check 65 "--near --seen trunc.jsonl" '' '' 'lp-dedup: trunc.jsonl: truncated (no closing line): not loaded\n'
printf '{"x":1}\n' > notstate.jsonl
check 65 "--seen notstate.jsonl" '' '' 'lp-dedup: notstate.jsonl:1: not an lp-dedup state file (version 1)\n'
printf '{"lp_dedup_state":1,"key":"id"}\n{"of":"a"\n' > badstate.jsonl
check 65 "--seen badstate.jsonl" '' '' "lp-dedup: badstate.jsonl:2: invalid JSON at column 9: '}' expected near end of file\n"
check 2 "--seen state.jsonl" '' '' 'lp-dedup: state.jsonl holds keys of -k title, not -k id\n'
check 74 "--seen missing.jsonl" '' '' "lp-dedup: cannot open 'missing.jsonl': No such file or directory\n"
check 2 '--update-seen' '' '' "lp-dedup: --update-seen needs --seen STATE\n$USAGE"

# --memory: past a third of the budget, a Bloom filter, said so.
"$LP_GEN" -n 30000 --dup-rate 0.2 > mem.jsonl
"$TOOL" --plain --memory 64k --stats mst.json mem.jsonl 2> merr.txt | strip > mo.txt; 
"$TOOL" -q --plain mem.jsonl | strip > exact.txt
expect '--memory switches to a Bloom filter and says so' sh -c "grep -q 'a Bloom filter' merr.txt && grep -q 'false positive rate now' merr.txt && grep -q '\"bloom_from_key\":' mst.json"
expect '--memory: the same records as exact, bar false positives' sh -c "[ \$(wc -l < mo.txt) -le \$(wc -l < exact.txt) ] && [ \$(wc -l < mo.txt) -ge \$(( \$(wc -l < exact.txt) - 30 )) ]"
check 2 '--memory 10' '' '' "lp-dedup: invalid --memory '10' (want a size of at least 4k, like 512M)\n$USAGE"

help_man_agree "$MAN"
finish

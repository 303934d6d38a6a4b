#!/bin/sh
# CLI tests of lp-dedup.  Each "tcase" is one test (see lib.sh):
#   sh tests/cli/lp-dedup.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-dedup
MAN=$HERE/../../man/lp-dedup.1

USAGE="usage: lp-dedup [-qv] [-o file] [-k field[,field...]] [--near] [--threshold t]\n       [--shingle words:k|chars:k] [--keep first|longest|cheapest]\n       [--dropped file] [--mark] [--seen state [--update-seen]]\n       [--memory size] [file ...]\nTry 'lp-dedup --help' for more information.\n"

# strip: records without their lineage, so expectations stay readable.
strip() { sed 's/,"lineage":{[^}]*}\]}//'; }

A='{"id":"1","title":"iPhone  13","price":{"amount":649.99}}'
B='{"id":"2","title":"IPHONE 13","price":{"amount":649.99}}'
C='{"id":"1","title":"Pixel 7","price":{"amount":300.0}}'
D='{"title":"no id","price":{"amount":1}}'
E='{"id":"5","title":"\357\274\251\357\275\220\357\275\210\357\275\217\357\275\216\357\275\205 13"}'
# Near duplicates: an edit away, and two different listings.
N1='{"id":"n1","title":"Apple iPhone 13 128GB Midnight Unlocked Smartphone"}'
N2='{"id":"n2","title":"Apple iPhone 13 128GB Midnight Unlocked Smartphone!!"}'
N3='{"id":"n3","title":"Samsung Galaxy S21 256GB Phantom Grey"}'
N4='{"id":"n4","title":"Apple iPhone 12 64GB Blue Unlocked"}'
# A cluster of five for --keep: k1, k3, k4 and k5 are one listing.
K1='{"id":"k1","title":"Apple iPhone 13 128GB Midnight Unlocked","price":{"amount":500}}'
K2='{"id":"k2","title":"Pixel 7 Pro 256GB Obsidian","price":{"amount":400}}'
K3='{"id":"k3","title":"Apple iPhone 13 128GB Midnight Unlocked Boxed","price":{"amount":450}}'
K4='{"id":"k4","title":"apple iphone 13 128gb midnight unlocked","price":{"amount":300}}'
K5='{"id":"k5","title":"Apple iPhone 13 128GB Midnight Unlocked Boxed","price":{"amount":450}}'

# Fixtures.
fx_abcd() { printf '%s\n' "$A" "$B" "$C" "$D" > in.jsonl; }
fx_near() { printf '%s\n' "$N1" "$N2" "$N3" "$N4" > near.jsonl; }
fx_keep() { printf '%s\n' "$K1" "$K2" "$K3" "$K4" "$K5" > keep.jsonl; }
fx_days() {
	printf '%s\n' "$N1" "$N3" > day1.jsonl &&
	    printf '%s\n' "$N2" "$N3" "$N4" > day2.jsonl
}
fx_state() { # state.jsonl after day 1
	needs days &&
	    "$TOOL" -q --plain --near --seen state.jsonl --update-seen day1.jsonl > /dev/null
}
fx_state2() { # state.jsonl after days 1 and 2
	needs state &&
	    "$TOOL" -q --plain --near --seen state.jsonl --update-seen day2.jsonl > /dev/null
}

# Default key: id.
tcase key.default-id abcd && { # drops the repeated id
	run -f strip "$TOOL" -q --plain in.jsonl
	file_is out "$A" "$B" "$D"
}
# -k title: normalised text (case, spaces, full-width) makes one key.
tcase key.title-normalised && {
	printf '%s\n' "$A" "$B" "$(printf "$E")" > in3.jsonl
	run -f strip "$TOOL" -q --plain -k title in3.jsonl
	status_is 0
	file_is out "$A"
}
# Two fields; a record without the key passes through.
tcase key.two-fields && {
	printf '%s\n' "$A" "$B" "$C" '{"x":1}' > in.jsonl
	run -i in.jsonl -f strip "$TOOL" -q --plain -k title,price.amount --stats st.json
	lines out 3
	has st.json '"in":4,"out":3,"dropped":1,.*"dropped_exact":1,.*"no_key":1'
}

# --dropped names the kept record; --mark keeps all.
tcase dropped.names-kept abcd && { # the duplicate with dup.of
	run "$TOOL" -q --plain -k title --dropped dropped.jsonl in.jsonl
	has dropped.jsonl '^{"id":"2","title":"IPHONE 13","price":{"amount":649.99},"dup":{"of":"1","similarity":1.0,"method":"exact","cluster":"1"},"lineage"'
}
tcase mark.keeps-all abcd && {
	run -f strip "$TOOL" -q --plain -k title --mark in.jsonl
	lines out 4
	has out '"dup":{"of":"1"'
}
tcase mark.no-id-file-line && { # a kept record without id is named by file:line
	printf '%s\n' '{"title":"a"}' '{"title":"A"}' > in.jsonl
	run -i in.jsonl -f strip "$TOOL" -q --plain -k title --mark
	has out '"of":"<stdin>:1"'
}

# Bad input and usage.
tcase bad-json.fail && { # 65 with file:line
	printf '{"id":"1"}\n[1]\n' > in.jsonl
	run -i in.jsonl "$TOOL" -q --plain
	status_is 65
	has_line err 'lp-dedup: <stdin>:2: expected JSON object, got array'
}
tcase bad-json.skip-accounting && {
	printf '{"id":"1"}\n[1]\n{"id":"1"}\n' > in.jsonl
	run -i in.jsonl "$TOOL" -q --plain --on-error=skip --stats st2.json
	status_is 0
	has st2.json '"in":3,"out":1,"dropped":1,"skipped":1'
}
# Like -o, --dropped is kept only when the run succeeds.
tcase dropped.failed-run && { # leaves no --dropped file
	printf '{"id":"1"}\n{"id":"1"}\n[1]\n' > in.jsonl
	run -i in.jsonl "$TOOL" -q --plain --dropped failed.jsonl
	status_is 65
	missing failed.jsonl
	ls > ls.txt
	lacks ls.txt 'failed.jsonl.tmp'
}
tcase usage.mark-dropped && check 2 '--mark --dropped x' '' '' "lp-dedup: --mark keeps every record: it does not go with --dropped\n$USAGE"
tcase usage.bad-key && check 2 '-k ,' '' '' "lp-dedup: invalid --key ',' (want field[,field...])\n$USAGE"
tcase usage.threshold-range && check 2 '--near --threshold 1.5' '' '' "lp-dedup: invalid --threshold '1.5' (want a number in (0, 1])\n$USAGE"
tcase usage.threshold-word && check 2 '--near --threshold x' '' '' "lp-dedup: invalid --threshold 'x' (want a number in (0, 1])\n$USAGE"
tcase usage.bad-shingle && check 2 '--near --shingle bytes:3' '' '' "lp-dedup: invalid --shingle 'bytes:3' (want words:K or chars:K)\n$USAGE"
tcase usage.bad-perms && check 2 '--near --perms 3' '' '' "lp-dedup: invalid --perms '3' (want a whole number from 8 to 1024)\n$USAGE"

# Near duplicates: an edit away is dropped, a different listing is kept;
# the dropped one names its kept twin and the similarity.
tcase near.keeps-distinct near && {
	run -i near.jsonl -f strip "$TOOL" -q --plain --near --dropped nd.jsonl --stats nst.json
	file_is out "$N1" "$N3" "$N4"
	has nd.jsonl '"id":"n2".*"dup":{"of":"n1","similarity":0.9[0-9]*,"method":"near","cluster":"n1"}'
	has nst.json '"dropped_exact":0,"dropped_near":1'
}
tcase near.high-threshold && { # keeps both
	printf '%s\n' "$N1" "$N2" > in.jsonl
	run -i in.jsonl -f strip "$TOOL" -q --plain --near --threshold 0.99
	lines out 2
}
tcase near.word-shingles && {
	printf '%s\n' "$N1" "$N2" > in.jsonl
	run -i in.jsonl -f strip "$TOOL" -q --plain --near --shingle words:2 --threshold 0.7
	lines out 1
}

# Reproducible and streaming-friendly.
tcase generated.reruns && {
	"$LP_GEN" -n 20000 --dup-rate 0.2 > gen.jsonl
	"$TOOL" -q -k title gen.jsonl > r1.gz
	"$TOOL" -q -k title gen.jsonl > r2.gz
	same r1.gz r2.gz                # byte-identical reruns
	n1=$(gzip -dc r1.gz | wc -l)    # generated exact duplicates dropped
	holds [ "$n1" -lt 17000 ]
	holds [ "$n1" -gt 10000 ]
}
# Accuracy on generated repeats (bench/dedup-eval: the issue's bar).
tcase generated.near-accuracy && { # recall >= 0.95, precision >= 0.99
	"$LP_GEN" -n 20000 --label --dup-rate 0.05 --near-rate 0.1 --variant-rate 0.1 > lab.jsonl
	"$TOOL" -q --plain --near --mark lab.jsonl > marked.jsonl
	run -o eval.txt -e eval.txt "$LP_BENCH/dedup-eval" --min-recall 0.95 --min-precision 0.99 marked.jsonl
	status_is 0
	has eval.txt 'recall 0.9[5-9]\|recall 1.0'
}

# --keep longest|cheapest: the cluster's survivor, in input order.
tcase keep.longest keep && { # the longest title, in input order
	run -f strip "$TOOL" -q --plain --near --keep longest --dropped kd.jsonl keep.jsonl
	file_is out "$K2" "$K3"
	# The others name the survivor and the cluster.
	has kd.jsonl '"id":"k1".*"dup":{"of":"k3","similarity":0.[89][0-9]*,"method":"near","cluster":"k1"}'
	has kd.jsonl '"id":"k5".*"dup":{"of":"k3","similarity":1.0,"method":"exact","cluster":"k1"}'
}
tcase keep.cheapest keep && { # the lowest price
	run -f strip "$TOOL" -q --plain --near --keep cheapest keep.jsonl
	file_is out "$K2" "$K4"
}
tcase keep.cheapest-exact keep && { # exact keys: one survivor per key
	run -f strip "$TOOL" -q --plain -k title --keep cheapest keep.jsonl
	file_is out "$K2" "$K3" "$K4"
}
tcase keep.reruns keep && { # --keep longest: byte-identical reruns
	"$TOOL" -q --near --keep longest keep.jsonl > k1.gz
	"$TOOL" -q --near --keep longest keep.jsonl > k2.gz
	same k1.gz k2.gz
}
tcase usage.bad-keep && check 2 '--keep best' '' '' "lp-dedup: invalid --keep 'best' (want first, longest or cheapest)\n$USAGE"
tcase usage.keep-memory && check 2 '--keep longest --memory 1M' '' '' "lp-dedup: --memory bounds a streaming run: --keep longest holds the input anyway\n$USAGE"

# --seen: day 1 makes the state, day 2 sends only what is new.
tcase seen.update-starts-state days && { # --update-seen starts a missing state
	run "$TOOL" -q --plain --near --seen state.jsonl --update-seen day1.jsonl
	status_is 0
	head -1 state.jsonl > first
	file_is first '{"lp_dedup_state":1,"key":"title"}'
	tail -1 state.jsonl > last
	file_is last '{"items":2}'
}
tcase seen.day2 state && { # drops what earlier runs kept
	run -f strip "$TOOL" -q --plain --near --seen state.jsonl --update-seen --dropped d2.jsonl --stats st2.json day2.jsonl
	file_is out "$N4"
	# dup names the earlier record and says seen.
	has d2.jsonl '"id":"n2".*"of":"n1",.*"method":"near","cluster":"n1","seen":true'
	has d2.jsonl '"id":"n3".*"method":"exact".*"seen":true'
	has st2.json '"seen_items":2,.*"state_items":3,.*"dropped_seen":2'
	# --update-seen adds the kept records.
	tail -1 state.jsonl > last
	file_is last '{"items":3}'
	has state.jsonl '"of":"n4"'
}
tcase seen.no-update state2 && { # without --update-seen the state stays
	run -f strip "$TOOL" -q --plain --near --seen state.jsonl day2.jsonl
	empty out
	tail -1 state.jsonl > last
	file_is last '{"items":3}'
}
tcase seen.keep-longest state2 && {
	run -f strip "$TOOL" -q --plain --near --keep longest --seen state.jsonl day2.jsonl
	empty out
}
tcase seen.failed-run state2 && { # leaves the state as it was
	cp state.jsonl st-copy.jsonl
	printf '{"id":"x"}\n[1]\n' > in.jsonl
	run -i in.jsonl "$TOOL" -q --plain --near --seen state.jsonl --update-seen
	status_is 65
	same state.jsonl st-copy.jsonl
}
tcase seen.truncated state2 && {
	head -2 state.jsonl > trunc.jsonl
	check 65 "--near --seen trunc.jsonl" '' '' 'lp-dedup: trunc.jsonl: truncated (no closing line): not loaded\n'
}
tcase seen.not-state && {
	printf '{"x":1}\n' > notstate.jsonl
	check 65 "--seen notstate.jsonl" '' '' 'lp-dedup: notstate.jsonl:1: not an lp-dedup state file (version 1)\n'
}
tcase seen.bad-json && {
	printf '{"lp_dedup_state":1,"key":"id"}\n{"of":"a"\n' > badstate.jsonl
	check 65 "--seen badstate.jsonl" '' '' "lp-dedup: badstate.jsonl:2: invalid JSON at column 9: '}' expected near end of file\n"
}
tcase seen.other-key state2 && check 2 "--seen state.jsonl" '' '' 'lp-dedup: state.jsonl holds keys of -k title, not -k id\n'
tcase seen.missing && check 74 "--seen missing.jsonl" '' '' "lp-dedup: cannot open 'missing.jsonl': No such file or directory\n"
tcase usage.update-seen-alone && check 2 '--update-seen' '' '' "lp-dedup: --update-seen needs --seen STATE\n$USAGE"

# --memory: past a third of the budget, a Bloom filter, said so.
tcase memory.bloom && {
	"$LP_GEN" -n 30000 --dup-rate 0.2 > mem.jsonl
	run -o mo.txt -e merr.txt -f strip "$TOOL" --plain --memory 64k --stats mst.json mem.jsonl
	"$TOOL" -q --plain mem.jsonl | strip > exact.txt
	has merr.txt 'a Bloom filter'
	has merr.txt 'false positive rate now'
	has mst.json '"bloom_from_key":'
	# The same records as exact, bar false positives.
	holds [ "$(lines_of mo.txt)" -le "$(lines_of exact.txt)" ]
	holds [ "$(lines_of mo.txt)" -ge $(($(lines_of exact.txt) - 30)) ]
}
tcase usage.bad-memory && check 2 '--memory 10' '' '' "lp-dedup: invalid --memory '10' (want a size of at least 4k, like 512M)\n$USAGE"
tcase help.man-agree && help_man_agree "$MAN"

finish

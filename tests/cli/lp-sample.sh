#!/bin/sh
# CLI tests of lp-sample.  Each "tcase" is one test (see lib.sh):
#   sh tests/cli/lp-sample.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-sample
MAN=$HERE/../../man/lp-sample.1

USAGE="usage: lp-sample [-qv] [-o file] [--questionable expr] [--random p%%|n]\n       [--stratify field --per-stratum n] [--max n] [--seed s]\n       [--gold file --gold-rate p%% --gold-key file]\n       [--annotators a,b,... [--overlap k]]\n       [--split dir] [--round n] [--rest file] [--drop-ids file]\n       [file ...]\nTry 'lp-sample --help' for more information.\n"

# Fixtures.
fx_rated() { # twelve records r<i>: score (i % 4) + 1, confidence i / 12
	i=0
	: > rated.jsonl
	while [ $i -lt 12 ]; do
		printf '{"id":"r%d","rating":{"score":%d,"confidence":0.%02d},"class":"%s"}\n' \
		    $i $((i % 4 + 1)) $((i * 8)) "$(echo abc | cut -c$((i % 3 + 1)))" >> rated.jsonl
		i=$((i + 1))
	done
}
fx_gen() { # 2000 generated records
	"$LP_GEN" -n 2000 > gen.jsonl
}
fx_gold() { # 20 gold items with their answers, full records as lp-gen's
	i=0
	: > gold.jsonl
	while [ $i -lt 20 ]; do
		printf '{"id":"ebay-uk:2569000%05d","title":"Sony WH %d Black","url":"https://www.ebay.co.uk/itm/2569000%05d","price":{"amount":19.99,"currency":"GBP","text":"£19.99"},"condition":"Used","location":"Leeds","gold":{"score":%d}}\n' $i $i $i $((i % 4 + 1)) >> gold.jsonl
		i=$((i + 1))
	done
}
# The shape of each line of a queue: its keys and brackets in order (values
# gone), then the form of its id (digits as 9).
shapes() {
	while IFS= read -r l; do
		printf '%s\n' "$l" | sed -e 's/"\(\\.\|[^"\\]\)*"\([],}]\)/V\2/g' \
		    -e 's/:[-0-9.eE]*\([],}]\)/:V\1/g' | grep -o '"[^"]*":\|[][{}]' | tr -d '\n'
		printf ' %s\n' "$(printf '%s\n' "$l" | sed 's/^{"id":"\([^"]*\)".*/\1/' | tr 0-9 9999999999)"
	done < "$1"
}
fx_routed() { # 300 items for three annotators, two each, in queues/
	needs gen &&
	    "$TOOL" -q --plain --random 300 --annotators alice,bob,carol --overlap 2 --split queues --round 3 --stats rst.json gen.jsonl > routed.jsonl
}

# --questionable: the records for which it holds, tagged, in order.
tcase questionable.selects rated && {
	run "$TOOL" -q --plain --questionable 'rating.score <= 2 && rating.confidence < 0.5' --rest rest.jsonl rated.jsonl
	grep -o '"id":"r[0-9]*"' out > ids
	file_is ids '"id":"r0"' '"id":"r1"' '"id":"r4"' '"id":"r5"'
	# Selected records say why, with the seed.
	has out '"sample":{"reason":\["questionable"\],"seed":1}'
	# --rest holds the others: nothing lost, nothing twice.
	cat out rest.jsonl | grep -o '"id":"[^"]*"' | sort > got
	grep -o '"id":"[^"]*"' rated.jsonl | sort > want
	same want got
	# Unselected records are not changed (bar lineage).
	lacks rest.jsonl '"sample":'
}
# A malformed expression is a usage error naming the column.
tcase questionable.bad-end && check 2 "--questionable 'rating.score <= 2 ||'" '' '' "lp-sample: invalid --questionable at column 21: expected a value at the end\n  rating.score <= 2 ||\n                      ^\n$USAGE"
tcase questionable.bad-equals && check 2 "--questionable 'a = 1'" '' '' "lp-sample: invalid --questionable at column 3: unexpected '=' (compare with ==)\n  a = 1\n    ^\n$USAGE"

# --random: a share, or exactly N; seeded and reproducible.
tcase random.share gen && { # 10% selects about a tenth
	run "$TOOL" -q --plain --random 10% gen.jsonl
	n=$(lines_of out)
	holds [ "$n" -gt 150 ]
	holds [ "$n" -lt 250 ]
}
tcase random.seeded gen && {
	"$TOOL" -q --random 25 --seed 7 gen.jsonl > a.gz
	"$TOOL" -q --random 25 --seed 7 gen.jsonl > b.gz
	"$TOOL" -q --random 25 --seed 8 gen.jsonl > c.gz
	gzip -dc a.gz > a.jsonl
	lines a.jsonl 25            # exactly N
	same a.gz b.gz              # same seed: byte-identical
	differ a.gz c.gz            # another seed: another sample
	grep -o '"id":"ebay-uk:[0-9]*"' a.jsonl > ids
	holds sort -c ids           # input order kept
}
# Uniformity: 5 of 40 records, 400 seeds; each record is expected 50
# times.  Chi-square with 39 degrees of freedom must stay below 72.05
# (significance 0.001).  The seeds are fixed, so it cannot flake.
tcase random.uniform gen && {
	head -40 gen.jsonl > forty.jsonl
	seed=1
	while [ $seed -le 400 ]; do
		"$TOOL" -q --plain --random 5 --seed $seed forty.jsonl
		seed=$((seed + 1))
	done | grep -o '"id":"[^"]*"' | sort | uniq -c | awk '{ c[NR] = $1 } END {
		if (NR != 40) { print "records never picked"; exit 1 }
		for (i = 1; i <= NR; i++) x += (c[i] - 50) ^ 2 / 50
		printf "chi-square %.2f\n", x; exit !(x < 72.05) }' > chi.txt
	has chi.txt 'chi-square'
	holds awk '{ exit !($2 < 72.05) }' chi.txt
}

# --stratify: up to N per value of the field.
tcase stratify.per-stratum rated && {
	run "$TOOL" -q --plain --stratify rating.score --per-stratum 2 rated.jsonl
	grep -o '"score":[0-9]' out | sort | uniq -c | awk '{ print $1 }' > counts
	file_is counts 2 2 2 2
	has out '"reason":\["stratum"\]'
}
tcase stratify.small-stratum rated && { # gives all it has
	run "$TOOL" -q --plain --stratify class --per-stratum 100 rated.jsonl
	lines out 12
}

# --max: a seeded choice, reasons merged, the rest to --rest.
tcase max.caps rated && {
	run "$TOOL" -q --plain --questionable 'rating.score <= 2' --random 50% --max 4 --rest rest2.jsonl --stats mst.json rated.jsonl
	lines out 4
	lines rest2.jsonl 8
	has mst.json '"in":12,"out":4,"dropped":8,.*"cut_by_max":'
}
tcase max.both-reasons rated && { # a record selected twice says both, once
	run "$TOOL" -q --plain --questionable 'true' --random 100% rated.jsonl
	lines out 12
	has out '"reason":\["questionable","random"\]'
}

# Gold: mixed in at the rate, at random places; answers only in the key.
tcase gold.rate gen gold && {
	run "$TOOL" -q --plain --random 90 --gold gold.jsonl --gold-rate 10% --gold-key key.jsonl --stats gst.json gen.jsonl
	lines out 100
	count out '"id":"ebay-uk:2569000' 10
	has gst.json '"gold_added":10'
	# Gold items read as random checks.
	count out '"id":"ebay-uk:2569000.*"sample":{"reason":\["random"\],"seed":1}' 10
	# Gold items are spread, not bunched.
	first=$(grep -n '"id":"ebay-uk:2569000' out | head -1 | cut -d: -f1)
	last=$(grep -n '"id":"ebay-uk:2569000' out | tail -1 | cut -d: -f1)
	holds [ "${first:-0}" -lt 50 ]
	holds [ "${last:-0}" -gt 50 ]
}
tcase gold.no-answer rated && { # 65, file:line
	printf '{"id":"x"}\n' > nogold.jsonl
	run "$TOOL" -q --plain --random 2 --gold nogold.jsonl --gold-rate 10% --gold-key k.jsonl rated.jsonl
	status_is 65
	has_line err 'lp-sample: nogold.jsonl:1: a gold item needs its answer in "gold"'
}
tcase gold.too-few gen gold && { # all used, said so
	run "$TOOL" --plain --random 50 --gold gold.jsonl --gold-rate 90% --gold-key key.jsonl gen.jsonl
	has_line err 'lp-sample: gold.jsonl holds 20 gold items, 450 wanted for --gold-rate: all are used'
	count out '"id":"ebay-uk:2569000' 20
	lines key.jsonl 20
}

# Gold hidden: nothing in a queue tells a gold item from a real one; the
# answers are in the key file alone.
tcase gold-hidden.no-answer-in-queue gen gold && {
	run "$TOOL" -q --plain --random 90 --gold gold.jsonl --gold-rate 10% --gold-key key.jsonl --annotators a,b --split q gen.jsonl
	status_is 0
	lacks out '"gold"'
	lacks q/a.jsonl '"gold"'
	lacks q/b.jsonl '"gold"'
	lines key.jsonl 10
	count key.jsonl '^{"id":"ebay-uk:2569000[0-9]*","gold":{"score":[1-4]}}$' 10
	holds test "$(stat -c %a key.jsonl)" = 600
}
tcase gold-hidden.same-fields-and-ids gen gold && {
	run "$TOOL" -q --plain --random 90 --gold gold.jsonl --gold-rate 10% --gold-key key.jsonl gen.jsonl
	sed 's/^{"id":"\([^"]*\)".*/\1/' key.jsonl > gold.ids
	grep -F -f gold.ids out > gold.out
	grep -v -F -f gold.ids out > real.out
	lines gold.out 10
	shapes gold.out | sort -u > gold.shapes
	shapes real.out | sort -u > real.shapes
	# One shape for all, the same for gold and real items.
	lines gold.shapes 1
	same real.shapes gold.shapes
}
tcase gold-hidden.stands-out gen && { # a gold item unlike the others: 65
	printf '{"id":"gold:1","title":"x","gold":{"label":1}}\n' > g.jsonl
	run "$TOOL" -q --plain --random 90 --gold g.jsonl --gold-rate 1% --gold-key k.jsonl gen.jsonl
	status_is 65
	has_line err "lp-sample: g.jsonl: gold item 'gold:1' would stand out: no field 'url'"
	missing k.jsonl
}
tcase gold-hidden.id-form gen && {
	printf '{"id":"gold:1","title":"x","url":"u","price":{"amount":1,"currency":"GBP","text":"1"},"condition":"Used","location":"Leeds","gold":{"label":1}}\n' > g.jsonl
	run "$TOOL" -q --plain --random 90 --gold g.jsonl --gold-rate 1% --gold-key k.jsonl gen.jsonl
	status_is 65
	has_line err "lp-sample: g.jsonl: gold item 'gold:1' would stand out: id 'gold:1' unlike the items' ids (ebay-uk:999999999999)"
}
tcase gold-hidden.drop-ids gen gold && { # the released dataset: no gold rows
	"$TOOL" -q --plain --random 90 --gold gold.jsonl --gold-rate 10% --gold-key key.jsonl gen.jsonl > q.jsonl
	run "$TOOL" -q --plain --drop-ids key.jsonl --stats d.json q.jsonl
	status_is 0
	lines out 90
	lacks out '"id":"ebay-uk:2569000'
	has d.json '"in":100,"out":90,"dropped":10'
}

# Routing: balanced, every pair meets, one queue per annotator.
tcase routing.balanced routed && { # each gets 200 of 300 items
	count routed.jsonl '"alice"' 200
	lines queues/alice.jsonl 200
	count routed.jsonl '"bob"' 200
	lines queues/bob.jsonl 200
	count routed.jsonl '"carol"' 200
	lines queues/carol.jsonl 200
	has rst.json '"assigned_alice":200,"assigned_bob":200,"assigned_carol":200'
}
tcase routing.pairs-meet routed && {
	count routed.jsonl '"assignees":\["alice","bob"\]' 100
	count routed.jsonl '"assignees":\["alice","carol"\]' 100
	count routed.jsonl '"assignees":\["bob","carol"\]' 100
}
tcase routing.round-and-queues routed && {
	count routed.jsonl '"round":3' 300
	# The queues hold the same bytes as the output.
	grep '"alice"' routed.jsonl > alice.want
	same alice.want queues/alice.jsonl
}
tcase routing.split-gzip gen && { # gzip queues by default
	"$TOOL" -q --random 300 --annotators alice,bob,carol --overlap 2 --split q2 gen.jsonl > /dev/null
	gzip -dc q2/bob.jsonl.gz > bob.jsonl
	lines bob.jsonl 200
}

# The sampling frame goes to the audit log.
tcase audit.sample-frame rated && {
	run "$TOOL" -q --plain --random 5 --seed 42 --audit audit.log rated.jsonl
	has audit.log '"event":"sample_frame".*"seed":42,"random":"5".*"in":12,"selected":5'
}

# Usage errors and bad input.
tcase usage.nothing && check 2 '' '' '' "lp-sample: nothing to select: give --questionable, --random or --stratify\n$USAGE"
tcase usage.stratify-alone && check 2 '--stratify class' '' '' "lp-sample: --stratify and --per-stratum go together\n$USAGE"
tcase usage.gold-alone && check 2 '--random 5 --gold g.jsonl' '' '' "lp-sample: --gold, --gold-rate and --gold-key go together\n$USAGE"
tcase usage.gold-without-key && check 2 '--random 5 --gold g.jsonl --gold-rate 5%' '' '' "lp-sample: --gold, --gold-rate and --gold-key go together\n$USAGE"
tcase usage.bad-random && check 2 '--random x' '' '' "lp-sample: invalid --random 'x' (want a whole number from 0 to 100000000)\n$USAGE"
tcase usage.bad-gold-rate && check 2 '--random 5 --gold g --gold-rate 100%' '' '' "lp-sample: invalid --gold-rate '100%%' (want a share like 5%%, below 100%%)\n$USAGE"
tcase usage.overlap-too-big && check 2 '--random 5 --annotators a,b --overlap 3' '' '' "lp-sample: --overlap 3 is more than the 2 annotators\n$USAGE"
tcase usage.annotator-twice && check 2 '--random 5 --annotators a,a' '' '' "lp-sample: annotator 'a' named twice\n$USAGE"
tcase usage.bad-annotator && check 2 "--random 5 --annotators 'a/b'" '' '' "lp-sample: invalid annotator 'a/b' (1 to 64 of A-Z a-z 0-9 . _ @ + -, not starting with '.' or '-')\n$USAGE"
tcase usage.split-alone && check 2 '--random 5 --split d' '' '' "lp-sample: --split needs --annotators\n$USAGE"
tcase usage.bad-seed && check 2 '--random 5 --seed -1' '' '' "lp-sample: invalid --seed '-1' (want a whole number)\n$USAGE"
tcase bad-json.array && check 65 '-q --plain --random 5' '{"id":1}\n[2]\n' '' 'lp-sample: <stdin>:2: expected JSON object, got array\n'
tcase help.man-agree && help_man_agree "$MAN"

finish

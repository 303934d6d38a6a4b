#!/bin/sh
# CLI tests of lp-sample.
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-sample
MAN=$(dirname "$0")/../../man/lp-sample.1

USAGE="usage: lp-sample [-qv] [-o file] [--questionable expr] [--random p%%|n]\n       [--stratify field --per-stratum n] [--max n] [--seed s]\n       [--gold file --gold-rate p%%] [--annotators a,b,... [--overlap k]]\n       [--split dir] [--round n] [--rest file] [file ...]\nTry 'lp-sample --help' for more information.\n"

# Twelve rated records: r<i> with score (i % 4) + 1, confidence i / 12.
i=0
: > rated.jsonl
while [ $i -lt 12 ]; do
	printf '{"id":"r%d","rating":{"score":%d,"confidence":0.%02d},"class":"%s"}\n' \
	    $i $((i % 4 + 1)) $((i * 8)) "$(echo abc | cut -c$((i % 3 + 1)))" >> rated.jsonl
	i=$((i + 1))
done
ids() { grep -o '"id":"[^"]*"' "$@" | sort; }

# --questionable: the records for which it holds, tagged, in order.
"$TOOL" -q --plain --questionable 'rating.score <= 2 && rating.confidence < 0.5' --rest rest.jsonl rated.jsonl > q.jsonl
expect 'questionable selects by the expression' sh -c "[ \"\$(grep -o '\"id\":\"r[0-9]*\"' q.jsonl | tr -d '\\n')\" = '\"id\":\"r0\"\"id\":\"r1\"\"id\":\"r4\"\"id\":\"r5\"' ]"
expect 'selected records say why, with the seed' grep -q '"sample":{"reason":\["questionable"\],"seed":1}' q.jsonl
expect '--rest holds the others: nothing lost, nothing twice' sh -c "[ \"\$(cat q.jsonl rest.jsonl | grep -o '\"id\":\"[^\"]*\"' | sort)\" = \"\$(grep -o '\"id\":\"[^\"]*\"' rated.jsonl | sort)\" ]"
expect 'unselected records are not changed (bar lineage)' sh -c "! grep -q '\"sample\":' rest.jsonl"

# A malformed expression is a usage error naming the column.
check 2 "--questionable 'rating.score <= 2 ||'" '' '' "lp-sample: invalid --questionable at column 21: expected a value at the end\n  rating.score <= 2 ||\n                      ^\n$USAGE"
check 2 "--questionable 'a = 1'" '' '' "lp-sample: invalid --questionable at column 3: unexpected '=' (compare with ==)\n  a = 1\n    ^\n$USAGE"

# --random: a share, or exactly N; seeded and reproducible.
"$LP_GEN" -n 2000 > gen.jsonl
n=$("$TOOL" -q --plain --random 10% gen.jsonl | wc -l)
expect '--random 10% selects about a tenth' sh -c "[ $n -gt 150 ] && [ $n -lt 250 ]"
"$TOOL" -q --random 25 --seed 7 gen.jsonl > a.gz
"$TOOL" -q --random 25 --seed 7 gen.jsonl > b.gz
"$TOOL" -q --random 25 --seed 8 gen.jsonl > c.gz
expect '--random N: exactly N' sh -c "[ \$(gzip -dc a.gz | wc -l) = 25 ]"
expect 'same seed: byte-identical' cmp -s a.gz b.gz
expect 'another seed: another sample' sh -c "! cmp -s a.gz c.gz"
expect '--random N keeps input order' sh -c "gzip -dc a.gz | grep -o '\"id\":\"ebay-uk:[0-9]*\"' | sort -c"

# Uniformity: 5 of 40 records, 400 seeds; each record is expected 50
# times.  Chi-square with 39 degrees of freedom must stay below 72.05
# (significance 0.001).  The seeds are fixed, so it cannot flake.
head -40 gen.jsonl > forty.jsonl
seed=1
while [ $seed -le 400 ]; do
	"$TOOL" -q --plain --random 5 --seed $seed forty.jsonl
	seed=$((seed + 1))
done | grep -o '"id":"[^"]*"' | sort | uniq -c | awk '{ c[NR] = $1 } END {
	if (NR != 40) { print "records never picked"; exit 1 }
	for (i = 1; i <= NR; i++) x += (c[i] - 50) ^ 2 / 50
	printf "chi-square %.2f\n", x; exit !(x < 72.05) }' > chi.txt
expect "--random N is uniform ($(cat chi.txt))" grep -q 'chi-square' chi.txt
expect 'chi-square below the 0.001 critical value' sh -c "awk '{ exit !(\$2 < 72.05) }' chi.txt"

# --stratify: up to N per value of the field.
"$TOOL" -q --plain --stratify rating.score --per-stratum 2 rated.jsonl > st.jsonl
expect '--stratify: 2 per score' sh -c "[ \"\$(grep -o '\"score\":[0-9]' st.jsonl | sort | uniq -c | awk '{print \$1}' | tr -d '\\n')\" = 2222 ]"
expect '--stratify: reason stratum' grep -q '"reason":\["stratum"\]' st.jsonl
"$TOOL" -q --plain --stratify class --per-stratum 100 rated.jsonl > st2.jsonl
expect '--stratify: a small stratum gives all it has' sh -c "[ \$(wc -l < st2.jsonl) = 12 ]"

# --max: a seeded choice, reasons merged, the rest to --rest.
"$TOOL" -q --plain --questionable 'rating.score <= 2' --random 50% --max 4 --rest rest2.jsonl --stats mst.json rated.jsonl > m.jsonl
expect '--max caps the total' sh -c "[ \$(wc -l < m.jsonl) = 4 ] && [ \$(wc -l < rest2.jsonl) = 8 ]"
expect '--max: stats' grep -q '"in":12,"out":4,"dropped":8,.*"cut_by_max":' mst.json
"$TOOL" -q --plain --questionable 'true' --random 100% rated.jsonl > both.jsonl
expect 'a record selected twice says both reasons, once' sh -c "[ \$(wc -l < both.jsonl) = 12 ] && grep -q '\"reason\":\[\"questionable\",\"random\"\]' both.jsonl"

# Gold: mixed in at the rate, at random places, answers kept in gold.
i=0
: > gold.jsonl
while [ $i -lt 20 ]; do
	printf '{"id":"ebay-uk:9%05d","title":"gold %d","gold":{"score":%d}}\n' $i $i $((i % 4 + 1)) >> gold.jsonl
	i=$((i + 1))
done
"$TOOL" -q --plain --random 90 --gold gold.jsonl --gold-rate 10% --stats gst.json gen.jsonl > g.jsonl
expect 'gold: 10 of 100 items' sh -c "[ \$(wc -l < g.jsonl) = 100 ] && [ \$(grep -c '\"gold\":{' g.jsonl) = 10 ] && grep -q '\"gold_added\":10' gst.json"
expect 'gold items keep their answer and read as random checks' sh -c "[ \$(grep -c '\"gold\":{\"score\":[0-9]},\"sample\":{\"reason\":\[\"random\"\],\"seed\":1}' g.jsonl) = 10 ]"
first=$(grep -n '"gold":{' g.jsonl | head -1 | cut -d: -f1)
last=$(grep -n '"gold":{' g.jsonl | tail -1 | cut -d: -f1)
expect "gold items are spread, not bunched ($first..$last)" sh -c "[ $first -lt 50 ] && [ $last -gt 50 ]"
printf '{"id":"x"}\n' > nogold.jsonl
"$TOOL" -q --plain --random 2 --gold nogold.jsonl --gold-rate 10% rated.jsonl > /dev/null 2> e.txt; st=$?
expect 'a gold item without its answer: 65, file:line' sh -c "[ $st = 65 ] && grep -qx 'lp-sample: nogold.jsonl:1: a gold item needs its answer in \"gold\"' e.txt"
"$TOOL" --plain --random 50 --gold gold.jsonl --gold-rate 90% rated.jsonl 2> e.txt > few.jsonl
expect 'too few gold items: all used, said so' sh -c "grep -qx 'lp-sample: gold.jsonl holds 20 gold items, 108 wanted for --gold-rate: all are used' e.txt && [ \$(grep -c '\"gold\":{' few.jsonl) = 20 ]"

# Routing: balanced, every pair meets, one queue per annotator.
"$TOOL" -q --plain --random 300 --annotators alice,bob,carol --overlap 2 --split queues --round 3 --stats rst.json gen.jsonl > routed.jsonl
for a in alice bob carol; do
	expect "$a gets 200 of 300 items" sh -c "[ \$(grep -c '\"$a\"' routed.jsonl) = 200 ] && [ \$(wc -l < queues/$a.jsonl) = 200 ]"
done
for p in '"alice","bob"' '"alice","carol"' '"bob","carol"'; do
	expect "pair $p meets" sh -c "[ \$(grep -c '\"assignees\":\[$p\]' routed.jsonl) = 100 ]"
done
expect '--round stamps the round' sh -c "[ \$(grep -c '\"round\":3' routed.jsonl) = 300 ]"
expect 'queues hold the same bytes as the output' sh -c "grep '\"alice\"' routed.jsonl | cmp -s - queues/alice.jsonl"
expect 'stats: assigned per annotator' grep -q '"assigned_alice":200,"assigned_bob":200,"assigned_carol":200' rst.json
"$TOOL" -q --random 300 --annotators alice,bob,carol --overlap 2 --split q2 gen.jsonl > /dev/null
expect '--split: gzip queues by default' sh -c "[ \$(gzip -dc q2/bob.jsonl.gz | wc -l) = 200 ]"

# The sampling frame goes to the audit log.
"$TOOL" -q --plain --random 5 --seed 42 --audit audit.log rated.jsonl > /dev/null
expect 'audit: sample_frame with seed, rules and counts' grep -q '"event":"sample_frame".*"seed":42,"random":"5".*"in":12,"selected":5' audit.log

# Usage errors.
check 2 '' '' '' "lp-sample: nothing to select: give --questionable, --random or --stratify\n$USAGE"
check 2 '--stratify class' '' '' "lp-sample: --stratify and --per-stratum go together\n$USAGE"
check 2 '--random 5 --gold g.jsonl' '' '' "lp-sample: --gold and --gold-rate go together\n$USAGE"
check 2 '--random x' '' '' "lp-sample: invalid --random 'x' (want a whole number from 0 to 100000000)\n$USAGE"
check 2 '--random 5 --gold g --gold-rate 100%' '' '' "lp-sample: invalid --gold-rate '100%%' (want a share like 5%%, below 100%%)\n$USAGE"
check 2 '--random 5 --annotators a,b --overlap 3' '' '' "lp-sample: --overlap 3 is more than the 2 annotators\n$USAGE"
check 2 '--random 5 --annotators a,a' '' '' "lp-sample: annotator 'a' named twice\n$USAGE"
check 2 "--random 5 --annotators 'a/b'" '' '' "lp-sample: invalid annotator 'a/b' (1 to 64 of A-Z a-z 0-9 . _ @ + -, not starting with '.' or '-')\n$USAGE"
check 2 '--random 5 --split d' '' '' "lp-sample: --split needs --annotators\n$USAGE"
check 2 '--random 5 --seed -1' '' '' "lp-sample: invalid --seed '-1' (want a whole number)\n$USAGE"
check 65 '-q --plain --random 5' '{"id":1}\n[2]\n' '' 'lp-sample: <stdin>:2: expected JSON object, got array\n'

help_man_agree "$MAN"
finish

#!/bin/sh
# examples/Makefile: the whole pipeline builds; with SOURCE_DATE_EPOCH a
# second build (make -j) gives byte-identical files; make reruns only what
# a change touches; the gates pass.  The stand-in server plays the LLM.
. "$(dirname "$0")/cli/lib.sh"
EX=${LP_SRCDIR:?}/examples
export SOURCE_DATE_EPOCH=1764547200
standin_start
export LP_API_BASE=$STANDIN_URL/v1 LP_API_KEY=stand-in
unset OPENAI_API_KEY

build() {
	make -s -C "$EX" BUILD="${LP_BINDIR%/tests}" OUT="$1" -j 4 > "$1.log" 2>&1
}
build "$T/a"
expect 'make: the whole pipeline builds' test $? = 0
build "$T/b"
expect 'make -j again: it builds' test $? = 0
(cd "$T/a" && sha256sum *.gz *.json *.txt *.html) > a.sums
(cd "$T/b" && sha256sum *.gz *.json *.txt *.html) > b.sums
expect 'SOURCE_DATE_EPOCH: every file byte-identical' cmp -s a.sums b.sums
expect 'every stage made (10 data files, 3 reports)' test "$(wc -l < a.sums)" = 13
make -s -q -C "$EX" BUILD="${LP_BINDIR%/tests}" OUT="$T/a"
expect 'make -q: up to date' test $? = 0
# A new review queue reruns the reviews and what follows, nothing before.
touch "$T/a/review.jsonl.gz"
make -n -C "$EX" BUILD="${LP_BINDIR%/tests}" OUT="$T/a" |
    grep -o 'tools/lp-[a-z]*' | sort | uniq -c |
    awk '{ printf "%s %s ", $1, $2 }' > rerun.txt
expect 'a newer review queue: only the reviews, adjudication and KPIs again' test "$(cat rerun.txt)" = '3 tools/lp-kpi 3 tools/lp-label '
make -s -C "$EX" BUILD="${LP_BINDIR%/tests}" OUT="$T/a" gates > gates.txt 2>&1
expect 'the gates pass' test $? = 0
expect 'the gates are reported' grep -q '^gate agreement.percent *pass' gates.txt
finish

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
# No personal data past lp-clean: no seller's name (the scraped listings
# have them), no e-mail address, no phone number in any later file.
expect 'the scraped listings name the sellers' sh -c "zcat '$T/a/listings.jsonl.gz' | grep -q '\"seller\":\"gadgetsuk\"'"
expect 'the demo key is private' test "$(stat -c %a "$T/a/demo.key")" = 600
(cd "$T/a" && for f in *.gz; do
	[ "$f" = listings.jsonl.gz ] || zcat "$f"
done && cat *.json *.txt *.html) > final.txt
expect 'the final outputs hold data' test -s final.txt
for seller in bargainbin camera-world gadgetsuk phonehub sneaker.store tech_outlet_uk; do
	expect "no seller's name in the final outputs: $seller" sh -c "! grep -qF '$seller' final.txt"
done
expect 'every seller pseudonymised' sh -c "! grep -q '\"seller\":\"[^p]' final.txt"
expect 'no e-mail address in the final outputs' sh -c "! grep -qE '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}' final.txt"
expect 'no phone number in the final outputs' sh -c "! grep -qE '(^|[^0-9.])(\+44 ?|0)[1-9][0-9]{2,3} ?[0-9]{3} ?[0-9]{3,4}([^0-9]|\$)' final.txt"
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

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
# The reports show each stage's wall time, speed and memory, which vary
# from run to run: those figures (and the stats files) are left out of the
# comparison, everything else must be the same bytes.
sums() {
	(cd "$1" && sha256sum *.gz &&
	    sed 's/"runs":{\("[^"]*":{[^}]*},\{0,1\}\)*}//' kpi.json | sha256sum &&
	    awk '/^stages /{s=1;next} s&&/^  /{next} {s=0;print}' kpi.txt | sha256sum &&
	    grep -v '^<tr class="run">' report.html | sha256sum)
}
sums "$T/a" > a.sums
sums "$T/b" > b.sums
expect 'SOURCE_DATE_EPOCH: every file byte-identical (bar run figures)' cmp -s a.sums b.sums
expect 'every stage made (11 data files, 3 reports)' test "$(wc -l < a.sums)" = 14
expect 'the run figures are in the reports' grep -q '"runs":{"lp-scrape":{"wall_s":' "$T/a/kpi.json"
expect 'each stage in the text report' test "$(awk '/^stages /{s=1;next} s&&/^  /{n++} END{print n}' "$T/a/kpi.txt")" = 9
expect 'the reject rate is measured, not skipped' grep -q '^gate rejects.rate  *pass < 0.01 (value 0)' "$T/a/kpi.txt"
expect 'the gates are in the HTML report' grep -q '<h2 id="gates">Quality gates</h2>' "$T/a/report.html"
expect 'the HTML report opens with the verdict' grep -q '^<header class="banner v-\(pass\|fail\)" id="verdict"><p class="verdict">\(PASS\|FAIL\)</p><p>[0-9]* of 3 gates failed</p>' "$T/a/report.html"
expect 'every gate in the verdict banner' test "$(grep -c '^<li><a href="#[a-z-]*">\(rejects.rate\|agreement.percent\|gold.accuracy\)</a>' "$T/a/report.html")" = 3
expect 'the HTML report has charts over time' grep -q '<title>Agreement per day: alpha and Fleiss' "$T/a/report.html"
expect 'the HTML report has agreement per class, by name' grep -q '<title>Agreement per class.*>correct (4)<' "$T/a/report.html"
expect 'the gates are in the JSON report' grep -q '"gates":\[{"metric":"rejects.rate"' "$T/a/kpi.json"
# Gold: hidden in the queue (no answer in it), answers in the key alone,
# no gold row in the released dataset.
expect 'no gold answer in the review queue' sh -c "! zcat '$T/a/review.jsonl.gz' | grep -q '\"gold\"'"
expect 'the gold key is private' test "$(stat -c %a "$T/a/gold.key")" = 600
expect 'the gold key holds the answers' test "$(grep -c '"gold":{"label":' "$T/a/gold.key")" = 5
sed 's/^{"id":"\([^"]*\)".*/"id":"\1"/' "$T/a/gold.key" > gold.ids
expect 'the gold items are in the queue' test "$(zcat "$T/a/review.jsonl.gz" | grep -c -F -f gold.ids)" = 5
expect 'no gold row in the released dataset' sh -c "! zcat '$T/a/dataset.jsonl.gz' | grep -q -F -f gold.ids"
expect 'the released dataset: the adjudicated records less the gold' test "$(zcat "$T/a/dataset.jsonl.gz" | wc -l)" = "$(($(zcat "$T/a/adjudicated.jsonl.gz" | wc -l) - 5))"
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
# lp-audit's scan agrees: the released dataset scans clean, and the
# scraped listings (before lp-clean) do not.
"${LP_BINDIR%/tests}/tools/lp-audit" -q pii-scan "$T/a/dataset.jsonl.gz" > scan.json
expect 'lp-audit pii-scan: the released dataset scans clean' test $? = 0
expect 'lp-audit pii-scan: nothing in any field' grep -q '"records_with_pii":0,' scan.json
"${LP_BINDIR%/tests}/tools/lp-audit" -q pii-scan "$T/a/listings.jsonl.gz" > scan-raw.json
expect 'lp-audit pii-scan: the scraped listings name their sellers' test $? = 1
make -s -q -C "$EX" BUILD="${LP_BINDIR%/tests}" OUT="$T/a"
expect 'make -q: up to date' test $? = 0
# A new review queue reruns the reviews and what follows, nothing before.
touch "$T/a/review.jsonl.gz"
make -n -C "$EX" BUILD="${LP_BINDIR%/tests}" OUT="$T/a" |
    grep -o 'tools/lp-[a-z]*' | sort | uniq -c |
    awk '{ printf "%s %s ", $1, $2 }' > rerun.txt
expect 'a newer review queue: only the reviews, adjudication, release and KPIs again' test "$(cat rerun.txt)" = '4 tools/lp-kpi 3 tools/lp-label 1 tools/lp-sample '
make -s -C "$EX" BUILD="${LP_BINDIR%/tests}" OUT="$T/a" gates > gates.txt 2>&1
expect 'the gates pass' test $? = 0
expect 'the gates are reported' grep -q '^gate agreement.percent *pass' gates.txt
# A failed stage raises the alert a failed gate does: here the LLM refuses
# every call (401: lp-translate exits 69); the stand-in logs the alert.
standin_stop
standin_start --status 401 --log hook.log
make -s -C "$EX" BUILD="${LP_BINDIR%/tests}" OUT="$T/c" \
    LP_API_BASE="$STANDIN_URL/v1" ALERT_URL="$STANDIN_URL/hooks/build" > c.log 2>&1
expect 'a failed stage fails the build' test $? -ne 0
expect 'the stage said why' grep -q '^lp-translate: the API cannot be used' c.log
expect 'a failed stage: one alert' test "$(grep -c '"path":"/hooks/build"' hook.log)" = 1
expect 'the alert names the stage, its status and its first error line' \
    grep -q '"text":"lp-kpi: stage translate failed with status 69\\n• lp-translate: ' hook.log
expect 'the alert has the fields' grep -q '"stage":"translate","status":69,"error":"lp-translate: ' hook.log
finish

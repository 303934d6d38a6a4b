#!/bin/sh
# CLI tests of lp-kpi.
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-kpi
MAN=$(dirname "$0")/../../man/lp-kpi.1

USAGE="usage: lp-kpi [-qv] [--json | --markdown] [--html file]\n       [--gates file | --no-gates] [--alert-url url] [--baseline file]\n       [--run-stats file] [--by key] [--over day|week] [--field path]\n       [--bootstrap n] [--seed s] [--verify-audit file]\n       [--openlineage file] [file ...]\nTry 'lp-kpi --help' for more information.\n"

# Wikipedia's Cohen's kappa table as labels: 20 yes-yes, 5 yes-no, 10
# no-yes, 15 no-no; kappa 0.4, agreement 0.7.  Every fifth item is gold
# ("yes"); alice's label is the judge's score.
awk 'BEGIN {
	for (i = 0; i < 50; i++) {
		a = i < 25 ? "yes" : "no"
		b = (i < 20 || (i >= 25 && i < 35)) ? "yes" : "no"
		gold = i % 5 == 0 ? ",\"gold\":{\"label\":\"yes\"}" : ""
		printf "{\"id\":\"i%d\",\"title\":\"t\",\"rating\":{\"score\":\"%s\",\"confidence\":%s}%s,\"labels\":[{\"annotator_id\":\"alice\",\"label\":\"%s\",\"time_to_label_ms\":3600}],\"lineage\":{\"steps\":[{\"tool\":\"lp-rate\",\"at\":1000},{\"tool\":\"lp-label\",\"at\":%d}]}}\n", i, a, i < 25 ? "0.95" : "0.55", gold, a, 2000 + i * 10 > "alice.jsonl"
		printf "{\"id\":\"i%d\",\"title\":\"t\",\"labels\":[{\"annotator_id\":\"bob\",\"label\":\"%s\",\"time_to_label_ms\":7200}]}\n", i, b > "bob.jsonl"
	}
}'
"$TOOL" -q --json --bootstrap 0 --no-gates alice.jsonl bob.jsonl > k.json; st=$?
expect 'kappa of the textbook table: 0.4, agreement 0.7' sh -c "[ $st = 0 ] && grep -q '\"percent\":0.7,' k.json && grep -q '\"a\":\"alice\",\"b\":\"bob\",\"items\":50,\"kappa\":0.4,' k.json"
expect 'PABAK and the confusion matrix' sh -c "grep -q '\"pabak\":0.4,.*\"confusion\":\[\[15,10\],\[5,20\]\]' k.json"
expect 'classes in order' grep -q '"classes":\["\\"no\\"","\\"yes\\""\]' k.json
# gold "yes" on items 0,5,...,45: alice says yes on 0-24 (5 of 10), bob on
# 0-19 and 25-34 (4 + 2 = 6 of 10).
expect 'gold accuracy per annotator' grep -q '"gold":{"items_labelled":20,"accuracy":0.55,"by_annotator":{"alice":0.5,"bob":0.6}}' k.json
expect 'throughput per annotator' grep -q '"throughput":{"alice":{"labels":50,"per_hour":1000.0},"bob":{"labels":50,"per_hour":500.0}}' k.json
expect 'the judge against the humans, calibrated per confidence tenth' grep -q '"judge":{"items":50,"kappa_vs_humans":[0-9.-]*,"calibration":\[{"from":0.5,"to":0.6,"items":25,"accuracy":[0-9.]*},{"from":0.9,"to":1.0,"items":25,' k.json
expect 'kappa per class' grep -q '"kappa_per_class":{"\\"no\\"":0.4,"\\"yes\\"":0.4}' k.json
expect 'latency per stage' grep -q '"latency_ms":{"lp-label":{"p50":1240.0,"p95":1470.0,"max":1490.0,"n":50}' k.json
expect 'no NaN anywhere' sh -c "! grep -qi nan k.json"

# Bootstrap intervals: seeded, so reruns agree; the estimate inside.
"$TOOL" -q --json --bootstrap 300 --seed 5 alice.jsonl bob.jsonl > b1.json
"$TOOL" -q --json --bootstrap 300 --seed 5 alice.jsonl bob.jsonl > b2.json
expect 'bootstrap: reproducible' cmp -s b1.json b2.json
expect 'bootstrap: an interval' grep -q '"kripp_alpha_nominal_ci95":\[0\.[0-9]*,0\.[0-9]*\]' b1.json

# One annotator: agreement is undefined, said so.
"$TOOL" -q alice.jsonl > one.txt
expect 'one annotator: undefined, not NaN' sh -c "grep -q '^  agreement  *fewer than two annotators' one.txt && ! grep -qi nan one.txt"
"$TOOL" -q --json alice.jsonl > one.json
expect 'one annotator in JSON' grep -q '"undefined":"fewer than two annotators"' one.json

# Gates: pass, fail (exit 1), undefined (fails), bad files.
printf '[{"metric":"agreement.percent","op":">=","value":0.7},{"metric":"gold.accuracy","op":">","value":0.5}]\n' > pass.json
"$TOOL" -q --bootstrap 0 --gates pass.json alice.jsonl bob.jsonl > g.txt; st=$?
expect 'gates that hold: exit 0' sh -c "[ $st = 0 ] && grep -q '^gate agreement.percent *pass >= 0.7 (value 0.7)' g.txt"
printf '{"gates":[{"metric":"agreement.percent","op":">","value":0.85},{"metric":"agreement.fleiss_kappa","op":">","value":0.3}]}\n' > fail.json
"$TOOL" -q --bootstrap 0 --gates fail.json alice.jsonl bob.jsonl > g.txt; st=$?
expect 'a failed gate: exit 1, FAIL with value and threshold' sh -c "[ $st = 1 ] && grep -q '^gate agreement.percent *FAIL > 0.85 (value 0.7)' g.txt"
"$TOOL" -q --gates fail.json alice.jsonl > g.txt; st=$?
expect 'a gate on an undefined metric fails' sh -c "[ $st = 1 ] && grep -q 'FAIL > 0.3 (value undefined' g.txt"
printf '[{"metric":"x","op":"~","value":1}]\n' > bad.json
check 65 '-q --gates bad.json' '' '' 'lp-kpi: bad.json: gate 1 needs metric, op (< <= > >=) and a number\n'
printf '[{"metric":' > broken.json
check 65 '-q --gates broken.json' '' '' 'lp-kpi: broken.json:1: unexpected token near end of file\n'
"$TOOL" -q --bootstrap 0 --gates fail.json --audit audit.log alice.jsonl bob.jsonl > /dev/null
expect 'each gate goes to the audit log' sh -c "[ \$(grep -c '\"event\":\"gate\"' audit.log) = 2 ]"

# The audit chain: intact, then tampered.
"$TOOL" --verify-audit audit.log < /dev/null > /dev/null 2> v.txt; st=$?
expect '--verify-audit: an intact chain' sh -c "[ $st = 0 ] && grep -q 'the hash chain holds' v.txt"
sed '2s/"gate"/"GATE"/' audit.log > tampered.log
"$TOOL" --verify-audit tampered.log < /dev/null > /dev/null 2> v.txt; st=$?
expect '--verify-audit: the first broken line' sh -c "[ $st = 1 ] && grep -q '^lp-kpi: tampered.log:3: hash chain broken' v.txt"

# Drift against a baseline report.
"$TOOL" -q --json --bootstrap 0 alice.jsonl bob.jsonl > base.json
"$TOOL" -q --json --bootstrap 0 --baseline base.json alice.jsonl bob.jsonl > same.json
expect 'no drift against itself' grep -q '"drift":{"rating.score":{"psi":0.0,"js":0.0,"shift":false}' same.json
sed 's/"label":"no"/"label":"yes"/' bob.jsonl > bob2.jsonl
"$TOOL" -q --bootstrap 0 --baseline base.json alice.jsonl bob2.jsonl > d.txt
expect 'a shifted label distribution and a drop in agreement are flagged' sh -c "grep -q '^drift labels .*SHIFT' d.txt && grep -q '^drift agreement.percent .*-0.*SHIFT' d.txt"
printf '{"records":"x"}\n' > notkpi.json
check 65 '-q --baseline notkpi.json alice.jsonl' '' '' 'lp-kpi: notkpi.json: not an lp-kpi --json report\n'

# Reject rates from the tools' --stats files.
printf '{"in":1000,"out":990,"dropped":0,"skipped":4,"quarantined":6,"tool":"lp-clean"}\n' > clean.stats
printf '{"in":990,"out":990,"dropped":0,"skipped":0,"quarantined":0,"tool":"lp-rate"}\n' > rate.stats
"$TOOL" -q --json --bootstrap 0 --run-stats clean.stats --run-stats rate.stats alice.jsonl > r.json
expect 'reject rates per tool and overall' grep -q '"rejects":{"lp-clean":{"in":1000,"rejected":10,"rate":0.01},"lp-rate":{"in":990,"rejected":0,"rate":0.0},"rate":0.005025}' r.json
printf '[{"metric":"rejects.rate","op":"<","value":0.01}]\n' > rg.json
"$TOOL" -q --bootstrap 0 --run-stats clean.stats --gates rg.json alice.jsonl > /dev/null; st=$?
expect 'a gate on the reject rate' sh -c "[ $st = 1 ]"
printf '{"tool":"x"}\n' > bad.stats
check 65 '-q --run-stats bad.stats alice.jsonl' '' '' 'lp-kpi: bad.stats: not a --stats file (no tool and in)\n'

# Markdown.
"$TOOL" -q --markdown --bootstrap 0 --gates fail.json alice.jsonl bob.jsonl > k.md
expect '--markdown: tables with the gates' sh -c "grep -q '^| Cohen.s kappa, alice and bob | 0.4000 |' k.md && grep -q '^| agreement.percent | \*\*FAIL\*\* | > 0.85 | 0.7 |' k.md"

# Drill-down and trends: the same metrics per group.
"$TOOL" -q --json --bootstrap 0 --by annotator alice.jsonl bob.jsonl > by.json
expect '--by annotator: each one alone (agreement undefined), gold per annotator' grep -q '"by":{"annotator":{"alice":{"records":50,.*"undefined":"fewer than two annotators".*"accuracy":0.5,.*},"bob":{"records":50,.*"accuracy":0.6,' by.json
printf '%s\n' '{"id":"a","labels":[{"annotator_id":"x","label":1,"at":"2026-11-24T10:00:00Z"}],"lineage":{"pipeline_version":"p1","steps":[]}}' \
    '{"id":"b","labels":[{"annotator_id":"x","label":2,"at":"2026-11-25T09:00:00Z"}],"lineage":{"pipeline_version":"p2","steps":[]}}' \
    '{"id":"c","labels":[{"annotator_id":"x","label":2,"at":"2026-11-25T11:00:00Z"}],"lineage":{"pipeline_version":"p2","steps":[]}}' > timed.jsonl
"$TOOL" -q --json --bootstrap 0 --over day --by pipeline_version timed.jsonl > t.json
expect '--over day and --by pipeline_version' sh -c "grep -q '\"by\":{\"pipeline_version\":{\"p1\":{\"records\":1,.*\"p2\":{\"records\":2,' t.json && grep -q '\"over\":{\"day\":{\"2026-11-24\":{\"records\":1,.*\"2026-11-25\":{\"records\":2,' t.json"
"$TOOL" -q --bootstrap 0 --over week timed.jsonl > w.txt
expect '--over week: ISO weeks' grep -q '^  2026-W48  *3 ' w.txt
check 2 '--by colour' '' '' "lp-kpi: invalid --by 'colour' (want annotator, pipeline_version, dataset_version, taxonomy_version or task_id)\n$USAGE"
check 2 '--by annotator --by task_id' '' '' "lp-kpi: one --by and one --over at most\n$USAGE"

# Bad input: file and line.
printf '{"id":"a"}\n[1]\n' > badin.jsonl
check 65 '-q badin.jsonl' '' '' 'lp-kpi: badin.jsonl:2: expected JSON object, got array\n'

# Default gates: the built-in guidelines/gates.json, checked unless
# --no-gates; the reject-rate gate skipped without --run-stats.
"$TOOL" -q --bootstrap 0 alice.jsonl bob.jsonl > dg.txt; st=$?
expect 'default gates: checked, exit 1' sh -c "[ $st = 1 ] && grep -q '^gate rejects.rate  *skip < 0.01 (value undefined)' dg.txt && grep -q '^gate agreement.percent  *FAIL > 0.85 (value 0.7)' dg.txt && grep -q '^gate gold.accuracy  *FAIL > 0.9 (value 0.55)' dg.txt"
"$TOOL" -q --bootstrap 0 --run-stats clean.stats --run-stats rate.stats alice.jsonl bob.jsonl > dg.txt
expect 'default gates: the reject rate with --run-stats' grep -q '^gate rejects.rate  *pass < 0.01 (value 0.005025)' dg.txt
"$TOOL" -q --bootstrap 0 --no-gates alice.jsonl bob.jsonl > ng.txt; st=$?
expect '--no-gates: none, exit 0' sh -c "[ $st = 0 ] && ! grep -q '^gate' ng.txt"
"$TOOL" -q --json --bootstrap 0 alice.jsonl bob.jsonl > dg.json
expect 'a skipped gate is pass null in JSON' grep -q '"gates":\[{"metric":"rejects.rate","op":"<","threshold":0.01,"value":null,"pass":null}' dg.json
check 2 '--no-gates --gates pass.json' '' '' "lp-kpi: --no-gates with --gates or --alert-url: choose\n$USAGE"
printf '[{"metric":"gold.accuracy","op":">","value":0.9,"undefined":"maybe"}]\n' > und.json
check 65 '-q --gates und.json alice.jsonl' '' '' "lp-kpi: und.json: gate 1: undefined is fail or skip, not 'maybe'\n"
printf '[{"metric":"gold.accuracy","op":">","value":0.9,"undefined":"skip"}]\n' > skip.json
check 0 '-q --gates skip.json' '' 'records 0, labelled 0\ncompleteness\n  id                           undefined\n  title                        undefined\n  url                          undefined\n  price                        undefined\n  condition                    undefined\n  translation.text             undefined\n  rating.score                 undefined\nagreement (0 annotators, 0 items)\n  agreement                    fewer than two annotators\n  judge kappa vs humans        undefined\n  gold accuracy                undefined\ngate gold.accuracy            skip > 0.9 (value undefined)\n' ''

# Alerts: a Slack-compatible body to a webhook, only when a gate fails.
standin_start --log hook.log
"$TOOL" -q --bootstrap 0 --alert-url "$STANDIN_URL/hooks/kpi" --gates fail.json alice.jsonl bob.jsonl > /dev/null 2> al.txt; st=$?
expect 'an alert on a failed gate: exit 1, one POST' sh -c "[ $st = 1 ] && [ ! -s al.txt ] && [ \$(grep -c '\"path\":\"/hooks/kpi\"' hook.log) = 1 ]"
expect 'the alert names the failed gates in its text' grep -q '"body":{"text":"lp-kpi: 1 of 2 quality gates failed\\n• agreement.percent > 0.85: 0.7","gates":\[' hook.log
"$TOOL" -q --bootstrap 0 --alert-url "$STANDIN_URL/hooks/kpi" --gates pass.json alice.jsonl bob.jsonl > /dev/null; st=$?
expect 'no alert when the gates hold' sh -c "[ $st = 0 ] && [ \$(grep -c '/hooks/kpi' hook.log) = 1 ]"
standin_stop
standin_start --status 503
"$TOOL" -q --bootstrap 0 --alert-url "$STANDIN_URL/v1/chat/completions" --gates fail.json alice.jsonl bob.jsonl > /dev/null 2> al.txt; st=$?
expect 'an alert refused: a warning with the status, still exit 1' sh -c "[ $st = 1 ] && grep -q '^lp-kpi: alert not delivered: http://127.0.0.1:[0-9]*/v1/chat/completions: HTTP status 503' al.txt"
standin_stop
"$TOOL" -q --bootstrap 0 --alert-url "http://127.0.0.1:$STANDIN_PORT/gone" --gates fail.json alice.jsonl bob.jsonl > /dev/null 2> al.txt; st=$?
expect 'an alert with nobody listening: a warning, still exit 1' sh -c "[ $st = 1 ] && grep -q '^lp-kpi: alert not delivered: http://127.0.0.1:[0-9]*/gone: ' al.txt"
check 2 '--alert-url ftp://x' '' '' "lp-kpi: --alert-url wants an http:// or https:// URL, not 'ftp://x'\n$USAGE"

# OpenLineage: START and COMPLETE or FAIL per run of the audit log.
rm -f ol-audit.log
"$TOOL" -q --no-gates --audit ol-audit.log -o /dev/null alice.jsonl
"$TOOL" -q --gates fail.json --audit ol-audit.log -o /dev/null alice.jsonl bob.jsonl
"$TOOL" -q --no-gates --audit ol-audit.log --on-error fail badin.jsonl > /dev/null 2>&1
"$TOOL" -q --no-gates --audit ol-audit.log --openlineage ol.jsonl alice.jsonl > /dev/null
expect '--openlineage: two events for each earlier run, none for its own' sh -c "[ \$(wc -l < ol.jsonl) = 6 ] && [ \$(grep -c '\"eventType\":\"START\"' ol.jsonl) = 3 ] && [ \$(grep -c '\"eventType\":\"COMPLETE\"' ol.jsonl) = 2 ] && [ \$(grep -c '\"eventType\":\"FAIL\"' ol.jsonl) = 1 ]"
expect '--openlineage: a RunEvent with a UUID, job, datasets and counts' grep -q '^{"eventType":"COMPLETE","eventTime":"[0-9T:.Z-]*","producer":"urn:labelpipe:lp-kpi:[0-9.]*","schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent","run":{"runId":"[0-9a-f]\{8\}-[0-9a-f]\{4\}-8[0-9a-f]\{3\}-[89ab][0-9a-f]\{3\}-[0-9a-f]\{12\}","facets":{"labelpipe":{.*"in":50,"out":0,.*"status":0,.*}}},"job":{"namespace":"labelpipe","name":"lp-kpi"},"inputs":\[{"namespace":"file://[^"]*","name":"/[^"]*/alice.jsonl","inputFacets":{"inputStatistics":{.*"rowCount":50}}}\]' ol.jsonl
expect '--openlineage: a failed run says why' grep -q '"eventType":"FAIL".*"errorMessage":{[^}]*"message":"exit status 65"' ol.jsonl
check 2 '--openlineage x.jsonl alice.jsonl' '' '' "lp-kpi: --openlineage reads the audit log: give --audit FILE or set LP_AUDIT_LOG\n$USAGE"

# The HTML report: self-contained, every chart, escaped, and it renders.
sed 's/"alice"/"al<i>ce \& co"/' alice.jsonl > alice-odd.jsonl
"$TOOL" -q --bootstrap 0 --over day --html r.html --gates fail.json alice-odd.jsonl bob.jsonl > /dev/null
expect '--html: a page with charts' sh -c "grep -q '^<!DOCTYPE html>' r.html && [ \$(grep -o '<svg' r.html | wc -l) -ge 7 ] && [ \$(grep -o '<svg' r.html | wc -l) = \$(grep -o '</svg>' r.html | wc -l) ]"
for t in "Cohen's kappa per annotator pair" 'Rating histogram' 'Class balance: labels' 'Gold accuracy per annotator' 'Throughput per annotator' 'Latency per stage' 'Agreement and gold accuracy per day' 'Throughput: records per day'; do
	expect "--html: chart '$t'" grep -q "<title>$t" r.html
done
expect '--html: nothing from the network, no scripts' sh -c "! grep -qi '<script\|<link\|@import\|url(\|src=' r.html && [ \$(grep -o 'https\?://[^\" ]*' r.html | sort -u) = http://www.w3.org/2000/svg ]"
expect '--html: names escaped' sh -c "grep -q 'al&lt;i&gt;ce &amp; co' r.html && ! grep -q 'al<i>' r.html"
expect '--html: the failed gates, marked' grep -q '<td class="fail">FAIL</td>' r.html
expect '--html: no NaN' sh -c "! grep -qi 'nan' r.html"
if command -v chromium > /dev/null 2>&1; then
	# Parsed by a browser: the DOM has every chart, and it paints.
	chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$PWD/r.html" 2> /dev/null > dom.html
	expect 'chromium: every chart in the DOM' sh -c "[ \$(grep -o '<svg' dom.html | wc -l) = \$(grep -o '<svg' r.html | wc -l) ]"
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=900,2400 --screenshot="$PWD/shot.png" "file://$PWD/r.html" > /dev/null 2>&1
	expect 'chromium: a screenshot with something on it' sh -c "[ -s shot.png ] && [ \$(wc -c < shot.png) -gt 40000 ]"
else
	echo 'skip: chromium is not installed; the HTML report was not rendered'
fi
check 74 '--html /nonexistent/r.html alice.jsonl' '' '' "lp-kpi: cannot create '/nonexistent/r.html': No such file or directory\n"

# The fast path (fields read from canonical lines) and the slow one (the
# same records made non-canonical by a space) agree to the byte.
"$LP_GEN" -n 3000 --annotate | "$LP_BINDIR/lp-passthru" -q --plain > can.jsonl
sed 's/^{/{ /' can.jsonl > slow.jsonl
"$TOOL" -q --no-gates --json --field condition --field price.currency --over week --bootstrap 50 can.jsonl > fast.json
"$TOOL" -q --no-gates --json --field condition --field price.currency --over week --bootstrap 50 slow.jsonl > slow.json
expect 'canonical and non-canonical input: the same report' cmp -s fast.json slow.json
expect 'generated annotations: the whole report' sh -c "grep -q '\"records\":3000,' fast.json && grep -q '\"latency_ms\":{\"lp-clean\":' fast.json && grep -q '\"kripp_alpha_ordinal_ci95\":\[0\.' fast.json"

help_man_agree "$MAN"
finish

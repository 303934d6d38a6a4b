#!/bin/sh
# CLI tests of lp-kpi.  Each "tcase" is one test (see lib.sh):
#   sh tests/cli/lp-kpi.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-kpi
MAN=$HERE/../../man/lp-kpi.1

USAGE="usage: lp-kpi [-qv] [--json | --markdown] [--html file]\n       [--gates file | --no-gates] [--alert-url url] [--baseline file]\n       [--gold-key file] [--feedback dir] [--calibration file]\n       [--run-stats file] [--by key] [--over day|week] [--field path]\n       [--bootstrap n] [--seed s] [--verify-audit file]\n       [--openlineage file] [--stage-failed name:status:file]\n       [--calibration-top n] [--roles file] [file ...]\n       lp-kpi --approve-gates file --roles file --audit file\nTry 'lp-kpi --help' for more information.\n"

# Fixtures.
# Wikipedia's Cohen's kappa table as labels: 20 yes-yes, 5 yes-no, 10
# no-yes, 15 no-no; kappa 0.4, agreement 0.7.  Every fifth item is gold
# ("yes"); alice's label is the judge's score.
fx_labels() {
	awk 'BEGIN {
		for (i = 0; i < 50; i++) {
			a = i < 25 ? "yes" : "no"
			b = (i < 20 || (i >= 25 && i < 35)) ? "yes" : "no"
			gold = i % 5 == 0 ? ",\"gold\":{\"label\":\"yes\"}" : ""
			printf "{\"id\":\"i%d\",\"title\":\"t\",\"rating\":{\"score\":\"%s\",\"confidence\":%s}%s,\"labels\":[{\"annotator_id\":\"alice\",\"label\":\"%s\",\"time_to_label_ms\":3600}],\"lineage\":{\"steps\":[{\"tool\":\"lp-rate\",\"at\":1000},{\"tool\":\"lp-label\",\"at\":%d}]}}\n", i, a, i < 25 ? "0.95" : "0.55", gold, a, 2000 + i * 10 > "alice.jsonl"
			printf "{\"id\":\"i%d\",\"title\":\"t\",\"labels\":[{\"annotator_id\":\"bob\",\"label\":\"%s\",\"time_to_label_ms\":7200}]}\n", i, b > "bob.jsonl"
		}
	}'
}
fx_report() { # the JSON report of the table, no gates (k.json)
	needs labels &&
	    "$TOOL" -q --json --bootstrap 0 --no-gates alice.jsonl bob.jsonl > k.json
}
fx_pass_gates() { # gates the table passes
	printf '[{"metric":"agreement.percent","op":">=","value":0.7},{"metric":"gold.accuracy","op":">","value":0.5}]\n' > pass.json
}
fx_fail_gates() { # one of two gates fails on the table
	printf '{"gates":[{"metric":"agreement.percent","op":">","value":0.85},{"metric":"agreement.fleiss_kappa","op":">","value":0.3}]}\n' > fail.json
}
fx_audit() { # an audit log with the two gates of fail.json (audit.log)
	needs labels fail_gates || return 1
	"$TOOL" -q --bootstrap 0 --gates fail.json --audit audit.log alice.jsonl bob.jsonl > /dev/null
	[ -s audit.log ]
}
fx_baseline() { # the table's report as a baseline (base.json)
	needs labels || return 1
	"$TOOL" -q --json --bootstrap 0 alice.jsonl bob.jsonl > base.json
	[ -s base.json ]
}
fx_run_stats() { # lp-clean rejects 10 of 1000, lp-rate none
	printf '{"in":1000,"out":990,"dropped":0,"skipped":4,"quarantined":6,"tool":"lp-clean"}\n' > clean.stats
	printf '{"in":990,"out":990,"dropped":0,"skipped":0,"quarantined":0,"tool":"lp-rate"}\n' > rate.stats
}
fx_timed() { # three records over two days and two pipeline versions
	printf '%s\n' '{"id":"a","labels":[{"annotator_id":"x","label":1,"at":"2026-11-24T10:00:00Z"}],"lineage":{"pipeline_version":"p1","steps":[]}}' \
	    '{"id":"b","labels":[{"annotator_id":"x","label":2,"at":"2026-11-25T09:00:00Z"}],"lineage":{"pipeline_version":"p2","steps":[]}}' \
	    '{"id":"c","labels":[{"annotator_id":"x","label":2,"at":"2026-11-25T11:00:00Z"}],"lineage":{"pipeline_version":"p2","steps":[]}}' > timed.jsonl
}
fx_badin() { # an array on line 2
	printf '{"id":"a"}\n[1]\n' > badin.jsonl
}
fx_openlineage() { # an audit log of three runs (one failed), exported
	needs labels fail_gates badin || return 1
	"$TOOL" -q --no-gates --audit ol-audit.log -o /dev/null alice.jsonl
	"$TOOL" -q --gates fail.json --audit ol-audit.log -o /dev/null alice.jsonl bob.jsonl
	"$TOOL" -q --no-gates --audit ol-audit.log --on-error fail badin.jsonl > /dev/null 2>&1
	"$TOOL" -q --no-gates --audit ol-audit.log --openlineage ol.jsonl alice.jsonl > /dev/null
	[ -f ol.jsonl ]
}
fx_html() { # the HTML report, with an odd annotator name (r.html)
	needs labels fail_gates || return 1
	sed 's/"alice"/"al<i>ce \& co"/' alice.jsonl > alice-odd.jsonl
	"$TOOL" -q --bootstrap 0 --over day --html r.html --gates fail.json alice-odd.jsonl bob.jsonl > /dev/null
	[ -s r.html ]
}
fx_chromium() {
	command -v chromium > /dev/null 2>&1 ||
	    skip 'chromium is not installed; the HTML report was not rendered'
}
fx_generated() { # 3000 generated annotated records, canonical and not
	"$LP_GEN" -n 3000 --annotate | "$LP_BINDIR/lp-passthru" -q --plain > can.jsonl &&
	    sed 's/^{/{ /' can.jsonl > slow.jsonl
}

# Agreement over the textbook table.
tcase agreement.kappa-textbook labels && { # kappa 0.4, agreement 0.7
	run "$TOOL" -q --json --bootstrap 0 --no-gates alice.jsonl bob.jsonl
	status_is 0
	has out '"percent":0.7,'
	has out '"a":"alice","b":"bob","items":50,"kappa":0.4,'
}
tcase agreement.pabak-confusion report && has k.json '"pabak":0.4,.*"confusion":\[\[15,10\],\[5,20\]\]'
tcase agreement.classes-in-order report && has k.json '"classes":\["\\"no\\"","\\"yes\\""\]'
tcase agreement.kappa-per-class report && has k.json '"kappa_per_class":{"\\"no\\"":0.4,"\\"yes\\"":0.4}'
# gold "yes" on items 0,5,...,45: alice says yes on 0-24 (5 of 10), bob on
# 0-19 and 25-34 (4 + 2 = 6 of 10).
tcase gold.per-annotator report && has k.json '"gold":{"items_labelled":20,"accuracy":0.55,"by_annotator":{"alice":0.5,"bob":0.6}}'
tcase throughput.per-annotator report && has k.json '"throughput":{"alice":{"labels":50,"per_hour":1000.0},"bob":{"labels":50,"per_hour":500.0}}'
tcase judge.calibration report && { # the judge against the humans, per confidence tenth
	has k.json '"judge":{"items":50,"kappa_vs_humans":[0-9.-]*,"calibration":\[{"from":0.5,"to":0.6,"items":25,"accuracy":[0-9.]*},{"from":0.9,"to":1.0,"items":25,'
}
tcase latency.per-stage report && has k.json '"latency_ms":{"lp-label":{"p50":1240.0,"p95":1470.0,"max":1490.0,"n":50}'
tcase report.no-nan report && lacks -i k.json nan

# Bootstrap intervals: seeded, so reruns agree; the estimate inside.
tcase bootstrap.seeded labels && {
	run -o b1.json "$TOOL" -q --json --bootstrap 300 --seed 5 alice.jsonl bob.jsonl
	run -o b2.json "$TOOL" -q --json --bootstrap 300 --seed 5 alice.jsonl bob.jsonl
	same b1.json b2.json
	has b1.json '"kripp_alpha_nominal_ci95":\[0\.[0-9]*,0\.[0-9]*\]'
}

# One annotator: agreement is undefined, said so.
tcase one-annotator.text labels && { # undefined, not NaN
	run "$TOOL" -q alice.jsonl
	has out '^  agreement  *fewer than two annotators'
	lacks -i out nan
}
tcase one-annotator.json labels && {
	run "$TOOL" -q --json alice.jsonl
	has out '"undefined":"fewer than two annotators"'
}

# Gates: pass, fail (exit 1), undefined (fails), bad files.
tcase gates.pass labels pass_gates && {
	run "$TOOL" -q --bootstrap 0 --gates pass.json alice.jsonl bob.jsonl
	status_is 0
	has out '^gate agreement.percent *pass >= 0.7 (value 0.7)'
}
tcase gates.fail labels fail_gates && { # exit 1, FAIL with value and threshold
	run "$TOOL" -q --bootstrap 0 --gates fail.json alice.jsonl bob.jsonl
	status_is 1
	has out '^gate agreement.percent *FAIL > 0.85 (value 0.7)'
}
tcase gates.undefined-fails labels fail_gates && {
	run "$TOOL" -q --gates fail.json alice.jsonl
	status_is 1
	has out 'FAIL > 0.3 (value undefined'
}
tcase gates.missing-field labels && {
	printf '[{"metric":"x","op":"=","value":1}]\n' > bad.json
	check 65 "-q --gates bad.json alice.jsonl" '' '' "lp-kpi: bad.json: gate 1 needs metric, op (< <= > >=) and a number\n"
}
tcase gates.unreadable labels && check 74 "-q --gates /nonexistent alice.jsonl" '' '' "lp-kpi: unable to open /nonexistent: No such file or directory\n"
tcase run-stats.not-stats labels && {
	printf '{"x":1}\n' > bad.json
	check 65 "-q --run-stats bad.json alice.jsonl" '' '' "lp-kpi: bad.json: not a --stats file (no tool and in)\n"
}
fx_bad_gate() { printf '[{"metric":"x","op":"~","value":1}]\n' > bad.json; }
tcase gates.bad-op bad_gate && check 65 '-q --gates bad.json' '' '' 'lp-kpi: bad.json: gate 1 needs metric, op (< <= > >=) and a number\n'
fx_broken_gates() { printf '[{"metric":' > broken.json; }
tcase gates.broken-json broken_gates && check 65 '-q --gates broken.json' '' '' 'lp-kpi: broken.json:1: unexpected token near end of file\n'
tcase gates.audit-log audit && count audit.log '"event":"gate"' 2
fx_undefined_maybe() { printf '[{"metric":"gold.accuracy","op":">","value":0.9,"undefined":"maybe"}]\n' > und.json; }
tcase gates.undefined-maybe labels undefined_maybe && check 65 '-q --gates und.json alice.jsonl' '' '' "lp-kpi: und.json: gate 1: undefined is fail or skip, not 'maybe'\n"
fx_undefined_skip() { printf '[{"metric":"gold.accuracy","op":">","value":0.9,"undefined":"skip"}]\n' > skip.json; }
tcase gates.undefined-skip undefined_skip && check 0 '-q --gates skip.json' '' 'records 0, labelled 0\ncompleteness\n  id                           undefined\n  title                        undefined\n  url                          undefined\n  price                        undefined\n  condition                    undefined\n  translation.text             undefined\n  rating.score                 undefined\nagreement (0 annotators, 0 items)\n  agreement                    fewer than two annotators\n  judge kappa vs humans        undefined\n  gold accuracy                undefined\ngate gold.accuracy            skip > 0.9 (value undefined)\n' ''

# The audit chain: intact, then tampered.
tcase audit.verify-intact audit && {
	run -o /dev/null "$TOOL" -v --verify-audit audit.log
	status_is 0
	has err 'the hash chain holds'
}
tcase audit.verify-tampered audit && { # the first broken line named
	# Line 2 is the gates' version_in_use, 3 the first gate.
	sed '3s/"gate"/"GATE"/' audit.log > tampered.log
	run -o /dev/null "$TOOL" --verify-audit tampered.log
	status_is 1
	has err '^lp-kpi: tampered.log:4: hash chain broken'
}

# Drift against a baseline report.
tcase drift.none-against-itself baseline && {
	run "$TOOL" -q --json --bootstrap 0 --baseline base.json alice.jsonl bob.jsonl
	has out '"drift":{"rating.score":{"psi":0.0,"js":0.0,"shift":false}'
}
tcase drift.shifted baseline && { # labels shifted, agreement dropped: flagged
	sed 's/"label":"no"/"label":"yes"/' bob.jsonl > bob2.jsonl
	run "$TOOL" -q --bootstrap 0 --baseline base.json alice.jsonl bob2.jsonl
	has out '^drift labels .*SHIFT'
	has out '^drift agreement.percent .*-0.*SHIFT'
}
fx_not_kpi() { printf '{"records":"x"}\n' > notkpi.json; }
tcase drift.not-a-report labels not_kpi && check 65 '-q --baseline notkpi.json alice.jsonl' '' '' 'lp-kpi: notkpi.json: not an lp-kpi --json report\n'

# Reject rates from the tools' --stats files.
tcase rejects.per-tool labels run_stats && { # and overall
	run "$TOOL" -q --json --bootstrap 0 --run-stats clean.stats --run-stats rate.stats alice.jsonl
	has out '"rejects":{"lp-clean":{"in":1000,"rejected":10,"rate":0.01},"lp-rate":{"in":990,"rejected":0,"rate":0.0},"rate":0.005025}'
}
tcase rejects.gate labels run_stats && {
	printf '[{"metric":"rejects.rate","op":"<","value":0.01}]\n' > rg.json
	run -o /dev/null "$TOOL" -q --bootstrap 0 --run-stats clean.stats --gates rg.json alice.jsonl
	status_is 1
}
# Gold answers from lp-sample's key: scored, and left out of the rest.
fx_gold_key() { # the table without gold in the records, and its key
	needs labels || return 1
	sed 's/,"gold":{"label":"yes"}//' alice.jsonl > alice-nogold.jsonl
	awk 'BEGIN { for (i = 0; i < 50; i += 5) printf "{\"id\":\"i%d\",\"gold\":{\"label\":\"yes\"}}\n", i }' > gold.key
}
tcase gold-hidden.key-scores labels gold_key && {
	"$TOOL" -q --json --bootstrap 0 --no-gates alice.jsonl bob.jsonl > with-gold.json
	run "$TOOL" -q --json --bootstrap 0 --no-gates --gold-key gold.key alice-nogold.jsonl bob.jsonl
	status_is 0
	# The same accuracy as with the answers in the records.
	grep -o '"gold":{"accuracy":[^,]*' with-gold.json > want
	grep -o '"gold":{"accuracy":[^,]*' out > got
	same want got
	has out '"rows":20'
	# Gold rows are not part of the dataset: 80 records of 100, 80 labelled.
	has out '"records":80,"labelled":80'
}
tcase gold-hidden.key-balance labels gold_key && { # labels of gold rows not counted
	run "$TOOL" -q --json --bootstrap 0 --no-gates --gold-key gold.key alice-nogold.jsonl
	has out '"records":40,"labelled":40'
	has out '"labels":{"yes":20,"no":20}'
}
tcase gold-hidden.key-unreadable labels && check 74 '-q --gold-key /nonexistent alice.jsonl' '' '' "lp-kpi: cannot open '/nonexistent': No such file or directory\n"
tcase gold-hidden.key-bad-line labels && {
	printf '{"gold":{}}\n' > bad.key
	check 65 '-q --gold-key bad.key alice.jsonl' '' '' 'lp-kpi: bad.key:1: expected a line with id\n'
}

# Each stage's run figures from its --stats: wall time, speed, CPU, memory.
fx_rusage_stats() {
	printf '{"tool":"lp-dedup","in":500,"skipped":0,"quarantined":0,"wall_s":2.5,"records_per_s":200.0,"user_s":1.25,"sys_s":0.5,"max_rss_kb":20480}\n' > dedup.stats
}
tcase stats.rusage-json labels rusage_stats && {
	run "$TOOL" -q --json --bootstrap 0 --no-gates --run-stats dedup.stats alice.jsonl
	has out '"runs":{"lp-dedup":{"wall_s":2.5,"records_per_s":200.0,"user_s":1.25,"sys_s":0.5,"max_rss_kb":20480}}'
}
tcase stats.rusage-text labels rusage_stats && {
	run "$TOOL" -q --bootstrap 0 --no-gates --run-stats dedup.stats alice.jsonl
	has out '^stages (wall s, records/s, peak MB)$'
	has out '^  lp-dedup  *2.500 200 20.0$'
}
tcase stats.rusage-markdown labels rusage_stats && {
	run "$TOOL" -q --markdown --bootstrap 0 --no-gates --run-stats dedup.stats alice.jsonl
	has out '^| lp-dedup | 2.500 | 200 | 20.0 |$'
}
tcase stats.rusage-html labels rusage_stats && {
	run "$TOOL" -q --bootstrap 0 --no-gates --run-stats dedup.stats --html r.html alice.jsonl
	has r.html '^<tr class="run"><td>lp-dedup</td><td class="n">2.500</td><td class="n">200</td><td class="n">20.0</td></tr>$'
}
tcase stats.rusage-written labels && { # a tool's own --stats carries them
	run -o /dev/null "$TOOL" -q --bootstrap 0 --no-gates --stats own.stats alice.jsonl
	has own.stats '"user_s":[0-9.e-]*,"sys_s":[0-9.e-]*,"max_rss_kb":[1-9][0-9]*'
}

# Gate metrics as JSON Pointers reach keys with dots.
tcase gates.pointer labels && {
	printf '[{"metric":"/balance/rating.score/yes","op":">=","value":25},{"metric":"/agreement/percent","op":">=","value":0.7}]\n' > ptr.json
	run "$TOOL" -q --bootstrap 0 --gates ptr.json alice.jsonl bob.jsonl
	status_is 0
	has out '^gate /balance/rating.score/yes *pass >= 25 (value 25)'
	has out '^gate /agreement/percent *pass >= 0.7 (value 0.7)'
}
tcase gates.pointer-dotted-misses labels && { # the dotted form cannot
	printf '[{"metric":"balance.rating.score.yes","op":">=","value":25}]\n' > dot.json
	run "$TOOL" -q --bootstrap 0 --gates dot.json alice.jsonl bob.jsonl
	status_is 1
	has out 'FAIL >= 25 (value undefined'
}
tcase gates.pointer-in-every-report labels && { # JSON, Markdown, HTML
	printf '[{"metric":"/balance/rating.score/yes","op":">=","value":25}]\n' > ptr.json
	run "$TOOL" -q --json --bootstrap 0 --gates ptr.json --html r.html alice.jsonl bob.jsonl
	has out '"gates":\[{"metric":"/balance/rating.score/yes","op":">=","threshold":25.0,"value":25.0,"pass":true}\]'
	has r.html '/balance/rating.score/yes'
	run "$TOOL" -q --markdown --bootstrap 0 --gates ptr.json alice.jsonl bob.jsonl
	has out '^| /balance/rating.score/yes | pass | >= 25 | 25 |$'
}
fx_bad_stats() { printf '{"tool":"x"}\n' > bad.stats; }
tcase rejects.bad-stats labels bad_stats && check 65 '-q --run-stats bad.stats alice.jsonl' '' '' 'lp-kpi: bad.stats: not a --stats file (no tool and in)\n'

# Markdown.
tcase markdown.tables labels fail_gates && { # with the gates
	run "$TOOL" -q --markdown --bootstrap 0 --gates fail.json alice.jsonl bob.jsonl
	has out '^| Cohen.s kappa, alice and bob | 0.4000 |'
	has out '^| agreement.percent | \*\*FAIL\*\* | > 0.85 | 0.7 |'
}

# Drill-down and trends: the same metrics per group.
tcase by.annotator labels && { # each alone (agreement undefined), gold per annotator
	run "$TOOL" -q --json --bootstrap 0 --by annotator alice.jsonl bob.jsonl
	has out '"by":{"annotator":{"alice":{"records":50,.*"undefined":"fewer than two annotators".*"accuracy":0.5,.*},"bob":{"records":50,.*"accuracy":0.6,'
}
tcase by.pipeline-version-over-day timed && {
	run "$TOOL" -q --json --bootstrap 0 --over day --by pipeline_version timed.jsonl
	has out '"by":{"pipeline_version":{"p1":{"records":1,.*"p2":{"records":2,'
	has out '"over":{"day":{"2026-11-24":{"records":1,.*"2026-11-25":{"records":2,'
}
tcase over.week timed && { # ISO weeks
	run "$TOOL" -q --bootstrap 0 --over week timed.jsonl
	has out '^  2026-W48  *3 '
}

# Bad input: file and line.
tcase bad-input.array badin && check 65 '-q badin.jsonl' '' '' 'lp-kpi: badin.jsonl:2: expected JSON object, got array\n'

# Default gates: the built-in guidelines/gates.json, checked unless
# --no-gates; the reject-rate gate skipped without --run-stats.
tcase default-gates.checked labels && { # exit 1
	run "$TOOL" -q --bootstrap 0 alice.jsonl bob.jsonl
	status_is 1
	has out '^gate rejects.rate  *skip < 0.01 (value undefined)'
	has out '^gate agreement.percent  *FAIL > 0.85 (value 0.7)'
	has out '^gate gold.accuracy  *FAIL > 0.9 (value 0.55)'
}
tcase default-gates.run-stats labels run_stats && { # the reject rate gated
	run "$TOOL" -q --bootstrap 0 --run-stats clean.stats --run-stats rate.stats alice.jsonl bob.jsonl
	has out '^gate rejects.rate  *pass < 0.01 (value 0.005025)'
}
tcase default-gates.none labels && { # --no-gates: exit 0
	run "$TOOL" -q --bootstrap 0 --no-gates alice.jsonl bob.jsonl
	status_is 0
	lacks out '^gate'
}
tcase default-gates.skip-is-null labels && { # in JSON, pass null
	run "$TOOL" -q --json --bootstrap 0 alice.jsonl bob.jsonl
	has out '"gates":\[{"metric":"rejects.rate","op":"<","threshold":0.01,"value":null,"pass":null}'
}

# Alerts: a Slack-compatible body to a webhook, only when a gate fails.
tcase alert.failed-gate labels fail_gates && { # one POST naming the failed gates
	standin_start --log hook.log
	run -o /dev/null "$TOOL" -q --bootstrap 0 --alert-url "$STANDIN_URL/hooks/kpi" --gates fail.json alice.jsonl bob.jsonl
	status_is 1
	empty err
	count hook.log '"path":"/hooks/kpi"' 1
	has hook.log '"body":{"text":"lp-kpi: 1 of 2 quality gates failed\\n• agreement.percent > 0.85: 0.7","gates":\['
}
tcase alert.gates-hold labels pass_gates && { # no alert
	standin_start --log hook.log
	run -o /dev/null "$TOOL" -q --bootstrap 0 --alert-url "$STANDIN_URL/hooks/kpi" --gates pass.json alice.jsonl bob.jsonl
	status_is 0
	exists hook.log
	count hook.log '/hooks/kpi' 0
}
tcase alert.refused labels fail_gates && { # a warning with the status, still exit 1
	standin_start --status 503
	run -o /dev/null "$TOOL" -q --bootstrap 0 --alert-url "$STANDIN_URL/v1/chat/completions" --gates fail.json alice.jsonl bob.jsonl
	status_is 1
	has err '^lp-kpi: alert not delivered: http://127.0.0.1:[0-9]*/\*\*\*: HTTP status 503'
}
tcase alert.nobody-listening labels fail_gates && { # a warning, still exit 1
	standin_start
	standin_stop
	run -o /dev/null "$TOOL" -q --bootstrap 0 --alert-url "http://127.0.0.1:$STANDIN_PORT/gone" --gates fail.json alice.jsonl bob.jsonl
	status_is 1
	has err '^lp-kpi: alert not delivered: http://127.0.0.1:[0-9]*/gone: '
}

# A failed stage raises the alert a failed gate does: stage, status, first
# error line.
tcase alert.stage-failed && {
	standin_start --log hook.log
	printf 'lp-translate: http://llm/v1: cannot connect\nmore\n' > translate.err
	run -o /dev/null "$TOOL" -q --alert-url "$STANDIN_URL/hooks/kpi" --stage-failed translate:69:translate.err
	status_is 1
	has err '^lp-kpi: stage translate failed with status 69$'
	count hook.log '"path":"/hooks/kpi"' 1
	has hook.log '"body":{"text":"lp-kpi: stage translate failed with status 69\\n• lp-translate: http://llm/v1: cannot connect","stage":"translate","status":69,"error":"lp-translate: http://llm/v1: cannot connect"}'
}
tcase alert.stage-failed-no-stderr && { # no file: no error line
	standin_start --log hook.log
	run -o /dev/null "$TOOL" -q --alert-url "$STANDIN_URL/hooks/kpi" --stage-failed clean:65:/nonexistent
	status_is 1
	has hook.log '"body":{"text":"lp-kpi: stage clean failed with status 65","stage":"clean","status":65,"error":""}'
}
tcase alert.stage-failed-bad && check 2 '--stage-failed x' '' '' "lp-kpi: invalid --stage-failed 'x' (want name:status:file)\n$USAGE"

# OpenLineage: START and COMPLETE or FAIL per run of the audit log.
tcase openlineage.events openlineage && { # two for each earlier run, none for its own
	lines ol.jsonl 6
	count ol.jsonl '"eventType":"START"' 3
	count ol.jsonl '"eventType":"COMPLETE"' 2
	count ol.jsonl '"eventType":"FAIL"' 1
}
tcase openlineage.run-event openlineage && { # a UUID, job, datasets and counts
	# shellcheck disable=SC2016 # "$defs" is in the schema URL
	has ol.jsonl '^{"eventType":"COMPLETE","eventTime":"[0-9T:.Z-]*","producer":"https://github.com/labelpipe/labelpipe/tree/v[0-9.]*","schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent","run":{"runId":"[0-9a-f]\{8\}-[0-9a-f]\{4\}-8[0-9a-f]\{3\}-[89ab][0-9a-f]\{3\}-[0-9a-f]\{12\}","facets":{"labelpipe":{.*"in":50,"out":0,.*"status":0,.*}}},"job":{"namespace":"labelpipe","name":"lp-kpi"},"inputs":\[{"namespace":"file://[^"]*","name":"/[^"]*/alice.jsonl","inputFacets":{"inputStatistics":{.*"rowCount":50}}}\]'
}
tcase openlineage.fail-says-why openlineage && has ol.jsonl '"eventType":"FAIL".*"errorMessage":{[^}]*"message":"[^"]*badin.jsonl:2: '

# The HTML report: self-contained, every chart, escaped, and it renders.
tcase html.page html && { # a page with charts, each closed
	has r.html '^<!DOCTYPE html>'
	grep -o '<svg' r.html > svg.open
	grep -o '</svg>' r.html > svg.close
	holds test "$(lines_of svg.open)" -ge 7
	holds test "$(lines_of svg.open)" = "$(lines_of svg.close)"
}
tcase html.charts html && { # each chart by its title
	has r.html "<title>Cohen's kappa per annotator pair"
	has r.html '<title>Rating histogram'
	has r.html '<title>Class balance: labels'
	has r.html '<title>Gold accuracy per annotator'
	has r.html '<title>Throughput per annotator'
	has r.html '<title>Latency per stage'
	has r.html '<title>Agreement and gold accuracy per day'
	has r.html '<title>Throughput: records per day'
}
tcase html.self-contained html && { # nothing from the network, no scripts
	lacks -i r.html '<script\|<link\|@import\|url(\|src='
	grep -o 'https\?://[^" ]*' r.html | sort -u > urls
	file_is urls http://www.w3.org/2000/svg
}
tcase html.escaped html && { # the names
	has r.html 'al&lt;i&gt;ce &amp; co'
	lacks r.html 'al<i>'
}
tcase html.failed-gates html && has r.html '<td class="fail">FAIL</td>'
tcase html.no-nan html && lacks -i r.html 'nan'
# Parsed by a browser: the DOM has every chart, and it paints.
tcase html.chromium-dom chromium html && {
	chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$PWD/r.html" 2> /dev/null > dom.html
	grep -o '<svg' dom.html > dom.svg
	grep -o '<svg' r.html > svg.open
	holds test "$(lines_of dom.svg)" = "$(lines_of svg.open)"
}
tcase html.chromium-paints chromium html && { # a screenshot with something on it
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=900,2400 --screenshot="$PWD/shot.png" "file://$PWD/r.html" > /dev/null 2>&1
	nonempty shot.png
	holds test "$(wc -c < shot.png)" -gt 40000
}
tcase html.cannot-create labels && check 74 '--html /nonexistent/r.html alice.jsonl' '' '' "lp-kpi: cannot create '/nonexistent/r.html': No such file or directory\n"

# Usage errors.
# --by dataset_version is a drill-down, not a trend (it was filed under
# "over", by its first letter, and refused beside --over).
tcase drilldown.dataset-version-is-by timed && {
	run "$TOOL" -q --json --bootstrap 0 --no-gates --by dataset_version --over day timed.jsonl
	status_is 0
	has out '"by":{"dataset_version":{'
	has out '"over":{"day":{'
	lacks out '"over":{"dataset_version"'
}
tcase usage.by-colour && check 2 '--by colour' '' '' "lp-kpi: invalid --by 'colour' (want annotator, pipeline_version, dataset_version, taxonomy_version or task_id)\n$USAGE"
tcase usage.by-twice && check 2 '--by annotator --by task_id' '' '' "lp-kpi: one --by and one --over at most\n$USAGE"
tcase usage.no-gates-with-gates pass_gates && check 2 '--no-gates --gates pass.json' '' '' "lp-kpi: --no-gates with --gates or --alert-url: choose\n$USAGE"
tcase usage.alert-url-ftp && check 2 '--alert-url ftp://x' '' '' "lp-kpi: --alert-url wants an http:// or https:// URL, not 'ftp://x'\n$USAGE"
tcase usage.openlineage-without-audit labels && check 2 '--openlineage x.jsonl alice.jsonl' '' '' "lp-kpi: --openlineage reads the audit log: give --audit FILE or set LP_AUDIT_LOG\n$USAGE"
tcase help.man-agree && help_man_agree "$MAN"

# The fast path (fields read from canonical lines) and the slow one (the
# same records made non-canonical by a space) agree to the byte.
tcase generated.fast-slow-same generated && { # and the whole report is there
	run -o fast.json "$TOOL" -q --no-gates --json --field condition --field price.currency --over week --bootstrap 50 can.jsonl
	run -o slow.json "$TOOL" -q --no-gates --json --field condition --field price.currency --over week --bootstrap 50 slow.jsonl
	same fast.json slow.json
	has fast.json '"records":3000,'
	has fast.json '"latency_ms":{"lp-clean":'
	has fast.json '"kripp_alpha_ordinal_ci95":\[0\.'
}

finish

#!/bin/sh
# CLI tests of lp-kpi --feedback and --calibration.  Each "tcase" is one
# test (see lib.sh):
#   sh tests/cli/lp-kpi-feedback.sh [-l | case-or-group ...]
# The input, tests/data/feedback, is six items labelled by alice, bob and
# carol over two days, two of them gold; the figures expected below are
# worked out by hand in tests/data/feedback/README.
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-kpi
DATA=$LP_TEST_DATA/feedback

USAGE="usage: lp-kpi [-qv] [--json | --markdown] [--html file]\n       [--gates file | --no-gates] [--alert-url url] [--baseline file]\n       [--gold-key file] [--feedback dir] [--calibration file]\n       [--run-stats file] [--by key] [--over day|week] [--field path]\n       [--bootstrap n] [--seed s] [--verify-audit file]\n       [--openlineage file] [--stage-failed name:status:file]\n       [--calibration-top n] [--roles file] [file ...]\n       lp-kpi --approve-gates file --roles file --audit file\nTry 'lp-kpi --help' for more information.\n"

# Fixtures.
fx_input() { # the labelled items (in.jsonl) and the gold key (gold.key)
	cp "$DATA/labelled.jsonl" in.jsonl && cp "$DATA/gold.key" gold.key
}
fx_feedback() { # the reports of the input in fb/
	needs input &&
	    "$TOOL" -q --no-gates --bootstrap 0 --gold-key gold.key \
		--feedback fb in.jsonl > /dev/null
}
fx_calibration() { # the calibration pack of the input (cal.jsonl)
	needs input &&
	    "$TOOL" -q --no-gates --bootstrap 0 --gold-key gold.key \
		--calibration cal.jsonl in.jsonl > /dev/null
}
fx_split() { # the input as lp-label leaves it: one file per annotator
	needs input || return 1
	for who in alice bob carol; do
		sed "s/\"labels\":\[.*\]/LABELS/; s/,\"adjudication\":{[^}]*}//" \
		    in.jsonl > base.tmp
		awk -v who="$who" '{
			if (match($0, "\\{\"annotator_id\":\"" who "\"[^}]*\\}"))
				print substr($0, RSTART, RLENGTH)
			else
				print ""
		}' in.jsonl > labels.tmp
		paste -d '\t' base.tmp labels.tmp | awk -F '\t' '$2 != "" {
			l = $1; sub(/LABELS/, "\"labels\":[" $2 "]", l); print l
		}' > "$who.jsonl"
	done
	rm -f base.tmp labels.tmp
	[ -s alice.jsonl ] && [ -s carol.jsonl ]
}

# Gold: alice missed item 2 (1 for 2), bob items 1 and 2, carol none.
tcase feedback.gold-misses feedback && {
	has fb/alice.md 'You gave the known answer on 1 of the 2 gold items you labelled: 50.0% (the team.s median: 50.0%)\.'
	has_line fb/alice.md '| ebay-uk:100000000002 | Samsung Galaxy S21 128GB | wrong (1) | major errors (2) | guide-1, The scale |'
	has fb/alice.md '^major errors (2): Understandable but with a major error a buyer would notice'
	count fb/bob.md '^| ebay-uk:10000000000[12] |' 2
	has_line fb/bob.md '| ebay-uk:100000000001 | Apple iPhone 13 128GB Blue | minor issues (3) | correct (4) | guide-1, The scale |'
	has fb/carol.md 'on 2 of the 2 gold items you labelled: 100.0%'
	lacks fb/carol.md 'The gold items you missed'
}
# Peers: alice-bob 4 of 6 the same, kappa (4/6 - 1/4) / (3/4) = 0.56;
# alice-carol 4 of 5, (0.8 - 0.28) / 0.72 = 0.72; bob-carol 2 of 5,
# (0.4 - 0.24) / 0.76 = 0.21; medians 66.7% and 0.56.
tcase feedback.peer-kappa feedback && {
	has_line fb/alice.md '| bob | 6 | 66.7% | 0.56 |'
	has_line fb/alice.md '| carol | 5 | 80.0% | 0.72 |'
	has_line fb/carol.md '| bob | 5 | 40.0% | 0.21 |'
	has_line fb/bob.md 'The team'"'"'s median over every pair of annotators: 66.7% the same label, kappa 0.56.'
}
# The final labels: alice 3 of 4 (kappa (0.75 - 0.25) / 0.75 = 0.67),
# overridden by judy on item 4; bob 4 of 4.
tcase feedback.final-labels feedback && {
	has fb/alice.md 'yours was the final one on 3: 75.0%, kappa 0.67 (the team.s median: 75.0%)\.'
	has_line fb/alice.md '| ebay-uk:100000000004 | Samsung Galaxy S21 5G 128GB | minor issues (3) | major errors (2) | the capacity changed: a key attribute |'
	has fb/bob.md 'yours was the final one on 4: 100.0%, kappa 1.00'
	lacks fb/bob.md 'decided otherwise'
}
# Per class against gold, else the final label.
tcase feedback.classes feedback && {
	has_line fb/alice.md '| wrong (1) | 1 | 1 | 100.0% | 100.0% |'
	has_line fb/alice.md '| major errors (2) | 3 | 1 | 33.3% | 50.0% |'
	has_line fb/bob.md '| correct (4) | 2 | 1 | 50.0% | 100.0% |'
	lacks fb/alice.md 'minor issues (3) | [0-9]'
}
# Pace: alice 6 labels in 45 s = 480 an hour (30 s on day 1: 360; 15 s
# on day 2: 720); bob 180, carol 300, the median 300.
tcase feedback.pace feedback && {
	has fb/alice.md '^You gave 6 labels at 480 labels an hour (.*the team.s median: 300 an hour)\.'
	has_line fb/alice.md '| 2026-12-01 | 360 | 300 |'
	has_line fb/alice.md '| 2026-12-02 | 720 | 300 |'
	has fb/bob.md '^You gave 6 labels at 180 labels an hour'
	has fb/carol.md '^You gave 5 labels at 300 labels an hour'
}
# With --over week, its periods: one week, so no trend table.
tcase feedback.pace-over-week input && {
	run "$TOOL" -q --no-gates --bootstrap 0 --over week --feedback fb in.jsonl
	status_is 0
	has fb/alice.md 'at 480 labels an hour'
	lacks fb/alice.md 'Your pace over the last periods'
}
# Numbers are percentages and names, never raw shares or class numbers.
tcase feedback.wording feedback && {
	lacks fb/alice.md '0\.[0-9][0-9][0-9]'
	lacks fb/alice.md '^| [1-4] |'
	has fb/alice.md "^This page is for you, alice: .* the median of the 3 annotators' figures\.  The labels are named as in the guide (guide-1)\.$"
}
# The page: self-contained, no script, no outside URL, for narrow screens.
tcase feedback.html feedback && {
	has fb/alice.html '^<!DOCTYPE html>'
	has fb/alice.html '<meta name=viewport content="width=device-width, initial-scale=1">'
	has fb/alice.html '<td data-h="item">ebay-uk:100000000002</td><td data-h="title">Samsung Galaxy S21 128GB</td><td data-h="your label">wrong (1)</td><td data-h="expected">major errors (2)</td>'
	has fb/alice.html '@media (max-width:40em){table,tbody,tr,td{display:block}'
	has fb/alice.html 'td::before{content:attr(data-h)'
	lacks -i fb/alice.html '<script\|https\?:\|src=\|@import'
}
# Personal data: the folder 0700, the reports 0600.
tcase feedback.modes feedback && {
	holds test "$(stat -c %a fb)" = 700
	holds test "$(stat -c %a fb/alice.md)" = 600
	holds test "$(stat -c %a fb/carol.html)" = 600
	holds test "$(ls fb | wc -l)" = 6
}
# The input as lp-label leaves it, one file per annotator and the
# adjudicated file, gives the same reports as the merged records.
tcase feedback.split-files split && {
	cp "$DATA/labelled.jsonl" adj.jsonl
	run "$TOOL" -q --no-gates --bootstrap 0 --gold-key gold.key --feedback one in.jsonl
	run "$TOOL" -q --no-gates --bootstrap 0 --gold-key gold.key --feedback many alice.jsonl bob.jsonl carol.jsonl adj.jsonl
	status_is 0
	same one/alice.md many/alice.md
	same one/bob.html many/bob.html
}
tcase feedback.unwritable-dir input && { # a folder under a file: 74, before the work
	: > file
	run "$TOOL" -q --no-gates --feedback file/fb --calibration cal.jsonl in.jsonl
	status_is 74
	file_is err "lp-kpi: cannot create 'file/fb': Not a directory"
	missing cal.jsonl
}
tcase feedback.dir-is-file input && {
	: > file
	run "$TOOL" -q --no-gates --feedback file in.jsonl
	status_is 74
	file_is err "lp-kpi: cannot create 'file': not a directory"
}
tcase feedback.no-annotators && { # no labels: no reports, said, status 0
	printf '{"id":"x","title":"t"}\n' > in.jsonl
	run "$TOOL" --no-gates --feedback fb --calibration cal.jsonl in.jsonl -o /dev/null
	status_is 0
	has_line err "lp-kpi: fb: no annotator's labels in the input: no feedback written"
	holds test "$(ls fb | wc -l)" = 0
	empty cal.jsonl
}
tcase feedback.bad-annotator input && { # an id that names no file: left out, said
	sed 's/"carol"/"..\/x"/g' in.jsonl > bad.jsonl
	run "$TOOL" --no-gates --feedback fb bad.jsonl -o /dev/null
	status_is 0
	has err "^lp-kpi: fb: no feedback for annotator: invalid annotator '\.\./x'"
	holds test "$(ls fb | wc -l)" = 4
	missing x.md
}

# Calibration: item 2 scores 3 x 0.5 + 2 x 2/3 + 0.2 + 3 x 2/3 = 5.033333,
# item 4 3 x 0.5 + 2 x 2/3 + 2 x 1/3 + 0.4 = 3.9, item 1 3.266667,
# item 5 2.5, item 3 0.05; item 6 scores 0 and is left out.
tcase calibration.order calibration && {
	lines cal.jsonl 5
	sed 's/^{"id":"\([^"]*\)".*"score":\([0-9.]*\).*/\1 \2/' cal.jsonl > order
	file_is order 'ebay-uk:100000000002 5.033333' 'ebay-uk:100000000004 3.9' 'ebay-uk:100000000001 3.266667' 'ebay-uk:100000000005 2.5' 'ebay-uk:100000000003 0.05'
}
tcase calibration.parts calibration && {
	has cal.jsonl '^{"id":"ebay-uk:100000000002".*"calibration":{"rank":1,"score":5.033333,"parts":{"disagreement":0.5,"override":0.0,"judge":0.666667,"low_confidence":0.2,"gold_miss":0.666667}}}$'
	has cal.jsonl '^{"id":"ebay-uk:100000000004".*"parts":{"disagreement":0.5,"override":0.666667,"judge":0.333333,"low_confidence":0.4,"gold_miss":0.0}}}$'
}
tcase calibration.everything calibration && { # labels, notes, corrections, adjudication, gold
	has cal.jsonl '^{"id":"ebay-uk:100000000004","title":"Samsung Galaxy S21 5G 128GB","translation":{"text":"三星 Galaxy S21 5G 256GB 黑色"},"rating":{"score":3,"confidence":0.6,"rationale":"judge says ebay-uk:100000000004"},"labels":\[{"annotator_id":"alice",'
	has cal.jsonl '{"annotator_id":"bob","label":2,"round":1,"note":"256GB is not 128GB","correction":"三星 Galaxy S21 128GB",'
	has cal.jsonl '"adjudication":{"label":2,"by":"judy","method":"adjudicator","at":1764669600000,"note":"the capacity changed: a key attribute","correction":"三星 Galaxy S21 5G 128GB 黑色"}'
	has cal.jsonl '^{"id":"ebay-uk:100000000002",.*"gold":{"label":2}'
}
tcase calibration.top input && {
	run "$TOOL" -q --no-gates --gold-key gold.key --calibration cal.jsonl --calibration-top 2 in.jsonl
	lines cal.jsonl 2
	has cal.jsonl '"rank":2,"score":3.9,'
}
tcase calibration.markdown input && { # FILE.md: an agenda
	run "$TOOL" -q --no-gates --gold-key gold.key --calibration cal.md --calibration-top 3 in.jsonl
	status_is 0
	has_line cal.md '# Calibration session: the 3 hardest items'
	has_line cal.md '## 2. ebay-uk:100000000004'
	has_line cal.md 'Score 3.90: disagreement 0.50, override 0.67, judge 0.33, low confidence 0.40, gold miss 0.00.'
	has_line cal.md '- Final label: major errors (2) (adjudicator, judy)'
	has_line cal.md '| bob | major errors (2) | 256GB is not 128GB | 三星 Galaxy S21 128GB |'
	has_line cal.md '- Gold answer: major errors (2)'
}
tcase markdown.escaped input && { # outside text makes no HTML or markup
	sed 's/"256GB is not 128GB"/"<img src=x onerror=alert(1)> *x* [l](u)"/; s/"title":"Samsung Galaxy S21 5G 128GB"/"title":"<b>S21<\/b> | x"/' \
	    in.jsonl > hostile.jsonl
	run "$TOOL" -q --no-gates --gold-key gold.key --calibration cal.md \
	    --feedback fb hostile.jsonl
	status_is 0
	has_line cal.md '| bob | major errors (2) | &lt;img src=x onerror=alert(1)&gt; \*x\* \[l\](u) | 三星 Galaxy S21 128GB |'
	has_line cal.md '- Title: &lt;b&gt;S21&lt;/b&gt; \| x'
	lacks cal.md '<img\|<b>'
	cat fb/*.md > fb.md
	lacks fb.md '<img\|<b>'
}
tcase calibration.mode calibration && holds test "$(stat -c %a cal.jsonl)" = 600
tcase calibration.unwritable input && {
	run "$TOOL" -q --no-gates --calibration nodir/cal.jsonl in.jsonl
	status_is 74
	file_is err "lp-kpi: cannot create 'nodir/cal.jsonl': No such file or directory"
}
# The normal path is not touched: the same report with or without.
tcase calibration.report-unchanged input && {
	run -o a.json "$TOOL" -q --no-gates --json --bootstrap 0 --gold-key gold.key in.jsonl
	run -o b.json "$TOOL" -q --no-gates --json --bootstrap 0 --gold-key gold.key --feedback fb --calibration cal.jsonl in.jsonl
	same a.json b.json
}

# The demo (examples/Makefile, the stand-in LLM): its feedback reports and
# calibration pack.  The figures come from examples/data's answers files:
# alice and bob gave the same label to 43 of 47 items (91.5%; marginals
# give pe 0.5029, kappa 0.83); judy decided 4 items, against alice on
# ebay-uk:256100467221 (46 of 47 final, 97.9%) and against bob on 3 (44
# of 47, 93.6%; median 95.7%); alice took 680.572 s for 47 labels (249
# an hour), bob 695.363 s (243; median 246).  The four items judy
# decided rank first: disagreement 1, override 1/2, the stand-in judge's
# score 4 at confidence 0.7788 (judge part 1 where both labels differ
# from 4, ...063352 1/2 and ...356355 2/3; 1/2 where one does, ...467221
# 4/3 and ...593925 3/4): 3 + 1 + 2 + 0.2212 = 6.2212, or 5.2212.
fx_demo() { # the demo built into out/
	standin_start
	LP_API_BASE=$STANDIN_URL/v1 LP_API_KEY=stand-in make -s \
	    -C "$LP_SRCDIR/examples" BUILD="${LP_BINDIR%/tests}" \
	    OUT="$PWD/out" "$PWD/out/calibration.jsonl" > make.log 2>&1 ||
	    { tail -n 20 make.log >&2; return 1; }
}
tcase demo.feedback demo && {
	has_line out/feedback/alice.md '| bob | 47 | 91.5% | 0.83 |'
	has out/feedback/alice.md 'yours was the final one on 46: 97.9%, .*(the team.s median: 95.7%)'
	has_line out/feedback/alice.md '| ebay-uk:256100467221 | anker usb c cable 2 m blue excellent condition | correct (4) | minor issues (3) | the stricter reading: see the guide'"'"'s rule on key attributes |'
	has out/feedback/bob.md 'yours was the final one on 44: 93.6%'
	count out/feedback/bob.md '^| ebay-uk:256100[0-9]* | .* | the stricter reading' 3
	has out/feedback/alice.md '^You gave 47 labels at 249 labels an hour (.*the team.s median: 246 an hour)'
	has out/feedback/bob.md '^You gave 47 labels at 243 labels an hour'
	holds test "$(stat -c %a out/feedback)" = 700
	holds test "$(stat -c %a out/feedback/bob.html)" = 600
}
tcase demo.calibration demo && {
	lines out/calibration.jsonl 20
	sed 's/^{"id":"\([^"]*\)".*"score":\([0-9.]*\).*/\1 \2/' out/calibration.jsonl | head -n 4 > top
	file_is top 'ebay-uk:256100063352 6.2212' 'ebay-uk:256100356355 6.2212' 'ebay-uk:256100467221 5.2212' 'ebay-uk:256100593925 5.2212'
	holds test "$(stat -c %a out/calibration.jsonl)" = 600
}

tcase usage.calibration-top-zero && check 2 '--calibration c.jsonl --calibration-top 0' '' '' "lp-kpi: invalid --calibration-top '0' (want a whole number from 1 to 1000000)\n$USAGE"
tcase usage.calibration-top-garbage && check 2 '--calibration c.jsonl --calibration-top many' '' '' "lp-kpi: invalid --calibration-top 'many' (want a whole number from 1 to 1000000)\n$USAGE"
tcase usage.calibration-top-alone && check 2 '--calibration-top 5' '' '' "lp-kpi: --calibration-top needs --calibration FILE\n$USAGE"

finish

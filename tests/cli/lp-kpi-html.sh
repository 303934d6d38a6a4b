#!/bin/sh
# CLI tests of lp-kpi's HTML report, the executive page: its structure,
# and how it renders in a real browser (headless Chromium; those cases
# skip when it is absent, and CI installs it).  Each "tcase" is one test
# (see lib.sh):
#   sh tests/cli/lp-kpi-html.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-kpi
PNG=$HERE/png.py

# Fixtures.
# A realistic input: 3000 generated records, 30% labelled by two or three
# of eight annotators over 14 days, gold answers, the judge's scores; some
# labels carry a note (with markup, to be escaped).  Gates that fail
# (agreement) and pass (gold, reject rate), a stage's --stats, and a
# baseline from another seed for the drift.
fx_input() {
	"$LP_GEN" -n 3000 -s 7 --annotate |
	    sed 's/"annotator_id":"ann03","label":\([0-9]\)/&,"note":"unsure <b>\&<\/b>"/' > in.jsonl &&
	    "$LP_GEN" -n 3000 -s 8 --annotate > base-in.jsonl &&
	    "$TOOL" -q --json --bootstrap 0 --no-gates base-in.jsonl > base.json &&
	    "$LP_BINDIR/lp-passthru" -q --stats stage.stats in.jsonl > /dev/null &&
	    printf '%s\n' '[{"metric":"agreement.percent","op":">","value":0.95},{"metric":"gold.accuracy","op":">","value":0.5},{"metric":"rejects.rate","op":"<","value":0.01}]' > gates.json
}
fx_page() { # the report (r.html) of the input; a gate fails: exit 1
	needs input || return 1
	"$TOOL" -q --bootstrap 100 --over day --gates gates.json \
	    --run-stats stage.stats --baseline base.json --html r.html \
	    -o /dev/null in.jsonl
	[ $? = 1 ] && [ -s r.html ]
}
fx_chromium() {
	command -v chromium > /dev/null 2>&1 ||
	    skip 'chromium is not installed; the HTML report was not rendered'
}
fx_python() { # the PNG checks (tests/cli/png.py: standard library only)
	command -v python3 > /dev/null 2>&1 ||
	    skip 'python3 is not installed; the screenshots were not checked'
}

# shoot FILE.html WIDTH PNG: a screenshot of the page at WIDTH pixels.
shoot() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
	    --hide-scrollbars --window-size="$2,2400" --screenshot="$PWD/$3" \
	    "file://$PWD/$1" > /dev/null 2>&1
}

# console FILE.html: what the page logged to the console (Chromium prints
# each message as a line with ":CONSOLE" under --enable-logging).
console() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
	    --enable-logging=stderr --v=0 --dump-dom "file://$PWD/$1" \
	    > /dev/null 2> chromium.log
	grep ':CONSOLE' chromium.log > console.txt || :
}

# overflow FILE.html: Chromium's own layout, measured.  The page has no
# script; a copy of it gets one, which looks at every element laid out
# 400 px wide and counts those whose right edge passes 400 px, except
# inside a box that scrolls on its own (class "scroll": a wide table
# scrolls there, and the page does not).  Headless Chromium's window is
# at least 500 px wide when it dumps the DOM, so the copy pins the page
# to 400 px (html{width:400px}) rather than trusting --window-size; the
# count comes back in the dumped DOM as data-probe="overflow=N ...".
overflow() {
	cat > probe.txt <<-'PROBE'
	<style>html{width:400px}</style><script>
	(function () {
		var w = 400, n = 0, first = "",
		    all = document.body.getElementsByTagName("*");
		for (var i = 0; i < all.length; i++) {
			var e = all[i];
			if (e.getBoundingClientRect().right <= w + 0.5 ||
			    e.closest(".scroll"))
				continue;
			if (n++ === 0)
				first = e.tagName + "." + e.getAttribute("class");
		}
		document.body.setAttribute("data-probe",
		    "overflow=" + n + " first=" + first);
	})();
	</script>
	PROBE
	awk 'FNR == NR { p = p $0 "\n"; next }
	    /<\/body>/ { sub(/<\/body>/, p "</body>") } { print }' \
	    probe.txt "$1" > probe.html
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
	    --dump-dom "file://$PWD/probe.html" 2> /dev/null |
	    grep -o 'data-probe="[^"]*"' > probe.out
}

# The page.
tcase page.verdict page && { # FAIL first, with thresholds, versions, time
	has r.html '<header class="banner v-fail" id="verdict"><p class="verdict">FAIL</p><p>1 of 3 gates failed</p>'
	grep -n '^<li><a href=' r.html > banner
	holds test "$(lines_of banner)" = 3
	has banner '^[0-9]*:<li><a href="#disputed">agreement.percent</a> [0-9.]*%, wants &gt; 95.0%: <b class="fail">FAIL</b></li>$'
	holds test "$(head -n 1 banner | grep -c 'FAIL')" = 1
	has banner 'gold.accuracy</a> [0-9.]*%, wants &gt; 50.0%: <b class="pass">pass</b>'
	# SOURCE_DATE_EPOCH is the time; lp-gen names no versions.
	has r.html 'dataset <b>unknown</b> · pipeline <b>unknown</b> · taxonomy <b>unknown</b> · guidelines <b>unknown</b> · measured <b>2023-11-14 22:13 UTC</b>'
}
tcase page.headline page && { # percentages with intervals
	has r.html '<div class="v"><a href="#disputed">[0-9]*\.[0-9]%</a></div><div class="ci">95% CI [0-9.]*–[0-9.]*%</div>'
	has r.html '<div class="v"><a href="#disputed">0\.[0-9]\{3\}</a></div><div class="ci">95% CI 0\.[0-9]*–0\.[0-9]* (bootstrap)</div>'
	has r.html '<div class="v"><a href="#gold-misses">[0-9]*\.[0-9]%</a></div><div class="ci">95% CI'
	lacks r.html 'class="v">[^<]*0\.[0-9]\{4\}'
}
tcase page.charts page && { # every chart the report promises, by title
	for t in 'Agreement per class (kappa' "Cohen's kappa per annotator pair" \
	    'Confusion: ann05 (rows) × ann08 (cols)' \
	    'Gold accuracy per annotator' 'Judge calibration: accuracy per' \
	    'Rating histogram' 'Class balance: labels' \
	    'Throughput per annotator (labels per hour)' 'Latency per stage' \
	    'Agreement and gold accuracy per day' \
	    "Agreement per day: alpha and Fleiss' kappa" \
	    'Gold accuracy per annotator per day' \
	    'Throughput per day: samples labelled per hour' \
	    'End-to-end latency per day (seconds)'; do
		has -F r.html "<title>$t"
	done
	# A confusion matrix for each pair of annotators with shared items
	# (the --json report's pairs; eight annotators make up to 28).
	"$TOOL" -q --json --bootstrap 0 --no-gates in.jsonl | grep -o '"confusion":' > pairs
	holds test "$(lines_of pairs)" -ge 10
	holds test "$(grep -o '<title>Confusion: ' r.html | wc -l)" = "$(lines_of pairs)"
	# Classes by the shipped taxonomy's names.
	has r.html '>correct (4)<'
	has r.html '>wrong (1)<'
}
tcase page.drift-and-stages page && {
	has r.html '<h2 id="drift">Drift against the baseline</h2>'
	has r.html '<tr><td>labels</td><td class="n">PSI [0-9.]* / JS [0-9.]*</td><td class="\(pass">ok\|fail">SHIFT\)</td></tr>'
	has r.html '<tr class="run"><td>lp-passthru</td>'
}
tcase page.items page && { # the items behind the numbers, capped
	has r.html '<h3 id="disputed">Disputed items: [0-9]*</h3>'
	has r.html '<h3 id="gold-misses">Gold misses: [0-9]*</h3>'
	has r.html '<h3 id="judge-misses">Judge misses: [0-9]*</h3>'
	has r.html '<p class="note">[0-9]* more not shown (the first 50 are).</p>'
	has r.html 'ann03: unsure &lt;b&gt;&amp;&lt;/b&gt;'
	lacks r.html 'unsure <b>'
	# 50 rows a table at most.
	awk '/<h3 id="disputed">/ { on = 1 } /<h3 id="gold-misses">/ { on = 0 }
	    on && /^<tr><td data-k="id">/ { n++ } END { print n + 0 }' r.html > rows
	holds test "$(cat rows)" = 50
}
tcase page.date-labels page && { # 14 days on the axis, none overlapping
	# The first chart over time: its labels under the axis, x in order.
	sed -n '/<title>Agreement and gold accuracy per day/{s/<text x="\([0-9.]*\)" y="[0-9]*" text-anchor="middle">20[0-9-]*</\n@\1\n/g;p;q;}' r.html |
	    sed -n 's/^@//p' > xs
	holds test "$(lines_of xs)" -ge 3
	holds test "$(lines_of xs)" -lt 14
	# 10 characters of 13-pixel text need 85 units between labels.
	holds awk 'NR > 1 && $1 - prev < 85 { exit 1 } { prev = $1 }' xs
}
tcase page.self-contained page && { # no scripts, nothing from outside
	lacks -i r.html '<script\|<link\|<iframe\|<img\|<object\|@import\|url('
	# URLs only as the SVG namespace, never in href, src or the like.
	grep -o '[a-zA-Z:-]*="[a-z]*://[^"]*"' r.html | sort -u > urls
	file_is urls 'xmlns="http://www.w3.org/2000/svg"'
	grep -o 'href="[^"]*"' r.html | grep -v '^href="#' > external || :
	empty external
}
tcase page.anchors page && { # every link to #x finds id="x"
	grep -o 'href="#[^"]*"' r.html | sort -u | sed 's/^href="#//; s/"$//' > links
	holds test "$(lines_of links)" -ge 10
	: > dangling
	while read -r a; do
		grep -q "id=\"$a\"" r.html || echo "$a" >> dangling
	done < links
	empty dangling
}
tcase page.no-nan page && lacks -i r.html 'nan\|undefined\|inf<'
tcase page.pass-banner input && { # all gates pass: the banner is green
	printf '[{"metric":"gold.accuracy","op":">","value":0.1}]\n' > pass.json
	run "$TOOL" -q --bootstrap 0 --gates pass.json --html p.html -o /dev/null in.jsonl
	status_is 0
	has p.html '<header class="banner v-pass" id="verdict"><p class="verdict">PASS</p><p>0 of 1 gates failed</p>'
}
tcase page.no-gates input && { # no gates: said, not a PASS
	run "$TOOL" -q --bootstrap 0 --no-gates --html p.html -o /dev/null in.jsonl
	status_is 0
	has p.html '<header class="banner v-none" id="verdict"><p class="verdict">NO GATES</p>'
}
tcase page.taxonomy input && { # --taxonomy names the classes
	sed 's/"correct"/"spot on"/' "$LP_SRCDIR/guidelines/taxonomy.json" > tax.json
	run "$TOOL" -q --bootstrap 0 --no-gates --taxonomy tax.json --html p.html -o /dev/null in.jsonl
	status_is 0
	has p.html '>spot on (4)<'
	lacks p.html '>correct (4)<'
}
tcase page.bad-taxonomy input && {
	printf '{"version":"t"}\n' > tax.json
	run "$TOOL" -q --bootstrap 0 --no-gates --taxonomy tax.json --html p.html -o /dev/null in.jsonl
	status_is 65
	file_is err 'lp-kpi: tax.json: "version" and "guidelines_version" are required'
	missing p.html
}
tcase page.private page && { # notes, annotators and gold answers: 0600
	holds test "$(stat -c %a r.html)" = 600
	(umask 022 && "$TOOL" -q --bootstrap 0 --no-gates --html u.html \
	    -o /dev/null in.jsonl) || fail 'lp-kpi failed'
	holds test "$(stat -c %a u.html)" = 600
}

# In the browser.
tcase browser.console-clean chromium page && { # no console messages
	console r.html
	empty console.txt
}
tcase browser.console-control chromium page && { # the check can fail
	sed 's|</body>|<script>console.error("broken on purpose")</script></body>|' r.html > bad.html
	console bad.html
	has console.txt 'broken on purpose'
}
tcase browser.no-overflow chromium page && { # nothing wider than 400 px
	overflow r.html
	file_is probe.out 'data-probe="overflow=0 first="'
}
tcase browser.overflow-control chromium page && { # the check can fail
	sed 's|<h1>|<div style="width:900px">wide</div><h1>|' r.html > wide.html
	overflow wide.html
	has probe.out 'data-probe="overflow=[1-9][0-9]* first=DIV.null"'
}
# Screenshots: decoded by png.py; "stats" gives width, height, the share
# of pixels that are not white and the colours seen (a blank page has
# one), "band" the share of a rows' pixels near a colour: the banner's
# red (#cf222e) at the top, across the page at 400 px and across the
# 64em (1024 px) column at 1400 px.
tcase browser.screenshot-400 chromium python page && {
	shoot r.html 400 s.png
	python3 "$PNG" stats s.png > stats
	holds awk '$1 == 400 && $2 == 2400 && $3 > 0.05 && $3 < 0.9 && $4 > 50 { ok = 1 } END { exit !ok }' stats
	python3 "$PNG" band s.png cf222e 4 60 > band
	holds awk '$1 > 0.9 { ok = 1 } END { exit !ok }' band
	# Below the banner the page is white again (the band ends).
	python3 "$PNG" band s.png ffffff 2300 2399 > white
	holds awk '$1 > 0.3 { ok = 1 } END { exit !ok }' white
}
tcase browser.screenshot-1400 chromium python page && {
	shoot r.html 1400 s.png
	python3 "$PNG" stats s.png > stats
	holds awk '$1 == 1400 && $3 > 0.02 && $4 > 50 { ok = 1 } END { exit !ok }' stats
	python3 "$PNG" band s.png cf222e 4 60 > band
	holds awk '$1 > 0.65 && $1 < 0.8 { ok = 1 } END { exit !ok }' band
}
tcase browser.screenshot-pass chromium python input && { # green, not red
	printf '[{"metric":"gold.accuracy","op":">","value":0.1}]\n' > pass.json
	"$TOOL" -q --bootstrap 0 --gates pass.json --html p.html -o /dev/null in.jsonl
	shoot p.html 400 s.png
	python3 "$PNG" band s.png 1a7f37 4 60 > green
	python3 "$PNG" band s.png cf222e 4 60 > red
	holds awk '$1 > 0.9 { ok = 1 } END { exit !ok }' green
	holds awk '$1 < 0.01 { ok = 1 } END { exit !ok }' red
}

finish

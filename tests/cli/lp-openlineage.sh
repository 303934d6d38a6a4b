#!/bin/sh
# CLI tests of lp-audit openlineage: events that say what the runs did,
# valid against the official OpenLineage schema (tests/data/openlineage,
# checked offline with python3-jsonschema), and sent to a lineage server
# as the OpenLineage clients send them.  Each "tcase" is one test (see
# lib.sh):  sh tests/cli/lp-openlineage.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-audit
TOOLS=${LP_TOOLDIR:-$LP_BINDIR}
OLD=$LP_TEST_DATA/openlineage
export LP_PSEUDONYM_KEY=lp-openlineage-tests
unset OPENLINEAGE_URL OPENLINEAGE_ENDPOINT OPENLINEAGE_API_KEY \
    OPENLINEAGE_NAMESPACE OPENLINEAGE_DISABLED
KEY=ol-key-0123456789abcdef

# Fixtures.
fx_python() {
	command -v python3 > /dev/null || skip "no python3"
}
fx_jsonschema() { # python3-jsonschema with draft 2020-12
	needs python || return 1
	python3 -c 'import jsonschema; jsonschema.Draft202012Validator' \
	    2> /dev/null || skip "no python3-jsonschema (draft 2020-12)"
}
# au.log: an lp-clean run that kept out.jsonl, one that failed on
# bad.jsonl (its -o out2.jsonl never written), one to /dev/null, one from
# stdin to stdout; a crawl into a.warc.gz and a run reading it back with
# --from-warc; ol.jsonl: their events; clean.err what the failed run said.
fx_runs() {
	printf '{"id":"1","title":"Phone"}\n' > in.jsonl
	printf '{"id":"1","title":"Phone"}\nnot json\n' > bad.jsonl
	C="$TOOLS/lp-clean -q --plain --audit au.log"
	$C -o out.jsonl in.jsonl &&
	    { $C -o out2.jsonl bad.jsonl 2> clean.err; [ $? = 65 ]; } &&
	    $C -o /dev/null in.jsonl && $C < in.jsonl > /dev/null || return 1
	mkdir -p site/sch && cp "$LP_TEST_DATA/scrape/robots.txt" site/ &&
	    cp "$LP_TEST_DATA/scrape/classic.html" site/sch/i.html &&
	    standin_start --root "$PWD/site" || return 1
	S="$TOOLS/lp-scrape --plain -q --audit au.log"
	$S --pages 1 --delay 0 --warc a.warc.gz -o w.jsonl \
	    "$STANDIN_URL/sch/i.html" && standin_stop &&
	    $S --from-warc a.warc.gz -o fw.jsonl &&
	    "$TOOL" openlineage -o ol.jsonl au.log
}
# The lineage server (tests/data/openlineage/receiver.py) answering 503
# to the first $1 requests; its requests in req.log; RX: its URL.
receiver_start() {
	python3 "$OLD/receiver.py" rx.port req.log "${1:-0}" &
	RX_PID=$!
	i=0
	while [ ! -s rx.port ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	RX=http://127.0.0.1:$(cat rx.port)
	touch req.log
}
receiver_stop() {
	kill "$RX_PID" 2> /dev/null
	wait "$RX_PID" 2> /dev/null
}
# field NAME < req.log: that field of each request, one a line.
field() {
	python3 -c 'import json, sys
for l in sys.stdin:
    print(json.loads(l)[sys.argv[1]])' "$1"
}
# The event of a run (tool, type) in ol.jsonl, nth of them (default 1).
event() {
	grep "^{\"eventType\":\"$2\".*\"job\":{[^}]*\"name\":\"$1\"}" ol.jsonl |
	    sed -n "${3:-1}p"
}

# Every event is valid against the vendored schemas, each facet too.
tcase schema.valid runs jsonschema && {
	run python3 "$OLD/validate.py" ol.jsonl
	status_is 0
	file_is out "12 events valid"
}
tcase schema.catches jsonschema runs && { # the check can fail
	sed 's/"rowCount":1/"rowCount":"1"/' ol.jsonl > broken.jsonl
	run python3 "$OLD/validate.py" broken.jsonl
	status_is 1
	has out "inputStatistics: '1' is not of type 'integer'"
}
tcase schema.https runs && { # producer and schema URLs resolve: https
	lacks ol.jsonl 'urn:'
	count ol.jsonl '"producer":"https://github.com/labelpipe/labelpipe/tree/v[0-9.]*"' 12
	# shellcheck disable=SC2016 # "$defs" is in the URLs
	lacks ol.jsonl '"_\?schemaURL":"[^h]'
}

# Inputs and outputs: what the runs read and kept.
tcase inputs.from-warc runs && { # the archive read back is the input
	event lp-scrape COMPLETE 2 > e
	has e '"inputs":\[{"namespace":"file://[^"]*","name":"/[^"]*/a.warc.gz"}\],'
	# The crawl that wrote it read no file.
	event lp-scrape COMPLETE 1 > e
	has e '"inputs":\[\],'
}
tcase outputs.kept runs && { # a COMPLETE names the file it kept
	event lp-clean COMPLETE 1 > e
	has e '"outputs":\[{"namespace":"file://[^"]*","name":"/[^"]*/out.jsonl","outputFacets":{"outputStatistics":{[^}]*"rowCount":1}}}\]}$'
	event lp-scrape COMPLETE 2 > e
	has e '"name":"/[^"]*/fw.jsonl"'
}
tcase outputs.start-none runs && { # a START cannot know it will keep one
	count ol.jsonl '"eventType":"START"' 6
	count ol.jsonl '"eventType":"START".*"outputs":\[\]}$' 6
}
tcase outputs.failed-none runs && { # a failed run kept nothing: none
	missing out2.jsonl
	event lp-clean FAIL > e
	has e '"outputs":\[\]}$'
	lacks ol.jsonl '"name":"[^"]*out2.jsonl"'
}
tcase outputs.no-devices runs && { # /dev/null, stdin, stdout: no datasets
	lacks ol.jsonl '"name":"/dev/'
	lacks ol.jsonl '"name":"-"'
	event lp-clean COMPLETE 2 > e
	has e '"inputs":\[{[^]]*/in.jsonl",[^]]*\],"outputs":\[\]}$'
	event lp-clean COMPLETE 3 > e
	has e '"inputs":\[\],"outputs":\[\]}$'
}

# The error facet: the first line of what the failed run said.
tcase error.first-line runs && {
	sed 's/^lp-clean: //' clean.err > said
	lines said 1
	event lp-clean FAIL | grep -o '"errorMessage":{[^}]*}' > e
	has e "\"message\":\"$(cat said)\",\"programmingLanguage\":\"C\""
	has e '"_schemaURL":"https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet"'
}
tcase error.in-run-end runs && { # the audit log keeps it, on run_end only
	count au.log '"event":"run_end",.*"error":"bad.jsonl:2: ' 1
	count au.log '"error":' 1
}

# The job namespace.
tcase namespace.default runs && count ol.jsonl '"job":{"namespace":"labelpipe",' 12
tcase namespace.env runs && {
	OPENLINEAGE_NAMESPACE=team-a run "$TOOL" openlineage au.log
	status_is 0
	count out '"job":{"namespace":"team-a","name":"lp-[a-z]*"}' 12
}

# Sending: each event POSTed to URL/api/v1/lineage as JSON, with the key
# as a bearer token, and the file still holding every one.
tcase http.sent runs python && {
	receiver_start
	OPENLINEAGE_URL=$RX/ OPENLINEAGE_API_KEY=$KEY \
	    run "$TOOL" -v openlineage -o sent.jsonl au.log
	receiver_stop
	status_is 0
	same sent.jsonl ol.jsonl
	field body < req.log > bodies.jsonl
	same bodies.jsonl ol.jsonl
	count req.log '"path": "/api/v1/lineage"' 12
	count req.log "\"auth\": \"Bearer $KEY\"" 12
	count req.log '"type": "application/json"' 12
	has err "^lp-audit: 12 events sent to $RX/api/v1/lineage\$"
	lacks err "$KEY"
}
tcase http.endpoint runs python && { # OPENLINEAGE_ENDPOINT, no key: no header
	receiver_start
	OPENLINEAGE_URL=$RX/base OPENLINEAGE_ENDPOINT=/custom/lineage \
	    run "$TOOL" openlineage au.log
	receiver_stop
	status_is 0
	count req.log '"path": "/base/custom/lineage"' 12
	count req.log '"auth": null' 12
}
tcase http.retry-503 runs python && { # a 503 is tried again: none lost
	receiver_start 2
	OPENLINEAGE_URL=$RX run "$TOOL" openlineage au.log
	receiver_stop
	status_is 0
	lines req.log 14
	count req.log '"status": 503' 2
	grep '"status": 201' req.log | field body > bodies.jsonl
	same bodies.jsonl ol.jsonl
}
tcase http.down runs python && { # no server: every event in the file, 69
	receiver_start
	receiver_stop
	OPENLINEAGE_URL=http://ol:pw-0123456789@127.0.0.1:$(cat rx.port) \
	    OPENLINEAGE_API_KEY=$KEY run "$TOOL" openlineage -o kept.jsonl au.log
	status_is 69
	same kept.jsonl ol.jsonl
	has err '^lp-audit: 12 of 12 events not sent: http://ol:\*\*\*@127.0.0.1:[0-9]*/api/v1/lineage: .* (5 tries); every event is in kept.jsonl$'
	lacks err 'pw-0123456789'
	lacks err "$KEY"
}
tcase http.disabled runs python && { # OPENLINEAGE_DISABLED=true: not sent
	receiver_start
	OPENLINEAGE_URL=$RX OPENLINEAGE_DISABLED=true run "$TOOL" openlineage au.log
	receiver_stop
	status_is 0
	empty req.log
	lines out 12
}
tcase http.bad-url && {
	OPENLINEAGE_URL=ftp://x/ run "$TOOL" openlineage /dev/null
	status_is 2
	has err "^lp-audit: OPENLINEAGE_URL wants an http:// or https:// URL, not 'ftp://x/'$"
}

# An interrupt while the server is down (five tries an event, 4.5 s of
# waits) ends the sending at once: 130, every event still in the file.
tcase http.interrupt runs python && {
	receiver_start
	receiver_stop
	OPENLINEAGE_URL=http://127.0.0.1:$(cat rx.port) \
	    "$TOOL" openlineage -o kept.jsonl au.log 2> err &
	pid=$!
	sleep 0.5
	kill -INT $pid
	t0=$(date +%s%N)
	wait $pid
	status=$?
	t1=$(date +%s%N)
	status_is 130
	holds [ $(((t1 - t0) / 1000000)) -lt 1000 ]
	same kept.jsonl ol.jsonl
	has err '^lp-audit: 12 of 12 events not sent: http://127.0.0.1:[0-9]*/api/v1/lineage: interrupted; every event is in kept.jsonl$'
}

finish

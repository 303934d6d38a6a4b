#!/bin/sh
# CLI tests of lp-scrape against hostile servers: the stand-in server with
# scripted answers (a file PATH.http beside a page: status, headers, body,
# delay, drip; see tests/standin.c), two of them for two hosts (two ports
# of 127.0.0.1 are two hosts to the fetcher).  Interrupts while it waits
# out a Retry-After or a body that drips, an interrupted crawl that goes
# on with --resume, redirects to another host under that host's
# robots.txt, and links that keep their host.
# Each "tcase" is one test (see lib.sh):
#   sh tests/cli/lp-scrape-faults.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-scrape
D=${LP_TEST_DATA:?}/scrape
unset LP_CONTACT

# nolineage FILE: the records without lineage and fetch times.
nolineage() {
	sed 's/"fetched_at":[0-9]*,//; s/,"lineage".*//' "$1"
}

# The second host: a stand-in serving b/, logging to b.log; B its URL.
B_PID=
other_start() {
	rm -f b.port
	"$LP_BINDIR/standin" --port-file b.port --root "$PWD/b" --log b.log \
	    --idle-exit 60 &
	B_PID=$!
	trap 'standin_stop; other_stop' EXIT
	i=0
	while [ ! -s b.port ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	B=http://127.0.0.1:$(cat b.port)
	BHOST=127.0.0.1:$(cat b.port)
}
other_stop() {
	if [ -n "$B_PID" ]; then
		kill "$B_PID" 2> /dev/null
		wait "$B_PID" 2> /dev/null
		B_PID=
	fi
}

# lp-scrape in the background, stdout in out, stderr in err; PID is its
# process, and its status lands in rc.
start_bg() {
	rm -f rc pid
	("$TOOL" "$@" > out 2> err &
	echo $! > pid
	wait $!
	echo $? > rc) &
	while [ ! -s pid ]; do sleep 0.01; done
	PID=$(cat pid)
	_lp_cmd="lp-scrape $* &"
}
# wait_for FILE RE: until a line of FILE matches RE (10 s at most).
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2> /dev/null && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}
# term: SIGTERM to PID, then wait for its end, in tenths of a second
# (took; 10 s at most, then SIGKILL); its status in status.
term() {
	kill -TERM "$PID"
	took=0
	while [ ! -s rc ] && [ $took -lt 100 ]; do
		sleep 0.1
		took=$((took + 1))
	done
	[ -s rc ] || kill -KILL "$PID"
	# shellcheck disable=SC2034 # read by status_is
	status=$(cat rc 2> /dev/null || echo killed)
}

# Fixtures.
fx_sites() { # a/ and b/: search pages, robots.txt (a's: Crawl-delay 0.2)
	mkdir -p a/sch b/sch &&
	    cp "$D/robots.txt" a/ &&
	    cp "$D/classic.html" a/sch/i.html &&
	    cp "$D/page2.html" a/sch/page2.html &&
	    cp "$D/page2.html" a/sch/page3.html &&
	    cp "$D/classic.html" b/sch/i.html &&
	    printf 'User-agent: *\nDisallow: /private/\n' > b/robots.txt
}
fx_hosts() { # a/ served at U (a.log), b/ at B (b.log)
	needs sites &&
	    standin_start --root "$PWD/a" --log a.log &&
	    U=$STANDIN_URL &&
	    other_start
}
fx_ebay() { # F: the real saved pages
	F=${LP_EBAY_FIXTURES:-}
	[ -n "$F" ] && [ -f "$F/11-ebaycom-2026-scard.html" ] ||
	    skip "no real eBay pages (LP_EBAY_FIXTURES)"
}

# SIGTERM acts within a second wherever the fetcher waits: status 130,
# where it stopped said, -o not committed (nor its temporary file left).
tcase interrupt.retry-after hosts && { # a Retry-After of 100000 s
	printf '503 Service Unavailable\nRetry-After: 100000\n\nbusy\n' > a/sch/i.html.http
	start_bg --plain --delay 0 -o o.jsonl "$U/sch/i.html"
	wait_for a.log '"path":"/sch/i.html"'
	sleep 0.5
	term
	status_is 130
	holds [ "$took" -le 20 ]
	has err "^lp-scrape: interrupted at start 1 of 1 ($U/sch/i.html), page 1\$"
	missing o.jsonl
	holds [ "$(find . -name '*lp-tmp*' | wc -l)" = 0 ]
}
tcase interrupt.drip hosts && { # a body that comes a byte every 50 ms
	{ printf '200 OK\nContent-Type: text/html\nStandin-Drip-Ms: 50\n\n'; cat a/sch/i.html; } > a/sch/i.html.http
	start_bg --plain --delay 0 -o o.jsonl "$U/sch/i.html"
	wait_for a.log '"path":"/sch/i.html"'
	sleep 0.5
	term
	status_is 130
	holds [ "$took" -le 20 ]
	missing o.jsonl
}
tcase interrupt.delay hosts && { # --delay 3600 after robots.txt
	start_bg --plain -q --delay 3600 "$U/sch/i.html"
	wait_for a.log '"path":"/robots.txt"'
	sleep 0.5
	term
	status_is 130
	holds [ "$took" -le 20 ]
	has err "interrupted at start 1 of 1 ($U/sch/i.html), page 1\$"
}
# An interrupted crawl with an archive: the pages fetched (the second
# start's, waiting for the first) are kept there, and --resume fetches
# only what they lack: the records of an uninterrupted run.
tcase interrupt.resume hosts && {
	grep -v pagination__next a/sch/i.html > a/sch/wait.html
	printf '503\nRetry-After: 100000\n\n' > a/sch/wait.html.http
	start_bg --plain -q --pages 5 --delay 0 --warc a.warc.gz -o o.jsonl "$U/sch/wait.html" "$U/sch/i.html"
	wait_for a.log '"path":"/sch/page3.html"'
	sleep 0.5
	term
	status_is 130
	has err "interrupted at start 1 of 2 ($U/sch/wait.html), page 1: the pages fetched are in a.warc.gz; --resume goes on from there"
	missing o.jsonl
	# The site answers now: go on.
	rm a/sch/wait.html.http
	: > a.log
	run -o rs.jsonl "$TOOL" --plain -q --pages 5 --delay 0 --warc a.warc.gz --resume --stats rs.json "$U/sch/wait.html" "$U/sch/i.html"
	status_is 0
	grep -o '"path":"[^"]*"' a.log > paths
	file_is paths '"path":"/robots.txt"' '"path":"/sch/wait.html"'
	has rs.json '"pages_from_archive":3[,}]'
	# The same records as a run that was never interrupted.
	run -o clean.jsonl "$TOOL" --plain -q --pages 5 --delay 0 "$U/sch/wait.html" "$U/sch/i.html"
	nolineage rs.jsonl > rs.txt
	nolineage clean.jsonl > clean.txt
	lines clean.txt 10
	same clean.txt rs.txt
	other_stop
}

# Redirects: each hop a request to its own host, after that host's
# robots.txt.
tcase redirect.disallowed hosts && { # refused, not fetched; status 1
	printf 'User-agent: *\nDisallow: /\n' > b/robots.txt
	printf '302 Found\nLocation: %s/sch/i.html\n\n' "$B" > a/sch/go.html.http
	run "$TOOL" --plain --delay 0 --stats s.json "$U/sch/go.html"
	status_is 1
	empty out
	has err "^lp-scrape: $U/sch/go.html: redirected to $B/sch/i.html: robots.txt of $BHOST disallows /sch/i.html: not fetched\$"
	has s.json '"robots_disallowed":1,'
	grep -o '"path":"[^"]*"' b.log > paths
	file_is paths '"path":"/robots.txt"'
	other_stop
}
tcase redirect.allowed hosts && { # fetched after that host's robots.txt
	printf '302 Found\nLocation: %s/sch/i.html\n\n' "$B" > a/sch/go.html.http
	run "$TOOL" --plain -q --delay 0 "$U/sch/go.html"
	status_is 0
	lines out 4
	has out "\"source\":{\"site\":\"ebay-uk\",\"url\":\"$B/sch/i.html\",\"page\":1,\"rank\":1,"
	grep -o '"path":"[^"]*"' b.log > paths
	file_is paths '"path":"/robots.txt"' '"path":"/sch/i.html"'
	other_stop
}
tcase redirect.relative hosts && { # a Location relative to the URL
	printf '301 Moved Permanently\nLocation: i.html\n\n' > a/sch/old.html.http
	run "$TOOL" --plain -q --delay 0 "$U/sch/old.html"
	status_is 0
	lines out 4
	has out "\"url\":\"$U/sch/i.html\",\"page\":1,"
	other_stop
}
tcase redirect.loop hosts && { # at most 5 followed
	printf '302 Found\nLocation: loop.html\n\n' > a/sch/loop.html.http
	run "$TOOL" --plain --delay 0 "$U/sch/loop.html"
	status_is 69
	has err "^lp-scrape: $U/sch/loop.html: more than 5 redirects (after 6 attempts)\$"
	count a.log '"path":"/sch/loop.html"' 6
	other_stop
}
tcase redirect.warc hosts && { # each hop archived; the page under the URL asked
	printf '302 Found\nLocation: %s/sch/i.html\n\n' "$B" > a/sch/go.html.http
	run -o w.jsonl "$TOOL" --plain -q --delay 0 --warc a.warc.gz "$U/sch/go.html"
	status_is 0
	other_stop
	run -o fw.jsonl "$TOOL" --plain -q --from-warc a.warc.gz
	status_is 0
	nolineage w.jsonl > w.txt
	nolineage fw.jsonl > fw.txt
	same w.txt fw.txt
	gzip -dc a.warc.gz | tr -d '\r' > a.warc
	has -a a.warc "^WARC-Target-URI: $U/sch/go.html\$"
	has -a a.warc '^HTTP/1.1 302 Found$'
	has -a a.warc "^LP-URL: $U/sch/go.html\$"
}

# Links keep the host of the page they were on.
tcase links.ebay-com ebay && { # a saved www.ebay.com page: urls on www.ebay.com
	run "$TOOL" --plain -q "$F/11-ebaycom-2026-scard.html"
	status_is 0
	lines out 60
	count out '"url":"https://www.ebay.com/itm/[0-9]*",' 60
	lacks out 'ebay\.co\.uk'
	head -1 out > first
	has first '^{"id":"ebay-uk:406610186423","title":"[^"]*","url":"https://www.ebay.com/itm/406610186423",'
}
tcase links.ebay-uk && { # a www.ebay.co.uk page's stay there
	run "$TOOL" --plain -q "$D/classic.html"
	count out '"url":"https://www.ebay.co.uk/itm/[0-9]*"' 4
}

finish

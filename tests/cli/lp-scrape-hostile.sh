#!/bin/sh
# CLI tests of lp-scrape on hostile pages (issue 25): nesting no page
# needs, tags never closed, NUL bytes in names, pages over --max-page by
# every way a page comes in, and starts that cannot be opened.  Each
# "tcase" is one test (see lib.sh):
#   sh tests/cli/lp-scrape-hostile.sh [-l | case-or-group ...]
# Memory and the stack are bounded, not timed: peak RSS (/usr/bin/time)
# under a generous 200 MB, and the deep pages read under a 1 MB stack.
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-scrape
D=${LP_TEST_DATA:?}/scrape
unset LP_CONTACT

# A bound on the peak RSS of a run, in KiB.
RSS_MAX=204800

# rep N TEXT: TEXT N times.
rep() {
	awk -v n="$1" -v t="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", t }'
}

# measured COMMAND...: run it (as run does), its peak RSS in KiB in rss.
measured() {
	run /usr/bin/time -f %M -o rss "$@"
}

# The ids of the listings read, and those of classic.html's: the rest
# of a page is still read.
ids() {
	grep -o '"id":"ebay-uk:[0-9]*"' out | tr '\n' ' '
}
IDS='"id":"ebay-uk:265012345678" "id":"ebay-uk:265099999999" "id":"ebay-uk:265011111111" "id":"ebay-uk:265022222222" '

# Fixtures.
fx_time() { # peak RSS is measured with GNU time
	[ -x /usr/bin/time ] || skip "no /usr/bin/time"
}
fx_unclosed() { # the listings, then 30,000 <div>s never closed
	{ cat "$D/classic.html" && rep 30000 '<div>'; } > unclosed.html
}
fx_deep() { # the listings, then <div>s nested 100,000 deep
	{ cat "$D/classic.html" && rep 100000 '<div>' && printf x &&
	    rep 100000 '</div>'; } > deep.html
}
fx_misnest() { # the listings, then end tags a parser ignores, 30,000 times
	{ cat "$D/classic.html" && rep 30000 '<span><div></span>'; } > misnest.html
}
fx_nul() { # a NUL in class names and an attribute name, then the listings
	{ printf '<ul class="srp-results"><li class="s-card\000">' &&
	    printf '<li id\000x=1 class="s-item\000">' &&
	    cat "$D/classic.html"; } > nul.html
}
fx_site() { # the hostile pages and the listings on the stand-in server
	needs unclosed deep nul || return 1
	mkdir -p site && cp unclosed.html deep.html nul.html site/ &&
	    cp "$D/classic.html" site/ && standin_start --root "$PWD/site"
}

# Nesting: bounded memory and stack, the listings before it still read.
tcase nesting.unclosed-30k time unclosed && {
	measured "$TOOL" --plain -q unclosed.html
	status_is 0
	holds [ "$(ids)" = "$IDS" ]
	holds [ "$(cat rss)" -lt "$RSS_MAX" ]
}
tcase nesting.deep-100k time deep && {
	run sh -c 'ulimit -s 1024 && exec "$@"' sh /usr/bin/time -f %M -o rss \
	    "$TOOL" --plain -q deep.html
	status_is 0
	holds [ "$(ids)" = "$IDS" ]
	holds [ "$(cat rss)" -lt "$RSS_MAX" ]
}
tcase nesting.misnested-30k time misnest && {
	run sh -c 'ulimit -s 1024 && exec "$@"' sh /usr/bin/time -f %M -o rss \
	    "$TOOL" --plain -q misnest.html
	status_is 0
	holds [ "$(ids)" = "$IDS" ]
	holds [ "$(cat rss)" -lt "$RSS_MAX" ]
}
tcase nesting.over-http time site && {
	measured "$TOOL" --plain -q --delay 0 "$STANDIN_URL/unclosed.html" \
	    "$STANDIN_URL/deep.html"
	status_is 0
	count out '"id":"ebay-uk:' 8
	holds [ "$(cat rss)" -lt "$RSS_MAX" ]
}

# A NUL in a name is another name (as the parser reads it), never read
# past: the card whose class has one is not a card; the rest are read.
tcase nul.file nul && {
	run "$TOOL" --plain -q nul.html
	status_is 0
	holds [ "$(ids)" = "$IDS" ]
}
tcase nul.over-http site && {
	run "$TOOL" --plain -q --delay 0 "$STANDIN_URL/nul.html"
	status_is 0
	holds [ "$(ids)" = "$IDS" ]
}

# --max-page wherever a page comes in: a file (65, named), standard input
# as a file, a fetched page and an archived one (failed pages: 69 when
# all failed).
tcase max-page.file && {
	run "$TOOL" --plain --max-page 1k "$D/classic.html"
	status_is 65
	file_is err "lp-scrape: $D/classic.html: the page is larger than 1024 bytes"
	empty out
}
tcase max-page.stdin && {
	run -i "$D/classic.html" "$TOOL" --plain --max-page 1k /dev/stdin
	status_is 65
	file_is err "lp-scrape: /dev/stdin: the page is larger than 1024 bytes"
}
tcase max-page.endless && { # a file with no end is read no further
	run "$TOOL" --plain --max-page 1k /dev/zero
	status_is 65
	file_is err "lp-scrape: /dev/zero: the page is larger than 1024 bytes"
}
tcase max-page.http site && {
	run "$TOOL" --plain --delay 0 --max-retries 0 --max-page 1k \
	    "$STANDIN_URL/classic.html"
	status_is 69
	has err 'classic.html: the page is larger than 1024 bytes'
	empty out
}
tcase max-page.warc site && {
	run "$TOOL" --plain -q --delay 0 --warc a.warc.gz "$STANDIN_URL/classic.html"
	status_is 0
	run "$TOOL" --plain --from-warc a.warc.gz --max-page 1k
	status_is 69
	has_line err "lp-scrape: $STANDIN_URL/classic.html: the page is larger than 1024 bytes"
	empty out
}

# A start that cannot be opened says why, with the I/O status.
tcase open.missing-file && check 74 '--plain nope.html' '' '' \
    "lp-scrape: cannot open 'nope.html': No such file or directory\n"
tcase open.directory && {
	mkdir d
	run "$TOOL" --plain d
	status_is 74
	file_is err 'lp-scrape: d: Is a directory'
}
tcase open.warc-directory && {
	mkdir d.warc.gz
	run "$TOOL" --plain --from-warc d.warc.gz
	status_is 74
	file_is err 'lp-scrape: d.warc.gz: Is a directory'
}

finish

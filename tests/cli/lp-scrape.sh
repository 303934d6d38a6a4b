#!/bin/sh
# CLI tests of lp-scrape: small pages of both eBay markup generations
# (tests/data/scrape), served by the stand-in server with faults, and the
# real saved eBay pages of ../shared/fixtures/ebay when they are there.
# Each "tcase" is one test (see lib.sh):
#   sh tests/cli/lp-scrape.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-scrape
MAN=$HERE/../../man/lp-scrape.1
D=${LP_TEST_DATA:?}/scrape
unset LP_CONTACT

USAGE="usage: lp-scrape [-qv] [-o file] [--query text] [--pages n] [--profile file]\n       [--delay seconds] [--per-host n] [--contact address]\n       [--ignore-robots] [--warc file [--resume]] [url | file ...]\n       lp-scrape --from-warc file\n       lp-scrape --check-robots robots.txt agent url ...\nTry 'lp-scrape --help' for more information.\n"

# field NAME: a count of the stand-in's.
field() {
	sed "s/.*\"$1\":\([0-9]*\).*/\1/" standin.stats
}
# nolineage FILE: the records without lineage (and fetched_at with -t).
nolineage() {
	if [ "$1" = -t ]; then
		sed 's/"fetched_at":[0-9]*,//; s/,"lineage".*//' "$2"
	else
		sed 's/,"lineage".*//' "$1"
	fi
}

# Fixtures.
fx_classic() { # f.jsonl, f.stats: classic.html read from the file
	"$TOOL" --plain --stats f.stats "$D/classic.html" > f.jsonl 2> f.err
}
fx_ebay() { # F: the real saved pages
	F=${LP_EBAY_FIXTURES:-}
	[ -n "$F" ] && [ -f "$F/truth.json" ] ||
	    skip "no real eBay pages (LP_EBAY_FIXTURES/truth.json)"
}
# A site for the stand-in server, from the pages above: a search page,
# its second page and a third that repeats it, pages robots.txt keeps out
# (but one), a bot check.
fx_site() {
	mkdir -p site/sch site/private &&
	    cp "$D/robots.txt" site/ &&
	    cp "$D/classic.html" site/sch/i.html &&
	    cp "$D/page2.html" site/sch/page2.html &&
	    cp "$D/page2.html" site/sch/page3.html &&
	    cp "$D/blocked.html" site/sch/blocked.html &&
	    cp "$D/classic.html" site/private/x.html &&
	    cp "$D/classic.html" site/private/open.html
}
fx_http() { # the site served, requests logged in http.log; U: its URL
	needs site &&
	    standin_start --root "$PWD/site" --log http.log &&
	    U=$STANDIN_URL
}
fx_warc() { # a.warc.gz (and a.warc) of a crawl, w.jsonl its records
	needs http &&
	    "$TOOL" --plain -q --pages 5 --delay 0 --warc a.warc.gz "$U/sch/i.html" > w.jsonl &&
	    gzip -dc a.warc.gz > a.warc
}

# A local file: placeholders and items without a link skipped; the
# fields of each kind of card.
tcase file.listings && { # 4 listings, placeholders skipped
	run -o f.jsonl "$TOOL" --plain --stats f.stats "$D/classic.html"
	status_is 0
	lines f.jsonl 4
	has f.stats '"items_skipped":2,'
}
tcase file.title-as-shown classic && { # no "New listing", no "Opens in a new window"; canonical url, id
	has f.jsonl '^{"id":"ebay-uk:265012345678","title":"Apple iPhone 13 128GB Blue","url":"https://www.ebay.co.uk/itm/265012345678","price":{"amount":349.99,"currency":"GBP","text":"£349.99"},"shipping":{"amount":3.99,"currency":"GBP","text":"+£3.99 postage"},"condition":"Pre-owned","listing":{"buy_it_now":true,"type":"buy_it_now"},"seller":"phonehub","location":"United Kingdom","image":"https://i.ebayimg.com/images/g/a/s-l225.jpg","source":{"site":"ebay-uk","url":"file:///.*/classic.html","page":1,"rank":1,"fetched_at":1700000000000,"http_status":null}'
}
tcase file.range-postage-offer classic && { # a price range, free postage, best offer, sponsored
	has f.jsonl '"price":{"min":5.99,"max":14.99,"currency":"GBP","text":"£5.99 to £14.99"},"shipping":{"free":true},"listing":{"best_offer":true,"type":"buy_it_now"},"sponsored":true,'
}
tcase file.auction classic && { # bids and time left
	has f.jsonl '"title":"Vintage Nokia 3310 – boxed",.*"listing":{"bids":7,"time_left":"1d 4h","type":"auction"}'
}
tcase file.broken-html classic && { # missing fields: what is there
	has f.jsonl '^{"id":"ebay-uk:265022222222","title":"Charger, no price shown","url":"https://www.ebay.co.uk/itm/265022222222","listing":{"type":"buy_it_now"},"source"'
}

# An item page: its schema.org Product (JSON-LD, in a @graph, after a
# script that is not JSON) gives the record; the profile's selectors the
# rest.
tcase jsonld.item && { # read from its Product
	run "$TOOL" --plain -q "$D/item.html"
	has out '^{"id":"ebay-uk:256123456789","title":"Apple iPhone 13 128GB Midnight Unlocked – Grade A","url":"https://www.ebay.co.uk/itm/256123456789","price":{"amount":329.0,"currency":"GBP","text":"GBP 329.00"},"condition":"Used","listing":{"type":"buy_it_now"},"seller":"phone_outlet_uk","image":"https://i.ebayimg.com/images/g/x/s-l1600.jpg","source"'
}
tcase jsonld.aggregate-offer && { # a range
	sed 's/"offers":{"@type":"Offer"/"offers":{"@type":"AggregateOffer","lowPrice":"299.99","highPrice":"349.00"/; s/"price":"329.00",//' "$D/item.html" > range.html
	run "$TOOL" --plain -q range.html
	has out '"price":{"min":299.99,"max":349.0,"currency":"GBP","text":"GBP 299.99 to GBP 349.00"}'
}
tcase jsonld.missing-field && { # left out, not invented
	sed 's/"name":"Apple iPhone 13 128GB Midnight Unlocked \\u2013 Grade A",//' "$D/item.html" > noname.html
	run "$TOOL" --plain -q noname.html
	lines out 1
	lacks out '"title"'
}
tcase jsonld.none && { # no JSON-LD and no cards: no records, no guessing
	sed 's/application\/ld+json/text\/plain/g' "$D/item.html" > nold.html
	run "$TOOL" --plain -q nold.html
	status_is 0
	empty out
}
tcase file.latin1 && { # converted to UTF-8
	run "$TOOL" --plain -q "file://$D/latin1.html"
	status_is 0
	has out '"title":"Café Crème mug",.*"price":{"amount":4.0,"currency":"GBP","text":"£4.00"}'
}
tcase file.shift-jis && check 65 "--plain $D/sjis.html" '' '' "lp-scrape: $D/sjis.html: the page is in shift_jis, not UTF-8 or Latin-1\n"
tcase file.no-results && { # said, no records, exit 0
	run "$TOOL" --plain "$D/empty.html"
	status_is 0
	empty out
	has err 'no results'
}
tcase file.bot-check && { # status 69, said so, never zero records silently
	run "$TOOL" --plain "$D/blocked.html"
	status_is 69
	has err 'the page is a bot check (blocked); stopping'
}

# The real saved eBay pages: counts and first listings (truth.json).
# real_page FILE: as many listings as truth.json says, the first its first.
real_page() {
	f=$F/$1
	run "$TOOL" --plain -q "$f"
	want=$(grep -A2 "\"file\": \"$1\"" "$F/truth.json" | sed -n 's/.*"items": \([0-9]*\).*/\1/p')
	first=$(grep -A12 "\"file\": \"$1\"" "$F/truth.json" | sed -n 's/.*"item_id": "\([0-9]*\)".*/\1/p' | head -1)
	lines out "$want"
	head -1 out > first
	has first "^{\"id\":\"ebay-uk:$first\""
}
tcase real.page-11 ebay && real_page 11-ebaycom-2026-scard.html
tcase real.page-12 ebay && real_page 12-ebaycom-2025-sample.html
tcase real.page-13 ebay && real_page 13-auction-etl.html
tcase real.page-14 ebay && real_page 14-action-figures.html

# Over HTTP: robots.txt first, pagination by the next link, a repeated
# page ends it, the site's Crawl-delay (0.2 s) when longer than --delay.
tcase http.pagination http && { # three pages, in order, the third a repeat of the second
	run "$TOOL" --plain -q --pages 5 --delay 0.05 --contact ops@example.org --stats h.stats "$U/sch/i.html"
	status_is 0
	lines out 6
	sed 's/.*"page":\([0-9]*\),"rank":\([0-9]*\).*/\1.\2/' out > ranks
	file_is ranks 1.1 1.2 1.3 1.4 2.1 2.2
	has h.stats '"pages_repeated":1,'
	# source: the page URL and status 200.
	has out "\"source\":{\"site\":\"ebay-uk\",\"url\":\"$U/sch/page2.html\",\"page\":2,\"rank\":1,\"fetched_at\":[0-9]*,\"http_status\":200}"
}
tcase http.politeness http && {
	run "$TOOL" --plain -q --pages 5 --delay 0.05 --contact ops@example.org "$U/sch/i.html"
	# robots.txt fetched once, before any page.
	count http.log '"path":"/robots.txt"' 1
	head -1 http.log > first
	has first '/robots.txt'
	# Crawl-delay 0.2 kept between pages.
	holds awk -F'"t":' '/sch/ { split($2, a, ","); if (p != "" && a[1] - p < 0.19) bad = 1; p = a[1] } END { exit bad }' http.log
	# A User-Agent naming the tool and the contact.
	has http.log '"user_agent":"lp-scrape/[0-9.]* (labelpipe; +ops@example.org)"'
}
tcase http.robots-disallow http && { # not fetched, the allowed page is; exit 1
	run "$TOOL" --plain "$U/private/x.html" "$U/private/open.html"
	status_is 1
	lines out 4
	has err 'private/x.html: robots.txt disallows it: not fetched'
	lacks http.log 'private/x.html'
}
tcase http.ignore-robots http && { # fetched, said, and in the audit log
	run "$TOOL" --plain --ignore-robots --audit a.log "$U/private/x.html"
	status_is 0
	lines out 4
	has err 'robots.txt is not obeyed'
	has a.log '"event":"robots_ignored"'
	has a.log '"event":"fetch"'
}
tcase http.bot-check http && { # 69
	run "$TOOL" --plain -q "$U/sch/blocked.html"
	status_is 69
}

# --warc: every request and response as WARC/1.1, a gzip member each;
# pages in output order with where they belong.
tcase warc.same-records http && { # the run as without it
	"$TOOL" --plain -q --pages 5 --delay 0.05 --contact ops@example.org "$U/sch/i.html" > h.jsonl
	run -o w.jsonl "$TOOL" --plain -q --pages 5 --delay 0 --warc a.warc.gz "$U/sch/i.html"
	status_is 0
	nolineage -t w.jsonl > w.txt
	nolineage -t h.jsonl > h.txt
	same h.txt w.txt
}
tcase warc.records warc && {
	# warcinfo, then 4 requests and 4 responses (robots.txt too).
	grep -a '^WARC-Type:' a.warc | tr -d '\r' | sort | uniq -c | awk '{ printf "%s %s\n", $1, $3 }' > types
	file_is types '4 request' '4 response' '1 warcinfo'
	# One gzip member per record.
	holds [ "$(od -An -v -tx1 a.warc.gz | tr -d '\n' | grep -o '1f 8b 08' | wc -l)" -ge 9 ]
	# A page says where it belongs.
	grep -a -A2 '^LP-Start: 0' a.warc | tr -d '\r' > start
	has start '^LP-Page: 2'
	# Requests as sent, responses linked to them.
	has -a a.warc '^GET /sch/page2.html HTTP/1.1'
	has -a a.warc '^WARC-Concurrent-To: <urn:uuid:'
	has -a a.warc '^WARC-IP-Address: 127.0.0.1'
}
tcase warc.two-starts http && { # one host, two start URLs: robots.txt fetched and archived once
	run -o w.jsonl "$TOOL" --plain -q --pages 1 --delay 0 --warc a.warc.gz "$U/sch/i.html" "$U/sch/page2.html"
	status_is 0
	gzip -dc a.warc.gz | tr -d '\r' | grep -a -A1 '^WARC-Type: response' | grep -a '^WARC-Target-URI:' | sort | uniq -d > twice
	file_is twice
	grep -c '"path":"/robots.txt"' http.log > robots
	file_is robots 1
	gzip -dc a.warc.gz | tr -d '\r' | grep -a -c '^WARC-Type: response' > responses
	file_is responses 3
}
tcase warc.from-warc warc && { # the same records, fetched time and all; nothing fetched
	cp http.log http.before
	run -o fw.jsonl "$TOOL" --plain -q --from-warc a.warc.gz
	status_is 0
	nolineage fw.jsonl > fw.txt
	nolineage w.jsonl > w.txt
	same w.txt fw.txt
	same http.before http.log
}
# An interrupted crawl: the last record cut short; --resume fetches what
# the archive lacks and nothing else.
tcase warc.resume warc && {
	truncate -s $(($(wc -c < a.warc.gz) - 100)) a.warc.gz
	: > http.log
	run -o rs.jsonl "$TOOL" --plain --pages 5 --delay 0 --warc a.warc.gz --resume --stats rs.json "$U/sch/i.html"
	status_is 0
	nolineage rs.jsonl > rs.txt     # the same records
	nolineage w.jsonl > w.txt
	same w.txt rs.txt
	# Only the page the archive lacked is fetched.
	grep -o '"path":"[^"]*"' http.log > paths
	file_is paths '"path":"/robots.txt"' '"path":"/sch/page3.html"'
	has rs.json '"pages_from_archive":2'
	# The cut record is reported.
	has err 'a.warc.gz: record 9 at byte [0-9]*: the archive ends inside this record (cut short) (an interrupted crawl): the records before it are used'
	# The archive is whole again and replays the same.
	run -o fw2.jsonl "$TOOL" --plain -q --from-warc a.warc.gz
	nolineage fw2.jsonl > fw2.txt
	same w.txt fw2.txt
}
# Another tool's archive (no LP- fields, all records in one member):
# every HTML page a start of its own.
tcase warc.foreign warc && { # its HTML pages read
	sed '/^LP-/d' a.warc | gzip > other.warc.gz
	run "$TOOL" --plain -q --from-warc other.warc.gz
	status_is 0
	lines out 8
}
tcase warc.not-gzip && {
	printf 'WARC/1.1\r\n' > plain.warc
	check 65 "--plain --from-warc plain.warc" '' '' "lp-scrape: plain.warc: record 1 at byte 0: not a gzip member (lp-scrape reads WARC files with one gzip member per record, .warc.gz)\n"
}
tcase warc.missing && check 74 "--plain --from-warc nope.warc.gz" '' '' "lp-scrape: nope.warc.gz: No such file or directory\n"
tcase usage.resume-alone && check 2 "--resume x" '' '' "lp-scrape: --resume goes with --warc FILE\n$USAGE"
tcase usage.from-warc-alone && check 2 "--from-warc a.warc.gz x" '' '' "lp-scrape: --from-warc reads pages from the archive alone (no --warc, --query or urls)\n$USAGE"

# robots.txt missing (404): everything allowed; failing (500): nothing.
tcase robots.missing site && { # 404: allowed
	standin_start --root "$PWD/site" --robots-status 404
	run "$TOOL" --plain -q "$STANDIN_URL/private/x.html"
	status_is 0
	lines out 4
}
tcase robots.failing site && { # 500: nothing fetched, exit 1
	standin_start --root "$PWD/site" --robots-status 500
	run "$TOOL" --plain -q --max-retries 1 "$STANDIN_URL/sch/i.html"
	status_is 1
	empty out
	holds [ "$(field pages)" = 0 ]
}

# Faults: retried (after Retry-After for 429), the rate backs off.
# fault_once KIND: KIND once, retried, the page read.
fault_once() {
	standin_start --root "$PWD/site" --fault "$1:1" --fault-limit 1
	run "$TOOL" --plain -q --delay 0 --stats x.stats "$STANDIN_URL/sch/i.html"
	status_is 0
	lines out 4
	has x.stats '"http_retries":1,'
}
tcase faults.429-once site && fault_once 429
tcase faults.503-once site && fault_once 503
tcase faults.500-once site && fault_once 500
tcase faults.truncate-once site && fault_once truncate
# (A reset on a reused connection libcurl itself retries at once.)
tcase faults.reset site && { # the page read
	standin_start --root "$PWD/site" --fault reset:1 --fault-limit 1
	run "$TOOL" --plain -q --delay 0 "$STANDIN_URL/sch/i.html"
	status_is 0
	lines out 4
}
tcase faults.429-throttled site && { # counted as throttling
	standin_start --root "$PWD/site" --fault 429:1 --fault-limit 1
	run "$TOOL" --plain -q --delay 0 --stats x.stats "$STANDIN_URL/sch/i.html"
	has x.stats '"http_throttled":1[,}]'
}
tcase faults.timeout site && { # a page slower than --timeout: an error, every page failed: 69
	standin_start --root "$PWD/site" --fault slow:1 --slow-ms 2500
	run "$TOOL" --plain --timeout 1 --max-retries 0 "$STANDIN_URL/sch/i.html"
	status_is 69
	has err 'Operation timed out'
}
tcase faults.max-page site && { # a page over --max-page: refused, not cut short
	standin_start --root "$PWD/site"
	run "$TOOL" --plain --max-page 1k "$STANDIN_URL/sch/i.html"
	status_is 69
	has err 'the page is larger than 1024 bytes'
	empty out
}

# The per-host cap: 6 pages at once, at most 2 in flight (the site's
# Crawl-delay of 0.2 s spaces their starts; each takes 0.6 s).
tcase per-host.cap site && { # never more than 2 at once, output in order
	standin_start --root "$PWD/site" --latency-ms 600
	run "$TOOL" --plain -q --delay 0 --per-host 2 "$STANDIN_URL/sch/i.html?1" "$STANDIN_URL/sch/i.html?2" "$STANDIN_URL/sch/i.html?3" "$STANDIN_URL/sch/i.html?4" "$STANDIN_URL/sch/i.html?5" "$STANDIN_URL/sch/i.html?6"
	status_is 0
	holds [ "$(field max_inflight)" = 2 ]
	grep -o 'i.html?[0-9]' out | uniq > pages
	file_is pages 'i.html?1' 'i.html?2' 'i.html?3' 'i.html?4' 'i.html?5' 'i.html?6'
}

# URLs from stdin: lines, or records with a url.
tcase stdin.urls http && { # lines and records, in order
	printf '%s\n' "$U/sch/page2.html" "{\"url\":\"$U/sch/i.html\"}" '{"nourl":1}' > urls
	run -i urls "$TOOL" --plain
	status_is 0
	lines out 6
	head -1 out > first
	has first '275000000001'
	has err 'a record without a url'
}

# --query builds the search URL from the profile.
tcase query.search-url http && { # the query encoded
	sed "s|https://www.ebay.co.uk/sch/i.html?_nkw={query}&_pgn={page}|$U/sch/i.html?_nkw={query}\&_pgn={page}|" "$LP_SRCDIR/lib/data/ebay-uk.profile.json" > local.json
	run "$TOOL" --plain -q --profile local.json --query 'iphone 13 "pro"'
	status_is 0
	lines out 4
	has out "\"url\":\"$U/sch/i.html?_nkw=iphone+13+%22pro%22&_pgn=1\""
}

# --check-robots: the verdict per URL, skipped lines named.
fx_robots() { printf 'User-agent: *\nDisallow: /sch/\nAllow: /sch/i.html$\nbad line\nCrawl-delay: 2\n' > robots.txt; }
tcase robots.check robots && check 0 '--check-robots robots.txt labelpipe https://www.ebay.co.uk/sch/i.html https://www.ebay.co.uk/sch/i.html?_nkw=x /itm/1' '' 'allowed\thttps://www.ebay.co.uk/sch/i.html\ndisallowed\thttps://www.ebay.co.uk/sch/i.html?_nkw=x\nallowed\t/itm/1\ncrawl-delay\t2\n' 'lp-scrape: robots.txt:4: no colon: not "field: value"\n'

# Bad profiles and usage errors.
tcase profile.bad-selector && {
	printf '{"item":"li.x","fields":[{"name":"t","select":"a["}]}\n' > bad.json
	check 65 "--profile bad.json $D/classic.html" '' '' "lp-scrape: bad.json: fields[0].select: column 3: expected an attribute name\n"
}
tcase profile.bad-pattern && {
	printf '{"item":"li.x","fields":[{"name":"t","select":"a","pattern":"(("}]}\n' > bad.json
	check 65 "--profile bad.json $D/classic.html" '' '' "lp-scrape: bad.json: fields[0].pattern: Unmatched ( or \\\\(\n"
}
tcase usage.bad-pages && check 2 '--pages 0' '' '' "lp-scrape: invalid --pages '0' (want a whole number from 1 to 1000)\n$USAGE"
tcase usage.unknown-site && check 2 '--site ebay-de' '' '' "lp-scrape: unknown --site 'ebay-de' (built in: ebay-uk; or --profile FILE)\n$USAGE"
tcase usage.check-robots-alone robots && check 2 '--check-robots robots.txt' '' '' "lp-scrape: --check-robots needs robots.txt, an agent and URLs\n$USAGE"
tcase help.man-agree && help_man_agree "$MAN"

finish

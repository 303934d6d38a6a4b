#!/bin/sh
# CLI tests of lp-scrape: small pages of both eBay markup generations
# (tests/data/scrape), served by the stand-in server with faults, and the
# real saved eBay pages of ../shared/fixtures/ebay when they are there.
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-scrape
MAN=$(dirname "$0")/../../man/lp-scrape.1
D=${LP_TEST_DATA:?}/scrape
unset LP_CONTACT

USAGE="usage: lp-scrape [-qv] [-o file] [--query text] [--pages n] [--profile file]\n       [--delay seconds] [--per-host n] [--contact address]\n       [--ignore-robots] [--warc file [--resume]] [url | file ...]\n       lp-scrape --from-warc file\n       lp-scrape --check-robots robots.txt agent url ...\nTry 'lp-scrape --help' for more information.\n"

stat_of() {
	sed "s/.*\"$2\":\([0-9]*\).*/\1/" "$1"
}
field() {
	sed "s/.*\"$1\":\([0-9]*\).*/\1/" standin.stats
}

# A local file: placeholders and items without a link skipped; the
# fields of each kind of card.
"$TOOL" --plain --stats f.stats "$D/classic.html" > f.jsonl 2> f.err; st=$?
expect 'a file: 4 listings, placeholders skipped' sh -c "[ $st = 0 ] && [ \$(wc -l < f.jsonl) = 4 ] && grep -q '\"items_skipped\":2,' f.stats"
expect 'title as shown: no "New listing", no "Opens in a new window"; canonical url, id' grep -q '^{"id":"ebay-uk:265012345678","title":"Apple iPhone 13 128GB Blue","url":"https://www.ebay.co.uk/itm/265012345678","price":{"amount":349.99,"currency":"GBP","text":"£349.99"},"shipping":{"amount":3.99,"currency":"GBP","text":"+£3.99 postage"},"condition":"Pre-owned","listing":{"buy_it_now":true,"type":"buy_it_now"},"seller":"phonehub","location":"United Kingdom","image":"https://i.ebayimg.com/images/g/a/s-l225.jpg","source":{"site":"ebay-uk","url":"file:///.*/classic.html","page":1,"rank":1,"fetched_at":1700000000000,"http_status":null}' f.jsonl

# An item page: its schema.org Product (JSON-LD, in a @graph, after a
# script that is not JSON) gives the record; the profile's selectors the
# rest.
"$TOOL" --plain -q "$D/item.html" > it.jsonl
expect 'JSON-LD: an item page read from its Product' grep -q '^{"id":"ebay-uk:256123456789","title":"Apple iPhone 13 128GB Midnight Unlocked – Grade A","url":"https://www.ebay.co.uk/itm/256123456789","price":{"amount":329.0,"currency":"GBP","text":"GBP 329.00"},"condition":"Used","listing":{"type":"buy_it_now"},"seller":"phone_outlet_uk","image":"https://i.ebayimg.com/images/g/x/s-l1600.jpg","source"' it.jsonl
sed 's/"offers":{"@type":"Offer"/"offers":{"@type":"AggregateOffer","lowPrice":"299.99","highPrice":"349.00"/; s/"price":"329.00",//' "$D/item.html" > range.html
"$TOOL" --plain -q range.html > itr.jsonl
expect 'JSON-LD: an AggregateOffer is a range' grep -q '"price":{"min":299.99,"max":349.0,"currency":"GBP","text":"GBP 299.99 to GBP 349.00"}' itr.jsonl
sed 's/"name":"Apple iPhone 13 128GB Midnight Unlocked \\u2013 Grade A",//' "$D/item.html" > noname.html
"$TOOL" --plain -q noname.html > itn.jsonl
expect 'JSON-LD: a field it lacks is left out, not invented' sh -c "[ \$(wc -l < itn.jsonl) = 1 ] && ! grep -q '\"title\"' itn.jsonl"
sed 's/application\/ld+json/text\/plain/g' "$D/item.html" > nold.html
"$TOOL" --plain -q nold.html > itx.jsonl; st=$?
expect 'no JSON-LD and no cards: no records, no guessing' sh -c "[ $st = 0 ] && [ ! -s itx.jsonl ]"
expect 'a price range, free postage, best offer, sponsored' grep -q '"price":{"min":5.99,"max":14.99,"currency":"GBP","text":"£5.99 to £14.99"},"shipping":{"free":true},"listing":{"best_offer":true,"type":"buy_it_now"},"sponsored":true,' f.jsonl
expect 'an auction: bids and time left' grep -q '"title":"Vintage Nokia 3310 – boxed",.*"listing":{"bids":7,"time_left":"1d 4h","type":"auction"}' f.jsonl
expect 'broken HTML, missing fields: what is there' grep -q '^{"id":"ebay-uk:265022222222","title":"Charger, no price shown","url":"https://www.ebay.co.uk/itm/265022222222","listing":{"type":"buy_it_now"},"source"' f.jsonl
"$TOOL" --plain -q "file://$D/latin1.html" > l.jsonl; st=$?
expect 'a Latin-1 page: converted to UTF-8' sh -c "[ $st = 0 ] && grep -q '\"title\":\"Café Crème mug\",.*\"price\":{\"amount\":4.0,\"currency\":\"GBP\",\"text\":\"£4.00\"}' l.jsonl"
check 65 "--plain $D/sjis.html" '' '' "lp-scrape: $D/sjis.html: the page is in shift_jis, not UTF-8 or Latin-1\n"
"$TOOL" --plain "$D/empty.html" > e.jsonl 2> e.err; st=$?
expect 'a "no results" page: said, no records, exit 0' sh -c "[ $st = 0 ] && [ ! -s e.jsonl ] && grep -q 'no results' e.err"
"$TOOL" --plain "$D/blocked.html" > b.jsonl 2> b.err; st=$?
expect 'a bot-check page: status 69, said so, never zero records silently' sh -c "[ $st = 69 ] && grep -q 'the page is a bot check (blocked); stopping' b.err"

# The real saved eBay pages: counts and first listings (truth.json).
F=${LP_EBAY_FIXTURES:-}
if [ -n "$F" ] && [ -f "$F/truth.json" ]; then
	for f in "$F"/1*.html; do
		"$TOOL" --plain -q "$f" > real.jsonl
		want=$(grep -A2 "\"file\": \"$(basename "$f")\"" "$F/truth.json" | sed -n 's/.*"items": \([0-9]*\).*/\1/p')
		first=$(grep -A12 "\"file\": \"$(basename "$f")\"" "$F/truth.json" | sed -n 's/.*"item_id": "\([0-9]*\)".*/\1/p' | head -1)
		expect "$(basename "$f"): $want listings, the first $first" sh -c "[ \$(wc -l < real.jsonl) = '$want' ] && head -1 real.jsonl | grep -q '^{\"id\":\"ebay-uk:$first\"'"
	done
fi

# A site for the stand-in server, from the pages above: a search page,
# its second page and a third that repeats it, pages robots.txt keeps out
# (but one), a bot check.
mkdir -p site/sch site/private
cp "$D/robots.txt" site/
cp "$D/classic.html" site/sch/i.html
cp "$D/page2.html" site/sch/page2.html
cp "$D/page2.html" site/sch/page3.html
cp "$D/blocked.html" site/sch/blocked.html
cp "$D/classic.html" site/private/x.html
cp "$D/classic.html" site/private/open.html

# Over HTTP: robots.txt first, pagination by the next link, a repeated
# page ends it, the site's Crawl-delay (0.2 s) when longer than --delay.
standin_start --root "$PWD/site" --log http.log
U=$STANDIN_URL
"$TOOL" --plain -q --pages 5 --delay 0.05 --contact ops@example.org --stats h.stats "$U/sch/i.html" > h.jsonl; st=$?
expect 'three pages: in order, the third a repeat of the second' sh -c "[ $st = 0 ] && [ \$(wc -l < h.jsonl) = 6 ] && [ \"\$(sed 's/.*\"page\":\([0-9]*\),\"rank\":\([0-9]*\).*/\1.\2/' h.jsonl | tr '\n' ' ')\" = '1.1 1.2 1.3 1.4 2.1 2.2 ' ] && grep -q '\"pages_repeated\":1,' h.stats"
expect 'source: the page URL and status 200' grep -q "\"source\":{\"site\":\"ebay-uk\",\"url\":\"$U/sch/page2.html\",\"page\":2,\"rank\":1,\"fetched_at\":[0-9]*,\"http_status\":200}" h.jsonl
expect 'robots.txt fetched once, before any page' sh -c "[ \$(grep -c '\"path\":\"/robots.txt\"' http.log) = 1 ] && head -1 http.log | grep -q '/robots.txt'"
awk -F'"t":' '/sch/ { split($2, a, ","); if (p != "" && a[1] - p < 0.19) bad = 1; p = a[1] } END { exit bad }' http.log
expect 'Crawl-delay 0.2 kept between pages' [ $? = 0 ]
expect 'a User-Agent naming the tool and the contact' grep -q '"user_agent":"lp-scrape/[0-9.]* (labelpipe; +ops@example.org)"' http.log
"$TOOL" --plain "$U/private/x.html" "$U/private/open.html" > r.jsonl 2> r.err; st=$?
expect 'robots.txt: a disallowed page not fetched, the allowed one is; exit 1' sh -c "[ $st = 1 ] && [ \$(wc -l < r.jsonl) = 4 ] && grep -q 'private/x.html: robots.txt disallows it: not fetched' r.err && ! grep -q 'private/x.html' http.log"
"$TOOL" --plain --ignore-robots --audit a.log "$U/private/x.html" > ir.jsonl 2> ir.err; st=$?
expect '--ignore-robots: fetched, said, and in the audit log' sh -c "[ $st = 0 ] && [ \$(wc -l < ir.jsonl) = 4 ] && grep -q 'robots.txt is not obeyed' ir.err && grep -q '\"event\":\"robots_ignored\"' a.log && grep -q '\"event\":\"fetch\"' a.log"
"$TOOL" --plain -q "$U/sch/blocked.html" > /dev/null; st=$?
expect 'a bot-check page over HTTP: 69' [ $st = 69 ]

# --warc: every request and response as WARC/1.1, a gzip member each;
# pages in output order with where they belong.
: > http.log
"$TOOL" --plain -q --pages 5 --delay 0 --warc a.warc.gz "$U/sch/i.html" > w.jsonl; st=$?
expect '--warc: the run as without it' sh -c "[ $st = 0 ] && [ \"\$(sed 's/\"fetched_at\":[0-9]*,//; s/,\"lineage\".*//' w.jsonl)\" = \"\$(sed 's/\"fetched_at\":[0-9]*,//; s/,\"lineage\".*//' h.jsonl)\" ]"
gzip -dc a.warc.gz > a.warc
expect '--warc: warcinfo, then 4 requests and 4 responses (robots.txt too)' sh -c "[ \"\$(grep -a '^WARC-Type:' a.warc | tr -d '\r' | sort | uniq -c | awk '{ printf \"%s %s \", \$1, \$3 }')\" = '4 request 4 response 1 warcinfo ' ]"
expect '--warc: one gzip member per record' sh -c "[ \$(od -An -v -tx1 a.warc.gz | tr -d '\n' | grep -o '1f 8b 08' | wc -l) -ge 9 ]"
expect '--warc: a page says where it belongs' sh -c "grep -a -A2 '^LP-Start: 0' a.warc | tr -d '\r' | grep -q '^LP-Page: 2'"
expect '--warc: requests as sent, responses linked to them' sh -c "grep -a -q '^GET /sch/page2.html HTTP/1.1' a.warc && grep -a -q '^WARC-Concurrent-To: <urn:uuid:' a.warc && grep -a -q '^WARC-IP-Address: 127.0.0.1' a.warc"
n_http=$(wc -l < http.log)
"$TOOL" --plain -q --from-warc a.warc.gz > fw.jsonl; st=$?
expect '--from-warc: the same records, fetched time and all' sh -c "[ $st = 0 ] && [ \"\$(sed 's/,\"lineage\".*//' fw.jsonl)\" = \"\$(sed 's/,\"lineage\".*//' w.jsonl)\" ]"
expect '--from-warc: nothing fetched' [ "$(wc -l < http.log)" = "$n_http" ]
# An interrupted crawl: the last record cut short; --resume fetches what
# the archive lacks and nothing else.
truncate -s $(($(wc -c < a.warc.gz) - 100)) a.warc.gz
: > http.log
"$TOOL" --plain --pages 5 --delay 0 --warc a.warc.gz --resume --stats rs.json "$U/sch/i.html" > rs.jsonl 2> rs.err; st=$?
expect '--resume: the same records' sh -c "[ $st = 0 ] && [ \"\$(sed 's/,\"lineage\".*//' rs.jsonl)\" = \"\$(sed 's/,\"lineage\".*//' w.jsonl)\" ]"
expect '--resume: only the page the archive lacked is fetched' sh -c "[ \"\$(grep -o '\"path\":\"[^\"]*\"' http.log | tr '\n' ' ')\" = '\"path\":\"/robots.txt\" \"path\":\"/sch/page3.html\" ' ] && grep -q '\"pages_from_archive\":2' rs.json"
expect '--resume: the cut record is reported' grep -q 'a.warc.gz: record 9 at byte [0-9]*: the archive ends inside this record (cut short) (an interrupted crawl): the records before it are used' rs.err
"$TOOL" --plain -q --from-warc a.warc.gz > fw2.jsonl
expect '--resume: the archive is whole again and replays the same' sh -c "[ \"\$(sed 's/,\"lineage\".*//' fw2.jsonl)\" = \"\$(sed 's/,\"lineage\".*//' w.jsonl)\" ]"
# Another tool's archive (no LP- fields, all records in one member):
# every HTML page a start of its own.
sed '/^LP-/d' a.warc | gzip > other.warc.gz
"$TOOL" --plain -q --from-warc other.warc.gz > ow.jsonl; st=$?
expect '--from-warc: a foreign archive, its HTML pages read' sh -c "[ $st = 0 ] && [ \$(wc -l < ow.jsonl) = 8 ]"
printf 'WARC/1.1\r\n' > plain.warc
check 65 "--plain --from-warc plain.warc" '' '' "lp-scrape: plain.warc: record 1 at byte 0: not a gzip member (lp-scrape reads WARC files with one gzip member per record, .warc.gz)\n"
check 74 "--plain --from-warc nope.warc.gz" '' '' "lp-scrape: nope.warc.gz: No such file or directory\n"
check 2 "--resume x" '' '' "lp-scrape: --resume goes with --warc FILE\n$USAGE"
check 2 "--from-warc a.warc.gz x" '' '' "lp-scrape: --from-warc reads pages from the archive alone (no --warc, --query or urls)\n$USAGE"

# robots.txt missing (404): everything allowed; failing (500): nothing.
standin_stop
standin_start --root "$PWD/site" --robots-status 404
"$TOOL" --plain -q "$STANDIN_URL/private/x.html" > r4.jsonl; st=$?
expect 'robots.txt 404: allowed' sh -c "[ $st = 0 ] && [ \$(wc -l < r4.jsonl) = 4 ]"
standin_stop
standin_start --root "$PWD/site" --robots-status 500
"$TOOL" --plain -q --max-retries 1 "$STANDIN_URL/sch/i.html" > r5.jsonl; st=$?
expect 'robots.txt 500: nothing fetched, exit 1' sh -c "[ $st = 1 ] && [ ! -s r5.jsonl ] && [ $(field pages) = 0 ]"

# Faults: retried (after Retry-After for 429), the rate backs off.
for fault in 429 503 500 truncate; do
	standin_stop
	standin_start --root "$PWD/site" --fault "$fault:1" --fault-limit 1
	"$TOOL" --plain -q --delay 0 --stats x.stats "$STANDIN_URL/sch/i.html" > x.jsonl; st=$?
	expect "$fault once: retried, the page read" sh -c "[ $st = 0 ] && [ \$(wc -l < x.jsonl) = 4 ] && grep -q '\"http_retries\":1,' x.stats"
done
# (A reset on a reused connection libcurl itself retries at once.)
standin_stop
standin_start --root "$PWD/site" --fault reset:1 --fault-limit 1
"$TOOL" --plain -q --delay 0 "$STANDIN_URL/sch/i.html" > x.jsonl; st=$?
expect "a connection reset: the page read" sh -c "[ $st = 0 ] && [ \$(wc -l < x.jsonl) = 4 ]"
standin_stop
standin_start --root "$PWD/site" --fault 429:1 --fault-limit 1
"$TOOL" --plain -q --delay 0 --stats x.stats "$STANDIN_URL/sch/i.html" > x.jsonl
expect '429: counted as throttling' grep -q '"http_throttled":1[,}]' x.stats
standin_stop
standin_start --root "$PWD/site" --fault slow:1 --slow-ms 2500
"$TOOL" --plain --timeout 1 --max-retries 0 "$STANDIN_URL/sch/i.html" > x.jsonl 2> x.err; st=$?
expect 'a page slower than --timeout: an error, every page failed: 69' sh -c "[ $st = 69 ] && grep -q 'Operation timed out' x.err"
standin_stop
standin_start --root "$PWD/site"
"$TOOL" --plain --max-page 1k "$STANDIN_URL/sch/i.html" > x.jsonl 2> x.err; st=$?
expect 'a page over --max-page: refused, not cut short' sh -c "[ $st = 69 ] && grep -q 'the page is larger than 1024 bytes' x.err && [ ! -s x.jsonl ]"

# The per-host cap: 6 pages at once, at most 2 in flight (the site's
# Crawl-delay of 0.2 s spaces their starts; each takes 0.6 s).
standin_stop
standin_start --root "$PWD/site" --latency-ms 600
"$TOOL" --plain -q --delay 0 --per-host 2 "$STANDIN_URL/sch/i.html?1" "$STANDIN_URL/sch/i.html?2" "$STANDIN_URL/sch/i.html?3" "$STANDIN_URL/sch/i.html?4" "$STANDIN_URL/sch/i.html?5" "$STANDIN_URL/sch/i.html?6" > c.jsonl; st=$?
expect '--per-host 2: never more than 2 at once, output in order' sh -c "[ $st = 0 ] && [ $(field max_inflight) = 2 ] && [ \"\$(grep -o 'i.html?[0-9]' c.jsonl | uniq | tr '\n' ' ')\" = 'i.html?1 i.html?2 i.html?3 i.html?4 i.html?5 i.html?6 ' ]"

# URLs from stdin: lines, or records with a url.
printf '%s\n' "$STANDIN_URL/sch/page2.html" "{\"url\":\"$STANDIN_URL/sch/i.html\"}" '{"nourl":1}' | "$TOOL" --plain > s.jsonl 2> s.err; st=$?
expect 'URLs from stdin: lines and records, in order' sh -c "[ $st = 0 ] && [ \$(wc -l < s.jsonl) = 6 ] && head -1 s.jsonl | grep -q '275000000001' && grep -q 'a record without a url' s.err"

# --query builds the search URL from the profile.
sed "s|https://www.ebay.co.uk/sch/i.html?_nkw={query}&_pgn={page}|$STANDIN_URL/sch/i.html?_nkw={query}\&_pgn={page}|" "$LP_SRCDIR/lib/data/ebay-uk.profile.json" > local.json
"$TOOL" --plain -q --profile local.json --query 'iphone 13 "pro"' > q.jsonl; st=$?
expect '--query: the search URL, the query encoded' sh -c "[ $st = 0 ] && [ \$(wc -l < q.jsonl) = 4 ] && grep -q '\"url\":\"$STANDIN_URL/sch/i.html?_nkw=iphone+13+%22pro%22&_pgn=1\"' q.jsonl"

# --check-robots: the verdict per URL, skipped lines named.
printf 'User-agent: *\nDisallow: /sch/\nAllow: /sch/i.html$\nbad line\nCrawl-delay: 2\n' > robots.txt
check 0 '--check-robots robots.txt labelpipe https://www.ebay.co.uk/sch/i.html https://www.ebay.co.uk/sch/i.html?_nkw=x /itm/1' '' 'allowed\thttps://www.ebay.co.uk/sch/i.html\ndisallowed\thttps://www.ebay.co.uk/sch/i.html?_nkw=x\nallowed\t/itm/1\ncrawl-delay\t2\n' 'lp-scrape: robots.txt:4: no colon: not "field: value"\n'

# Bad profiles and usage errors.
printf '{"item":"li.x","fields":[{"name":"t","select":"a["}]}\n' > bad.json
check 65 "--profile bad.json $D/classic.html" '' '' "lp-scrape: bad.json: fields[0].select: column 3: expected an attribute name\n"
printf '{"item":"li.x","fields":[{"name":"t","select":"a","pattern":"(("}]}\n' > bad.json
check 65 "--profile bad.json $D/classic.html" '' '' "lp-scrape: bad.json: fields[0].pattern: Unmatched ( or \\\\(\n"
check 2 '--pages 0' '' '' "lp-scrape: invalid --pages '0' (want a whole number from 1 to 1000)\n$USAGE"
check 2 '--site ebay-de' '' '' "lp-scrape: unknown --site 'ebay-de' (built in: ebay-uk; or --profile FILE)\n$USAGE"
check 2 '--check-robots robots.txt' '' '' "lp-scrape: --check-robots needs robots.txt, an agent and URLs\n$USAGE"

help_man_agree "$MAN"
finish

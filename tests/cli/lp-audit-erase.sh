#!/bin/sh
# CLI tests of lp-audit erase and retain, over a small pipeline built in
# each case: lp-scrape --from-warc of the bundled archive, lp-clean,
# lp-dedup, two annotators' lp-label --answers with session logs, an LLM
# cache entry, all with --audit.  Each "tcase" is one test (see lib.sh):
#   sh tests/cli/lp-audit-erase.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-audit
TOOLS=${LP_TOOLDIR:-$LP_BINDIR}
export LP_PSEUDONYM_KEY=lp-audit-erase-tests
# The listing erased (the second of the dataset) and its number alone.
ID=ebay-uk:256100007919
N=256100007919

fx_pipe() { # c.jsonl.gz, l.jsonl.gz (+ plain lp.jsonl), sessions, cache, au.log
	cp "$LP_SRCDIR/examples/data/pages.warc.gz" a.warc.gz &&
	    "$TOOLS/lp-scrape" -q --audit au.log --from-warc a.warc.gz |
	    "$TOOLS/lp-clean" -q --audit au.log |
	    "$TOOLS/lp-dedup" -q --audit au.log > c.jsonl.gz || return 1
	zcat c.jsonl.gz | head -n 3 |
	    sed 's/^{"id":"\([^"]*\)".*/{"id":"\1","label":3}/' > ans.jsonl
	grep -q "$ID" ans.jsonl || return 1
	# Both exit 1: most items stay undecided.
	"$TOOLS/lp-label" -q --annotator alice --answers ans.jsonl \
	    --session alice.log --audit au.log c.jsonl.gz > la.jsonl.gz 2> /dev/null
	"$TOOLS/lp-label" -q --annotator bob --answers ans.jsonl \
	    --session bob.log --audit au.log la.jsonl.gz > l.jsonl.gz 2> /dev/null
	zcat l.jsonl.gz > lp.jsonl
	_t=$(zcat c.jsonl.gz | grep "$ID" |
	    sed 's/^{"id":"[^"]*","title":"\([^"]*\)".*/\1/')
	mkdir -p cache/ab cache/cd
	printf '{"response":{"choices":[{"message":{"content":"{\\"text\\":\\"%s\\"}"}}]},"latency_ms":3}\n' "$_t" > cache/ab/ab01.json
	printf '{"response":{"choices":[{"message":{"content":"other"}}]},"latency_ms":3}\n' > cache/cd/cd01.json
	[ "$(zgrep -c "$N" l.jsonl.gz)" = 1 ] && grep -q "$N" alice.log au.log
}
fx_listing() { # the listing erased from every artefact
	needs pipe || return 1
	"$TOOL" erase --subject "id=$ID" --dataset l.jsonl.gz --dataset lp.jsonl \
	    --dataset c.jsonl.gz --cache cache --session alice.log \
	    --session bob.log --warc a.warc.gz au.log > counts 2> said
}
fx_alice() { # alice erased
	needs pipe || return 1
	"$TOOL" erase --subject annotator=alice --dataset l.jsonl.gz \
	    --session alice.log --session bob.log au.log > counts
}
# zgone FILE...: none of the files holds the listing's number.
zgone() {
	for _f in "$@"; do
		holds test "$(zcat -f "$_f" | grep -ac "$N")" = 0
	done
}

# ---- erase a listing ----
tcase listing.datasets listing && {
	zgone l.jsonl.gz lp.jsonl c.jsonl.gz
	holds test "$(zcat c.jsonl.gz | wc -l)" = 93 # the others stay
	has lp.jsonl '^{"id":' # plain stays plain
}
tcase listing.sessions listing && zgone alice.log bob.log
tcase listing.cache listing && { missing cache/ab/ab01.json; exists cache/cd/cd01.json; }
tcase listing.audit listing && {
	zgone au.log
	count au.log '"event":"erased"' 2
	missing au.log.erasing
	run "$TOOL" -v verify au.log
	status_is 0
	has err 'the hash chain holds'
}
tcase listing.logged listing && {
	count au.log '"event":"erasure"' 1
	has au.log '"subjects":\[{"kind":"id","sha256":"[0-9a-f]\{64\}"}\]'
	file_is counts '{"datasets":{"files":3,"records":3,"labels":0},"sessions":{"files":2,"events":2},"llm_cache":{"entries":1},"warc":{"files":1,"records":0,"pages_kept":1},"audit":{"events":2}}'
}
# The results page holding the listing among others stays, and is named.
tcase listing.warc-kept listing && {
	has said '^lp-audit: kept: http://127.0.0.1:[0-9]*/sch/page1.html holds an erased listing among others'
	run -o re.jsonl "$TOOLS/lp-scrape" -q --plain --from-warc a.warc.gz
	status_is 0
	lines re.jsonl 96
}
tcase listing.mode-kept pipe && {
	chmod 640 l.jsonl.gz
	run "$TOOL" erase --subject "id=$ID" --dataset l.jsonl.gz au.log
	status_is 0
	holds test "$(stat -c %a l.jsonl.gz)" = 640
	holds sh -c 'gzip -t l.jsonl.gz'
}
tcase listing.again listing && {
	run "$TOOL" erase --subject "id=$ID" --dataset l.jsonl.gz --session alice.log au.log
	status_is 0
	has out '"records":0,"labels":0'
	has out '"audit":{"events":0}'
	run "$TOOL" verify au.log
	status_is 0
}
tcase listing.seal-holds pipe && {
	printf 's3cret-s3cret-s3cret-1\n' > key && chmod 600 key
	"$TOOL" seal --key key au.log > head
	"$TOOLS/lp-clean" -q --plain --audit au.log lp.jsonl > /dev/null
	run "$TOOL" erase --subject "id=$ID" --dataset lp.jsonl au.log
	status_is 0
	run "$TOOL" -v verify --key key --head "$(cat head)" au.log
	status_is 0
	has err '1 seal verified, the published head is in it'
}
tcase listing.seller pipe && {
	_s=$(zcat c.jsonl.gz | grep "$ID" | sed 's/.*"seller":"\([^"]*\)".*/\1/')
	run "$TOOL" erase --subject "seller=$_s" --dataset c.jsonl.gz au.log
	status_is 0
	lacks c.jsonl.gz "$_s"
	zgone c.jsonl.gz
}

# ---- erase an annotator ----
tcase annotator.labels alice && {
	holds test "$(zgrep -c '"annotator_id":"alice"' l.jsonl.gz)" = 0
	holds test "$(zgrep -c '"annotator_id":"bob"' l.jsonl.gz)" = 3
}
tcase annotator.sessions alice && { missing alice.log; exists bob.log; }
tcase annotator.audit alice && {
	lacks au.log '"alice"'
	count au.log '"kind":"annotator"' 1
	run "$TOOL" verify au.log
	status_is 0
}

tcase annotator.verbose pipe && {
	run "$TOOL" -v erase --subject annotator=bob --dataset l.jsonl.gz au.log
	status_is 0
	file_is err 'lp-audit: au.log: erased 0 records, 3 labels, 0 session events, 4 audit events'
}

# ---- usage ----
tcase usage.no-subject pipe && {
	run "$TOOL" erase --dataset c.jsonl.gz au.log
	status_is 2
	has err '^lp-audit: erase needs --subject KIND=VALUE'
}
tcase usage.bad-subject pipe && {
	run "$TOOL" erase --subject name=bob au.log
	status_is 2
	has err "^lp-audit: invalid subject 'name=bob' (want id=, seller= or annotator=)"
}
tcase usage.subject-on-verify pipe && {
	run "$TOOL" verify --subject id=x au.log
	status_is 2
	has err '^lp-audit: verify takes no --subject'
}
tcase usage.policy-on-erase pipe && {
	run "$TOOL" erase --subject id=x --dry-run au.log
	status_is 2
}
tcase usage.no-policy pipe && {
	run "$TOOL" retain au.log
	status_is 2
	has err '^lp-audit: retain needs --policy FILE'
}

# ---- retain ----
fx_policy() { # old and new files of each kind, and a policy of 30 days
	needs pipe || return 1
	cp c.jsonl.gz old.jsonl.gz && touch -d 2020-01-01 old.jsonl.gz cache/ab/ab01.json alice.log
	printf '%s\n' '{"datasets":{"glob":"*.jsonl.gz","days":30},"llm_cache":{"path":"cache","days":30},"sessions":{"glob":"*.log","days":30},"audit":{"days":30}}' > policy.json
}
tcase retain.old-go policy && {
	run "$TOOL" retain --policy policy.json au.log
	status_is 0
	missing old.jsonl.gz
	missing cache/ab/ab01.json
	missing alice.log
	exists c.jsonl.gz
	exists cache/cd/cd01.json
	exists bob.log
	exists au.log
	has out '"dry_run":false'
}
# The events are of 2023 (SOURCE_DATE_EPOCH): all older than 30 days.
tcase retain.audit policy && {
	_n=$(lines_of au.log)
	run "$TOOL" retain --policy policy.json au.log
	count au.log '"event":"erased"' "$_n"
	count au.log '"event":"retention"' 1
	run "$TOOL" verify au.log
	status_is 0
}
tcase retain.dry-run policy && {
	cp au.log au.before
	run "$TOOL" retain --dry-run --policy policy.json au.log
	status_is 0
	exists old.jsonl.gz
	exists cache/ab/ab01.json
	exists alice.log
	same au.log au.before
	has out '"datasets":\["old.jsonl.gz"\]'
	has out '"dry_run":true'
}
tcase retain.bad-kind pipe && {
	printf '{"tapes":{"glob":"*","days":1}}\n' > p.json
	run "$TOOL" retain --policy p.json au.log
	status_is 65
	has err "unknown kind 'tapes'"
}
tcase retain.bad-rule pipe && {
	printf '{"warc":{"glob":"*.warc.gz"}}\n' > p.json
	run "$TOOL" retain --policy p.json au.log
	status_is 65
	exists a.warc.gz
}

finish

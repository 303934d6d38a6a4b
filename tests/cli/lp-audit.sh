#!/bin/sh
# CLI tests of lp-audit.  Each "tcase" is one test (see lib.sh):
#   sh tests/cli/lp-audit.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-audit
TOOLS=${LP_TOOLDIR:-$LP_BINDIR}
MAN=$HERE/../../man/lp-audit.1
# lp-clean writes the audit events here; its pseudonyms need a key.
export LP_PSEUDONYM_KEY=lp-audit-tests

USAGE="usage: lp-audit verify [-qv] [--key file] [--head seq:hash] [log]\n       lp-audit seal [-qv] --key file [log]\n       lp-audit head [-qv] [--key file] [log]\n       lp-audit openlineage [-qv] [-o file] [log]\n       lp-audit pii-scan [-qv] [--names file] [file ...]\n       lp-audit erase [-qv] --subject kind=value ... [--dataset file] ...\n                [--cache dir] [--session file] ... [--warc file] ... [log]\n       lp-audit retain [-qv] --policy file [--dry-run] [log]\nTry 'lp-audit --help' for more information.\n"
BROKEN="hash chain broken: 'prev' does not match the line before (edited, inserted or deleted line)"

# Fixtures.
fx_in() { # one record to clean
	printf '{"id":"1","title":"Phone"}\n' > in.jsonl
}
fx_log() { # three lp-clean runs: 7 events (the first run notes its rules)
	needs in || return 1
	for i in 1 2 3; do
		"$TOOLS/lp-clean" -q --plain --audit au.log in.jsonl > /dev/null || return 1
	done
	[ "$(lines_of au.log)" = 7 ]
}
fx_key() { # the seals' key (key) and another one (other), both 0600
	printf 's3cret-s3cret-s3cret-1\n' > key
	printf 's3cret-s3cret-s3cret-2\n' > other
	chmod 600 key other
}
fx_sealed() { # au.log: 7 events, a seal (line 8), two more runs (9-12)
	needs log key || return 1
	"$TOOL" seal --key key au.log > seal.head || return 1
	for i in 1 2; do
		"$TOOLS/lp-clean" -q --plain --audit au.log in.jsonl > /dev/null || return 1
	done
	"$TOOL" head au.log > head
	[ "$(lines_of au.log)" = 12 ]
}

# rechain IN OUT [fix-head]: recompute every prev of IN, as someone
# covering an edit would; with fix-head, the seals' heads too.
rechain() {
	_h=0000000000000000000000000000000000000000000000000000000000000000
	_s=0
	: > "$2"
	while IFS= read -r _l; do
		_l=$(printf '%s\n' "$_l" | sed "s/\"prev\":\"[0-9a-f]*\"}\$/\"prev\":\"$_h\"}/")
		if [ "${3:-}" = fix-head ]; then
			_l=$(printf '%s\n' "$_l" | sed "s/\"head_seq\":[0-9]*,\"head\":\"[0-9a-f]*\"/\"head_seq\":$_s,\"head\":\"$_h\"/")
		fi
		printf '%s\n' "$_l" >> "$2"
		_h=$(printf '%s' "$_l" | sha256sum | cut -c1-64)
		_s=$(printf '%s\n' "$_l" | sed 's/^{"seq":\([0-9]*\),.*/\1/')
	done < "$1"
}

# The good log: the chain, the seal and its key.
tcase verify.sealed sealed && check 0 '-v verify --key key au.log' '' '' 'lp-audit: au.log: the hash chain holds, 1 seal verified\n'
tcase verify.no-key sealed && check 0 '-v verify au.log' '' '' 'lp-audit: au.log: the hash chain holds (seals not checked: no --key)\n'
tcase verify.quiet sealed && check 0 '-q verify --key key au.log' '' '' ''
tcase verify.options-first sealed && check 0 '-v --key key verify au.log' '' '' 'lp-audit: au.log: the hash chain holds, 1 seal verified\n'
tcase verify.audit-variable sealed && {
	LP_AUDIT_LOG=au.log run "$TOOL" -v verify --key key
	status_is 0
	file_is err 'lp-audit: au.log: the hash chain holds, 1 seal verified'
}
tcase verify.published-head sealed && {
	run "$TOOL" -v verify --key key --head "$(cat head)" au.log
	status_is 0
	file_is err 'lp-audit: au.log: the hash chain holds, 1 seal verified, the published head is in it'
	run "$TOOL" verify --head "$(cat seal.head)" au.log
	status_is 0
}
tcase verify.missing && check 74 'verify nothing.log' '' '' "lp-audit: cannot open 'nothing.log': No such file or directory\n"

# The tamper matrix: each detected, the line named.
tcase tamper.edit-middle sealed && {
	sed '3s/"in":1/"in":9/' au.log > t.log
	run "$TOOL" verify --key key t.log
	status_is 1
	file_is err "lp-audit: t.log:4: $BROKEN"
}
tcase tamper.delete-middle sealed && {
	sed '3d' au.log > t.log
	run "$TOOL" verify --key key t.log
	status_is 1
	file_is err "lp-audit: t.log:3: $BROKEN"
}
tcase tamper.reorder sealed && { # lines 3 and 4 swapped
	sed -n '3{h;d};4{p;x};p' au.log > t.log
	lines t.log 12
	run "$TOOL" verify --key key t.log
	status_is 1
	file_is err "lp-audit: t.log:3: $BROKEN"
}
tcase tamper.insert sealed && { # a copy of line 10 after it
	sed '10p' au.log > t.log
	run "$TOOL" verify t.log
	status_is 1
	file_is err "lp-audit: t.log:11: $BROKEN"
}
tcase tamper.delete-before-seal sealed && { # lines 5-7 gone, the seal kept
	sed '5,7d' au.log > t.log
	run "$TOOL" verify --key key t.log
	status_is 1
	file_is err "lp-audit: t.log:5: $BROKEN"
	rechain t.log r.log
	run "$TOOL" verify --key key r.log
	status_is 1
	file_is err "lp-audit: r.log:5: the seal's head is seq 7, but the event before it is seq 4 (lines removed, inserted or the chain recomputed)"
}
tcase tamper.rechain-after-edit sealed && { # the seal's head tells
	sed '3s/"in":1/"in":9/' au.log > t.log
	rechain t.log r.log
	run "$TOOL" verify r.log
	status_is 1
	file_is err "lp-audit: r.log:8: the seal's head is not the line before it (lines removed, inserted or the chain recomputed)"
}
tcase tamper.rechain-fixing-the-seal sealed && { # the HMAC tells
	sed '3s/"in":1/"in":9/' au.log > t.log
	rechain t.log r.log fix-head
	run "$TOOL" verify --key key r.log
	status_is 1
	file_is err "lp-audit: r.log:8: seal does not verify with this key (forged, made with another key, or the chain recomputed)"
	# Without the key the seal cannot be checked: documented.
	run "$TOOL" verify r.log
	status_is 0
}
tcase tamper.forged-seal log key && { # a seal made with another key
	run -o /dev/null "$TOOL" seal --key other au.log
	status_is 0
	run "$TOOL" verify --key key au.log
	status_is 1
	file_is err "lp-audit: au.log:8: seal does not verify with this key (forged, made with another key, or the chain recomputed)"
	# Nor does another key seal a log sealed with this one.
	run -o /dev/null "$TOOL" seal --key key au.log
	status_is 1
	lines au.log 8
}
tcase tamper.truncate-after-seal sealed && { # against the published head
	head -n 10 au.log > t.log
	run "$TOOL" verify --key key --head "$(cat head)" t.log
	status_is 1
	file_is err "lp-audit: t.log:10: the log ends at seq 10, before the published head seq 12 (events cut off)"
}
tcase tamper.truncate-the-seal sealed && { # the seal and what follows gone
	head -n 7 au.log > t.log
	run "$TOOL" verify --key key --head "$(cat seal.head)" t.log
	status_is 1
	file_is err "lp-audit: t.log:7: the log ends at seq 7, before the published head seq 8 (events cut off)"
}
tcase tamper.head-mismatch sealed && { # the published event itself changed
	sed '12s/"in":1/"in":9/' au.log > t.log
	run "$TOOL" verify --head "$(cat head)" t.log
	status_is 1
	has err '^lp-audit: t.log:12: seq 12 is not the published head (its hash is [0-9a-f]\{12\}\.\.\., the published one [0-9a-f]\{12\}\.\.\.)$'
}
# What the man page documents as undetectable without a published head.
tcase tamper.truncate-unsealed-undetected sealed && {
	head -n 10 au.log > t.log
	run "$TOOL" verify --key key t.log
	status_is 0
}
tcase tamper.torn sealed && {
	head -c -1 au.log > t.log
	run "$TOOL" verify t.log
	status_is 1
	file_is err "lp-audit: t.log:12: line 12 is not terminated (torn write)"
}

# Concurrent writers: one whole chain, the rules recorded once.
tcase concurrent.writers in key && {
	# One run first: seal refuses a log that does not exist yet.
	"$TOOLS/lp-clean" -q --plain --audit au.log in.jsonl > /dev/null
	for i in 1 2 3 4 5; do
		"$TOOLS/lp-clean" -q --plain --audit au.log in.jsonl > /dev/null &
	done
	"$TOOL" seal --key key au.log > /dev/null &
	wait
	count au.log '"event":"run_start"' 6
	count au.log '"event":"version_in_use"' 1
	count au.log '"event":"seal"' 1
	run "$TOOL" -v verify --key key au.log
	status_is 0
	file_is err 'lp-audit: au.log: the hash chain holds, 1 seal verified'
	grep -o '^{"seq":[0-9]*' au.log > seqs
	seq -f '{"seq":%g' 1 14 > want
	same want seqs
}

# seal and head.
tcase seal.prints-the-new-head sealed && {
	holds test "$(cut -d: -f1 seal.head)" = 8
	sed -n 8p au.log | tr -d '\n' | sha256sum | cut -c1-64 > h8
	cut -d: -f2 seal.head > sh
	same h8 sh
	has au.log '^{"seq":8,"at":"[^"]*","event":"seal","tool":"lp-audit","run_id":"[0-9a-f]*","head_seq":7,"head":"[0-9a-f]\{64\}","mac":"hmac-sha256","hmac":"[0-9a-f]\{64\}","uid":[0-9]*,"account":"[^"]*","prev":"[0-9a-f]\{64\}"}$'
}
tcase seal.key-never-shown sealed && {
	run "$TOOL" -v seal --key key au.log
	lacks au.log 's3cret'
	lacks out 's3cret'
	lacks err 's3cret'
}
tcase seal.refuses-a-broken-log log key && {
	sed '3s/"in":1/"in":9/' au.log > t.log
	cp t.log before.log
	run "$TOOL" seal --key key t.log
	status_is 1
	file_is err "lp-audit: t.log:4: $BROKEN"
	same before.log t.log
}
tcase seal.missing-log key && {
	run "$TOOL" seal --key key nothing.log
	status_is 74
	file_is err "lp-audit: cannot open audit log 'nothing.log': No such file or directory"
	missing nothing.log
}
tcase head.prints sealed && {
	tail -n 1 au.log | tr -d '\n' | sha256sum | cut -c1-64 > h12
	cut -d: -f2 head > hh
	same h12 hh
	holds test "$(cut -d: -f1 head)" = 12
}

# Key files: the owner's only, long enough, never echoed.
tcase key.group-readable log key && {
	chmod 640 key
	run "$TOOL" seal --key key au.log
	status_is 65
	file_is err "lp-audit: key file 'key' is open to others (mode 0640): make it readable by its owner only (chmod 600)"
	lines au.log 7
}
tcase key.world-readable log key && {
	chmod 644 key
	run "$TOOL" verify --key key au.log
	status_is 65
	file_is err "lp-audit: key file 'key' is open to others (mode 0644): make it readable by its owner only (chmod 600)"
}
tcase key.too-short log && {
	printf 'short\n' > k
	chmod 600 k
	run "$TOOL" seal --key k au.log
	status_is 65
	file_is err "lp-audit: key file 'k' holds too short a key (5 bytes, want at least 16)"
}
tcase key.missing log && check 74 'seal --key nokey au.log' '' '' "lp-audit: cannot open key file 'nokey': No such file or directory\n"
tcase key.directory log && check 65 'seal --key . au.log' '' '' "lp-audit: key file '.' is not a regular file\n"

# The flags of lp-kpi give what lp-audit gives.
tcase parity.verify sealed && {
	for f in au.log t.log; do
		[ "$f" = t.log ] && sed '3d' au.log > t.log
		run -o /dev/null "$TOOLS/lp-kpi" --verify-audit "$f"
		kst=$status
		grep -v 'use .lp-audit verify.' err | sed 's/^lp-kpi: //' > kpi.err
		run -o /dev/null "$TOOL" verify "$f"
		holds test "$kst" = "$status"
		sed 's/^lp-audit: //; s/ (seals not checked: no --key)$//' err > audit.err
		same kpi.err audit.err
	done
}
tcase parity.openlineage in && { # lp-kpi leaves its own run out
	"$TOOLS/lp-clean" -q --plain --audit ol.log in.jsonl > /dev/null
	printf '[1]\n' > bad.jsonl
	"$TOOLS/lp-clean" -q --plain --audit ol.log bad.jsonl > /dev/null 2>&1
	run -o /dev/null "$TOOLS/lp-kpi" -q --no-gates --audit ol.log --openlineage kpi.jsonl in.jsonl
	status_is 0
	run -o audit.jsonl "$TOOL" openlineage ol.log
	status_is 0
	lines kpi.jsonl 4
	lines audit.jsonl 6
	head -n 4 audit.jsonl > first.jsonl
	same kpi.jsonl first.jsonl
	run "$TOOL" openlineage -o o.jsonl.gz ol.log
	gzip -dc o.jsonl.gz > o.jsonl
	same audit.jsonl o.jsonl
}
tcase parity.notice-once sealed && { # on stderr, once each; not under -q
	run -o /dev/null "$TOOLS/lp-kpi" --verify-audit au.log
	file_is err "lp-kpi: --verify-audit: use 'lp-audit verify' (this flag stays for old scripts)"
	run -o /dev/null "$TOOLS/lp-kpi" --no-gates --audit au.log --openlineage o.jsonl in.jsonl
	count err "^lp-kpi: --openlineage: use 'lp-audit openlineage' (this flag stays for old scripts)\$" 1
	count err 'lp-audit' 1
	run -o /dev/null "$TOOLS/lp-kpi" -q --verify-audit au.log
	empty err
}

# version_in_use: written by the run that first uses a version.
tcase versions.rules-once log && {
	count au.log '"event":"version_in_use"' 1
	has au.log '^{"seq":2,.*"event":"version_in_use","tool":"lp-clean",.*"kind":"rules","version":"clean-rules-2","digest":"[0-9a-f]\{64\}",'
	printf 'remove Brand New\n' > fluff.txt
	"$TOOLS/lp-clean" -q --plain --audit au.log --fluff fluff.txt in.jsonl > /dev/null
	count au.log '"event":"version_in_use"' 2
}
tcase versions.gates in && {
	printf '{"version":"g-7","gates":[{"metric":"records","op":">","value":0}]}\n' > g.json
	"$TOOLS/lp-kpi" -q --gates g.json --audit au.log in.jsonl > /dev/null
	"$TOOLS/lp-kpi" -q --gates g.json --audit au.log in.jsonl > /dev/null
	count au.log '"kind":"gates","version":"g-7"' 1
}
tcase versions.label && { # the taxonomy and the guidelines
	printf '{"id":"a","title":"t"}\n' > q.jsonl
	printf '{"id":"a","label":4}\n' > ans.jsonl
	for i in 1 2; do
		"$TOOLS/lp-label" -q --plain --annotator alice --answers ans.jsonl --audit au.log q.jsonl > l.jsonl
	done
	count au.log '"event":"version_in_use"' 2
	has au.log '"event":"version_in_use","tool":"lp-label",.*"kind":"taxonomy","version":"taxonomy-1","digest":"[0-9a-f]\{64\}"'
	has au.log '"kind":"guidelines","version":"guide-1"'
	"$TOOLS/lp-label" -q --plain --annotator alice --answers ans.jsonl q.jsonl > plain.jsonl
	same plain.jsonl l.jsonl
}
tcase versions.llm in && { # the prompts and the rubric
	standin_start
	"$TOOLS/lp-translate" -q --plain --api-base "$STANDIN_URL/v1" --no-cache --audit au.log in.jsonl > tr.jsonl
	"$TOOLS/lp-rate" -q --plain --api-base "$STANDIN_URL/v1" --no-cache --audit au.log tr.jsonl > r.jsonl
	"$TOOLS/lp-rate" -q --plain --api-base "$STANDIN_URL/v1" --no-cache tr.jsonl > r2.jsonl
	count au.log '"event":"version_in_use"' 3
	has au.log '"tool":"lp-translate",.*"kind":"prompt","version":"translate-[^"]*"'
	has au.log '"tool":"lp-rate",.*"kind":"rubric","version":"rubric-1"'
	has au.log '"tool":"lp-rate",.*"kind":"prompt","version":"judge-1"'
	same r.jsonl r2.jsonl
}
tcase versions.records-unchanged log && { # the records do not move
	"$TOOLS/lp-clean" -q --plain in.jsonl > plain.jsonl
	"$TOOLS/lp-clean" -q --plain --audit au.log in.jsonl > audited.jsonl
	same plain.jsonl audited.jsonl
}

# Usage errors.
tcase usage.no-command && check 2 '' '' '' "lp-audit: no command (want erase, head, openlineage, pii-scan, retain, seal or verify)\n$USAGE"
tcase usage.unknown-command && check 2 'check au.log' '' '' "lp-audit: unknown command 'check' (want erase, head, openlineage, pii-scan, retain, seal or verify)\n$USAGE"
tcase usage.seal-without-key && check 2 'seal au.log' '' '' "lp-audit: seal needs --key FILE\n$USAGE"
tcase usage.openlineage-key && check 2 'openlineage --key k au.log' '' '' "lp-audit: openlineage takes no --key\n$USAGE"
tcase usage.seal-head && check 2 'seal --key k --head 1:x au.log' '' '' "lp-audit: invalid --head '1:x' (want SEQ:HASH, as 'lp-audit head' prints it)\n$USAGE"
tcase usage.head-on-seal && check 2 'seal --key k --head 3:0000000000000000000000000000000000000000000000000000000000000000 au.log' '' '' "lp-audit: seal takes no --head\n$USAGE"
tcase usage.output-on-verify && check 2 'verify -o x au.log' '' '' "lp-audit: verify takes no -o\n$USAGE"
tcase usage.two-logs && check 2 'verify a.log b.log' '' '' "lp-audit: verify: one log at most\n$USAGE"
tcase usage.no-log && check 2 'verify' '' '' "lp-audit: verify: no log (name one, or give --audit FILE or set LP_AUDIT_LOG)\n$USAGE"
tcase usage.unknown-option && check 2 'verify --colour au.log' '' '' "lp-audit: unrecognized option '--colour'\n$USAGE"

# --help and the man page.
tcase help.man-agree && help_man_agree "$MAN"
tcase help.short-long && {
	run -o h1 "$TOOL" -h
	run -o h2 "$TOOL" --help
	status_is 0
	same h1 h2
	empty err
}


# pii-scan: what still looks like personal data, per field and class.
fx_planted() { # one of each class, and a record that is clean
	printf '%s\n' '{"id":"1","title":"mail bob@example.com or 07700 900123","raw":{"title":"SW1A 1AA card 4111 1111 1111 1111"},"note":"GB82 WEST 1234 5698 7654 32","seller":"Jane Doe"}' '{"id":"2","title":"apple iphone 13 128 gb 12.50","seller":"p_0123456789abcdef"}' > planted.jsonl
}
tcase pii-scan.each-class planted && {
	run "$TOOL" pii-scan planted.jsonl
	status_is 1
	file_is out '{"records":2,"records_with_pii":1,"total":{"email":1,"phone":1,"postcode":1,"card":1,"iban":1,"name":1},"fields":{"note":{"iban":1},"raw.title":{"postcode":1,"card":1},"seller":{"name":1},"title":{"email":1,"phone":1}}}'
	has_line err 'lp-audit: 6 pieces of what looks like personal data'
}
tcase pii-scan.clean planted && { # gzip, the pseudonym and the model number pass
	sed -n 2p planted.jsonl | gzip > clean.jsonl.gz
	run "$TOOL" pii-scan clean.jsonl.gz
	status_is 0
	has out '"records_with_pii":0,'
	empty err
}
tcase pii-scan.names planted && { # other person-name fields
	printf '["note"]\n' > names.json
	run "$TOOL" -q pii-scan --names names.json planted.jsonl
	status_is 1
	lacks out '"seller":'
	has out '"note":{"iban":1,"name":1}'
}
tcase pii-scan.bad-line && {
	printf '{"id":"1"}\n[2]\n' > bad.jsonl
	check 65 'pii-scan bad.jsonl' '' '' "lp-audit: bad.jsonl:2: expected JSON object, got array\n"
}
tcase pii-scan.no-key && check 2 'pii-scan --key k x.jsonl' '' '' "lp-audit: pii-scan takes no --key\n$USAGE"

finish

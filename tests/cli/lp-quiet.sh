#!/bin/sh
# CLI tests of what the tools say on stderr: nothing in scripts and cron
# when a run goes well (stderr not a terminal), the closing summary in
# each tool's own words with -v or on a terminal, never under -q, and one
# progress line for a whole pipeline on a shared terminal.  Terminals are
# real pseudo-terminals from util-linux script(1).  Each "tcase" is one
# test (see lib.sh):
#   sh tests/cli/lp-quiet.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
TOOLS=${LP_TOOLDIR:-$LP_BINDIR}
PASS=$LP_BINDIR/lp-passthru
unset LP_API_BASE LP_MODEL LP_API_KEY OPENAI_API_KEY LP_ROLES LP_ANNOTATOR

# Fixtures.
fx_in() { # in.jsonl: a phone number to redact, a duplicate of the first
	cat > in.jsonl << 'EOF'
{"id":"a","title":"Apple iPhone 13 128GB NEW!! call 07700 900123"}
{"id":"b","title":"Samsung TV"}
{"id":"a","title":"Apple iPhone 13 128GB NEW!!"}
EOF
}
fx_api() { # the stand-in; API: the options that use it
	standin_start && API="--api-base $STANDIN_URL/v1 --model test-model"
}
fx_queue() { # q.jsonl, and alice's answers: one label, one skip
	cat > q.jsonl << 'EOF'
{"id":"a","title":"apple iphone 13","translation":{"text":"苹果 iPhone 13"}}
{"id":"b","title":"samsung tv","translation":{"text":"三星电视"}}
{"id":"c","title":"usb cable 2 m","translation":{"text":"USB 线 2 米"}}
EOF
	printf '{"id":"a","label":4}\n{"id":"c","status":"skipped"}\n' > ans.jsonl
}
fx_gates() { # two gates that hold, one skipped as undefined
	printf '[{"metric":"completeness.title","op":">=","value":1},{"metric":"completeness.id","op":">","value":0.5},{"metric":"gold.accuracy","op":">","value":0.9,"undefined":"skip"}]\n' > gates.json
}
fx_log() { # au.log: an audit log of one run
	needs in && "$TOOLS/lp-clean" -q --keep-sellers --plain --audit au.log in.jsonl > /dev/null
}
fx_big() { # big.jsonl: 60000 generated records
	"$LP_GEN" -n 60000 > big.jsonl
}
fx_script() {
	command -v script > /dev/null 2>&1 || skip 'script(1) is not installed'
	script -qec true /dev/null > /dev/null 2>&1 ||
	    skip 'script(1) cannot open a pseudo-terminal here'
}

# quiet_then_worded LINE COMMAND...: the command succeeds with nothing
# on stderr (a file here); with -v after the program's name it says LINE
# (the timing reads "T").
quiet_then_worded() {
	_q_line=$1
	shift
	_q_prog=$1
	shift
	run "$_q_prog" "$@"
	status_is 0
	empty err
	run "$_q_prog" -v "$@"
	status_is 0
	has_line err "$_q_line"
}
# onscreen COMMAND: run the shell command on a pseudo-terminal (stdin,
# stdout and stderr); what the terminal showed is in tty.log, and in
# tty.lines with each carriage return a line break, erase-to-end-of-line
# dropped, blank lines left out and timings read "T".
onscreen() {
	_lp_cmd="script -qec '$1' /dev/null"
	script -qec "$1" /dev/null < /dev/null > tty.log 2>&1
	status=$?
	tr '\r' '\n' < tty.log | sed 's/\x1b\[K//g' | grep -v '^$' | norm > tty.lines
	return 0
}

# Each tool: silent on a file, its own words with -v.
tcase words.lp-clean in && quiet_then_worded \
    'lp-clean: 3 records cleaned, 0 emails and 1 phone number redacted in T' \
    "$TOOLS/lp-clean" --keep-sellers --plain in.jsonl
tcase words.lp-dedup in && quiet_then_worded \
    'lp-dedup: kept 2, dropped 1 exact and 0 near duplicates in T' \
    "$TOOLS/lp-dedup" --plain in.jsonl
tcase words.lp-dedup-mark in && quiet_then_worded \
    'lp-dedup: kept 3, dropped 0 exact and 0 near duplicates; marked 1 exact, 0 near and 0 seen before in T' \
    "$TOOLS/lp-dedup" --mark --plain in.jsonl
tcase words.lp-sample in && quiet_then_worded \
    'lp-sample: 2 of 3 selected for review (0 doubtful, 2 spot checks, 0 gold) in T' \
    "$TOOLS/lp-sample" --random 2 --plain in.jsonl
tcase words.lp-kpi in gates && quiet_then_worded \
    'lp-kpi: 3 records measured, 2 gates passed, 0 failed in T' \
    "$TOOLS/lp-kpi" --gates gates.json in.jsonl
tcase words.lp-kpi-no-gates in && quiet_then_worded \
    'lp-kpi: 3 records measured in T' \
    "$TOOLS/lp-kpi" --no-gates in.jsonl
tcase words.lp-label queue && {
	printf '{"id":"b","label":2}\n' >> ans.jsonl
	quiet_then_worded 'lp-label: 2 labelled, 1 skipped, 0 left in T' \
	    "$TOOLS/lp-label" --annotator alice --plain --answers ans.jsonl q.jsonl
}
tcase words.lp-label-left queue && { # a failed run still says where it is
	run "$TOOLS/lp-label" -v --annotator alice --plain --answers ans.jsonl q.jsonl
	status_is 1
	has_line err 'lp-label: 1 labelled, 1 skipped, 1 left in T'
}
tcase words.lp-translate in api && quiet_then_worded \
    'lp-translate: 3 translated (0 cached, 0 retries, 0 failed) in T' \
    "$TOOLS/lp-translate" --plain $API --no-cache in.jsonl
tcase words.lp-rate in api && {
	"$TOOLS/lp-translate" -q --plain $API --no-cache in.jsonl > tr.jsonl
	quiet_then_worded 'lp-rate: 3 rated (0 cached, 0 retries, 0 failed) in T' \
	    "$TOOLS/lp-rate" --plain $API --no-cache tr.jsonl
}
tcase words.lp-scrape && quiet_then_worded \
    'lp-scrape: 4 listings from 1 page in T' \
    "$TOOLS/lp-scrape" --plain "$LP_TEST_DATA/scrape/classic.html"
tcase words.lp-audit log && quiet_then_worded \
    'lp-audit: au.log: the hash chain holds' "$TOOLS/lp-audit" verify au.log
tcase words.lp-audit-seal log && {
	printf 's3cret-s3cret-s3cret-1\n' > key && chmod 600 key
	run "$TOOLS/lp-audit" seal --key key au.log
	status_is 0
	empty err
	run "$TOOLS/lp-audit" -v seal --key key au.log
	status_is 0
	has err '^lp-audit: au.log: sealed at seq [0-9]*$'
}

# Quiet is not mute: warnings and errors speak, the summary does not.
tcase speak.bad-lines in && {
	printf 'nope\n' >> in.jsonl
	run "$TOOLS/lp-clean" --keep-sellers --plain --on-error=skip in.jsonl
	status_is 0
	file_is err "lp-clean: in.jsonl:4: invalid JSON at column 4: invalid token near 'nope' (skipped)"
	run "$TOOLS/lp-clean" -v --keep-sellers --plain --on-error=skip in.jsonl
	has_line err 'lp-clean: 3 records cleaned, 0 emails and 1 phone number redacted, 1 skipped in T'
}
tcase speak.error in && {
	printf 'nope\n' >> in.jsonl
	run "$TOOLS/lp-dedup" --plain in.jsonl
	status_is 65
	file_is err "lp-dedup: in.jsonl:4: invalid JSON at column 4: invalid token near 'nope'"
}
tcase speak.interrupted big && { # how far it got, on any stderr
	"$PASS" --plain --sleep-ms 20 big.jsonl > out 2> err.raw &
	pid=$!
	sleep 1
	kill -TERM "$pid"
	wait "$pid"
	status=$?
	norm < err.raw > err
	status_is 130
	has err '^lp-passthru: [0-9]* in, [0-9]* out in T, interrupted: [0-9]* read, [0-9]* written$'
}

# On a terminal: the summary, and -q silences it.
tcase tty.summary script in && {
	onscreen "\"$TOOLS/lp-clean\" --keep-sellers --plain -o c.jsonl in.jsonl"
	status_is 0
	file_is tty.lines 'lp-clean: 3 records cleaned, 0 emails and 1 phone number redacted in T'
}
tcase tty.scrape script && {
	onscreen "\"$TOOLS/lp-scrape\" --plain -o s.jsonl \"$LP_TEST_DATA/scrape/classic.html\""
	status_is 0
	has tty.lines '^lp-scrape: 4 listings from 1 page in T$'
}
tcase tty.quiet script big log && {
	onscreen "\"$TOOLS/lp-clean\" -q --keep-sellers --plain -o c.jsonl big.jsonl"
	status_is 0
	empty tty.lines
	onscreen "\"$TOOLS/lp-audit\" -q verify au.log"
	status_is 0
	empty tty.lines
	onscreen "\"$TOOLS/lp-audit\" verify au.log"
	file_is tty.lines 'lp-audit: au.log: the hash chain holds'
}

# A pipeline on one terminal: the last stage alone draws, one line
# redrawn in place; each stage's summary on a line of its own.  The input
# pauses half-way, so the line is drawn again however fast the machine.
tcase pipeline.one-line script big && {
	onscreen "(head -n 30000 big.jsonl; sleep 1; tail -n +30001 big.jsonl) | \"$TOOLS/lp-clean\" --keep-sellers --plain | \"$TOOLS/lp-dedup\" --plain -o d.jsonl"
	status_is 0
	count tty.lines '^lp-clean: [0-9]* records, ' 0
	holds [ "$(grep -c '^lp-dedup: [0-9]* records, [0-9]*/s$' tty.lines)" -ge 2 ]
	has tty.log "$(printf '\r')lp-dedup: [0-9]* records, "
	count tty.lines '^lp-clean: 60000 records cleaned in T$' 1
	count tty.lines '^lp-dedup: kept 60000, dropped 0 exact and 0 near duplicates in T$' 1
	n=$(grep -c '^lp-dedup: [0-9]* records, [0-9]*/s$' tty.lines)
	lines tty.lines $((n + 2))
}
tcase pipeline.into-other-program script big && { # no stage knows it is last
	onscreen "\"$TOOLS/lp-clean\" --keep-sellers --plain big.jsonl | \"$TOOLS/lp-dedup\" --plain | cat > d.jsonl"
	status_is 0
	count tty.lines 'records, [0-9]*/s' 0
	count tty.lines ' in T$' 2
}
tcase pipeline.not-terminal big && { # in cron: nothing at all
	"$TOOLS/lp-clean" --keep-sellers --plain big.jsonl 2> e1 |
	    "$TOOLS/lp-dedup" --plain -o d.jsonl 2> e2
	empty e1
	empty e2
	lines d.jsonl 60000
}

finish

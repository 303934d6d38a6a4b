#!/bin/sh
# CLI tests of the LLM tools against a hostile API (issue 25): the
# stand-in server (tests/standin) holds requests for days, resets
# connections, lies about usage, sends gzip bombs and echoes the key; the
# tools are interrupted while they wait; the cache cannot be written.
. "$(dirname "$0")/lib.sh"
TOOLS=${LP_TOOLDIR:-$LP_BINDIR}
TRANSLATE=$TOOLS/lp-translate
RATE=$TOOLS/lp-rate
unset LP_API_BASE LP_MODEL LP_JUDGE_MODEL LP_API_KEY OPENAI_API_KEY

KEY=sk-test-SECRETKEY-0123456789

fx_titles() { # 40 titles (in.jsonl), the first 2 (two.jsonl)
	awk 'BEGIN {
		for (i = 1; i <= 40; i++)
			printf "{\"id\":\"i%03d\",\"title\":\"apple phone %d\"}\n", i, i
	}' > in.jsonl
	head -2 in.jsonl > two.jsonl
}
fx_many() { # 3000 titles (many.jsonl)
	awk 'BEGIN {
		for (i = 1; i <= 3000; i++)
			printf "{\"id\":\"m%04d\",\"title\":\"new phone case %d\"}\n", i, i
	}' > many.jsonl
}
fx_key() { # the key in a file (key.txt)
	printf '%s\n' "$KEY" > key.txt
}
fx_rated() { # 40 translated records for lp-rate (tr.jsonl), 2 (tr2.jsonl)
	awk 'BEGIN {
		for (i = 1; i <= 40; i++)
			printf "{\"id\":\"r%03d\",\"title\":\"apple phone %d\",\"translation\":{\"lang\":\"zh-Hans\",\"text\":\"苹果 手机 %d\"}}\n", i, i, i
	}' > tr.jsonl
	head -2 tr.jsonl > tr2.jsonl
}
fx_labels() { # two annotators' labels whose agreement fails a gate
	awk 'BEGIN {
		for (i = 0; i < 50; i++) {
			a = i < 25 ? "yes" : "no"
			b = (i < 20 || (i >= 25 && i < 35)) ? "yes" : "no"
			printf "{\"id\":\"i%d\",\"title\":\"t\",\"labels\":[{\"annotator_id\":\"alice\",\"label\":\"%s\"}]}\n", i, a > "alice.jsonl"
			printf "{\"id\":\"i%d\",\"title\":\"t\",\"labels\":[{\"annotator_id\":\"bob\",\"label\":\"%s\"}]}\n", i, b > "bob.jsonl"
		}
	}'
	printf '{"gates":[{"metric":"agreement.percent","op":">","value":0.85}]}\n' > fail.json
}

# requests: the chat requests the server has received so far.
requests() {
	if [ -s standin.stats ]; then sed 's/.*"chat":\([0-9]*\).*/\1/' standin.stats; else echo 0; fi
}
# stat FILE NAME: a number from a --stats file.
stat() {
	sed 's/.*"'"$2"'":\(-*[0-9]*\).*/\1/' "$1"
}
ms() {
	date +%s%3N
}

# killed SIGNAL DELAY COMMAND...: run COMMAND in the background (stdout
# to out, stderr to err), send it SIGNAL after DELAY seconds, wait; the
# status in $status and the milliseconds from the signal to the end in
# $took (a tool still running 10 s after the signal is killed).
killed() {
	_sig=$1 _delay=$2
	shift 2
	_lp_cmd="$(_lp_quote "$@") (SIG$_sig after $_delay s)"
	"$@" > out 2> err.raw &
	_pid=$!
	sleep "$_delay"
	_t0=$(ms)
	kill -"$_sig" "$_pid"
	# A tool that ignores the signal is killed after 10 s.
	(sleep 10 && kill -9 "$_pid") 2> /dev/null &
	_dog=$!
	wait "$_pid"
	status=$?
	took=$(($(ms) - _t0))
	kill "$_dog" 2> /dev/null
	norm < err.raw > err
}

# --- 6: waits without bound, and interrupts ---------------------------------

# A reset days away is an error for what would wait, not a sleep.
tcase ratelimit.far-reset-fails titles && {
	standin_start --ratelimit 0:1000000s
	run timeout -k 2 20 "$TRANSLATE" -q --plain --api-base "$STANDIN_URL/v1" --no-cache -j 2 in.jsonl
	status_is 1
	holds [ "$(requests)" -le 2 ]
	lines out 40
	count out '"error":{"reason":"rate_limit","status":null,"message":"the API.s rate limit resets in [0-9]* s (x-ratelimit-reset-requests), more than the 60 s a request waits","attempts":0}' 38
}
# A near reset is waited for.
tcase ratelimit.near-reset-waits titles && {
	standin_start --ratelimit 0:200ms
	run "$TRANSLATE" -q --plain --api-base "$STANDIN_URL/v1" --no-cache -j 2 two.jsonl
	status_is 0
	count out '"text":"苹果 手机 [12]"' 2
}
# SIGTERM while a request waits for a reset under a minute: out at once.
tcase interrupt.term-in-hold titles && {
	standin_start --ratelimit 0:50s
	killed TERM 1 "$TRANSLATE" --plain --api-base "$STANDIN_URL/v1" --no-cache -j 2 in.jsonl
	status_is 130
	holds [ "$took" -lt 1000 ]
	holds [ "$(requests)" -le 2 ]
	has err '^lp-translate: 2 translated (0 cached, 0 retries, 0 failed) in T, interrupted: 40 read, 2 written$'
	count out '"text"' 2
}
tcase interrupt.int-in-hold rated && {
	standin_start --ratelimit 0:50s
	killed INT 1 "$RATE" --plain --api-base "$STANDIN_URL/v1" --no-cache -j 2 tr.jsonl
	status_is 130
	holds [ "$took" -lt 1000 ]
	holds [ "$(requests)" -le 2 ]
	count out '"score"' 2
}
# SIGTERM mid-run: no finishing the window; the records done so far, in
# order, are written and the answers are in the cache.
tcase interrupt.term-mid-run many && {
	standin_start --latency-ms 50
	killed TERM 1 "$TRANSLATE" --plain --api-base "$STANDIN_URL/v1" --cache c -j 2 many.jsonl
	status_is 130
	holds [ "$took" -lt 1000 ]
	n=$(requests)
	holds [ "$n" -le 60 ]
	holds [ "$(lines_of out)" -ge 20 ]
	head -n "$(lines_of out)" many.jsonl | sed 's/,"title".*//' > want
	sed 's/,"title".*//' out > got
	same want got
	holds [ "$(find c -name '*.json' | wc -l)" -ge "$(lines_of out)" ]
}
# With -o the file is left as it was (a partial one would pass for whole).
tcase interrupt.term-keeps-old-output many && {
	standin_start --latency-ms 50
	printf 'old\n' > o.jsonl
	killed TERM 1 "$TRANSLATE" --plain --api-base "$STANDIN_URL/v1" --no-cache -j 2 -o o.jsonl many.jsonl
	status_is 130
	holds [ "$took" -lt 1000 ]
	file_is o.jsonl old
	holds [ -z "$(find . -name '.o.jsonl.lp-tmp.*')" ]
}

# --- 8: libcurl's silent re-send ---------------------------------------------

# Connections reset after the request went out: libcurl would send it
# again by itself, past --max-retries, the counts and the audit log.
tcase resend.counted titles && {
	standin_start --fault reset:0.3 --seed 4
	run "$TRANSLATE" -q --plain --api-base "$STANDIN_URL/v1" --no-cache -j 4 --max-retries 0 --stats s --audit au.log in.jsonl
	status_is 1
	holds [ "$(requests)" = 40 ]
	holds [ "$(stat s llm_calls)" = 40 ]
	count au.log '"event":"llm_call"' 40
	has out '"reason":"network","status":null,"message":"the connection closed before an answer","attempts":1'
}
tcase resend.within-retries titles && {
	standin_start --fault reset:0.3 --seed 4
	run "$TRANSLATE" -q --plain --api-base "$STANDIN_URL/v1" --no-cache -j 4 --max-retries 3 --stats s --audit au.log in.jsonl
	status_is 0
	count out '"text"' 40
	holds [ "$(requests)" = "$(stat s llm_calls)" ]
	holds [ "$(stat s llm_calls)" = $((40 + $(stat s llm_retries))) ]
	count au.log '"event":"llm_call"' "$(requests)"
}

# --- 9: usage that lies, replies that inflate ------------------------------

tcase usage.negative-budget titles && {
	standin_start --usage -1000000
	run "$TRANSLATE" -q --plain --api-base "$STANDIN_URL/v1" --no-cache -j 1 --max-tokens-total 1000 --stats s in.jsonl
	status_is 1
	holds [ "$(requests)" -le 2 ]
	holds [ "$(stat s total_tokens)" -ge 0 ]
	holds [ "$(stat s total_tokens)" -le 1000 ]
	holds [ "$(stat s llm_usage_estimated)" = "$(requests)" ]
	count out '"usage_invalid":true' "$(requests)"
	lacks out '"usage":{"prompt_tokens":-'
}
tcase usage.absurd titles && {
	standin_start --usage 5000000000000
	run "$TRANSLATE" -q --plain --api-base "$STANDIN_URL/v1" --no-cache --stats s two.jsonl
	status_is 0
	holds [ "$(stat s llm_usage_estimated)" = 2 ]
	holds [ "$(stat s total_tokens)" -lt 10000 ]
	count out '"usage_invalid":true' 2
}
# A gzip reply that inflates past the default 32M: stopped there, not
# asked again.
tcase size.gzip-bomb titles && {
	standin_start --gzip-mb 40
	run "$TRANSLATE" -q --plain --api-base "$STANDIN_URL/v1" --no-cache -j 1 two.jsonl
	status_is 1
	holds [ "$(requests)" = 2 ]
	count out '"error":{"reason":"reply","status":200,"message":"a reply larger than 33554432 bytes decompressed (--max-reply-size)","attempts":1}' 2
}
tcase size.option titles rated && {
	standin_start --gzip-mb 1
	run "$RATE" -q --plain --api-base "$STANDIN_URL/v1" --no-cache --max-reply-size 64k tr2.jsonl
	status_is 1
	count out '"message":"a reply larger than 65536 bytes decompressed (--max-reply-size)"' 2
	standin_stop
	standin_start
	run "$TRANSLATE" -q --plain --api-base "$STANDIN_URL/v1" --no-cache --max-reply-size 64k two.jsonl
	status_is 0
}
tcase size.usage-error && {
	run "$TRANSLATE" --max-reply-size 10
	status_is 2
	has_line err "lp-translate: invalid --max-reply-size '10' (a size such as 65536, 512k or 32M, at least 1k)"
}

# --- 10, 11: secrets -------------------------------------------------------

# A proxy that echoes the key: not in records, audit, stats or stderr.
tcase secrets.echoed-key-file titles key && {
	standin_start --echo-key 400
	run "$TRANSLATE" -v --plain --api-base "$STANDIN_URL/v1" --no-cache --api-key-file key.txt --audit au.log --stats s two.jsonl
	status_is 1
	count out '"message":"HTTP 400: bad request from Bearer \*\*\* (key \*\*\*\.\.\.\*\*\*)"' 2
	count au.log '"error":"HTTP 400: bad request from Bearer \*\*\* (key \*\*\*\.\.\.\*\*\*)"' 2
	for f in out au.log s err; do lacks "$f" 'SECRETKEY\|0123456789\|sk-test-'; done
}
tcase secrets.echoed-key-env titles && {
	standin_start --echo-key 400
	export LP_API_KEY="$KEY"
	run "$TRANSLATE" --plain --api-base "$STANDIN_URL/v1" --no-cache --azure --audit au.log two.jsonl
	unset LP_API_KEY
	status_is 1
	count out '"message":"HTTP 400: bad request from \*\*\* (key \*\*\*\.\.\.\*\*\*)"' 2
	for f in out au.log err; do lacks "$f" 'SECRETKEY\|0123456789'; done
}
tcase secrets.echoed-key-rate rated key && {
	standin_start --echo-key 400
	run "$RATE" --plain --api-base "$STANDIN_URL/v1" --no-cache --api-key-file key.txt --audit au.log tr2.jsonl
	status_is 1
	count out '"rating":{"error":{"reason":"http","status":400,"message":"HTTP 400: bad request from Bearer \*\*\* (key \*\*\*\.\.\.\*\*\*)"' 2
	for f in out au.log err; do lacks "$f" 'SECRETKEY\|0123456789'; done
}
# A password in --api-base: not in the audit log's argv, the records
# (the stopping message names the URL), --dry-run or stderr.
tcase secrets.api-base-password titles && {
	standin_start --status 401
	run "$TRANSLATE" -v --plain --api-base "http://user:PASSWD123@127.0.0.1:$STANDIN_PORT/v1" --no-cache -j 1 --audit au.log in.jsonl
	status_is 69
	has au.log '"argv":\["lp-translate","-v","--plain","--api-base","http://user:\*\*\*@127.0.0.1:[0-9]*/v1",'
	has out '"message":"http://127.0.0.1:[0-9]*/v1/chat/completions: HTTP 401: forced failure"'
	for f in out au.log err; do lacks "$f" PASSWD123; done
	run "$TRANSLATE" --plain --api-base "http://user:PASSWD123@127.0.0.1:$STANDIN_PORT/v1" --dry-run two.jsonl
	status_is 0
	has out '"url":"http://user:\*\*\*@127.0.0.1:[0-9]*/v1/chat/completions"'
	lacks out PASSWD123
}
tcase secrets.api-base-usage-error && {
	run "$TRANSLATE" --api-base "ftp://user:PASSWD123@h/v1"
	status_is 2
	has err "^lp-translate: the API base must be an http:// or https:// URL, not 'ftp://user:\*\*\*@h/v1'$"
}
# A webhook's URL is its credential: not in the audit log, nor on stderr.
tcase secrets.alert-url labels && {
	standin_start --log hook.log
	run -o /dev/null "$TOOLS/lp-kpi" -v --bootstrap 0 --gates fail.json --audit au.log --alert-url "$STANDIN_URL/services/T000/B000/XXXXSECRET" alice.jsonl bob.jsonl
	status_is 1
	count hook.log '"path":"/services/T000/B000/XXXXSECRET"' 1
	has err "^lp-kpi: alert posted to http://127.0.0.1:[0-9]*/\*\*\*$"
	has au.log '"--alert-url","\*\*\*"'
	for f in err au.log; do lacks "$f" XXXXSECRET; done
}

# --- 18: a cache that cannot be written --------------------------------------

tcase cache.write-fails titles && {
	standin_start
	printf 'a file\n' > notadir
	run "$TRANSLATE" --plain --api-base "$STANDIN_URL/v1" --cache notadir --stats s in.jsonl
	status_is 0
	count err 'cannot write' 1
	has err "^lp-translate: cannot write 'notadir/[0-9a-f][0-9a-f]/[0-9a-f]*\.json': Not a directory (the LLM cache: a rerun pays for these answers again)$"
	holds [ "$(stat s llm_cache_write_failed)" = 40 ]
	count out '"text"' 40
}

finish

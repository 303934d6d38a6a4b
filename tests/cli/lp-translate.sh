#!/bin/sh
# CLI tests of lp-translate, against the stand-in API server (tests/standin).
# Each "tcase" is one test (see lib.sh):
#   sh tests/cli/lp-translate.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-translate
MAN=$HERE/../../man/lp-translate.1
unset LP_API_BASE LP_MODEL LP_API_KEY OPENAI_API_KEY

USAGE="usage: lp-translate [-qv] [-o file] [-j n] [--model name] [--api-base url]\n       [--api-key-file file] [--target lang] [--batch n]\n       [--glossary file] [--rpm n] [--tpm n] [--cache dir | --no-cache]\n       [--max-tokens-total n] [--unordered] [--dry-run] [file ...]\nTry 'lp-translate --help' for more information.\n"

# requests: the chat requests the stand-in has answered so far.
requests() {
	if [ -s standin.stats ]; then sed 's/.*"chat":\([0-9]*\).*/\1/' standin.stats; else echo 0; fi
}
statuses() {
	sed 's/.*"by_status":\({[^}]*}\).*/\1/' standin.stats
}
# ids FILE: the records' ids, one a line.
ids() {
	sed 's/^{"id":"\([^"]*\)".*/\1/' "$1"
}
# texts FILE: the translations, one a line.
texts() {
	sed 's/.*"text":"\([^"]*\)".*/\1/' "$1"
}
# same_ids FILE REFERENCE: FILE has the records of REFERENCE, in order.
same_ids() {
	ids "$1" > "$1.ids"
	ids "$2" > "$2.ids"
	same "$2.ids" "$1.ids"
}
# same_texts FILE REFERENCE: FILE has the translations of REFERENCE.
same_texts() {
	texts "$1" > "$1.texts"
	texts "$2" > "$2.texts"
	same "$2.texts" "$1.texts"
}
# serve [OPTIONS]: start the stand-in; API: the options that use it.
serve() {
	standin_start "$@"
	API="--api-base $STANDIN_URL/v1 --model test-model"
}

# Fixtures.
fx_inputs() { # in.jsonl: 300 titles; small.jsonl: the first 20
	words='apple phone case black white new used charger cable screen watch laptop'
	awk -v words="$words" 'BEGIN {
		n = split(words, w, " ")
		for (i = 1; i <= 300; i++)
			printf "{\"id\":\"i%03d\",\"title\":\"%s %s %s %d\"}\n", i, w[i % n + 1], w[(i * 7) % n + 1], w[(i * 3) % n + 1], i
	}' > in.jsonl &&
	    awk 'NR <= 20' in.jsonl > small.jsonl
}
fx_api() { # the stand-in, requests logged in api.log
	needs inputs && serve --log api.log
}
fx_c1() { # c1.jsonl: in.jsonl translated one by one, for comparison
	needs inputs && serve &&
	    "$TOOL" -q --plain $API --cache cache in.jsonl > c1.jsonl
	standin_stop
	[ "$(lines_of c1.jsonl)" = 300 ]
}
fx_script() {
	command -v script > /dev/null 2>&1 || skip 'script(1) is not installed'
}

# Translation, in input order, with the record's own fields kept.
tcase basic.translate api && {
	run "$TOOL" -q --plain $API --no-cache small.jsonl
	status_is 0
	same_ids out small.jsonl        # every record, in order
	# The translation member.
	has out '^{"id":"i001","title":"phone charger black 1","translation":{"lang":"zh-Hans","model":"test-model","prompt_version":"translate-1","text":"手机 充电器 黑色 1","usage":{"prompt_tokens":[0-9]*,"completion_tokens":[0-9]*,"total_tokens":[0-9]*},"latency_ms":[0-9.]*,"cached":false,"finish_reason":"stop"},"lineage":'
	# The request: model, messages, temperature 0, seed, a JSON schema.
	has api.log '"body":{"model":"test-model","messages":\[{"role":"system","content":"You translate e-commerce listing titles from English into Simplified Chinese (zh-Hans) for a product catalogue\. .*"},{"role":"user","content":"{\\"items\\":\[{\\"id\\":\\"1\\",\\"text\\":\\"phone charger black 1\\"}\]}"}\],"temperature":0.0,"seed":1,"response_format":{"type":"json_schema","json_schema":{"name":"translations","strict":true,'
	lacks api.log '"authorization":true'      # no key, no Authorization header
}

# Order under uneven latency: slow replies overtaken by fast ones.
tcase order.uneven-latency inputs && { # -j 16: input order kept
	serve --fault slow:0.3 --slow-ms 150 --seed 3
	run "$TOOL" -q --plain $API --no-cache -j 16 in.jsonl
	status_is 0
	same_ids out in.jsonl
}
tcase order.unordered inputs && { # every record, not in input order
	serve --fault slow:0.3 --slow-ms 150 --seed 3
	run "$TOOL" -q --plain $API --no-cache -j 16 --unordered in.jsonl
	status_is 0
	ids out | sort > sorted.ids
	ids in.jsonl > in.ids
	same in.ids sorted.ids
	ids out > out.ids
	differ in.ids out.ids
}
tcase order.small-window inputs && { # the same records
	serve --fault slow:0.3 --slow-ms 150 --seed 3
	run "$TOOL" -q --plain $API --no-cache -j 4 --window 8 in.jsonl
	same_ids out in.jsonl
}

# The cache: a second run makes no request; cached answers say so.
tcase cache.rerun inputs && {
	serve
	run -o c1.jsonl "$TOOL" -q --plain $API --cache cache in.jsonl
	before=$(requests)
	run -o c2.jsonl "$TOOL" -q --plain $API --cache cache --stats c.stats in.jsonl
	status_is 0
	holds [ "$(requests)" = "$before" ]     # zero requests
	holds [ "$before" = 300 ]
	count c2.jsonl '"cached":true' 300      # answers marked cached
	same_texts c2.jsonl c1.jsonl            # the same texts
	has c.stats '"llm_calls":0,.*"llm_cached":300,'
	# One file per request, no key in it.
	find cache -name '*.json' > files
	lines files 300
	grep -rl 'sk-' cache > keyed
	empty keyed
	# Another model is another request.
	run "$TOOL" -q --plain $API --cache cache --model other in.jsonl
	holds [ "$(requests)" = 600 ]
}
tcase cache.xdg-default api && { # $XDG_CACHE_HOME/labelpipe
	run env XDG_CACHE_HOME="$T/xdg" "$TOOL" -q --plain $API small.jsonl
	find xdg/labelpipe -name '*.json' > files
	lines files 20
}

# Records translated before pass as they are; --force asks again.
tcase already.translated api && { # kept, no request
	"$TOOL" -q --plain $API --no-cache small.jsonl > t1.jsonl
	n=$(requests)
	run -o t2.jsonl "$TOOL" -q --plain $API --no-cache t1.jsonl
	holds [ "$(requests)" = "$n" ]
	count t2.jsonl '"translation"' 20
	# --force: asked again.
	run "$TOOL" -q --plain $API --no-cache --force t1.jsonl
	holds [ "$(requests)" = $((n + 20)) ]
}

# Batching: ids checked; an item left out is asked for alone.
tcase batch.ten c1 && { # 30 requests, every record translated in order
	serve --log batch.log
	run "$TOOL" -q --plain $API --no-cache --batch 10 --stats b.stats in.jsonl
	status_is 0
	holds [ "$(requests)" = 30 ]
	count out '"text"' 300
	same_ids out in.jsonl
	# The usage shared out, the batch size said.
	has out '"usage":{"prompt_tokens":[0-9.]*,"completion_tokens":[0-9.]*,"total_tokens":[0-9.]*},"batch":10,'
	same_texts out c1.jsonl         # the same texts as one by one
}
tcase batch.item-left-out inputs && { # asked alone, all translated
	serve --fault drop:1
	run "$TOOL" -q --plain $API --no-cache --batch 10 --stats d.stats in.jsonl
	status_is 0
	count out '"text"' 300
	has d.stats '"missing_from_batch":30,'
}

# Faults: retried with backoff; nothing lost under 30% injected faults
# (replies off the schema, which get one repair try, are tested below).
tcase faults.thirty-percent c1 && {
	serve --fault 429:0.08 --fault 500:0.06 --fault 503:0.04 --fault reset:0.04 --fault truncate:0.04 --fault malformed:0.04 --seed 11
	run "$TOOL" -q --plain $API --no-cache -j 16 --max-retries 8 --stats f.stats in.jsonl
	status_is 0
	count out '"text"' 300          # every record translated, in order
	same_ids out in.jsonl
	has f.stats '"llm_retries":[1-9][0-9]*,'   # retries counted
	has f.stats '"failed":0,'
	same_texts out c1.jsonl         # the same texts as without
}

# A reply that ignores the schema: one repair try, then an error.
tcase reply.schema-once inputs && { # repaired
	serve --fault schema:1 --fault-limit 1
	run "$TOOL" -q --plain $API --no-cache -j 1 small.jsonl
	status_is 0
	count out '"text"' 20
	holds [ "$(requests)" = 21 ]
}
tcase reply.schema-twice inputs && { # the record kept with an error, exit 1
	serve --fault schema:1
	run "$TOOL" $API --plain --no-cache small.jsonl
	status_is 1
	count out '"error":{"reason":"reply","status":200,"message":"the reply is not JSON {\\"items\\":\[...\]}","attempts":2}' 20
	has err '^lp-translate: 20 of 20 titles not translated'
}
tcase reply.empty inputs && { # reported as such
	serve --fault empty:1
	run "$TOOL" -q $API --plain --no-cache --no-json-mode small.jsonl
	status_is 1
	has out '"reason":"reply","status":200,"message":"an empty reply","attempts":2'
}

# Errors that retrying cannot mend: stop early, status 69.
# fatal CODE: stop at once with status 69 and the server's message.
fatal() {
	serve --status "$1"
	run "$TOOL" $API --plain --no-cache in.jsonl
	status_is 69
	holds [ "$(requests)" -le 8 ]
	has err '^lp-translate: the API cannot be used'
	has out "\"reason\":\"fatal\",\"status\":$1,\"message\":\"HTTP $1: forced failure\",\"attempts\":1"
}
tcase fatal.http-401 inputs && fatal 401
tcase fatal.http-404 inputs && fatal 404
tcase http.400 inputs && { # not retried, each record kept with its error, exit 1
	serve --status 400
	run "$TOOL" -q $API --plain --no-cache small.jsonl
	status_is 1
	holds [ "$(requests)" = 20 ]
	count out '"reason":"http","status":400' 20
}
tcase http.503 inputs && { # throughout: retried, then an error; exit 1
	serve --status 503
	run "$TOOL" -q $API --plain --no-cache --max-retries 2 -j 1 small.jsonl
	status_is 1
	holds [ "$(requests)" = 60 ]
	has out '"reason":"http","status":503,"message":"HTTP 503: forced failure","attempts":3'
}
tcase network.nobody-listening inputs && { # network errors, status 69
	serve
	standin_stop
	run "$TOOL" -q --api-base "http://127.0.0.1:$STANDIN_PORT/v1" --plain --no-cache --max-retries 1 small.jsonl
	status_is 69
	count out '"reason":"network","status":null' 20
}
tcase network.timeouts inputs && { # retried, then network errors
	serve --fault slow:1 --slow-ms 1500
	run "$TOOL" -q $API --plain --no-cache --timeout 0.3 --max-retries 1 -j 20 small.jsonl
	status_is 69
	has out '"reason":"network","status":null,"message":"Operation timed out after [0-9]* milliseconds with 0 bytes received","attempts":2'
}

# A budget: stop spending; the rest pass through marked, exit 1.
tcase budget.max-tokens-total api && {
	run "$TOOL" -q $API --plain --no-cache -j 1 --max-tokens-total 1000 --stats bu.stats in.jsonl
	status_is 1
	lines out 300
	n=$(grep -c '"text"' out)       # some translated, the rest marked
	holds [ "$n" -ge 3 ]
	holds [ "$n" -le 8 ]
	has out '"reason":"budget","status":null,"message":"the token budget (--max-tokens-total) is spent","attempts":0'
	# Within the budget.
	holds [ "$(sed 's/.*"total_tokens":\([0-9]*\).*/\1/' bu.stats)" -le 1000 ]
}

# The rate limit: a server enforcing 1200/min never says 429.
tcase rate.rpm inputs && {
	serve --rpm 1200
	head -60 in.jsonl > r60.jsonl
	run "$TOOL" -q $API --plain --no-cache -j 16 --rpm 1200 r60.jsonl
	status_is 0
	count out '"text"' 60
	holds [ "$(statuses)" = '{"200":60}' ]
}
tcase rate.tpm inputs && { # done within the limit
	serve --rpm 1200
	run "$TOOL" -q $API --plain --no-cache -j 16 --tpm 60000 --max-retries 8 small.jsonl
	status_is 0
	count out '"text"' 20
}

# The key: sent, and never written anywhere.
tcase key.bearer inputs && {
	serve --log key.log
	run -o k.jsonl -e k.err env LP_API_KEY=sk-test-SECRET-1234 "$TOOL" -q $API --plain --no-cache --audit audit.log --stats k.stats small.jsonl
	has key.log '"authorization":true'      # sent as a Bearer header
	# In no record, audit event, stats or message.
	lacks k.jsonl SECRET
	lacks audit.log SECRET
	lacks k.stats SECRET
	lacks k.err SECRET
	# One audit event per call: model, digest, tokens, latency, status.
	count audit.log '"event":"llm_call"' 20
	has audit.log '"event":"llm_call".*"digest":"[0-9a-f]\{64\}","attempt":1,"status":200,"latency_ms":[0-9.]*,"prompt_tokens":[0-9]*,"completion_tokens":[0-9]*,"model":"test-model"'
}
tcase key.file-azure inputs && { # --api-key-file, --azure, --api-version
	serve --log key.log
	printf 'sk-from-file-SECRET\n' > key.txt
	run "$TOOL" -q $API --plain --no-cache --api-key-file key.txt --azure --api-version 2024-06-01 small.jsonl
	has key.log '"path":"/v1/chat/completions?api-version=2024-06-01","user_agent":"[^"]*","authorization":true'
	lacks out SECRET
}
tcase key.empty-file inputs && {
	: > empty.txt
	check 65 "--api-key-file empty.txt --no-cache small.jsonl" '' '' 'lp-translate: empty.txt: no key on its first line\n'
}
tcase key.missing-file inputs && check 74 "--api-key-file nokey.txt small.jsonl" '' '' "lp-translate: cannot open 'nokey.txt': No such file or directory\n"

# --dry-run: the requests, key hidden, none sent.
tcase dry-run.requests api && { # 20 requests shown, none sent, key hidden
	run env LP_API_KEY=sk-test-SECRET-1234 "$TOOL" -q $API --plain --dry-run small.jsonl
	status_is 0
	holds [ "$(requests)" = 0 ]
	lines out 20
	has out '^{"method":"POST","url":"http://127.0.0.1:[0-9]*/v1/chat/completions","headers":{"Content-Type":"application/json","Authorization":"Bearer \*\*\*"},"body":{"model":"test-model"'
	lacks out SECRET
}

# Glossary: the terms the titles use go into the prompt; misses flagged.
fx_glossary() { printf '# brands and fixed terms\nApple\ncase\t手机壳\n\n' > gloss.tsv; }
tcase glossary.prompt-and-misses api glossary && {
	run "$TOOL" -q $API --plain --no-cache --glossary gloss.tsv small.jsonl
	# The terms a title uses, in its prompt.
	has api.log 'Use this glossary: [^"]*\\n- Apple"'
	has api.log 'Use this glossary: [^"]*\\n- case -> 手机壳"'
	# Terms the translation missed are flagged.
	has out '"title":"case case used 2".*"glossary_missed":\["case"\]'
	has out '"title":"white white apple 4".*"glossary_missed":\["Apple"\]'
}
tcase glossary.bad inputs && {
	printf 'ok\tone\ttwo\n' > badgloss.tsv
	check 65 "--glossary badgloss.tsv small.jsonl" '' '' 'lp-translate: badgloss.tsv:1: want TERM or TERM<tab>TRANSLATION\n'
}

# Cache keys are the SHA-256 of the canonical body as sent, whether the
# system text is the prompt's own or has glossary terms, and with titles
# that need escaping.
tcase cache.keys-sha256 api glossary && {
	printf '%s\n' '{"id":"e1","title":"Apple \"quoted\" \\ tab\t 😀 caf\u00e9"}' '{"id":"e2","title":"plain phone"}' > esc.jsonl
	"$TOOL" -q $API --plain --cache keys --glossary gloss.tsv esc.jsonl > /dev/null
	"$TOOL" -q $API --plain --dry-run --glossary gloss.tsv esc.jsonl | sed 's/.*,"body"://; s/}$//' > bodies.txt
	okkeys=0
	while IFS= read -r b; do
		d=$(printf '%s' "$b" | sha256sum | cut -c1-64)
		[ -f "keys/$(echo "$d" | cut -c1-2)/$d.json" ] && okkeys=$((okkeys + 1))
	done < bodies.txt
	holds [ "$okkeys" = 2 ]
	count bodies.txt 'Use this glossary' 1
}

# Progress on a terminal: done, rate, tokens, retries, share and ETA.
tcase progress.terminal inputs script && {
	serve --latency-ms 20 --fault 503:0.1 --seed 5
	script -qc "\"$TOOL\" --api-base $STANDIN_URL/v1 --no-cache -j 2 -o tty.out in.jsonl" tty.log > /dev/null 2>&1
	has tty.log 'records, [0-9]*/s, [0-9]*%, ETA [0-9]*:[0-9]*, [0-9]* translated, 0 failed, [0-9]* waiting, [1-9][0-9]* tokens, [1-9][0-9]* retries'
}

# Plain-text mode and another target.
tcase plain.japanese api && { # --no-json-mode --target ja
	run "$TOOL" -q $API --plain --no-cache --no-json-mode --target ja small.jsonl
	status_is 0
	has out '"lang":"ja"'
	tail -1 api.log > last
	has last 'into Japanese (ja)'
	lacks last response_format
}

# The prompt file.
tcase prompt.file api && { # its version stamped, its text sent
	printf '{"version":"mine-2","system":"S {target}","system_plain":"P","glossary":"G"}\n' > prompt.json
	run "$TOOL" -q $API --plain --no-cache --prompt prompt.json small.jsonl
	has out '"prompt_version":"mine-2"'
	tail -1 api.log > last
	has last '"content":"S Simplified Chinese"'
}
tcase prompt.bad inputs && {
	printf '{"version":"x"}\n' > badprompt.json
	check 65 "--prompt badprompt.json small.jsonl" '' '' 'lp-translate: badprompt.json: a prompt needs version, system, system_plain and glossary strings\n'
}

# Records without a title pass untouched; bad lines are bad input.
tcase no-title.passes api && { # passed through, no request
	printf '{"id":"n1"}\n{"id":"n2","title":""}\n' > notitle.jsonl
	run "$TOOL" -q $API --plain --no-cache notitle.jsonl
	status_is 0
	lines out 2
	lacks out translation
	holds [ "$(requests)" = 0 ]
}
tcase bad-json.file-line api && { # 65 with file and line
	printf '{"id":"a","title":"phone"}\nnot json\n' > bad.jsonl
	run "$TOOL" $API --plain --no-cache bad.jsonl
	status_is 65
	has err '^lp-translate: bad.jsonl:2: '
}

# Usage errors.
tcase usage.batch-plain && check 2 '--batch 2 --no-json-mode' '' '' "lp-translate: --batch needs JSON mode (drop --no-json-mode)\n$USAGE"
tcase usage.cache-no-cache && check 2 '--cache c --no-cache' '' '' "lp-translate: --cache and --no-cache: choose one\n$USAGE"
tcase usage.api-base-ftp && check 2 '--api-base ftp://x' '' '' "lp-translate: the API base must be an http:// or https:// URL, not 'ftp://x'\n$USAGE"
tcase usage.rpm-zero && check 2 '--rpm 0' '' '' "lp-translate: invalid --rpm '0' (want 1 to 1e+09)\n$USAGE"
tcase usage.jobs-zero && check 2 '-j 0' '' '' "lp-translate: invalid --jobs '0' (want a whole number from 1 to 1024)\n$USAGE"
tcase usage.api-key && check 2 '--api-key sk-x' '' '' "lp-translate: no --api-key: a key on the command line shows in ps; use LP_API_KEY or --api-key-file\n$USAGE"
tcase usage.api-key-equals && check 2 '--api-key=sk-x' '' '' "lp-translate: no --api-key: a key on the command line shows in ps; use LP_API_KEY or --api-key-file\n$USAGE"
tcase help.man-agree && help_man_agree "$MAN"

finish

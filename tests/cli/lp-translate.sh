#!/bin/sh
# CLI tests of lp-translate, against the stand-in API server (tests/standin).
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-translate
MAN=$(dirname "$0")/../../man/lp-translate.1
unset LP_API_BASE LP_MODEL LP_API_KEY OPENAI_API_KEY
export XDG_CACHE_HOME="$T/xdg"

USAGE="usage: lp-translate [-qv] [-o file] [-j n] [--model name] [--api-base url]\n       [--api-key-file file] [--target lang] [--batch n]\n       [--glossary file] [--rpm n] [--tpm n] [--cache dir | --no-cache]\n       [--max-tokens-total n] [--unordered] [--dry-run] [file ...]\nTry 'lp-translate --help' for more information.\n"

# requests: the chat requests the server has answered so far.
requests() {
	if [ -s standin.stats ]; then sed 's/.*"chat":\([0-9]*\).*/\1/' standin.stats; else echo 0; fi
}
statuses() {
	sed 's/.*"by_status":\({[^}]*}\).*/\1/' standin.stats
}
ids() {
	sed 's/^{"id":"\([^"]*\)".*/\1/' "$1" | tr '\n' ' '
}

words='apple phone case black white new used charger cable screen watch laptop'
awk -v words="$words" 'BEGIN {
	n = split(words, w, " ")
	for (i = 1; i <= 300; i++)
		printf "{\"id\":\"i%03d\",\"title\":\"%s %s %s %d\"}\n", i, w[i % n + 1], w[(i * 7) % n + 1], w[(i * 3) % n + 1], i
}' > in.jsonl
awk 'NR <= 20' in.jsonl > small.jsonl

standin_start --log api.log
API="--api-base $STANDIN_URL/v1 --model test-model"

# Translation, in input order, with the record's own fields kept.
"$TOOL" -q --plain $API --no-cache small.jsonl > out.jsonl; st=$?
expect 'translates: exit 0, every record, in order' sh -c "[ $st = 0 ] && [ \"$(ids out.jsonl)\" = \"$(ids small.jsonl)\" ]"
expect 'the translation member' grep -q '^{"id":"i001","title":"phone charger black 1","translation":{"lang":"zh-Hans","model":"test-model","prompt_version":"translate-1","text":"手机 充电器 黑色 1","usage":{"prompt_tokens":[0-9]*,"completion_tokens":[0-9]*,"total_tokens":[0-9]*},"latency_ms":[0-9.]*,"cached":false,"finish_reason":"stop"},"lineage":' out.jsonl
expect 'the request: model, messages, temperature 0, seed, a JSON schema' grep -q '"body":{"model":"test-model","messages":\[{"role":"system","content":"You translate e-commerce listing titles from English into Simplified Chinese (zh-Hans) for a product catalogue\. .*"},{"role":"user","content":"{\\"items\\":\[{\\"id\\":\\"1\\",\\"text\\":\\"phone charger black 1\\"}\]}"}\],"temperature":0.0,"seed":1,"response_format":{"type":"json_schema","json_schema":{"name":"translations","strict":true,' api.log
expect 'no key, no Authorization header' sh -c "! grep -q '\"authorization\":true' api.log"

# Order under uneven latency: slow replies overtaken by fast ones.
standin_stop
standin_start --fault slow:0.3 --slow-ms 150 --seed 3
API="--api-base $STANDIN_URL/v1 --model test-model"
"$TOOL" -q --plain $API --no-cache -j 16 in.jsonl > out.jsonl; st=$?
expect 'uneven latency, -j 16: input order kept' sh -c "[ $st = 0 ] && [ \"$(ids out.jsonl)\" = \"$(ids in.jsonl)\" ]"
"$TOOL" -q --plain $API --no-cache -j 16 --unordered in.jsonl > un.jsonl; st=$?
expect '--unordered: every record, not in input order' sh -c "[ $st = 0 ] && [ \"$(ids un.jsonl | tr ' ' '\n' | sort | tr '\n' ' ')\" = \"$(ids in.jsonl)\" ] && [ \"$(ids un.jsonl)\" != \"$(ids in.jsonl)\" ]"
"$TOOL" -q --plain $API --no-cache -j 4 --window 8 in.jsonl > w.jsonl
expect 'a small window: the same records' sh -c "cmp -s w.jsonl out.jsonl || [ \"$(ids w.jsonl)\" = \"$(ids in.jsonl)\" ]"

# The cache: a second run makes no request; cached answers say so.
standin_stop
standin_start
API="--api-base $STANDIN_URL/v1 --model test-model"
"$TOOL" -q --plain $API --cache cache in.jsonl > c1.jsonl
before=$(requests)
"$TOOL" -q --plain $API --cache cache --stats c.stats in.jsonl > c2.jsonl; st=$?
expect 'cache: the rerun makes zero requests' sh -c "[ $st = 0 ] && [ $before = $(requests) ] && [ $before = 300 ]"
expect 'cache: answers marked cached, same texts' sh -c "[ \$(grep -c '\"cached\":true' c2.jsonl) = 300 ] && [ \"\$(sed 's/.*\"text\":\"\([^\"]*\)\".*/\1/' c1.jsonl)\" = \"\$(sed 's/.*\"text\":\"\([^\"]*\)\".*/\1/' c2.jsonl)\" ]"
expect 'cache: counted in --stats' grep -q '"llm_calls":0,.*"llm_cached":300,' c.stats
expect 'cache: one file per request, no key in it' sh -c "[ \$(find cache -name '*.json' | wc -l) = 300 ] && ! grep -rq 'sk-' cache"
"$TOOL" -q --plain $API --cache cache --model other in.jsonl > /dev/null
expect 'cache: another model is another request' sh -c "[ $(requests) = 600 ]"
XDG_CACHE_HOME="$T/xdg" "$TOOL" -q --plain $API small.jsonl > /dev/null
expect 'cache: the default is $XDG_CACHE_HOME/labelpipe' sh -c "[ \$(find xdg/labelpipe -name '*.json' | wc -l) = 20 ]"

# Records translated before pass as they are; --force asks again.
"$TOOL" -q --plain $API --no-cache small.jsonl > t1.jsonl
n=$(requests)
"$TOOL" -q --plain $API --no-cache t1.jsonl > t2.jsonl
expect 'already translated: kept, no request' sh -c "[ $(requests) = $n ] && [ \$(grep -c '\"translation\"' t2.jsonl) = 20 ]"
"$TOOL" -q --plain $API --no-cache --force t1.jsonl > /dev/null
expect '--force: asked again' sh -c "[ $(requests) = $((n + 20)) ]"

# Batching: ids checked; an item left out is asked for alone.
standin_stop
standin_start --log batch.log
API="--api-base $STANDIN_URL/v1 --model test-model"
"$TOOL" -q --plain $API --no-cache --batch 10 --stats b.stats in.jsonl > b.jsonl; st=$?
expect '--batch 10: 30 requests, every record translated in order' sh -c "[ $st = 0 ] && [ $(requests) = 30 ] && [ \$(grep -c '\"text\"' b.jsonl) = 300 ] && [ \"$(ids b.jsonl)\" = \"$(ids in.jsonl)\" ]"
expect '--batch: the usage shared out, the batch size said' grep -q '"usage":{"prompt_tokens":[0-9.]*,"completion_tokens":[0-9.]*,"total_tokens":[0-9.]*},"batch":10,' b.jsonl
expect '--batch: the same texts as one by one' sh -c "[ \"\$(sed 's/.*\"text\":\"\([^\"]*\)\".*/\1/' b.jsonl)\" = \"\$(sed 's/.*\"text\":\"\([^\"]*\)\".*/\1/' c1.jsonl)\" ]"
standin_stop
standin_start --fault drop:1
API="--api-base $STANDIN_URL/v1 --model test-model"
"$TOOL" -q --plain $API --no-cache --batch 10 --stats d.stats in.jsonl > d.jsonl; st=$?
expect 'an item left out of each batch: asked alone, all translated' sh -c "[ $st = 0 ] && [ \$(grep -c '\"text\"' d.jsonl) = 300 ] && grep -q '\"missing_from_batch\":30,' d.stats"

# Faults: retried with backoff; nothing lost under 30% injected faults
# (replies off the schema, which get one repair try, are tested below).
standin_stop
standin_start --fault 429:0.08 --fault 500:0.06 --fault 503:0.04 --fault reset:0.04 --fault truncate:0.04 --fault malformed:0.04 --seed 11
API="--api-base $STANDIN_URL/v1 --model test-model"
"$TOOL" -q --plain $API --no-cache -j 16 --max-retries 8 --stats f.stats in.jsonl > f.jsonl; st=$?
expect '30% faults: exit 0, every record translated, in order' sh -c "[ $st = 0 ] && [ \$(grep -c '\"text\"' f.jsonl) = 300 ] && [ \"$(ids f.jsonl)\" = \"$(ids in.jsonl)\" ]"
expect '30% faults: retries counted' sh -c "grep -q '\"llm_retries\":[1-9][0-9]*,' f.stats && grep -q '\"failed\":0,' f.stats"
expect '30% faults: the same texts as without' sh -c "[ \"\$(sed 's/.*\"text\":\"\([^\"]*\)\".*/\1/' f.jsonl)\" = \"\$(sed 's/.*\"text\":\"\([^\"]*\)\".*/\1/' c1.jsonl)\" ]"

# A reply that ignores the schema: one repair try, then an error.
standin_stop
standin_start --fault schema:1 --fault-limit 1
API="--api-base $STANDIN_URL/v1 --model test-model"
"$TOOL" -q --plain $API --no-cache -j 1 small.jsonl > s.jsonl; st=$?
expect 'a reply off the schema once: repaired' sh -c "[ $st = 0 ] && [ \$(grep -c '\"text\"' s.jsonl) = 20 ] && [ $(requests) = 21 ]"
standin_stop
standin_start --fault schema:1
API="--api-base $STANDIN_URL/v1 --model test-model"
"$TOOL" $API --plain --no-cache small.jsonl > s.jsonl 2> s.err; st=$?
expect 'a reply off the schema twice: the record kept with an error, exit 1' sh -c "[ $st = 1 ] && [ \$(grep -c '\"error\":{\"reason\":\"reply\",\"status\":200,\"message\":\"the reply is not JSON {\\\\\"items\\\\\":\[...\]}\",\"attempts\":2}' s.jsonl) = 20 ] && grep -q '^lp-translate: 20 of 20 titles not translated' s.err"
standin_stop
standin_start --fault empty:1
API="--api-base $STANDIN_URL/v1 --model test-model"
"$TOOL" -q $API --plain --no-cache --no-json-mode small.jsonl > e.jsonl; st=$?
expect 'empty replies: reported as such' sh -c "[ $st = 1 ] && grep -q '\"reason\":\"reply\",\"status\":200,\"message\":\"an empty reply\",\"attempts\":2' e.jsonl"

# Errors that retrying cannot mend: stop early, status 69.
for code in 401 404; do
	standin_stop
	standin_start --status $code
	API="--api-base $STANDIN_URL/v1 --model test-model"
	"$TOOL" $API --plain --no-cache in.jsonl > x.jsonl 2> x.err; st=$?
	expect "HTTP $code: stop at once with status 69 and the server's message" sh -c "[ $st = 69 ] && [ $(requests) -le 8 ] && grep -q '^lp-translate: the API cannot be used' x.err && grep -q '\"reason\":\"fatal\",\"status\":$code,\"message\":\"HTTP $code: forced failure\",\"attempts\":1' x.jsonl"
done
standin_stop
standin_start --status 400
API="--api-base $STANDIN_URL/v1 --model test-model"
"$TOOL" -q $API --plain --no-cache small.jsonl > x.jsonl; st=$?
expect 'HTTP 400: not retried, each record kept with its error, exit 1' sh -c "[ $st = 1 ] && [ $(requests) = 20 ] && [ \$(grep -c '\"reason\":\"http\",\"status\":400' x.jsonl) = 20 ]"
standin_stop
standin_start --status 503
API="--api-base $STANDIN_URL/v1 --model test-model"
"$TOOL" -q $API --plain --no-cache --max-retries 2 -j 1 small.jsonl > x.jsonl; st=$?
expect 'HTTP 503 throughout: retried, then an error; exit 1' sh -c "[ $st = 1 ] && [ $(requests) = 60 ] && grep -q '\"reason\":\"http\",\"status\":503,\"message\":\"HTTP 503: forced failure\",\"attempts\":3' x.jsonl"
standin_stop
"$TOOL" -q --api-base "http://127.0.0.1:$STANDIN_PORT/v1" --plain --no-cache --max-retries 1 small.jsonl > x.jsonl 2> x.err; st=$?
expect 'nobody listening: network errors, status 69' sh -c "[ $st = 69 ] && [ \$(grep -c '\"reason\":\"network\",\"status\":null' x.jsonl) = 20 ]"
standin_start --fault slow:1 --slow-ms 1500
API="--api-base $STANDIN_URL/v1 --model test-model"
"$TOOL" -q $API --plain --no-cache --timeout 0.3 --max-retries 1 -j 20 small.jsonl > x.jsonl; st=$?
expect 'timeouts: retried, then network errors' sh -c "[ $st = 69 ] && grep -q '\"reason\":\"network\",\"status\":null,\"message\":\"Operation timed out after [0-9]* milliseconds with 0 bytes received\",\"attempts\":2' x.jsonl"

# A budget: stop spending; the rest pass through marked, exit 1.
standin_stop
standin_start
API="--api-base $STANDIN_URL/v1 --model test-model"
"$TOOL" -q $API --plain --no-cache -j 1 --max-tokens-total 1000 --stats bu.stats in.jsonl > bu.jsonl; st=$?
expect '--max-tokens-total: some translated, the rest marked, exit 1' sh -c "[ $st = 1 ] && [ \$(wc -l < bu.jsonl) = 300 ] && [ \$(grep -c '\"text\"' bu.jsonl) -ge 3 ] && [ \$(grep -c '\"text\"' bu.jsonl) -le 8 ] && grep -q '\"reason\":\"budget\",\"status\":null,\"message\":\"the token budget (--max-tokens-total) is spent\",\"attempts\":0' bu.jsonl"
expect '--max-tokens-total: within the budget' sh -c "[ \$(sed 's/.*\"total_tokens\":\([0-9]*\).*/\1/' bu.stats) -le 1000 ]"

# The rate limit: a server enforcing 1200/min never says 429.
standin_stop
standin_start --rpm 1200
API="--api-base $STANDIN_URL/v1 --model test-model"
head -60 in.jsonl > r60.jsonl
"$TOOL" -q $API --plain --no-cache -j 16 --rpm 1200 r60.jsonl > r.jsonl; st=$?
expect '--rpm: no 429 from a server enforcing the limit' sh -c "[ $st = 0 ] && [ \$(grep -c '\"text\"' r.jsonl) = 60 ] && [ '$(statuses)' = '{\"200\":60}' ]"
"$TOOL" -q $API --plain --no-cache -j 16 --tpm 60000 --max-retries 8 small.jsonl > r.jsonl; st=$?
expect '--tpm: done within the limit' sh -c "[ $st = 0 ] && [ \$(grep -c '\"text\"' r.jsonl) = 20 ]"

# The key: sent, and never written anywhere.
standin_stop
standin_start --log key.log
API="--api-base $STANDIN_URL/v1 --model test-model"
LP_API_KEY=sk-test-SECRET-1234 "$TOOL" -q $API --plain --no-cache --audit audit.log --stats k.stats -o k.jsonl small.jsonl 2> k.err
expect 'LP_API_KEY: sent as a Bearer header' grep -q '"authorization":true' key.log
expect 'the key is in no record, audit event, stats or message' sh -c "! grep -q 'SECRET' k.jsonl audit.log k.stats k.err"
expect 'one audit event per call: model, digest, tokens, latency, status' sh -c "[ \$(grep -c '\"event\":\"llm_call\"' audit.log) = 20 ] && grep -q '\"event\":\"llm_call\".*\"digest\":\"[0-9a-f]\{64\}\",\"attempt\":1,\"status\":200,\"latency_ms\":[0-9.]*,\"prompt_tokens\":[0-9]*,\"completion_tokens\":[0-9]*,\"model\":\"test-model\"' audit.log"
printf 'sk-from-file-SECRET\n' > key.txt
"$TOOL" -q $API --plain --no-cache --api-key-file key.txt --azure --api-version 2024-06-01 small.jsonl > az.jsonl
expect '--api-key-file, --azure, --api-version' sh -c "grep -q '\"path\":\"/v1/chat/completions?api-version=2024-06-01\",\"user_agent\":\"[^\"]*\",\"authorization\":true' key.log && ! grep -q SECRET az.jsonl"
: > empty.txt
check 65 "--api-key-file empty.txt --no-cache small.jsonl" '' '' 'lp-translate: empty.txt: no key on its first line\n'
check 74 "--api-key-file nokey.txt small.jsonl" '' '' "lp-translate: cannot open 'nokey.txt': No such file or directory\n"

# --dry-run: the requests, key hidden, none sent.
n=$(requests)
LP_API_KEY=sk-test-SECRET-1234 "$TOOL" -q $API --plain --dry-run small.jsonl > dry.jsonl; st=$?
expect '--dry-run: 20 requests shown, none sent, key hidden' sh -c "[ $st = 0 ] && [ $(requests) = $n ] && [ \$(wc -l < dry.jsonl) = 20 ] && grep -q '^{\"method\":\"POST\",\"url\":\"http://127.0.0.1:[0-9]*/v1/chat/completions\",\"headers\":{\"Content-Type\":\"application/json\",\"Authorization\":\"Bearer \*\*\*\"},\"body\":{\"model\":\"test-model\"' dry.jsonl && ! grep -q SECRET dry.jsonl"

# Glossary: the terms the titles use go into the prompt; misses flagged.
printf '# brands and fixed terms\nApple\ncase\t手机壳\n\n' > gloss.tsv
"$TOOL" -q $API --plain --no-cache --glossary gloss.tsv small.jsonl > g.jsonl
expect 'glossary: the terms a title uses, in its prompt' sh -c "grep -q 'Use this glossary: [^\"]*\\\\n- Apple\"' key.log && grep -q 'Use this glossary: [^\"]*\\\\n- case -> 手机壳\"' key.log"
expect 'glossary: terms the translation missed are flagged' sh -c "grep -q '\"title\":\"case case used 2\".*\"glossary_missed\":\[\"case\"\]' g.jsonl && grep -q '\"title\":\"white white apple 4\".*\"glossary_missed\":\[\"Apple\"\]' g.jsonl"
printf 'ok\tone\ttwo\n' > badgloss.tsv
check 65 "--glossary badgloss.tsv small.jsonl" '' '' 'lp-translate: badgloss.tsv:1: want TERM or TERM<tab>TRANSLATION\n'

# Cache keys are the SHA-256 of the canonical body as sent, whether the
# system text is the prompt's own or has glossary terms, and with titles
# that need escaping.
printf '%s\n' '{"id":"e1","title":"Apple \"quoted\" \\ tab\t 😀 caf\u00e9"}' '{"id":"e2","title":"plain phone"}' > esc.jsonl
"$TOOL" -q $API --plain --cache keys --glossary gloss.tsv esc.jsonl > /dev/null
"$TOOL" -q $API --plain --dry-run --glossary gloss.tsv esc.jsonl | sed 's/.*,"body"://; s/}$//' > bodies.txt
okkeys=0
while IFS= read -r b; do
	d=$(printf '%s' "$b" | sha256sum | cut -c1-64)
	[ -f "keys/$(echo "$d" | cut -c1-2)/$d.json" ] && okkeys=$((okkeys + 1))
done < bodies.txt
expect 'cache keys: SHA-256 of the canonical body sent (glossary or not)' sh -c "[ $okkeys = 2 ] && grep -q 'Use this glossary' bodies.txt && [ \$(grep -c 'Use this glossary' bodies.txt) = 1 ]"

# Progress on a terminal: done, rate, tokens, retries, share and ETA.
if command -v script > /dev/null 2>&1; then
	standin_stop
	standin_start --latency-ms 20 --fault 503:0.1 --seed 5
	script -qc "\"$TOOL\" --api-base $STANDIN_URL/v1 --no-cache -j 2 -o tty.out in.jsonl" tty.log > /dev/null 2>&1
	expect 'progress on a terminal: translated, tokens, retries, ETA' grep -q 'records, [0-9]*/s, [0-9]*%, ETA [0-9]*:[0-9]*, [0-9]* translated, 0 failed, [0-9]* waiting, [1-9][0-9]* tokens, [1-9][0-9]* retries' tty.log
	standin_stop
	standin_start --log key.log
	API="--api-base $STANDIN_URL/v1 --model test-model"
fi

# Plain-text mode and another target.
"$TOOL" -q $API --plain --no-cache --no-json-mode --target ja small.jsonl > p.jsonl; st=$?
expect '--no-json-mode --target ja' sh -c "[ $st = 0 ] && grep -q '\"lang\":\"ja\"' p.jsonl && tail -1 key.log | grep -q 'into Japanese (ja)' && ! tail -1 key.log | grep -q response_format"

# The prompt file.
printf '{"version":"mine-2","system":"S {target}","system_plain":"P","glossary":"G"}\n' > prompt.json
"$TOOL" -q $API --plain --no-cache --prompt prompt.json small.jsonl > pr.jsonl
expect '--prompt: its version stamped, its text sent' sh -c "grep -q '\"prompt_version\":\"mine-2\"' pr.jsonl && tail -1 key.log | grep -q '\"content\":\"S Simplified Chinese\"'"
printf '{"version":"x"}\n' > badprompt.json
check 65 "--prompt badprompt.json small.jsonl" '' '' 'lp-translate: badprompt.json: a prompt needs version, system, system_plain and glossary strings\n'

# Records without a title pass untouched; bad lines are bad input.
printf '{"id":"n1"}\n{"id":"n2","title":""}\n' > notitle.jsonl
"$TOOL" -q $API --plain --no-cache notitle.jsonl > nt.jsonl; st=$?
expect 'no title: passed through, no request' sh -c "[ $st = 0 ] && [ \$(wc -l < nt.jsonl) = 2 ] && ! grep -q translation nt.jsonl"
printf '{"id":"a","title":"phone"}\nnot json\n' > bad.jsonl
"$TOOL" $API --plain --no-cache bad.jsonl > /dev/null 2> bad.err; st=$?
expect 'a bad line: 65 with file and line' sh -c "[ $st = 65 ] && grep -q '^lp-translate: bad.jsonl:2: ' bad.err"

# Usage errors.
check 2 '--batch 2 --no-json-mode' '' '' "lp-translate: --batch needs JSON mode (drop --no-json-mode)\n$USAGE"
check 2 '--cache c --no-cache' '' '' "lp-translate: --cache and --no-cache: choose one\n$USAGE"
check 2 '--api-base ftp://x' '' '' "lp-translate: the API base must be an http:// or https:// URL, not 'ftp://x'\n$USAGE"
check 2 '--rpm 0' '' '' "lp-translate: invalid --rpm '0' (want 1 to 1e+09)\n$USAGE"
check 2 '-j 0' '' '' "lp-translate: invalid --jobs '0' (want a whole number from 1 to 1024)\n$USAGE"
check 2 '--api-key sk-x' '' '' "lp-translate: no --api-key: a key on the command line shows in ps; use LP_API_KEY or --api-key-file\n$USAGE"
check 2 '--api-key=sk-x' '' '' "lp-translate: no --api-key: a key on the command line shows in ps; use LP_API_KEY or --api-key-file\n$USAGE"

help_man_agree "$MAN"
finish

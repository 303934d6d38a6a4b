#!/bin/sh
# CLI tests of lp-rate, against the stand-in API server (tests/standin),
# which rates 4 a translation that is its own glossary translation and 2
# otherwise, with logprobs at the score falling off as exp(-1.5 |k - s|).
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-rate
TRANSLATE=${LP_TOOLDIR:-$LP_BINDIR}/lp-translate
MAN=$(dirname "$0")/../../man/lp-rate.1
unset LP_API_BASE LP_MODEL LP_JUDGE_MODEL LP_API_KEY OPENAI_API_KEY
export XDG_CACHE_HOME="$T/xdg"

USAGE="usage: lp-rate [-qv] [-o file] [-j n] [--model name ...] [--api-base url]\n       [--api-key-file file] [--rubric file] [--prompt file]\n       [--no-rationale] [--no-logprobs] [--rpm n] [--tpm n]\n       [--cache dir | --no-cache] [--dry-run] [file ...]\nTry 'lp-rate --help' for more information.\n"

requests() {
	if [ -s standin.stats ]; then sed 's/.*"chat":\([0-9]*\).*/\1/' standin.stats; else echo 0; fi
}
ids() {
	sed 's/^{"id":"\([^"]*\)".*/\1/' "$1" | tr '\n' ' '
}
# sh rating.sh FILE ID: the rating member of record ID (a script, for
# use inside expect's sh -c).
cat > rating.sh <<'EOF'
grep "^{\"id\":\"$2\"" "$1" | sed 's/.*"rating":\({.*}\)}$/\1/'
EOF

words='apple phone case black white new used charger cable screen watch laptop'
awk -v words="$words" 'BEGIN {
	n = split(words, w, " ")
	for (i = 1; i <= 200; i++)
		printf "{\"id\":\"i%03d\",\"title\":\"%s %s %d\"}\n", i, w[i % n + 1], w[(i * 7) % n + 1], i
}' > in.jsonl

standin_start --log api.log
API="--api-base $STANDIN_URL/v1"
# Translations from the same server: right ones; every third spoilt.
"$TRANSLATE" -q --plain $API --no-cache in.jsonl |
    awk 'NR % 3 == 0 { sub(/"text":"[^"]*"/, "\"text\":\"错的\"") } { print }' > tr.jsonl
head -20 tr.jsonl > small.jsonl
n0=$(requests)

# One judge: the distribution at the score token.  For a score of 4 the
# server gives 1-4 weights exp(-4.5), exp(-3), exp(-1.5), 1, over their
# sum 1.284026, times 0.97, and a space with 0.03: renormalised over the
# digits, 0.0087 0.0388 0.1738 0.7788; expected 3.7227.
"$TOOL" -q --plain $API --no-cache small.jsonl > r.jsonl; st=$?
expect 'rates: exit 0, every record, in order' sh -c "[ $st = 0 ] && [ \"$(ids r.jsonl)\" = \"$(ids small.jsonl)\" ] && [ $(requests) = $((n0 + 20)) ]"
expect 'a right translation: 4, from the logprobs' sh -c "sh rating.sh r.jsonl i001 | grep -q '^{\"score\":4,\"confidence\":0.7788,\"expected\":3.7227,\"probs\":{\"1\":0.0087,\"2\":0.0388,\"3\":0.1738,\"4\":0.7788},\"logprob_mass\":0.97,\"method\":\"logprobs\",\"rationale\":\"matches the glossary\",\"model\":\"gpt-4.1\",\"usage\":{\"prompt_tokens\":[0-9]*,\"completion_tokens\":[0-9]*,\"total_tokens\":[0-9]*},\"latency_ms\":[0-9.]*,\"cached\":false,\"finish_reason\":\"stop\",\"rubric_version\":\"rubric-1\",\"prompt_version\":\"judge-1\"}$'"
# For 2: weights exp(-1.5), 1, exp(-1.5), exp(-3): 0.1491 0.6684 0.1491
# 0.0333; expected 2.0666.
expect 'a spoilt translation: 2, from the logprobs' sh -c "sh rating.sh r.jsonl i003 | grep -q '^{\"score\":2,\"confidence\":0.6684,\"expected\":2.0666,\"probs\":{\"1\":0.1491,\"2\":0.6684,\"3\":0.1491,\"4\":0.0333},\"logprob_mass\":0.97,\"method\":\"logprobs\",\"rationale\":\"differs from the glossary\"'"
expect 'the request: rubric in the prompt, logprobs, a JSON schema' grep -q '"body":{"model":"gpt-4.1","messages":\[{"role":"system","content":"You review translations of e-commerce listing titles from English into Simplified Chinese (zh-Hans)\. Rate the translation on this scale:\\n1 = wrong: .*\\n4 = correct: .*"},{"role":"user","content":"{\\"source\\":\\"phone charger 1\\",\\"translation\\":\\"[^"]*\\"}"}\],"temperature":0.0,"seed":1,"logprobs":true,"top_logprobs":10,"response_format":{"type":"json_schema","json_schema":{"name":"rating","strict":true,"schema":{"type":"object","properties":{"score":{"type":"integer","enum":\[1,2,3,4\]},"confidence":{"type":"number"},"rationale":{"type":"string"}},"required":\["score","confidence","rationale"\]' api.log

# Fewer alternatives: renormalised over those given.  4 and 3 only:
# 0.7788 / 0.9526 = 0.8176, 0.1824; expected 3.8176.
"$TOOL" -q --plain $API --no-cache --top-logprobs 2 small.jsonl > r2.jsonl
expect '--top-logprobs 2: renormalised over the two' sh -c "sh rating.sh r2.jsonl i001 | grep -q '^{\"score\":4,\"confidence\":0.8176,\"expected\":3.8176,\"probs\":{\"1\":0.0,\"2\":0.0,\"3\":0.1824,\"4\":0.8176},\"logprob_mass\":0.924'"

# No logprobs from the server: the judge's own confidence, said so.
"$TOOL" -q --plain $API --no-cache --model judge-nolp small.jsonl > s.jsonl; st=$?
expect 'no logprobs given: self-report, and why' sh -c "[ $st = 0 ] && sh rating.sh s.jsonl i001 | grep -q '^{\"score\":4,\"confidence\":0.8,\"method\":\"self-report\",\"logprobs_missing\":\"the server gave no logprobs\",\"rationale\":\"matches the glossary\",\"model\":\"judge-nolp\"'"
"$TOOL" -q --plain $API --no-cache --no-logprobs --no-rationale --stats nl.stats small.jsonl > s2.jsonl
expect '--no-logprobs --no-rationale: not asked, not given' sh -c "sh rating.sh s2.jsonl i003 | grep -q '^{\"score\":2,\"confidence\":0.6,\"method\":\"self-report\",\"model\":\"gpt-4.1\",' && ! grep -q rationale s2.jsonl && tail -1 api.log | grep -v -q '\"logprobs\"' && tail -1 api.log | grep -q '\"required\":\[\"score\",\"confidence\"\]' && grep -q '\"self_report\":20,' nl.stats"

# Several judges: pooled distributions, each judge kept, disagreement.
# On a right translation gpt-4.1 says 4, judge-harsh 2 (two apart):
# pooled (0.0087+0.1491)/2 = 0.0789, 0.3536, 0.1615, 0.4060 (from the
# unrounded distributions); expected 2.8946.
"$TOOL" -q --plain $API --no-cache --model gpt-4.1 --model judge-harsh --stats j.stats small.jsonl > j.jsonl; st=$?
expect 'two judges: pooled, disagreement flagged' sh -c "[ $st = 0 ] && sh rating.sh j.jsonl i001 | grep -q '^{\"score\":4,\"confidence\":0.406,\"expected\":2.8946,\"probs\":{\"1\":0.0789,\"2\":0.3536,\"3\":0.1615,\"4\":0.406},\"method\":\"logprobs\",\"disagreement\":true,\"judges\":\[{\"score\":4,.*\"model\":\"gpt-4.1\".*},{\"score\":2,.*\"model\":\"judge-harsh\".*}\],\"rubric_version\":\"rubric-1\",\"prompt_version\":\"judge-1\"}$'"
expect 'two judges: one point apart is no disagreement' sh -c "sh rating.sh j.jsonl i003 | grep -q '\"disagreement\":false,'"
expect 'two judges: two requests a record, disagreements counted' sh -c "grep -q '\"llm_calls\":40,' j.stats && grep -q '\"disagreements\":14,' j.stats"
"$TOOL" -q --plain $API --no-cache --model gpt-4.1 --model judge-nolp small.jsonl > jm.jsonl
expect 'a judge without logprobs among others: method mixed' sh -c "sh rating.sh jm.jsonl i001 | grep -q '\"method\":\"mixed\",\"disagreement\":false,'"

# Bad answers: one repair try, then rating.error on the kept record.
for f in 'badscore:score 7 is outside 1-4' 'word:the score is not a number 1-4: \\"four\\"' 'nofield:the answer has no confidence from 0 to 1' 'schema:the answer is not a JSON object' 'empty:an empty reply'; do
	kind=${f%%:*} msg=${f#*:}
	standin_stop
	standin_start --fault "$kind:1" --fault-limit 1
	API="--api-base $STANDIN_URL/v1"
	"$TOOL" -q --plain $API --no-cache -j 1 small.jsonl > b.jsonl; st=$?
	expect "$kind once: repaired" sh -c "[ $st = 0 ] && [ \$(grep -c '\"score\"' b.jsonl) = 20 ] && [ $(requests) = 21 ]"
	standin_stop
	standin_start --fault "$kind:1"
	API="--api-base $STANDIN_URL/v1"
	"$TOOL" --plain $API --no-cache small.jsonl > b.jsonl 2> b.err; st=$?
	expect "$kind twice: rating.error on every kept record, exit 1" sh -c "[ $st = 1 ] && [ \$(wc -l < b.jsonl) = 20 ] && [ \$(grep -c '\"rating\":{\"error\":{\"reason\":\"reply\",\"status\":200,\"message\":\"$msg\",\"attempts\":2},\"rubric_version\":\"rubric-1\",\"prompt_version\":\"judge-1\"}' b.jsonl) = 20 ] && grep -q '^lp-rate: 20 of 20 items not rated by every judge' b.err"
done

# One judge of two fails: rated by the other, the failure kept, exit 1.
standin_stop
standin_start --fault badscore:1 --fault-limit 1
API="--api-base $STANDIN_URL/v1"
head -1 small.jsonl > one.jsonl
"$TOOL" -q --plain $API --no-cache -j 1 --max-retries 0 --model j1 --model j2 --stats p.stats one.jsonl > p.jsonl; st=$?
expect 'one judge of two fails: the other rates, exit 1' sh -c "[ $st = 1 ] && grep -q '\"judges\":\[{\"error\":{\"reason\":\"reply\",\"status\":200,\"message\":\"score 7 is outside 1-4\",\"attempts\":1},\"model\":\"j1\"},{\"score\":4,' p.jsonl && grep -q '\"rating\":{\"score\":4,\"confidence\":0.7788,' p.jsonl && grep -q '\"judge_failed\":1,' p.stats"

# Nothing to rate: the translation failed, or there is none.
printf '%s\n' '{"id":"f1","title":"phone","translation":{"lang":"zh-Hans","error":{"reason":"http","status":503,"message":"HTTP 503: busy","attempts":6}}}' '{"id":"f2","title":"phone"}' '{"id":"f3","translation":{"text":"手机"}}' > none.jsonl
"$TOOL" --plain $API --no-cache none.jsonl > n.jsonl 2> n.err; st=$?
expect 'no translation: rating.error no_input, record kept, no request, exit 0' sh -c "[ $st = 0 ] && [ \$(wc -l < n.jsonl) = 3 ] && grep -q '\"rating\":{\"error\":{\"reason\":\"no_input\",\"status\":null,\"message\":\"no translation to rate: it failed (HTTP 503: busy)\",\"attempts\":0},' n.jsonl && grep -q '^{\"id\":\"f2\",.*\"message\":\"no translation to rate\"' n.jsonl && grep -q '^{\"id\":\"f3\",.*\"message\":\"no title to rate\"' n.jsonl && grep -q '^lp-rate: 3 records had nothing to rate' n.err"

# Faults: nothing lost under 30% injected faults, order kept.
standin_stop
standin_start --fault 429:0.08 --fault 500:0.06 --fault 503:0.04 --fault reset:0.04 --fault truncate:0.04 --fault malformed:0.04 --seed 7
API="--api-base $STANDIN_URL/v1"
"$TOOL" -q --plain $API --no-cache -j 16 --max-retries 8 --stats f.stats tr.jsonl > f.jsonl; st=$?
expect '30% faults: exit 0, every record rated, in order' sh -c "[ $st = 0 ] && [ \$(grep -c '\"rating\":{\"score\"' f.jsonl) = 200 ] && [ \"$(ids f.jsonl)\" = \"$(ids tr.jsonl)\" ] && grep -q '\"llm_retries\":[1-9][0-9]*,' f.stats"

# The cache: a rerun makes no request; already rated records pass.
standin_stop
standin_start
API="--api-base $STANDIN_URL/v1"
"$TOOL" -q --plain $API --cache cache tr.jsonl > c1.jsonl
n=$(requests)
"$TOOL" -q --plain $API --cache cache --force c1.jsonl > c2.jsonl; st=$?
expect 'cache: the rerun makes zero requests, answers marked cached' sh -c "[ $st = 0 ] && [ $(requests) = $n ] && [ \$(grep -c '\"cached\":true' c2.jsonl) = 200 ]"
expect 'cache: the same ratings' sh -c "[ \"\$(sed 's/\"latency_ms\".*//' c1.jsonl | sed 's/.*\"rating\"://')\" = \"\$(sed 's/\"latency_ms\".*//' c2.jsonl | sed 's/.*\"rating\"://')\" ]"
"$TOOL" -q --plain $API --no-cache --stats a.stats c1.jsonl > /dev/null
expect 'already rated: passed, no request' sh -c "[ $(requests) = $n ] && grep -q '\"already_rated\":200,' a.stats"

# Errors that retrying cannot mend: status 69.
standin_stop
standin_start --status 401
API="--api-base $STANDIN_URL/v1"
"$TOOL" $API --plain --no-cache tr.jsonl > x.jsonl 2> x.err; st=$?
expect 'HTTP 401: stop with status 69' sh -c "[ $st = 69 ] && grep -q '^lp-rate: the API cannot be used' x.err && grep -q '\"reason\":\"fatal\",\"status\":401' x.jsonl"

# --dry-run; the key never written.
LP_API_KEY=sk-test-SECRET-9 "$TOOL" -q $API --plain --dry-run --model a --model b small.jsonl > dry.jsonl; st=$?
expect '--dry-run: a request per judge and record, key hidden' sh -c "[ $st = 0 ] && [ \$(wc -l < dry.jsonl) = 40 ] && grep -q '\"Authorization\":\"Bearer \*\*\*\"' dry.jsonl && ! grep -q SECRET dry.jsonl"

# Rubric and prompt files.
printf '{"version":"r-9","labels":[{"value":1,"name":"bad","definition":"B"},{"value":2,"name":"good","definition":"G"}]}\n' > rubric.json
printf '{"version":"p-9","system":"Scale {rubric} for {target}.{rationale}","rationale":" Why."}\n' > prompt.json
standin_stop
standin_start --log p.log
API="--api-base $STANDIN_URL/v1"
"$TOOL" -q $API --plain --no-cache --rubric rubric.json --prompt prompt.json one.jsonl > rp.jsonl
expect '--rubric, --prompt: their versions stamped, the scale sent' sh -c "grep -q '\"rubric_version\":\"r-9\",\"prompt_version\":\"p-9\"' rp.jsonl && grep -q '\"content\":\"Scale 1 = bad: B\\\\n2 = good: G for Simplified Chinese. Why.\"' p.log && grep -q '\"enum\":\[1,2\]' p.log"
printf '{"version":"r","labels":[{"value":2,"name":"x","definition":"y"},{"value":1,"name":"x","definition":"y"}]}\n' > badrubric.json
check 65 "--rubric badrubric.json one.jsonl" '' '' 'lp-rate: badrubric.json: label 1 needs value 1, a name and a definition\n'
printf '{"version":"r","labels":[]}\n' > badrubric.json
check 65 "--rubric badrubric.json one.jsonl" '' '' 'lp-rate: badrubric.json: a rubric needs a version and 2 to 9 labels\n'
printf '{"version":"p"}\n' > badprompt.json
check 65 "--prompt badprompt.json one.jsonl" '' '' 'lp-rate: badprompt.json: a judge prompt needs version, system and rationale strings\n'

# Usage errors.
check 2 '--top-logprobs 0' '' '' "lp-rate: invalid --top-logprobs '0' (want a whole number from 1 to 20)\n$USAGE"
check 2 '--temperature 3' '' '' "lp-rate: invalid --temperature '3' (want 0 to 2)\n$USAGE"
check 2 '--api-key sk-x' '' '' "lp-rate: no --api-key: a key on the command line shows in ps; use LP_API_KEY or --api-key-file\n$USAGE"

help_man_agree "$MAN"
finish

#!/bin/sh
# CLI tests of lp-rate, against the stand-in API server (tests/standin),
# which rates 4 a translation that is its own glossary translation and 2
# otherwise, with logprobs at the score falling off as exp(-1.5 |k - s|).
# Each "tcase" is one test (see lib.sh):
#   sh tests/cli/lp-rate.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-rate
TRANSLATE=${LP_TOOLDIR:-$LP_BINDIR}/lp-translate
MAN=$HERE/../../man/lp-rate.1
unset LP_API_BASE LP_MODEL LP_JUDGE_MODEL LP_API_KEY OPENAI_API_KEY

USAGE="usage: lp-rate [-qv] [-o file] [-j n] [--model name ...] [--api-base url]\n       [--api-key-file file] [--rubric file] [--prompt file]\n       [--no-rationale] [--no-logprobs] [--rpm n] [--tpm n]\n       [--cache dir | --no-cache] [--dry-run] [file ...]\nTry 'lp-rate --help' for more information.\n"

# requests: the chat requests the stand-in has answered so far.
requests() {
	if [ -s standin.stats ]; then sed 's/.*"chat":\([0-9]*\).*/\1/' standin.stats; else echo 0; fi
}
# ids FILE: the records' ids, one a line.
ids() {
	sed 's/^{"id":"\([^"]*\)".*/\1/' "$1"
}
# rating FILE ID: the rating member of record ID.
rating() {
	grep "^{\"id\":\"$2\"" "$1" | sed 's/.*"rating":\({.*}\)}$/\1/'
}
# translated N OUT: the first N titles, translated by the stand-in, every
# third spoilt.
translated() {
	words='apple phone case black white new used charger cable screen watch laptop'
	awk -v words="$words" -v n="$1" 'BEGIN {
		m = split(words, w, " ")
		for (i = 1; i <= n; i++)
			printf "{\"id\":\"i%03d\",\"title\":\"%s %s %d\"}\n", i, w[i % m + 1], w[(i * 7) % m + 1], i
	}' > in.jsonl &&
	    standin_start &&
	    "$TRANSLATE" -q --plain --api-base "$STANDIN_URL/v1" --no-cache in.jsonl |
	    awk 'NR % 3 == 0 { sub(/"text":"[^"]*"/, "\"text\":\"错的\"") } { print }' > "$2"
	standin_stop
	[ "$(lines_of "$2")" = "$1" ]
}

# Fixtures.
fx_small() { # small.jsonl: 20 translations; one.jsonl: the first
	translated 20 small.jsonl && head -1 small.jsonl > one.jsonl
}
fx_tr() { # tr.jsonl: 200 translations
	translated 200 tr.jsonl
}
fx_api() { # the stand-in, logging requests to api.log; API: its options
	standin_start --log api.log
	API="--api-base $STANDIN_URL/v1"
}

# One judge: the distribution at the score token.  For a score of 4 the
# server gives 1-4 weights exp(-4.5), exp(-3), exp(-1.5), 1, over their
# sum 1.284026, times 0.97, and a space with 0.03: renormalised over the
# digits, 0.0087 0.0388 0.1738 0.7788; expected 3.7227.
tcase judge.logprobs small api && {
	run "$TOOL" -q --plain $API --no-cache small.jsonl
	status_is 0
	ids out > got
	ids small.jsonl > want
	same want got                   # every record, in order
	holds [ "$(requests)" = 20 ]
	# A right translation: 4, from the logprobs.
	rating out i001 > i001
	has i001 '^{"score":4,"confidence":0.7788,"expected":3.7227,"probs":{"1":0.0087,"2":0.0388,"3":0.1738,"4":0.7788},"logprob_mass":0.97,"method":"logprobs","rationale":"matches the glossary","model":"gpt-4.1","usage":{"prompt_tokens":[0-9]*,"completion_tokens":[0-9]*,"total_tokens":[0-9]*},"latency_ms":[0-9.]*,"cached":false,"finish_reason":"stop","rubric_version":"rubric-1","prompt_version":"judge-1"}$'
	# For 2: weights exp(-1.5), 1, exp(-1.5), exp(-3): 0.1491 0.6684
	# 0.1491 0.0333; expected 2.0666.
	rating out i003 > i003
	has i003 '^{"score":2,"confidence":0.6684,"expected":2.0666,"probs":{"1":0.1491,"2":0.6684,"3":0.1491,"4":0.0333},"logprob_mass":0.97,"method":"logprobs","rationale":"differs from the glossary"'
	# The request: rubric in the prompt, logprobs, a JSON schema.
	has api.log '"body":{"model":"gpt-4.1","messages":\[{"role":"system","content":"You review translations of e-commerce listing titles from English into Simplified Chinese (zh-Hans)\. Rate the translation on this scale:\\n1 = wrong: .*\\n4 = correct: .*"},{"role":"user","content":"{\\"source\\":\\"phone charger 1\\",\\"translation\\":\\"[^"]*\\"}"}\],"temperature":0.0,"seed":1,"logprobs":true,"top_logprobs":10,"response_format":{"type":"json_schema","json_schema":{"name":"rating","strict":true,"schema":{"type":"object","properties":{"score":{"type":"integer","enum":\[1,2,3,4\]},"confidence":{"type":"number"},"rationale":{"type":"string"}},"required":\["score","confidence","rationale"\]'
}

# Fewer alternatives: renormalised over those given.  4 and 3 only:
# 0.7788 / 0.9526 = 0.8176, 0.1824; expected 3.8176.
tcase judge.top-logprobs-2 small api && {
	run "$TOOL" -q --plain $API --no-cache --top-logprobs 2 small.jsonl
	rating out i001 > i001
	has i001 '^{"score":4,"confidence":0.8176,"expected":3.8176,"probs":{"1":0.0,"2":0.0,"3":0.1824,"4":0.8176},"logprob_mass":0.924'
}

# No logprobs from the server: the judge's own confidence, said so.
tcase judge.no-logprobs-given small api && { # self-report, and why
	run "$TOOL" -q --plain $API --no-cache --model judge-nolp small.jsonl
	status_is 0
	rating out i001 > i001
	has i001 '^{"score":4,"confidence":0.8,"method":"self-report","logprobs_missing":"the server gave no logprobs","rationale":"matches the glossary","model":"judge-nolp"'
}
tcase judge.no-logprobs-no-rationale small api && { # not asked, not given
	run "$TOOL" -q --plain $API --no-cache --no-logprobs --no-rationale --stats nl.stats small.jsonl
	rating out i003 > i003
	has i003 '^{"score":2,"confidence":0.6,"method":"self-report","model":"gpt-4.1",'
	lacks out rationale
	tail -1 api.log > last
	lacks last '"logprobs"'
	has last '"required":\["score","confidence"\]'
	has nl.stats '"self_report":20,'
}

# Several judges: pooled distributions, each judge kept, disagreement.
# On a right translation gpt-4.1 says 4, judge-harsh 2 (two apart):
# pooled (0.0087+0.1491)/2 = 0.0789, 0.3536, 0.1615, 0.4060 (from the
# unrounded distributions); expected 2.8946.
tcase judges.pooled small api && {
	run "$TOOL" -q --plain $API --no-cache --model gpt-4.1 --model judge-harsh --stats j.stats small.jsonl
	status_is 0
	rating out i001 > i001          # disagreement flagged
	has i001 '^{"score":4,"confidence":0.406,"expected":2.8946,"probs":{"1":0.0789,"2":0.3536,"3":0.1615,"4":0.406},"method":"logprobs","disagreement":true,"judges":\[{"score":4,.*"model":"gpt-4.1".*},{"score":2,.*"model":"judge-harsh".*}\],"rubric_version":"rubric-1","prompt_version":"judge-1"}$'
	rating out i003 > i003          # one point apart is no disagreement
	has i003 '"disagreement":false,'
	# Two requests a record, disagreements counted.
	has j.stats '"llm_calls":40,'
	has j.stats '"disagreements":14,'
}
tcase judges.mixed small api && { # a judge without logprobs among others
	run "$TOOL" -q --plain $API --no-cache --model gpt-4.1 --model judge-nolp small.jsonl
	rating out i001 > i001
	has i001 '"method":"mixed","disagreement":false,'
}

# Bad answers: one repair try, then rating.error on the kept record.
# reply_once KIND: a bad reply once is repaired.
reply_once() {
	standin_start --fault "$1:1" --fault-limit 1
	run "$TOOL" -q --plain --api-base "$STANDIN_URL/v1" --no-cache -j 1 small.jsonl
	status_is 0
	count out '"score"' 20
	holds [ "$(requests)" = 21 ]
}
# reply_twice KIND MESSAGE: a bad reply twice is rating.error on every
# kept record, exit 1.
reply_twice() {
	standin_start --fault "$1:1"
	run "$TOOL" --plain --api-base "$STANDIN_URL/v1" --no-cache small.jsonl
	status_is 1
	lines out 20
	count out "\"rating\":{\"error\":{\"reason\":\"reply\",\"status\":200,\"message\":\"$2\",\"attempts\":2},\"rubric_version\":\"rubric-1\",\"prompt_version\":\"judge-1\"}" 20
	has err '^lp-rate: 20 of 20 items not rated by every judge'
}
tcase reply.badscore-once small && reply_once badscore
tcase reply.badscore-twice small && reply_twice badscore 'score 7 is outside 1-4'
tcase reply.word-once small && reply_once word
tcase reply.word-twice small && reply_twice word 'the score is not a number 1-4: \\"four\\"'
tcase reply.nofield-once small && reply_once nofield
tcase reply.nofield-twice small && reply_twice nofield 'the answer has no confidence from 0 to 1'
tcase reply.schema-once small && reply_once schema
tcase reply.schema-twice small && reply_twice schema 'the answer is not a JSON object'
tcase reply.empty-once small && reply_once empty
tcase reply.empty-twice small && reply_twice empty 'an empty reply'

# One judge of two fails: rated by the other, the failure kept, exit 1.
tcase judges.one-fails small && {
	standin_start --fault badscore:1 --fault-limit 1
	run "$TOOL" -q --plain --api-base "$STANDIN_URL/v1" --no-cache -j 1 --max-retries 0 --model j1 --model j2 --stats p.stats one.jsonl
	status_is 1
	has out '"judges":\[{"error":{"reason":"reply","status":200,"message":"score 7 is outside 1-4","attempts":1},"model":"j1"},{"score":4,'
	has out '"rating":{"score":4,"confidence":0.7788,'
	has p.stats '"judge_failed":1,'
}

# Nothing to rate: the translation failed, or there is none.
tcase no-input.kept api && { # rating.error no_input, no request, exit 0
	printf '%s\n' '{"id":"f1","title":"phone","translation":{"lang":"zh-Hans","error":{"reason":"http","status":503,"message":"HTTP 503: busy","attempts":6}}}' '{"id":"f2","title":"phone"}' '{"id":"f3","translation":{"text":"手机"}}' > none.jsonl
	run "$TOOL" --plain $API --no-cache none.jsonl
	status_is 0
	lines out 3
	has out '"rating":{"error":{"reason":"no_input","status":null,"message":"no translation to rate: it failed (HTTP 503: busy)","attempts":0},'
	has out '^{"id":"f2",.*"message":"no translation to rate"'
	has out '^{"id":"f3",.*"message":"no title to rate"'
	has err '^lp-rate: 3 records had nothing to rate'
	holds [ "$(requests)" = 0 ]
}

# Faults: nothing lost under 30% injected faults, order kept.
tcase faults.thirty-percent tr && {
	standin_start --fault 429:0.08 --fault 500:0.06 --fault 503:0.04 --fault reset:0.04 --fault truncate:0.04 --fault malformed:0.04 --seed 7
	run "$TOOL" -q --plain --api-base "$STANDIN_URL/v1" --no-cache -j 16 --max-retries 8 --stats f.stats tr.jsonl
	status_is 0
	count out '"rating":{"score"' 200     # every record rated
	ids out > got
	ids tr.jsonl > want
	same want got                         # in order
	has f.stats '"llm_retries":[1-9][0-9]*,'
}

# The cache: a rerun makes no request; already rated records pass.
tcase cache.rerun tr api && {
	run -o c1.jsonl "$TOOL" -q --plain $API --cache cache tr.jsonl
	n=$(requests)
	run -o c2.jsonl "$TOOL" -q --plain $API --cache cache --force c1.jsonl
	status_is 0
	holds [ "$(requests)" = "$n" ]        # zero requests
	count c2.jsonl '"cached":true' 200    # answers marked cached
	# The same ratings.
	sed 's/"latency_ms".*//' c1.jsonl | sed 's/.*"rating"://' > r1
	sed 's/"latency_ms".*//' c2.jsonl | sed 's/.*"rating"://' > r2
	same r1 r2
	# Already rated: passed, no request.
	run "$TOOL" -q --plain $API --no-cache --stats a.stats c1.jsonl
	holds [ "$(requests)" = "$n" ]
	has a.stats '"already_rated":200,'
}

# Errors that retrying cannot mend: status 69.
tcase fatal.http-401 tr && {
	standin_start --status 401
	run "$TOOL" --api-base "$STANDIN_URL/v1" --plain --no-cache tr.jsonl
	status_is 69
	has err '^lp-rate: the API cannot be used'
	has out '"reason":"fatal","status":401'
}

# --dry-run; the key never written.
tcase dry-run.requests small api && { # a request per judge and record, key hidden
	run env LP_API_KEY=sk-test-SECRET-9 "$TOOL" -q $API --plain --dry-run --model a --model b small.jsonl
	status_is 0
	lines out 40
	has out '"Authorization":"Bearer \*\*\*"'
	lacks out SECRET
}

# Rubric and prompt files.
tcase rubric.files small && { # their versions stamped, the scale sent
	printf '{"version":"r-9","labels":[{"value":1,"name":"bad","definition":"B"},{"value":2,"name":"good","definition":"G"}]}\n' > rubric.json
	printf '{"version":"p-9","system":"Scale {rubric} for {target}.{rationale}","rationale":" Why."}\n' > prompt.json
	standin_start --log p.log
	run "$TOOL" -q --api-base "$STANDIN_URL/v1" --plain --no-cache --rubric rubric.json --prompt prompt.json one.jsonl
	has out '"rubric_version":"r-9","prompt_version":"p-9"'
	has p.log '"content":"Scale 1 = bad: B\\n2 = good: G for Simplified Chinese. Why."'
	has p.log '"enum":\[1,2\]'
}
tcase rubric.bad-label small && {
	printf '{"version":"r","labels":[{"value":2,"name":"x","definition":"y"},{"value":1,"name":"x","definition":"y"}]}\n' > badrubric.json
	check 65 "--rubric badrubric.json one.jsonl" '' '' 'lp-rate: badrubric.json: label 1 needs value 1, a name and a definition\n'
}
tcase rubric.no-labels small && {
	printf '{"version":"r","labels":[]}\n' > badrubric.json
	check 65 "--rubric badrubric.json one.jsonl" '' '' 'lp-rate: badrubric.json: a rubric needs a version and 2 to 9 labels\n'
}
tcase prompt.bad small && {
	printf '{"version":"p"}\n' > badprompt.json
	check 65 "--prompt badprompt.json one.jsonl" '' '' 'lp-rate: badprompt.json: a judge prompt needs version, system and rationale strings\n'
}

# Usage errors.
tcase usage.top-logprobs && check 2 '--top-logprobs 0' '' '' "lp-rate: invalid --top-logprobs '0' (want a whole number from 1 to 20)\n$USAGE"
tcase usage.temperature && check 2 '--temperature 3' '' '' "lp-rate: invalid --temperature '3' (want 0 to 2)\n$USAGE"
tcase usage.api-key && check 2 '--api-key sk-x' '' '' "lp-rate: no --api-key: a key on the command line shows in ps; use LP_API_KEY or --api-key-file\n$USAGE"
tcase help.man-agree && help_man_agree "$MAN"

# The source a translation is judged against is the one lp-translate
# translated: the cased display form lp-clean keeps, else the title;
# --field names another.
tcase source.display-form api && {
	printf '%s\n' '{"id":"d1","title":"samsung galaxy s21","title_display":"Samsung Galaxy S21","translation":{"text":"三星 Galaxy S21 手机"}}' > in.jsonl
	run "$TOOL" -q --plain $API --no-cache in.jsonl
	status_is 0
	has api.log 'Samsung Galaxy S21'
	lacks api.log 'samsung galaxy s21'
	: > api.log
	run "$TOOL" -q --plain $API --no-cache --force --field title in.jsonl
	has api.log 'samsung galaxy s21'
}

finish

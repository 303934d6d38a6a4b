#!/bin/sh
# CLI tests of lp-clean --llm, against the stand-in API server answering
# from a recorded file of good and deliberately bad model answers
# (tests/data/clean-answers.jsonl, keyed by title).  Each "tcase" is one
# test (see lib.sh):
#   sh tests/cli/lp-clean-llm.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-clean
ANSWERS=${LP_TEST_DATA:-$HERE/../data}/clean-answers.jsonl
unset LP_API_BASE LP_MODEL LP_API_KEY OPENAI_API_KEY

# requests: the chat requests the stand-in has answered so far.
requests() {
	if [ -s standin.stats ]; then sed 's/.*"chat":\([0-9]*\).*/\1/' standin.stats; else echo 0; fi
}
# serve [OPTIONS]: the stand-in with the recorded answers; API: its options.
serve() {
	standin_start --clean-answers "$ANSWERS" "$@"
	API="--keep-sellers --no-schema --plain --llm --api-base $STANDIN_URL/v1 --model test-model"
}
# rec ID FILE: the record ID of FILE, without its lineage.
rec() {
	grep "^{\"id\":\"$1\"" "$2" | sed 's/,"lineage".*//'
}

# in.jsonl: 14 titles; 12 the rules doubt (brand typos, units they cannot
# read, a price without one), t12 and t13 they do not.
fx_inputs() {
	cat > in.jsonl << 'END'
{"id":"t01","title":"Samsnug Galaxy S21 128GB Black"}
{"id":"t02","title":"Seagate HDD 2tn Internal"}
{"id":"t03","title":"Aple iPhone 13 Pro 256GB Graphite"}
{"id":"t04","title":"Nikkon Coolpix Camera"}
{"id":"t05","title":"Sony Xperia 5 Phone 64gn"}
{"id":"t06","title":"Dell Laptop 16gn"}
{"id":"t07","title":"Kingstn USB Stick 64GB"}
{"id":"t08","title":"Nokla 3310 Phone"}
{"id":"t09","title":"Motorolla Moto G5 Phone"}
{"id":"t10","title":"Nintendoo Switch Console 32GB"}
{"id":"t11","title":"Samsnug SM-G991B Phone"}
{"id":"t12","title":"Apple iPad Air 64GB Silver"}
{"id":"t13","title":"Canon EOS 250D Camera WOW L@@K"}
{"id":"t14","title":"Bose QC45 Headphones","price":"ask me"}
END
	# rules.jsonl: what the rules alone make of them.
	"$TOOL" -q --keep-sellers --no-schema --plain in.jsonl > rules.jsonl
}
fx_cleaned() { # out: in.jsonl cleaned with --llm (doubtful)
	needs inputs && serve &&
	    run "$TOOL" $API --no-cache --stats s.json in.jsonl
}

# Accepted answers are applied: the model's title in the rules' form, the
# original in raw.title, the attributes added; clean.llm says so.
tcase accepted.applied cleaned && {
	status_is 0
	lines out 14
	has out '^{"id":"t01","title":"samsung galaxy s21 128 gb black",'
	has out '^{"id":"t01",.*"raw":{"title":"Samsnug Galaxy S21 128GB Black"}'
	has out '^{"id":"t01",.*"attrs":{"storage_gb":128.0,"colour":"Black","brand":"Samsung","model":"Galaxy S21"}'
	has out '^{"id":"t01",.*"clean":{"llm":{"model":"test-model","prompt_version":"clean-1","accepted":true,"edits":\[{"kind":"typo","from":"Samsnug","to":"Samsung"},{"kind":"unit","from":"128GB","to":"128 GB"}\],"brand":"Samsung","product":"Galaxy S21","condition":null,"rules_title":"samsnug galaxy s21 128 gb black","usage":{'
	# A unit the rules could not read, written as the unit rules write it.
	has out '^{"id":"t02","title":"seagate hdd 2 tb internal",'
	has out '^{"id":"t02",.*"title_display":"Seagate HDD 2 TB Internal",.*"attrs":{"brand":"Seagate","storage_gb":2000.0},.*"accepted":true,.*"rules_title":"seagate hdd 2tn internal"'
}
tcase accepted.case-keep inputs && { # --case keep: the model's casing stays
	serve
	run "$TOOL" $API --no-cache --case keep in.jsonl
	has out '^{"id":"t01","title":"Samsung Galaxy S21 128 GB Black",'
}

# Each guard refuses its bad answer and the record keeps the rules' title.
# guard ID GUARD REASON: record ID was refused by GUARD for REASON.
guard() {
	has out "^{\"id\":\"$1\",.*\"accepted\":false,.*\"rejected\":\"$3\",\"guard\":\"$2\""
	rec "$1" rules.jsonl | sed 's/^\({"id":"[^"]*","title":"[^"]*"\).*/\1/' > "rules.$1"
	has out "^$(cat "rules.$1")"
}
tcase guard.number cleaned && guard t03 number 'dropped number 256'
tcase guard.invented cleaned && guard t04 invented 'invented number 950'
tcase guard.brand cleaned && guard t05 brand 'brand sony changed to Samsung'
tcase guard.edits cleaned && guard t06 edits '9 edits, more than 5'
tcase guard.attribute cleaned && guard t07 attribute 'attribute storage_gb: 64.0 by the rules, 128 by the model'
tcase guard.model cleaned && guard t11 model 'dropped model code sm-g991b'
tcase guard.kept-for-review cleaned && { # the refused title is kept beside
	has out '^{"id":"t05",.*"llm_title":"Samsung Xperia 5 Phone 64 GB"'
	has out '^{"id":"t05","title":"sony xperia 5 phone 64gn",'
}
tcase guard.edits-budget inputs && { # --llm-max-edits: a larger budget
	serve
	run "$TOOL" $API --no-cache --llm-max-edits 9 in.jsonl
	has out '^{"id":"t06","title":"dell xps premium ultra slim business laptop 16 gb silver edition",.*"accepted":true'
}

# Malformed answers: refused with a reason, the record whole.
tcase malformed.not-json cleaned && {
	guard t08 malformed 'malformed answer: not a JSON object'
	has out '^{"id":"t08",.*"llm_reply":"Sure! Here is the clean title: Nokia 3310 Phone"'
}
tcase malformed.schema cleaned && guard t09 malformed 'malformed answer: no model'
tcase malformed.truncated cleaned && guard t10 malformed 'malformed answer: not a JSON object'

# The guards' decisions in --stats.
tcase stats.guards cleaned && {
	has s.json '"in":14,"out":14,'
	has s.json '"llm_doubtful":12,"llm_sent":12,"llm_accepted":3,"llm_rejected":9,"llm_rejected:number":1,"llm_rejected:invented":1,"llm_rejected:model":1,"llm_rejected:brand":1,"llm_rejected:edits":1,"llm_rejected:attribute":1,"llm_rejected:malformed":3,"llm_failed":0,"llm_not_sent_budget":0,"llm_answers_cached":0,"llm_calls":12,'
}

# --llm (doubtful) sends only the titles the rules doubt; all sends all.
tcase doubtful.only-flagged cleaned && {
	holds [ "$(requests)" = 12 ]
	count out '"clean":{"llm"' 12
	lacks out '^{"id":"t1[23]",.*"clean"'
	has out '^{"id":"t14",.*"accepted":true'   # the price doubted
}
tcase all.every-title inputs && {
	serve
	run "$TOOL" $API --no-cache --llm=all --stats a.json in.jsonl
	status_is 0
	holds [ "$(requests)" = 14 ]
	count out '"clean":{"llm"' 14
	has a.json '"llm_doubtful":0,"llm_sent":14,"llm_accepted":5,'
	# A title the model gives back as it was: accepted, no edits.
	has out '^{"id":"t13","title":"canon eos 250d camera",.*"accepted":true,"edits":\[\]'
}

# The cache: a rerun asks nothing and gives the same records.
tcase cache.rerun inputs && {
	serve
	export SOURCE_DATE_EPOCH=1
	run -o c1.jsonl "$TOOL" $API --cache cache in.jsonl
	before=$(requests)
	run -o c2.jsonl "$TOOL" $API --cache cache --stats c.stats in.jsonl
	status_is 0
	holds [ "$before" = 12 ]
	holds [ "$(requests)" = 12 ]            # zero requests
	has c.stats '"llm_answers_cached":12,"llm_calls":0,'
	count c2.jsonl '"cached":true' 12
	sed 's/"cached":[a-z]*//' c1.jsonl > c1.cmp
	sed 's/"cached":[a-z]*//' c2.jsonl > c2.cmp
	same c1.cmp c2.cmp
	unset SOURCE_DATE_EPOCH
}

# An outage: every record written with the rules' result, status 69.
tcase outage.nobody-listening inputs && {
	serve
	standin_stop
	run "$TOOL" $API --no-cache --max-retries 1 in.jsonl
	status_is 69
	lines out 14
	count out '"lineage":{' 14                 # every record whole
	count out '"clean":{"llm":{"model":"test-model","prompt_version":"clean-1","error":{"reason":"network","status":null' 12
	has out '^{"id":"t01","title":"samsnug galaxy s21 128 gb black",'
	has err '^lp-clean: the API cannot be used'
}
tcase outage.truncated-replies inputs && { # cut off in transfer: retried
	serve --fault truncate:1
	run "$TOOL" $API --no-cache --max-retries 1 in.jsonl
	status_is 69
	lines out 14
	count out '"error":{"reason":"network","status":null,"message":"transfer closed with [0-9]* bytes remaining to read","attempts":2}' 12
	count out '"lineage":{' 14
}
tcase outage.http-401 inputs && {
	serve --status 401
	run "$TOOL" $API --no-cache in.jsonl
	status_is 69
	lines out 14
	# Sent until the first 401 came back, then none: each record whole.
	holds [ "$(requests)" -le 8 ]
	count out '"error":{"reason":"fatal","status":[0-9nul]*,"message":"[^"]*HTTP 401: forced failure"' 12
	count out '"lineage":{' 14
}
tcase outage.http-503 inputs && { # answered, but failing: status 1
	serve --status 503
	run "$TOOL" $API --no-cache --max-retries 1 -j 1 in.jsonl
	status_is 1
	lines out 14
	count out '"reason":"http","status":503' 12
	has err '^lp-clean: 12 of 12 titles the model did not answer'
}

# The key is sent and never written.
tcase key.never-written inputs && {
	serve --log key.log
	run -o k.jsonl -e k.err env LP_API_KEY=sk-test-SECRET-1234 "$TOOL" $API --no-cache --audit audit.log --stats k.stats -v in.jsonl
	status_is 0
	has key.log '"authorization":true'
	lacks k.jsonl SECRET
	lacks audit.log SECRET
	lacks k.stats SECRET
	lacks k.err SECRET
	count audit.log '"event":"llm_call"' 12
	has audit.log '"event":"run_start".*"config_text":"[^"]*;llm=doubtful;model=test-model;prompt=clean-1;max_edits=5;'
}
tcase key.dry-run inputs && { # the requests, key hidden, nothing sent
	serve
	run env LP_API_KEY=sk-test-SECRET-1234 "$TOOL" $API --dry-run in.jsonl
	status_is 0
	holds [ "$(requests)" = 0 ]
	count out '"body":{"model":"test-model","messages":\[{"role":"system","content":"You clean e-commerce listing titles' 12
	has out '{\\"title\\":\\"Samsnug Galaxy S21 128GB Black\\"}'
	has out '"response_format":{"type":"json_schema","json_schema":{"name":"clean","strict":true,'
	lacks out SECRET
}

# Usage: the LLM options need --llm, a mode is doubtful or all, titles.
tcase usage.options-need-llm inputs && {
	run "$TOOL" --keep-sellers --model m in.jsonl
	status_is 2
	has err "^lp-clean: the LLM options need --llm"
}
tcase usage.bad-mode inputs && {
	run "$TOOL" --keep-sellers --llm=some in.jsonl
	status_is 2
	has err "^lp-clean: invalid --llm 'some' (want doubtful or all)"
}
tcase usage.no-title-field inputs && {
	run "$TOOL" --keep-sellers --llm --fields subtitle in.jsonl
	status_is 2
	has err '^lp-clean: --llm cleans titles: --fields must name title'
}
tcase usage.bad-prompt inputs && {
	printf '{"version":"x"}\n' > p.json
	run "$TOOL" --keep-sellers --llm --llm-prompt p.json in.jsonl
	status_is 65
	has err '^lp-clean: p.json: a clean prompt needs version and system strings and a schema object'
}

finish

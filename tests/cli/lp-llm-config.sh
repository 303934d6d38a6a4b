#!/bin/sh
# CLI tests of the LLM tools' settings (issue 24): where the endpoint, key
# and model come from (the command line, LP_*, AZURE_OPENAI_*, OPENAI_*,
# OLLAMA_HOST, the config file), as the stand-in (tests/standin) sees the
# requests: path, headers, whether the key arrived (never the key itself);
# -v naming each source; the config file's malformed lines; failures that
# name the URL, the status and the provider's words or curl's, and -v
# showing each retry.
. "$(dirname "$0")/lib.sh"
TOOLS=${LP_TOOLDIR:-$LP_BINDIR}
TRANSLATE=$TOOLS/lp-translate
RATE=$TOOLS/lp-rate
unset LP_API_BASE LP_MODEL LP_JUDGE_MODEL LP_API_KEY OPENAI_API_KEY \
    OPENAI_BASE_URL OPENAI_ORG_ID OPENAI_PROJECT_ID OPENAI_API_VERSION \
    AZURE_OPENAI_ENDPOINT AZURE_OPENAI_API_KEY OLLAMA_HOST

KEY=sk-test-CONFIGKEY-0123456789
OTHER=sk-test-OTHERKEY-9876543210

fx_titles() { # two titles (two.jsonl); the config folder is the case's
	printf '%s\n' '{"id":"a","title":"apple phone"}' \
	    '{"id":"b","title":"new case"}' > two.jsonl
	export XDG_CONFIG_HOME="$PWD/config"
	CONFIG=$XDG_CONFIG_HOME/labelpipe/config
	mkdir -p "$XDG_CONFIG_HOME/labelpipe"
}
fx_rated() { # one translated record for lp-rate (tr.jsonl)
	printf '%s\n' '{"id":"r","title":"apple phone","translation":{"lang":"zh-Hans","text":"苹果 手机"}}' > tr.jsonl
}
fx_api() { # the stand-in, wanting $KEY, requests logged in api.log
	needs titles && standin_start --log api.log --want-key "$KEY"
}

# config LINE...: the config file, those lines.
config() {
	printf '%s\n' "$@" > "$CONFIG"
}
# secret_free FILE...: no file holds either key.
secret_free() {
	for _f in "$@"; do
		lacks "$_f" CONFIGKEY
		lacks "$_f" OTHERKEY
	done
}

# ---- The environment, as the stand-in sees it.

tcase env.openai-base-url api && {
	run env OPENAI_BASE_URL="$STANDIN_URL/v1" OPENAI_API_KEY="$KEY" \
	    OPENAI_ORG_ID=org-1 OPENAI_PROJECT_ID=proj-1 \
	    "$TRANSLATE" -v --plain --no-cache two.jsonl
	status_is 0
	count api.log '"path":"/v1/chat/completions",.*"auth":"bearer","organization":"org-1","project":"proj-1","key_ok":true' 2
	has err "^lp-translate: API base $STANDIN_URL/v1 (from OPENAI_BASE_URL)\$"
	has err '^lp-translate: API key from OPENAI_API_KEY$'
	has err '^lp-translate: model gpt-4o (from default)$'
	secret_free err api.log out
}
tcase env.lp-over-openai api && { # LP_* win over the OpenAI names
	run env LP_API_BASE="$STANDIN_URL/lp" OPENAI_BASE_URL=http://127.0.0.1:1/v1 \
	    LP_API_KEY="$KEY" OPENAI_API_KEY="$OTHER" LP_MODEL=lp-model \
	    "$TRANSLATE" -v --plain --no-cache two.jsonl
	status_is 0
	count api.log '"path":"/lp/chat/completions",.*"key_ok":true' 2
	count api.log '"model":"lp-model"' 2
	has err "(from LP_API_BASE)\$"
	has err '^lp-translate: API key from LP_API_KEY$'
	has err '^lp-translate: model lp-model (from LP_MODEL)$'
	secret_free err api.log
}
tcase env.cli-over-env api && { # the command line wins over everything
	printf '%s\n' "$KEY" > key.txt
	run env LP_API_BASE=http://127.0.0.1:1/v1 LP_API_KEY="$OTHER" LP_MODEL=env-model \
	    "$TRANSLATE" -v --plain --no-cache --api-base "$STANDIN_URL/cli" \
	    --api-key-file key.txt --model cli-model two.jsonl
	status_is 0
	count api.log '"path":"/cli/chat/completions",.*"key_ok":true' 2
	count api.log '"model":"cli-model"' 2
	has err "(from --api-base)\$"
	has err '^lp-translate: API key from the file of --api-key-file$'
	has err '^lp-translate: model cli-model (from --model)$'
}
tcase env.azure api && { # {endpoint}/openai/deployments/{model}, api-key
	run env AZURE_OPENAI_ENDPOINT="$STANDIN_URL" AZURE_OPENAI_API_KEY="$KEY" \
	    OPENAI_API_KEY="$OTHER" OPENAI_API_VERSION=2024-06-01 \
	    "$TRANSLATE" -v --plain --no-cache --model my-gpt two.jsonl
	status_is 0
	count api.log '"path":"/openai/deployments/my-gpt/chat/completions?api-version=2024-06-01",.*"auth":"api-key",.*"key_ok":true' 2
	has err "^lp-translate: API base $STANDIN_URL (from AZURE_OPENAI_ENDPOINT), Azure deployments by model\$"
	has err '^lp-translate: API key from AZURE_OPENAI_API_KEY$'
	secret_free err api.log
}
tcase env.azure-judges api rated && { # each judge is its own deployment
	run env AZURE_OPENAI_ENDPOINT="$STANDIN_URL/" AZURE_OPENAI_API_KEY="$KEY" \
	    OPENAI_API_VERSION=2024-06-01 \
	    "$RATE" -q --plain --no-cache --model judge-a --model judge-b tr.jsonl
	status_is 0
	count api.log '"path":"/openai/deployments/judge-a/chat/completions?api-version=2024-06-01",.*"key_ok":true' 1
	count api.log '"path":"/openai/deployments/judge-b/chat/completions?api-version=2024-06-01",.*"key_ok":true' 1
	run env AZURE_OPENAI_ENDPOINT=https://res.example AZURE_OPENAI_API_KEY="$KEY" \
	    OPENAI_API_VERSION=2024-06-01 "$RATE" --plain --dry-run --model judge-a tr.jsonl
	status_is 0
	has out '"url":"https://res.example/openai/deployments/judge-a/chat/completions?api-version=2024-06-01","headers":{"Content-Type":"application/json","api-key":"\*\*\*"}'
	secret_free out
}
tcase env.ollama api && { # OLLAMA_HOST, /v1 added; the OpenAI key stays home
	run env OLLAMA_HOST="127.0.0.1:$STANDIN_PORT" OPENAI_API_KEY="$KEY" \
	    "$TRANSLATE" -v --plain --no-cache --model llama3 two.jsonl
	status_is 0
	count api.log '"path":"/v1/chat/completions",.*"authorization":false,.*"auth":""' 2
	has err "^lp-translate: API base http://127.0.0.1:$STANDIN_PORT/v1 (from OLLAMA_HOST)\$"
	has err '^lp-translate: no API key$'
}
tcase env.ollama-scheme api && { # a scheme given is kept, and a path
	run env OLLAMA_HOST="http://127.0.0.1:$STANDIN_PORT/proxy/" \
	    "$TRANSLATE" -q --plain --no-cache two.jsonl
	status_is 0
	count api.log '"path":"/proxy/v1/chat/completions"' 2
}
tcase env.ollama-bad titles && {
	run env OLLAMA_HOST=ftp://box "$TRANSLATE" --no-cache two.jsonl
	status_is 2
	has err "^lp-translate: OLLAMA_HOST 'ftp://box': not an http:// or https:// address\$"
}
tcase env.rate-judge-model api rated && { # LP_JUDGE_MODEL, then the file
	run env LP_API_BASE="$STANDIN_URL/v1" LP_JUDGE_MODEL=env-judge \
	    "$RATE" -v --plain --no-cache tr.jsonl
	status_is 0
	has err '^lp-rate: model env-judge (from LP_JUDGE_MODEL)$'
	config "judge_model = file-judge"
	run env LP_API_BASE="$STANDIN_URL/v1" "$RATE" -v --plain --no-cache tr.jsonl
	status_is 0
	has err "^lp-rate: model file-judge (from $CONFIG:1)\$"
	has api.log '"model":"file-judge"'
}

# ---- The config file.

tcase config.file api && { # base, key file, model, organization
	printf '%s\n' "$KEY" > "$XDG_CONFIG_HOME/labelpipe/key"
	chmod 600 "$XDG_CONFIG_HOME/labelpipe/key"
	config "# labelpipe's LLM settings" "" \
	    "api_base = $STANDIN_URL/cfg" \
	    "api_key_file = key" \
	    "model = \"cfg-model\"" \
	    "  organization=org-cfg" "; the end"
	run "$TRANSLATE" -v --plain --no-cache two.jsonl
	status_is 0
	count api.log '"path":"/cfg/chat/completions",.*"organization":"org-cfg","project":null,"key_ok":true' 2
	count api.log '"model":"cfg-model"' 2
	has err "^lp-translate: API base $STANDIN_URL/cfg (from $CONFIG:3)\$"
	has err "^lp-translate: API key from the file of $CONFIG:4\$"
	has err "^lp-translate: model cfg-model (from $CONFIG:5)\$"
	secret_free err api.log
}
tcase config.key-with-its-base api && { # the file's key over OpenAI's
	printf '%s\n' "$KEY" > "$XDG_CONFIG_HOME/labelpipe/key"
	chmod 600 "$XDG_CONFIG_HOME/labelpipe/key"
	config "api_base = $STANDIN_URL/cfg" "api_key_file = key"
	run env OPENAI_API_KEY="$OTHER" "$TRANSLATE" -v --plain --no-cache two.jsonl
	status_is 0
	count api.log '"path":"/cfg/chat/completions",.*"key_ok":true' 2
	has err "^lp-translate: API key from the file of $CONFIG:2\$"
	run env OPENAI_API_KEY="$OTHER" "$TRANSLATE" -v --plain --no-cache \
	    --api-base "$STANDIN_URL/cli" two.jsonl
	status_is 0
	count api.log '"path":"/cli/chat/completions",.*"authorization":false' 2
	has err '^lp-translate: no API key$'
	secret_free err api.log
}
tcase config.env-wins api && { # the environment over the file
	config "api_base = http://127.0.0.1:1/v1" "model = file-model"
	run env LP_API_BASE="$STANDIN_URL/v1" LP_MODEL=env-model \
	    "$TRANSLATE" -v --plain --no-cache two.jsonl
	status_is 0
	count api.log '"model":"env-model"' 2
	has err '(from LP_API_BASE)$'
}
tcase config.none titles && { # no file: said under -v, defaults
	run "$TRANSLATE" -v --plain --dry-run two.jsonl
	status_is 0
	has err "^lp-translate: no config file '$CONFIG'\$"
	has err '^lp-translate: API base https://api.openai.com/v1 (from default)$'
}
tcase config.key-file-open titles && { # a key file others can read: refused
	printf '%s\n' "$KEY" > "$XDG_CONFIG_HOME/labelpipe/key"
	chmod 644 "$XDG_CONFIG_HOME/labelpipe/key"
	config "api_key_file = $XDG_CONFIG_HOME/labelpipe/key"
	run "$TRANSLATE" --plain --dry-run two.jsonl
	status_is 65
	file_is err "lp-translate: key file '$XDG_CONFIG_HOME/labelpipe/key' ($CONFIG:1) is open to others (mode 0644): make it readable by its owner only (chmod 600)"
	empty out
}
tcase config.key-file-fifo titles && { # a FIFO: refused, not waited on
	mkfifo "$XDG_CONFIG_HOME/labelpipe/key"
	chmod 600 "$XDG_CONFIG_HOME/labelpipe/key"
	config "api_key_file = key"
	run timeout 20 "$TRANSLATE" --plain --dry-run two.jsonl
	status_is 65
	file_is err "lp-translate: key file '$XDG_CONFIG_HOME/labelpipe/key' ($CONFIG:1) is not a regular file"
	empty out
}
tcase config.key-file-missing titles && {
	config "api_key_file = ~/nokey"
	run env HOME="$PWD" "$TRANSLATE" --plain --dry-run two.jsonl
	status_is 74
	file_is err "lp-translate: cannot open '$PWD/nokey' ($CONFIG:1): No such file or directory"
}
tcase config.inline-key titles && { # a key in the file: refused, not echoed
	config "api_base = http://127.0.0.1:1/v1" "api_key = $KEY"
	run "$TRANSLATE" --plain --dry-run two.jsonl
	status_is 65
	file_is err "lp-translate: $CONFIG:2: a key is never kept in the config file: name a file readable by its owner only with 'api_key_file = PATH', or use LP_API_KEY"
	secret_free err
}
tcase config.malformed titles && { # each bad line names file and line
	config "model = m" "model m"
	run "$TRANSLATE" --plain --dry-run two.jsonl
	status_is 65
	file_is err "lp-translate: $CONFIG:2: no '=' on this line (want 'key = value')"
	config "# ok" "modle = m"
	run "$RATE" --plain --dry-run two.jsonl
	status_is 65
	file_is err "lp-rate: $CONFIG:2: unknown key 'modle' (known: api_base, azure_endpoint, api_key_file, api_version, model, judge_model, organization, project)"
	config "model =" 
	run "$TRANSLATE" --plain --dry-run two.jsonl
	status_is 65
	file_is err "lp-translate: $CONFIG:1: 'model' has no value"
	config "model = a" "model = b"
	run "$TRANSLATE" --plain --dry-run two.jsonl
	status_is 65
	file_is err "lp-translate: $CONFIG:2: 'model' given twice (first on line 1)"
	empty out
}
tcase config.bare-key-not-echoed titles && { # a key pasted in, no '='
	config "model = m" "$KEY"
	run "$TRANSLATE" --plain --dry-run two.jsonl
	status_is 65
	file_is err "lp-translate: $CONFIG:2: no '=' on this line (want 'key = value')"
	config "api_key: $KEY"
	run "$TRANSLATE" --plain --dry-run two.jsonl
	status_is 65
	file_is err "lp-translate: $CONFIG:1: no '=' on this line (want 'key = value')"
	secret_free err out
}

# ---- Failures: URL, status, the provider's words or curl's; retries.

tcase fail.openai-401 titles && {
	standin_start --status 401 --status-message "Incorrect API key provided"
	run env LP_API_KEY="$KEY" "$TRANSLATE" --plain --no-cache --api-base "$STANDIN_URL/v1" two.jsonl
	status_is 69
	has err "^lp-translate: the API cannot be used: every call would fail: $STANDIN_URL/v1/chat/completions: HTTP 401: Incorrect API key provided\$"
	secret_free err out
}
tcase fail.ollama-404 titles && { # Ollama's {"error":"..."}
	standin_start --status 404 --error-style ollama --status-message "model llama9 not found, try pulling it first"
	run env OLLAMA_HOST="127.0.0.1:$STANDIN_PORT" "$TRANSLATE" --plain --no-cache --model llama9 two.jsonl
	status_is 69
	has err "^lp-translate: the API cannot be used: every call would fail: $STANDIN_URL/v1/chat/completions: HTTP 404: model llama9 not found, try pulling it first\$"
}
tcase fail.refused titles && { # nothing listens: curl's words, the attempts
	run "$TRANSLATE" --plain --no-cache --max-retries 1 --api-base http://127.0.0.1:1/v1 two.jsonl
	status_is 69
	has err '^lp-translate: the API cannot be used: no answer from it: POST http://127.0.0.1:1/v1/chat/completions: .*onnect.* (2 attempts)$'
}
tcase fail.retry-then-ok titles && { # -v: the failed attempt and the wait
	standin_start --fault 500:1 --fault-limit 1
	run "$TRANSLATE" -v --plain --no-cache -j 1 --api-base "$STANDIN_URL/v1" two.jsonl
	status_is 0
	has err "^lp-translate: POST $STANDIN_URL/v1/chat/completions: attempt 1/6: HTTP 500: injected server error; again in 0\.[0-9]* s\$"
	lacks err 'giving up'
	lines out 2
}
tcase fail.retries-give-up titles && { # every attempt, then the last failure
	standin_start --status 503
	run "$TRANSLATE" -v --plain --no-cache -j 1 --max-retries 2 --api-base "$STANDIN_URL/v1" two.jsonl
	status_is 1
	count err "^lp-translate: POST $STANDIN_URL/v1/chat/completions: attempt [12]/3: HTTP 503: forced failure; again in 0\.020* s\$" 4
	count err "^lp-translate: POST $STANDIN_URL/v1/chat/completions: attempt 3/3: HTTP 503: forced failure; giving up\$" 2
	has err "^lp-translate: the last failure: POST $STANDIN_URL/v1/chat/completions: HTTP 503: forced failure (3 attempts)\$"
	run "$TRANSLATE" --plain --no-cache -j 1 --max-retries 0 --api-base "$STANDIN_URL/v1" two.jsonl
	status_is 1
	lacks err 'attempt 1/'
	has err '^lp-translate: the last failure: POST .*: HTTP 503: forced failure (1 attempt)$'
}
tcase secrets.key-in-query api && { # a gateway's ?key=: used, never shown
	run "$TRANSLATE" -v --plain --dry-run \
	    --api-base "$STANDIN_URL/v1?key=s3cretvalue123" two.jsonl
	status_is 0
	has err "^lp-translate: API base $STANDIN_URL/v1?key=\*\*\* (from --api-base)\$"
	has out "\"url\":\"$STANDIN_URL/v1/chat/completions?key=\*\*\*\""
	lacks err s3cretvalue123
	lacks out s3cretvalue123
	run env OPENAI_BASE_URL="$STANDIN_URL/v1?key=s3cretvalue123" \
	    "$TRANSLATE" -v --plain --no-cache two.jsonl
	status_is 0
	count api.log '"path":"/v1/chat/completions?key=s3cretvalue123"' 2
	has err '(from OPENAI_BASE_URL)$'
	lacks err s3cretvalue123
	lacks out s3cretvalue123
}
tcase fail.url-without-secrets titles && { # no userinfo, no query values
	standin_start --status 500
	run "$TRANSLATE" -v --plain --no-cache -j 1 --max-retries 0 \
	    --api-base "http://user:PASSWD123@127.0.0.1:$STANDIN_PORT/v1" two.jsonl
	status_is 1
	has err "^lp-translate: the last failure: POST $STANDIN_URL/v1/chat/completions: HTTP 500: forced failure (1 attempt)\$"
	lacks err PASSWD123
	lacks err 'POST http://user'
	run "$TRANSLATE" --plain --no-cache -j 1 --max-retries 0 --api-version 'v1&key=QSECRET9' \
	    --api-base "$STANDIN_URL/v1" two.jsonl
	status_is 1
	has err "^lp-translate: the last failure: POST $STANDIN_URL/v1/chat/completions?api-version=v1&key=\*\*\*: HTTP 500"
	lacks err QSECRET9
}

finish

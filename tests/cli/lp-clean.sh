#!/bin/sh
# CLI tests of lp-clean.  Each "tcase" is one test (see lib.sh):
#   sh tests/cli/lp-clean.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-clean
MAN=$HERE/../../man/lp-clean.1

USAGE="usage: lp-clean [-qv] [-o file] [--fields f,...] [--case lower|keep]\n       [--fluff file] [--keep-pii] [--pii-originals file]\n       [--pseudonym-key-file file | --keep-sellers]\n       [--pseudonymize field] [--repair-utf8]\n       [--schema file | --no-schema] [--threads n] [file ...]\nTry 'lp-clean --help' for more information.\n"
# Sellers are pseudonymised by default, which needs a key: the cases
# have one unless they say otherwise (see privacy.*).
export LP_PSEUDONYM_KEY=lp-clean-tests
unset LP_PSEUDONYM_KEY_FILE
# strip: records without their lineage, so expectations stay readable.
strip() { sed 's/,"lineage":{[^}]*}\]}//'; }

# Fixtures.
fx_bad_titles() { # each kind of bad title, then a good record
	printf '{"id":"1","title":3}\n{"id":"2","title":null}\n{"id":"3","title":"\360\237\224\245\360\237\224\245"}\n{"id":"4"}\n[5]\n{"id":"6","title":"ok"}\n' > bad.jsonl
}
fx_latin1() {
	printf '{"id":"1","title":"caf\351 ok"}\n' > latin1.jsonl
}
fx_schema() { # a schema that wants a price
	printf '{"type":"object","required":["id","title","price"]}\n' > s.json
}
fx_gen() { # 5000 generated records, cleaned once (once.jsonl)
	"$LP_GEN" -n 5000 -s 9 > gen.jsonl &&
	    "$TOOL" -q --plain gen.jsonl > once.jsonl
}

# Each rule, before and after.
tcase rules.nfkc-emoji-fluff && { # NFKC, emoji, fluff, units, abbreviations, case
	printf '%s\n' '{"id":"1","title":"ＷＯＷ!!! 🔥 Apple  iPhone 13 128gb BNIB 👍🏽 L@@K"}' > in.jsonl
	run -i in.jsonl -f strip "$TOOL" -q --plain
	file_is out '{"id":"1","title":"apple iphone 13 128 gb brand new in box","title_display":"Apple iPhone 13 128 GB brand new in box","raw":{"title":"ＷＯＷ!!! 🔥 Apple  iPhone 13 128gb BNIB 👍🏽 L@@K"},"attrs":{"storage_gb":128.0,"brand":"Apple"}}'
}
tcase rules.case-keep-units && { # units and attributes; model numbers alone
	printf '%s\n' '{"id":"1","title":"Dell XPS 15 15.6-inch 16GB RAM 1TB SSD"}' > in.jsonl
	run -i in.jsonl -f strip "$TOOL" -q --plain --case keep
	file_is out '{"id":"1","title":"Dell XPS 15 15.6 in 16 GB RAM 1 TB SSD","title_display":"Dell XPS 15 15.6 in 16 GB RAM 1 TB SSD","raw":{"title":"Dell XPS 15 15.6-inch 16GB RAM 1TB SSD"},"attrs":{"screen_in":15.6,"ram_gb":16.0,"storage_gb":1000.0,"brand":"Dell"}}'
}
tcase rules.pii-redacted && {
	printf '%s\n' '{"id":"1","title":"Canon lens mail me bob@example.com or 07700 900123"}' > in.jsonl
	run -i in.jsonl -f strip "$TOOL" -q --plain
	has out '"title":"canon lens mail me \[email\] or \[phone\]"'
}
tcase rules.keep-pii && {
	printf '%s\n' '{"id":"1","title":"Canon lens mail me bob@example.com"}' > in.jsonl
	run -i in.jsonl -f strip "$TOOL" -q --plain --keep-pii
	has out 'bob@example.com","raw'
}
tcase rules.price-condition && { # price text parsed, condition mapped, originals kept
	printf '%s\n' '{"id":"1","title":"Lamp","price":"£1,299.99","condition":"Pre-owned"}' > in.jsonl
	run -i in.jsonl -f strip "$TOOL" -q --plain
	file_is out '{"id":"1","title":"lamp","price":{"amount":1299.99,"currency":"GBP","text":"£1,299.99"},"condition":"used","title_display":"Lamp","raw":{"title":"Lamp","price":"£1,299.99","condition":"Pre-owned"}}'
}
tcase rules.price-range-unknown-condition && { # kept and counted
	printf '%s\n' '{"id":"1","title":"lamp","price":{"text":"£10.00 to £20.00"},"condition":"Like new-ish"}' > in.jsonl
	run -i in.jsonl -f strip "$TOOL" --plain --stats st.json
	has out '"price":{"min":10.0,"max":20.0,"currency":"GBP","text":"£10.00 to £20.00"},"condition":"Like new-ish"'
	has st.json '"conditions_unknown":1'
}

# --pseudonymize: a keyed token, the same for the same seller, no name kept.
tcase pseudonymize.keyed-token && {
	printf '%s\n' '{"id":"2","title":"desk","seller":"Bob Smith"}' > desk.jsonl
	run -i desk.jsonl -o desk.out -f strip env LP_PSEUDONYM_KEY=secret "$TOOL" -q --plain --keep-sellers --pseudonymize seller
	printf '%s\n' '{"id":"1","title":"lamp","seller":"Bob Smith"}' > in.jsonl
	run -i in.jsonl -f strip env LP_PSEUDONYM_KEY=secret "$TOOL" -q --plain --keep-sellers --pseudonymize seller
	has out '"seller":"p_[0-9a-f]\{16\}"'
	grep -o 'p_[0-9a-f]*' out > token
	grep -o 'p_[0-9a-f]*' desk.out > desk.token
	same token desk.token
	lacks out Bob
}
tcase pseudonymize.needs-key && {
	run env -u LP_PSEUDONYM_KEY "$TOOL" --keep-sellers --pseudonymize buyer
	status_is 2
	has_line err 'lp-clean: --pseudonymize needs a key: give --pseudonym-key-file FILE (or set LP_PSEUDONYM_KEY_FILE or LP_PSEUDONYM_KEY)'
}

# Stats count removals per pattern.
tcase stats.per-pattern && {
	printf '%s\n' '{"id":"1","title":"WOW lamp WOW"}' '{"id":"2","title":"FREE P&P desk!!"}' > in.jsonl
	run -i in.jsonl "$TOOL" -q --plain --stats st2.json
	has st2.json '"fluff:FREE P&P":1,"fluff:WOW":2,.*"punctuation_runs":1'
}

# --fluff adds rules; a bad rules file names its line.
tcase fluff.adds-rules && {
	printf 'version mine-1\nremove GEM\nexpand XL extra large\n' > mine.txt
	printf '%s\n' '{"id":"1","title":"GEM XL shirt"}' > in.jsonl
	run -i in.jsonl -f strip "$TOOL" -q --plain --fluff mine.txt
	has out '"title":"extra large shirt"'
}
fx_bad_rules() { printf 'remove ok\nfrobnicate x\n' > bad.txt; }
tcase fluff.bad-rule bad_rules && check 65 '--fluff bad.txt' '' '' "lp-clean: bad.txt:2: unknown rule 'frobnicate'\n"

# Bad input: each with its outcome and file:line.
tcase bad-json.skip-each-named bad_titles && { # the good record passes
	run -f strip "$TOOL" --plain --on-error=skip bad.jsonl
	has_line err 'lp-clean: bad.jsonl:1: title is a number, not a string (skipped)'
	has_line err 'lp-clean: bad.jsonl:2: title is null, not a string (skipped)'
	has_line err 'lp-clean: bad.jsonl:3: title is empty after cleaning (skipped)'
	has_line err 'lp-clean: bad.jsonl:4: title is missing (skipped)'
	has_line err 'lp-clean: bad.jsonl:5: expected JSON object, got array (skipped)'
	file_is out '{"id":"6","title":"ok","title_display":"ok"}'
}
tcase bad-json.quarantine bad_titles && { # the rejects kept, with reasons
	run "$TOOL" -q --plain --on-error=quarantine --quarantine q.jsonl bad.jsonl
	lines q.jsonl 5
	has q.jsonl 'empty after cleaning'
}
tcase bad-json.number && check 65 '-q --plain' '{"id":"1","title":3}\n' '' 'lp-clean: <stdin>:1: title is a number, not a string\n'
tcase bad-json.latin1 latin1 && check 65 '-q --plain latin1.jsonl' '' '' 'lp-clean: latin1.jsonl:1: invalid UTF-8 at column 23 (byte 0xe9)\n'
tcase bad-json.repair-utf8 latin1 && { # U+FFFD in its place
	run "$TOOL" -q --plain --repair-utf8 latin1.jsonl
	has out "\"title\":\"$(printf 'caf\357\277\275 ok')\""
}

# Schema: the built-in one, a file, none.
tcase schema.file schema && check 65 '-q --plain --schema s.json' '{"id":"1","title":"x"}\n' '' 'lp-clean: <stdin>:1: price is missing\n'
tcase schema.none && { # no id needed
	printf '{"title":"x"}\n' > in.jsonl
	run -i in.jsonl "$TOOL" -q --plain --no-schema
	status_is 0
	has out '^{"title":"x","title_display":"x","lineage"'
}
fx_schema_unsupported() { printf '{"type":"object","pattern":"x"}\n' > s2.json; }
tcase schema.unsupported schema_unsupported && check 65 '--schema s2.json' '' '' 'lp-clean: s2.json: (top): "pattern" is not in the supported subset\n'

# Usage errors.
tcase usage.schema-and-no-schema schema && check 2 '--schema s.json --no-schema' '' '' "lp-clean: --schema and --no-schema: choose one\n$USAGE"
tcase usage.bad-case && check 2 '--case upper' '' '' "lp-clean: invalid --case 'upper' (want lower or keep)\n$USAGE"
tcase help.man-agree && help_man_agree "$MAN"

# Cleaning twice gives what cleaning once gave (bar lineage), over the
# generator's records.
tcase generated.idempotent gen && {
	lines once.jsonl 5000
	run "$TOOL" -q --plain once.jsonl
	sed 's/,"lineage".*//' once.jsonl > a
	sed 's/,"lineage".*//' out > b
	same a b
}
tcase generated.no-emoji gen && { # none survive in the titles
	sed 's/^{"id":"[^"]*","title":"\([^"]*\)".*/\1/' once.jsonl > titles.txt
	lines titles.txt 5000
	lacks titles.txt "$(printf '\360\237')"
	lacks titles.txt "$(printf '\342\234\250')"
}

# The rules' version is traceable: the audit log holds the text behind
# each record's config digest.
tcase audit.config-digest && {
	printf '{"id":"1","title":"Phone"}\n' > in.jsonl
	run -i in.jsonl "$TOOL" -q --plain --audit au.log
	sed -n 's/.*"event":"run_start".*"config_text":"\([^"]*\)".*/\1/p' au.log > text
	has text '^rules=clean-rules-2;'
	digest=$(tr -d '\n' < text | sha256sum | cut -c1-8)
	has out "\"tool\":\"lp-clean\",.*\"config\":\"$digest\""
}

# Privacy: personal data redacted in every copy, originals only where
# asked (0600), sellers pseudonymised by default under a key.
fx_pii() { # a listing with an e-mail, a phone number and a seller
	printf '%s\n' '{"id":"1","title":"Canon LENS mail bob@example.com or 07700 900123","seller":"Jane Doe"}' > pii.jsonl
}
fx_key() { # a key file of the owner's only
	(umask 077 && printf 'demo key for the tests\n' > k)
}
tcase privacy.raw-redacted pii && { # raw.title keeps no e-mail or phone
	run -f strip "$TOOL" -q --plain pii.jsonl
	has out '"raw":{"title":"Canon LENS mail \[email\] or \[phone\]"}'
	lacks out 'bob@example.com'
	lacks out '900123'
	lacks out 'Jane Doe'
}
tcase privacy.originals-file pii && { # the originals aside, 0600, never in the dataset
	run "$TOOL" -q --plain --pii-originals orig.jsonl pii.jsonl
	status_is 0
	lacks out 'bob@example.com'
	file_is orig.jsonl '{"id":"1","field":"title","span":[16,31],"kind":"email","original":"bob@example.com"}' '{"id":"1","field":"title","span":[35,47],"kind":"phone","original":"07700 900123"}'
	holds test "$(stat -c %a orig.jsonl)" = 600
}
tcase privacy.originals-existing-file pii && { # an old world-readable file is made private
	printf 'old\n' > orig.jsonl && chmod 644 orig.jsonl
	run "$TOOL" -q --plain --pii-originals orig.jsonl pii.jsonl
	holds test "$(stat -c %a orig.jsonl)" = 600
	lacks orig.jsonl '^old'
}
tcase privacy.originals-keep-pii pii && {
	run "$TOOL" --keep-pii --pii-originals o.jsonl pii.jsonl
	status_is 2
	has_line err 'lp-clean: --pii-originals and --keep-pii: choose one'
}
tcase privacy.seller-by-default pii && { # no option needed: a keyed token
	run -f strip "$TOOL" -q --plain pii.jsonl
	has out '"seller":"p_[0-9a-f]\{16\}"'
}
tcase privacy.no-key pii && { # refuses to run, says what to do
	run env -u LP_PSEUDONYM_KEY "$TOOL" -q --plain pii.jsonl
	status_is 2
	has_line err 'lp-clean: no pseudonym key: sellers are pseudonymised by default; give --pseudonym-key-file FILE (or set LP_PSEUDONYM_KEY_FILE or LP_PSEUDONYM_KEY), or --keep-sellers to keep them as they are'
	empty out
}
tcase privacy.keep-sellers pii && { # the explicit opt-out: no key needed
	run -f strip env -u LP_PSEUDONYM_KEY "$TOOL" -q --plain --keep-sellers pii.jsonl
	status_is 0
	has out '"seller":"Jane Doe"'
	lacks out 'bob@example.com'
}
tcase privacy.key-file pii key && { # same key, same pseudonym; file, variable and text agree
	run -o a -f strip env -u LP_PSEUDONYM_KEY "$TOOL" -q --plain --pseudonym-key-file k pii.jsonl
	run -o b -f strip env -u LP_PSEUDONYM_KEY LP_PSEUDONYM_KEY_FILE=k "$TOOL" -q --plain pii.jsonl
	run -o c -f strip env LP_PSEUDONYM_KEY='demo key for the tests' "$TOOL" -q --plain pii.jsonl
	run -o d -f strip env LP_PSEUDONYM_KEY='other key' "$TOOL" -q --plain pii.jsonl
	has a '"seller":"p_[0-9a-f]\{16\}"'
	same a b
	same a c
	differ a d
}
tcase privacy.key-file-mode pii key && { # a key others may read is refused
	chmod 640 k
	run "$TOOL" -q --plain --pseudonym-key-file k pii.jsonl
	status_is 65
	has_line err "lp-clean: key file 'k' is open to others (mode 0640): make it readable by its owner only (chmod 600)"
	lacks err 'demo key'
}
tcase privacy.key-not-in-lineage pii key && { # a key id in the config, never the key
	run "$TOOL" -q --plain --pseudonym-key-file k --audit au.log pii.jsonl
	has au.log '"config_text":"[^"]*;pseudo=seller;key=[0-9a-f]\{8\}"'
	lacks au.log 'demo key'
	lacks out 'demo key'
}
tcase privacy.clean-twice pii && { # raw stays redacted, the pseudonym stays
	run -o once "$TOOL" -q --plain pii.jsonl
	run -o twice "$TOOL" -q --plain once
	sed 's/,"lineage".*//' once > a
	sed 's/,"lineage".*//' twice > b
	same a b
}

finish

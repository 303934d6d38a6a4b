#!/bin/sh
# CLI tests of lp-clean's rules (issue 22): metres, amperes and the other
# units a listing writes, eBay's condition vocabulary, bare prices read in
# the site's currency, the cased display form of a title and the brands
# list, lp-translate reading the display form, and the evaluation set.
# Each "tcase" is one test (see lib.sh):
#   sh tests/cli/lp-clean-rules.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-clean
TRANSLATE=${LP_TOOLDIR:-$LP_BINDIR}/lp-translate
export LP_PSEUDONYM_KEY=lp-clean-rules-tests
unset LP_PSEUDONYM_KEY_FILE LP_API_BASE LP_MODEL LP_API_KEY OPENAI_API_KEY
# strip: records without their lineage, so expectations stay readable.
strip() { sed 's/,"lineage":{[^}]*}\]}//'; }

fx_jq() {
	command -v jq > /dev/null 2>&1 || skip 'jq is not installed'
}
fx_python() {
	command -v python3 > /dev/null 2>&1 || skip 'python3 is not installed'
}

# Units: every spelling of metres, amperes and their kin, one spelling out.
tcase units.metres-amperes jq && {
	printf '%s\n' \
	    '{"id":"1","title":"HDMI Cable 3mtr 4K"}' \
	    '{"id":"2","title":"USB C Cable 2 metres 3A"}' \
	    '{"id":"3","title":"Extension Reel 25 Meters 13 amp"}' \
	    '{"id":"4","title":"Makita 18V 5.0Ah Battery 500mA"}' \
	    '{"id":"5","title":"Power Station 256Wh 300W"}' \
	    '{"id":"6","title":"Google Pixel 3a 64GB"}' > in.jsonl
	run -i in.jsonl "$TOOL" -q --plain --keep-sellers
	status_is 0
	jq -c '{t:.title,a:.attrs}' < out > got
	file_is got \
	    '{"t":"hdmi cable 3 m 4k","a":{"length_cm":300}}' \
	    '{"t":"usb c cable 2 m 3 a","a":{"length_cm":200,"current_a":3}}' \
	    '{"t":"extension reel 25 m 13 a","a":{"length_cm":2500,"current_a":13}}' \
	    '{"t":"makita 18 v 5.0 ah battery 500 ma","a":{"voltage_v":18,"battery_mah":5000,"current_a":0.5,"brand":"Makita"}}' \
	    '{"t":"power station 256 wh 300 w","a":{"energy_wh":256,"power_w":300}}' \
	    '{"t":"google pixel 3a 64 gb","a":{"storage_gb":64,"brand":"Google"}}'
}

# Conditions: eBay's words, any dash, any case, onto six values.
tcase conditions.vocabulary jq && {
	for c in 'New other (see details)' 'Opened – never used' \
	    'Opened - never used' 'For parts or not working' \
	    'Seller refurbished' 'Very Good - Refurbished' 'NEW WITH TAGS' \
	    'Pre-owned - Good' 'Like New' 'Graded'; do
		printf '{"id":"x","title":"lamp","condition":"%s"}\n' "$c"
	done > in.jsonl
	run -i in.jsonl "$TOOL" -q --plain --keep-sellers --stats st.json
	status_is 0
	jq -r .condition < out > got
	file_is got new-other opened-never-used opened-never-used for-parts \
	    refurbished refurbished new used opened-never-used Graded
	has st.json '"conditions_mapped":9'
	has st.json '"conditions_unknown":1'
}

# A bare price is read in the currency of the listing's eBay site.
tcase price.bare-in-site-currency && {
	printf '%s\n' \
	    '{"id":"1","title":"lamp","price":"12.50","url":"https://www.ebay.co.uk/itm/1"}' \
	    '{"id":"2","title":"lamp","price":{"text":"7"},"source":{"site":"ebay-uk"}}' \
	    '{"id":"3","title":"lamp","price":"9.99","url":"https://www.ebay.com/itm/3"}' \
	    '{"id":"4","title":"lamp","price":"£3.00","url":"https://www.ebay.com/itm/4"}' > in.jsonl
	run -i in.jsonl -f strip "$TOOL" -q --plain --keep-sellers --stats st.json
	status_is 0
	file_is out \
	    '{"id":"1","title":"lamp","price":{"amount":12.5,"currency":"GBP","currency_assumed":true,"text":"12.50"},"url":"https://www.ebay.co.uk/itm/1","title_display":"lamp","raw":{"price":"12.50"}}' \
	    '{"id":"2","title":"lamp","price":{"amount":7.0,"currency":"GBP","currency_assumed":true,"text":"7"},"source":{"site":"ebay-uk"},"title_display":"lamp"}' \
	    '{"id":"3","title":"lamp","price":{"amount":9.99,"currency":"USD","currency_assumed":true,"text":"9.99"},"url":"https://www.ebay.com/itm/3","title_display":"lamp","raw":{"price":"9.99"}}' \
	    '{"id":"4","title":"lamp","price":{"amount":3.0,"currency":"GBP","text":"£3.00"},"url":"https://www.ebay.com/itm/4","title_display":"lamp","raw":{"price":"£3.00"}}'
	has st.json '"prices_parsed":4'
	has st.json '"prices_currency_assumed":3'
}

# Without a site that says which currency, a bare price is bad data still.
tcase price.bare-no-site && {
	printf '%s\n' '{"id":"1","title":"lamp","price":"12.50"}' > in.jsonl
	run -i in.jsonl "$TOOL" -q --plain --keep-sellers
	status_is 65
	file_is err 'lp-clean: <stdin>:1: price is a string, not object'
}

# The display form: names in their case, codes in capitals, shouting calmed.
tcase display.cased-title && {
	printf '%s\n' \
	    '{"id":"1","title":"SAMSUNG GALAXY S21 5G SM-G991B 128GB PHANTOM GREY 🔥"}' \
	    '{"id":"2","title":"apple iphone 13 pro 128gb"}' > in.jsonl
	run -i in.jsonl -f strip "$TOOL" -q --plain --keep-sellers
	status_is 0
	file_is out \
	    '{"id":"1","title":"samsung galaxy s21 5g sm-g991b 128 gb phantom grey","title_display":"Samsung Galaxy S21 5G SM-G991B 128 GB Phantom Grey","raw":{"title":"SAMSUNG GALAXY S21 5G SM-G991B 128GB PHANTOM GREY 🔥"},"attrs":{"storage_gb":128.0,"brand":"Samsung"}}' \
	    '{"id":"2","title":"apple iphone 13 pro 128 gb","title_display":"Apple iPhone 13 pro 128 GB","raw":{"title":"apple iphone 13 pro 128gb"},"attrs":{"storage_gb":128.0,"brand":"Apple"}}'
}

# --case keep leaves the title as the seller wrote it; the display form
# is cased all the same.
tcase display.case-keep && {
	printf '%s\n' '{"id":"1","title":"jbl FLIP 5 speaker"}' > in.jsonl
	run -i in.jsonl -f strip "$TOOL" -q --plain --keep-sellers --case keep
	file_is out '{"id":"1","title":"jbl FLIP 5 speaker","title_display":"JBL FLIP 5 speaker","attrs":{"brand":"JBL"}}'
}

# Cleaning twice gives what cleaning once gave, display form included.
tcase display.clean-twice && {
	printf '%s\n' '{"id":"1","title":"NINTENDO SWITCH OLED 64GB","price":"199.99","url":"https://www.ebay.co.uk/itm/1","condition":"Opened – never used"}' > in.jsonl
	"$TOOL" -q --plain --keep-sellers --no-schema < in.jsonl | strip > once.jsonl
	run -i once.jsonl -f strip "$TOOL" -q --plain --keep-sellers --no-schema
	same once.jsonl out
	has out '"title_display":"Nintendo Switch OLED 64 GB"'
}

# More names from a rules file; a bad one is named with its file and line.
tcase display.names-file && {
	printf 'brand Corgi\nname FatMax\n' > names.txt
	printf '%s\n' '{"id":"1","title":"CORGI FATMAX DIECAST BUS"}' > in.jsonl
	run -i in.jsonl -f strip "$TOOL" -q --plain --keep-sellers --fluff names.txt
	file_is out '{"id":"1","title":"corgi fatmax diecast bus","title_display":"Corgi FatMax Diecast Bus","raw":{"title":"CORGI FATMAX DIECAST BUS"},"attrs":{"brand":"Corgi"}}'
	printf 'brand Corgi\nbrand (Bad)\n' > bad.txt
	run -i in.jsonl "$TOOL" -q --plain --keep-sellers --fluff bad.txt
	status_is 65
	file_is err 'lp-clean: bad.txt:2: a name starts with a letter or digit'
}

# lp-translate sends the display form by default, so brands keep their
# case in the translation (the stand-in keeps words it does not know);
# --field title sends the matching form.
tcase translate.display-form && {
	printf '%s\n' '{"id":"1","title":"SAMSUNG GALAXY S21 PHONE"}' > in.jsonl
	"$TOOL" -q --plain --keep-sellers < in.jsonl > clean.jsonl
	standin_start
	run -i clean.jsonl env LP_API_KEY=x "$TRANSLATE" -q --plain --no-cache \
	    --api-base "$STANDIN_URL/v1"
	status_is 0
	has out '"translation":{[^}]*"text":"Samsung Galaxy S21 手机"'
	run -i clean.jsonl env LP_API_KEY=x "$TRANSLATE" -q --plain --no-cache \
	    --api-base "$STANDIN_URL/v1" --field title
	has out '"translation":{[^}]*"text":"samsung galaxy s21 手机"'
}

# The evaluation set scores the rules field by field (bench/clean-eval):
# the table is printed, and the rules meet the figures in lp-clean(1).
tcase eval.rules-alone python && {
	run python3 "$LP_SRCDIR/bench/clean-eval/run" -- "$TOOL" -q \
	    --keep-sellers --on-error=skip
	status_is 0
	has out '^clean-eval: 419 items (real 208, uk 151, corrupt 60)'
	has out '^condition  *100.0% 208/208  *100.0% 151/151  *100.0% 60/60  *100.0% 419/419$'
	has out '^price  *100.0% 208/208  *100.0% 151/151  *100.0% 60/60  *100.0% 419/419$'
	has out '^title  .* 92.1% 386/419$'
	has out '^title_display  .* 87.6% 367/419$'
	has out '^attr current_a  '
}

finish

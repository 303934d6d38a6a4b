#!/bin/sh
# CLI tests of lp-clean --threads: cleaned in lanes (lib/tool/lanes), the
# output, quarantine, originals, messages and counts are those of one
# thread.  Each "tcase" is one test (see lib.sh).
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-clean
export LP_PSEUDONYM_KEY=lp-clean-tests
unset LP_PSEUDONYM_KEY_FILE
# The lineage's time fixed, so two runs can be compared byte for byte.
export SOURCE_DATE_EPOCH=1700000000

# 3000 generated records with bad lines and refused records among them,
# some at the edges of the 256-line batches: not JSON, not an object, a
# title that is a number, ill-formed UTF-8, a line over --max-line, and
# personal data whose originals go to --pii-originals.
fx_mixed() {
	"$LP_GEN" -n 3000 -s 5 > gen.jsonl &&
	    awk '
		NR == 1 || NR == 256 || NR == 257 || NR == 1200 { print "{not json" }
		NR == 300 || NR == 513 { print "[1,2]" }
		NR == 511 || NR == 2999 { print "{\"id\":\"t" NR "\",\"title\":7}" }
		NR == 770 { printf "{\"id\":\"u\",\"title\":\"caf\351\"}\n" }
		NR == 900 || NR == 2048 {
			s = "{\"id\":\"long" NR "\",\"title\":\""
			for (i = 0; i < 600; i++) s = s "xxxxxxxx"
			print s "\"}"
		}
		NR % 97 == 0 { print "{\"id\":\"p" NR "\",\"title\":\"lamp mail bob" NR "@example.com\",\"seller\":\"Bob Smith\"}" }
		{ print }' gen.jsonl > mixed.jsonl
}
# Drop what differs from run to run: timings, memory, the run's id.
stats_only() {
	sed 's/"\(run_id\|wall_s\|records_per_s\|user_s\|sys_s\|max_rss_kb\)":[^,}]*,\{0,1\}//g'
}
# run_threads N POLICY [ARGS]: lp-clean over mixed.jsonl on N threads,
# into out.N, q.N, o.N, err.N and st.N.
run_threads() {
	_n=$1 _pol=$2
	shift 2
	_q=
	[ "$_pol" = quarantine ] && _q="--quarantine=q.$_n"
	# shellcheck disable=SC2086
	run -e "err.$_n" -o "out.$_n" "$TOOL" --plain --threads "$_n" \
	    --on-error="$_pol" $_q --max-line 4K \
	    --pii-originals "o.$_n" --stats "st.$_n.raw" "$@" mixed.jsonl
	[ -f "st.$_n.raw" ] && stats_only < "st.$_n.raw" > "st.$_n"
	eval "status_$_n=\$status"
}

tcase same.quarantine mixed && { # every output the same on 1, 2 and 3 threads
	run_threads 1 quarantine
	run_threads 2 quarantine
	run_threads 3 quarantine
	holds [ "$status_1" = 0 ] && holds [ "$status_2" = 0 ] && holds [ "$status_3" = 0 ]
	same out.1 out.2
	same out.1 out.3
	same q.1 q.2
	same q.1 q.3
	same o.1 o.3
	same err.1 err.3
	same st.1 st.3
	# Nothing lost: every line is out or quarantined.
	holds [ $(($(lines_of out.3) + $(lines_of q.3))) = "$(lines_of mixed.jsonl)" ]
	has st.3 '"quarantined":11,'
	has err.3 '^lp-clean: mixed.jsonl:1: invalid JSON .* (quarantined)$'
	has_line err.3 'lp-clean: mixed.jsonl:2078: line longer than 4096 bytes (quarantined)'
	count o.3 '"original":"bob[0-9]*@example.com"' 30
}
tcase same.skip mixed && { # the messages in input order
	run_threads 1 skip
	run_threads 3 skip
	same out.1 out.3
	same err.1 err.3
	same st.1 st.3
	holds [ "$(lines_of err.3)" = 11 ]
}
tcase same.fail-stops-there mixed && { # stops at the first bad line
	run_threads 1 fail --no-schema
	run_threads 4 fail --no-schema
	holds [ "$status_1" = 65 ] && holds [ "$status_4" = 65 ]
	same out.1 out.4
	same err.1 err.4
	same st.1 st.4
	empty out.4
	has st.4 '"in":1,'
}
tcase same.fail-mid-batch mixed && { # records before the stop are written
	sed 1d mixed.jsonl > m && mv m mixed.jsonl
	run_threads 1 fail
	run_threads 3 fail
	holds [ "$status_3" = 65 ]
	same out.1 out.3
	same err.1 err.3
	same st.1 st.3
	same o.1 o.3
	holds [ "$(lines_of out.3)" = 257 ]
	has st.3 '"in":258,'
	# The cleaning counts are those of the 257 records before the stop.
	head -n 257 mixed.jsonl > first.jsonl
	run -i first.jsonl -o /dev/null "$TOOL" -q --plain --threads 3 --stats f.raw
	sed 's/.*"emoji_removed"/"emoji_removed"/' f.raw > want
	sed 's/.*"emoji_removed"/"emoji_removed"/' st.3.raw > got
	same want got
}
tcase same.repair-utf8 mixed && { # repairs counted across threads
	run_threads 1 skip --repair-utf8
	run_threads 2 skip --repair-utf8
	same out.1 out.2
	same st.1 st.2
	has st.2 '"repaired_utf8":1[,}]'
	has out.2 "\"title\":\"caf$(printf '\357\277\275')\""

}
tcase same.repair-after-stop mixed && { # a repair past the stop is not counted
	run_threads 1 fail --repair-utf8
	run_threads 3 fail --repair-utf8
	same st.1 st.3
	has st.3 '"in":1,.*"repaired_utf8":0}'
}
tcase order.read-error-last && { # a gzip cut short: said after the lines before it
	"$LP_GEN" -n 3000 -s 2 | awk 'NR == 5 { print "{bad" } { print }' | gzip -1 > full.gz
	head -c 60000 full.gz > cut.gz
	run -i cut.gz -o /dev/null "$TOOL" --plain --on-error=skip --threads 3
	status_is 65
	lines err 2
	has err '^lp-clean: <stdin>:5: invalid JSON .* (skipped)$'
	has err '^lp-clean: <stdin>: unexpected end of gzip stream'
	holds [ "$(sed -n 2p err | cut -c1-29)" = "lp-clean: <stdin>: unexpected" ]
	run -i cut.gz -o /dev/null "$TOOL" --plain --on-error=fail --threads 3
	status_is 65
	lines err 1
	has err '^lp-clean: <stdin>:5: invalid JSON'
}
tcase order.output-full && { # an output that fails stops at the same record
	[ -w /dev/full ] || skip "no /dev/full"
	"$LP_GEN" -n 3000 -s 4 > g.jsonl
	run -i g.jsonl "$TOOL" -q --no-schema --threads 1 -o /dev/full --stats a.raw
	status_is 74
	run -i g.jsonl "$TOOL" -q --no-schema --threads 3 -o /dev/full --stats b.raw
	status_is 74
	has err 'lp-clean: cannot write '"'"'/dev/full'"'"': No space left on device'
	sed 's/,"tool".*//' a.raw > a
	sed 's/,"tool".*//' b.raw > b
	same a b
	# The record whose write failed was read, and is not out.
	holds [ "$(sed 's/.*"in":\([0-9]*\),"out":\([0-9]*\),.*/\1 \2/' b | awk '{ print $1 - $2 }')" = 1 ]
}
tcase same.small-inputs && { # fewer lines than lanes, one line, none
	printf '%s\n' '{"id":"1","title":"Lamp"}' > one.jsonl
	: > none.jsonl
	run -i one.jsonl -o a "$TOOL" -q --plain --threads 4
	run -i one.jsonl -o b "$TOOL" -q --plain --threads 1
	same a b
	lines a 1
	run -i none.jsonl "$TOOL" -q --plain --threads 4
	status_is 0
	empty out
}
tcase same.counts-per-rule && { # each thread's rule hits added up
	"$LP_GEN" -n 2000 -s 3 > g.jsonl
	run -i g.jsonl -o /dev/null "$TOOL" -q --plain --threads 1 --stats a.raw
	run -i g.jsonl -o /dev/null "$TOOL" -q --plain --threads 3 --stats b.raw
	stats_only < a.raw > a
	stats_only < b.raw > b
	same a b
	has b '"fluff:[^"]*":[1-9]'
}
tcase usage.bad-threads && {
	run "$TOOL" --threads 0
	status_is 2
	has err "lp-clean: invalid --threads '0'"
	run "$TOOL" --threads many
	status_is 2
}

finish

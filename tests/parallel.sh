#!/bin/sh
# examples/parallel: the per-record stages under GNU parallel give the
# serial run's output, byte for byte.
. "$(dirname "$0")/cli/lib.sh"
command -v parallel > /dev/null || { echo "no GNU parallel: skipped"; exit 77; }
P=${LP_SRCDIR:?}/examples/parallel
B=${LP_BINDIR%/tests}/tools
standin_start
export LP_API_BASE=$STANDIN_URL/v1 LP_API_KEY=stand-in LP_PSEUDONYM_KEY=parallel
"$LP_GEN" -n 3000 -s 3 > in.jsonl
for stage in 'lp-clean' 'lp-translate --no-cache' 'lp-rate --force --no-cache'; do
	set -- $stage
	"$B/$1" -q --plain $(echo "$stage" | cut -s -d' ' -f2-) < in.jsonl > serial.jsonl
	LP_BIN=$B "$P" -j 4 -b 100k "$stage -q" < in.jsonl | gzip -d > par.jsonl
	expect "$1 under parallel: the serial output, byte for byte" cmp -s serial.jsonl par.jsonl
	expect "$1: every record" test "$(wc -l < par.jsonl)" = 3000
	mv serial.jsonl in.jsonl
done
LP_BIN=$B "$P" 'lp-clean --on-error=fail -q' < /dev/null > empty.gz
expect 'an empty input: an empty output' test "$(gzip -dc empty.gz | wc -c)" = 0
printf '{"id":"a","title":"x"}\nnot json\n' | LP_BIN=$B "$P" 'lp-clean -q' > bad.gz 2> bad.err
st=$?
expect 'a bad line stops it, with the tool'"'"'s message' sh -c "[ $st != 0 ] && grep -q '^lp-clean: <stdin>:2: ' bad.err"
finish

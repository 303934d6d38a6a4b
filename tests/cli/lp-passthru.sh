#!/bin/sh
# CLI tests of the shared behaviour every tool gets from liblp, through the
# lp-passthru test driver: real processes, real pipes, real signals.
. "$(dirname "$0")/lib.sh"
TOOL=$LP_BINDIR/lp-passthru

S='{"tool":"lp-passthru","version":"0.1.0","run_id":"RUN","at":1700000000000,"config":"e3b0c442"}'
# The run id is fixed by SOURCE_DATE_EPOCH; learn it once.
RUN=$(printf '{}\n' | "$TOOL" -q --plain | sed 's/.*"run_id":"\([0-9a-f]*\)".*/\1/')
S=$(printf '%s' "$S" | sed "s/RUN/$RUN/")

# Good input: fast path, slow path, CRLF, no final newline, blank lines.
check 0 '-q --plain' '{"id":"a"}\n' "{\"id\":\"a\",\"lineage\":{\"steps\":[$S]}}\n" ''
check 0 '-q --plain' '{ "id" : "a" }\r\n\n{"id":"b"}' \
    "{\"id\":\"a\",\"lineage\":{\"steps\":[$S]}}\n{\"id\":\"b\",\"lineage\":{\"steps\":[$S]}}\n" ''
check 0 '-q --plain' '{"price":{"amount":649.99},"n":1152921504606846976}\n' \
    "{\"price\":{\"amount\":649.99},\"n\":1152921504606846976,\"lineage\":{\"steps\":[$S]}}\n" ''
check 0 '-q --plain' '' '' ''
check 0 '--plain' '{}\n' "{\"lineage\":{\"steps\":[$S]}}\n" 'lp-passthru: 1 in, 1 out in T\n'
check 0 '-q --plain --pipeline-version p1 --task-id t9' '{"lineage":{"steps":[]}}\n' \
    "{\"lineage\":{\"steps\":[$S],\"pipeline_version\":\"p1\",\"task_id\":\"t9\"}}\n" ''
LP_DATASET_VERSION=d2 check 0 '-q --plain' '{}\n' \
    "{\"lineage\":{\"dataset_version\":\"d2\",\"steps\":[$S]}}\n" ''

# Bad input, default policy: stop at the first bad line with 65.
check 65 '-q --plain' '{"id":"a"}\n[1,2]\n{"id":"c"}\n' \
    "{\"id\":\"a\",\"lineage\":{\"steps\":[$S]}}\n" \
    'lp-passthru: <stdin>:2: expected JSON object, got array\n'
check 65 '-q --plain' '42\n' '' 'lp-passthru: <stdin>:1: expected JSON object, got number\n'
check 65 '-q --plain' '{"a":\n' '' "lp-passthru: <stdin>:1: invalid JSON at column 5: unexpected token near end of file\n"
check 65 '-q --plain' 'not json\n' '' "lp-passthru: <stdin>:1: invalid JSON at column 3: invalid token near 'not'\n"
check 65 '-q --plain' '{"t":"caf\351"}\n' '' 'lp-passthru: <stdin>:1: invalid UTF-8 at column 10 (byte 0xe9)\n'
check 65 '-q --plain' '{"a":1,"a":2}\n' '' "lp-passthru: <stdin>:1: invalid JSON at column 10: duplicate object key near '\"a\"'\n"
check 65 '-q --plain' '{"a":"\000"}\n' '' 'lp-passthru: <stdin>:1: NUL byte at column 7\n'
check 65 '-q --plain' '{"lineage":"x"}\n' '' "lp-passthru: <stdin>:1: 'lineage' is not an object\n"
check 65 '-q --plain --max-line 64' '{"a":"0123456789012345678901234567890123456789012345678901234567890123456789"}\n' '' \
    'lp-passthru: <stdin>:1: line longer than 64 bytes\n'

# skip: report, count, go on.
check 0 '--plain --on-error=skip' '[1]\n{"id":"b"}\nnope\n' \
    "{\"id\":\"b\",\"lineage\":{\"steps\":[$S]}}\n" \
    'lp-passthru: <stdin>:1: expected JSON object, got array (skipped)\nlp-passthru: <stdin>:3: invalid JSON at column 4: invalid token near '"'nope'"' (skipped)\nlp-passthru: 3 in, 1 out, 2 skipped in T\n'

# quarantine: the line untouched, with file, line and reason.
check 0 '-q --plain --quarantine q.jsonl --stats st.json' '{"id":"a"}\n[1]\n{"t":"\377"}\n{"drop":1}\n' \
    "{\"id\":\"a\",\"lineage\":{\"steps\":[$S]}}\n{\"drop\":1,\"lineage\":{\"steps\":[$S]}}\n" ''
expect 'quarantine file holds the bad lines' cmp -s q.jsonl - <<'Q'
{"file":"<stdin>","line":2,"reason":"expected JSON object, got array","text":"[1]"}
{"file":"<stdin>","line":3,"reason":"invalid UTF-8 at column 7 (byte 0xff)","base64":"eyJ0Ijoi/yJ9"}
Q
expect 'stats account for every line' grep -q '"in":4,"out":2,"dropped":0,"skipped":0,"quarantined":2' st.json
check 2 '-q --on-error=quarantine' '' '' "lp-passthru: --on-error=quarantine needs --quarantine FILE\nusage: lp-passthru [-qv] [-o file] [--drop-if field] [--reject-if field] [--set path=json]\n       [--sleep-ms n] [file ...]\nTry 'lp-passthru --help' for more information.\n"

# Dropped by design and rejected by the tool count too.
check 0 '-q --plain --drop-if x --stats st2.json' '{"x":1}\n{"y":1}\n' "{\"y\":1,\"lineage\":{\"steps\":[$S]}}\n" ''
expect 'stats count the dropped' grep -q '"in":2,"out":1,"dropped":1' st2.json
check 65 '-q --plain --reject-if bad' '{"bad":1}\n' '' 'lp-passthru: <stdin>:1: has the rejected field\n'

# Files, gzip by magic, file:line in messages, missing files.
printf '{"id":"f1"}\n' | gzip -c > a.gz
printf '{"id":"f2"}\n' | gzip -c > b.gz
cat a.gz b.gz > ab.dat
printf '{"id":"p"}\n[]\n' > plain.jsonl
check 0 '-q --plain ab.dat' '' "{\"id\":\"f1\",\"lineage\":{\"steps\":[$S]}}\n{\"id\":\"f2\",\"lineage\":{\"steps\":[$S]}}\n" ''
check 65 '-q --plain a.gz plain.jsonl' '' "{\"id\":\"f1\",\"lineage\":{\"steps\":[$S]}}\n{\"id\":\"p\",\"lineage\":{\"steps\":[$S]}}\n" 'lp-passthru: plain.jsonl:2: expected JSON object, got array\n'
head -c 20 ab.dat > cut.gz
check 65 '-q --plain cut.gz' '' '' 'lp-passthru: cut.gz: unexpected end of gzip stream (truncated file)\n'
cp a.gz junk.gz && printf 'junk' >> junk.gz
check 65 '-q --plain junk.gz' '' "{\"id\":\"f1\",\"lineage\":{\"steps\":[$S]}}\n" 'lp-passthru: junk.gz: trailing garbage after gzip member\n'
mkdir adir
check 74 '-q --plain adir' '' '' 'lp-passthru: adir: read error: Is a directory\n'
check 74 '-q --plain missing.jsonl' '' '' "lp-passthru: cannot open 'missing.jsonl': No such file or directory\n"

# Output: gzip by default (not a terminal), deterministic; LP_PLAIN.
printf '{"id":"a"}\n' | "$TOOL" -q > o1.gz
printf '{"id":"a"}\n' | "$TOOL" -q > o2.gz
expect 'gzip output by default' sh -c 'head -c 2 o1.gz | od -An -tx1 | grep -q "1f 8b"'
expect 'equal records give equal bytes' cmp -s o1.gz o2.gz
expect 'gzip output decodes' sh -c "gzip -dc o1.gz | grep -q '\"id\":\"a\"'"
LP_PLAIN=1 check 0 '-q' '{}\n' "{\"lineage\":{\"steps\":[$S]}}\n" ''

# -o is atomic: nothing under the final name unless the run succeeded.
printf '{"id":"a"}\n' | "$TOOL" -q -o good.gz; st=$?
expect '-o writes on success' sh -c "[ $st -eq 0 ] && gzip -dc good.gz | grep -q '\"id\":\"a\"'"
printf 'old\n' > keep.jsonl
printf '{"id":"a"}\n[1]\n' | "$TOOL" -q --plain -o keep.jsonl 2>/dev/null; st=$?
expect '-o keeps the old file on failure' sh -c "[ $st -eq 65 ] && [ \"\$(cat keep.jsonl)\" = old ]"
expect 'no temporary files are left' sh -c '! ls | grep -q "\.tmp\."'
check 74 '-q -o /nonexistent/dir/out.gz' '{}\n' '' "lp-passthru: cannot create '/nonexistent/dir/out.gz': No such file or directory\n"

# A FIFO or device given to -o or --stats is written directly, never replaced.
mkfifo ofifo
cat ofifo > fifo.out &
printf '{"id":"a"}\n' | "$TOOL" -q --plain -o ofifo --stats /dev/null
wait $!
expect '-o FIFO written directly' grep -q '"id":"a"' fifo.out
expect 'FIFO still a FIFO, /dev/null still a device' sh -c '[ -p ofifo ] && [ -c /dev/null ]'

# Help, version, usage errors.
"$TOOL" -h > h1.txt 2> h1.err; s1=$?
"$TOOL" --help > h2.txt 2> h2.err; s2=$?
expect '-h equals --help, status 0, empty stderr' sh -c "[ $s1 -eq 0 ] && [ $s2 -eq 0 ] && cmp -s h1.txt h2.txt && [ ! -s h1.err ] && grep -q -- '--on-error' h1.txt"
check 0 '-V' '' 'lp-passthru 0.1.0 (liblp 0.1.0; jansson 2.14; zlib 1.2.13)\n' ''
check 2 '--frobnicate' '' '' "lp-passthru: unrecognized option '--frobnicate'\nusage: lp-passthru [-qv] [-o file] [--drop-if field] [--reject-if field] [--set path=json]\n       [--sleep-ms n] [file ...]\nTry 'lp-passthru --help' for more information.\n"
check 2 '--on-error=maybe' '' '' "lp-passthru: invalid --on-error 'maybe' (want fail, skip or quarantine)\nusage: lp-passthru [-qv] [-o file] [--drop-if field] [--reject-if field] [--set path=json]\n       [--sleep-ms n] [file ...]\nTry 'lp-passthru --help' for more information.\n"

# Slow path (a changed record) gives canonical output too.
printf '{"id":"a","p":649.99}\n' | "$TOOL" -q --plain --set attrs.gb=128 > set.out
expect '--set output' grep -q '^{"id":"a","p":649.99,"attrs":{"gb":128},"lineage":{"steps":\[{"tool":"lp-passthru"' set.out

# Broken pipe: quiet, status 0.
"$LP_GEN" -n 200000 > big.jsonl
( "$TOOL" --plain big.jsonl 2> bp.err; echo $? > bp.status ) | head -n 1 > /dev/null
expect 'broken pipe exits 0' [ "$(cat bp.status)" = 0 ]
expect 'broken pipe is quiet' [ ! -s bp.err ]

# SIGINT: flush what is done, valid gzip, status 130.
mkfifo fifo
( printf '{"id":"1"}\n{"id":"2"}\n'; sleep 5 ) > fifo &
feeder=$!
"$TOOL" -q fifo > int.gz 2> int.err &
pid=$!
sleep 0.5
kill -INT $pid
wait $pid; st=$?
kill $feeder 2>/dev/null
expect 'SIGINT exits 130' [ "$st" = 130 ]
expect 'SIGINT keeps what was done (valid gzip)' sh -c '[ "$(gzip -dc int.gz | wc -l)" = 2 ]'

# Audit log: start and end events, a chain, secrets hidden.
printf '{}\n' | "$TOOL" -q --plain --audit audit.log --task-id T > /dev/null
printf '{}\n' | LP_AUDIT_LOG=audit.log "$TOOL" -q --plain --api-key=sk-secret > /dev/null 2>&1
expect 'audit has run_start and run_end' sh -c '[ "$(grep -c "\"event\":\"run_start\"" audit.log)" -ge 1 ] && grep -q "\"event\":\"run_end\",.*\"in\":1" audit.log'
expect 'audit never holds a secret' sh -c '! grep -q sk-secret audit.log'

# Progress only on a terminal; never on a redirected stderr.
if command -v script > /dev/null 2>&1; then
	script -qc "\"$TOOL\" --plain -o tty.out big.jsonl" tty.log > /dev/null 2>&1
	expect 'progress on a terminal, with ETA for files' grep -q 'records, [0-9]*/s, [0-9]*%, ETA' tty.log
	"$TOOL" --plain -o notty.out big.jsonl 2> notty.err
	expect 'no progress when stderr is a file' sh -c '! grep -q "records, " notty.err && grep -q "200000 in, 200000 out" notty.err'
fi

# Reproducible: same input, same bytes (SOURCE_DATE_EPOCH is set).
"$TOOL" -q big.jsonl > r1.gz
"$TOOL" -q big.jsonl > r2.gz
expect 'byte-identical reruns' cmp -s r1.gz r2.gz

finish

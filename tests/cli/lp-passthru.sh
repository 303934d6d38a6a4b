#!/bin/sh
# CLI tests of the shared behaviour every tool gets from liblp, through the
# lp-passthru test driver: real processes, real pipes, real signals.  Each
# "tcase" is one test (see lib.sh):
#   sh tests/cli/lp-passthru.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
TOOL=$LP_BINDIR/lp-passthru

USAGE="usage: lp-passthru [-qv] [-o file] [--drop-if field] [--reject-if field] [--set path=json]\n       [--sleep-ms n] [file ...]\nTry 'lp-passthru --help' for more information.\n"

# Fixtures.
fx_stamp() { # S: the lineage step lp-passthru stamps (run id learnt once)
	RUN=$(printf '{}\n' | "$TOOL" -q --plain | sed 's/.*"run_id":"\([0-9a-f]*\)".*/\1/')
	S="{\"tool\":\"lp-passthru\",\"version\":\"0.1.0\",\"run_id\":\"$RUN\",\"at\":1700000000000,\"config\":\"e3b0c442\"}"
	[ -n "$RUN" ]
}
fx_gz() { # a.gz b.gz, their concatenation ab.dat, plain.jsonl
	needs stamp &&
	    printf '{"id":"f1"}\n' | gzip -c > a.gz &&
	    printf '{"id":"f2"}\n' | gzip -c > b.gz &&
	    cat a.gz b.gz > ab.dat &&
	    printf '{"id":"p"}\n[]\n' > plain.jsonl
}
fx_big() { # 200000 generated records
	"$LP_GEN" -n 200000 > big.jsonl
}
fx_script() {
	command -v script > /dev/null 2>&1 || skip 'script(1) is not installed'
}

# Good input: fast path, slow path, CRLF, no final newline, blank lines.
tcase good.one-record stamp && check 0 '-q --plain' '{"id":"a"}\n' "{\"id\":\"a\",\"lineage\":{\"steps\":[$S]}}\n" ''
tcase good.crlf-blank-no-newline stamp && check 0 '-q --plain' '{ "id" : "a" }\r\n\n{"id":"b"}' \
    "{\"id\":\"a\",\"lineage\":{\"steps\":[$S]}}\n{\"id\":\"b\",\"lineage\":{\"steps\":[$S]}}\n" ''
tcase good.money-bigint stamp && check 0 '-q --plain' '{"price":{"amount":649.99},"n":1152921504606846976}\n' \
    "{\"price\":{\"amount\":649.99},\"n\":1152921504606846976,\"lineage\":{\"steps\":[$S]}}\n" ''
tcase good.empty && check 0 '-q --plain' '' '' ''
tcase good.summary stamp && check 0 '-v --plain' '{}\n' "{\"lineage\":{\"steps\":[$S]}}\n" 'lp-passthru: 1 in, 1 out in T\n'
tcase good.lineage-options stamp && check 0 '-q --plain --pipeline-version p1 --task-id t9' '{"lineage":{"steps":[]}}\n' \
    "{\"lineage\":{\"steps\":[$S],\"pipeline_version\":\"p1\",\"task_id\":\"t9\"}}\n" ''
tcase good.dataset-version-env stamp && LP_DATASET_VERSION=d2 check 0 '-q --plain' '{}\n' \
    "{\"lineage\":{\"dataset_version\":\"d2\",\"steps\":[$S]}}\n" ''

# Bad input, default policy: stop at the first bad line with 65.
tcase bad-json.array-stops stamp && check 65 '-q --plain' '{"id":"a"}\n[1,2]\n{"id":"c"}\n' \
    "{\"id\":\"a\",\"lineage\":{\"steps\":[$S]}}\n" \
    'lp-passthru: <stdin>:2: expected JSON object, got array\n'
tcase bad-json.number && check 65 '-q --plain' '42\n' '' 'lp-passthru: <stdin>:1: expected JSON object, got number\n'
tcase bad-json.cut-short && check 65 '-q --plain' '{"a":\n' '' "lp-passthru: <stdin>:1: invalid JSON at column 5: unexpected token near end of file\n"
tcase bad-json.not-json && check 65 '-q --plain' 'not json\n' '' "lp-passthru: <stdin>:1: invalid JSON at column 3: invalid token near 'not'\n"
tcase bad-json.latin1 && check 65 '-q --plain' '{"t":"caf\351"}\n' '' 'lp-passthru: <stdin>:1: invalid UTF-8 at column 10 (byte 0xe9)\n'
tcase bad-json.duplicate-key && check 65 '-q --plain' '{"a":1,"a":2}\n' '' "lp-passthru: <stdin>:1: invalid JSON at column 10: duplicate object key near '\"a\"'\n"
tcase bad-json.nul && check 65 '-q --plain' '{"a":"\000"}\n' '' 'lp-passthru: <stdin>:1: NUL byte at column 7\n'
tcase bad-json.lineage-not-object && check 65 '-q --plain' '{"lineage":"x"}\n' '' "lp-passthru: <stdin>:1: 'lineage' is not an object\n"
tcase bad-json.max-line && check 65 '-q --plain --max-line 64' '{"a":"0123456789012345678901234567890123456789012345678901234567890123456789"}\n' '' \
    'lp-passthru: <stdin>:1: line longer than 64 bytes\n'

# skip: report, count, go on.
tcase on-error.skip stamp && check 0 '-v --plain --on-error=skip' '[1]\n{"id":"b"}\nnope\n' \
    "{\"id\":\"b\",\"lineage\":{\"steps\":[$S]}}\n" \
    'lp-passthru: <stdin>:1: expected JSON object, got array (skipped)\nlp-passthru: <stdin>:3: invalid JSON at column 4: invalid token near '"'nope'"' (skipped)\nlp-passthru: 3 in, 1 out, 2 skipped in T\n'

# quarantine: the line untouched, with file, line and reason.
tcase on-error.quarantine stamp && {
	check 0 '-q --plain --quarantine q.jsonl --stats st.json' '{"id":"a"}\n[1]\n{"t":"\377"}\n{"drop":1}\n' \
	    "{\"id\":\"a\",\"lineage\":{\"steps\":[$S]}}\n{\"drop\":1,\"lineage\":{\"steps\":[$S]}}\n" ''
	file_is q.jsonl \
	    '{"file":"<stdin>","line":2,"reason":"expected JSON object, got array","text":"[1]"}' \
	    '{"file":"<stdin>","line":3,"reason":"invalid UTF-8 at column 7 (byte 0xff)","base64":"eyJ0Ijoi/yJ9"}'
	# The stats account for every line.
	has st.json '"in":4,"out":2,"dropped":0,"skipped":0,"quarantined":2'
}
tcase on-error.quarantine-needs-file && check 2 '-q --on-error=quarantine' '' '' "lp-passthru: --on-error=quarantine needs --quarantine FILE\n$USAGE"

# Dropped by design and rejected by the tool count too.
tcase on-error.dropped-counted stamp && {
	check 0 '-q --plain --drop-if x --stats st2.json' '{"x":1}\n{"y":1}\n' "{\"y\":1,\"lineage\":{\"steps\":[$S]}}\n" ''
	has st2.json '"in":2,"out":1,"dropped":1'
}
tcase on-error.rejected && check 65 '-q --plain --reject-if bad' '{"bad":1}\n' '' 'lp-passthru: <stdin>:1: has the rejected field\n'

# Files, gzip by magic, file:line in messages, missing files.
tcase files.gzip-members gz && check 0 '-q --plain ab.dat' '' "{\"id\":\"f1\",\"lineage\":{\"steps\":[$S]}}\n{\"id\":\"f2\",\"lineage\":{\"steps\":[$S]}}\n" ''
tcase files.gzip-then-plain gz && check 65 '-q --plain a.gz plain.jsonl' '' "{\"id\":\"f1\",\"lineage\":{\"steps\":[$S]}}\n{\"id\":\"p\",\"lineage\":{\"steps\":[$S]}}\n" 'lp-passthru: plain.jsonl:2: expected JSON object, got array\n'
tcase files.truncated-gzip gz && {
	head -c 20 ab.dat > cut.gz
	check 65 '-q --plain cut.gz' '' '' 'lp-passthru: cut.gz: unexpected end of gzip stream (truncated file)\n'
}
tcase files.trailing-garbage gz && {
	cp a.gz junk.gz && printf 'junk' >> junk.gz
	check 65 '-q --plain junk.gz' '' "{\"id\":\"f1\",\"lineage\":{\"steps\":[$S]}}\n" 'lp-passthru: junk.gz: trailing garbage after gzip member\n'
}
tcase files.directory && {
	mkdir adir
	check 74 '-q --plain adir' '' '' 'lp-passthru: adir: read error: Is a directory\n'
}
tcase files.missing && check 74 '-q --plain missing.jsonl' '' '' "lp-passthru: cannot open 'missing.jsonl': No such file or directory\n"

# Output: gzip by default (not a terminal), deterministic; LP_PLAIN.
tcase output.gzip-default && {
	printf '{"id":"a"}\n' > in.jsonl
	run -i in.jsonl -o o1.gz "$TOOL" -q
	run -i in.jsonl -o o2.gz "$TOOL" -q
	head -c 2 o1.gz | od -An -tx1 > magic
	has magic '1f 8b'               # gzip output by default
	same o1.gz o2.gz                # equal records give equal bytes
	gzip -dc o1.gz > o1.jsonl
	has o1.jsonl '"id":"a"'         # it decodes
}
tcase output.lp-plain stamp && LP_PLAIN=1 check 0 '-q' '{}\n' "{\"lineage\":{\"steps\":[$S]}}\n" ''

# -o is atomic: nothing under the final name unless the run succeeded.
tcase output.atomic-success && {
	printf '{"id":"a"}\n' > in.jsonl
	run -i in.jsonl "$TOOL" -q -o good.gz
	status_is 0
	gzip -dc good.gz > good.jsonl
	has good.jsonl '"id":"a"'
}
tcase output.atomic-failure && { # the old file kept, no temporary files left
	printf 'old\n' > keep.jsonl
	printf '{"id":"a"}\n[1]\n' > in.jsonl
	run -i in.jsonl "$TOOL" -q --plain -o keep.jsonl
	status_is 65
	file_is keep.jsonl old
	ls > ls.txt
	lacks ls.txt '\.tmp\.'
}
tcase output.cannot-create && check 74 '-q -o /nonexistent/dir/out.gz' '{}\n' '' "lp-passthru: cannot create '/nonexistent/dir/out.gz': No such file or directory\n"

# A FIFO or device given to -o or --stats is written directly, never replaced.
tcase output.fifo && {
	mkfifo ofifo
	cat ofifo > fifo.out &
	printf '{"id":"a"}\n' | "$TOOL" -q --plain -o ofifo --stats /dev/null
	wait $!
	has fifo.out '"id":"a"'
	holds [ -p ofifo ]
	holds [ -c /dev/null ]
}

# Help, version, usage errors.
tcase usage.help && { # -h equals --help, status 0, empty stderr
	run -o h1.txt -e h1.err "$TOOL" -h
	status_is 0
	run -o h2.txt -e h2.err "$TOOL" --help
	status_is 0
	same h1.txt h2.txt
	empty h1.err
	has h1.txt '--on-error'
}
tcase usage.version && { # the lineage's line, then every library as curl -V lists them
	run "$TOOL" -V
	status_is 0
	lines out 2
	has out '^lp-passthru 0\.1\.0 (liblp 0\.1\.0; jansson [0-9.]*; zlib [0-9.]*)$'
	has out '^Libraries: liblp/0\.1\.0 jansson/[0-9.]* zlib/[0-9.]* libdeflate/[0-9.]* libcurl/[0-9.]*\( [A-Za-z]*/[0-9a-z.]*\)\{0,1\} gumbo/[0-9.]* utf8proc/[0-9.]*$'
	empty err
}
tcase usage.unknown-option && check 2 '--frobnicate' '' '' "lp-passthru: unrecognized option '--frobnicate'\n$USAGE"
tcase usage.bad-on-error && check 2 '--on-error=maybe' '' '' "lp-passthru: invalid --on-error 'maybe' (want fail, skip or quarantine)\n$USAGE"

# Slow path (a changed record) gives canonical output too.
tcase good.set-slow-path && {
	printf '{"id":"a","p":649.99}\n' > in.jsonl
	run -i in.jsonl "$TOOL" -q --plain --set attrs.gb=128
	has out '^{"id":"a","p":649.99,"attrs":{"gb":128},"lineage":{"steps":\[{"tool":"lp-passthru"'
}

# Broken pipe: quiet, status 0.
tcase signals.broken-pipe big && {
	( "$TOOL" --plain big.jsonl 2> bp.err; echo $? > bp.status ) | head -n 1 > /dev/null
	file_is bp.status 0
	empty bp.err
}

# SIGINT: flush what is done, valid gzip, status 130.
tcase signals.sigint && {
	mkfifo fifo
	( printf '{"id":"1"}\n{"id":"2"}\n'; sleep 5 ) > fifo &
	feeder=$!
	"$TOOL" -q fifo > int.gz 2> int.err &
	pid=$!
	sleep 0.5
	kill -INT $pid
	wait $pid
	st=$?
	kill $feeder 2> /dev/null
	holds [ "$st" = 130 ]
	# What was done is kept, as valid gzip.
	holds gzip -t int.gz
	gzip -dc int.gz > int.jsonl
	lines int.jsonl 2
}

# Audit log: start and end events, a chain, secrets hidden.
tcase audit.events && {
	printf '{}\n' | "$TOOL" -q --plain --audit audit.log --task-id T > /dev/null
	printf '{}\n' | LP_AUDIT_LOG=audit.log "$TOOL" -q --plain --api-key=sk-secret > /dev/null 2>&1
	n=$(grep -c '"event":"run_start"' audit.log)
	holds [ "$n" -ge 1 ]
	has audit.log '"event":"run_end",.*"in":1'
	lacks audit.log sk-secret     # never a secret
}

# Progress only on a terminal; never on a redirected stderr.
tcase progress.terminal script big && { # with ETA for files
	script -qc "\"$TOOL\" --plain -o tty.out big.jsonl" tty.log > /dev/null 2>&1
	has tty.log 'records, [0-9]*/s, [0-9]*%, ETA'
}
tcase progress.not-terminal big && {
	run -o notty.out -e notty.err "$TOOL" --plain big.jsonl
	lacks notty.err 'records, '
	empty notty.err
}

# Reproducible: same input, same bytes (SOURCE_DATE_EPOCH is set).
tcase reproducible.rerun big && {
	"$TOOL" -q big.jsonl > r1.gz
	"$TOOL" -q big.jsonl > r2.gz
	same r1.gz r2.gz
}

tcase usage.max-line-too-small && check 2 '--max-line 10' '' '' "lp-passthru: invalid --max-line '10' (want a size of at least 64, like 16M)\n$USAGE"
tcase usage.max-line-not-a-size && check 2 '--max-line 1x' '' '' "lp-passthru: invalid --max-line '1x' (want a size of at least 64, like 16M)\n$USAGE"

finish

# Shared helpers for the CLI tests (POSIX sh).
#
#   check STATUS 'ARGS' INPUT EXPECTED_OUT EXPECTED_ERR
#
# runs "$TOOL ARGS" in the test's temporary directory with INPUT (printf
# format) on stdin, and compares the exit status, stdout and stderr (with
# the timing in the summary line replaced by "T").  On failure it prints the
# command and a diff.  The directory is removed when all pass and kept,
# with its path printed, when one fails.

set -u
: "${LP_BINDIR:?LP_BINDIR must name the folder with the binaries}"
export SOURCE_DATE_EPOCH=1700000000
unset LP_PLAIN LP_AUDIT_LOG LP_PIPELINE_VERSION LP_DATASET_VERSION LP_TASK_ID NO_COLOR
T=$(mktemp -d "${TMPDIR:-/tmp}/lp-cli.XXXXXX")
cd "$T" || exit 99
npass=0
nfail=0

norm() {
	sed -E 's/ in [0-9]+\.[0-9]+ s \([0-9]+ records\/s\)/ in T/'
}

fail() {
	nfail=$((nfail + 1))
	printf 'FAIL: %s\n' "$*"
}

pass() {
	npass=$((npass + 1))
}

check() {
	want_status=$1 args=$2 input=$3 want_out=$4 want_err=$5
	printf "$input" > in.txt
	# shellcheck disable=SC2086
	eval "\"\$TOOL\" $args" < in.txt > out.txt 2> err.raw
	status=$?
	norm < err.raw > err.txt
	printf "$want_out" > want_out.txt
	printf "$want_err" > want_err.txt
	if [ "$status" -ne "$want_status" ] ||
	    ! cmp -s out.txt want_out.txt || ! cmp -s err.txt want_err.txt; then
		fail "$(basename "$TOOL") $args (status $status, want $want_status)"
		diff -u want_out.txt out.txt | sed 's/^/    /'
		diff -u want_err.txt err.txt | sed 's/^/    /'
	else
		pass
	fi
}

# expect DESCRIPTION COMMAND...: the command must succeed.
expect() {
	desc=$1
	shift
	if "$@"; then pass; else fail "$desc"; fi
}

# standin_start [OPTIONS]: start the stand-in API server (tests/standin)
# on a free port of 127.0.0.1; sets STANDIN_PORT and STANDIN_URL.  Its
# counts are in standin.stats.  The server stops with the test
# (standin_stop, or when the shell exits).
STANDIN_PID=
standin_start() {
	rm -f standin.port standin.stats
	"$LP_BINDIR/standin" --port-file standin.port --stats-file standin.stats "$@" &
	STANDIN_PID=$!
	trap standin_stop EXIT
	i=0
	while [ ! -s standin.port ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	STANDIN_PORT=$(cat standin.port)
	STANDIN_URL=http://127.0.0.1:$STANDIN_PORT
}

standin_stop() {
	if [ -n "$STANDIN_PID" ]; then
		kill "$STANDIN_PID" 2> /dev/null
		wait "$STANDIN_PID" 2> /dev/null
		STANDIN_PID=
	fi
}

finish() {
	standin_stop
	printf '%d passed, %d failed\n' "$npass" "$nfail"
	if [ "$nfail" -ne 0 ]; then
		printf 'kept %s\n' "$T"
		exit 1
	fi
	cd / && rm -rf "$T"
	exit 0
}

# help_man_agree MANPAGE: the long options in "$TOOL --help" and the .Fl
# entries of the man page are the same set, both ways.
help_man_agree() {
	"$TOOL" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u > help.opts
	grep -o -- 'Fl -[a-z][a-z0-9-]*' "$1" | sed 's/^Fl /-/' | sort -u > man.opts
	if diff -u help.opts man.opts > opts.diff; then
		pass
	else
		fail "--help and $(basename "$1") list different options"
		sed 's/^/    /' opts.diff
	fi
}

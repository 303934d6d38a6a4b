# Shared helpers for the CLI tests (POSIX sh).
#
# Each tests/cli/lp-TOOL.sh is a table of named cases.  A case starts
# with a line
#
#	tcase GROUP.what [FIXTURE...] && ...
#
# and runs alone, in a temporary directory of its own made for it, after
# the fixtures it names (shell functions fx_FIXTURE) have run there.  A
# one-line case is a row of the table:
#
#	tcase usage.case-upper && check 2 '--case upper' '' '' "$MSG"
#
# check STATUS 'ARGS' INPUT EXPECTED_OUT EXPECTED_ERR runs "$TOOL ARGS"
# with INPUT (printf format) on stdin and compares the exit status, stdout
# and stderr exactly (the timing in a summary line reads "T").  A longer
# case runs commands with run, which keeps stdout in the file "out",
# stderr in "err" and the status in $status, and states what must hold
# with the predicates below (status_is, file_is, has, has_line, lacks,
# lines, count, same, differ, empty, nonempty, exists, missing, holds).
# Each predicate is one check.  On a failure the case prints the check,
# the last command run, a diff or the start of the file, and keeps its
# directory (path printed); a case that passes removes it.
#
#	export LP_BINDIR=build/tests
#	sh tests/cli/lp-clean.sh                  every case
#	sh tests/cli/lp-clean.sh bad-json.number  one case
#	sh tests/cli/lp-clean.sh bad-json         the cases of a group
#	sh tests/cli/lp-clean.sh -l               the names
#
# LP_BINDIR names the folder of the test binaries (standin, ptydrive,
# lp-passthru); LP_TOOLDIR, LP_GEN, LP_BENCH, LP_TEST_DATA, LP_SRCDIR and
# LP_EBAY_FIXTURES default to their places in the build and source trees
# (tests/CMakeLists.txt sets them all).  CMake registers each case as the
# test cli/lp-TOOL.GROUP.what, reading the names from the "tcase" lines,
# so a new row needs no CMake edit: "ctest -R lp-clean.bad-json" runs a
# group.  A fixture whose prerequisite is missing calls skip; the case is
# then skipped (run alone, the script exits 77).
#
# A script without tcase lines (tests/examples.sh, tests/parallel.sh) is
# one test: it runs in $T, checks with expect and check, and ends with
# finish.

set -u
: "${LP_BINDIR:?LP_BINDIR must name the folder with the binaries}"
export SOURCE_DATE_EPOCH=1700000000
unset LP_PLAIN LP_AUDIT_LOG LP_PIPELINE_VERSION LP_DATASET_VERSION LP_TASK_ID \
    NO_COLOR
# The folder of the test scripts and the folders given, as absolute paths
# (the cases run elsewhere); in a build tree (LP_BINDIR=build/tests) the
# others default to their places there and in the source tree.
HERE=$(cd "$(dirname "$0")" && pwd)
LP_BINDIR=$(cd "$LP_BINDIR" && pwd) || exit 99
_lp_build=${LP_BINDIR%/tests}
if [ -z "${LP_TOOLDIR:-}" ] && [ -d "$_lp_build/tools" ]; then
	LP_TOOLDIR=$_lp_build/tools
fi
[ -z "${LP_GEN:-}" ] && LP_GEN=$_lp_build/bench/lp-gen
[ -z "${LP_BENCH:-}" ] && LP_BENCH=$_lp_build/bench
: "${LP_TEST_DATA:=$HERE/../data}" "${LP_SRCDIR:=$HERE/../..}"
: "${LP_EBAY_FIXTURES:=$LP_SRCDIR/../shared/fixtures/ebay}"
for _lp_v in LP_TOOLDIR LP_GEN LP_BENCH LP_TEST_DATA LP_SRCDIR \
    LP_EBAY_FIXTURES; do
	eval "_lp_p=\${$_lp_v:-}"
	case $_lp_p in
	'' | /*) ;;
	*) eval "$_lp_v=\$PWD/\$_lp_p" ;;
	esac
done
export LP_BINDIR LP_GEN LP_BENCH LP_TEST_DATA LP_SRCDIR LP_EBAY_FIXTURES
T=$(mktemp -d "${TMPDIR:-/tmp}/lp-cli.XXXXXX")
cd "$T" || exit 99
npass=0
nfail=0

# The case being run, and the counts over the cases run.
_lp_script=$(basename "$0" .sh)
_lp_case=
_lp_failed=0
_lp_skipped=
_lp_fx=
_lp_cmd=
_lp_seen=
_lp_ncases=0
_lp_nskip=0
_lp_failures=
_lp_list=
_lp_want=
_lp_found=
status=
if [ "${1:-}" = -l ]; then
	_lp_list=1
else
	_lp_want=$*
fi

norm() {
	sed -E 's/ in [0-9]+\.[0-9]+ s \([0-9]+ records\/s\)/ in T/'
}

fail() {
	nfail=$((nfail + 1))
	_lp_failed=1
	if [ -n "$_lp_case" ]; then
		printf 'FAIL: %s: %s\n' "$_lp_case" "$*"
	else
		printf 'FAIL: %s\n' "$*"
	fi
}

pass() {
	npass=$((npass + 1))
}

# indent: the lines of stdin, indented and cut at 300 columns.
indent() {
	cut -c1-300 | sed 's/^/    | /'
}

# _lp_said: the last command run and its status, if there was one.
_lp_said() {
	if [ -n "$_lp_cmd" ]; then
		printf '    command: %s (status %s)\n' "$_lp_cmd" "$status"
	fi
}

# show FILE: the command that made the files and the start of FILE.
show() {
	_lp_said
	if [ -f "$1" ]; then
		printf '    %s (%s lines):\n' "$1" "$(($(wc -l < "$1")))"
		head -n 10 "$1" | indent
	else
		printf '    %s: no such file\n' "$1"
	fi
}

# tcase NAME [FIXTURE...]: begin case NAME if it was asked for; returns
# non-zero (so the case body is not run) when it was not, or when a
# fixture failed or skipped.
tcase() {
	_lp_end
	case $1 in
	*.*.* | .* | *. | *[!a-z0-9.-]* | [!a-z0-9]*)
		printf '%s: bad case name %s (want group.what: a-z 0-9 -)\n' \
		    "$_lp_script" "$1" >&2
		exit 99
		;;
	*.*) ;;
	*)
		printf '%s: bad case name %s (want group.what)\n' \
		    "$_lp_script" "$1" >&2
		exit 99
		;;
	esac
	case " $_lp_seen " in
	*" $1 "*)
		printf '%s: two cases named %s\n' "$_lp_script" "$1" >&2
		exit 99
		;;
	esac
	_lp_seen="$_lp_seen $1"
	if [ -n "$_lp_list" ]; then
		printf '%s\n' "$1"
		return 1
	fi
	_lp_selected "$1" || return 1
	if [ -d "$T" ] && [ "$_lp_ncases" = 0 ]; then
		cd / && rm -rf "$T"
	fi
	_lp_case=$1
	shift
	_lp_failed=0 _lp_skipped='' _lp_fx='' _lp_cmd='' status=''
	_lp_ncases=$((_lp_ncases + 1))
	T=$(mktemp -d "${TMPDIR:-/tmp}/lp-cli.XXXXXX") || exit 99
	cd "$T" || exit 99
	export XDG_CACHE_HOME="$T/xdg" XDG_STATE_HOME="$T/state" \
	    XDG_CONFIG_HOME="$T/config"
	needs "$@"
}

# _lp_selected NAME: NAME, or its group, is among the arguments (or there
# are none).
_lp_selected() {
	[ -z "$_lp_want" ] && return 0
	for _lp_a in $_lp_want; do
		if [ "$_lp_a" = "$1" ] || [ "$_lp_a" = "${1%%.*}" ]; then
			_lp_found="$_lp_found $_lp_a"
			return 0
		fi
	done
	return 1
}

# needs FIXTURE...: run fx_FIXTURE in the case's directory, once per case.
needs() {
	while [ $# -gt 0 ]; do
		case " $_lp_fx " in
		*" $1 "*) ;;
		*)
			_lp_fx="$_lp_fx $1"
			if ! "fx_$1"; then
				[ -z "$_lp_skipped" ] && fail "fixture $1 failed"
				return 1
			fi
			;;
		esac
		shift
	done
}

# skip REASON (in a fixture): the case cannot run here.
skip() {
	_lp_skipped=$*
	return 1
}

# _lp_end: close the case being run, if any.
_lp_end() {
	[ -n "$_lp_case" ] || return 0
	standin_stop
	cd / || exit 99
	if [ "$_lp_failed" != 0 ]; then
		printf 'FAIL: %s: kept %s\n' "$_lp_case" "$T"
		_lp_failures="$_lp_failures $_lp_case"
	elif [ -n "$_lp_skipped" ]; then
		printf 'skip: %s: %s\n' "$_lp_case" "$_lp_skipped"
		_lp_nskip=$((_lp_nskip + 1))
		rm -rf "$T"
	else
		printf 'ok: %s\n' "$_lp_case"
		rm -rf "$T"
	fi
	_lp_case=
}

# _lp_quote ARG...: the arguments as one shell-quoted line, for messages.
_lp_quote() {
	_lp_q=
	for _lp_a; do
		case $_lp_a in
		*\'*)
			_lp_a="'$(printf '%s' "$_lp_a" | sed "s/'/'\\\\''/g")'"
			;;
		'' | *[!A-Za-z0-9_./=:,+@%-]*)
			_lp_a="'$_lp_a'"
			;;
		esac
		_lp_q="$_lp_q${_lp_q:+ }$_lp_a"
	done
	printf '%s' "$_lp_q"
}

# run [-i IN] [-o OUT] [-e ERR] [-f FILTER] COMMAND...: run the command
# with stdin from IN (default /dev/null), stdout to OUT (default out,
# passed through the shell function FILTER when given), stderr to ERR
# (default err, with timings as in check; OUT again: with stdout); the
# status in $status.
run() {
	_lp_in=/dev/null _lp_out=out _lp_err=err _lp_filter=
	while :; do
		case $1 in
		-i) _lp_in=$2 ;;
		-o) _lp_out=$2 ;;
		-e) _lp_err=$2 ;;
		-f) _lp_filter=$2 ;;
		*) break ;;
		esac
		shift 2
	done
	_lp_cmd=$(_lp_quote "$@")
	[ "$_lp_in" != /dev/null ] && _lp_cmd="$_lp_cmd < $_lp_in"
	if [ "$_lp_err" = "$_lp_out" ]; then
		"$@" < "$_lp_in" > "$_lp_out" 2>&1
		status=$?
	elif [ "$_lp_err" = /dev/null ]; then
		"$@" < "$_lp_in" > "$_lp_out" 2> /dev/null
		status=$?
	else
		"$@" < "$_lp_in" > "$_lp_out" 2> "$_lp_err.raw"
		status=$?
		norm < "$_lp_err.raw" > "$_lp_err"
		rm -f "$_lp_err.raw"
	fi
	if [ -n "$_lp_filter" ]; then
		"$_lp_filter" < "$_lp_out" > "$_lp_out.f" && mv "$_lp_out.f" "$_lp_out"
	fi
	return 0
}

# status_is N: the last run exited with N.
status_is() {
	if [ "$status" = "$1" ]; then
		pass
	else
		fail "status $status, want $1"
		_lp_said
		[ -s err ] && head -n 5 err | indent
	fi
	return 0
}

# file_is FILE [LINE...]: FILE holds exactly these lines (none: empty).
file_is() {
	_lp_f=$1
	shift
	if [ $# -gt 0 ]; then
		printf '%s\n' "$@" > "$_lp_f.want"
	else
		: > "$_lp_f.want"
	fi
	if cmp -s "$_lp_f.want" "$_lp_f"; then
		pass
	else
		fail "$_lp_f is not as expected"
		_lp_said
		diff -u "$_lp_f.want" "$_lp_f" 2>&1 | indent
	fi
	rm -f "$_lp_f.want"
	return 0
}

# _lp_opts: the grep options before FILE, in _lp_o; returns how many
# arguments they took.
_lp_opts() {
	_lp_o='' _lp_n=0
	while :; do
		case $1 in
		-?*) _lp_o="$_lp_o $1" _lp_n=$((_lp_n + 1)) ;;
		*) return "$_lp_n" ;;
		esac
		shift
	done
}

# has [-GREP-OPTION...] FILE RE: a line of FILE matches the basic regular
# expression RE (grep).
has() {
	_lp_opts "$@"
	shift $?
	# shellcheck disable=SC2086
	if grep -q $_lp_o -- "$2" "$1" 2> /dev/null; then
		pass
	else
		fail "$1 has no line matching: $2"
		show "$1"
	fi
	return 0
}

# lacks [-GREP-OPTION...] FILE RE: no line of FILE matches RE (and FILE
# exists).
# shellcheck disable=SC2086
lacks() {
	_lp_opts "$@"
	shift $?
	if [ ! -f "$1" ]; then
		fail "$1: no such file (it should exist and lack: $2)"
	elif ! grep -q $_lp_o -- "$2" "$1"; then
		pass
	else
		fail "$1 has a line matching: $2"
		_lp_said
		grep -n $_lp_o -- "$2" "$1" | head -n 5 | indent
	fi
	return 0
}

# has_line FILE TEXT: FILE has a line that is exactly TEXT.
has_line() {
	if grep -qxF -- "$2" "$1" 2> /dev/null; then
		pass
	else
		fail "$1 has no line: $2"
		show "$1"
	fi
	return 0
}

# lines FILE N: FILE has N lines.
lines() {
	if [ -f "$1" ] && [ "$(($(wc -l < "$1")))" = "$2" ]; then
		pass
	else
		fail "$1 does not have $2 lines"
		show "$1"
	fi
	return 0
}

# count [-GREP-OPTION...] FILE RE N: N lines of FILE match RE.
count() {
	_lp_opts "$@"
	shift $?
	# shellcheck disable=SC2086
	_lp_c=$(grep -c $_lp_o -- "$2" "$1" 2> /dev/null)
	if [ "${_lp_c:-0}" = "$3" ]; then
		pass
	else
		fail "$1 has ${_lp_c:-no} lines matching, want $3: $2"
		show "$1"
	fi
	return 0
}

# same A B: the files are byte for byte the same.
same() {
	if cmp -s "$1" "$2"; then
		pass
	else
		fail "$1 and $2 differ"
		_lp_said
		diff -u "$1" "$2" 2>&1 | head -n 20 | indent
	fi
	return 0
}

# differ A B: the files are not the same.
differ() {
	if [ -f "$1" ] && [ -f "$2" ] && ! cmp -s "$1" "$2"; then
		pass
	else
		fail "$1 and $2 should differ"
	fi
	return 0
}

# empty FILE, nonempty FILE, exists PATH, missing PATH.
empty() {
	if [ -f "$1" ] && [ ! -s "$1" ]; then
		pass
	else
		fail "$1 should be an empty file"
		show "$1"
	fi
	return 0
}
nonempty() {
	if [ -s "$1" ]; then pass; else fail "$1 should not be empty"; fi
	return 0
}
exists() {
	if [ -e "$1" ]; then pass; else fail "$1 should exist"; fi
	return 0
}
missing() {
	if [ ! -e "$1" ]; then pass; else fail "$1 should not exist"; fi
	return 0
}

# holds COMMAND...: the command succeeds (for test(1) comparisons).
holds() {
	if "$@"; then
		pass
	else
		fail "does not hold: $(_lp_quote "$@")"
		_lp_said
	fi
	return 0
}

# lines_of FILE: the number of lines of FILE.
lines_of() {
	echo $(($(wc -l < "$1")))
}

check() {
	want_status=$1 args=$2 input=$3 want_out=$4 want_err=$5
	# shellcheck disable=SC2059
	printf "$input" > in.txt
	_lp_cmd="$(basename "$TOOL") $args"
	# shellcheck disable=SC2086
	eval "\"\$TOOL\" $args" < in.txt > out.txt 2> err.raw
	status=$?
	norm < err.raw > err.txt
	# shellcheck disable=SC2059
	printf "$want_out" > want_out.txt
	# shellcheck disable=SC2059
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
# counts are in standin.stats.  The server stops with the case (or
# standin_stop, or when the shell exits).
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

# finish: the end of a script.  Exits 0 when every check passed, 1 when
# one failed, 77 when every case run was skipped.
finish() {
	_lp_end
	if [ -n "$_lp_list" ]; then
		cd / && rm -rf "$T"
		exit 0
	fi
	for _lp_a in $_lp_want; do
		case " $_lp_found " in
		*" $_lp_a "*) ;;
		*)
			printf '%s: no case or group named %s (-l lists them)\n' \
			    "$_lp_script" "$_lp_a"
			nfail=$((nfail + 1))
			;;
		esac
	done
	if [ -n "$_lp_seen" ]; then
		printf '%s: %d cases (%d skipped), %d checks passed, %d failed\n' \
		    "$_lp_script" "$_lp_ncases" "$_lp_nskip" "$npass" "$nfail"
		[ -n "$_lp_failures" ] && printf 'failed:%s\n' "$_lp_failures"
		[ "$_lp_ncases" = 0 ] && cd / && rm -rf "$T"
		[ "$nfail" -ne 0 ] && exit 1
		[ "$_lp_ncases" -gt 0 ] && [ "$_lp_nskip" = "$_lp_ncases" ] && exit 77
		exit 0
	fi
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

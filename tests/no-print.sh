#!/bin/sh
# Library code never prints and never exits (lib/README.md, "Errors, and
# who may print").  In every lib/ folder but tool/, none of:
#
#  - a call of exit, _exit, _Exit, quick_exit, printf, vprintf, puts,
#    putchar, perror, err(3) (err errx verr verrx warn warnx vwarn vwarnx)
#    or lp_err, lp_errx, lp_warn, lp_warnx;
#  - stdout or stderr at all (fprintf(stderr, ...), fputs(s, stdout) ...),
#    nor STDERR_FILENO (writing to the tool's stderr behind its back);
#  - the tool's state, lp_opts or lp_tool;
#  - an include of a tool/ header.
#
# Comments and the insides of strings are skipped (tests/csource.awk), and
# a call of a function the file defines itself (a static warn()) is that
# function, not err(3)'s.  Each failure is printed as FILE:LINE: what is
# wrong; the status is 1 if any.
#
# usage: no-print.sh [SRCDIR]   (default: LP_SRCDIR, else the tree above)

here=$(cd "$(dirname "$0")" && pwd)
src=${1:-${LP_SRCDIR:-$here/..}}
cd "$src" || exit 2

# shellcheck disable=SC2046
awk -f "$here/csource.awk" $(ls lib/*/*.[ch] | grep -v '^lib/tool/') |
awk '
BEGIN {
	n = split("exit _exit _Exit quick_exit printf vprintf puts putchar " \
	    "perror err errx verr verrx warn warnx vwarn vwarnx " \
	    "lp_err lp_errx lp_warn lp_warnx", w, " ")
	for (i = 1; i <= n; i++)
		banned[w[i]] = 1
	bad = 0
	nheld = 0
}
# Lines are held per file: a file may define a warn() after calling it.
function flush(i) {
	for (i = 1; i <= nheld; i++)
		check(heldwhere[i], heldcode[i])
	nheld = 0
	for (i in defines)
		delete defines[i]
}
function fail(where, what, rule) {
	if ((where, what) in told)
		return
	told[where, what] = 1
	printf "%s: %s: library code %s (only lib/tool/ may; " \
	    "lib/README.md)\n", where, what, rule
	bad = 1
}
function check(where, code, rest, name) {
	if (code ~ /^[ \t]*#[ \t]*include[ \t]*"tool\//) {
		name = code
		sub(/^[ \t]*#[ \t]*include[ \t]*"/, "", name)
		sub(/".*/, "", name)
		fail(where, "includes \"" name "\"",
		    "does not use the tool layer")
		return
	}
	# Each identifier, and whether a call follows it.
	rest = code
	while (match(rest, /[A-Za-z_][A-Za-z0-9_]*/)) {
		name = substr(rest, RSTART, RLENGTH)
		before = RSTART > 1 ? substr(rest, RSTART - 1, 1) : ""
		rest = substr(rest, RSTART + RLENGTH)
		if (before == "." || before == ">")
			continue	# a member: r->err, s.warn
		if (name == "stdout" || name == "stderr" ||
		    name == "STDERR_FILENO")
			fail(where, "uses " name, "does not print")
		else if (name == "lp_opts" || name == "lp_tool")
			fail(where, "reads " name,
			    "does not read the tool'"'"'s state")
		else if ((name in banned) && !(name in defines) &&
		    rest ~ /^[ \t]*\(/)
			fail(where, "calls " name "()",
			    "does not print or exit")
	}
}
{
	p = index($0, ":")
	file = substr($0, 1, p - 1)
	rest = substr($0, p + 1)
	p = index(rest, ":")
	if (file != current) {
		flush()
		current = file
	}
	heldwhere[++nheld] = file ":" substr(rest, 1, p - 1)
	heldcode[nheld] = substr(rest, p + 1)
	# A definition in KNF: the name at the start of its line.
	if (match(heldcode[nheld], /^[A-Za-z_][A-Za-z0-9_]*\(/))
		defines[substr(heldcode[nheld], 1, RLENGTH - 1)] = 1
}
END {
	flush()
	exit bad
}'

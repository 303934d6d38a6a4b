#!/bin/sh
# The layer rule of lib/README.md, checked on every #include:
#
#  1. in lib/FOLDER/*, an include of "OTHER/x.h" names a folder that the
#     table in lib/README.md lets FOLDER include (or FOLDER itself);
#  2. in lib/, tools/, tests/ and bench/, a liblp header is included with
#     its folder: "core/record.h", never "record.h".
#
# The allowed folders are read from the table, so the map and the check
# cannot disagree.  Comments are skipped (tests/csource.awk).  Each failure
# is printed as FILE:LINE: what is wrong; the status is 1 if any.
#
# usage: layers.sh [SRCDIR]   (default: LP_SRCDIR, else the tree above)

here=$(cd "$(dirname "$0")" && pwd)
src=${1:-${LP_SRCDIR:-$here/..}}
cd "$src" || exit 2
map=lib/README.md

# "FOLDER ALLOWED..." per row of the table: | `core/` | core text | ... |
rules=$(awk -F'|' '
	$2 ~ /^ *`[a-z0-9_]+\/` *$/ {
		f = $2
		gsub(/[ `\/]/, "", f)
		a = $3
		gsub(/[^a-z0-9_ ]/, " ", a)
		print f, a
	}' "$map")
if [ -z "$rules" ]; then
	echo "layers.sh: no folder table found in $map" >&2
	exit 2
fi

# Every liblp header as FOLDER/NAME: the bare names rule 2 looks for.
headers=$(cd lib && ls */*.h)

# shellcheck disable=SC2046
awk -f "$here/csource.awk" $(ls lib/*/*.[ch] tools/*.c tests/*.c \
    tests/unit/*.h tests/unit/*/*.c bench/*.c 2>/dev/null) |
awk -v rules="$rules" -v headers="$headers" -v map="$map" '
BEGIN {
	n = split(rules, rows, "\n")
	for (i = 1; i <= n; i++) {
		k = split(rows[i], w, " ")
		folder[w[1]] = 1
		allowed[w[1], w[1]] = 1
		list[w[1]] = ""
		for (j = 2; j <= k; j++) {
			allowed[w[1], w[j]] = 1
			list[w[1]] = list[w[1]] (list[w[1]] == "" ? "" : ", ") w[j]
		}
	}
	n = split(headers, h, "\n")
	for (i = 1; i <= n; i++) {
		name = h[i]
		sub(/.*\//, "", name)
		if (name in header)
			header[name] = header[name] "\" or \"" h[i]
		else
			header[name] = h[i]
	}
	bad = 0
}
# FILE:LINE:#include "path"
{
	p = index($0, ":")
	file = substr($0, 1, p - 1)
	rest = substr($0, p + 1)
	p = index(rest, ":")
	where = file ":" substr(rest, 1, p - 1)
	code = substr(rest, p + 1)
	if (file ~ /^lib\/[^\/]+\//) {
		split(file, parts, "/")
		from = parts[2]
		if (!(from in folder) && !(from in told)) {
			printf "%s: lib/%s/ is not in the table of %s\n",
			    where, from, map
			told[from] = 1
			bad = 1
		}
	}
	if (code !~ /^[ \t]*#[ \t]*include[ \t]*"/)
		next
	sub(/^[ \t]*#[ \t]*include[ \t]*"/, "", code)
	sub(/".*/, "", code)
	if (code !~ /\//) {
		if (code in header) {
			printf "%s: \"%s\" is included without its folder " \
			    "(a liblp header is included with it: \"%s\")\n",
			    where, code, header[code]
			bad = 1
		}
		next
	}
	if (file !~ /^lib\/[^\/]+\//)
		next
	split(code, parts, "/")
	to = parts[1]
	if ((from in folder) && (to in folder) && !((from, to) in allowed)) {
		printf "%s: lib/%s/ may not include \"%s\" " \
		    "(layer rule in %s: %s/ may include %s)\n", where, from,
		    code, map, from, list[from] == "" ? "nothing else in lib" \
		    : list[from]
		bad = 1
	}
}
END {
	exit bad
}'

#!/bin/sh
# cmake --install puts the tools, every man page and the guidelines where
# man(1) and the tools find them.
set -u
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cmake --install "${LP_BUILD:?}" --prefix "$d" > /dev/null || exit 1
bad=0
for t in lp-scrape lp-clean lp-dedup lp-translate lp-rate lp-sample lp-label lp-kpi lp-audit; do
	[ -x "$d/bin/$t" ] || { echo "FAIL: bin/$t"; bad=1; }
	[ -f "$d/share/man/man1/$t.1" ] || { echo "FAIL: man1/$t.1"; bad=1; }
done
[ -f "$d/share/man/man7/labelpipe.7" ] || { echo "FAIL: man7/labelpipe.7"; bad=1; }
for g in taxonomy.json rubric.json gates.json; do
	[ -f "$d/share/labelpipe/$g" ] || { echo "FAIL: share/labelpipe/$g"; bad=1; }
done
if command -v man > /dev/null; then
	MANPATH=$d/share/man man -w lp-label > /dev/null 2>&1 ||
	    { echo "FAIL: man lp-label"; bad=1; }
fi
"$d/bin/lp-label" --version > /dev/null || { echo "FAIL: lp-label runs"; bad=1; }
[ $bad = 0 ] && echo "installed: 9 tools, 10 man pages, the guidelines"
exit $bad

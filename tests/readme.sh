#!/bin/sh
# The README's tool examples run as written: every indented line that
# starts with build/ or printf (with its indented continuation lines), in
# order, in a scratch directory where build/ is the build tree.
set -u
readme=$(dirname "$0")/../README.md
dir=$(mktemp -d)
export XDG_STATE_HOME="$dir/state" # lp-label's session logs
export XDG_CONFIG_HOME="$dir/config" # no LLM settings of the user's
trap 'rm -rf "$dir"' EXIT
ln -s "${LP_BUILD:?}" "$dir/build"
n=0 fail=0
awk '
	/^    (build\/|printf )/ { if (cmd != "") { print cmd; print "#--" } cmd = substr($0, 5); next }
	/^        / && cmd != "" { cmd = cmd "\n" substr($0, 5); next }
	{ if (cmd != "") { print cmd; print "#--" } cmd = "" }
' "$readme" > "$dir/script"
cd "$dir" || exit 1
cmd=
while IFS= read -r line; do
	if [ "$line" = "#--" ]; then
		n=$((n + 1))
		if ! sh -c "$cmd" > out.txt 2> err.txt; then
			echo "FAIL: README example exits non-zero:"
			printf '    %s\n' "$cmd"
			sed 's/^/    | /' err.txt
			fail=$((fail + 1))
		fi
		cmd=
	else
		cmd=${cmd:+$cmd
}$line
	fi
done < script
echo "$n README examples, $fail failed"
[ "$n" -gt 0 ] && [ "$fail" = 0 ]

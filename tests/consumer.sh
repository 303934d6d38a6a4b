#!/bin/sh
# liblp as a library for programs of others: installed, a tiny program is
# built against it with pkg-config and cc, and as a CMake project with
# find_package(labelpipe), both with -Wall -Wextra -Werror, and run.  The
# installed headers each compile alone, and ban nothing in the user's
# code (core/banned.h is labelpipe's rule, not installed).
set -u
cflags=${LP_CFLAGS:-} # the sanitizers, when liblp has them
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cmake --install "${LP_BUILD:?}" --prefix "$d/usr" > /dev/null || exit 1
bad=0
fail() { echo "FAIL: $*"; bad=1; }
lib=$(ls -d "$d"/usr/lib*/liblp.so 2> /dev/null | head -1)
[ -n "$lib" ] || fail "no liblp.so"
libdir=$(dirname "${lib:-$d/usr/lib/x}")
[ -f "$libdir/liblp.a" ] || fail "no liblp.a"
soname=$(objdump -p "$lib" 2> /dev/null | awk '$1 == "SONAME" { print $2 }')
[ "$soname" = liblp.so.0 ] || fail "SONAME is '$soname', want liblp.so.0"
[ -e "$libdir/$soname" ] || fail "no $soname"
[ ! -e "$d/usr/include/labelpipe/core/banned.h" ] || fail "banned.h installed"
[ -f "$d/usr/share/doc/labelpipe/guide.md" ] || fail "no share/doc/labelpipe/guide.md"

mkdir "$d/app"
cat > "$d/app/app.c" << 'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/status.h"
#include "core/version.h"

int
main(int argc, char **argv)
{
	char hex[65], word[8];

	/* Functions labelpipe bans in its own code are the user's choice. */
	strcpy(word, "abc");
	lp_sha256_hex(word, strlen(word), hex);
	printf("%s\n%s\n%d\n", lp_version_details("app"), hex,
	    atoi(argc > 1 ? argv[1] : "7") + LP_OK);
	return 0;
}
C
want="app 0.1.0 (liblp 0.1.0;"
abc=ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
check_run() { # NAME COMMAND...: the program's output is right
	name=$1
	shift
	"$@" > "$d/$name.out" 2>&1 || { fail "$name: $* exits $?"; sed 's/^/    | /' "$d/$name.out"; return; }
	grep -q "^$want" "$d/$name.out" && grep -qx "$abc" "$d/$name.out" &&
	    grep -qx 7 "$d/$name.out" ||
	    { fail "$name: output"; sed 's/^/    | /' "$d/$name.out"; }
}

# pkg-config and cc.
export PKG_CONFIG_PATH="$libdir/pkgconfig"
if cc $cflags -Wall -Wextra -Werror -o "$d/app/pc" "$d/app/app.c" \
    $(pkg-config --cflags --libs liblp) 2> "$d/pc.err"; then
	check_run pkg-config env LD_LIBRARY_PATH="$libdir" "$d/app/pc"
	LD_LIBRARY_PATH="$libdir" ldd "$d/app/pc" |
	    grep -q "liblp.so.0 => $libdir/liblp.so.0" ||
	    fail "pkg-config: the program does not use liblp.so"
else
	fail "pkg-config: cc"
	sed 's/^/    | /' "$d/pc.err"
fi
# liblp.a, for whoever wants it (its dependencies shared: few systems have
# libcurl's own static dependencies).
if cc $cflags -Wall -Wextra -Werror -o "$d/app/static" "$d/app/app.c" \
    $(pkg-config --cflags liblp) "$libdir/liblp.a" \
    $(pkg-config --libs jansson zlib libcurl gumbo libutf8proc) -lm \
    -pthread 2> "$d/st.err"; then
	check_run static "$d/app/static"
else
	fail "static: cc"
	sed 's/^/    | /' "$d/st.err"
fi

# CMake and find_package.
cat > "$d/app/CMakeLists.txt" << 'CM'
cmake_minimum_required(VERSION 3.18)
project(app LANGUAGES C)
find_package(labelpipe 0.1 REQUIRED)
add_executable(app app.c)
target_compile_options(app PRIVATE -Wall -Wextra -Werror)
target_link_libraries(app PRIVATE labelpipe::lp)
CM
if cmake -S "$d/app" -B "$d/app/build" -DCMAKE_PREFIX_PATH="$d/usr" -DCMAKE_C_FLAGS="$cflags" \
    > "$d/cm.err" 2>&1 && cmake --build "$d/app/build" > "$d/cm.err" 2>&1; then
	check_run cmake "$d/app/build/app"
else
	fail "cmake: find_package(labelpipe)"
	sed 's/^/    | /' "$d/cm.err"
fi

# Every installed header compiles on its own in a user's program.
n=0
for h in $(cd "$d/usr/include/labelpipe" && ls */*.h); do
	printf '#include "%s"\n' "$h" > "$d/h.c"
	n=$((n + 1))
	cc -Wall -Wextra -Werror -fsyntax-only $(pkg-config --cflags liblp) \
	    "$d/h.c" 2> "$d/h.err" ||
	    { fail "$h does not compile alone"; sed 's/^/    | /' "$d/h.err" | head -5; }
done
[ $bad = 0 ] && echo "liblp: .so and .a, pkg-config and CMake, $n headers"
exit $bad

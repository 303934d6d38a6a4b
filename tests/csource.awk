# C source as the source checks (layers.sh, no-print.sh) want to see it:
# one output line "FILE:LINE:CODE" per input line that has code, where CODE
# is the line with comments removed and the insides of string and character
# literals blanked, so a word in a comment or a message is never taken for
# a call.  The string of an #include line is kept: it is the include.
#
# Literals and comments are found by jumping from one opening character to
# the next with match(), not by stepping through every character: the
# whole tree takes a few hundredths of a second.  Good enough for checks,
# not a compiler: trigraphs, and backslash-newline inside a // comment or
# a literal, are not handled (liblp has none).
#
# POSIX awk (mawk, gawk, busybox).

FNR == 1 {
	incomment = 0
}

{
	line = $0
	out = ""
	if (incomment) {
		if ((k = index(line, "*/")) == 0)
			next
		line = substr(line, k + 2)
		out = " "
		incomment = 0
	}
	keep = line ~ /^[ \t]*#[ \t]*include/
	while (match(line, /\/\*|\/\/|["']/)) {
		out = out substr(line, 1, RSTART - 1)
		tok = substr(line, RSTART, RLENGTH)
		line = substr(line, RSTART + RLENGTH)
		if (tok == "//") {
			line = ""
			break
		}
		if (tok == "/*") {
			if ((k = index(line, "*/")) == 0) {
				incomment = 1
				line = ""
				break
			}
			line = substr(line, k + 2)
			out = out " "
			continue
		}
		# A literal: up to the closing quote not escaped by a backslash.
		if (tok == "\"")
			re = "^([^\"\\\\]|\\\\.)*\""
		else
			re = "^([^'\\\\]|\\\\.)*'"
		if (match(line, re)) {
			body = substr(line, 1, RLENGTH - 1)
			line = substr(line, RLENGTH + 1)
		} else {
			body = line
			line = ""
		}
		if (!keep)
			gsub(/./, " ", body)
		out = out tok body tok
	}
	out = out line
	if (out ~ /[^ \t]/)
		print FILENAME ":" FNR ":" out
}

#!/bin/sh
# CLI tests of hostile input and faults (issue 25) every tool meets
# through liblp: a full disk, a torn audit log, symbolic links, file
# modes, outputs onto inputs, killed runs, the accounting identity.  Most
# cases run the lp-passthru driver; a case sets TOOL when it needs a tool
# of its own.  A full disk is /dev/full, or a file size limit (ulimit -f,
# with SIGXFSZ ignored): the kernel then writes what fits and fails, as on
# a disk that fills up.
. "$(dirname "$0")/lib.sh"
PASS=$LP_BINDIR/lp-passthru
TOOLS=${LP_TOOLDIR:-$LP_BINDIR}

fx_in() { # two records and a bad line (in.jsonl)
	printf '{"id":"a"}\n{"id":"b"}\nnot json\n' > in.jsonl
}
fx_good() { # two good records (good.jsonl)
	printf '{"id":"a"}\n{"id":"b"}\n' > good.jsonl
}
fx_log() { # an audit log of three runs (au.log)
	for i in 1 2 3; do
		"$PASS" -q --plain --audit au.log good.jsonl > /dev/null || return 1
	done
}

# limited BLOCKS COMMAND...: run COMMAND with files limited to BLOCKS
# blocks of 512 bytes (dash counts ulimit -f in those).
limited() {
	_b=$1
	shift
	sh -c 'trap "" XFSZ; ulimit -f "$0"; exec "$@"' "$_b" "$@"
}

# mode_of FILE: its permission bits, as 600.
mode_of() {
	stat -c %a "$1"
}

# --- 12: the audit log on a full disk ------------------------------------

tcase audit.full-disk good && {
	run "$PASS" -q --plain --audit /dev/full good.jsonl
	status_is 74
	has_line err "lp-passthru: cannot write '/dev/full': No space left on device"
}

# A run that fills the disk part way through an event leaves no partial
# line; the next run goes on with seq, and the chain holds.
tcase audit.short-write-no-partial good log && {
	# A limit past the log's end by less than two events.
	run limited $(($(wc -c < au.log) / 512 + 1)) "$PASS" -q --plain --audit au.log good.jsonl
	status_is 74
	has_line err "lp-passthru: cannot write 'au.log': File too large"
	run "$PASS" -q --plain --audit au.log good.jsonl
	status_is 0
	run "$TOOLS/lp-kpi" -v --verify-audit au.log
	status_is 0
	has_line err "lp-kpi: au.log: the hash chain holds"
	grep -o '^{"seq":[0-9]*' au.log > seqs
	seq -f '{"seq":%g' 1 "$(lines_of au.log)" > want
	same want seqs
}

# A line torn by a killed writer is cut by the next run, which says so
# and notes it in the log.
tcase audit.torn-line-cut good log && {
	printf '{"seq":7,"at":"2023-11-1' >> au.log
	run "$PASS" -q --plain --audit au.log good.jsonl
	status_is 0
	has_line err "lp-passthru: au.log: cut a torn last line (24 bytes) left by an interrupted write; the log notes it"
	count au.log '"event":"audit_repair","tool":"lp-passthru",.*"cut_bytes":24' 1
	run "$TOOLS/lp-kpi" --verify-audit au.log
	status_is 0
	has au.log '"seq":9,.*"event":"run_end"'
}

# --- 14: symbolic links and modes -----------------------------------------

tcase modes.audit-symlink good && {
	printf 'precious\n' > victim
	ln -s victim link.log
	run "$PASS" -q --plain --audit link.log good.jsonl
	status_is 74
	has_line err "lp-passthru: cannot open audit log 'link.log': is a symbolic link (not followed)"
	file_is victim precious
}

tcase modes.output-keeps-mode good && {
	printf 'old\n' > out.jsonl
	chmod 600 out.jsonl
	run "$PASS" -q --plain -o out.jsonl good.jsonl
	status_is 0
	holds [ "$(mode_of out.jsonl)" = 600 ]
	lines out.jsonl 2
}

tcase modes.private-logs in && {
	umask 022
	run "$PASS" -q --plain --on-error=quarantine --quarantine q.jsonl \
	    --audit au.log -o out.jsonl in.jsonl
	status_is 0
	holds [ "$(mode_of q.jsonl)" = 600 ]
	holds [ "$(mode_of au.log)" = 600 ]
	holds [ "$(mode_of out.jsonl)" = 644 ]
}

# --- 15: no output onto an input ------------------------------------------

tcase same-file.dropped good && {
	TOOL=$TOOLS/lp-dedup
	cp good.jsonl keep.jsonl
	run "$TOOL" -q --plain --dropped good.jsonl good.jsonl
	status_is 2
	has_line err "lp-dedup: --dropped 'good.jsonl' is the input 'good.jsonl': an output may not overwrite an input"
	same good.jsonl keep.jsonl
}

tcase same-file.rest good && {
	TOOL=$TOOLS/lp-sample
	cp good.jsonl keep.jsonl
	run "$TOOL" -q --plain --random 1 --rest=good.jsonl good.jsonl
	status_is 2
	has_line err "lp-sample: --rest 'good.jsonl' is the input 'good.jsonl': an output may not overwrite an input"
	same good.jsonl keep.jsonl
}

# Compared by file, not by name: a hard link is the same file.
tcase same-file.session-queue good && {
	TOOL=$TOOLS/lp-label
	cp good.jsonl keep.jsonl
	run "$TOOL" -q --plain --annotator a --session good.jsonl --export good.jsonl
	status_is 2
	has_line err "lp-label: --session 'good.jsonl' is the input 'good.jsonl': an output may not overwrite an input"
	same good.jsonl keep.jsonl
}

tcase same-file.session-answers good && { # the answers file is an input too
	TOOL=$TOOLS/lp-label
	printf '{"id":"1","label":2}\n' > ans.jsonl
	cp ans.jsonl keep.jsonl
	run "$TOOL" -q --plain --annotator a --session ans.jsonl --answers ans.jsonl good.jsonl
	status_is 2
	has_line err "lp-label: --session 'ans.jsonl' is the input 'ans.jsonl': an output may not overwrite an input"
	same ans.jsonl keep.jsonl
}

tcase modes.session-symlink good && { # a session log is never written through a link
	TOOL=$TOOLS/lp-label
	ln -s target.log link.log
	printf '{"id":"1","label":2}\n{"id":"2","label":3}\n' > ans.jsonl
	run "$TOOL" -q --plain --annotator a --session link.log --answers ans.jsonl good.jsonl
	status_is 74
	has_line err "lp-label: link.log: is a symbolic link (not followed)"
	missing target.log
}

tcase modes.warc-symlink && { # nor is an archive
	TOOL=$TOOLS/lp-scrape
	ln -s target.warc.gz link.warc.gz
	printf '<html><body></body></html>\n' > page.html
	run "$TOOL" -q --plain --warc link.warc.gz page.html
	status_is 74
	has err "link.warc.gz: cannot open: is a symbolic link (not followed)"
	missing target.warc.gz
}

tcase same-file.hard-link good && {
	ln good.jsonl other.jsonl
	run "$PASS" -q --plain -o other.jsonl good.jsonl
	status_is 2
	has_line err "lp-passthru: -o 'other.jsonl' is the input 'good.jsonl': an output may not overwrite an input"
}

tcase same-file.quarantine-stats-audit good && {
	cp good.jsonl keep.jsonl
	run "$PASS" -q --plain --on-error=quarantine --quarantine good.jsonl good.jsonl
	status_is 2
	has err "^lp-passthru: --quarantine 'good.jsonl' is the input"
	run "$PASS" -q --plain --stats=good.jsonl good.jsonl
	status_is 2
	has err "^lp-passthru: --stats 'good.jsonl' is the input"
	LP_AUDIT_LOG=good.jsonl run "$PASS" -q --plain good.jsonl
	status_is 2
	has err "^lp-passthru: LP_AUDIT_LOG 'good.jsonl' is the input"
	same good.jsonl keep.jsonl
}

# --- 16: a killed run's temporary file ------------------------------------

tcase tmp.killed-run-swept && {
	# Its input a FIFO held open and quiet: the run waits, output open.
	mkfifo quiet
	"$PASS" -q --plain -o out.jsonl < quiet &
	pid=$!
	exec 3> quiet
	i=0
	while [ ! -e ".out.jsonl.lp-tmp.$pid" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	exists ".out.jsonl.lp-tmp.$pid"
	holds [ "$(mode_of ".out.jsonl.lp-tmp.$pid")" = 600 ]
	kill -9 "$pid"
	wait "$pid" 2> /dev/null
	exec 3>&-
	exists ".out.jsonl.lp-tmp.$pid"
	run -i /dev/null "$PASS" -q --plain -o out.jsonl
	status_is 0
	missing ".out.jsonl.lp-tmp.$pid"
	exists out.jsonl
}

# --- 17: accounting -------------------------------------------------------

tcase accounting.fail-counted in && {
	run "$PASS" -q --plain -o out.jsonl --stats st.json in.jsonl
	status_is 65
	missing out.jsonl
	has st.json '^{"in":3,"out":2,"dropped":0,"skipped":0,"quarantined":0,"failed":1,"committed":0,'
}

tcase accounting.committed in && {
	run "$PASS" -q --plain -o out.jsonl --on-error=skip --stats st.json in.jsonl
	status_is 0
	has st.json '^{"in":3,"out":2,"dropped":0,"skipped":1,"quarantined":0,"failed":0,"committed":2,'
}

tcase accounting.white-space-lines-blank && {
	printf '{"id":"a"}\n   \n\t \t\n \r\n{"id":"b"}\n' > ws.jsonl
	run "$PASS" -q --plain --stats st.json ws.jsonl
	status_is 0
	lines out 2
	has st.json '^{"in":2,"out":2,'
}

# --- 18: a full disk under a side output ----------------------------------

tcase disk.kpi-html-full && {
	TOOL=$TOOLS/lp-kpi
	printf '{"id":"a","labels":[{"annotator_id":"x","label":"ok"}]}\n' > lab.jsonl
	run "$TOOL" -q --no-gates --html /dev/full lab.jsonl
	status_is 74
	has_line err "lp-kpi: cannot write '/dev/full': No space left on device"
	run limited 1 "$TOOL" -q --no-gates --html k.html lab.jsonl
	status_is 74
	has_line err "lp-kpi: cannot write 'k.html': File too large"
	missing k.html
}

finish

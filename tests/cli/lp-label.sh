#!/bin/sh
# CLI tests of lp-label: answers and export without a terminal, then the
# interactive path through a pseudo-terminal (tests/ptydrive).  Each
# "tcase" is one test (see lib.sh):
#   sh tests/cli/lp-label.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-label
MAN=$HERE/../../man/lp-label.1
DRIVE=$LP_BINDIR/ptydrive
unset LP_ANNOTATOR VISUAL EDITOR

USAGE="usage: lp-label [-qv] [-o file] --annotator id [--round n] [--taxonomy file]\n       [--session file] [--answers file | --export] [--pause s]\n       [--show-labels] [--roles file] [file ...]\n       lp-label --adjudicate --annotator id [--consensus rule] file ...\n       lp-label --approve-taxonomy file --roles file --audit file\nTry 'lp-label --help' for more information.\n"

plain() { "$TOOL" -q --plain "$@"; }
# labels ID FILE: the label entries of record ID, one per line.
labels() { grep "\"id\":\"$1\"" "$2" | grep -o '"annotator_id":"[^"]*","round":[0-9]*,"status":"[a-z]*","label":[^,]*,"correction":[^,]*,"note":[^,]*' ; }
# record ID FILE: the records with id ID, into the file rec.ID.
record() { grep "\"id\":\"$1\"" "$2" > "rec.$1" 2> /dev/null; }

# Predicates of this script's own (each one check, as in lib.sh).
# has_label ID FILE RE: a label entry of record ID matches RE (the
# entries are kept in labels.ID).
has_label() {
	if [ ! -f "$2" ]; then
		fail "$2: no such file (record $1 should have a label matching: $3)"
		return 0
	fi
	labels "$1" "$2" > "labels.$1"
	has "labels.$1" "$3"
}
# drive NAME -- COMMAND...: the pseudo-terminal script in the file NAME
# holds when ptydrive runs COMMAND through it; the screen's bytes go to
# NAME.tty, ptydrive's word on a failed step to NAME.drive.
drive() {
	_lp_name=$1
	shift
	_lp_cmd="ptydrive -t $_lp_name.tty $_lp_name $(_lp_quote "$@")"
	"$DRIVE" -t "$_lp_name.tty" "$_lp_name" "$@" > "$_lp_name.drive" 2>&1
	status=$?
	if [ "$status" = 0 ]; then
		pass
	else
		fail "pty script $_lp_name"
		printf '    command: %s (status %s)\n' "$_lp_cmd" "$status"
		indent < "$_lp_name.drive"
	fi
	return 0
}

# Fixtures.
# The queue: a cleaned title with its original, a failed translation on a
# gold item (its answer must never show), a plain one, a wide one.
fx_queue() {
	cat > q.jsonl << 'EOF'
{"id":"a","title":"apple iphone 13 128gb","raw":{"title":"Apple iPhone 13 128GB NEW!!"},"translation":{"text":"苹果 iPhone 13 128GB"},"rating":{"score":3,"confidence":0.72,"rationale":"word order"},"sample":{"reason":["questionable"]}}
{"id":"b","title":"samsung tv 55 in","translation":{"error":"timeout after 3 tries"},"gold":{"label":1,"secret":"GOLDANSWER"},"sample":{"reason":["random"]}}
{"id":"c","title":"usb cable 2 m","translation":{"text":"USB 线 2 米"},"rating":{"score":4,"confidence":0.91}}
EOF
}
fx_answers() { # alice's: 4, reject (1) with a note, a blank line, a skip
	cat > ans.jsonl << 'EOF'
{"id":"a","label":4,"time_to_label_ms":1200}
{"id":"b","label":"reject","note":"no translation to judge"}

{"id":"c","status":"skipped"}
EOF
}
fx_alice() { # alice's labels (alice.jsonl) and her session log
	needs queue answers &&
	    env LP_ANNOTATOR=alice "$TOOL" -q --plain --answers ans.jsonl q.jsonl > alice.jsonl
}
fx_panel() { # alice: 4 1 skip; bob: 4 2 4; carol: 4 2 1
	needs alice || return 1
	printf '{"id":"a","label":4}\n{"id":"b","label":2}\n{"id":"c","label":4}\n' > bob.ans
	printf '{"id":"a","label":4}\n{"id":"b","label":2}\n{"id":"c","label":1}\n' > carol.ans
	plain --annotator bob --answers bob.ans q.jsonl > bob.jsonl &&
	    plain --annotator carol --answers carol.ans q.jsonl > carol.jsonl
}
fx_partial() { # carl decided one of three (part.out)
	needs queue || return 1
	printf '{"id":"a","label":3}\n' > part.jsonl
	env LP_ANNOTATOR=carl "$TOOL" -q --plain --answers part.jsonl q.jsonl > part.out 2> /dev/null
	[ -s part.out ]
}
fx_taxonomy() { # spam-2: spam (key x, junk) and ok (key o, fine)
	cat > tax.json << 'EOF'
{"version":"spam-2","guidelines_version":"g-9","labels":[{"value":"spam","key":"x","name":"junk","definition":"not a listing"},{"value":"ok","key":"o","name":"fine","definition":"a listing"}]}
EOF
}
fx_unanimous() { # judy adjudicates the panel under unanimous (adj.out)
	needs panel || return 1
	# Contested items stay open: the status is 1.
	plain --adjudicate --annotator judy --export --stats st.json alice.jsonl bob.jsonl carol.jsonl > adj.out 2> /dev/null
	[ -s adj.out ]
}
fx_majority() { # judy2 adjudicates the panel under majority (maj.out)
	needs panel || return 1
	plain --adjudicate --consensus majority --annotator judy2 --export alice.jsonl bob.jsonl carol.jsonl > maj.out 2> /dev/null
	[ -s maj.out ]
}

# ---- usage ----
tcase help.usage && { # on stdout, status 0
	run "$TOOL" --help
	status_is 0
	has out '--annotator=ID'
}
tcase help.fits-80-columns && {
	run "$TOOL" --help
	awk 'length > 80' out > wide
	empty wide
}
tcase help.man-agree && help_man_agree "$MAN"
tcase usage.no-annotator queue && check 2 "q.jsonl" '' '' "lp-label: --annotator ID (or LP_ANNOTATOR) is required: every label says who gave it\n$USAGE"
tcase usage.bad-annotator queue && check 2 "--annotator 'a b' q.jsonl" '' '' "lp-label: invalid annotator 'a b' (1 to 64 of A-Z a-z 0-9 . _ @ + -, not starting with '.' or '-')\n$USAGE"
tcase usage.consensus-alone queue && check 2 "--annotator a --consensus majority q.jsonl" '' '' "lp-label: --consensus goes with --adjudicate\n$USAGE"
tcase usage.bad-consensus queue && check 2 "--annotator a --adjudicate --consensus most q.jsonl" '' '' "lp-label: invalid --consensus 'most' (want unanimous or majority)\n$USAGE"
# No terminal: a clear error, status 2, before any work.
tcase usage.no-terminal queue && { # says so and what to do; no session begun
	run setsid -w "$TOOL" --annotator a q.jsonl
	status_is 2
	has err "lp-label: no terminal (/dev/tty): .*; --answers FILE labels without one"
	missing "$XDG_STATE_HOME"/labelpipe
}

# ---- answers ----
tcase answers.all-decided queue answers && { # status 0, every record out
	run -o alice.jsonl env LP_ANNOTATOR=alice "$TOOL" -q --plain --answers ans.jsonl q.jsonl
	status_is 0
	lines alice.jsonl 3
	# A label with who, round, status, time and versions.
	has alice.jsonl '"labels":\[{"annotator_id":"alice","round":1,"status":"submitted","label":4,"correction":null,"note":null,"time_to_label_ms":1200,"at":1700000000000,"guidelines_version":"guide-1","taxonomy_version":"taxonomy-1"}\]'
}
tcase answers.shortcut-name alice && has_label b alice.jsonl '"label":1,"correction":null,"note":"no translation to judge"'
tcase answers.skip-no-label alice && has_label c alice.jsonl '"status":"skipped","label":null'
tcase answers.gold-kept alice && has alice.jsonl '"gold":{"label":1,"secret":"GOLDANSWER"}' # for lp-kpi
tcase answers.session-logged alice && count "$XDG_STATE_HOME"/labelpipe/alice-*.log '"event":"decision"' 3
# The same answers again: nothing twice, the same output.
tcase answers.again alice && { # byte-identical, counted as already decided
	run -o again.jsonl env LP_ANNOTATOR=alice "$TOOL" -q --plain --answers ans.jsonl --stats st.json q.jsonl
	same alice.jsonl again.jsonl
	has st.json '"already_decided":3'
	count "$XDG_STATE_HOME"/labelpipe/alice-*.log '"event":"decision"' 3
}
# Part of the queue: the decided part goes out, status 1, and a warning.
tcase answers.partial queue && { # says how many are open; every record out
	printf '{"id":"a","label":3}\n' > part.jsonl
	run -o part.out env LP_ANNOTATOR=carl "$TOOL" -q --plain --answers part.jsonl q.jsonl
	status_is 1
	has err 'lp-label: 2 of 3 items are not decided yet; their records carry no decision of carl'
	lines part.out 3
	count part.out '"labels"' 1
}
# A gzipped answers file works like a plain one (one reader for every input).
tcase answers.gzip alice && {
	gzip -c ans.jsonl > ans.jsonl.gz
	run -o gz.jsonl env LP_ANNOTATOR=gzip "$TOOL" -q --plain --answers ans.jsonl.gz q.jsonl
	status_is 0
	sed 's/"annotator_id":"gzip"/"annotator_id":"alice"/' gz.jsonl > gz-as-alice.jsonl
	same alice.jsonl gz-as-alice.jsonl
}
tcase answers.gzip-second-answer queue && {
	printf '{"id":"a","label":4}\n{"id":"a","label":1}\n' | gzip > dup.jsonl.gz
	check 65 "--annotator gz2 --answers dup.jsonl.gz q.jsonl" '' '' "lp-label: dup.jsonl.gz:2: a second answer for \"a\" (the first is on line 1)\n"
}
tcase answers.gzip-truncated queue answers && {
	gzip -c ans.jsonl | head -c 20 > cut.jsonl.gz
	check 65 "--annotator gz3 --answers cut.jsonl.gz q.jsonl" '' '' "lp-label: cut.jsonl.gz: unexpected end of gzip stream (truncated file)\n"
}
# --export writes what the session holds.
tcase export.after-partial partial && { # the same as after the answers
	run -o exp.out env LP_ANNOTATOR=carl "$TOOL" -q --plain --export q.jsonl
	same part.out exp.out
}

# Bad answers: file and line, status 65, nothing applied.
tcase bad-answers.unknown-label queue && {
	printf '{"id":"a","label":2}\n{"id":"c","label":5}\n' > bad.jsonl
	check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:2: unknown label 5 (taxonomy-1 has 1, 2, 3, 4, accept, reject)\n"
	lacks "$XDG_STATE_HOME"/labelpipe/bad-*.log '"event":"decision"'
}
fx_not_in_queue() { printf '{"id":"zz","label":2}\n' > bad.jsonl; }
tcase bad-answers.not-in-queue queue not_in_queue && check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:1: id \"zz\" is not in the queue\n"
fx_second_answer() { printf '{"id":"a","label":2}\n{"id":"a","label":3}\n' > bad.jsonl; }
tcase bad-answers.second-answer queue second_answer && check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:2: a second answer for \"a\" (the first is on line 1)\n"
fx_cut_answer() { printf '{"id":"a","label":2\n' > bad.jsonl; }
tcase bad-answers.not-json queue cut_answer && check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:1: not a JSON object: '}' expected near end of file\n"
fx_bad_status() { printf '{"id":"a","label":2,"status":"done"}\n' > bad.jsonl; }
tcase bad-answers.status queue bad_status && check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:1: \"status\" must be \"submitted\" or \"skipped\"\n"
fx_number_note() { printf '{"id":"a","label":2,"note":7}\n' > bad.jsonl; }
tcase bad-answers.note-not-string queue number_note && check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:1: \"correction\" and \"note\" must be strings\n"
tcase bad-answers.no-file queue && check 74 "--annotator bad --answers nope.jsonl q.jsonl" '' '' "lp-label: nope.jsonl: No such file or directory\n"

# Bad queues: records without an id, the same id twice.
fx_no_id() { printf '{"id":"a"}\n{"title":"x"}\n' > noid.jsonl; }
# A queue with nothing for this annotator is the wrong queue: status 1,
# whom it is for, no output and no session.
fx_routed() {
	cat > routed.jsonl << 'EOF'
{"id":"a","title":"x","sample":{"assignees":["alice","bob"]}}
{"id":"b","title":"y","sample":{"assignees":["bob"]}}
EOF
}
tcase queue.routed-elsewhere routed && {
	run -o r.jsonl "$TOOL" -q --plain --annotator me --export routed.jsonl
	status_is 1
	file_is err "lp-label: the queue routes no item to 'me' (it is for alice, bob)"
	empty r.jsonl
	missing "$XDG_STATE_HOME"/labelpipe
}
tcase queue.routed-to-me routed && { # one item of two: fine
	run -o r.jsonl "$TOOL" -q --plain --annotator bob --export routed.jsonl
	status_is 1 # bob has decided nothing yet
	lines r.jsonl 2
}
tcase queue.no-id no_id && check 65 "--plain --annotator a --export noid.jsonl" '' '' "lp-label: noid.jsonl:2: no \"id\" (labels are joined to records by id)\n"
fx_same_id() { printf '{"id":"a"}\n{"id":"a"}\n' > twice.jsonl; }
tcase queue.same-id-twice same_id && check 65 "--plain --annotator a --export twice.jsonl" '' '' "lp-label: twice.jsonl:2: a second record with id \"a\"\n"
# Routing: records assigned to others are not this annotator's.
tcase queue.routing && { # only the items assigned to eve, counted
	printf '{"id":"x","sample":{"assignees":["dora","eve"]}}\n{"id":"y","sample":{"assignees":["fay"]}}\n' > routed.jsonl
	run -o routed.out env LP_ANNOTATOR=eve "$TOOL" -q --plain --export --stats st.json routed.jsonl
	has routed.out '"id":"x"'
	lacks routed.out '"id":"y"'
	has st.json '"not_assigned":1'
}

# ---- the session log ----
tcase session.torn-last-line alice && { # recovered and reported, status 0
	log=$(ls "$XDG_STATE_HOME"/labelpipe/alice-*.log)
	printf '{"event":"decision","id":"c","sta' >> "$log"
	run -o torn.out env LP_ANNOTATOR=alice "$TOOL" -q --plain --export q.jsonl
	status_is 0
	has err "lp-label: $log: the last line was cut short (a crash while saving); it is dropped"
	same alice.jsonl torn.out # the decisions before it stand
}
tcase session.beside-output queue answers && { # -o FILE: in FILE's directory
	mkdir o
	run env LP_ANNOTATOR=alice "$TOOL" -q --plain --answers ans.jsonl -o o/alice.jsonl q.jsonl
	status_is 0
	count o/.lp-label-alice-*.log '"event":"decision"' 3
	missing "$XDG_STATE_HOME"/labelpipe
	missing .lp-label
}
tcase session.any-directory queue answers && { # the same log from wherever it runs
	mkdir a b
	(cd a && "$TOOL" -q --plain --annotator alice --answers ../ans.jsonl ../q.jsonl > ../a.jsonl)
	run -o b.jsonl sh -c 'cd b && exec "$0" -q --plain --annotator alice --export --stats ../st.json ../q.jsonl' "$TOOL"
	status_is 0
	same a.jsonl b.jsonl
	missing a/.lp-label
	count "$XDG_STATE_HOME"/labelpipe/alice-*.log '"event":"decision"' 3
}
tcase session.home-default queue answers && { # no XDG_STATE_HOME: ~/.local/state
	mkdir home
	run -o h.jsonl env -u XDG_STATE_HOME HOME="$PWD/home" "$TOOL" -q --plain --annotator alice --answers ans.jsonl q.jsonl
	status_is 0
	count home/.local/state/labelpipe/alice-*.log '"event":"decision"' 3
}
tcase session.no-home queue answers && { # nowhere to keep it: says so
	run env -u XDG_STATE_HOME -u HOME "$TOOL" -q --plain --annotator alice --answers ans.jsonl q.jsonl
	status_is 2
	file_is err 'lp-label: no HOME or XDG_STATE_HOME for the session log; give --session FILE'
}
tcase session.damaged alice && {
	log=$(ls "$XDG_STATE_HOME"/labelpipe/alice-*.log)
	cp "$log" damaged.log
	sed -i '2s/.*/garbage/' damaged.log
	check 65 "--annotator alice --session damaged.log --export q.jsonl" '' '' "lp-label: damaged.log:2: not a session event (the log is damaged before its end; lp-label will not guess)\n"
}
tcase session.other-queue alice && {
	log=$(ls "$XDG_STATE_HOME"/labelpipe/alice-*.log)
	head -1 q.jsonl > one.jsonl
	check 65 "--annotator alice --session $log --export one.jsonl" '' '' "lp-label: $log:1: this session is for another queue (other items or order); give another --session\n"
}
tcase session.in-use alice && { # locked by another process
	log=$(ls "$XDG_STATE_HOME"/labelpipe/alice-*.log)
	flock "$log" sh -c ': > locked; while [ -e locked ]; do sleep 0.05; done' &
	holder=$!
	i=0
	while [ ! -e locked ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	check 74 "--annotator alice --export q.jsonl" '' '' "lp-label: $log: in use by another lp-label\n"
	rm -f locked
	wait "$holder"
}

# ---- taxonomies ----
tcase taxonomy.unknown-label queue taxonomy && {
	printf '{"id":"a","label":"junk"}\n{"id":"b","label":"ok"}\n{"id":"c","label":"x"}\n' > sans.jsonl
	check 65 "--annotator t --taxonomy tax.json --answers sans.jsonl q.jsonl" '' '' "lp-label: sans.jsonl:3: unknown label \"x\" (spam-2 has spam, ok)\n"
}
tcase taxonomy.from-file queue taxonomy && { # its values and versions
	printf '{"id":"a","label":"junk"}\n{"id":"b","label":"ok"}\n{"id":"c","label":"spam"}\n' > sans.jsonl
	run "$TOOL" -q --plain --annotator t2 --taxonomy tax.json --answers sans.jsonl q.jsonl
	has out '"label":"spam","correction":null,"note":null,"time_to_label_ms":null,"at":1700000000000,"guidelines_version":"g-9","taxonomy_version":"spam-2"'
}
fx_reserved_key() { printf '{"version":"v","guidelines_version":"g","labels":[{"value":1,"key":"q","name":"x"}]}\n' > badtax.json; }
tcase taxonomy.reserved-key queue reserved_key && check 65 "--annotator t --taxonomy badtax.json --export q.jsonl" '' '' "lp-label: badtax.json: labels[0]: key 'q' is lp-label's own (reserved: cenpsuq?)\n"

# ---- adjudication ----
# alice: 4 1 skip; bob: 4 2 4; carol: 4 2 1 (fx_panel).
tcase adjudicate.one-record-per-id unanimous && lines adj.out 3
tcase adjudicate.labels-kept unanimous && { # every annotator's label
	record a adj.out
	grep -o '"annotator_id"' rec.a > ids.a
	lines ids.a 3
}
tcase adjudicate.unanimous-settles unanimous && { # by consensus
	record a adj.out
	has rec.a '"adjudication":{"label":4,"by":"consensus","method":"unanimous","at":1700000000000}'
}
tcase adjudicate.unanimous-contested unanimous && { # 1 against 2
	record b adj.out
	lacks rec.b adjudication
}
tcase adjudicate.counts unanimous && {
	has st.json '"contested":2'
	has st.json '"unanimous":1'
}
tcase adjudicate.majority-settles majority && { # 2 of 3
	record b maj.out
	has rec.b '"adjudication":{"label":2,"by":"consensus","method":"majority"'
}
tcase adjudicate.majority-tie-open majority && {
	record c maj.out
	lacks rec.c adjudication
}
tcase adjudicate.settled-by-consensus panel && { # nothing to adjudicate
	printf '{"id":"a","label":4}\n' > adj.ans
	check 65 "--adjudicate --annotator judy --answers adj.ans alice.jsonl bob.jsonl carol.jsonl" '' '' "lp-label: adj.ans:1: \"a\" is settled by consensus (unanimous); nothing to adjudicate\n"
}
tcase adjudicate.by-adjudicator panel && { # stored as adjudication, notes kept
	printf '{"id":"b","label":2,"note":"1 is the gold, but 2 fits"}\n{"id":"c","label":4}\n' > adj.ans
	run -o adj3.out "$TOOL" -q --plain --adjudicate --annotator judy3 --answers adj.ans alice.jsonl bob.jsonl carol.jsonl
	record c adj3.out
	has rec.c '"adjudication":{"label":4,"by":"judy3","method":"adjudicator","at":1700000000000}'
	has adj3.out '"method":"adjudicator","at":1700000000000,"note":"1 is the gold, but 2 fits"}'
}

# ---- the terminal, through a pseudo-terminal ----
# A whole session: hints, guide, a label, a correction in CJK, a note,
# a skip; time to label counted; the terminal given back.
tcase tty.session queue && {
	cat > t1 << 'EOF'
wait item 1 of 3
wait Apple iPhone 13 128GB NEW!!
wait 苹果 iPhone 13 128GB
wait 3 minor issues   confidence 0.72
wait word order
wait questionable
absent GOLDANSWER
send x
wait 'x' does nothing here; ? shows the guide
mark
send ?
wait Guide
wait Correct and natural
wait accept: the same as 4 correct
send z
wait item 1 of 3
mark
send c
wait Correction:
send \x7f\x7f\x7f\x7f\x7f手机\r
wait 苹果 iPhone 13 手机
send n
wait Note:
send capacity dropped\r
wait capacity dropped
sleep 300
send 2
wait item 2 of 3
wait (none: timeout after 3 tries)
absent GOLDANSWER
absent gold
send s
wait item 3 of 3
send a
exit 0
sane
EOF
	drive t1 -- "$TOOL" --annotator tina --plain -o t1.jsonl q.jsonl
	# The correction and note saved.
	has_label a t1.jsonl '"annotator_id":"tina","round":1,"status":"submitted","label":2,"correction":"苹果 iPhone 13 手机","note":"capacity dropped"'
	# Time to label measured (>= 300 ms).
	record a t1.jsonl
	grep -o '"time_to_label_ms":[0-9]*' rec.a > ttl.a
	nonempty ttl.a
	# shellcheck disable=SC2016 # awk fields
	holds awk -F: '{ exit !($2 >= 300 && $2 < 60000) }' ttl.a
	has_label b t1.jsonl skipped
	has_label c t1.jsonl '"label":4' # a shortcut
	has t1.tty "$(printf '\033\[7m')" # colours on a terminal
	has t1.tty "$(printf '\033\[?1049l')" # the alternate screen is left
}

# q stops: status 1, nothing written, how to resume; the same command
# resumes where it stopped; undo reaches back into the earlier run.
tcase tty.quit-resume-undo queue && {
	cat > t2 << 'EOF'
wait item 1 of 3
send 1
wait item 2 of 3
send q
exit 1
sane
EOF
	drive t2 -- "$TOOL" --annotator quinn --plain -o t2.jsonl q.jsonl
	has t2.tty 'stopped with 1 of 3 items decided; the same command resumes (session \.lp-label-quinn-'
	missing t2.jsonl
	cat > t3 << 'EOF'
wait item 2 of 3
wait (1 done)
send u
wait item 1 of 3
wait (0 done)
send 3
wait item 2 of 3
send 4
wait item 3 of 3
send 4
exit 0
EOF
	drive t3 -- "$TOOL" --annotator quinn --plain -o t2.jsonl q.jsonl
	labels a t2.jsonl > labels.a 2> /dev/null
	count labels.a quinn 1 # one label per item
	has_label a t2.jsonl '"label":3' # the last word counts
}

# Left and Right visit other items: a decided one shows its decision and
# is decided again by a key; undo brings the earlier decision back (not
# an open item); typing on an open item left behind stays as a draft.
tcase tty.move queue && {
	cat > t9 << 'EOF'
wait item 1 of 3
send 4
wait item 2 of 3
send 2
wait item 3 of 3
send \x1b[D
wait item 2 of 3
wait 2 major errors   (a label key or s decides it again)
send \x1b[D
wait item 1 of 3
wait 4 correct   (a label key or s decides it again)
send \x1b[D
wait this is the first item
send \x1b[C
wait item 2 of 3
send n
wait Note:
send second look\r
send 3
wait item 3 of 3
wait (2 done)
send u
wait item 2 of 3
wait 2 major errors   (a label key or s decides it again)
send \x1b[C
wait item 3 of 3
send c
wait Correction:
send 草稿\r
send \x1b[C
wait this is the last item
send \x1b[D
wait item 2 of 3
send \x1b[C
wait Draft
send 1
exit 0
sane
EOF
	drive t9 -- "$TOOL" --annotator nina --plain -o t9.jsonl q.jsonl
	# The first decision kept.
	has_label a t9.jsonl '"annotator_id":"nina","round":1,"status":"submitted","label":4'
	# Undo of a second look restores the first; one label per item.
	has_label b t9.jsonl '"label":2,"correction":null,"note":null'
	labels b t9.jsonl > labels.b 2> /dev/null
	count labels.b nina 1
	# The log replays to the same labels.
	run "$TOOL" -q --plain --annotator nina --export -o t9e.jsonl q.jsonl # the same directory: the same session
	has_label b t9e.jsonl '"label":2,"correction":null,"note":null'
	# A draft left behind, then decided without it.
	has_label c t9.jsonl '"label":1,"correction":null'
	# The session log has the second look and its undo.
	count .lp-label-nina-*.log '"id":"b"' 3
	has .lp-label-nina-*.log '"event":"draft","id":"c","correction":"USB 线 2 米草稿"'
}

# SIGKILL after a decision: the decision survives; resume shows item 2.
tcase tty.sigkill-resume queue && {
	cat > t4 << 'EOF'
wait item 1 of 3
send 4
wait item 2 of 3
kill KILL
exit KILL
EOF
	drive t4 -- "$TOOL" --annotator kim --plain -o t4.jsonl q.jsonl
	cat > t5 << 'EOF'
wait item 2 of 3
wait (1 done)
send 1
wait item 3 of 3
send 4
exit 0
EOF
	drive t5 -- "$TOOL" --annotator kim --plain -o t4.jsonl q.jsonl
	count t4.jsonl '"annotator_id":"kim"' 3 # nothing twice
	has_label a t4.jsonl '"label":4' # the decision made before it stands
}

# SIGTERM while a correction is typed: a draft, status 130, terminal
# back; the next run shows the draft.
tcase tty.sigterm-draft queue && {
	cat > t6 << 'EOF'
wait item 1 of 3
send c
wait Correction:
send \x15half done
wait half done
kill TERM
exit 130
sane
EOF
	drive t6 -- "$TOOL" --annotator dee --plain -o t6.jsonl q.jsonl
	has .lp-label-dee-*.log '"event":"draft","id":"a","correction":"half done"'
	cat > t7 << 'EOF'
wait Draft
wait half done
kill HUP
exit 130
sane
EOF
	drive t7 -- "$TOOL" --annotator dee --plain -o t6.jsonl q.jsonl
	# Export: a draft item says draft.
	run env LP_ANNOTATOR=dee "$TOOL" -q --plain --export -o t6.out q.jsonl
	has_label a t6.out '"status":"draft","label":null,"correction":"half done"'
}

# Resize: redrawn to the new width; a tiny window says what is cut; ^Z
# gives the terminal back, fg takes it again.
tcase tty.resize-suspend queue && {
	cat > t8 << 'EOF'
wait item 1 of 3
mark
resize 10x40
wait more than fits
mark
resize 30x100
wait item 1 of 3
kill TSTP
sleep 200
sane
mark
kill CONT
wait item 1 of 3
send 4
send 4
send 4
exit 0
EOF
	drive t8 -- "$TOOL" --annotator rosa --plain -o t8.jsonl q.jsonl
	# The header fills the new width.
	has t8.tty " lp-label  annotator rosa  round 1  item 1 of 3  (0 done) \{43\}$(printf '\033')"
}

# NO_COLOR: no colours and no video attributes.
tcase tty.no-color queue && {
	cat > t9 << 'EOF'
wait item 1 of 3
send q
exit 1
EOF
	drive t9 -- env NO_COLOR=1 "$TOOL" --annotator nico q.jsonl
	lacks t9.tty "$(printf '\033')\[[0-9;]*[1-9]m"
}

# ^C: status 130, terminal back, nothing written.
tcase tty.interrupt queue && {
	cat > t14 << 'EOF'
wait item 1 of 3
send \x03
exit 130
sane
EOF
	drive t14 -- "$TOOL" --annotator cici --plain -o t14.jsonl q.jsonl
	missing t14.jsonl
}

# A gap over --pause is a pause: flagged, and not counted as work.
tcase tty.pause queue && { # and the audit log has one event per decision
	cat > t15 << 'EOF'
wait item 1 of 3
sleep 1300
send 4
wait item 2 of 3
send s
send s
exit 0
EOF
	drive t15 -- "$TOOL" --annotator paula --pause 1 --audit audit.jsonl --plain -o t15.jsonl q.jsonl
	record a t15.jsonl
	# The gap counts up to --pause (1 s); only the rest is the pause.
	has rec.a '"paused":true,"paused_ms":[1-9][0-9]*[,}]'
	grep -o '"paused_ms":[0-9]*' rec.a > paused.a
	# shellcheck disable=SC2016 # awk fields
	holds awk -F: '{ exit !($2 < 1300) }' paused.a
	grep -o '"time_to_label_ms":[0-9]*' rec.a > ttl.a
	nonempty ttl.a
	# shellcheck disable=SC2016 # awk fields
	holds awk -F: '{ exit !($2 >= 1000) }' ttl.a # the capped gap counts
	count audit.jsonl '"event":"annotation"' 3
}

# $EDITOR edits the correction.
tcase tty.editor queue && { # the editor's text is the correction
	cat > t10 << 'EOF'
wait item 1 of 3
mark
send e
wait Correction
wait 苹果 IPHONE 13 128GB
send 3
send s
send s
exit 0
EOF
	drive t10 -- env "EDITOR=sed -i s/iPhone/IPHONE/" "$TOOL" --annotator ed --plain -o t10.jsonl q.jsonl
	has_label a t10.jsonl '"correction":"苹果 IPHONE 13 128GB"'
}

# Blind: another annotator's labels stay hidden unless --show-labels.
tcase tty.blind alice && {
	cat > t11 << 'EOF'
wait item 1 of 3
absent alice:
send q
exit 1
EOF
	drive t11 -- "$TOOL" --annotator zed alice.jsonl
}
tcase tty.show-labels alice && {
	cat > t12 << 'EOF'
wait alice: 4 correct
send q
exit 1
EOF
	drive t12 -- "$TOOL" --annotator zed2 --show-labels alice.jsonl
}

# Adjudication on the screen: each annotator's label side by side.
tcase tty.adjudicate panel && { # decisions stored
	cat > t13 << 'EOF'
wait adjudicator judy4
wait item 1 of 2
wait alice: 1 wrong; note: no translation to judge
wait bob: 2 major errors
wait carol: 2 major errors
send 1
wait item 2 of 2
wait alice: (no label)
wait bob: 4 correct
wait carol: 1 wrong
send 4
exit 0
sane
EOF
	drive t13 -- "$TOOL" --adjudicate --annotator judy4 --plain -o t13.jsonl alice.jsonl bob.jsonl carol.jsonl
	record b t13.jsonl
	has rec.b '"adjudication":{"label":1,"by":"judy4","method":"adjudicator"'
}

finish

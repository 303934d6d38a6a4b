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

USAGE="usage: lp-label [-qv] [-o file] --annotator id [--round n] [--taxonomy file]\n       [--session file] [--answers file | --export] [--pause s]\n       [--show-labels] [file ...]\n       lp-label --adjudicate --annotator id [--consensus rule] file ...\nTry 'lp-label --help' for more information.\n"

plain() { "$TOOL" -q --plain "$@"; }
# labels ID FILE: the label entries of record ID, one per line.
labels() { grep "\"id\":\"$1\"" "$2" | grep -o '"annotator_id":"[^"]*","round":[0-9]*,"status":"[a-z]*","label":[^,]*,"correction":[^,]*,"note":[^,]*' ; }
# label_has ID FILE PATTERN: a label entry of record ID matches PATTERN.
label_has() {
	labels "$1" "$2" > "$2.labels.$1"
	has "$2.labels.$1" "$3"
}
# record ID FILE: the line of record ID.
record() { grep "\"id\":\"$1\"" "$2"; }

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
fx_answers() { # ans.jsonl: alice's answers (4, reject, skipped)
	cat > ans.jsonl << 'EOF'
{"id":"a","label":4,"time_to_label_ms":1200}
{"id":"b","label":"reject","note":"no translation to judge"}

{"id":"c","status":"skipped"}
EOF
}
fx_alice() { # alice.jsonl: the queue labelled by alice, her session log
	needs queue answers &&
	    LP_ANNOTATOR=alice plain --answers ans.jsonl q.jsonl > alice.jsonl
}
fx_labelled() { # bob.jsonl and carol.jsonl too: 4 2 4 and 4 2 1
	needs alice &&
	    printf '{"id":"a","label":4}\n{"id":"b","label":2}\n{"id":"c","label":4}\n' > bob.ans &&
	    printf '{"id":"a","label":4}\n{"id":"b","label":2}\n{"id":"c","label":1}\n' > carol.ans &&
	    plain --annotator bob --answers bob.ans q.jsonl > bob.jsonl &&
	    plain --annotator carol --answers carol.ans q.jsonl > carol.jsonl
}
fx_partial() { # part.out: carl's label for a alone
	needs queue &&
	    printf '{"id":"a","label":3}\n' > part.jsonl
	LP_ANNOTATOR=carl plain --answers part.jsonl q.jsonl > part.out 2> part.err
	[ $? = 1 ]
}
fx_taxonomy() { # tax.json: a taxonomy of its own
	cat > tax.json << 'EOF'
{"version":"spam-2","guidelines_version":"g-9","labels":[{"value":"spam","key":"x","name":"junk","definition":"not a listing"},{"value":"ok","key":"o","name":"fine","definition":"a listing"}]}
EOF
}

# drive NAME [ptydrive options] -- command...: run the ptydrive script
# NAME; its transcript is NAME.tty.
drive() {
	name=$1
	shift
	if "$DRIVE" -t "$name.tty" "$@" > "$name.drive" 2>&1; then
		pass
	else
		fail "pty script $name"
		sed 's/^/    /' "$name.drive"
	fi
}

# ---- usage ----
tcase usage.help && { # usage on stdout, status 0, 80 columns
	run "$TOOL" --help
	status_is 0
	has out '--annotator=ID'
	awk 'length > 80' out > wide
	empty wide
}
tcase usage.no-annotator queue && check 2 "q.jsonl" '' '' "lp-label: --annotator ID (or LP_ANNOTATOR) is required: every label says who gave it\n$USAGE"
tcase usage.bad-annotator queue && check 2 "--annotator 'a b' q.jsonl" '' '' "lp-label: invalid annotator 'a b' (1 to 64 of A-Z a-z 0-9 . _ @ + -, not starting with '.' or '-')\n$USAGE"
tcase usage.consensus-alone queue && check 2 "--annotator a --consensus majority q.jsonl" '' '' "lp-label: --consensus goes with --adjudicate\n$USAGE"
tcase usage.bad-consensus queue && check 2 "--annotator a --adjudicate --consensus most q.jsonl" '' '' "lp-label: invalid --consensus 'most' (want unanimous or majority)\n$USAGE"
# No terminal: a clear error, status 2, before any work.
tcase usage.no-terminal queue && {
	run setsid -w "$TOOL" --annotator a q.jsonl
	status_is 2
	has err "lp-label: no terminal (/dev/tty): .*; --answers FILE labels without one"
	missing .lp-label               # no session begun
}

# ---- answers ----
tcase answers.apply queue answers && {
	run -o alice.jsonl env LP_ANNOTATOR=alice "$TOOL" -q --plain --answers ans.jsonl q.jsonl
	status_is 0                     # all are decided
	lines alice.jsonl 3             # every record out
	# A label with who, round, status, time and versions.
	has alice.jsonl '"labels":\[{"annotator_id":"alice","round":1,"status":"submitted","label":4,"correction":null,"note":null,"time_to_label_ms":1200,"at":1700000000000,"guidelines_version":"guide-1","taxonomy_version":"taxonomy-1"}\]'
	# A shortcut name stands for its label.
	label_has b alice.jsonl '"label":1,"correction":null,"note":"no translation to judge"'
	label_has c alice.jsonl '"status":"skipped","label":null'   # a skip has no label
	has alice.jsonl '"gold":{"label":1,"secret":"GOLDANSWER"}'  # gold kept for lp-kpi
	cat .lp-label/alice-*.log > session.log                    # the session log
	count session.log '"event":"decision"' 3
}
# The same answers again: nothing twice, the same output.
tcase answers.again alice && {
	run -o again.jsonl env LP_ANNOTATOR=alice "$TOOL" -q --plain --answers ans.jsonl --stats st.json q.jsonl
	same alice.jsonl again.jsonl    # byte-identical output
	has st.json '"already_decided":3'
	cat .lp-label/alice-*.log > session.log     # no decision logged twice
	count session.log '"event":"decision"' 3
}

# Bad answers: file and line, status 65, nothing applied.
tcase answers.unknown-label queue && {
	printf '{"id":"a","label":2}\n{"id":"c","label":5}\n' > bad.jsonl
	check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:2: unknown label 5 (taxonomy-1 has 1, 2, 3, 4, accept, reject)\n"
	cat .lp-label/bad-*.log > session.log       # nothing applied
	lacks session.log '"event":"decision"'
}
tcase answers.not-in-queue queue && {
	printf '{"id":"zz","label":2}\n' > bad.jsonl
	check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:1: id \"zz\" is not in the queue\n"
}
tcase answers.twice queue && {
	printf '{"id":"a","label":2}\n{"id":"a","label":3}\n' > bad.jsonl
	check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:2: a second answer for \"a\" (the first is on line 1)\n"
}
tcase answers.bad-json queue && {
	printf '{"id":"a","label":2\n' > bad.jsonl
	check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:1: not a JSON object: '}' expected near end of file\n"
}
tcase answers.bad-status queue && {
	printf '{"id":"a","label":2,"status":"done"}\n' > bad.jsonl
	check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:1: \"status\" must be \"submitted\" or \"skipped\"\n"
}
tcase answers.bad-note queue && {
	printf '{"id":"a","label":2,"note":7}\n' > bad.jsonl
	check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:1: \"correction\" and \"note\" must be strings\n"
}
tcase answers.missing-file queue && check 74 "--annotator bad --answers nope.jsonl q.jsonl" '' '' "lp-label: nope.jsonl: No such file or directory\n"

# Part of the queue: the decided part goes out, status 1, and a warning.
tcase partial.answers queue && {
	printf '{"id":"a","label":3}\n' > part.jsonl
	run -o part.out env LP_ANNOTATOR=carl "$TOOL" -q --plain --answers part.jsonl q.jsonl
	status_is 1
	has err 'lp-label: 2 of 3 items are not decided yet; their records carry no decision of carl'
	lines part.out 3                # every record still out
	count part.out '"labels"' 1     # only the decided one labelled
}
# --export writes what the session holds.
tcase partial.export partial && { # the same as after the answers
	run -o exp.out -e /dev/null env LP_ANNOTATOR=carl "$TOOL" -q --plain --export q.jsonl
	same part.out exp.out
}

# Bad queues: records without an id, the same id twice.
tcase queue.no-id && {
	printf '{"id":"a"}\n{"title":"x"}\n' > noid.jsonl
	check 65 "--plain --annotator a --export noid.jsonl" '' '' "lp-label: noid.jsonl:2: no \"id\" (labels are joined to records by id)\nlp-label: 2 in, 0 out in T\n"
}
tcase queue.id-twice && {
	printf '{"id":"a"}\n{"id":"a"}\n' > twice.jsonl
	check 65 "--plain --annotator a --export twice.jsonl" '' '' "lp-label: twice.jsonl:2: a second record with id \"a\"\nlp-label: 2 in, 0 out in T\n"
}
# Routing: records assigned to others are not this annotator's.
tcase queue.routing && { # only the items assigned to eve, the others counted
	printf '{"id":"x","sample":{"assignees":["dora","eve"]}}\n{"id":"y","sample":{"assignees":["fay"]}}\n' > routed.jsonl
	run -e /dev/null env LP_ANNOTATOR=eve "$TOOL" -q --plain --export --stats st.json routed.jsonl
	has out '"id":"x"'
	lacks out '"id":"y"'
	has st.json '"not_assigned":1'
}

# ---- the session log ----
tcase session.torn-line alice && { # recovered, status 0, reported
	log=$(ls .lp-label/alice-*.log)
	printf '{"event":"decision","id":"c","sta' >> "$log"
	run -o torn.out env LP_ANNOTATOR=alice "$TOOL" -q --plain --export q.jsonl
	status_is 0
	has err "lp-label: $log: the last line was cut short (a crash while saving); it is dropped"
	same alice.jsonl torn.out       # the decisions before it stand
}
tcase session.damaged alice && {
	log=$(ls .lp-label/alice-*.log)
	cp "$log" damaged.log
	sed -i '2s/.*/garbage/' damaged.log
	check 65 "--annotator alice --session damaged.log --export q.jsonl" '' '' "lp-label: damaged.log:2: not a session event (the log is damaged before its end; lp-label will not guess)\n"
}
tcase session.other-queue alice && {
	log=$(ls .lp-label/alice-*.log)
	head -1 q.jsonl > one.jsonl
	check 65 "--annotator alice --session $log --export one.jsonl" '' '' "lp-label: $log:1: this session is for another queue (other items or order); give another --session\n"
}
tcase session.in-use alice && {
	log=$(ls .lp-label/alice-*.log)
	flock "$log" sleep 3 &
	sleep 0.3
	check 74 "--annotator alice --export q.jsonl" '' '' "lp-label: $log: in use by another lp-label\n"
	wait
}

# ---- taxonomies ----
tcase taxonomy.unknown-label queue taxonomy && {
	printf '{"id":"a","label":"junk"}\n{"id":"b","label":"ok"}\n{"id":"c","label":"x"}\n' > sans.jsonl
	check 65 "--annotator t --taxonomy tax.json --answers sans.jsonl q.jsonl" '' '' "lp-label: sans.jsonl:3: unknown label \"x\" (spam-2 has spam, ok)\n"
}
tcase taxonomy.file queue taxonomy && { # its values and versions
	printf '{"id":"a","label":"junk"}\n{"id":"b","label":"ok"}\n{"id":"c","label":"spam"}\n' > sans.jsonl
	run plain --annotator t2 --taxonomy tax.json --answers sans.jsonl q.jsonl
	has out '"label":"spam","correction":null,"note":null,"time_to_label_ms":null,"at":1700000000000,"guidelines_version":"g-9","taxonomy_version":"spam-2"'
}
tcase taxonomy.reserved-key queue && {
	printf '{"version":"v","guidelines_version":"g","labels":[{"value":1,"key":"q","name":"x"}]}\n' > badtax.json
	check 65 "--annotator t --taxonomy badtax.json --export q.jsonl" '' '' "lp-label: badtax.json: labels[0]: key 'q' is lp-label's own (reserved: cenpsuq?)\n"
}

# ---- adjudication ----
# alice: 4 1 skip, bob: 4 2 4, carol: 4 2 1 (fixture labelled).
tcase adjudicate.unanimous labelled && {
	run -e /dev/null plain --adjudicate --annotator judy --export --stats st.json alice.jsonl bob.jsonl carol.jsonl
	lines out 3                     # one record per id
	record a out | grep -o '"annotator_id"' > a.ids
	lines a.ids 3                   # every annotator's label kept
	# Unanimous settles by consensus.
	record a out > a.rec
	has a.rec '"adjudication":{"label":4,"by":"consensus","method":"unanimous","at":1700000000000}'
	# 1 against 2 is contested under unanimous.
	record b out > b.rec
	lacks b.rec adjudication
	has st.json '"contested":2'
	has st.json '"unanimous":1'
}
tcase adjudicate.majority labelled && {
	run -e /dev/null plain --adjudicate --consensus majority --annotator judy2 --export alice.jsonl bob.jsonl carol.jsonl
	record b out > b.rec            # 2 of 3 settle
	has b.rec '"adjudication":{"label":2,"by":"consensus","method":"majority"'
	record c out > c.rec            # a tie stays open
	lacks c.rec adjudication
}
tcase adjudicate.settled labelled && {
	printf '{"id":"a","label":4}\n' > adj.ans
	check 65 "--adjudicate --annotator judy --answers adj.ans alice.jsonl bob.jsonl carol.jsonl" '' '' "lp-label: adj.ans:1: \"a\" is settled by consensus (unanimous); nothing to adjudicate\n"
}
tcase adjudicate.adjudicator labelled && { # decisions stored as adjudication, notes kept
	printf '{"id":"b","label":2,"note":"1 is the gold, but 2 fits"}\n{"id":"c","label":4}\n' > adj.ans
	run plain --adjudicate --annotator judy3 --answers adj.ans alice.jsonl bob.jsonl carol.jsonl
	record c out > c.rec
	has c.rec '"adjudication":{"label":4,"by":"judy3","method":"adjudicator","at":1700000000000}'
	has out '"method":"adjudicator","at":1700000000000,"note":"1 is the gold, but 2 fits"}'
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
	drive t1 t1 -- "$TOOL" --annotator tina --plain -o t1.jsonl q.jsonl
	# The correction and note saved.
	label_has a t1.jsonl '"annotator_id":"tina","round":1,"status":"submitted","label":2,"correction":"苹果 iPhone 13 手机","note":"capacity dropped"'
	# Time to label measured (>= 300 ms).
	record a t1.jsonl | grep -o '"time_to_label_ms":[0-9]*' > ttl
	nonempty ttl
	holds awk -F: '{ exit !($2 >= 300 && $2 < 60000) }' ttl
	label_has b t1.jsonl skipped                        # a skip
	label_has c t1.jsonl '"label":4'                    # a shortcut
	has t1.tty "$(printf '\033\[7m')"                 # colours on a terminal
	has t1.tty "$(printf '\033\[?1049l')"             # the alternate screen is left
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
	drive t2 t2 -- "$TOOL" --annotator quinn --plain -o t2.jsonl q.jsonl
	has t2.tty 'stopped with 1 of 3 items decided; the same command resumes (session .lp-label/quinn-'
	missing t2.jsonl                # no output written
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
	drive t3 t3 -- "$TOOL" --annotator quinn --plain -o t2.jsonl q.jsonl
	labels a t2.jsonl | grep -c quinn > n
	file_is n 1                     # one label per item
	label_has a t2.jsonl '"label":3'    # the last word counts
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
	drive t9 t9 -- "$TOOL" --annotator nina --plain -o t9.jsonl q.jsonl
	# The first decision kept.
	label_has a t9.jsonl '"annotator_id":"nina","round":1,"status":"submitted","label":4'
	# Undo of a second look restores the first.
	label_has b t9.jsonl '"label":2,"correction":null,"note":null'
	labels b t9.jsonl | grep -c nina > n
	file_is n 1                     # one label per item
	run plain --annotator nina --export q.jsonl
	label_has b out '"label":2,"correction":null,"note":null'  # the log replays to the same
	# A draft left behind, then decided without it.
	label_has c t9.jsonl '"label":1,"correction":null'
	# The session log has the second look and its undo.
	cat .lp-label/nina-*.log > session.log
	count session.log '"id":"b"' 3
	has session.log '"event":"draft","id":"c","correction":"USB 线 2 米草稿"'
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
	drive t4 t4 -- "$TOOL" --annotator kim --plain -o t4.jsonl q.jsonl
	cat > t5 << 'EOF'
wait item 2 of 3
wait (1 done)
send 1
wait item 3 of 3
send 4
exit 0
EOF
	drive t5 t5 -- "$TOOL" --annotator kim --plain -o t4.jsonl q.jsonl
	count t4.jsonl '"annotator_id":"kim"' 3     # nothing twice
	label_has a t4.jsonl '"label":4'            # the decision made before it stands
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
	drive t6 t6 -- "$TOOL" --annotator dee --plain -o t6.jsonl q.jsonl
	cat .lp-label/dee-*.log > session.log       # the draft is in the session
	has session.log '"event":"draft","id":"a","correction":"half done"'
	cat > t7 << 'EOF'
wait Draft
wait half done
kill HUP
exit 130
sane
EOF
	drive t7 t7 -- "$TOOL" --annotator dee --plain -o t6.jsonl q.jsonl
	run -o t6.out -e /dev/null env LP_ANNOTATOR=dee "$TOOL" -q --plain --export q.jsonl
	label_has a t6.out '"status":"draft","label":null,"correction":"half done"'  # export says draft
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
	drive t8 t8 -- "$TOOL" --annotator rosa --plain -o t8.jsonl q.jsonl
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
	NO_COLOR=1 drive t9 t9 -- "$TOOL" --annotator nico q.jsonl
	lacks t9.tty "$(printf '\033')\[[0-9;]*[1-9]m"
}

# ^C: status 130, terminal back, nothing written.
tcase tty.ctrl-c queue && {
	cat > t14 << 'EOF'
wait item 1 of 3
send \x03
exit 130
sane
EOF
	drive t14 t14 -- "$TOOL" --annotator cici --plain -o t14.jsonl q.jsonl
	missing t14.jsonl
}

# A gap over --pause is a pause: flagged, and not counted as work.
tcase tty.pause queue && {
	cat > t15 << 'EOF'
wait item 1 of 3
sleep 1300
send 4
wait item 2 of 3
send s
send s
exit 0
EOF
	drive t15 t15 -- "$TOOL" --annotator paula --pause 1 --audit audit.jsonl --plain -o t15.jsonl q.jsonl
	record a t15.jsonl > a.rec
	has a.rec '"paused":true,"paused_ms":1[0-9][0-9][0-9]'     # flagged with its length
	grep -o '"time_to_label_ms":[0-9]*' a.rec > ttl            # not in the time to label
	nonempty ttl
	holds awk -F: '{ exit !($2 < 1000) }' ttl
	count audit.jsonl '"event":"annotation"' 3                 # one audit event per decision
}

# $EDITOR edits the correction.
tcase tty.editor queue && {
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
	EDITOR="sed -i s/iPhone/IPHONE/" drive t10 t10 -- "$TOOL" --annotator ed --plain -o t10.jsonl q.jsonl
	label_has a t10.jsonl '"correction":"苹果 IPHONE 13 128GB"'
}

# Blind: another annotator's labels stay hidden unless --show-labels.
tcase tty.blind alice && {
	cat > t11 << 'EOF'
wait item 1 of 3
absent alice:
send q
exit 1
EOF
	drive t11 t11 -- "$TOOL" --annotator zed alice.jsonl
}
tcase tty.show-labels alice && {
	cat > t12 << 'EOF'
wait alice: 4 correct
send q
exit 1
EOF
	drive t12 t12 -- "$TOOL" --annotator zed2 --show-labels alice.jsonl
}

# Adjudication on the screen: each annotator's label side by side.
tcase tty.adjudicate labelled && {
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
	drive t13 t13 -- "$TOOL" --adjudicate --annotator judy4 --plain -o t13.jsonl alice.jsonl bob.jsonl carol.jsonl
	record b t13.jsonl > b.rec      # decisions stored
	has b.rec '"adjudication":{"label":1,"by":"judy4","method":"adjudicator"'
}
tcase help.man-agree && help_man_agree "$MAN"

finish

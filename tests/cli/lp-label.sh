#!/bin/sh
# CLI tests of lp-label: answers and export without a terminal, then the
# interactive path through a pseudo-terminal (tests/ptydrive).
. "$(dirname "$0")/lib.sh"
TOOL=${LP_TOOLDIR:-$LP_BINDIR}/lp-label
MAN=$(dirname "$0")/../../man/lp-label.1
DRIVE=$LP_BINDIR/ptydrive
unset LP_ANNOTATOR VISUAL EDITOR

USAGE="usage: lp-label [-qv] [-o file] --annotator id [--round n] [--taxonomy file]\n       [--session file] [--answers file | --export] [--pause s]\n       [--show-labels] [file ...]\n       lp-label --adjudicate --annotator id [--consensus rule] file ...\nTry 'lp-label --help' for more information.\n"

# The queue: a cleaned title with its original, a failed translation on a
# gold item (its answer must never show), a plain one, a wide one.
cat > q.jsonl << 'EOF'
{"id":"a","title":"apple iphone 13 128gb","raw":{"title":"Apple iPhone 13 128GB NEW!!"},"translation":{"text":"苹果 iPhone 13 128GB"},"rating":{"score":3,"confidence":0.72,"rationale":"word order"},"sample":{"reason":["questionable"]}}
{"id":"b","title":"samsung tv 55 in","translation":{"error":"timeout after 3 tries"},"gold":{"label":1,"secret":"GOLDANSWER"},"sample":{"reason":["random"]}}
{"id":"c","title":"usb cable 2 m","translation":{"text":"USB 线 2 米"},"rating":{"score":4,"confidence":0.91}}
EOF
plain() { "$TOOL" -q --plain "$@"; }
# labels ID FILE: the label entries of record ID, one per line.
labels() { grep "\"id\":\"$1\"" "$2" | grep -o '"annotator_id":"[^"]*","round":[0-9]*,"status":"[a-z]*","label":[^,]*,"correction":[^,]*,"note":[^,]*' ; }
# has ID FILE PATTERN: a label entry of record ID matches PATTERN.
has() { labels "$1" "$2" | grep -q -- "$3"; }

# ---- usage ----
"$TOOL" --help > help.txt
expect '--help: usage on stdout, status 0' grep -q -- '--annotator=ID' help.txt
expect '--help fits 80 columns' sh -c "! awk 'length > 80' help.txt | grep -q ."
check 2 "q.jsonl" '' '' "lp-label: --annotator ID (or LP_ANNOTATOR) is required: every label says who gave it\n$USAGE"
check 2 "--annotator 'a b' q.jsonl" '' '' "lp-label: invalid annotator 'a b' (1 to 64 of A-Z a-z 0-9 . _ @ + -, not starting with '.' or '-')\n$USAGE"
check 2 "--annotator a --consensus majority q.jsonl" '' '' "lp-label: --consensus goes with --adjudicate\n$USAGE"
check 2 "--annotator a --adjudicate --consensus most q.jsonl" '' '' "lp-label: invalid --consensus 'most' (want unanimous or majority)\n$USAGE"
# No terminal: a clear error, status 2, before any work.
setsid -w "$TOOL" --annotator a q.jsonl > out.txt 2> err.txt
expect 'no terminal: status 2' test $? = 2
expect 'no terminal: says so and what to do' grep -q "lp-label: no terminal (/dev/tty): .*; --answers FILE labels without one" err.txt
expect 'no terminal: no session begun' test ! -e .lp-label

# ---- answers ----
cat > ans.jsonl << 'EOF'
{"id":"a","label":4,"time_to_label_ms":1200}
{"id":"b","label":"reject","note":"no translation to judge"}

{"id":"c","status":"skipped"}
EOF
LP_ANNOTATOR=alice plain --answers ans.jsonl q.jsonl > alice.jsonl
expect 'answers: status 0 when all are decided' test $? = 0
expect 'answers: every record out' test "$(wc -l < alice.jsonl)" = 3
expect 'answers: a label with who, round, status, time and versions' grep -q '"labels":\[{"annotator_id":"alice","round":1,"status":"submitted","label":4,"correction":null,"note":null,"time_to_label_ms":1200,"at":1700000000000,"guidelines_version":"guide-1","taxonomy_version":"taxonomy-1"}\]' alice.jsonl
expect 'answers: a shortcut name stands for its label' has b alice.jsonl '"label":1,"correction":null,"note":"no translation to judge"'
expect 'answers: a skip has no label' has c alice.jsonl '"status":"skipped","label":null'
expect 'answers: gold kept for lp-kpi' grep -q '"gold":{"label":1,"secret":"GOLDANSWER"}' alice.jsonl
expect 'session log written' sh -c "[ \$(grep -c '\"event\":\"decision\"' .lp-label/alice-*.log) = 3 ]"
# The same answers again: nothing twice, the same output.
LP_ANNOTATOR=alice plain --answers ans.jsonl --stats st.json q.jsonl > again.jsonl
expect 'answers again: byte-identical output' cmp -s alice.jsonl again.jsonl
expect 'answers again: counted as already decided' grep -q '"already_decided":3' st.json
expect 'answers again: no decision logged twice' sh -c "[ \$(grep -c '\"event\":\"decision\"' .lp-label/alice-*.log) = 3 ]"

# Bad answers: file and line, status 65, nothing applied.
printf '{"id":"a","label":2}\n{"id":"c","label":5}\n' > bad.jsonl
check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:2: unknown label 5 (taxonomy-1 has 1, 2, 3, 4, accept, reject)\n"
expect 'bad answers: nothing applied' sh -c "! grep -q '\"event\":\"decision\"' .lp-label/bad-*.log"
printf '{"id":"zz","label":2}\n' > bad.jsonl
check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:1: id \"zz\" is not in the queue\n"
printf '{"id":"a","label":2}\n{"id":"a","label":3}\n' > bad.jsonl
check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:2: a second answer for \"a\" (the first is on line 1)\n"
printf '{"id":"a","label":2\n' > bad.jsonl
check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:1: not a JSON object: '}' expected near end of file\n"
printf '{"id":"a","label":2,"status":"done"}\n' > bad.jsonl
check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:1: \"status\" must be \"submitted\" or \"skipped\"\n"
printf '{"id":"a","label":2,"note":7}\n' > bad.jsonl
check 65 "--annotator bad --answers bad.jsonl q.jsonl" '' '' "lp-label: bad.jsonl:1: \"correction\" and \"note\" must be strings\n"
check 74 "--annotator bad --answers nope.jsonl q.jsonl" '' '' "lp-label: nope.jsonl: No such file or directory\n"

# Part of the queue: the decided part goes out, status 1, and a warning.
printf '{"id":"a","label":3}\n' > part.jsonl
LP_ANNOTATOR=carl plain --answers part.jsonl q.jsonl > part.out 2> err.txt
expect 'partial: status 1' test $? = 1
expect 'partial: says how many are open' grep -q 'lp-label: 2 of 3 items are not decided yet; their records carry no decision of carl' err.txt
expect 'partial: every record still out' test "$(wc -l < part.out)" = 3
expect 'partial: only the decided one labelled' test "$(grep -c '"labels"' part.out)" = 1
# --export writes what the session holds.
LP_ANNOTATOR=carl plain --export q.jsonl > exp.out 2> /dev/null
expect '--export: the same as after the answers' cmp -s part.out exp.out

# Bad queues: records without an id, the same id twice.
printf '{"id":"a"}\n{"title":"x"}\n' > noid.jsonl
check 65 "--plain --annotator a --export noid.jsonl" '' '' "lp-label: noid.jsonl:2: no \"id\" (labels are joined to records by id)\nlp-label: 2 in, 0 out in T\n"
printf '{"id":"a"}\n{"id":"a"}\n' > twice.jsonl
check 65 "--plain --annotator a --export twice.jsonl" '' '' "lp-label: twice.jsonl:2: a second record with id \"a\"\nlp-label: 2 in, 0 out in T\n"
# Routing: records assigned to others are not this annotator's.
printf '{"id":"x","sample":{"assignees":["dora","eve"]}}\n{"id":"y","sample":{"assignees":["fay"]}}\n' > routed.jsonl
LP_ANNOTATOR=eve plain --export --stats st.json routed.jsonl > routed.out 2> /dev/null
expect 'routing: only the items assigned to eve' sh -c "grep -q '\"id\":\"x\"' routed.out && ! grep -q '\"id\":\"y\"' routed.out"
expect 'routing: counted' grep -q '"not_assigned":1' st.json

# ---- the session log ----
log=$(ls .lp-label/alice-*.log)
printf '{"event":"decision","id":"c","sta' >> "$log"
LP_ANNOTATOR=alice plain --export q.jsonl > torn.out 2> err.txt
expect 'torn last line: recovered, status 0' test $? = 0
expect 'torn last line: reported' grep -q "lp-label: $log: the last line was cut short (a crash while saving); it is dropped" err.txt
expect 'torn last line: the decisions before it stand' cmp -s alice.jsonl torn.out
cp "$log" damaged.log
sed -i '2s/.*/garbage/' damaged.log
check 65 "--annotator alice --session damaged.log --export q.jsonl" '' '' "lp-label: damaged.log:2: not a session event (the log is damaged before its end; lp-label will not guess)\n"
head -1 q.jsonl > one.jsonl
check 65 "--annotator alice --session $log --export one.jsonl" '' '' "lp-label: $log:1: this session is for another queue (other items or order); give another --session\n"
flock "$log" sleep 3 &
sleep 0.3
check 74 "--annotator alice --export q.jsonl" '' '' "lp-label: $log: in use by another lp-label\n"
wait

# ---- taxonomies ----
cat > tax.json << 'EOF'
{"version":"spam-2","guidelines_version":"g-9","labels":[{"value":"spam","key":"x","name":"junk","definition":"not a listing"},{"value":"ok","key":"o","name":"fine","definition":"a listing"}]}
EOF
printf '{"id":"a","label":"junk"}\n{"id":"b","label":"ok"}\n{"id":"c","label":"x"}\n' > sans.jsonl
check 65 "--annotator t --taxonomy tax.json --answers sans.jsonl q.jsonl" '' '' "lp-label: sans.jsonl:3: unknown label \"x\" (spam-2 has spam, ok)\n"
printf '{"id":"a","label":"junk"}\n{"id":"b","label":"ok"}\n{"id":"c","label":"spam"}\n' > sans.jsonl
plain --annotator t2 --taxonomy tax.json --answers sans.jsonl q.jsonl > tax.out
expect 'taxonomy from a file: its values and versions' grep -q '"label":"spam","correction":null,"note":null,"time_to_label_ms":null,"at":1700000000000,"guidelines_version":"g-9","taxonomy_version":"spam-2"' tax.out
printf '{"version":"v","guidelines_version":"g","labels":[{"value":1,"key":"q","name":"x"}]}\n' > badtax.json
check 65 "--annotator t --taxonomy badtax.json --export q.jsonl" '' '' "lp-label: badtax.json: labels[0]: key 'q' is lp-label's own (reserved: cenpsuq?)\n"

# ---- adjudication ----
# alice: 4 1 skip (above).  bob and carol, through answers:
printf '{"id":"a","label":4}\n{"id":"b","label":2}\n{"id":"c","label":4}\n' > bob.ans
printf '{"id":"a","label":4}\n{"id":"b","label":2}\n{"id":"c","label":1}\n' > carol.ans
plain --annotator bob --answers bob.ans q.jsonl > bob.jsonl
plain --annotator carol --answers carol.ans q.jsonl > carol.jsonl
plain --adjudicate --annotator judy --export --stats st.json alice.jsonl bob.jsonl carol.jsonl > adj.out 2> /dev/null
expect 'adjudicate: one record per id' test "$(wc -l < adj.out)" = 3
expect 'adjudicate: every annotator'"'"'s label kept' test "$(grep '"id":"a"' adj.out | grep -o '"annotator_id"' | wc -l)" = 3
expect 'adjudicate: unanimous settles by consensus' sh -c "grep '\"id\":\"a\"' adj.out | grep -q '\"adjudication\":{\"label\":4,\"by\":\"consensus\",\"method\":\"unanimous\",\"at\":1700000000000}'"
expect 'adjudicate: 1 against 2 is contested under unanimous' sh -c "! grep '\"id\":\"b\"' adj.out | grep -q adjudication"
expect 'adjudicate: counts' sh -c "grep -q '\"contested\":2' st.json && grep -q '\"unanimous\":1' st.json"
plain --adjudicate --consensus majority --annotator judy2 --export alice.jsonl bob.jsonl carol.jsonl > maj.out 2> /dev/null
expect 'adjudicate --consensus majority: 2 of 3 settle' sh -c "grep '\"id\":\"b\"' maj.out | grep -q '\"adjudication\":{\"label\":2,\"by\":\"consensus\",\"method\":\"majority\"'"
expect 'adjudicate --consensus majority: a tie stays open' sh -c "! grep '\"id\":\"c\"' maj.out | grep -q adjudication"
printf '{"id":"a","label":4}\n' > adj.ans
check 65 "--adjudicate --annotator judy --answers adj.ans alice.jsonl bob.jsonl carol.jsonl" '' '' "lp-label: adj.ans:1: \"a\" is settled by consensus (unanimous); nothing to adjudicate\n"
printf '{"id":"b","label":2,"note":"1 is the gold, but 2 fits"}\n{"id":"c","label":4}\n' > adj.ans
plain --adjudicate --annotator judy3 --answers adj.ans alice.jsonl bob.jsonl carol.jsonl > adj3.out
expect 'adjudicator decisions stored as adjudication' sh -c "grep '\"id\":\"c\"' adj3.out | grep -q '\"adjudication\":{\"label\":4,\"by\":\"judy3\",\"method\":\"adjudicator\",\"at\":1700000000000}'"
expect 'adjudicator notes kept' grep -q '"method":"adjudicator","at":1700000000000,"note":"1 is the gold, but 2 fits"}' adj3.out

# ---- the terminal, through a pseudo-terminal ----
drive() { # drive NAME [ptydrive options] -- command...
	name=$1
	shift
	if "$DRIVE" -t "$name.tty" "$@" > "$name.drive" 2>&1; then
		pass
	else
		fail "pty script $name"
		sed 's/^/    /' "$name.drive"
	fi
}

# A whole session: hints, guide, a label, a correction in CJK, a note,
# a skip; time to label counted; the terminal given back.
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
expect 'tty: the correction and note saved' has a t1.jsonl '"annotator_id":"tina","round":1,"status":"submitted","label":2,"correction":"苹果 iPhone 13 手机","note":"capacity dropped"'
expect 'tty: time to label measured (>= 300 ms)' sh -c "grep '\"id\":\"a\"' t1.jsonl | grep -o '\"time_to_label_ms\":[0-9]*' | awk -F: '{ exit !(\$2 >= 300 && \$2 < 60000) }'"
expect 'tty: a skip' has b t1.jsonl skipped
expect 'tty: a shortcut' has c t1.jsonl '"label":4'
expect 'tty: colours on a terminal' grep -q "$(printf '\033\[7m')" t1.tty
expect 'tty: the alternate screen is left' grep -q "$(printf '\033\[?1049l')" t1.tty

# q stops: status 1, nothing written, how to resume; the same command
# resumes where it stopped; undo reaches back into the earlier run.
cat > t2 << 'EOF'
wait item 1 of 3
send 1
wait item 2 of 3
send q
exit 1
sane
EOF
drive t2 t2 -- "$TOOL" --annotator quinn --plain -o t2.jsonl q.jsonl
expect 'q: says how to resume' grep -q 'stopped with 1 of 3 items decided; the same command resumes (session .lp-label/quinn-' t2.tty
expect 'q: no output written' test ! -e t2.jsonl
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
expect 'resume + undo: one label per item' test "$(labels a t2.jsonl | grep -c quinn)" = 1
expect 'resume + undo: the last word counts' has a t2.jsonl '"label":3'

# Left and Right visit other items: a decided one shows its decision and
# is decided again by a key; undo brings the earlier decision back (not
# an open item); typing on an open item left behind stays as a draft.
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
expect 'move: the first decision kept' has a t9.jsonl '"annotator_id":"nina","round":1,"status":"submitted","label":4'
expect 'move: undo of a second look restores the first' has b t9.jsonl '"label":2,"correction":null,"note":null'
expect 'move: one label per item' test "$(labels b t9.jsonl | grep -c nina)" = 1
plain --annotator nina --export q.jsonl > t9e.jsonl
expect 'move: the log replays to the same labels' has b t9e.jsonl '"label":2,"correction":null,"note":null'
expect 'move: a draft left behind, then decided without it' has c t9.jsonl '"label":1,"correction":null'
expect 'move: the session log has the second look and its undo' sh -c "grep -c '\"id\":\"b\"' .lp-label/nina-*.log | grep -qx 3 && grep -q '\"event\":\"draft\",\"id\":\"c\",\"correction\":\"USB 线 2 米草稿\"' .lp-label/nina-*.log"

# SIGKILL after a decision: the decision survives; resume shows item 2.
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
expect 'after SIGKILL: nothing twice' test "$(grep -c '"annotator_id":"kim"' t4.jsonl)" = 3
expect 'after SIGKILL: the decision made before it stands' has a t4.jsonl '"label":4'

# SIGTERM while a correction is typed: a draft, status 130, terminal
# back; the next run shows the draft.
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
expect 'SIGTERM: the draft is in the session' grep -q '"event":"draft","id":"a","correction":"half done"' .lp-label/dee-*.log
cat > t7 << 'EOF'
wait Draft
wait half done
kill HUP
exit 130
sane
EOF
drive t7 t7 -- "$TOOL" --annotator dee --plain -o t6.jsonl q.jsonl
LP_ANNOTATOR=dee plain --export q.jsonl > t6.out 2> /dev/null
expect 'export: a draft item says draft' has a t6.out '"status":"draft","label":null,"correction":"half done"'

# Resize: redrawn to the new width; a tiny window says what is cut; ^Z
# gives the terminal back, fg takes it again.
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
expect 'resize: the header fills the new width' grep -q " lp-label  annotator rosa  round 1  item 1 of 3  (0 done) \{43\}$(printf '\033')" t8.tty

# NO_COLOR: no colours and no video attributes.
cat > t9 << 'EOF'
wait item 1 of 3
send q
exit 1
EOF
NO_COLOR=1 drive t9 t9 -- "$TOOL" --annotator nico q.jsonl
expect 'NO_COLOR: no colour codes' sh -c "! grep -q '$(printf '\033')\[[0-9;]*[1-9]m' t9.tty"

# ^C: status 130, terminal back, nothing written.
cat > t14 << 'EOF'
wait item 1 of 3
send \x03
exit 130
sane
EOF
drive t14 t14 -- "$TOOL" --annotator cici --plain -o t14.jsonl q.jsonl
expect '^C: no output written' test ! -e t14.jsonl

# A gap over --pause is a pause: flagged, and not counted as work.
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
expect 'pause: flagged with its length' sh -c "grep '\"id\":\"a\"' t15.jsonl | grep -q '\"paused\":true,\"paused_ms\":1[0-9][0-9][0-9]'"
expect 'pause: not in the time to label' sh -c "grep '\"id\":\"a\"' t15.jsonl | grep -o '\"time_to_label_ms\":[0-9]*' | awk -F: '{ exit !(\$2 < 1000) }'"
expect 'audit: one event per decision' test "$(grep -c '"event":"annotation"' audit.jsonl)" = 3

# $EDITOR edits the correction.
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
expect 'e: the editor'"'"'s text is the correction' has a t10.jsonl '"correction":"苹果 IPHONE 13 128GB"'

# Blind: another annotator's labels stay hidden unless --show-labels.
cat > t11 << 'EOF'
wait item 1 of 3
absent alice:
send q
exit 1
EOF
drive t11 t11 -- "$TOOL" --annotator zed alice.jsonl
cat > t12 << 'EOF'
wait alice: 4 correct
send q
exit 1
EOF
drive t12 t12 -- "$TOOL" --annotator zed2 --show-labels alice.jsonl

# Adjudication on the screen: each annotator's label side by side.
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
expect 'adjudicator on the screen: decisions stored' sh -c "grep '\"id\":\"b\"' t13.jsonl | grep -q '\"adjudication\":{\"label\":1,\"by\":\"judy4\",\"method\":\"adjudicator\"'"

help_man_agree "$MAN"
finish

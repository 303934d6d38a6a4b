#!/bin/sh
# CLI tests of roles (guidelines/roles.json, --roles): lp-label and lp-kpi
# check the invoking account against the role it acts in, refuse
# self-adjudication and unapproved gates and taxonomies, and audit each
# refusal.  The roles files name the account the tests run as ($ME), or
# not.  Each "tcase" is one test (see lib.sh):
#   sh tests/cli/lp-roles.sh [-l | case-or-group ...]
. "$(dirname "$0")/lib.sh"
LABEL=${LP_TOOLDIR:-$LP_BINDIR}/lp-label
KPI=${LP_TOOLDIR:-$LP_BINDIR}/lp-kpi
ME=$(id -un)
unset LP_ANNOTATOR LP_ROLES VISUAL EDITOR

label() { "$LABEL" -q --plain "$@"; }

# Fixtures.
fx_queue() { # three items, and answers for them
	cat > q.jsonl << 'EOF'
{"id":"a","title":"apple iphone 13","translation":{"text":"x"}}
{"id":"b","title":"samsung tv","translation":{"text":"y"}}
{"id":"c","title":"usb cable","translation":{"text":"z"}}
EOF
	printf '{"id":"a","label":4}\n{"id":"b","label":2}\n{"id":"c","label":4}\n' > ans.jsonl
}
fx_roles() { # $ME in every role; alice is someone else's id, me2 is $ME's
	cat > roles.json << EOF
{"version":"roles-1","roles":{"annotator":{"users":["$ME"]},"adjudicator":{"users":["$ME"]},"taxonomy_owner":{"users":["$ME"]},"gate_owner":{"users":["$ME"]},"pipeline_operator":{"users":["$ME"]}},"annotators":{"alice":"someone-else","me2":"$ME"}}
EOF
	cat > nobody.json << EOF
{"version":"roles-1","roles":{"annotator":{"users":["nobody-x9"]},"adjudicator":{"users":["nobody-x9"]},"gate_owner":{"users":["nobody-x9"]},"taxonomy_owner":{"users":[]}}}
EOF
	cat > annotator-only.json << EOF
{"version":"roles-1","roles":{"annotator":{"users":["$ME"]}}}
EOF
}
fx_panel() { # bob: 4 2 4; carol: 4 2 1 (c contested); labelled unenforced
	needs queue || return 1
	printf '{"id":"a","label":4}\n{"id":"b","label":2}\n{"id":"c","label":1}\n' > carol.ans
	label --annotator bob --answers ans.jsonl q.jsonl > bob.jsonl &&
	    label --annotator carol --answers carol.ans q.jsonl > carol.jsonl &&
	    printf '{"id":"c","label":4}\n' > adj.ans
}
fx_mine() { # $ME's labels under roles (mine.jsonl): 4 2 4
	needs queue roles &&
	    label --roles roles.json --annotator "$ME" --answers ans.jsonl q.jsonl > mine.jsonl
}
fx_gates() { # gates the labels pass (g.json)
	printf '{"version":"g-1","gates":[{"metric":"records","op":">=","value":1}]}\n' > g.json
}

# Labelling.
tcase label.annotator-allowed queue roles && {
	run "$LABEL" -q --plain --roles roles.json --annotator "$ME" --answers ans.jsonl --audit a.log q.jsonl
	status_is 0
	count out '"annotator_id"' 3
	lacks a.log '"access_refused"'
}
tcase label.not-annotator-refused queue roles && {
	run "$LABEL" -q --plain --roles nobody.json --annotator "$ME" --answers ans.jsonl --audit a.log -o l.out q.jsonl
	status_is 1
	file_is err "lp-label: account '$ME' may not act as annotator (roles file 'nobody.json')"
	has a.log "\"event\":\"access_refused\".*\"reason\":\"account '$ME' may not act as annotator"
	has a.log '"event":"access_refused".*"role":"annotator"'
	missing l.out
}
tcase label.other-id-refused queue roles && { # alice is someone-else's
	run "$LABEL" -q --plain --roles roles.json --annotator alice --answers ans.jsonl --audit a.log q.jsonl
	status_is 1
	file_is err "lp-label: account '$ME' may not use annotator id 'alice' (it belongs to account 'someone-else' in 'roles.json')"
	has a.log "\"event\":\"access_refused\".*\"account\":\"$ME\""
}
tcase label.unmapped-id-refused queue roles && { # bob is bob's own
	run "$LABEL" -q --plain --roles roles.json --annotator bob --answers ans.jsonl q.jsonl
	status_is 1
	has err "may not use annotator id 'bob' (it belongs to account 'bob'"
}
tcase label.mapped-id-allowed queue roles && {
	run "$LABEL" -q --plain --roles roles.json --annotator me2 --answers ans.jsonl q.jsonl
	status_is 0
	count out '"annotator_id":"me2"' 3
}
tcase label.roles-from-env queue roles && {
	run env LP_ROLES=nobody.json "$LABEL" -q --plain --annotator "$ME" --answers ans.jsonl q.jsonl
	status_is 1
	has err "may not act as annotator (roles file 'nobody.json')"
}
tcase label.output-private queue && { # notes: a new -o file is 0600
	run "$LABEL" -q --plain --annotator x --answers ans.jsonl -o l.out q.jsonl
	status_is 0
	holds test "$(stat -c %a l.out)" = 600
	holds test "$(stat -c %a .lp-label-x-*.log)" = 600
}

# Adjudicating.
tcase adjudicate.allowed panel roles && {
	run "$LABEL" -q --plain --roles roles.json --adjudicate --annotator "$ME" --answers adj.ans --audit a.log bob.jsonl carol.jsonl
	status_is 0
	has out '"id":"c".*"adjudication":{[^}]*"by":"'"$ME"'"'
	lacks a.log access_refused
}
tcase adjudicate.not-adjudicator-refused panel roles && {
	run "$LABEL" -q --plain --roles annotator-only.json --adjudicate --annotator "$ME" --answers adj.ans --audit a.log bob.jsonl carol.jsonl
	status_is 1
	file_is err "lp-label: account '$ME' may not act as adjudicator (roles file 'annotator-only.json')"
	has a.log '"event":"access_refused".*"role":"adjudicator"'
}
tcase adjudicate.self-refused panel mine && { # $ME labelled c (4 vs carol's 1)
	run "$LABEL" -q --plain --roles roles.json --adjudicate --annotator "$ME" --answers adj.ans --audit a.log -o adj.out mine.jsonl carol.jsonl
	status_is 1
	file_is err "lp-label: account '$ME' (annotator '$ME') labelled 1 of the items to adjudicate, first 'c': nobody adjudicates an item they labelled"
	has a.log '"event":"access_refused".*"role":"adjudicator"'
	missing adj.out
}
tcase adjudicate.self-under-other-id-refused panel roles && { # me2 is $ME's
	label --annotator me2 --answers ans.jsonl q.jsonl > me2.jsonl
	run "$LABEL" -q --plain --roles roles.json --adjudicate --annotator "$ME" --answers adj.ans me2.jsonl carol.jsonl
	status_is 1
	has err "labelled 1 of the items to adjudicate, first 'c'"
}
tcase adjudicate.self-unenforced panel mine && { # without roles: as before
	run "$LABEL" -q --plain --adjudicate --annotator "$ME" --answers adj.ans mine.jsonl carol.jsonl
	status_is 0
}

# Gates.
tcase gates.unapproved-refused mine gates && {
	run "$KPI" -q --roles roles.json --gates g.json --audit a.log --json mine.jsonl
	status_is 1
	has err "^lp-kpi: gates 'g.json' is not approved: no approval of this gates (digest [0-9a-f]*) by a gate_owner in the audit log 'a.log'$"
	has a.log '"event":"access_refused".*"role":"gate_owner"'
	empty out
}
tcase gates.approved-accepted mine gates && {
	run "$KPI" --roles roles.json --approve-gates g.json --audit a.log
	status_is 0
	has err "^lp-kpi: approved gates 'g.json' (digest [0-9a-f]\{12\}) as $ME$"
	lines err 1
	has a.log "\"event\":\"approval\".*\"kind\":\"gates\".*\"by\":\"$ME\""
	run "$KPI" -q --roles roles.json --gates g.json --audit a.log --json mine.jsonl
	status_is 0
	has out '"gates":\[{"metric":"records"'
}
tcase gates.changed-after-approval-refused mine gates && {
	"$KPI" -q --roles roles.json --approve-gates g.json --audit a.log
	printf '{"version":"g-1","gates":[{"metric":"records","op":">=","value":0}]}\n' > g.json
	run "$KPI" -q --roles roles.json --gates g.json --audit a.log mine.jsonl
	status_is 1
	has err "gates 'g.json' is not approved"
}
tcase gates.approval-by-non-owner-ignored mine gates && {
	"$KPI" -q --roles roles.json --approve-gates g.json --audit a.log
	sed "s/\"gate_owner\":{\"users\":\[\"$ME\"\]}/\"gate_owner\":{\"users\":[]}/" roles.json > later.json
	run "$KPI" -q --roles later.json --gates g.json --audit a.log mine.jsonl
	status_is 1
	has err "not approved: no approval of this gates"
}
tcase gates.edited-log-refused mine gates && { # the chain is checked
	"$KPI" -q --roles roles.json --approve-gates g.json --audit a.log
	sed 's/"version":"g-1"/"version":"g-2"/' a.log > b.log
	run "$KPI" -q --roles roles.json --gates g.json --audit b.log mine.jsonl
	status_is 1
	has err "^lp-kpi: gates 'g.json' is not approved: line [0-9]*: hash chain broken"
}
tcase gates.approve-not-owner-refused gates roles && {
	run "$KPI" -q --roles nobody.json --approve-gates g.json --audit a.log
	status_is 1
	file_is err "lp-kpi: account '$ME' may not act as gate_owner (roles file 'nobody.json')"
	has a.log '"event":"access_refused".*"role":"gate_owner"'
	lacks a.log '"event":"approval"'
}
tcase gates.approve-needs-audit gates roles && {
	run "$KPI" --roles roles.json --approve-gates g.json
	status_is 2
	has err "^lp-kpi: --approve-gates writes the audit log: give --audit FILE or set LP_AUDIT_LOG$"
}
tcase gates.approve-needs-roles gates && {
	run "$KPI" --approve-gates g.json --audit a.log
	status_is 2
	has err "^lp-kpi: --approve-gates needs the roles: give --roles FILE or set LP_ROLES$"
}
tcase gates.builtin-approved mine && {
	run "$KPI" -q --roles roles.json --no-gates --audit a.log mine.jsonl
	status_is 0
	run "$KPI" -q --roles roles.json --gates "$LP_SRCDIR/guidelines/gates.json" --audit a.log --json mine.jsonl
	lacks err "not approved"
}
tcase gates.unenforced mine gates && {
	run "$KPI" -q --gates g.json --json mine.jsonl
	status_is 0
}

# Taxonomy.
fx_taxonomy() { # spam-2: spam (key x) and ok (key o)
	cat > tax.json << 'EOF'
{"version":"spam-2","guidelines_version":"g-9","labels":[{"value":"spam","key":"x","name":"junk","definition":"not a listing"},{"value":"ok","key":"o","name":"fine","definition":"a listing"}]}
EOF
	printf '{"id":"a","label":"ok"}\n{"id":"b","label":"ok"}\n{"id":"c","label":"spam"}\n' > tans.jsonl
}
tcase taxonomy.unapproved-refused queue roles taxonomy && {
	run "$LABEL" -q --plain --roles roles.json --annotator "$ME" --taxonomy tax.json --answers tans.jsonl --audit a.log q.jsonl
	status_is 1
	has err "^lp-label: taxonomy 'tax.json' is not approved: no approval of this taxonomy (digest [0-9a-f]*) by a taxonomy_owner in the audit log 'a.log'$"
	has a.log '"event":"access_refused".*"role":"taxonomy_owner"'
}
tcase taxonomy.approved-accepted queue roles taxonomy && {
	run "$LABEL" --roles roles.json --approve-taxonomy tax.json --audit a.log
	status_is 0
	empty out
	has err "^lp-label: approved taxonomy 'tax.json' (digest [0-9a-f]\{12\}) as $ME$"
	has a.log "\"event\":\"approval\".*\"kind\":\"taxonomy\".*\"by\":\"$ME\""
	run "$LABEL" -q --plain --roles roles.json --annotator "$ME" --taxonomy tax.json --answers tans.jsonl --audit a.log q.jsonl
	status_is 0
	has out '"label":"ok"'
}
tcase taxonomy.approve-not-owner-refused roles taxonomy && {
	run "$LABEL" --roles nobody.json --approve-taxonomy tax.json --audit a.log
	status_is 1
	has err "may not act as taxonomy_owner"
}
tcase taxonomy.no-audit-refused queue roles taxonomy && {
	run "$LABEL" -q --plain --roles roles.json --annotator "$ME" --taxonomy tax.json --answers tans.jsonl q.jsonl
	status_is 1
	has err "^lp-label: taxonomy 'tax.json' is not the built-in one and roles are enforced: its approval is looked up in the audit log (--audit or LP_AUDIT_LOG)$"
}

# Without roles nothing is enforced; -v says so.
tcase none.not-enforced queue && {
	run "$LABEL" -v --plain --annotator alice --answers ans.jsonl q.jsonl
	status_is 0
	count err "roles are not enforced" 1
	has err "^lp-label: roles are not enforced (no --roles or LP_ROLES)$"
}

# Bad roles files.
tcase bad.not-json queue && {
	printf '{"version":"roles-1",\n "roles": {,}}\n' > r.json
	run "$LABEL" -q --plain --roles r.json --annotator a --answers ans.jsonl q.jsonl
	status_is 65
	has err "^lp-label: r.json:2:"
}
tcase bad.unknown-role queue && {
	printf '{"version":"roles-1","roles":{"owner":{}}}\n' > r.json
	run "$KPI" -q --roles r.json --no-gates q.jsonl
	status_is 65
	file_is err "lp-kpi: r.json: roles.owner: unknown role (want annotator, adjudicator, taxonomy_owner, gate_owner or pipeline_operator)"
}
tcase bad.missing queue && {
	run "$LABEL" -q --plain --roles no.json --annotator a --answers ans.jsonl q.jsonl
	status_is 74
}
tcase bad.shipped-file-valid queue && {
	run "$KPI" -q --roles "$LP_SRCDIR/guidelines/roles.json" --no-gates q.jsonl
	status_is 0
}

# Every audit event says whose account wrote it.
tcase audit.account-stamped queue && {
	run "$LABEL" -q --plain --annotator alice --answers ans.jsonl --audit a.log q.jsonl
	status_is 0
	count a.log . "$(wc -l < a.log)"
	count a.log "\"uid\":$(id -u)[,}]" "$(wc -l < a.log)"
	count a.log "\"account\":\"$ME\"" "$(wc -l < a.log)"
}

finish

/*
 * Roles enforced on a tool's run (tool layer): the roles file of
 * --roles or LP_ROLES (review/roles.h), the invoking account, and the
 * checks a tool makes before it acts.  Without a roles file nothing is
 * enforced and every check passes.  A check that fails refuses the run:
 * the reason on stderr, an "access_refused" audit event {role, reason}
 * (stamped with the account, as every event is), the output discarded
 * and exit status 1.
 */
#ifndef LP_TOOL_ACCESS_H
#define LP_TOOL_ACCESS_H

#include <jansson.h>

#include "review/queue.h"
#include "review/roles.h"
#include "tool/run.h"

struct lp_access {
	int on;		  /* roles are enforced */
	const char *path; /* the roles file */
	struct lp_roles roles;
	struct lp_account me; /* the real uid's account */
};

/*
 * Load the roles file path (NULL: LP_ROLES; neither: not enforced, said
 * under -v) and look up the invoking account.  Exits 65 on a bad roles
 * file, 74 on one that cannot be read, 1 when the uid has no account.
 */
void lp_access_open(struct lp_access *ac, const char *path);
void lp_access_close(struct lp_access *ac);
/* Refuse the run: see above.  Does not return. */
void lp_access_refuse(struct lp_access *ac, struct lp_run *run,
    enum lp_role role, const char *fmt, ...)
    __attribute__((format(printf, 4, 5), noreturn));
/* Refuse unless the account may act as role. */
void lp_access_need(
    struct lp_access *ac, struct lp_run *run, enum lp_role role);
/* Refuse unless the account may use annotator id (acting as role). */
void lp_access_need_id(struct lp_access *ac, struct lp_run *run,
    enum lp_role role, const char *id);
/*
 * Refuse an adjudication (q->adjudicating; else nothing is checked) by
 * annotator id when an item of q that waits for the adjudicator carries a
 * label by id, or by any id of the account: nobody adjudicates an item
 * they labelled.  The whole run is refused, naming the first such item and
 * how many there are, not only those items: no output then mixes
 * adjudicated items with refused ones, and the queue is split and the
 * items given to another adjudicator.
 */
void lp_access_need_not_labelled(struct lp_access *ac, struct lp_run *run,
    const struct lp_queue *q, const char *id);
/*
 * Refuse unless doc, the kind ("gates", "taxonomy") read from file name,
 * is the built-in one (the JSON text builtin[0..n)) or has an approval by
 * an owner (role) in the audit log.
 */
void lp_access_need_approval(struct lp_access *ac, struct lp_run *run,
    const char *kind, enum lp_role role, const char *name, const json_t *doc,
    const unsigned char *builtin, size_t n);
/*
 * Record the account's approval of doc (kind, read from name) in the
 * audit log, refusing unless it may act as role.  Roles must be on and
 * the log open (the tool checks its options first).  Says so on stderr
 * unless -q: "approved gates 'g.json' (digest 0123456789ab) as alice".
 */
void lp_access_approve(struct lp_access *ac, struct lp_run *run,
    const char *kind, enum lp_role role, const char *name, const json_t *doc);
/*
 * A run that only approves (--approve-gates, --approve-taxonomy): opens
 * the run, records the approval, closes the access and the run; the exit
 * status.
 */
int lp_access_approve_run(struct lp_access *ac, const char *kind,
    enum lp_role role, const char *name, const json_t *doc);

#endif

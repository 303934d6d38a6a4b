/*
 * Roles: who may do what on a shared machine.  A roles file (version
 * "roles-1") binds each role (annotator, adjudicator, taxonomy_owner,
 * gate_owner, pipeline_operator) to Unix accounts ("users") and groups
 * ("groups"), and maps annotator ids to the accounts that use them where
 * the two differ ("annotators": {"id": "account"}); an id not mapped
 * belongs to the account of the same name.  A role a file leaves out has
 * nobody in it.
 *
 * struct lp_roles owns the document it was made from.  struct lp_account
 * is one Unix account as the checks see it: its uid, name and the names
 * of its groups (primary and supplementary), looked up once.
 */
#ifndef LP_REVIEW_ROLES_H
#define LP_REVIEW_ROLES_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/error.h"

enum lp_role {
	LP_ROLE_ANNOTATOR,
	LP_ROLE_ADJUDICATOR,
	LP_ROLE_TAXONOMY_OWNER,
	LP_ROLE_GATE_OWNER,
	LP_ROLE_PIPELINE_OPERATOR,
	LP_ROLE_N
};

struct lp_roles {
	json_t *doc;		 /* the file as read */
	const char *version;	 /* its "version", in doc */
	json_t *role[LP_ROLE_N]; /* each role's object, in doc, or NULL */
	json_t *accounts;	 /* annotator id -> account, in doc, or NULL */
};

struct lp_account {
	uid_t uid;
	char *name;
	char **groups; /* the names of its groups */
	size_t ngroups;
};

/* The role's name in the file and in messages ("gate_owner"). */
const char *lp_role_name(enum lp_role role);
/*
 * Check doc (stolen) as a roles file named name (for messages) and make
 * r of it.  LP_OK, or LP_FAILED with err naming the place that is wrong
 * ("roles.json: roles.adjudicator.users[1]: expected an account name");
 * r is ready to release either way.
 */
int lp_roles_init(
    struct lp_roles *r, json_t *doc, const char *name, struct lp_error *err);
/*
 * Read the roles file at path and check it as lp_roles_init() does; a
 * file that is not JSON fails with "path:LINE:COLUMN: what".  LP_FATAL
 * when it cannot be read.
 */
int lp_roles_load(struct lp_roles *r, const char *path, struct lp_error *err);
void lp_roles_release(struct lp_roles *r);
/* Whether account a may act in role: named in its users or a group. */
int lp_roles_may(
    const struct lp_roles *r, const struct lp_account *a, enum lp_role role);
/* The account annotator id belongs to: its mapping, else the id itself. */
const char *lp_roles_account_of(const struct lp_roles *r, const char *id);
/* Whether the account named account may label as annotator id. */
int lp_roles_may_use(
    const struct lp_roles *r, const char *account, const char *id);
/*
 * Whether labels (a record's "labels" array, or NULL) hold a label by
 * annotator id, or by any id that belongs to account.
 */
int lp_roles_labelled_by(const struct lp_roles *r, const json_t *labels,
    const char *id, const char *account);

/*
 * Look up the account of uid (getpwuid) and its groups (getgrouplist).
 * LP_OK, or LP_FAILED when the system knows no such account.
 */
int lp_account_init(struct lp_account *a, uid_t uid, struct lp_error *err);
/* As lp_account_init(), by the account's name (getpwnam). */
int lp_account_init_name(
    struct lp_account *a, const char *name, struct lp_error *err);
void lp_account_release(struct lp_account *a);

#endif

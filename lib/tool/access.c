/* Roles enforced on a run (access.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/status.h"
#include "review/adjudication.h"
#include "review/approval.h"
#include "tool/access.h"
#include "tool/cli.h"
#include "tool/log.h"

void
lp_access_open(struct lp_access *ac, const char *path)
{
	struct lp_error err = LP_ERROR_INIT;
	int rc;

	memset(ac, 0, sizeof(*ac));
	if (path == NULL && (path = getenv("LP_ROLES")) != NULL &&
	    *path == '\0')
		path = NULL;
	if (path == NULL) {
		if (lp_verbosity > 0)
			lp_warnx("roles are not enforced (no --roles or "
				 "LP_ROLES)");
		return;
	}
	ac->on = 1;
	ac->path = path;
	if ((rc = lp_roles_load(&ac->roles, path, &err)) != LP_OK)
		lp_errx(rc == LP_FATAL ? LP_EXIT_IOERR : LP_EXIT_DATAERR, "%s",
		    err.msg);
	if (lp_account_init(&ac->me, getuid(), &err) != LP_OK)
		lp_errx(LP_EXIT_FAIL, "%s: roles cannot be checked", err.msg);
}

void
lp_access_close(struct lp_access *ac)
{
	if (!ac->on)
		return;
	lp_roles_release(&ac->roles);
	lp_account_release(&ac->me);
}

void
lp_access_refuse(struct lp_access *ac, struct lp_run *run, enum lp_role role,
    const char *fmt, ...)
{
	char why[512];
	va_list ap;
	int status;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	lp_warnx("%s", why);
	lp_run_audit(run, "access_refused",
	    json_pack("{s:s,s:s,s:s,s:s}", "account",
		ac->me.name ? ac->me.name : "", "role", lp_role_name(role),
		"reason", why, "roles", ac->path ? ac->path : ""));
	run->discard = 1;
	status = lp_run_close(run, LP_EXIT_FAIL);
	exit(status == LP_EXIT_OK ? LP_EXIT_FAIL : status);
}

void
lp_access_need(struct lp_access *ac, struct lp_run *run, enum lp_role role)
{
	if (ac->on && !lp_roles_may(&ac->roles, &ac->me, role))
		lp_access_refuse(ac, run, role,
		    "account '%s' may not act as %s (roles file '%s')",
		    ac->me.name, lp_role_name(role), ac->path);
}

void
lp_access_need_id(
    struct lp_access *ac, struct lp_run *run, enum lp_role role, const char *id)
{
	if (ac->on && !lp_roles_may_use(&ac->roles, ac->me.name, id))
		lp_access_refuse(ac, run, role,
		    "account '%s' may not use annotator id '%s' (it "
		    "belongs to account '%s' in '%s')",
		    ac->me.name, id, lp_roles_account_of(&ac->roles, id),
		    ac->path);
}

void
lp_access_need_not_labelled(struct lp_access *ac, struct lp_run *run,
    const struct lp_queue *q, const char *id)
{
	size_t i, n = 0, first = 0;

	if (!ac->on || !q->adjudicating)
		return;
	for (i = 0; i < q->n; i++)
		if (lp_adjudication_open(&q->item[i].adj) &&
		    lp_roles_labelled_by(
			&ac->roles, q->item[i].adj.labels, id, ac->me.name) &&
		    n++ == 0)
			first = i;
	if (n > 0)
		lp_access_refuse(ac, run, LP_ROLE_ADJUDICATOR,
		    "account '%s' (annotator '%s') labelled %zu of the items "
		    "to adjudicate, first '%s': nobody adjudicates an item "
		    "they labelled",
		    ac->me.name, id, n, q->item[first].id);
}

void
lp_access_need_approval(struct lp_access *ac, struct lp_run *run,
    const char *kind, enum lp_role role, const char *name, const json_t *doc,
    const unsigned char *builtin, size_t n)
{
	struct lp_error err = LP_ERROR_INIT;
	char hex[65], mine[65];
	json_t *b;
	int rc;

	if (!ac->on)
		return;
	lp_approval_digest(doc, hex);
	if ((b = json_loadb((const char *)builtin, n, 0, NULL)) != NULL) {
		lp_approval_digest(b, mine);
		json_decref(b);
		if (strcmp(hex, mine) == 0)
			return;
	}
	if (!run->have_audit)
		lp_access_refuse(ac, run, role,
		    "%s '%s' is not the built-in one and roles are enforced: "
		    "its approval is looked up in the audit log (--audit or "
		    "LP_AUDIT_LOG)",
		    kind, name);
	rc = lp_approval_find(
	    run->audit.path, kind, hex, &ac->roles, role, &err);
	if (rc != LP_OK)
		lp_access_refuse(ac, run, role, "%s '%s' is not approved: %s",
		    kind, name, err.msg);
}

void
lp_access_approve(struct lp_access *ac, struct lp_run *run, const char *kind,
    enum lp_role role, const char *name, const json_t *doc)
{
	const char *v = json_string_value(json_object_get(doc, "version"));
	char hex[65];

	lp_access_need(ac, run, role);
	lp_approval_digest(doc, hex);
	lp_run_audit(run, "approval",
	    json_pack("{s:s,s:s,s:s,s:s,s:s?}", "kind", kind, "digest", hex,
		"by", ac->me.name, "file", name, "version", v));
	if (lp_verbosity >= 0)
		lp_warnx("approved %s '%s' (digest %.12s) as %s", kind, name,
		    hex, ac->me.name);
}

int
lp_access_approve_run(struct lp_access *ac, const char *kind, enum lp_role role,
    const char *name, const json_t *doc)
{
	struct lp_run run;

	lp_opts.plain = 1; /* no records, not even an empty gzip stream */
	lp_run_open(&run, 0, NULL, "approve");
	lp_access_approve(ac, &run, kind, role, name, doc);
	lp_access_close(ac);
	lp_verbosity = -1; /* no summary: nothing was read */
	return lp_run_close(&run, LP_EXIT_OK);
}

/* Approvals of gates and taxonomies in the audit log (approval.h). */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/json.h"
#include "core/status.h"
#include "review/approval.h"

void
lp_approval_digest(const json_t *doc, char hex[65])
{
	lp_json_digest(doc, hex);
}

/* Whether event ev approves kind and digest, by someone r lets act. */
static int
approves(const json_t *ev, const char *kind, const char *digest,
    const struct lp_roles *r, enum lp_role role)
{
	const char *s = json_string_value(json_object_get(ev, "event"));
	const char *by = json_string_value(json_object_get(ev, "by"));
	const char *acct = json_string_value(json_object_get(ev, "account"));
	struct lp_error why = LP_ERROR_INIT;
	struct lp_account a;
	int ok;

	if (s == NULL || strcmp(s, "approval") != 0 || by == NULL ||
	    (s = json_string_value(json_object_get(ev, "kind"))) == NULL ||
	    strcmp(s, kind) != 0 ||
	    (s = json_string_value(json_object_get(ev, "digest"))) == NULL ||
	    strcmp(s, digest) != 0)
		return 0;
	/* The run's own account, stamped on every event, must be by. */
	if (acct != NULL && strcmp(acct, by) != 0)
		return 0;
	if (lp_account_init_name(&a, by, &why) != LP_OK) {
		lp_account_release(&a);
		return 0;
	}
	ok = lp_roles_may(r, &a, role);
	lp_account_release(&a);
	return ok;
}

int
lp_approval_find(const char *path, const char *kind, const char *digest,
    const struct lp_roles *r, enum lp_role role, struct lp_error *err)
{
	unsigned long line = 0;
	char *p = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc, found = 0;
	FILE *f;

	if ((rc = lp_audit_verify(path, &line, err)) != LP_OK)
		return rc;
	if ((f = fopen(path, "r")) == NULL) {
		lp_error_set(
		    err, "cannot open '%s': %s", path, strerror(errno));
		return LP_FATAL;
	}
	/* A log holds millions of events: parse only the approvals. */
	while (!found && (n = getline(&p, &cap, f)) > 0) {
		json_t *ev;

		if (strstr(p, "\"event\":\"approval\"") == NULL ||
		    (ev = json_loadb(p, (size_t)n, 0, NULL)) == NULL)
			continue;
		found = approves(ev, kind, digest, r, role);
		json_decref(ev);
	}
	free(p);
	fclose(f);
	if (!found)
		return lp_error_set(err,
		    "no approval of this %s (digest %.12s) by a %s in the "
		    "audit log '%s'",
		    kind, digest, lp_role_name(role), path);
	return LP_OK;
}

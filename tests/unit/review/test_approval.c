#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/error.h"
#include "core/status.h"
#include "review/approval.h"
#include "review/roles.h"
#include "test.h"

/* Roles with the current account as gate owner, or not. */
static void
roles(struct lp_roles *r, int owner)
{
	struct passwd *pw = getpwuid(getuid());
	struct lp_error err = LP_ERROR_INIT;
	char text[256];

	snprintf(text, sizeof(text),
	    "{\"version\":\"roles-1\",\"roles\":{\"gate_owner\":"
	    "{\"users\":[\"%s\"]}}}",
	    owner && pw != NULL ? pw->pw_name : "nobody-x9");
	if (lp_roles_init(r, json_loads(text, 0, NULL), "r", &err) != LP_OK)
		FAIL("%s", err.msg);
}

/* A fresh audit log holding an approval of digest as kind. */
static void
log_approval(const char *path, const char *kind, const char *digest)
{
	struct passwd *pw = getpwuid(getuid());
	struct lp_audit a;

	remove(path);
	assert_eq_int(lp_audit_open(&a, path, "test", "run"), LP_OK);
	assert_eq_int(lp_audit_event(&a, "run_start", NULL), LP_OK);
	assert_eq_int(lp_audit_event(&a, "approval",
			  json_pack("{s:s,s:s,s:s}", "kind", kind, "digest",
			      digest, "by", pw->pw_name)),
	    LP_OK);
	lp_audit_close(&a);
}

TEST(digest_is_of_the_compact_text)
{
	json_t *a = json_loads("{\"b\": 1,\n \"a\": [2]}", 0, NULL);
	json_t *b = json_loads("{\"b\":1,\"a\":[2]}", 0, NULL);
	json_t *c = json_loads("{\"b\":1,\"a\":[3]}", 0, NULL);
	char x[65], y[65], z[65];

	lp_approval_digest(a, x);
	lp_approval_digest(b, y);
	lp_approval_digest(c, z);
	assert_eq_str(x, y);
	assert_true(strcmp(x, z) != 0);
	assert_eq_int((int)strlen(x), 64);
	json_decref(a);
	json_decref(b);
	json_decref(c);
}

TEST(found_only_for_owner_kind_and_digest)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_roles owner, other;
	const char *d = "ab12", *path = "approval-test.log";

	roles(&owner, 1);
	roles(&other, 0);
	log_approval(path, "gates", d);
	assert_eq_int(lp_approval_find(
			  path, "gates", d, &owner, LP_ROLE_GATE_OWNER, &err),
	    LP_OK);
	assert_eq_int(lp_approval_find(path, "gates", "cd34", &owner,
			  LP_ROLE_GATE_OWNER, &err),
	    LP_FAILED);
	assert_eq_str(err.msg,
	    "no approval of this gates (digest cd34) by a gate_owner in "
	    "the audit log 'approval-test.log'");
	assert_eq_int(lp_approval_find(path, "taxonomy", d, &owner,
			  LP_ROLE_GATE_OWNER, &err),
	    LP_FAILED);
	assert_eq_int(lp_approval_find(
			  path, "gates", d, &other, LP_ROLE_GATE_OWNER, &err),
	    LP_FAILED);
	assert_eq_int(lp_approval_find("no-such.log", "gates", d, &owner,
			  LP_ROLE_GATE_OWNER, &err),
	    LP_FATAL);
	remove(path);
	lp_roles_release(&owner);
	lp_roles_release(&other);
}

RUN_TESTS()

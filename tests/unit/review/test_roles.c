#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/status.h"
#include "review/roles.h"
#include "test.h"

/* A roles file made of text, checked; LP_OK or LP_FAILED. */
static int
init(struct lp_roles *r, const char *text, struct lp_error *err)
{
	return lp_roles_init(r, json_loads(text, 0, NULL), "roles.json", err);
}

/* The current account's name. */
static const char *
me(void)
{
	struct passwd *pw = getpwuid(getuid());

	return pw != NULL ? pw->pw_name : "root";
}

TEST(current_user_named_or_not)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_account a;
	struct lp_roles r;
	char text[512];

	assert_eq_int(lp_account_init(&a, getuid(), &err), LP_OK);
	assert_eq_str(a.name, me());
	snprintf(text, sizeof(text),
	    "{\"version\":\"roles-1\",\"roles\":{\"annotator\":"
	    "{\"users\":[\"%s\"]},\"adjudicator\":{\"users\":[\"nobody-x\"]}}}",
	    me());
	assert_eq_int(init(&r, text, &err), LP_OK);
	assert_true(lp_roles_may(&r, &a, LP_ROLE_ANNOTATOR));
	assert_true(!lp_roles_may(&r, &a, LP_ROLE_ADJUDICATOR));
	assert_true(!lp_roles_may(&r, &a, LP_ROLE_GATE_OWNER));
	lp_roles_release(&r);
	lp_account_release(&a);
}

TEST(group_membership_counts)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_account a;
	struct lp_roles r;
	char text[512];

	assert_eq_int(lp_account_init(&a, getuid(), &err), LP_OK);
	assert_true(a.ngroups > 0);
	snprintf(text, sizeof(text),
	    "{\"version\":\"roles-1\",\"roles\":{\"gate_owner\":"
	    "{\"users\":[],\"groups\":[\"%s\"]}}}",
	    a.groups[0]);
	assert_eq_int(init(&r, text, &err), LP_OK);
	assert_true(lp_roles_may(&r, &a, LP_ROLE_GATE_OWNER));
	lp_roles_release(&r);
	lp_account_release(&a);
}

TEST(annotator_ids_map_to_accounts)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_roles r;

	assert_eq_int(init(&r,
			  "{\"version\":\"roles-1\",\"roles\":{},"
			  "\"annotators\":{\"alice\":\"asmith\"}}",
			  &err),
	    LP_OK);
	assert_eq_str(lp_roles_account_of(&r, "alice"), "asmith");
	assert_eq_str(lp_roles_account_of(&r, "bob"), "bob");
	assert_true(lp_roles_may_use(&r, "asmith", "alice"));
	assert_true(!lp_roles_may_use(&r, "alice", "alice"));
	assert_true(lp_roles_may_use(&r, "bob", "bob"));
	assert_true(!lp_roles_may_use(&r, "bob", "carol"));
	lp_roles_release(&r);
}

TEST(bad_files_say_where)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {{"[]", "roles.json: expected a JSON object"},
	    {"{\"roles\":{}}",
		"roles.json: version: expected \"roles-1\" (a "
		"string \"roles-N\")"},
	    {"{\"version\":\"roles-2\",\"roles\":{}}",
		"roles.json: version: 'roles-2' is newer than this tool "
		"knows (roles-1)"},
	    {"{\"version\":\"roles-1\"}", "roles.json: roles: missing"},
	    {"{\"version\":\"roles-1\",\"roles\":{\"owner\":{}}}",
		"roles.json: roles.owner: unknown role (want annotator, "
		"adjudicator, taxonomy_owner, gate_owner or "
		"pipeline_operator)"},
	    {"{\"version\":\"roles-1\",\"roles\":{\"annotator\":"
	     "{\"users\":[\"a\",\"b c\"]}}}",
		"roles.json: roles.annotator.users[1]: expected an account "
		"name"},
	    {"{\"version\":\"roles-1\",\"roles\":{\"annotator\":"
	     "{\"user\":[]}}}",
		"roles.json: roles.annotator.user: unknown member (want users "
		"or groups)"},
	    {"{\"version\":\"roles-1\",\"roles\":{},\"annotators\":"
	     "{\"alice\":1}}",
		"roles.json: annotators.alice: expected an account name"},
	    {NULL, NULL}};
	struct lp_error err = LP_ERROR_INIT;
	struct lp_roles r;
	int i;

	for (i = 0; bad[i].text != NULL; i++) {
		assert_eq_int(init(&r, bad[i].text, &err), LP_FAILED);
		assert_eq_str(err.msg, bad[i].msg);
		lp_roles_release(&r);
	}
}

TEST(load_reports_line_and_column)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_roles r;
	FILE *f = fopen("roles-test.json", "w");

	assert_true(f != NULL);
	fputs("{\"version\": \"roles-1\",\n \"roles\": {,}}\n", f);
	fclose(f);
	assert_eq_int(lp_roles_load(&r, "roles-test.json", &err), LP_FAILED);
	assert_true(strncmp(err.msg, "roles-test.json:2:", 18) == 0);
	lp_roles_release(&r);
	assert_eq_int(lp_roles_load(&r, "no-such-roles.json", &err), LP_FATAL);
	lp_roles_release(&r);
	remove("roles-test.json");
}

TEST(unknown_account)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_account a;

	assert_eq_int(
	    lp_account_init_name(&a, "no-such-account-x9", &err), LP_FAILED);
	assert_eq_str(err.msg, "no account 'no-such-account-x9'");
	lp_account_release(&a);
}

RUN_TESTS()

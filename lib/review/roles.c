/* Roles files and the accounts they are checked against (roles.h). */
#include <grp.h>
#include <jansson.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/status.h"
#include "review/annotator.h"
#include "review/roles.h"

static const char *const names[LP_ROLE_N] = {"annotator", "adjudicator",
    "taxonomy_owner", "gate_owner", "pipeline_operator"};

const char *
lp_role_name(enum lp_role role)
{
	return role < LP_ROLE_N ? names[role] : "?";
}

/* An account or group name: 1 to 64 printable bytes, no space or ':'. */
static int
good_name(const json_t *v)
{
	const char *s = json_string_value(v);
	size_t n;

	if (s == NULL || (n = strlen(s)) == 0 || n > 64)
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || *s == ':' || *s == 0x7f)
			return 0;
	return 1;
}

/* Check role object v of role named rn: {"users": [...], "groups": [...]}. */
static int
check_role(
    const json_t *v, const char *file, const char *rn, struct lp_error *err)
{
	const char *key;
	json_t *list, *e;
	size_t i;

	if (!json_is_object(v))
		return lp_error_set(err,
		    "%s: roles.%s: expected an object of users and groups",
		    file, rn);
	json_object_foreach ((json_t *)v, key, list) {
		if (strcmp(key, "users") != 0 && strcmp(key, "groups") != 0)
			return lp_error_set(err,
			    "%s: roles.%s.%s: unknown member (want users or "
			    "groups)",
			    file, rn, key);
		if (!json_is_array(list))
			return lp_error_set(err,
			    "%s: roles.%s.%s: expected a list", file, rn, key);
		json_array_foreach (list, i, e)
			if (!good_name(e))
				return lp_error_set(err,
				    "%s: roles.%s.%s[%zu]: expected %s name",
				    file, rn, key, i,
				    key[0] == 'u' ? "an account" : "a group");
	}
	return LP_OK;
}

/* Check "roles" and point r->role at each role's object. */
static int
check_roles(struct lp_roles *r, const json_t *roles, const char *file,
    struct lp_error *err)
{
	const char *key;
	json_t *v;
	int i;

	if (!json_is_object(roles))
		return lp_error_set(
		    err, "%s: roles: expected an object of roles", file);
	json_object_foreach ((json_t *)roles, key, v) {
		for (i = 0; i < LP_ROLE_N && strcmp(key, names[i]) != 0; i++)
			;
		if (i == LP_ROLE_N)
			return lp_error_set(err,
			    "%s: roles.%s: unknown role (want annotator, "
			    "adjudicator, taxonomy_owner, gate_owner or "
			    "pipeline_operator)",
			    file, key);
		if (check_role(v, file, key, err) != LP_OK)
			return LP_FAILED;
		r->role[i] = v;
	}
	return LP_OK;
}

/* Check "annotators": {"id": "account"}. */
static int
check_annotators(const json_t *m, const char *file, struct lp_error *err)
{
	struct lp_error why = LP_ERROR_INIT;
	const char *id;
	json_t *v;

	if (!json_is_object(m))
		return lp_error_set(err,
		    "%s: annotators: expected an object of annotator id: "
		    "account",
		    file);
	json_object_foreach ((json_t *)m, id, v) {
		if (lp_annotator_check(id, &why) != LP_OK)
			return lp_error_set(
			    err, "%s: annotators: %s", file, why.msg);
		if (!good_name(v))
			return lp_error_set(err,
			    "%s: annotators.%s: expected an account name", file,
			    id);
	}
	return LP_OK;
}

int
lp_roles_init(
    struct lp_roles *r, json_t *doc, const char *name, struct lp_error *err)
{
	const char *key;
	json_t *v;

	memset(r, 0, sizeof(*r));
	r->doc = doc;
	if (!json_is_object(doc))
		return lp_error_set(err, "%s: expected a JSON object", name);
	r->version = json_string_value(json_object_get(doc, "version"));
	if (r->version == NULL || strncmp(r->version, "roles-", 6) != 0)
		return lp_error_set(err,
		    "%s: version: expected \"roles-1\" (a string "
		    "\"roles-N\")",
		    name);
	if (strcmp(r->version, "roles-1") != 0)
		return lp_error_set(err,
		    "%s: version: '%s' is newer than this tool knows "
		    "(roles-1)",
		    name, r->version);
	json_object_foreach (doc, key, v) {
		if (strcmp(key, "roles") == 0) {
			if (check_roles(r, v, name, err) != LP_OK)
				return LP_FAILED;
		} else if (strcmp(key, "annotators") == 0) {
			if (check_annotators(v, name, err) != LP_OK)
				return LP_FAILED;
			r->accounts = v;
		} else if (strcmp(key, "version") != 0 &&
		    strcmp(key, "description") != 0)
			return lp_error_set(err,
			    "%s: %s: unknown member (want version, roles, "
			    "annotators, description)",
			    name, key);
	}
	if (json_object_get(doc, "roles") == NULL)
		return lp_error_set(err, "%s: roles: missing", name);
	return LP_OK;
}

int
lp_roles_load(struct lp_roles *r, const char *path, struct lp_error *err)
{
	struct lp_buf b = LP_BUF_INIT;
	json_error_t je;
	json_t *doc;

	memset(r, 0, sizeof(*r));
	if (lp_file_read_all(path, &b, err) != LP_OK) {
		lp_buf_release(&b);
		return LP_FATAL;
	}
	doc = json_loadb(b.p, b.len, JSON_REJECT_DUPLICATES, &je);
	lp_buf_release(&b);
	if (doc == NULL)
		return lp_error_set(
		    err, "%s:%d:%d: %s", path, je.line, je.column, je.text);
	return lp_roles_init(r, doc, path, err);
}

void
lp_roles_release(struct lp_roles *r)
{
	json_decref(r->doc);
	memset(r, 0, sizeof(*r));
}

/* Whether list (an array of strings, or NULL) holds s. */
static int
listed(const json_t *list, const char *s)
{
	const json_t *e;
	size_t i;

	json_array_foreach (list, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e), s) == 0)
			return 1;
	return 0;
}

int
lp_roles_may(
    const struct lp_roles *r, const struct lp_account *a, enum lp_role role)
{
	const json_t *o;
	size_t i;

	if (role >= LP_ROLE_N || (o = r->role[role]) == NULL)
		return 0;
	if (listed(json_object_get(o, "users"), a->name))
		return 1;
	for (i = 0; i < a->ngroups; i++)
		if (listed(json_object_get(o, "groups"), a->groups[i]))
			return 1;
	return 0;
}

const char *
lp_roles_account_of(const struct lp_roles *r, const char *id)
{
	const char *to = json_string_value(json_object_get(r->accounts, id));

	return to != NULL ? to : id;
}

int
lp_roles_may_use(const struct lp_roles *r, const char *account, const char *id)
{
	return strcmp(lp_roles_account_of(r, id), account) == 0;
}

int
lp_roles_labelled_by(const struct lp_roles *r, const json_t *labels,
    const char *id, const char *account)
{
	const json_t *l;
	const char *by;
	size_t i;

	json_array_foreach (labels, i, l) {
		by = json_string_value(json_object_get(l, "annotator_id"));
		if (by != NULL &&
		    (strcmp(by, id) == 0 || lp_roles_may_use(r, account, by)))
			return 1;
	}
	return 0;
}

/* Fill a from pw: its name and the names of its groups. */
static int
account_from(
    struct lp_account *a, const struct passwd *pw, struct lp_error *err)
{
	gid_t *gids = NULL;
	int n = 16, i, tries;
	struct group *gr;

	a->uid = pw->pw_uid;
	a->name = lp_xstrdup(pw->pw_name);
	for (tries = 0; tries < 8; tries++) {
		int want = n;

		gids = lp_xrealloc(gids, (size_t)n * sizeof(*gids));
		if (getgrouplist(pw->pw_name, pw->pw_gid, gids, &n) >= 0)
			break;
		if (n <= want)
			n = want * 2;
	}
	if (tries == 8) {
		free(gids);
		return lp_error_set(
		    err, "cannot list the groups of '%s'", a->name);
	}
	a->groups = lp_xmalloc(((size_t)n + 1) * sizeof(*a->groups));
	for (i = 0; i < n; i++)
		if ((gr = getgrgid(gids[i])) != NULL)
			a->groups[a->ngroups++] = lp_xstrdup(gr->gr_name);
	free(gids);
	return LP_OK;
}

int
lp_account_init(struct lp_account *a, uid_t uid, struct lp_error *err)
{
	struct passwd *pw;

	memset(a, 0, sizeof(*a));
	a->uid = uid;
	if ((pw = getpwuid(uid)) == NULL)
		return lp_error_set(
		    err, "uid %lu has no account name", (unsigned long)uid);
	return account_from(a, pw, err);
}

int
lp_account_init_name(
    struct lp_account *a, const char *name, struct lp_error *err)
{
	struct passwd *pw;

	memset(a, 0, sizeof(*a));
	a->uid = (uid_t)-1;
	if ((pw = getpwnam(name)) == NULL)
		return lp_error_set(err, "no account '%s'", name);
	return account_from(a, pw, err);
}

void
lp_account_release(struct lp_account *a)
{
	size_t i;

	for (i = 0; i < a->ngroups; i++)
		free(a->groups[i]);
	free(a->groups);
	free(a->name);
	memset(a, 0, sizeof(*a));
}

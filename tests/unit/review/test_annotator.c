#include <string.h>

#include "core/status.h"
#include "core/error.h"
#include "review/annotator.h"
#include "test.h"

TEST(ids_accepted)
{
	static const char *ok[] = {
	    "alice", "bob.smith", "carol+2@example.com", "x", "A_9-z", NULL};
	struct lp_error err = LP_ERROR_INIT;
	int i;

	for (i = 0; ok[i] != NULL; i++)
		assert_eq_int(lp_annotator_check(ok[i], &err), LP_OK);
}

TEST(ids_refused_with_reason)
{
	static const char *bad[] = {"", "a b", "a/b", ".hidden", "..", "-x",
	    "tab\there", "caf\xc3\xa9", NULL};
	struct lp_error err = LP_ERROR_INIT;
	int i;

	for (i = 0; bad[i] != NULL; i++) {
		err.msg[0] = '\0';
		assert_eq_int(lp_annotator_check(bad[i], &err), LP_FAILED);
		assert_true(strncmp(err.msg, "invalid annotator '", 19) == 0);
	}
	lp_annotator_check("a/b", &err);
	assert_eq_str(err.msg,
	    "invalid annotator 'a/b' (1 to 64 of A-Z a-z "
	    "0-9 . _ @ + -, not starting with '.' or '-')");
}

TEST(length_limit)
{
	char id[LP_ANNOTATOR_MAX + 2];

	memset(id, 'a', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	assert_eq_int(lp_annotator_check(id, NULL), LP_FAILED);
	id[LP_ANNOTATOR_MAX] = '\0';
	assert_eq_int(lp_annotator_check(id, NULL), LP_OK);
}

/* Routing: who a record is for, and whom the rest of a queue is for. */
TEST(assigned_and_others)
{
	struct lp_annotator_others o;
	json_t *ab = json_pack("[ss]", "alice", "bob");
	json_t *many = json_pack("[sssssssss]", "a1", "a2", "a3", "a4", "a5",
	    "a6", "a7", "a8", "a9");

	memset(&o, 0, sizeof(o));
	assert_eq_str(lp_annotator_others_text(&o), "");
	assert_true(lp_annotator_assigned(NULL, "me", &o));
	assert_true(lp_annotator_assigned(ab, "bob", &o));
	assert_eq_int((int)o.n, 0);
	assert_true(!lp_annotator_assigned(ab, "me", &o));
	assert_true(!lp_annotator_assigned(ab, "me", &o));
	assert_eq_str(lp_annotator_others_text(&o), "alice, bob");
	assert_true(!lp_annotator_assigned(many, "me", NULL));
	assert_true(!lp_annotator_assigned(many, "me", &o));
	assert_eq_str(lp_annotator_others_text(&o),
	    "alice, bob, a1, a2, a3, a4, a5, a6, ...");
	lp_annotator_others_release(&o);
	json_decref(ab);
	json_decref(many);
}

RUN_TESTS()

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

RUN_TESTS()

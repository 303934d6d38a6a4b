#include <string.h>

#include "core/status.h"
#include "core/error.h"
#include "test.h"

TEST(set_returns_failed_and_formats)
{
	struct lp_error err = LP_ERROR_INIT;

	assert_eq_int(
	    lp_error_set(&err, "line %d: expected '%c'", 3, ':'), LP_FAILED);
	assert_eq_str(err.msg, "line 3: expected ':'");
}

TEST(prefix_and_clear)
{
	struct lp_error err = LP_ERROR_INIT;

	lp_error_set(&err, "expected ':'");
	lp_error_prefix(&err, "line %d", 3);
	assert_eq_str(err.msg, "line 3: expected ':'");
	lp_error_clear(&err);
	assert_eq_str(err.msg, "");
}

TEST(null_is_allowed)
{
	assert_eq_int(lp_error_set(NULL, "x"), LP_FAILED);
	lp_error_prefix(NULL, "y");
	lp_error_clear(NULL);
}

TEST(long_text_is_cut_not_overrun)
{
	struct lp_error err = LP_ERROR_INIT;
	char big[2 * LP_ERROR_MAX];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	lp_error_set(&err, "%s", big);
	assert_eq_int((long)strlen(err.msg), LP_ERROR_MAX - 1);
	lp_error_prefix(&err, "p");
	assert_eq_int((long)strlen(err.msg), LP_ERROR_MAX - 1);
	assert_eq_int(err.msg[0], 'p');
}

RUN_TESTS()

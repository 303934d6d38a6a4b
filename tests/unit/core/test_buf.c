#include "core/buf.h"
#include "test.h"

TEST(add_and_reset)
{
	struct lp_buf b = LP_BUF_INIT;
	int i;

	for (i = 0; i < 1000; i++)
		lp_buf_addc(&b, 'x');
	assert_eq_int(b.len, 1000);
	assert_eq_int(b.p[1000], 0);
	lp_buf_reset(&b);
	assert_eq_int(b.len, 0);
	lp_buf_addf(&b, "%d-%s", 42, "a");
	assert_eq_str(b.p, "42-a");
	lp_buf_release(&b);
	assert_true(b.p == NULL);
}

TEST(addf_long)
{
	struct lp_buf b = LP_BUF_INIT;
	char big[500];

	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	lp_buf_adds(&b, "<");
	lp_buf_addf(&b, "%s>", big);
	assert_eq_int(b.len, 501);
	assert_eq_int(b.p[500], '>');
	lp_buf_release(&b);
}

RUN_TESTS()

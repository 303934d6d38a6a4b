#include "core/status.h"
#include "metrics/names.h"
#include "test.h"

TEST(indices_in_first_seen_order)
{
	struct lp_names t = {0};
	size_t i;

	assert_eq_int(lp_names_find(&t, "alice", 5, &i), 0);
	assert_eq_int(lp_names_index(&t, "alice", 5), 0);
	assert_eq_int(lp_names_index(&t, "bob", 3), 1);
	assert_eq_int(lp_names_index(&t, "alice", 5), 0);
	/* Only len bytes count: "bobby" cut to 3 is bob. */
	assert_eq_int(lp_names_index(&t, "bobby", 3), 1);
	assert_eq_int(t.n, 2);
	assert_eq_str(t.v[1], "bob");
	assert_eq_int(lp_names_find(&t, "bob", 3, &i), 1);
	assert_eq_int(i, 1);
	assert_eq_int(lp_names_find(&t, "carol", 5, &i), 0);
	lp_names_release(&t);
	assert_eq_int(t.n, 0);
}

TEST(many_names_survive_growth)
{
	struct lp_names t = {0};
	char name[16];
	size_t i, at;
	int ok = 1;

	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "item-%zu", i);
		ok &= lp_names_index(&t, name, strlen(name)) == i;
	}
	assert_true(ok);
	for (i = 0; i < 1000; i += 37) {
		snprintf(name, sizeof(name), "item-%zu", i);
		assert_true(lp_names_find(&t, name, strlen(name), &at));
		assert_eq_int(at, i);
		assert_eq_str(t.v[i], name);
	}
	assert_true(t.n * 2 < t.cap + 1);
	lp_names_release(&t);
}

RUN_TESTS()

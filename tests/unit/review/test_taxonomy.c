#include <stdio.h>

#include "core/status.h"
#include "review/taxonomy.h"
#include "fixture.h"
#include "test.h"
#include "core/data.h"

static json_t *
parse(const char *s)
{
	json_t *v = json_loads(s, 0, NULL);

	assert_true(v != NULL);
	return v;
}

TEST(shipped_taxonomy_loads)
{
	struct lp_taxonomy t;
	struct lp_error err;
	char list[128];
	json_t *four = json_integer(4), *acc = json_string("accept"),
	       *s3 = json_string("3"), *nine = json_integer(9);

	assert_eq_int(builtin_taxonomy(&t, &err), LP_OK);
	assert_eq_str(t.version, "taxonomy-1");
	assert_eq_int(t.nlabels, 4);
	assert_eq_int(t.nshortcuts, 2);
	/* Keys and shortcuts lead to labels. */
	assert_eq_str(lp_taxonomy_key(&t, '4')->name, "correct");
	assert_eq_str(lp_taxonomy_key(&t, 'a')->to->name, "correct");
	assert_eq_str(lp_taxonomy_key(&t, 'r')->to->name, "wrong");
	assert_true(lp_taxonomy_key(&t, 'x') == NULL);
	/* Found by value, value as text, name, shortcut name. */
	assert_eq_str(lp_taxonomy_find(&t, four)->name, "correct");
	assert_eq_str(lp_taxonomy_find(&t, acc)->name, "correct");
	assert_eq_str(lp_taxonomy_find(&t, s3)->name, "minor issues");
	assert_true(lp_taxonomy_find(&t, nine) == NULL);
	lp_taxonomy_list(&t, list, sizeof(list));
	assert_eq_str(list, "1, 2, 3, 4, accept, reject");
	json_decref(four);
	json_decref(acc);
	json_decref(s3);
	json_decref(nine);
	lp_taxonomy_release(&t);
}

/* The taxonomy's labels are the rubric's, word for word. */
TEST(taxonomy_matches_rubric)
{
	struct lp_taxonomy t;
	struct lp_error err;
	json_t *rubric = json_loadb(
		   (const char *)lp_data_rubric, lp_data_rubric_len, 0, NULL),
	       *l;
	size_t i;

	assert_eq_int(builtin_taxonomy(&t, &err), LP_OK);
	assert_eq_int(
	    (long long)json_array_size(json_object_get(rubric, "labels")),
	    t.nlabels);
	json_array_foreach (json_object_get(rubric, "labels"), i, l) {
		const struct lp_label_def *d =
		    lp_taxonomy_find(&t, json_object_get(l, "value"));

		assert_true(d != NULL);
		assert_eq_str(
		    d->name, json_string_value(json_object_get(l, "name")));
		assert_eq_str(d->definition,
		    json_string_value(json_object_get(l, "definition")));
	}
	json_decref(rubric);
	lp_taxonomy_release(&t);
}

TEST(bad_taxonomies_say_why)
{
	static const struct {
		const char *json, *why;
	} cases[] = {
	    {"[]", "not a JSON object"},
	    {"{\"labels\":[]}",
		"\"version\" and \"guidelines_version\" are required"},
	    {"{\"version\":\"v\",\"guidelines_version\":\"g\",\"labels\":[]}",
		"\"labels\" must be a non-empty array"},
	    {"{\"version\":\"v\",\"guidelines_version\":\"g\",\"labels\":[{"
	     "\"value\":1.5,\"key\":\"1\",\"name\":\"x\"}]}",
		"labels[0]: \"value\" must be an integer or a string"},
	    {"{\"version\":\"v\",\"guidelines_version\":\"g\",\"labels\":[{"
	     "\"value\":1,\"key\":\"q\",\"name\":\"x\"}]}",
		"labels[0]: key 'q' is lp-label's own (reserved: cenpsuq?)"},
	    {"{\"version\":\"v\",\"guidelines_version\":\"g\",\"labels\":[{"
	     "\"value\":1,\"key\":\"1\",\"name\":\"x\"},{\"value\":2,"
	     "\"key\":\"1\",\"name\":\"y\"}]}",
		"labels[1]: key '1' is used twice"},
	    {"{\"version\":\"v\",\"guidelines_version\":\"g\",\"labels\":[{"
	     "\"value\":1,\"key\":\"1\",\"name\":\"x\"},{\"value\":1,"
	     "\"key\":\"2\",\"name\":\"y\"}]}",
		"labels[1]: the value is used twice"},
	    {"{\"version\":\"v\",\"guidelines_version\":\"g\",\"labels\":[{"
	     "\"value\":1,\"key\":\"1\",\"name\":\"x\"}],\"shortcuts\":[{"
	     "\"value\":7,\"key\":\"a\",\"name\":\"acc\"}]}",
		"shortcuts[0]: \"value\" is not one of the labels"},
	    {"{\"version\":\"v\",\"guidelines_version\":\"g\",\"labels\":[{"
	     "\"value\":1,\"key\":\"ab\",\"name\":\"x\"}]}",
		"labels[0]: \"key\" must be one printable ASCII character"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lp_taxonomy t;
		struct lp_error err = LP_ERROR_INIT;

		assert_eq_int(lp_taxonomy_init(&t, parse(cases[i].json), &err),
		    LP_FAILED);
		assert_eq_str(err.msg, cases[i].why);
	}
}

/* String values work as well as numbers. */
TEST(string_labels)
{
	struct lp_taxonomy t;
	struct lp_error err;
	json_t *v = json_string("spam");

	assert_eq_int(lp_taxonomy_init(&t,
			  parse("{\"version\":\"v\",\"guidelines_version\":"
				"\"g\",\"labels\":[{\"value\":\"spam\","
				"\"key\":\"x\",\"name\":\"junk\"},{"
				"\"value\":\"ok\",\"key\":\"o\",\"name\":"
				"\"fine\"}]}"),
			  &err),
	    LP_OK);
	assert_eq_str(lp_taxonomy_find(&t, v)->name, "junk");
	assert_eq_str(lp_taxonomy_key(&t, 'o')->name, "fine");
	json_decref(v);
	lp_taxonomy_release(&t);
}

RUN_TESTS()

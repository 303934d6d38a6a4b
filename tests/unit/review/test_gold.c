#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "review/gold.h"
#include "test.h"

/* A look learnt from two real items (one with attrs, one without). */
static void
look_of_two(struct lp_gold_look *l)
{
	json_t *a = json_loads(
		   "{\"id\":\"ebay-uk:256100007919\",\"title\":\"t\","
		   "\"raw\":{\"title\":\"T\"},\"attrs\":{\"gb\":1},"
		   "\"translation\":{\"text\":\"x\",\"model\":\"m\"},"
		   "\"lineage\":{\"steps\":[1]}}",
		   0, NULL),
	       *b = json_loads(
		   "{\"id\":\"ebay-uk:256100047514\",\"title\":\"u\","
		   "\"raw\":{\"title\":\"U\"},"
		   "\"translation\":{\"text\":\"y\",\"model\":\"m\"},"
		   "\"lineage\":{\"steps\":[2]}}",
		   0, NULL);

	lp_gold_look_init(l);
	lp_gold_look_add(l, a);
	lp_gold_look_add(l, b);
	json_decref(a);
	json_decref(b);
}

/* Check the gold item js against the look; the reason, or "" if it passes. */
static const char *
verdict(const struct lp_gold_look *l, const char *js)
{
	static struct lp_error err;
	json_t *g = json_loads(js, 0, NULL);
	int rc;

	assert_true(g != NULL);
	err.msg[0] = '\0';
	rc = lp_gold_look_check(l, g, &err);
	json_decref(g);
	return rc == LP_OK ? "" : err.msg;
}

TEST(id_form)
{
	char *f = lp_gold_id_form("ebay-uk:256100007919");

	assert_eq_str(f, "ebay-uk:999999999999");
	free(f);
	f = lp_gold_id_form("gold:2");
	assert_eq_str(f, "gold:9");
	free(f);
	f = lp_gold_id_form("a1-b");
	assert_eq_str(f, "a9-a");
	free(f);
}

TEST(a_gold_item_like_the_others_passes)
{
	struct lp_gold_look l;

	look_of_two(&l);
	/* Its answer, lineage and sample are not compared; attrs is optional. */
	assert_eq_str(verdict(&l,
			  "{\"id\":\"ebay-uk:256100999001\",\"title\":\"g\","
			  "\"raw\":{\"title\":\"G\"},\"attrs\":{\"gb\":2},"
			  "\"translation\":{\"text\":\"z\",\"model\":\"m\"},"
			  "\"gold\":{\"label\":2}}"),
	    "");
	assert_eq_str(verdict(&l,
			  "{\"id\":\"ebay-uk:256100999002\",\"title\":\"g\","
			  "\"raw\":{\"title\":\"G\"},"
			  "\"translation\":{\"text\":\"z\",\"model\":\"m\"}}"),
	    "");
	assert_true(json_is_array(
	    json_object_get(l.lineage, "steps"))); /* the first item's */
	lp_gold_look_release(&l);
}

TEST(what_gives_a_gold_item_away)
{
	struct lp_gold_look l;

	look_of_two(&l);
	assert_eq_str(verdict(&l,
			  "{\"id\":\"gold:2\",\"title\":\"g\","
			  "\"raw\":{\"title\":\"G\"},"
			  "\"translation\":{\"text\":\"z\",\"model\":\"m\"}}"),
	    "id 'gold:2' unlike the items' ids (ebay-uk:999999999999)");
	assert_eq_str(verdict(&l,
			  "{\"id\":\"ebay-uk:256100999002\",\"title\":\"g\","
			  "\"translation\":{\"text\":\"z\",\"model\":\"m\"}}"),
	    "no field 'raw'");
	assert_eq_str(verdict(&l,
			  "{\"id\":\"ebay-uk:256100999002\",\"title\":\"g\","
			  "\"raw\":{\"title\":\"G\"},"
			  "\"translation\":{\"text\":\"z\"}}"),
	    "no field 'translation.model'");
	assert_eq_str(verdict(&l,
			  "{\"id\":\"ebay-uk:256100999002\",\"title\":\"g\","
			  "\"raw\":{\"title\":\"G\"},\"note\":\"gold\","
			  "\"translation\":{\"text\":\"z\",\"model\":\"m\"}}"),
	    "field 'note' that no item has");
	lp_gold_look_release(&l);
}

TEST(no_real_items_nothing_to_compare)
{
	struct lp_gold_look l;

	lp_gold_look_init(&l);
	assert_eq_str(verdict(&l, "{\"id\":\"gold:1\"}"), "");
	lp_gold_look_release(&l);
}

RUN_TESTS()

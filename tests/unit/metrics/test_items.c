#include "core/buf.h"
#include "core/data.h"
#include "core/json.h"
#include "core/record.h"
#include "core/status.h"
#include "metrics/items.h"
#include "review/taxonomy.h"
#include "test.h"

/* Add one line to s. */
static void
add(struct lp_items *s, const char *line)
{
	struct lp_record rec;

	lp_record_init(&rec);
	assert_eq_int(lp_record_parse(&rec, line, strlen(line)), LP_OK);
	lp_items_add(s, &rec);
	lp_record_release(&rec);
}

/* A value of s as compact JSON text, in a static buffer. */
static const char *
text(json_t *v)
{
	static char out[2048];
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	snprintf(out, sizeof(out), "%s", s ? s : "(null)");
	free(s);
	return out;
}

/*
 * Alice's file, then Bob's, then the adjudicated copy: one item with both
 * labels, the fields of every copy, and Bob's later label kept; a skip
 * does not replace a label, and a record without labels is no item.
 */
TEST(merge)
{
	json_t *key = json_loads("{\"x\":{\"label\":2}}", 0, NULL);
	struct lp_items *s = lp_items_new(key);
	json_t *it;

	add(s,
	    "{\"id\":\"x\",\"title\":\"T\",\"labels\":[{\"annotator_id\":"
	    "\"alice\",\"label\":1,\"note\":\"n\",\"extra\":1}]}");
	add(s,
	    "{\"id\":\"x\",\"translation\":{\"text\":\"Z\"},\"rating\":{"
	    "\"score\":3,\"confidence\":0.5},\"labels\":[{\"annotator_id\":"
	    "\"bob\",\"label\":2},{\"annotator_id\":\"alice\","
	    "\"label\":null}]}");
	add(s,
	    "{\"id\":\"x\",\"labels\":[{\"annotator_id\":\"bob\","
	    "\"label\":3,\"correction\":\"C\"}],\"adjudication\":{"
	    "\"label\":3,\"method\":\"adjudicator\"}}");
	add(s, "{\"id\":\"y\"}");
	assert_eq_int(json_array_size(lp_items_list(s)), 1);
	it = json_array_get(lp_items_list(s), 0);
	assert_eq_str(text(it),
	    "{\"id\":\"x\",\"labels\":[{\"annotator_id\":\"alice\",\"label\":1,"
	    "\"note\":\"n\"},{\"annotator_id\":\"bob\",\"label\":3,"
	    "\"correction\":\"C\"}],\"title\":\"T\",\"gold\":2,"
	    "\"translation\":\"Z\",\"rating\":{\"score\":3,"
	    "\"confidence\":0.5},"
	    "\"adjudication\":{\"label\":3,\"method\":\"adjudicator\"}}");
	assert_eq_str(text(lp_items_label_of(it, "bob")), "3");
	assert_true(lp_items_label_of(it, "carol") == NULL);
	/* The gold answer comes before the final label. */
	assert_eq_str(text(lp_items_reference(it)), "2");
	lp_items_free(s);
	json_decref(key);
}

/* Without a key, the record's own gold; else the final label. */
TEST(reference)
{
	struct lp_items *s = lp_items_new(NULL);

	add(s,
	    "{\"id\":\"a\",\"gold\":{\"score\":4},\"labels\":[{"
	    "\"annotator_id\":\"a\",\"label\":4}]}");
	add(s,
	    "{\"id\":\"b\",\"labels\":[{\"annotator_id\":\"a\","
	    "\"label\":null}]}");
	add(s,
	    "{\"id\":\"c\",\"adjudication\":{\"label\":1},\"labels\":[{"
	    "\"annotator_id\":\"a\",\"label\":2}]}");
	assert_eq_str(
	    text(lp_items_reference(json_array_get(lp_items_list(s), 0))), "4");
	assert_true(
	    lp_items_reference(json_array_get(lp_items_list(s), 1)) == NULL);
	assert_true(lp_items_label_of(
			json_array_get(lp_items_list(s), 1), "a") == NULL);
	assert_eq_str(
	    text(lp_items_reference(json_array_get(lp_items_list(s), 2))), "1");
	lp_items_free(s);
}

/* Names from the taxonomy, else the label's text or JSON. */
TEST(label_name)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_taxonomy t;
	struct lp_buf b = LP_BUF_INIT;
	json_t *v;

	assert_eq_int(lp_taxonomy_init(&t,
			  json_loadb((const char *)lp_data_taxonomy,
			      lp_data_taxonomy_len, 0, NULL),
			  &err),
	    LP_OK);
	v = json_integer(2);
	lp_items_label_name(&b, v, &t);
	json_decref(v);
	v = json_string(" or ");
	lp_items_label_name(&b, v, &t);
	json_decref(v);
	v = json_integer(7);
	lp_items_label_name(&b, v, NULL);
	json_decref(v);
	assert_eq_str(b.p, "major errors (2) or 7");
	lp_buf_release(&b);
	lp_taxonomy_release(&t);
}

RUN_TESTS()

#include "core/status.h"
#include "dedup/kept.h"
#include "test.h"

static struct lp_key128
key(uint64_t i)
{
	return lp_key128_of(&i, sizeof(i));
}

TEST(items_named_and_found)
{
	struct lp_kept k;
	uint32_t item;

	lp_kept_init(&k, 1, 1, 0);
	assert_eq_int(lp_kept_add(&k, "old", key(1), NULL, 0), LP_OK);
	lp_kept_mark_seen(&k);
	assert_eq_int(lp_kept_add(&k, "new", key(2), NULL, 0), LP_OK);
	assert_eq_int(k.nseen, 1);
	assert_true(lp_kept_key_find(&k, key(2), &item));
	assert_eq_int(item, 1);
	assert_eq_str(lp_kept_item_name(&k, item), "new");
	assert_true(!lp_kept_key_find(&k, key(3), &item));
	assert_true(lp_kept_item_name(&k, LP_NO_ITEM) == NULL);
	lp_kept_release(&k);
}

TEST(bloom_past_a_third_of_the_budget)
{
	struct lp_kept k;
	uint32_t item, i;

	/* 64k: the key set may take 21k, a table of 1024 16-byte slots. */
	lp_kept_init(&k, 0, 0, 64 << 10);
	for (i = 0; i < 5000 && !k.bloomed; i++)
		assert_eq_int(lp_kept_key_add(&k, key(i), i), LP_OK);
	assert_true(k.bloomed);
	assert_eq_int((long long)k.bloom_from, 819);
	for (; i < 5000; i++)
		assert_eq_int(lp_kept_key_add(&k, key(i), i), LP_OK);
	/* Every key is still found, and none names an item. */
	for (i = 0; i < 5000; i++)
		if (!lp_kept_key_find(&k, key(i), &item) || item != LP_NO_ITEM)
			break;
	assert_eq_int(i, 5000);
	lp_kept_release(&k);
}

TEST(name_of)
{
	struct lp_record r;
	struct lp_buf b = LP_BUF_INIT;

	lp_record_init(&r);
	assert_eq_int(lp_record_parse(&r, "{\"id\":\"a:1\"}", 12), LP_OK);
	assert_eq_str(lp_kept_name_of(&r, &b), "a:1");
	lp_record_reset(&r);
	assert_eq_int(lp_record_parse(&r, "{\"t\":1}", 7), LP_OK);
	r.file = "in.jsonl";
	r.line = 4;
	assert_eq_str(lp_kept_name_of(&r, &b), "in.jsonl:4");
	lp_record_release(&r);
	lp_buf_release(&b);
}

RUN_TESTS()

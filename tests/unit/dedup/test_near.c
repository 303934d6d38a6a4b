#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/status.h"
#include "dedup/near.h"
#include "test.h"

static const char *const titles[] = {
    "apple iphone 13 128 gb midnight unlocked smartphone",
    "samsung galaxy s21 256 gb phantom grey boxed",
    "apple iphone 13 128 gb midnight unlocked smartphones",
    "sony playstation 5 console disc edition with controller",
};

static void
near_new(struct lp_near *nd)
{
	struct lp_shingling sh;

	assert_eq_int(lp_shingling_parse(&sh, "chars:5", NULL), LP_OK);
	assert_eq_int(lp_near_init(nd, &sh, 0.8, 128), LP_OK);
}

TEST(find_then_add)
{
	struct lp_near nd;
	uint32_t id = 99;
	double sim = 0;
	int i;

	near_new(&nd);
	for (i = 0; i < 2; i++) {
		const char *t = titles[i];

		assert_true(!lp_near_find(&nd, t, strlen(t), &id, &sim));
		assert_eq_int(lp_near_add(&nd), LP_OK);
	}
	/* One character more: 46 of 47 distinct shingles shared. */
	assert_true(lp_near_find(&nd, titles[2], strlen(titles[2]), &id, &sim));
	assert_eq_int(id, 0);
	assert_true(fabs(sim - 46.0 / 47.0) < 1e-12);
	assert_true(
	    !lp_near_find(&nd, titles[3], strlen(titles[3]), &id, &sim));
	assert_true(nd.checked >= 1);
	assert_true(lp_near_bytes(&nd) > 0);
	lp_near_release(&nd);
}

TEST(find_all_in_id_order)
{
	struct lp_near nd;
	struct lp_u64s ids = {NULL, 0, 0};
	double first = 0;

	near_new(&nd);
	assert_eq_int(lp_near_insert(&nd, titles[1], strlen(titles[1])), LP_OK);
	assert_eq_int(lp_near_insert(&nd, titles[0], strlen(titles[0])), LP_OK);
	assert_eq_int(lp_near_insert(&nd, titles[2], strlen(titles[2])), LP_OK);
	lp_near_find_all(&nd, titles[0], strlen(titles[0]), &ids, &first);
	assert_eq_int(ids.n, 2);
	assert_eq_int(ids.n == 2 ? ids.v[0] : 0, 1);
	assert_eq_int(ids.n == 2 ? ids.v[1] : 0, 2);
	assert_true(first == 1.0);
	lp_u64s_release(&ids);
	lp_near_release(&nd);
}

/*
 * A small redundant catalogue: 12 products, each listed 30 times with a
 * colour, a capacity and a word that vary, so that many kept items are
 * candidates for each title and most fall short.
 */
static void
catalogue_title(char *buf, size_t size, int i)
{
	static const char *const colours[] = {
	    "black", "white", "midnight", "space grey", "rose gold"};
	static const char *const words[] = {"boxed", "unlocked", "genuine",
	    "sealed", "mint", "used", "bnib", "l@@k"};

	snprintf(buf, size, "brand%d series %c%d handset %s %dgb %s %s", i % 12,
	    'a' + i % 12, i % 12 * 37, colours[i / 12 % 5], 32 << (i / 60 % 3),
	    words[i / 3 % 8], i % 7 == 0 ? "fast" : "");
}

/*
 * The fingerprints only ever spare verifications: every query finds
 * exactly the items whose true Jaccard similarity reaches the threshold
 * (all of them candidates here), earliest first, with that similarity,
 * both on the first pass, when items are verified for the first time,
 * and on the second, when the fingerprints reject most candidates.
 */
TEST(fingerprints_change_no_answer)
{
	struct lp_shingling sh = {0, 5};
	struct lp_u64s ids = {NULL, 0, 0}, sa = {NULL, 0, 0}, sb = {NULL, 0, 0};
	struct lp_near nd;
	char t[128], u[128];
	double first = 0, truth;
	int i, j, pass, n = 360;
	unsigned long long verified[2] = {0, 0}, checked[2] = {0, 0};

	near_new(&nd);
	for (i = 0; i < n; i++) {
		catalogue_title(t, sizeof(t), i);
		assert_eq_int(lp_near_insert(&nd, t, strlen(t)), LP_OK);
	}
	for (pass = 0; pass < 2; pass++) {
		nd.checked = nd.verified = 0;
		for (i = 0; i < n; i++) {
			size_t k = 0;

			catalogue_title(t, sizeof(t), i);
			lp_near_find_all(&nd, t, strlen(t), &ids, &first);
			for (j = 0; j < n; j++) {
				catalogue_title(u, sizeof(u), j);
				truth = lp_shingle_similarity(
				    &sh, t, strlen(t), u, strlen(u), &sa, &sb);
				if (truth < 0.8)
					continue;
				assert_true(
				    k < ids.n && ids.v[k] == (uint64_t)j);
				if (k == 0)
					assert_true(first == truth);
				k++;
			}
			assert_eq_int(ids.n, k);
		}
		verified[pass] = nd.verified;
		checked[pass] = nd.checked;
	}
	assert_eq_int(checked[0], checked[1]);
	assert_true(verified[1] < verified[0]);
	assert_true(verified[1] < checked[1] / 2);
	lp_u64s_release(&ids);
	lp_u64s_release(&sa);
	lp_u64s_release(&sb);
	lp_near_release(&nd);
}

RUN_TESTS()

#include <math.h>

#include "core/status.h"
#include "dedup/lsh.h"
#include "dedup/minhash.h"
#include "dedup/shingle.h"
#include "test.h"

static struct lp_u64s a, b;

TEST(lsh_plan)
{
	int bands, rows;
	double p = lp_lsh_plan(0.8, 128, &bands, &rows);

	/* Hand-computed: r=7 b=18 gives 0.9855, r=6 b=21 gives 0.9983. */
	assert_eq_int(rows, 6);
	assert_eq_int(bands, 21);
	assert_true(fabs(p - 0.99830) < 1e-4);
	assert_true(fabs(lp_lsh_prob(0.8, 18, 7) - 0.98552) < 1e-4);
	assert_true(lp_lsh_prob(0.3, bands, rows) < 0.02);
}

TEST(lsh_finds_similar_not_different)
{
	static const char *const titles[] = {
	    "apple iphone 13 128 gb midnight unlocked smartphone",
	    "samsung galaxy s21 256 gb phantom grey boxed",
	    "sony playstation 5 console disc edition with controller",
	};
	struct lp_shingling sh = {0, 4};
	struct lp_lsh l;
	uint32_t sig[128];
	uint64_t keys[128];
	int i, bands, rows;

	lp_lsh_plan(0.8, 128, &bands, &rows);
	assert_eq_int(lp_lsh_init(&l, bands, rows), LP_OK);
	for (i = 0; i < 3; i++) {
		lp_shingles(&sh, titles[i], strlen(titles[i]), &a);
		lp_minhash(a.v, a.n, 128, sig);
		lp_lsh_keys(&l, sig, keys);
		assert_eq_int(lp_lsh_add(&l, keys, (uint32_t)i), LP_OK);
	}
	/* One changed character: a candidate; a different title: not. */
	lp_shingles(
	    &sh, "apple iphone 13 128 gb midnight unlocked smartphon", 50, &a);
	lp_minhash(a.v, a.n, 128, sig);
	lp_lsh_keys(&l, sig, keys);
	lp_lsh_query(&l, keys, &b);
	assert_eq_int(b.n, 1);
	assert_eq_int(b.n ? b.v[0] : 99, 0);
	lp_shingles(&sh, "nintendo switch oled white", 26, &a);
	lp_minhash(a.v, a.n, 128, sig);
	lp_lsh_keys(&l, sig, keys);
	lp_lsh_query(&l, keys, &b);
	assert_eq_int(b.n, 0);
	lp_lsh_release(&l);
}

TEST(grows_and_keeps_every_id)
{
	struct lp_lsh l;
	uint64_t keys[4];
	uint32_t i;

	/*
	 * 4 bands an id, all with one fingerprint: 3000 keys of 4 ids each
	 * (a list of blocks) in a shard that grows many times.
	 */
	assert_eq_int(lp_lsh_init(&l, 4, 2), LP_OK);
	for (i = 0; i < 3000; i++) {
		keys[0] = keys[1] = keys[2] = keys[3] = (uint64_t)i << 32 | 7;
		keys[1] += 1;
		assert_eq_int(lp_lsh_add(&l, keys, i), LP_OK);
	}
	assert_true(lp_lsh_bytes(&l) >= 3000 *
		(sizeof(struct lp_lsh_entry) +
		    LP_LSH_BLOCK * sizeof(uint32_t)));
	keys[0] = keys[1] = keys[2] = keys[3] = (uint64_t)1234 << 32;
	lp_lsh_query(&l, keys, &b);
	assert_eq_int(b.n, 1);
	assert_eq_int(b.n ? b.v[0] : 0, 1234);
	lp_lsh_release(&l);
}

TEST(release)
{
	lp_u64s_release(&a);
	lp_u64s_release(&b);
	assert_true(a.v == NULL);
}

/*
 * Many items under one band key (a redundant catalogue) among others:
 * every one is a candidate once, earliest first, a query may stop after
 * the first few, and the other keys are still found.
 */
TEST(many_items_share_a_key)
{
	struct lp_lsh l;
	uint64_t keys[2];
	uint32_t i, id;
	size_t k;

	assert_eq_int(lp_lsh_init(&l, 2, 3), LP_OK);
	for (i = 0; i < 6000; i++) {
		keys[0] = (uint64_t)(i % 3 == 0 ? 77 : i + 10000) << 32;
		keys[1] = (uint64_t)(i % 3 == 0 ? 77 : i + 20000) << 32;
		assert_eq_int(lp_lsh_add(&l, keys, i), LP_OK);
	}
	keys[0] = keys[1] = (uint64_t)77 << 32;
	lp_lsh_start(&l, keys);
	for (i = 0; i < 3; i++) {
		assert_true(lp_lsh_next(&l, &id));
		assert_eq_int(id, i * 3);
	}
	lp_lsh_query(&l, keys, &b);
	assert_eq_int(b.n, 2000);
	for (k = 0; k < b.n; k++)
		assert_eq_int(b.v[k], 3 * k);
	keys[0] = (uint64_t)(4001 + 10000) << 32;
	keys[1] = (uint64_t)5 << 32;
	lp_lsh_query(&l, keys, &b);
	assert_eq_int(b.n, 1);
	assert_eq_int(b.n ? b.v[0] : 0, 4001);
	lp_lsh_release(&l);
}

/*
 * Against a plain scan: few distinct keys in many bands, so that runs of
 * one home slot mix keys, clusters wrap round the end of the table and
 * the table grows many times; every query gives exactly the ids sharing a
 * key, ascending, each once.
 */
TEST(queries_match_a_scan)
{
	enum { BANDS = 5, ITEMS = 20000, KEYS = 300 };
	static uint64_t all[ITEMS][BANDS];
	struct lp_lsh l;
	uint64_t keys[BANDS], x = 12345;
	uint32_t i, q;
	int j, e;
	size_t k;

	assert_eq_int(lp_lsh_init(&l, BANDS, 2), LP_OK);
	for (i = 0; i < ITEMS; i++) {
		for (j = 0; j < BANDS; j++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			/* Band keys' fingerprints are their top 32 bits. */
			all[i][j] = ((x >> 33) % KEYS + 2) << 32;
		}
		assert_eq_int(lp_lsh_add(&l, all[i], i), LP_OK);
	}
	for (q = 0; q < 40; q++) {
		for (j = 0; j < BANDS; j++)
			keys[j] = all[q * 97][(j + 1) % BANDS];
		lp_lsh_query(&l, keys, &b);
		for (k = 0, i = 0; i < ITEMS; i++) {
			int hit = 0;

			for (j = 0; j < BANDS; j++)
				for (e = 0; e < BANDS; e++)
					hit |= all[i][j] == keys[e];
			if (!hit)
				continue;
			if (k >= b.n || b.v[k] != i)
				break;
			k++;
		}
		assert_eq_int(i, ITEMS);
		assert_eq_int(k, b.n);
	}
	lp_lsh_release(&l);
}

/* A random 64-bit key. */
static uint64_t
rand_key(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return *x ^ *x >> 29;
}

/*
 * Well-spread keys fill every shard, each growing many times on its own;
 * one key shared by every seventh id (a list) moves with its shard.
 * Every key still gives its id (and at most a stray: 32-bit fingerprints
 * of 180,000 keys collide a few times), the shared one all of its ids in
 * order, and the index holds no more than a load of 0.4 would take.
 */
TEST(shards_grow_and_keep_every_key)
{
	enum { BANDS = 3, ITEMS = 60000 };
	static uint64_t all[ITEMS][BANDS];
	const uint64_t shared = 0x0123456789abcdefULL;
	struct lp_lsh l;
	uint64_t x = 99, keys[BANDS];
	uint32_t i, id;
	size_t k, slots;

	assert_eq_int(lp_lsh_init(&l, BANDS, 2), LP_OK);
	for (i = 0; i < ITEMS; i++) {
		for (k = 0; k < BANDS; k++)
			all[i][k] = rand_key(&x);
		if (i % 7 == 0)
			all[i][1] = shared;
		assert_eq_int(lp_lsh_add(&l, all[i], i), LP_OK);
	}
	for (i = 0; i < ITEMS; i += 13) {
		keys[0] = all[i][0];
		keys[1] = keys[2] = all[i][2];
		lp_lsh_query(&l, keys, &b);
		assert_true(b.n == 1 || b.n == 2);
		assert_true(b.v[0] == i || (b.n == 2 && b.v[1] == i));
	}
	keys[0] = keys[1] = keys[2] = shared;
	lp_lsh_query(&l, keys, &b);
	assert_eq_int(b.n, (ITEMS + 6) / 7);
	for (k = 0; k < b.n; k++)
		assert_eq_int(b.v[k], 7 * k);
	/* A key never added, and an add right after its query. */
	keys[0] = keys[1] = keys[2] = rand_key(&x);
	lp_lsh_start(&l, keys);
	assert_true(!lp_lsh_next(&l, &id));
	assert_eq_int(lp_lsh_add(&l, keys, ITEMS), LP_OK);
	lp_lsh_query(&l, keys, &b);
	assert_eq_int(b.n, 1);
	assert_eq_int(b.n ? b.v[0] : 0, ITEMS);
	slots =
	    (lp_lsh_bytes(&l) - LP_LSH_SHARDS * sizeof(struct lp_lsh_shard) -
		l.blkcap * LP_LSH_BLOCK * sizeof(uint32_t)) /
	    sizeof(struct lp_lsh_entry);
	k = ITEMS * BANDS - (ITEMS + 6) / 7 + 2;
	assert_true(l.n <= k && l.n + 10 >= k);
	assert_true(slots >= l.n && slots * 2 / 5 <= l.n);
	lp_lsh_release(&l);
}

/* The key whose fingerprint (times the index's odd constant) is m. */
static uint64_t
key_of(uint32_t m)
{
	uint32_t c = 0x9e3779b1U, inv = c;
	int k;

	/* Newton's iteration for the inverse of c modulo 2^32. */
	for (k = 0; k < 5; k++)
		inv *= 2 - c * inv;
	return (uint64_t)(m * inv) << 32 | 5;
}

/*
 * Keys that share a shard and the low 16 bits (so a home slot) but not
 * the 4 bits between are told apart; so are keys whose low 16 bits are
 * those of an empty slot.  A query then an add of other keys files them.
 */
TEST(keys_sharing_a_home_are_told_apart)
{
	struct lp_lsh l;
	uint64_t keys[2];
	uint32_t i;

	assert_eq_int(lp_lsh_init(&l, 2, 4), LP_OK);
	for (i = 0; i < 32; i++) {
		keys[0] = key_of(0xabc00000U | (i & 15) << 16 | 0x1234);
		keys[1] = key_of(0xabc00000U | (i & 15) << 16 | 0xffff);
		if (i >= 16) {
			/* A query of other keys first: its lookups do not hold. */
			uint64_t other[2] = {key_of(7), key_of(8)};

			lp_lsh_query(&l, other, &b);
		}
		assert_eq_int(lp_lsh_add(&l, keys, i), LP_OK);
	}
	for (i = 0; i < 16; i++) {
		keys[0] = key_of(0xabc00000U | i << 16 | 0x1234);
		keys[1] = keys[0];
		lp_lsh_query(&l, keys, &b);
		assert_eq_int(b.n, 2);
		assert_eq_int(
		    b.n == 2 ? b.v[0] * 100 + b.v[1] : 0, i * 100 + i + 16);
		keys[0] = keys[1] = key_of(0xabc00000U | i << 16 | 0xffff);
		lp_lsh_query(&l, keys, &b);
		assert_eq_int(b.n, 2);
	}
	assert_eq_int(l.n, 32);
	lp_lsh_release(&l);
}

RUN_TESTS()

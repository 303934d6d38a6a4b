#include <math.h>

#include "core/status.h"
#include "core/hash.h"
#include "dedup/minhash.h"
#include "test.h"

static struct lp_u64s a, b;

static void
shingle(const char *spec, const char *s, struct lp_u64s *out)
{
	struct lp_shingling sh;

	assert_eq_int(lp_shingling_parse(&sh, spec), LP_OK);
	lp_shingles(&sh, s, strlen(s), out);
}

TEST(parse)
{
	struct lp_shingling sh;

	assert_eq_int(lp_shingling_parse(&sh, "words:3"), LP_OK);
	assert_true(sh.words && sh.k == 3);
	assert_eq_int(lp_shingling_parse(&sh, "chars:5"), LP_OK);
	assert_true(!sh.words && sh.k == 5);
	assert_eq_int(lp_shingling_parse(&sh, "words"), LP_FAILED);
	assert_eq_int(lp_shingling_parse(&sh, "bytes:3"), LP_FAILED);
	assert_eq_int(lp_shingling_parse(&sh, "words:0"), LP_FAILED);
	assert_eq_int(lp_shingling_parse(&sh, "words:3x"), LP_FAILED);
}

TEST(word_and_char_shingles)
{
	uint64_t abc = lp_hash64("a b c", 5, 0), bcd = lp_hash64("b c d", 5, 0);

	shingle("words:3", "a b c d", &a);
	assert_eq_int(a.n, 2);
	assert_true((a.v[0] == abc && a.v[1] == bcd) ||
	    (a.v[0] == bcd && a.v[1] == abc));
	shingle("words:3", "a b", &a);
	assert_eq_int(a.n, 1);
	shingle("words:2", "x y x y x y", &a); /* repeats count once */
	assert_eq_int(a.n, 2);
	/* Code points, not bytes: 4 CJK characters give 2 shingles of 3. */
	shingle(
	    "chars:3", "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe5\x85\xb8", &a);
	assert_eq_int(a.n, 2);
	shingle("chars:3", "", &a);
	assert_eq_int(a.n, 0);
}

TEST(jaccard_exact)
{
	uint64_t x[] = {1, 2, 3, 4}, y[] = {3, 4, 5, 6, 7, 8};

	assert_true(fabs(lp_jaccard(x, 4, y, 6) - 2.0 / 8.0) < 1e-12);
	assert_true(lp_jaccard(x, 4, x, 4) == 1.0);
	assert_true(lp_jaccard(x, 0, y, 0) == 1.0);
	assert_true(lp_jaccard(x, 4, y, 0) == 0.0);
	shingle("words:3", "apple iphone 13 128 gb black", &a);
	shingle("words:3", "apple iphone 13 128 gb blue", &b);
	/* 4 shingles each, 3 shared: 3 / 5 */
	assert_true(fabs(lp_jaccard(a.v, a.n, b.v, b.n) - 0.6) < 1e-12);
}

TEST(minhash_estimates_jaccard)
{
	uint64_t x[1000], y[1000];
	uint32_t sx[256], sy[256];
	int i, same = 0;

	/* 750 shared of 1250 distinct: J = 0.6 */
	for (i = 0; i < 1000; i++) {
		x[i] = lp_hash64(&i, sizeof(i), 1);
		y[i] = i < 750 ? x[i] : lp_hash64(&i, sizeof(i), 2);
	}
	lp_minhash(x, 1000, 256, sx);
	lp_minhash(y, 1000, 256, sy);
	for (i = 0; i < 256; i++)
		same += sx[i] == sy[i];
	/* Standard error sqrt(.6 * .4 / 256) = 0.031: allow 4 of them. */
	assert_true(fabs(same / 256.0 - 0.6) < 0.125);
}

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
	lp_lsh_init(&l, bands, rows);
	for (i = 0; i < 3; i++) {
		lp_shingles(&sh, titles[i], strlen(titles[i]), &a);
		lp_minhash(a.v, a.n, 128, sig);
		lp_lsh_keys(&l, sig, keys);
		lp_lsh_add(&l, keys, (uint32_t)i);
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

TEST(release)
{
	lp_u64s_release(&a);
	lp_u64s_release(&b);
	assert_true(a.v == NULL);
}

RUN_TESTS()

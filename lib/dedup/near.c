#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "dedup/minhash.h"
#include "dedup/near.h"

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* The bit of a shingle in a map: its top bits, which MinHash leaves. */
#define BM_SHIFT 4 /* log2(LP_NEAR_BM_WORDS) */
#define BM_BIT(x) ((unsigned)((x) >> (64 - 6 - BM_SHIFT)))

/*
 * The bound below counts bits: with the CPU's instruction where it has
 * one (not in the baseline x86-64 the library is built for), picked at
 * load time.
 */
#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define LP_CLONES __attribute__((target_clones("popcnt", "default")))
#endif
#endif
#ifndef LP_CLONES
#define LP_CLONES
#endif

int
lp_near_init(struct lp_near *nd, const struct lp_shingling *sh,
    double threshold, int nperm)
{
	int bands, rows;

	memset(nd, 0, sizeof(*nd));
	nd->sh = *sh;
	nd->threshold = threshold;
	nd->nperm = nperm;
	nd->sig = lp_xmalloc(sizeof(*nd->sig) * (size_t)nperm);
	lp_lsh_plan(threshold, nperm, &bands, &rows);
	nd->keys = lp_xmalloc(sizeof(*nd->keys) * (size_t)bands);
	if (lp_lsh_init(&nd->lsh, bands, rows) != LP_OK) {
		nd->err = nd->lsh.err;
		return LP_FAILED;
	}
	return LP_OK;
}

/* The map of shingles v[0..n). */
static void
map_of(const uint64_t *v, size_t n, uint64_t *bm)
{
	size_t i;

	memset(bm, 0, LP_NEAR_BM_WORDS * sizeof(*bm));
	for (i = 0; i < n; i++)
		bm[BM_BIT(v[i]) >> 6] |= 1ULL << (BM_BIT(v[i]) & 63);
}

/*
 * The current text's map, and bounds on how many distinct shingles it
 * has: no more than it has shingles, no fewer than its map has bits.
 */
static void
cur_bits(struct lp_near *nd)
{
	size_t w, lo = 0;

	map_of(nd->cur.v, nd->cur.n, nd->cur_bm);
	for (w = 0; w < LP_NEAR_BM_WORDS; w++)
		lo += (size_t)__builtin_popcountll(nd->cur_bm[w]);
	nd->cur_hi = nd->cur.n;
	nd->cur_lo = lo;
	nd->bm_set = 1;
}

/*
 * Keep the map of item id, whose shingles are in nd->other, nb of them
 * distinct.  The maps are 64-byte aligned, one or two cache lines each.
 */
static void
bm_keep(struct lp_near *nd, uint32_t id, size_t nb)
{
	if (nb > 0xffff)
		return; /* no room for the count: verified each time */
	if (nd->nbm == nd->bmcap) {
		size_t cap = nd->bmcap ? nd->bmcap * 2 : 1024;
		size_t bytes = cap * LP_NEAR_BM_WORDS * sizeof(*nd->bm);
		uint64_t *bm = aligned_alloc(64, bytes);

		if (bm == NULL)
			return;
		if (nd->nbm > 0)
			memcpy(bm, nd->bm,
			    nd->nbm * LP_NEAR_BM_WORDS * sizeof(*bm));
		free(nd->bm);
		nd->bm = bm;
		nd->bmcap = cap;
	}
	map_of(nd->other.v, nd->other.n, nd->bm + (nd->nbm << BM_SHIFT));
	nd->bmat[id] = (uint64_t)++nd->nbm << 16 | nb;
}

/* The ratio lp_jaccard() computes for an intersection of h. */
static double
ratio(size_t na, size_t nb, size_t h)
{
	return na + nb - h == 0 ? 1.0 : (double)h / (double)(na + nb - h);
}

/*
 * Whether the current text may reach the threshold with the item whose
 * map is at at (as in bmat).  A shingle whose bit one map has and the other lacks is in one text
 * only, and each such bit stands for at least one of them: so the
 * intersection is at most the text's count less its bits the item lacks,
 * and the item's count less its bits the text lacks.  With that bound and
 * the fewest distinct shingles the text may have, the ratio (computed as
 * lp_jaccard() does, which only grows as the intersection grows and the
 * union shrinks) is at least the true one.
 */
LP_CLONES static int
may_reach(const struct lp_near *nd, uint64_t at)
{
	const uint64_t *b = nd->bm + ((size_t)((at >> 16) - 1) << BM_SHIFT);
	size_t nb = (size_t)(at & 0xffff), pa = 0, pb = 0, w, ha, hb;

	for (w = 0; w < LP_NEAR_BM_WORDS; w++) {
		pa += (size_t)__builtin_popcountll(nd->cur_bm[w] & ~b[w]);
		pb += (size_t)__builtin_popcountll(b[w] & ~nd->cur_bm[w]);
	}
	ha = nd->cur_hi - pa;
	hb = nb - pb;
	return ratio(nd->cur_lo, nb, ha < hb ? ha : hb) >= nd->threshold;
}

/* Slots for a set of n shingles: a load of at most a half. */
static size_t
set_slots(size_t n)
{
	size_t s = 64;

	while (s < 2 * n)
		s *= 2;
	return s;
}

/*
 * Add x (not 0) to the set t of s slots (a power of two): 1 if it was not
 * there.  Shingles are well mixed, so their low bits place them.
 */
static int
set_add(uint64_t *t, size_t s, uint64_t x)
{
	size_t i = (size_t)x & (s - 1);

	while (t[i] != 0) {
		if (t[i] == x)
			return 0;
		i = (i + 1) & (s - 1);
	}
	t[i] = x;
	return 1;
}

/* Whether x (not 0) is in the set t of s slots. */
static int
set_has(const uint64_t *t, size_t s, uint64_t x)
{
	size_t i = (size_t)x & (s - 1);

	while (t[i] != 0) {
		if (t[i] == x)
			return 1;
		i = (i + 1) & (s - 1);
	}
	return 0;
}

/* The current text's distinct shingles into cset, and their count. */
static void
cur_set(struct lp_near *nd)
{
	size_t s = set_slots(nd->cur.n), i;

	if (s > nd->cset_cap) {
		nd->cset = lp_xrealloc(nd->cset, s * sizeof(*nd->cset));
		nd->cset_cap = s;
	}
	memset(nd->cset, 0, s * sizeof(*nd->cset));
	nd->cset_n = s;
	nd->na = 0;
	nd->cur_zero = 0;
	for (i = 0; i < nd->cur.n; i++) {
		uint64_t x = nd->cur.v[i];

		if (x == 0)
			nd->na += !nd->cur_zero, nd->cur_zero = 1;
		else
			nd->na += (size_t)set_add(nd->cset, s, x);
	}
	nd->cset_ok = 1;
}

/*
 * The Jaccard similarity of the current text and item id, whose
 * shingles are in nd->other, with the numbers lp_jaccard() would divide;
 * the item's map is kept if it had none.
 */
static double
similarity(struct lp_near *nd, uint32_t id)
{
	size_t s = set_slots(nd->other.n), i, nb = 0, both = 0;
	int zero = 0;

	if (s > nd->oset_cap) {
		nd->oset = lp_xrealloc(nd->oset, s * sizeof(*nd->oset));
		nd->oset_cap = s;
	}
	memset(nd->oset, 0, s * sizeof(*nd->oset));
	for (i = 0; i < nd->other.n; i++) {
		uint64_t x = nd->other.v[i];

		if (x == 0) {
			if (!zero)
				nb++, both += (size_t)nd->cur_zero;
			zero = 1;
		} else if (set_add(nd->oset, s, x)) {
			nb++;
			both += (size_t)set_has(nd->cset, nd->cset_n, x);
		}
	}
	if (nd->bmat[id] == 0)
		bm_keep(nd, id, nb);
	if (nd->na == 0 && nb == 0)
		return 1.0;
	return (double)both / (double)(nd->na + nb - both);
}

/*
 * Similarity of the current text to kept item id, or -1 where its map
 * says it is below the threshold.
 */
static double
verify(struct lp_near *nd, uint32_t id)
{
	size_t start, end;

	nd->checked++;
	if (nd->bmat[id] != 0) {
		if (!nd->bm_set)
			cur_bits(nd);
		if (!may_reach(nd, nd->bmat[id]))
			return -1;
	}
	/* Where the text is, only now: most candidates never get here. */
	start = (size_t)nd->offs.v[id];
	end = id + 1 < nd->offs.n ? (size_t)nd->offs.v[id + 1] : nd->text.len;
	if (!nd->cset_ok)
		cur_set(nd);
	lp_shingles_raw(&nd->sh, nd->text.p + start, end - start, &nd->other);
	nd->verified++;
	return similarity(nd, id);
}

/* Shingles, signature and band keys of text, as the current text. */
static void
sketch(struct lp_near *nd, const char *text, size_t n)
{
	nd->bm_set = 0;
	nd->cur_text = text;
	nd->cur_len = n;
	nd->cset_ok = 0;
	/* Repeated shingles do not change a minimum: sort only to verify. */
	lp_shingles_raw(&nd->sh, text, n, &nd->cur);
	lp_minhash(nd->cur.v, nd->cur.n, nd->nperm, nd->sig);
	lp_lsh_keys(&nd->lsh, nd->sig, nd->keys);
}

/* Start taking the current text's candidates from the index. */
static void
candidates(struct lp_near *nd)
{
	lp_lsh_start(&nd->lsh, nd->keys);
	nd->ahead_at = nd->ahead_n = nd->ahead_end = 0;
}

/*
 * The next candidate, earliest first: 1 with *id, or 0.  The index runs
 * a few candidates ahead, so that where each one's map is, and then the
 * map, are in cache by its turn.
 */
static int
next_candidate(struct lp_near *nd, uint32_t *id)
{
	uint32_t x;

	while (nd->ahead_n < LP_NEAR_AHEAD && !nd->ahead_end) {
		if (!lp_lsh_next(&nd->lsh, &x)) {
			nd->ahead_end = 1;
			break;
		}
		nd->ahead[(nd->ahead_at + nd->ahead_n++) % LP_NEAR_AHEAD] = x;
		PREFETCH(&nd->bmat[x]);
	}
	if (nd->ahead_n == 0)
		return 0;
	*id = nd->ahead[nd->ahead_at];
	nd->ahead_at = (nd->ahead_at + 1) % LP_NEAR_AHEAD;
	nd->ahead_n--;
	/* Both lines of the map of the one a few places on. */
	if (nd->ahead_n >= LP_NEAR_AHEAD / 2) {
		x = nd->ahead[(nd->ahead_at + LP_NEAR_AHEAD / 4) %
		    LP_NEAR_AHEAD];
		if (nd->bmat[x] != 0) {
			const uint64_t *m = nd->bm +
			    ((size_t)((nd->bmat[x] >> 16) - 1) << BM_SHIFT);

			PREFETCH(m);
			PREFETCH(m + 8);
		}
	}
	return 1;
}

/*
 * The next candidate, earliest first, whose similarity reaches the
 * threshold: 1 with *id and *sim set; 0 once none is left.
 */
static int
next_match(struct lp_near *nd, uint64_t *id, double *sim)
{
	uint32_t x;

	while (next_candidate(nd, &x))
		if ((*sim = verify(nd, x)) >= nd->threshold) {
			*id = x;
			return 1;
		}
	return 0;
}

int
lp_near_find(
    struct lp_near *nd, const char *text, size_t n, uint32_t *id, double *sim)
{
	uint64_t i;

	sketch(nd, text, n);
	candidates(nd);
	/* The earliest kept item that reaches the threshold is the one. */
	if (!next_match(nd, &i, sim))
		return 0;
	*id = (uint32_t)i;
	return 1;
}

void
lp_near_find_all(struct lp_near *nd, const char *text, size_t n,
    struct lp_u64s *ids, double *first_sim)
{
	uint64_t i;
	double j;

	sketch(nd, text, n);
	candidates(nd);
	ids->n = 0;
	while (next_match(nd, &i, &j)) {
		if (ids->n == 0)
			*first_sim = j;
		lp_u64s_push(ids, i);
	}
}

int
lp_near_add(struct lp_near *nd)
{
	uint32_t id = (uint32_t)nd->offs.n;

	if (lp_lsh_add(&nd->lsh, nd->keys, id) != LP_OK) {
		nd->err = nd->lsh.err;
		return LP_FAILED;
	}
	if (id == nd->bmat_cap) {
		nd->bmat_cap = id ? (size_t)id * 2 : 1024;
		nd->bmat =
		    lp_xrealloc(nd->bmat, nd->bmat_cap * sizeof(*nd->bmat));
	}
	nd->bmat[id] = 0;
	lp_u64s_push(&nd->offs, (uint64_t)nd->text.len);
	lp_buf_add(&nd->text, nd->cur_text, nd->cur_len);
	return LP_OK;
}

int
lp_near_insert(struct lp_near *nd, const char *text, size_t n)
{
	sketch(nd, text, n);
	return lp_near_add(nd);
}

size_t
lp_near_bytes(const struct lp_near *nd)
{
	return lp_lsh_bytes(&nd->lsh) + nd->text.cap + nd->offs.cap * 8 +
	    nd->bmat_cap * sizeof(*nd->bmat) +
	    nd->bmcap * LP_NEAR_BM_WORDS * sizeof(*nd->bm);
}

void
lp_near_release(struct lp_near *nd)
{
	lp_lsh_release(&nd->lsh);
	lp_buf_release(&nd->text);
	lp_u64s_release(&nd->offs);
	lp_u64s_release(&nd->cur);
	lp_u64s_release(&nd->other);
	free(nd->sig);
	free(nd->keys);
	free(nd->cset);
	free(nd->oset);
	nd->cset = nd->oset = NULL;
	nd->cset_cap = nd->oset_cap = 0;
	free(nd->bmat);
	free(nd->bm);
	nd->sig = NULL;
	nd->keys = NULL;
	nd->bmat = NULL;
	nd->bm = NULL;
	nd->nbm = nd->bmcap = nd->bmat_cap = 0;
}

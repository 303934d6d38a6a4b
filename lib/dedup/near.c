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

/* A shingle's fingerprint, and the words of the bitmap of them. */
#define FP(x) ((uint16_t)(x))
#define FP_WORDS (65536 / 64)

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
	nd->bits = lp_xmalloc(FP_WORDS * sizeof(*nd->bits));
	memset(nd->bits, 0, FP_WORDS * sizeof(*nd->bits));
	if (lp_lsh_init(&nd->lsh, bands, rows) != LP_OK) {
		nd->err = nd->lsh.err;
		return LP_FAILED;
	}
	return LP_OK;
}

/*
 * The current text's fingerprints in the bitmap, and in na_fp how many
 * differ: no more than its distinct shingles, as the bound wants.
 */
static void
cur_bits(struct lp_near *nd)
{
	size_t i, n = 0;

	for (i = 0; i < nd->cur.n; i++) {
		uint16_t f = FP(nd->cur.v[i]);
		uint64_t bit = 1ULL << (f & 63);

		n += (nd->bits[f >> 6] & bit) == 0;
		nd->bits[f >> 6] |= bit;
	}
	nd->na_fp = n;
	nd->bits_set = 1;
}

/* Keep the fingerprints of item id, whose shingles are in nd->other. */
static void
fp_keep(struct lp_near *nd, uint64_t id)
{
	size_t i, need = nd->fpn + 1 + nd->other.n;

	if (need > UINT32_MAX - 1)
		return; /* a full store only costs verifications */
	if (need > nd->fpcap) {
		nd->fpcap = need > nd->fpcap * 2 ? need : nd->fpcap * 2;
		nd->fp = lp_xrealloc(nd->fp, nd->fpcap * sizeof(*nd->fp));
	}
	nd->fpat[id] = (uint32_t)nd->fpn + 1;
	nd->fp[nd->fpn++] = (uint16_t)nd->other.n;
	for (i = 0; i < nd->other.n; i++)
		nd->fp[nd->fpn++] = FP(nd->other.v[i]);
}

/* The ratio lp_jaccard() computes for an intersection of h. */
static double
ratio(size_t na, size_t nb, size_t h)
{
	return (double)h / (double)(na + nb - h);
}

/*
 * Whether the current text may reach the threshold with item id, from
 * its fingerprints: each shared shingle hits the bitmap, so hits is at
 * least the true intersection, and na_fp at most the text's shingles, so
 * the ratio (computed as lp_jaccard() does, which only grows as the
 * intersection grows and the union shrinks) is at least the true one.
 * Below the fewest hits that reach the threshold, the true similarity
 * cannot: the loop stops once too many fingerprints have missed.
 */
static int
may_reach(const struct lp_near *nd, uint64_t id)
{
	const uint16_t *f = nd->fp + nd->fpat[id] - 1;
	size_t nb = f[0], na = nd->na_fp, need, miss = 0, i;

	if (na == 0 && nb == 0)
		return 1;
	/* need: the fewest hits whose ratio reaches the threshold. */
	need =
	    (size_t)(nd->threshold * (double)(na + nb) / (1 + nd->threshold));
	while (need > 0 && ratio(na, nb, need - 1) >= nd->threshold)
		need--;
	while (need <= nb && ratio(na, nb, need) < nd->threshold)
		need++;
	if (need > nb)
		return 0;
	for (i = 1; i <= nb; i++)
		if ((nd->bits[f[i] >> 6] >> (f[i] & 63) & 1) == 0 &&
		    ++miss > nb - need)
			return 0;
	return 1;
}

/*
 * Similarity of the current text to kept item id, or -1 where its
 * fingerprints say it is below the threshold.
 */
static double
verify(struct lp_near *nd, uint64_t id)
{
	size_t start = (size_t)nd->offs.v[id];
	size_t end =
	    id + 1 < nd->offs.n ? (size_t)nd->offs.v[id + 1] : nd->text.len;

	nd->checked++;
	if (nd->fpat[id] != 0) {
		if (!nd->bits_set)
			cur_bits(nd);
		if (!may_reach(nd, id))
			return -1;
	}
	if (!nd->cur_sorted) {
		lp_u64s_sort_unique(&nd->cur);
		nd->cur_sorted = 1;
	}
	lp_shingles(&nd->sh, nd->text.p + start, end - start, &nd->other);
	nd->verified++;
	if (nd->fpat[id] == 0)
		fp_keep(nd, id);
	return lp_jaccard(nd->cur.v, nd->cur.n, nd->other.v, nd->other.n);
}

/* Shingles, signature and band keys of text, as the current text. */
static void
sketch(struct lp_near *nd, const char *text, size_t n)
{
	size_t i;

	if (nd->bits_set) {
		for (i = 0; i < nd->cur.n; i++)
			nd->bits[FP(nd->cur.v[i]) >> 6] = 0;
		nd->bits_set = 0;
	}
	nd->cur_text = text;
	nd->cur_len = n;
	nd->cur_sorted = 0;
	/* Repeated shingles do not change a minimum: sort only to verify. */
	lp_shingles_raw(&nd->sh, text, n, &nd->cur);
	lp_minhash(nd->cur.v, nd->cur.n, nd->nperm, nd->sig);
	lp_lsh_keys(&nd->lsh, nd->sig, nd->keys);
}

/* Sift v[i] down the min-heap v[0..n). */
static void
sift(uint64_t *v, size_t n, size_t i)
{
	uint64_t x = v[i];
	size_t c;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && v[c + 1] < v[c])
			c++;
		if (x <= v[c])
			break;
		v[i] = v[c];
		i = c;
	}
	v[i] = x;
}

/*
 * The candidates of the current text, to be taken earliest first: a
 * min-heap, since a duplicate usually stops at one of the first few and
 * sorting all of them would cost more than verifying those.
 */
static void
candidates(struct lp_near *nd)
{
	size_t i;

	lp_lsh_candidates(&nd->lsh, nd->keys, &nd->cand);
	for (i = nd->cand.n / 2; i-- > 0;)
		sift(nd->cand.v, nd->cand.n, i);
	for (i = 0; i < nd->cand.n && i < 32; i++)
		PREFETCH(&nd->fpat[nd->cand.v[i]]);
}

/*
 * The next candidate, earliest first, whose similarity reaches the
 * threshold: 1 with *id and *sim set; 0 once none is left.
 */
static int
next_match(struct lp_near *nd, uint64_t *id, double *sim)
{
	uint64_t *v = nd->cand.v;

	while (nd->cand.n > 0) {
		*id = v[0];
		v[0] = v[--nd->cand.n];
		sift(v, nd->cand.n, 0);
		/* The next one's fingerprints load while this one is checked. */
		if (nd->cand.n > 0 && nd->fpat[v[0]] != 0)
			PREFETCH(nd->fp + nd->fpat[v[0]] - 1);
		if ((*sim = verify(nd, *id)) >= nd->threshold)
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
	if (id == nd->fpat_cap) {
		nd->fpat_cap = id ? (size_t)id * 2 : 1024;
		nd->fpat =
		    lp_xrealloc(nd->fpat, nd->fpat_cap * sizeof(*nd->fpat));
	}
	nd->fpat[id] = 0;
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
	    nd->fpat_cap * sizeof(*nd->fpat) + nd->fpcap * sizeof(*nd->fp);
}

void
lp_near_release(struct lp_near *nd)
{
	lp_lsh_release(&nd->lsh);
	lp_buf_release(&nd->text);
	lp_u64s_release(&nd->offs);
	lp_u64s_release(&nd->cur);
	lp_u64s_release(&nd->other);
	lp_u64s_release(&nd->cand);
	free(nd->sig);
	free(nd->keys);
	free(nd->fpat);
	free(nd->fp);
	free(nd->bits);
	nd->sig = NULL;
	nd->keys = NULL;
	nd->fpat = NULL;
	nd->fp = NULL;
	nd->bits = NULL;
	nd->fpn = nd->fpcap = nd->fpat_cap = 0;
}

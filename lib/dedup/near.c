#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "dedup/minhash.h"
#include "dedup/near.h"

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

/* Similarity of the current text to kept item id. */
static double
verify(struct lp_near *nd, uint64_t id)
{
	size_t start = (size_t)nd->offs.v[id];
	size_t end =
	    id + 1 < nd->offs.n ? (size_t)nd->offs.v[id + 1] : nd->text.len;

	if (!nd->cur_sorted) {
		lp_u64s_sort_unique(&nd->cur);
		nd->cur_sorted = 1;
	}
	lp_shingles(&nd->sh, nd->text.p + start, end - start, &nd->other);
	nd->checked++;
	return lp_jaccard(nd->cur.v, nd->cur.n, nd->other.v, nd->other.n);
}

/* Shingles, signature and band keys of text, as the current text. */
static void
sketch(struct lp_near *nd, const char *text, size_t n)
{
	nd->cur_text = text;
	nd->cur_len = n;
	nd->cur_sorted = 0;
	/* Repeated shingles do not change a minimum: sort only to verify. */
	lp_shingles_raw(&nd->sh, text, n, &nd->cur);
	lp_minhash(nd->cur.v, nd->cur.n, nd->nperm, nd->sig);
	lp_lsh_keys(&nd->lsh, nd->sig, nd->keys);
}

/*
 * The first candidate from i on (candidates come in id order: the
 * earliest kept items first) whose similarity reaches the threshold, with
 * that similarity in *sim; nd->cand.n if none does.
 */
static size_t
next_match(struct lp_near *nd, size_t i, double *sim)
{
	for (; i < nd->cand.n; i++)
		if ((*sim = verify(nd, nd->cand.v[i])) >= nd->threshold)
			break;
	return i;
}

int
lp_near_find(
    struct lp_near *nd, const char *text, size_t n, uint32_t *id, double *sim)
{
	double j;
	size_t i;

	sketch(nd, text, n);
	lp_lsh_query(&nd->lsh, nd->keys, &nd->cand);
	/* The earliest kept item that reaches the threshold is the one. */
	if ((i = next_match(nd, 0, &j)) == nd->cand.n)
		return 0;
	*id = (uint32_t)nd->cand.v[i];
	*sim = j;
	return 1;
}

void
lp_near_find_all(struct lp_near *nd, const char *text, size_t n,
    struct lp_u64s *ids, double *first_sim)
{
	double j;
	size_t i;

	sketch(nd, text, n);
	lp_lsh_query(&nd->lsh, nd->keys, &nd->cand);
	ids->n = 0;
	for (i = next_match(nd, 0, &j); i < nd->cand.n;
	     i = next_match(nd, i + 1, &j)) {
		if (ids->n == 0)
			*first_sim = j;
		lp_u64s_push(ids, nd->cand.v[i]);
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
	return lp_lsh_bytes(&nd->lsh) + nd->text.cap + nd->offs.cap * 8;
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
	nd->sig = NULL;
	nd->keys = NULL;
}

/*
 * Clusters of duplicates, for a run that chooses its survivors once the
 * input ends (lp-dedup --keep longest|cheapest).
 *
 * Members are numbered 0, 1, ... in input order.  A member joins the
 * cluster of every earlier member it duplicates (union-find with path
 * halving; the earliest member is always the root), so a chain of near
 * duplicates is one cluster.  Members without a key, and members that
 * repeat an item of an earlier run, stand apart: they are in no cluster
 * and survive nothing.  Duplicates are found in a struct lp_kept whose
 * items are the earlier runs' (below its nseen), then member m as item
 * nseen + m.  The survivor of a cluster is the member with the
 * lowest score under the keep rule, ties going to the earliest, so reruns
 * choose the same one.
 */
#ifndef LP_DEDUP_CLUSTER_H
#define LP_DEDUP_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/record.h"
#include "dedup/kept.h"

/* Which record of a cluster survives. */
enum lp_keep { LP_KEEP_FIRST, LP_KEEP_LONGEST, LP_KEEP_CHEAPEST };

/*
 * "first", "longest" or "cheapest" into *keep.  LP_OK, or LP_FAILED with
 * err listing the rules.
 */
int lp_keep_parse(const char *s, enum lp_keep *keep, struct lp_error *err);
/* The name lp_keep_parse() takes for keep. */
const char *lp_keep_name(enum lp_keep keep);
/*
 * The score of rec under keep, lower being better: minus the code points
 * of its key text key[0..n) for longest; its price.amount for cheapest,
 * where a record without a numeric price scores HUGE_VAL and so loses to
 * any with one; 0 for first, where the earliest wins.
 */
double lp_keep_score(
    enum lp_keep keep, struct lp_record *rec, const char *key, size_t n);

struct lp_cluster_member {
	uint32_t parent; /* itself for a root */
	uint32_t seen;	 /* the earlier run's item it repeats, or LP_NO_ITEM */
	uint8_t nokey, seen_near;
	float seen_sim;
	double score;
};

struct lp_cluster {
	struct lp_cluster_member *m;
	uint32_t *best; /* per root, after lp_cluster_choose() */
	size_t n, cap;
	struct lp_u64s matches; /* scratch: near matches */
	struct lp_error err;
};

#define LP_CLUSTER_INIT                                                        \
	{                                                                      \
		NULL, NULL, 0, 0, {NULL, 0, 0}, LP_ERROR_INIT                  \
	}

/*
 * A new member, the next number, in a cluster of its own, with score
 * (nokey: it has no key and stands apart).  Returns it, or NULL with err
 * set when there are too many to number.
 */
struct lp_cluster_member *lp_cluster_add(
    struct lp_cluster *c, double score, int nokey);
/*
 * A new member with key text key[0..n) and score: if the key, or with a
 * near index the text, repeats an earlier run's item in kp, the member
 * stands apart with seen set (the earliest such item); else it joins the
 * cluster of every member it repeats and its key and text go into kp.
 * LP_OK, or LP_FAILED with err set.
 */
int lp_cluster_add_key(struct lp_cluster *c, struct lp_kept *kp,
    const char *key, size_t n, double score);
/* The root (earliest member) of i's cluster. */
uint32_t lp_cluster_root(struct lp_cluster *c, uint32_t i);
/* Merge the clusters of a and b. */
void lp_cluster_join(struct lp_cluster *c, uint32_t a, uint32_t b);
/* Choose every cluster's survivor, once all members are in. */
void lp_cluster_choose(struct lp_cluster *c);
/*
 * The survivor of i's cluster (i itself when it stands apart), after
 * lp_cluster_choose().
 */
uint32_t lp_cluster_survivor(struct lp_cluster *c, uint32_t i);
void lp_cluster_release(struct lp_cluster *c);

#endif

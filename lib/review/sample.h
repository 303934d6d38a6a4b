/*
 * Sampling records for review (lp-sample): which records people see.
 *
 * Rules select a record: questionable (an expression holds), a random
 * share (each record with probability p), a random count (exactly n
 * records, by reservoir sampling), strata (up to n records for each value
 * of a field, a reservoir each); a cap (--max) keeps a seeded choice of
 * the selected; gold items (records with a known answer) are mixed in at
 * seeded random places.  Every random choice comes from the seed, one
 * stream per purpose, so adding a rule leaves the others' draws alone and
 * the same input and seed give the same sample.
 *
 * Rules that decide a record on its own stream: lp_sample_reasons() says
 * at once.  The others are deferred: lp_sample_take() holds what is
 * selected (the reservoirs hold only their slots), and at the end of the
 * input lp_sample_collect(), lp_sample_cap(), lp_sample_gold_load() and
 * lp_sample_gold_choose() make the sample, which lp_sample_next() hands
 * out in input order with the gold among it.
 *
 * Records are numbered 0, 1, ... in input order (index).  A record pushed
 * out of a reservoir that no other rule holds is unselected: it is left
 * in dropped[] for the caller (to drop it, or write it to the rest).
 */
#ifndef LP_REVIEW_SAMPLE_H
#define LP_REVIEW_SAMPLE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/rng.h"
#include "core/held.h"
#include "core/record.h"
#include "review/gold.h"
#include "text/expr.h"

/* Reasons, as bits, in the order they are written. */
enum {
	LP_SAMPLE_QUESTIONABLE = 1,
	LP_SAMPLE_RANDOM = 2,
	LP_SAMPLE_STRATUM = 4,
	LP_SAMPLE_GOLD = 8
};

/* One record's line, held in a reservoir. */
struct lp_sample_slot {
	struct lp_buf line;
	const char *file;
	unsigned long lineno;
	uint64_t index;
	/* The slot of the other reservoir that took the same record. */
	struct lp_sample_slot *twin;
};

struct lp_reservoir {
	struct lp_sample_slot *slots;
	size_t n, cap;	  /* filled, size */
	uint64_t offered; /* records offered */
};

/* A selected record, once the input ended. */
struct lp_sample_pick {
	uint64_t index;
	unsigned reasons;
	int src;      /* 0: held, 1: random slot, 2: stratum slot */
	size_t where; /* held index, or slot */
	size_t stratum;
};

struct lp_sample {
	/* The rules, set before lp_sample_start(); -1: not given. */
	const struct lp_expr *questionable;
	double random_share;
	long long random_n, per_stratum, max;
	double gold_rate; /* 0: no gold */
	uint64_t seed;
	long long round; /* written when above 0 */
	int deferred;	 /* set by lp_sample_start() */

	struct lp_rng r_share, r_res, r_strata, r_max, r_gold, r_route;
	struct lp_reservoir rand;
	struct lp_reservoir *strata;
	size_t nstrata;
	struct lp_held sel; /* selected by the streaming rules */
	uint64_t *sel_index;
	unsigned *sel_reasons;
	size_t nsel_cap;
	uint64_t taken; /* records taken */
	/* Records the last lp_sample_take() pushed out, unselected. */
	struct lp_sample_slot dropped[2];
	int ndropped;

	struct lp_sample_pick *picks; /* the sample; then what --max cut */
	size_t npicks;
	struct lp_held gold;
	char *gold_name;
	size_t *goldpos, ngold;
	size_t next_pick, next_gold; /* lp_sample_next()'s place */
	struct lp_gold_look look;    /* what the picks look like */
	json_t *answer; /* the last gold item's answer, taken out of it */

	long long n_questionable, n_random, n_stratum, n_cut, n_gold;
	struct lp_error err;
};

/*
 * Set every field to "no rule" (the seed to 1), for the caller to fill
 * the rules in.
 */
void lp_sample_init(struct lp_sample *s);
/*
 * Ready to take records: seed the random streams, and make the random
 * reservoir.  LP_OK, or LP_FAILED (err) if memory cannot be had.
 */
int lp_sample_start(struct lp_sample *s);
/*
 * The streaming rules' reasons for rec (0: none): the questionable
 * expression and the random share, which draws once per record.  Counted
 * in n_questionable and n_random unless the sample is deferred.
 */
unsigned lp_sample_reasons(struct lp_sample *s, struct lp_record *rec);
/* A new stratum, with a reservoir; its number in *stratum. */
int lp_sample_stratum_new(struct lp_sample *s, size_t *stratum);
/*
 * A deferred sample takes the next record, with its streaming reasons and
 * its stratum (ignored without strata): it is held if selected and
 * offered to the reservoirs.  *kept is 1 if something holds it, else 0
 * (the caller drops it).  dropped[0..ndropped) are the records it pushed
 * out that nothing holds any more, to be dropped before it.  LP_OK, or
 * LP_FAILED (err).
 */
int lp_sample_take(struct lp_sample *s, const struct lp_record *rec,
    unsigned reasons, size_t stratum, int *kept);
/* The record held in slot sl, parsed again. */
void lp_sample_slot_record(
    const struct lp_sample_slot *sl, struct lp_record *rec);
/*
 * At the end of the input: the union of the selections in input order,
 * one pick per record with every reason that chose it; counts them.
 */
void lp_sample_collect(struct lp_sample *s);
/*
 * The cap: a seeded choice of max picks, still in input order.  Returns
 * how many were cut; they are picks[npicks .. npicks + cut), for the
 * caller to drop.
 */
size_t lp_sample_cap(struct lp_sample *s);
/* Pick i's record (i may be one the cap cut). */
void lp_sample_pick_record(
    const struct lp_sample *s, size_t i, struct lp_record *rec);
/*
 * Load the gold items of path: every record must have its answer in
 * "gold".  LP_OK; LP_FAILED (bad data) or LP_FATAL (cannot be read), with
 * err naming the file and line.
 */
int lp_sample_gold_load(struct lp_sample *s, const char *path);
/*
 * How many gold items the rate wants (g = picks * rate / (1 - rate),
 * rounded), and which: a seeded choice of that many, or of all there are
 * if there are fewer.  Returns the number wanted.
 */
size_t lp_sample_gold_choose(struct lp_sample *s);
/*
 * Check that each chosen gold item would pass for one of the picks
 * (review/gold.h): the same fields, an id of the same form.  LP_OK, or
 * LP_FAILED with err naming the item and what gives it away
 * ("gold.jsonl: gold item 'gold:2' would stand out: no field 'raw'").
 * Call after lp_sample_gold_choose().
 */
int lp_sample_gold_check(struct lp_sample *s);
/*
 * The next item of the sample, in input order with the gold at seeded
 * random places: 1 with rec and *reasons (LP_SAMPLE_GOLD for gold) set,
 * or 0 at the end.  A gold item comes without its answer, which is left
 * in s->answer (owned by s, valid until the next call), and with the
 * lineage of a real item, so that nothing in it tells it apart.
 */
int lp_sample_next(
    struct lp_sample *s, struct lp_record *rec, unsigned *reasons);
/*
 * The gold key line of the gold item id that lp_sample_next() gave last,
 * {"id": id, "gold": its answer} and a newline, appended to out.
 */
void lp_sample_key_line(
    const struct lp_sample *s, const char *id, struct lp_buf *out);
/*
 * The "sample" object of a selected record: reason (every rule that chose
 * it; a gold item's reads "random", the cover any spot check has), seed,
 * round when set, and with who the names of its k annotators as
 * assignees (names[who[0]] ...).
 */
json_t *lp_sample_object(const struct lp_sample *s, unsigned reasons,
    char *const *names, const int *who, int k);
void lp_sample_release(struct lp_sample *s);

#endif

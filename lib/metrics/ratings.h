/*
 * The labels of a dataset as a table of ratings: which annotator put which
 * item in which class, with the gold answer and the LLM judge's score of
 * each item where known.  From it come the agreement, judge, gold and
 * throughput sections of the KPI report (lp-kpi --json).
 *
 * Items, annotators and classes are numbered in the order they were first
 * seen (struct lp_names); a class is named by its label's canonical JSON
 * ("3", "\"bad\"").  One label per annotator and item: a later one
 * replaces the earlier.  A zeroed struct is an empty table; the table owns
 * everything it points to.
 */
#ifndef LP_METRICS_RATINGS_H
#define LP_METRICS_RATINGS_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "metrics/names.h"

struct lp_ratings_item {
	int *who, *cls; /* annotator and class of each label */
	int n;
	int gold;    /* class of the gold answer, or -1 */
	int judge;   /* class of the judge's score, or -1 */
	double conf; /* the judge's confidence, or -1 */
};

struct lp_ratings {
	struct lp_names items, annot, classes;
	struct lp_ratings_item *it;	/* by item index */
	long long *labels_by, *time_by; /* labels and ms by annotator */
	struct lp_buf scratch;		/* a class's name while it is found */
};

/* The index of item id, added (with no labels) if new. */
size_t lp_ratings_item(struct lp_ratings *r, const char *id);
/* The class of a label value, added if new. */
int lp_ratings_class(struct lp_ratings *r, json_t *label);
/*
 * Annotator who gave item the label (not JSON null), taking ms to do it
 * (for throughput).
 */
void lp_ratings_add(struct lp_ratings *r, size_t item, const char *who,
    json_t *label, long long ms);
/*
 * Take the gold answer, judge's score and confidence of each item from
 * whole where r has none: a group's share of the input may lack the copy
 * of a record that carried them.
 */
void lp_ratings_fill_from(struct lp_ratings *r, const struct lp_ratings *whole);

/*
 * The agreement section: annotators, items, percent agreement, Fleiss'
 * kappa, Krippendorff's alpha, Gwet's AC1/AC2, with nboot bootstrap
 * resamples (from seed; 0 for none) for alpha's intervals, and every pair
 * of annotators with their kappas and confusion matrix.  Classes are
 * ordered numbers first (by value), then by name.  New reference.
 */
json_t *lp_ratings_agreement(
    const struct lp_ratings *r, int nboot, unsigned long long seed);
/* The gold section: accuracy against gold answers, overall and by
 * annotator.  New reference. */
json_t *lp_ratings_gold(const struct lp_ratings *r);
/*
 * The judge section: the judge's kappa against the annotators' majority
 * label, and its calibration per tenth of confidence.  New reference.
 */
json_t *lp_ratings_judge(const struct lp_ratings *r);
/* The throughput section: labels and labels per hour by annotator. */
json_t *lp_ratings_throughput(const struct lp_ratings *r);
/* Free everything; r is an empty table again. */
void lp_ratings_release(struct lp_ratings *r);

#endif

/*
 * Drill-down and trends for lp-kpi (--by, --over): the same metrics per
 * group of records.  A breakdown splits records by one key: annotator,
 * pipeline_version, dataset_version, taxonomy_version, task_id (from the
 * lineage), day or week (ISO 8601, of the first label's time, else of the
 * last lineage step's).  A record goes to every group it belongs to (one
 * per annotator who labelled it, under "annotator"), and each group has a
 * struct lp_kpi of its own; under "annotator" a group counts only its
 * annotator's labels.
 *
 * The breakdown owns its groups.  Groups are found by a linear search:
 * they are few (annotators, versions, days).
 */
#ifndef LP_METRICS_BREAKDOWN_H
#define LP_METRICS_BREAKDOWN_H

#include <jansson.h>
#include <stddef.h>

#include "core/record.h"
#include "metrics/kpi.h"

struct lp_breakdown_group {
	char *key;
	struct lp_kpi *kpi;
};

struct lp_breakdown {
	const char *name;	   /* the key, one of lp_breakdown_names */
	const char *const *fields; /* --field paths, for each group's kpi */
	size_t nfields;
	struct lp_breakdown_group *g;
	size_t n;
	json_t *keys;	  /* scratch: the keys of the record at hand */
	json_t *gold_key; /* each group's lp_kpi_gold_key(), or NULL */
};

/*
 * Set up an empty breakdown by name (not copied; one of "annotator",
 * "pipeline_version", "dataset_version", "taxonomy_version", "task_id",
 * "day", "week"), its groups counting the balance of fields (not copied;
 * as lp_kpi_new()).
 */
void lp_breakdown_init(struct lp_breakdown *b, const char *name,
    const char *const *fields, size_t nfields);
/* 1 if name splits by time (day, week: a trend, --over), else 0 (--by). */
int lp_breakdown_over_time(const char *name);
/* Count rec in every group it belongs to. */
void lp_breakdown_add(struct lp_breakdown *b, struct lp_record *rec);
/*
 * The metrics of every group, {key: metrics, ...} in order of key (days
 * and ISO weeks sort into time order), each with the gold answers and
 * judge's scores of whole (lp_kpi_fill_from()) and no bootstrap (it would
 * cost more than all the rest).  Sorts the groups.  New reference.
 */
json_t *lp_breakdown_metrics(struct lp_breakdown *b, const struct lp_kpi *whole,
    unsigned long long seed);
void lp_breakdown_release(struct lp_breakdown *b);

#endif

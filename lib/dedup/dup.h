/*
 * The dup field lp-dedup gives a duplicate it marks or diverts:
 * {"of": the kept record's name or null, "similarity": its Jaccard
 * similarity (1 for an exact duplicate), "method": "exact" or "near",
 * "cluster": the name of the group's first record or null, and
 * "seen": true when the kept record is an earlier run's}.
 */
#ifndef LP_DEDUP_DUP_H
#define LP_DEDUP_DUP_H

#include "core/record.h"

/* Set dup on rec; of and cluster may be NULL (written as null). */
void lp_dup_set(struct lp_record *rec, const char *of, double similarity,
    int near, const char *cluster, int seen);

#endif

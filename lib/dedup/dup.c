#include <jansson.h>

#include "dedup/dup.h"

void
lp_dup_set(struct lp_record *rec, const char *of, double similarity, int near,
    const char *cluster, int seen)
{
	json_t *dup = json_pack("{s:o,s:f,s:s,s:o}", "of",
	    of ? json_string(of) : json_null(), "similarity", similarity,
	    "method", near ? "near" : "exact", "cluster",
	    cluster ? json_string(cluster) : json_null());

	if (seen)
		json_object_set_new(dup, "seen", json_true());
	lp_record_set(rec, "dup", dup);
}

/*
 * Lineage: each tool appends one step to a record's lineage.steps and sets
 * pipeline_version, dataset_version and task_id when it was given them.
 *
 * A step is compact, {"tool","version","run_id","at","config"}: the time is
 * in milliseconds since the epoch, config is a short digest of the options
 * that change output.  The full options and the host go once into the audit
 * log under the run id.  With SOURCE_DATE_EPOCH set, the time and the run id
 * are fixed, so equal inputs give byte-identical outputs.
 */
#ifndef LP_LINEAGE_H
#define LP_LINEAGE_H

#include <jansson.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/record.h"

struct lp_lineage {
	char tool[32];
	char run_id[17];
	char config[17];
	const char *pipeline_version; /* NULL: leave as found */
	const char *dataset_version;
	const char *task_id;
	int fixed_time;	    /* SOURCE_DATE_EPOCH was set */
	long long epoch_ms; /* the fixed time */
	/* Pre-rendered pieces for the fast path. */
	struct lp_buf step_head, step_tail, fresh_head, sets[3];
};

/*
 * Set up lineage for one run.  config is the canonical text of the options
 * that change output (digested; may be ""), seed the extra entropy of
 * the run id.  Versions come from the arguments or else the LP_* variables.
 */
void lp_lineage_init(struct lp_lineage *lg, const char *tool,
    const char *config, const char *pipeline_version,
    const char *dataset_version, const char *task_id);
/* Free the pre-rendered pieces. */
void lp_lineage_release(struct lp_lineage *lg);
/* Now in ms, or the fixed time. */
long long lp_lineage_now(const struct lp_lineage *lg);
/*
 * Write r, stamped, as one line (with "\n") to out.  LP_OK, or LP_FAILED
 * (err in r) when the record's lineage is not an object or its steps are
 * not an array.
 */
int lp_lineage_stamp(const struct lp_lineage *lg, struct lp_record *r,
    long long at_ms, struct lp_buf *out);
/*
 * Stamp the lineage object in the tree root (the slow path; exposed for
 * tests).  LP_OK, or LP_FAILED with err set as lp_lineage_stamp() says.
 */
int lp_lineage_stamp_tree(const struct lp_lineage *lg, json_t *root,
    long long at_ms, struct lp_error *err);

#endif

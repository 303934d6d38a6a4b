/*
 * lp-audit erase and retain: the runs over every artefact named, in the
 * order that lets one find the next (datasets first: their dropped
 * records' traces find the cached replies and archived pages), the audit
 * log's events last, then the run's own event.  Tool layer: a failure
 * ends the program (74 I/O, 65 bad data), with the artefacts done so far
 * left done and the rest as they were.
 */
#ifndef LP_TOOL_ERASE_H
#define LP_TOOL_ERASE_H

#include <jansson.h>

#include "core/erasure.h"

/* The artefacts of one erasure. */
struct lp_erase_job {
	struct lp_erasure e; /* the subjects (lp_erasure_add()) */
	char **datasets, **sessions, **warcs;
	int ndatasets, nsessions, nwarcs;
	const char *cache; /* the LLM cache folder, or NULL */
	const char *log;   /* the audit log */
	const char *tool, *run_id;
};

/*
 * Erase the subjects from every artefact of j, tombstone their events in
 * the log and append an "erasure" event (who, the subjects' digests, the
 * counts).  Returns the counts (the caller prints them).
 */
json_t *lp_erase_run(struct lp_erase_job *j);
/*
 * Apply the retention policy (parsed JSON: per artefact kind {"glob" or
 * "path", "days"}; see lp-audit(1)) to the files it names and to the
 * events of the log; unless dry, remove and append a "retention" event.
 * Returns what went (or would go): per kind, the files and a count.
 */
json_t *lp_retain_run(const json_t *policy, const char *log, int dry,
    const char *tool, const char *run_id);

#endif

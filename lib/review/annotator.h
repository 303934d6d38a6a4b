/*
 * Annotator ids: who gave a label.  One rule for every tool, because an id
 * names a queue file (lp-sample), a session log (lp-label) and a row of
 * the KPI report (lp-kpi): 1 to 64 of A-Z a-z 0-9 . _ @ + -, not starting
 * with '.' or '-' (so an id is never a hidden file, "..", or an option).
 * "alice", "bob.smith", "carol+2@example.com" are ids.
 */
#ifndef LP_REVIEW_ANNOTATOR_H
#define LP_REVIEW_ANNOTATOR_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

#define LP_ANNOTATOR_MAX 64

/*
 * Whom the records of a queue that are not for one annotator are for: the
 * first LP_ANNOTATOR_OTHERS distinct names of their sample.assignees, so
 * a queue routed elsewhere can say whose it is.  Zeroed is empty; the
 * names and text are owned here (lp_annotator_others_release()).
 */
#define LP_ANNOTATOR_OTHERS 8
struct lp_annotator_others {
	char *name[LP_ANNOTATOR_OTHERS];
	size_t n;
	int more;	    /* names beyond the first few were seen */
	struct lp_buf text; /* lp_annotator_others_text()'s */
};

/*
 * LP_OK if id is an annotator id; else LP_FAILED with the reason in err
 * ("invalid annotator 'a b' (...)").
 */
int lp_annotator_check(const char *id, struct lp_error *err);
/*
 * Whether a record whose sample.assignees is who (NULL, or not an array:
 * for anyone) is for annotator id: 1 or 0.  When it is not, its names go
 * to others (which may be NULL).
 */
int lp_annotator_assigned(
    const json_t *who, const char *id, struct lp_annotator_others *others);
/* The names as "alice, bob" (", ..." when there were more). */
const char *lp_annotator_others_text(struct lp_annotator_others *o);
void lp_annotator_others_release(struct lp_annotator_others *o);

#endif

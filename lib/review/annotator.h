/*
 * Annotator ids: who gave a label.  One rule for every tool, because an id
 * names a queue file (lp-sample), a session log (lp-label) and a row of
 * the KPI report (lp-kpi): 1 to 64 of A-Z a-z 0-9 . _ @ + -, not starting
 * with '.' or '-' (so an id is never a hidden file, "..", or an option).
 * "alice", "bob.smith", "carol+2@example.com" are ids.
 */
#ifndef LP_REVIEW_ANNOTATOR_H
#define LP_REVIEW_ANNOTATOR_H

#include "core/error.h"

#define LP_ANNOTATOR_MAX 64

/*
 * LP_OK if id is an annotator id; else LP_FAILED with the reason in err
 * ("invalid annotator 'a b' (...)").
 */
int lp_annotator_check(const char *id, struct lp_error *err);

#endif

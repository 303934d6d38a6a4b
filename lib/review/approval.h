/*
 * Approvals: a gates file or a taxonomy is used, where roles are
 * enforced, only once its owner has approved that very document.  An
 * approval is an audit event {"event": "approval", "kind": "gates" or
 * "taxonomy", "digest", "by": account}, appended by the owner's own run
 * (lp-kpi --approve-gates, lp-label --approve-taxonomy); the digest is
 * the SHA-256 of the document as compact JSON (lp_json_dump(), members
 * in the file's order), as in version_in_use events: white space aside,
 * an edit of the file, even of one threshold, needs a new approval.
 */
#ifndef LP_REVIEW_APPROVAL_H
#define LP_REVIEW_APPROVAL_H

#include <jansson.h>

#include "core/error.h"
#include "review/roles.h"

/* The digest of doc: lp_json_digest() of it, 64 hex digits. */
void lp_approval_digest(const json_t *doc, char hex[65]);
/*
 * Look in the audit log at path for an approval of kind and digest by an
 * account that r lets act as role now.  The log's hash chain is checked
 * first.  LP_OK when one is found; LP_FAILED when none is, or the chain
 * is broken (err says which); LP_FATAL when the log cannot be read.
 */
int lp_approval_find(const char *path, const char *kind, const char *digest,
    const struct lp_roles *r, enum lp_role role, struct lp_error *err);

#endif

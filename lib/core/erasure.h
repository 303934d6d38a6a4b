/*
 * Erasure of a data subject from the artefacts of a pipeline: a listing
 * (its id), a seller (the pseudonym lp-clean gave), or an annotator (the
 * labels and adjudications they made, the session logs of their runs).
 * The erasure holds the subjects asked for and, as datasets are rewritten,
 * the traces of the records it dropped (ids, titles, translations, URLs)
 * by which the other artefacts (cached LLM replies, archived pages) are
 * found.  It is the caller's: lp_erasure_init(), subjects added, then the
 * artefacts, then lp_erasure_release().
 *
 * Every rewrite is whole or absent: a temporary file renamed into place
 * with the old file's mode, except the audit log, which is rewritten in
 * place under its lock so that appenders holding it open lose nothing.
 * There, an erased event becomes a tombstone (core/audit.h) and the chain
 * still verifies.
 */
#ifndef LP_CORE_ERASURE_H
#define LP_CORE_ERASURE_H

#include <jansson.h>

#include "core/error.h"

struct lp_erasure {
	json_t *ids;	    /* listing ids (strings) */
	json_t *sellers;    /* seller pseudonyms */
	json_t *annotators; /* annotator ids */
	json_t *traces;	    /* texts of dropped records: id, title, ... */
	json_t *urls;	    /* their url (the item page) */
};

/* What erasing from one artefact did. */
struct lp_erasure_count {
	long records; /* records, lines, entries or files removed */
	long labels;  /* datasets: labels and adjudications removed */
};

void lp_erasure_init(struct lp_erasure *e);
void lp_erasure_release(struct lp_erasure *e);
/*
 * Add a subject "id=VALUE", "seller=VALUE" or "annotator=VALUE": LP_OK,
 * or LP_FAILED ("invalid subject '...' (want id=, seller= or
 * annotator=)").
 */
int lp_erasure_add(
    struct lp_erasure *e, const char *subject, struct lp_error *err);
/*
 * The subjects as the erasure's audit event names them: a list of
 * {"kind", "sha256"} (of "KIND=VALUE"), never the values in clear.
 */
json_t *lp_erasure_subjects(const struct lp_erasure *e);
/*
 * Whether any string anywhere in v equals a subject's value.
 */
int lp_erasure_mentions(const struct lp_erasure *e, const json_t *v);
/*
 * Rewrite the dataset at path (gzip or plain, kept so) without the
 * records of a listing or seller, and without the annotators' labels
 * (labels[] entries with their annotator_id) and adjudications (by
 * them).  Untouched lines are copied byte for byte; the dropped records'
 * traces are kept in e.  The file is left alone when nothing changes.
 * LP_OK; LP_FAILED (a line that is not a JSON object: "path:N: ...");
 * LP_FATAL (cannot read or write).
 */
int lp_erasure_dataset(struct lp_erasure *e, const char *path,
    struct lp_erasure_count *n, struct lp_error *err);
/*
 * A review session log (review/session.h): removed whole when its
 * "start" event names an annotator asked for (the log is theirs), else
 * rewritten without the events that mention a subject (a string equal to
 * its value).  LP_OK, or
 * LP_FATAL (cannot read, write, or the log is in use: locked).
 */
int lp_erasure_session(struct lp_erasure *e, const char *path,
    struct lp_erasure_count *n, struct lp_error *err);
/*
 * The cached LLM replies under dir (llm/cache.h: DIR/ab/DIGEST.json):
 * an entry holds the reply, not the request, so its digest cannot be
 * traced to a record; an entry is removed when one of its strings holds
 * a trace of a dropped record (its id, title or translation).  LP_OK, or
 * LP_FATAL.
 */
int lp_erasure_cache(struct lp_erasure *e, const char *dir,
    struct lp_erasure_count *n, struct lp_error *err);
/*
 * Tombstone the events of the audit log at path that mention a subject,
 * or, when before (an ISO time as the log writes it) is not NULL, every
 * event older than it instead.  Seals and tombstones stay.  With dry
 * set, the events are counted and the log left alone.  LP_OK, or
 * LP_FATAL.
 */
int lp_erasure_audit(const struct lp_erasure *e, const char *path,
    const char *before, int dry, struct lp_erasure_count *n,
    struct lp_error *err);

#endif

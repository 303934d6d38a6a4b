/*
 * The labelled items as people will discuss them (lp-kpi --feedback and
 * --calibration): what the KPI engine does not keep of an item, because
 * its figures do not need it.  For each item with labels: its title and
 * translation, the judge's score, confidence and rationale, the gold
 * answer (from the gold key, else the record's own "gold"), the
 * adjudication, and every annotator's label with its note, correction,
 * time to label and time stamp.
 *
 * The input's files often hold copies of one item (one file per
 * annotator, then the adjudicated file): the copies are merged by id, one
 * label per annotator (a later copy's label replaces the earlier, as in
 * the engine), and a field an earlier copy lacked is taken from a later
 * one.  Skips (labels whose value is null) are kept for their notes.
 *
 * Memory grows with the labelled items, not with the records.  An
 * struct lp_items is a heap object that owns everything it holds, except
 * the gold key, which it references.
 */
#ifndef LP_METRICS_ITEMS_H
#define LP_METRICS_ITEMS_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/record.h"
#include "review/taxonomy.h"

struct lp_items;

/*
 * A new, empty set.  gold_key (lp_gold_key_load(): id -> {"label": ...}
 * or {"score": ...}), or NULL, is referenced.
 */
struct lp_items *lp_items_new(json_t *gold_key);
/* Keep what rec says of its item, if it has labels and an id. */
void lp_items_add(struct lp_items *s, struct lp_record *rec);
/*
 * The items, an array in the order they were first seen, each an object
 * {"id", "title", "translation", "rating": {"score", "confidence",
 * "rationale"}, "gold", "adjudication", "labels": [{"annotator_id",
 * "label", "round", "note", "correction", "time_to_label_ms", "at"}]}
 * with only the members known ("gold" is the answer's value).  Borrowed.
 */
json_t *lp_items_list(const struct lp_items *s);
void lp_items_free(struct lp_items *s);

/*
 * The label of annotator who on item (one of lp_items_list()'s), not a
 * skip, or NULL.  Borrowed.
 */
json_t *lp_items_label_of(json_t *item, const char *who);
/*
 * The item's reference answer: the gold answer, else the adjudicated
 * label, else NULL.  Borrowed.
 */
json_t *lp_items_reference(json_t *item);
/*
 * A label as people know it into b: the taxonomy's name and the value,
 * "major errors (2)"; a string label the taxonomy t (or NULL) does not
 * know as its text, anything else as its JSON.
 */
void lp_items_label_name(
    struct lp_buf *b, json_t *v, const struct lp_taxonomy *t);

#endif

/*
 * Gold items that do not stand out.  A gold item (a record whose answer is
 * known) is mixed into a review queue to measure the reviewers; it only
 * measures them if nothing on the screen or in the queue file tells it
 * from the items around it.  struct lp_gold_look learns what the real
 * items of a sample look like: the fields they have (top-level, and one
 * level into each object: translation.text, rating.rationale, raw.title),
 * the form of their ids (the part before the last ':' as it is, then
 * each letter as 'a' and each digit as '9': "ebay-uk:999999999999"), and
 * one real item's lineage.  A gold item passes the check when it has
 * every field all the real items have, no field none of them has, and an
 * id of a form one of them has; its own "gold", "lineage" and "sample"
 * are not compared (the answer leaves the record for the key file, the
 * lineage is the real item's, the sample is stamped later).
 *
 * The look owns its trees; lp_gold_look_release() frees them.
 */
#ifndef LP_REVIEW_GOLD_H
#define LP_REVIEW_GOLD_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

struct lp_gold_look {
	json_t *any;	 /* fields some real item has: {key: true | {...}} */
	json_t *all;	 /* fields every real item has, NULL before one */
	json_t *forms;	 /* id forms seen: {form: true} */
	json_t *lineage; /* the first real item's lineage, or NULL */
	size_t n;	 /* real items seen */
};

/* An empty look (no allocation). */
void lp_gold_look_init(struct lp_gold_look *l);
/* Learn the look of one real item, the root object of its record. */
void lp_gold_look_add(struct lp_gold_look *l, json_t *rec);
/*
 * Whether the gold item rec would pass for a real one.  LP_OK; LP_FAILED
 * with err saying what gives it away ("no field 'translation.model'",
 * "field 'title_en' that no item has", "id 'gold:2' unlike the items'
 * ids (ebay-uk:999999999999)").  Every item passes when no real item was
 * seen.
 */
int lp_gold_look_check(
    const struct lp_gold_look *l, json_t *rec, struct lp_error *err);
/*
 * The form of id, as described above, into a new string (lp_xmalloc'ed,
 * the caller frees it).
 */
char *lp_gold_id_form(const char *id);
/* Free what l holds. */
void lp_gold_look_release(struct lp_gold_look *l);
/*
 * Read a gold key file (lp-sample --gold-key: one {"id", "gold"} line a
 * gold item; gzip or plain) into *key, a new object of id -> its "gold"
 * (null for a line without one: any JSON Lines with ids will do as a
 * list of ids).  LP_OK; LP_FATAL if it cannot be read, LP_FAILED if a
 * line has no id ("key.jsonl:3: expected a line with id"), with *key
 * NULL and err set.
 */
int lp_gold_key_load(const char *path, json_t **key, struct lp_error *err);

#endif

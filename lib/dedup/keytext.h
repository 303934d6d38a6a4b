/*
 * The key text of a record, which lp-dedup compares: the value of each key
 * field, text normalised (NFKC, case folded, white space collapsed:
 * text/text.h) and anything else as canonical JSON, the fields separated by
 * U+001F and an absent or null field written as U+001E.
 *
 * The fields are the caller's and must outlive the struct; the struct owns
 * only the normaliser's scratch space.
 */
#ifndef LP_DEDUP_KEYTEXT_H
#define LP_DEDUP_KEYTEXT_H

#include "core/buf.h"
#include "core/record.h"
#include "text/text.h"

struct lp_keytext {
	char *const *fields; /* dotted paths */
	int nfields;
	struct lp_text norm;
};

/* Key texts over fields[0..nfields). */
void lp_keytext_init(struct lp_keytext *kt, char *const *fields, int nfields);
/*
 * The key text of rec into key (reset first).  1 if at least one field is
 * there, else 0: the record has no key.
 */
int lp_keytext_make(
    struct lp_keytext *kt, struct lp_record *rec, struct lp_buf *key);
void lp_keytext_release(struct lp_keytext *kt);

#endif

/*
 * The review screen of lp-label, composed as the bytes a terminal of a
 * given size is sent: the header line (reverse video), the item (id, why
 * sampled, original (personal data redacted) and cleaned title,
 * translation, the judge's score and
 * reason, other annotators' labels where shown, the decision of a visited
 * item, what is being corrected or noted, a draft), cut to fit with a
 * line saying so; the key lines from the taxonomy; and at the bottom the
 * hint or the line editor with the cursor placed.  Or the guide: every
 * label with its definition.
 *
 * Every text from a record is made safe (text/display.h) and wrapped to
 * the width; wide characters are never split.  Colours and video
 * attributes only when color is set (not under NO_COLOR).  Writing the
 * bytes to the terminal is the tool's: a screen is a buffer here, so a
 * test can look at what it shows.
 */
#ifndef LP_REVIEW_SCREEN_H
#define LP_REVIEW_SCREEN_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/record.h"
#include "review/decision.h"
#include "review/taxonomy.h"

/* The terminal drawn on. */
struct lp_screen {
	int rows, cols;
	int color; /* SGR colours and attributes allowed */
	const struct lp_taxonomy *tax;
};

/* What one item's screen shows. */
struct lp_screen_item {
	const char *id;
	struct lp_record *rec;		    /* the item's record */
	const struct lp_decision *decision; /* its decision and draft */
	/*
	 * Labels listed under "Labels" (every annotator's when
	 * adjudicating, the record's with --show-labels), or NULL for none;
	 * those of hide (the annotator at the screen, or NULL) are not.
	 */
	const json_t *labels;
	const char *hide;
	const char *correction, *note; /* kept so far, or NULL */
};

/* The line editor at the bottom: "prompt text", the cursor at cur. */
struct lp_screen_edit {
	const char *prompt;
	const char *text; /* NUL-terminated */
	size_t len, cur;  /* bytes of text; the cursor's byte offset */
};

/*
 * The header: " lp-label  annotator alice  round 1  item 3 of 20  (2
 * done)" (adjudicator for an adjudicator), into out.
 */
void lp_screen_head(struct lp_buf *out, int adjudicating, const char *annotator,
    long round, size_t pos, size_t total, size_t done);
/*
 * The screen of an item, appended to out: under the header head, with
 * hint (or nothing when NULL or "") on the last line, or the line editor
 * ed when not NULL.
 */
void lp_screen_item(const struct lp_screen *s, const struct lp_screen_item *it,
    const char *head, const char *hint, const struct lp_screen_edit *ed,
    struct lp_buf *out);
/* The guide (every label and shortcut, explained), appended to out. */
void lp_screen_guide(
    const struct lp_screen *s, const char *head, struct lp_buf *out);

#endif

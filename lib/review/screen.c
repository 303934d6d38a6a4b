/*
 * Screens are composed as lines first (a titled block wraps beside its
 * title), then laid out: the content cut to the room above the key lines,
 * the key lines at the bottom, and everything in one buffer so the tool
 * draws a frame with one write and the terminal never shows half of one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "review/screen.h"
#include "text/display.h"
#include "text/pii.h"

#define TITLE_W 12

/* Lines of a screen, each without its line end. */
struct frame {
	const struct lp_screen *s;
	struct lp_buf *line;
	int n, cap;
};

/* The key lines: labels from the taxonomy, then lp-label's own. */
static const char other_keys[] =
    "c correct  e editor  n note  s skip  u undo  <- -> move  ? guide  q quit";

static struct lp_buf *
new_line(struct frame *f)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 32;
		f->line =
		    lp_xrealloc(f->line, (size_t)f->cap * sizeof(*f->line));
	}
	lp_buf_init(&f->line[f->n]);
	return &f->line[f->n++];
}

static void
frame_release(struct frame *f)
{
	int i;

	for (i = 0; i < f->n; i++)
		lp_buf_release(&f->line[i]);
	free(f->line);
}

static void
sgr(const struct lp_screen *s, struct lp_buf *b, const char *code)
{
	if (s->color)
		lp_buf_addf(b, "\033[%sm", code);
}

/* A titled block: text made safe and wrapped beside the title (if any). */
static void
block(struct frame *f, const char *title, const char *text, size_t n)
{
	struct lp_buf safe = LP_BUF_INIT;
	size_t at = 0, next;
	int w = f->s->cols - (title != NULL ? TITLE_W : 0) - 1;

	lp_display_safe(text, n, &safe);
	if (w < 8)
		w = 8;
	do {
		struct lp_buf *l = new_line(f);
		size_t len =
		    lp_display_line(safe.p + at, safe.len - at, w, &next);

		if (title != NULL && at == 0) {
			sgr(f->s, l, "1");
			lp_buf_addf(l, "%-*s", TITLE_W, title);
			sgr(f->s, l, "0");
		} else if (title != NULL)
			lp_buf_addf(l, "%*s", TITLE_W, "");
		if (len > 0) /* safe.p is NULL for empty text */
			lp_buf_add(l, safe.p + at, len);
		at += next;
	} while (at < safe.len);
	lp_buf_release(&safe);
}

static void
blocks(struct frame *f, const char *title, const char *text)
{
	block(f, title, text, strlen(text));
}

/* "3 minor issues" for a label value. */
static void
label_text(const struct lp_taxonomy *tax, const json_t *v, struct lp_buf *b)
{
	const struct lp_label_def *d = lp_taxonomy_find(tax, v);
	char *t = json_dumps(v, JSON_ENCODE_ANY);

	if (json_is_string(v))
		lp_buf_adds(b, json_string_value(v));
	else
		lp_buf_adds(b, t);
	if (d != NULL &&
	    !(json_is_string(v) && strcmp(json_string_value(v), d->name) == 0))
		lp_buf_addf(b, " %s", d->name);
	free(t);
}

/* Other annotators' labels, one block each under "Labels". */
static void
add_labels(struct frame *f, const struct lp_screen_item *it)
{
	json_t *l, *v;
	size_t i;
	int any = 0;

	json_array_foreach (it->labels, i, l) {
		struct lp_buf b = LP_BUF_INIT;
		const char *who = json_string_value(
			       json_object_get(l, "annotator_id")),
			   *s;

		if (who == NULL ||
		    (it->hide != NULL && strcmp(who, it->hide) == 0))
			continue;
		lp_buf_addf(&b, "%s: ", who);
		v = json_object_get(l, "label");
		if (v != NULL && !json_is_null(v))
			label_text(f->s->tax, v, &b);
		else
			lp_buf_adds(&b, "(no label)");
		if ((s = json_string_value(json_object_get(l, "correction"))))
			lp_buf_addf(&b, "; correction: %s", s);
		if ((s = json_string_value(json_object_get(l, "note"))))
			lp_buf_addf(&b, "; note: %s", s);
		blocks(f, any++ ? "" : "Labels", b.p);
		lp_buf_release(&b);
	}
}

/* The titles: why sampled, original and cleaned title, translation. */
static void
add_listing(struct frame *f, struct lp_record *rec, struct lp_buf *b)
{
	json_t *why = lp_record_get(rec, "sample.reason"), *v;
	const char *s, *t;
	size_t i;

	json_array_foreach (why, i, v)
		if (json_is_string(v))
			lp_buf_addf(b, "%s%s", b->len ? ", " : "",
			    json_string_value(v));
	if (b->len)
		blocks(f, "Sampled", b->p);
	s = lp_record_get_str(rec, "raw.title");
	t = lp_record_get_str(rec, "title");
	if (s != NULL && (t == NULL || strcmp(s, t) != 0)) {
		struct lp_buf r = LP_BUF_INIT;
		long long emails = 0, phones = 0;

		/*
		 * lp-clean redacts raw.title; one that an older lp-clean kept
		 * verbatim is redacted here, so reviewers never see it.
		 */
		lp_pii_redact(s, strlen(s), &r, &emails, &phones);
		blocks(f, "Original", r.p != NULL ? r.p : "");
		lp_buf_release(&r);
	}
	if (t != NULL)
		blocks(f, s != NULL ? "Cleaned" : "Title", t);
	if ((s = lp_record_get_str(rec, "translation.text")) != NULL)
		blocks(f, "Translation", s);
	else {
		lp_buf_reset(b);
		s = lp_record_get_str(rec, "translation.error");
		lp_buf_addf(b, "(none: %s)", s ? s : "no translation");
		blocks(f, "Translation", b->p);
	}
}

/* The judge's score and confidence (or why there is none), its reason. */
static void
add_judge(struct frame *f, struct lp_record *rec, struct lp_buf *b)
{
	json_t *v;
	const char *s;

	lp_buf_reset(b);
	if ((v = lp_record_get(rec, "rating.score")) != NULL) {
		label_text(f->s->tax, v, b);
		if ((v = lp_record_get(rec, "rating.confidence")) != NULL &&
		    json_is_number(v))
			lp_buf_addf(
			    b, "   confidence %.2f", json_number_value(v));
		blocks(f, "Judge", b->p);
	} else if ((s = lp_record_get_str(rec, "rating.error")) != NULL) {
		lp_buf_addf(b, "(none: %s)", s);
		blocks(f, "Judge", b->p);
	}
	if ((s = lp_record_get_str(rec, "rating.rationale")) != NULL)
		blocks(f, "Why", s);
}

/* What the reviewer sees of a record: never gold, never other labels. */
static void
item_lines(struct frame *f, const struct lp_screen_item *it)
{
	const struct lp_decision *dec = it->decision;
	struct lp_buf b = LP_BUF_INIT;

	blocks(f, "Item", it->id);
	add_listing(f, it->rec, &b);
	add_judge(f, it->rec, &b);
	if (it->labels != NULL)
		add_labels(f, it);
	if (dec->state != LP_DECISION_OPEN) {
		/* Visited again: what was decided, which a key changes. */
		lp_buf_reset(&b);
		if (dec->state == LP_DECISION_SKIPPED)
			lp_buf_adds(&b, "skipped");
		else
			label_text(f->s->tax, dec->label, &b);
		lp_buf_adds(&b, "   (a label key or s decides it again)");
		blocks(f, "Decided", b.p);
	}
	if (it->correction != NULL)
		blocks(f, "Correction", it->correction);
	else if (dec->draft != NULL)
		blocks(f, "Draft", dec->draft);
	if (it->note != NULL)
		blocks(f, "Note", it->note);
	lp_buf_release(&b);
}

static void
key_lines(struct frame *f)
{
	const struct lp_taxonomy *tax = f->s->tax;
	struct lp_buf b = LP_BUF_INIT;
	int i;

	for (i = 0; i < tax->nlabels + tax->nshortcuts; i++)
		lp_buf_addf(&b, "%s%c %s", i ? "  " : "", tax->labels[i].key,
		    tax->labels[i].name);
	block(f, NULL, b.p, b.len);
	block(f, NULL, other_keys, strlen(other_keys));
	lp_buf_release(&b);
}

/* The header line in reverse video, filled to the width. */
static void
draw_head(const struct lp_screen *s, const char *head, struct lp_buf *o)
{
	struct lp_buf h = LP_BUF_INIT;
	size_t next, len;

	lp_display_safe(head, strlen(head), &h);
	len = lp_display_line(h.p, h.len, s->cols, &next);
	sgr(s, o, "7");
	lp_buf_add(o, h.p, len);
	lp_buf_addf(o, "%*s", s->cols - lp_display_width(h.p, len), "");
	sgr(s, o, "0");
	lp_buf_adds(o, "\r\n\r\n");
	lp_buf_release(&h);
}

/* The line editor: the text scrolled so that the cursor shows. */
static void
draw_edit(const struct lp_screen *s, const struct lp_screen_edit *ed,
    struct lp_buf *o)
{
	struct lp_buf h = LP_BUF_INIT;
	int avail = s->cols - (int)strlen(ed->prompt) - 1, cur_col;
	size_t start = 0, next, len;

	while (lp_display_width(ed->text + start, ed->cur - start) > avail - 1)
		while (++start < ed->cur && (ed->text[start] & 0xc0) == 0x80)
			;
	lp_display_safe(ed->text + start, ed->len - start, &h);
	len = lp_display_line(h.p, h.len, avail, &next);
	lp_buf_addf(o, "%s ", ed->prompt);
	if (len > 0) /* h.p is NULL for empty text */
		lp_buf_add(o, h.p, len);
	cur_col = (int)strlen(ed->prompt) + 2 +
	    lp_display_width(ed->text + start, ed->cur - start);
	lp_buf_addf(o, "\033[%d;%dH\033[?25h", s->rows, cur_col);
	lp_buf_release(&h);
}

/*
 * Lay out: header, content (cut to fit), keys, the hint or an edit line
 * (prompt, text scrolled so the cursor shows).
 */
static void
draw(const struct lp_screen *s, struct frame *content, struct frame *keys,
    const char *head, const char *hint, const struct lp_screen_edit *ed,
    struct lp_buf *o)
{
	int room = s->rows - 2 - keys->n - 1, i;
	size_t next;

	lp_buf_adds(o, "\033[?25l\033[H\033[2J");
	draw_head(s, head, o);
	for (i = 0; i < content->n && i < room; i++) {
		if (i == room - 1 && content->n > room) {
			lp_buf_adds(o,
			    "\xe2\x80\xa6 (more than fits: a larger "
			    "window shows the rest)\r\n");
			break;
		}
		lp_buf_add(o, content->line[i].p, content->line[i].len);
		lp_buf_adds(o, "\r\n");
	}
	lp_buf_addf(o, "\033[%d;1H", s->rows - keys->n);
	for (i = 0; i < keys->n; i++) {
		lp_buf_add(o, keys->line[i].p, keys->line[i].len);
		lp_buf_adds(o, "\r\n");
	}
	if (ed != NULL)
		draw_edit(s, ed, o);
	else if (hint != NULL && *hint) {
		struct lp_buf h = LP_BUF_INIT;

		lp_display_safe(hint, strlen(hint), &h);
		sgr(s, o, "33");
		lp_buf_add(o, h.p, lp_display_line(h.p, h.len, s->cols, &next));
		sgr(s, o, "0");
		lp_buf_release(&h);
	}
}

/* Compose the content (an item's, or the guide when it is NULL) and draw. */
static void
screen(const struct lp_screen *s, const struct lp_screen_item *it,
    const char *head, const char *hint, const struct lp_screen_edit *ed,
    struct lp_buf *out)
{
	struct frame c = {s, NULL, 0, 0}, k = {s, NULL, 0, 0};
	int i;

	if (it != NULL)
		item_lines(&c, it);
	else
		for (i = 0; i < s->tax->nlabels + s->tax->nshortcuts; i++) {
			const struct lp_label_def *d = &s->tax->labels[i];
			struct lp_buf b = LP_BUF_INIT;
			char key[8];

			snprintf(key, sizeof(key), "  %c", d->key);
			if (d->to != d) {
				lp_buf_addf(&b, "%s: the same as ", d->name);
				label_text(s->tax, d->to->value, &b);
			} else {
				label_text(s->tax, d->value, &b);
				lp_buf_addf(&b, ": %s", d->definition);
			}
			blocks(&c, key, b.p);
			lp_buf_release(&b);
		}
	key_lines(&k);
	draw(s, &c, &k, head, hint, ed, out);
	frame_release(&c);
	frame_release(&k);
}

void
lp_screen_head(struct lp_buf *out, int adjudicating, const char *annotator,
    long round, size_t pos, size_t total, size_t done)
{
	lp_buf_addf(out,
	    " lp-label  %s %s  round %ld  item %zu of %zu  (%zu done)",
	    adjudicating ? "adjudicator" : "annotator", annotator, round, pos,
	    total, done);
}

void
lp_screen_item(const struct lp_screen *s, const struct lp_screen_item *it,
    const char *head, const char *hint, const struct lp_screen_edit *ed,
    struct lp_buf *out)
{
	screen(s, it, head, hint, ed, out);
}

void
lp_screen_guide(const struct lp_screen *s, const char *head, struct lp_buf *out)
{
	screen(s, NULL, head, NULL, NULL, out);
}

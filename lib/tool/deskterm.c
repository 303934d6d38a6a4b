/* The reviewer's desk on the terminal (deskterm.h). */
#include <stdlib.h>

#include "core/buf.h"
#include "tool/cli.h"
#include "tool/deskterm.h"
#include "tool/term.h"

int
lp_deskterm_key(void)
{
	int key = lp_term_key(-1);

	switch (key) {
	case LP_KEY_LEFT:
		return LP_DESK_PREV;
	case LP_KEY_RIGHT:
		return LP_DESK_NEXT;
	case LP_KEY_RESIZE:
		return LP_DESK_REDRAW;
	case LP_KEY_INTR:
	case LP_KEY_EOF:
		return LP_DESK_STOP;
	}
	return key < 0 ? LP_DESK_OTHER : key;
}

int
lp_deskterm_edit(
    struct lp_desk *d, const char *prompt, const char *text, char **out)
{
	struct lp_edit ed;
	int key, r;

	lp_edit_init(&ed, text);
	for (;;) {
		struct lp_screen_edit se = {
		    prompt, ed.text.p, ed.text.len, ed.cur};

		lp_desk_draw(d, &se);
		key = lp_term_key(-1);
		if (key == LP_KEY_INTR || key == LP_KEY_EOF) {
			r = LP_DESK_EDIT_STOP;
			break;
		}
		if (key != LP_KEY_RESIZE &&
		    (r = lp_edit_key(&ed, key)) != LP_EDIT_MORE) {
			r = r == LP_EDIT_DONE ? LP_DESK_EDIT_DONE
					      : LP_DESK_EDIT_CANCEL;
			break;
		}
	}
	*out = r != LP_DESK_EDIT_CANCEL ? lp_xstrdup(ed.text.p) : NULL;
	lp_edit_release(&ed);
	return r;
}

void
lp_deskterm_stop(void)
{
	lp_interrupted = 1;
}

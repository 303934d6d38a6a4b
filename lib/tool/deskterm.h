/*
 * The reviewer's desk (review/desk.h) on the terminal (tool/term.h): the
 * terminal's keys as the desk's, and the line editor at the bottom of
 * the desk's screen.  Functions for a struct lp_desk_io.
 */
#ifndef LP_TOOL_DESKTERM_H
#define LP_TOOL_DESKTERM_H

#include "review/desk.h"

/* The next key from the terminal, as an LP_DESK_ key or a character. */
int lp_deskterm_key(void);
/*
 * Edit text after prompt on the bottom line of d's screen, as
 * lp_desk_io.edit does.
 */
int lp_deskterm_edit(
    struct lp_desk *d, const char *prompt, const char *text, char **out);
/* ^C or a lost terminal in the guide: the tool stops at the next key. */
void lp_deskterm_stop(void);

#endif

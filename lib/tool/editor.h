/*
 * The reviewer's own editor ($VISUAL, else $EDITOR, else vi) for one line
 * of text.  Tool layer: it hands the terminal over (tool/term.h), forks
 * and runs the editor through sh, and takes the terminal back.
 */
#ifndef LP_TOOL_EDITOR_H
#define LP_TOOL_EDITOR_H

#include "core/error.h"

/*
 * Edit text in the editor, through a temporary file: the text saved, its
 * lines joined with spaces and trailing newlines and spaces dropped (a
 * new string to free); or NULL when the editor failed or was quit without
 * success, with err saying so (empty when there is nothing to tell).
 */
char *lp_editor_edit(const char *text, struct lp_error *err);

#endif

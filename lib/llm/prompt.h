/*
 * Prompt templates: the system text of a prompt file (guidelines/prompts)
 * with its placeholders filled in.  {target} becomes the target
 * language's name ("Simplified Chinese" for zh-Hans; a code without a
 * known name stands for itself), {target_code} the code as given, and a
 * tool's own placeholders ({rubric}, {rationale}) their values.  Text that
 * is not a known placeholder, braces included, is copied as it is.
 */
#ifndef LP_LLM_PROMPT_H
#define LP_LLM_PROMPT_H

#include "core/buf.h"

/* The English name of a language code (any case), or code itself. */
const char *lp_prompt_language(const char *code);
/*
 * Append tmpl filled in to b (NUL-terminated).  vars: pairs of a name
 * (without braces) and its value, ending with NULL; vars may be NULL.
 */
void lp_prompt_fill(struct lp_buf *b, const char *tmpl, const char *target,
    const char *const *vars);

#endif

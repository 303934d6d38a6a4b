/*
 * lp-clean --llm, part of the tool layer: its options, and the record
 * loop's side that asks a model (lib/llm/cleaner) through the LLM tools'
 * window (tool/llm_window.h).  Each record, cleaned by the rules, waits in
 * the window as its line; those the rules doubt (--llm=doubtful, the
 * default mode) or all of them (--llm=all) go to the model, and the
 * guarded answer is put in before the record leaves, in input order.
 * Records not sent pass through the window unchanged.
 *
 *	lp_llm_clean_init(&m);
 *	... lp_llm_clean_option(&m, ch, optarg) for each option ...
 *	lp_llm_clean_setup(&m, &clean, fields, nfields);
 *	if (m.mode) {
 *		lp_llm_clean_start(&m, &run);
 *		... lp_llm_clean_take(&m, rec) for each cleaned record ...
 *		status = lp_llm_clean_close(&m);   (closes the run)
 *	}
 *	lp_llm_clean_release(&m);
 *
 * Options without --llm, an unknown mode or a title not among the cleaned
 * fields are usage errors; a bad prompt file exits 65.  The exit status
 * of the run is the LLM tools' (lp_window_close()): 69 when the API
 * cannot be used, 1 when some requests failed, 130 when interrupted.
 */
#ifndef LP_TOOL_LLM_CLEAN_H
#define LP_TOOL_LLM_CLEAN_H

#include <jansson.h>

#include "core/buf.h"
#include "core/record.h"
#include "llm/cleaner.h"
#include "text/clean.h"
#include "tool/llm_options.h"
#include "tool/llm_window.h"

struct lp_run;

/* Between the LLM options' and the tools' own (LP_OPT_TOOL_BASE). */
enum {
	LP_OPT_LLM = 0x1c0,
	LP_OPT_LLM_MAX_EDITS,
	LP_OPT_LLM_PROMPT,
	LP_OPT_MODEL
};

#define LP_LLM_CLEAN_LONGOPTS                                                  \
	LP_LLM_LONGOPTS, {"llm", optional_argument, NULL, LP_OPT_LLM},         \
	    {"llm-max-edits", required_argument, NULL, LP_OPT_LLM_MAX_EDITS},  \
	    {"llm-prompt", required_argument, NULL, LP_OPT_LLM_PROMPT},        \
	{                                                                      \
		"model", required_argument, NULL, LP_OPT_MODEL                 \
	}

#define LP_LLM_CLEAN_HELP                                                      \
	"      --llm[=MODE]        also ask a model to clean titles: "         \
	"doubtful\n"                                                           \
	"                          (the default MODE) those the rules "        \
	"doubt,\n"                                                             \
	"                          all every title; answers are guarded\n"     \
	"      --model=NAME        the model (LP_MODEL; default gpt-4o)\n"     \
	"      --llm-max-edits=N   refuse answers of more than N edits\n"      \
	"                          (default 5)\n"                              \
	"      --llm-prompt=FILE   the prompt and answer schema (default "     \
	"the\n"                                                                \
	"                          built-in guidelines/prompts/clean.json)\n"  \
	"\nAPI options (only with --llm):\n" LP_LLM_HELP

struct lp_llm_clean {
	int mode; /* 0 off, 1 doubtful, 2 all */
	int opts; /* an LLM option was given */
	const char *prompt_path;
	json_t *prompt;
	struct lp_cleaner cl;
	struct lp_llm_options lo;
	struct lp_llm *client;
	struct lp_window w;
	struct lp_record scratch; /* a slot's record, while it changes */
	struct lp_buf line;
};

/* Off, the defaults, LP_MODEL. */
void lp_llm_clean_init(struct lp_llm_clean *m);
/* Handle option ch if it is one of the above: 1, else 0. */
int lp_llm_clean_option(struct lp_llm_clean *m, int ch, const char *arg);
/*
 * After the options and the rules: the checks, the prompt and the
 * client (with --llm).
 */
void lp_llm_clean_setup(struct lp_llm_clean *m, struct lp_clean *c,
    char *const *fields, int nfields);
/* What changes the output, for the lineage config (with --llm). */
void lp_llm_clean_config(const struct lp_llm_clean *m, struct lp_buf *b);
/* The window on run, and the prompt's version in the audit log. */
void lp_llm_clean_start(struct lp_llm_clean *m, struct lp_run *run);
/*
 * A record the rules cleaned into the window (its request sent if it is
 * to go), then the answers ready written in; waits while the window is
 * full.
 */
void lp_llm_clean_take(struct lp_llm_clean *m, struct lp_record *rec);
/*
 * Wait for the rest (unless interrupted), count (llm_doubtful, llm_sent,
 * llm_accepted, llm_rejected, llm_rejected:GUARD, llm_failed,
 * llm_not_sent_budget, llm_answers_cached and the client's) and close
 * the run: its exit status.
 */
int lp_llm_clean_close(struct lp_llm_clean *m);
/* Free what it holds. */
void lp_llm_clean_release(struct lp_llm_clean *m);

#endif

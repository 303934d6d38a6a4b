/*
 * What the LLM tools (lp-translate, lp-rate) share on the command line
 * and around the client: the API options, the key and the cache folder,
 * the window that puts records back in input order, progress, dry runs,
 * and the closing counts and exit status.
 *
 *	lp_llm_cli_init(&o);
 *	while ((ch = getopt_long(argc, argv, LP_COMMON_SHORTOPTS
 *	    LP_LLM_SHORTOPTS, longopts, NULL)) != -1)
 *		if (!lp_llm_cli_option(&o, ch, optarg)) switch (ch) { ... }
 *	lp_llm_cli_done(&o);
 */
#ifndef LP_LLMCLI_H
#define LP_LLMCLI_H

#include <getopt.h>
#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "llm/llm.h"
#include "core/record.h"

struct lp_run;
struct lp_record;

/* Below LP_OPT_TOOL_BASE, above the common options. */
enum {
	LP_OPT_API_BASE = 0x180,
	LP_OPT_API_KEY,
	LP_OPT_API_KEY_FILE,
	LP_OPT_API_VERSION,
	LP_OPT_AZURE,
	LP_OPT_CACHE,
	LP_OPT_DRY_RUN,
	LP_OPT_MAX_RETRIES,
	LP_OPT_MAX_TOKENS_TOTAL,
	LP_OPT_NO_CACHE,
	LP_OPT_RPM,
	LP_OPT_TIMEOUT,
	LP_OPT_TPM,
	LP_OPT_UNORDERED,
	LP_OPT_WINDOW,
	LP_OPT_SEED,
	LP_OPT_TARGET,
	LP_OPT_TEMPERATURE
};

#define LP_LLM_SHORTOPTS "j:"
#define LP_LLM_LONGOPTS                                                        \
	{"api-base", required_argument, NULL, LP_OPT_API_BASE},                \
	    {"api-key", required_argument, NULL, LP_OPT_API_KEY},              \
	    {"api-key-file", required_argument, NULL, LP_OPT_API_KEY_FILE},    \
	    {"api-version", required_argument, NULL, LP_OPT_API_VERSION},      \
	    {"azure", no_argument, NULL, LP_OPT_AZURE},                        \
	    {"cache", required_argument, NULL, LP_OPT_CACHE},                  \
	    {"dry-run", no_argument, NULL, LP_OPT_DRY_RUN},                    \
	    {"jobs", required_argument, NULL, 'j'},                            \
	    {"max-retries", required_argument, NULL, LP_OPT_MAX_RETRIES},      \
	    {"max-tokens-total", required_argument, NULL,                      \
		LP_OPT_MAX_TOKENS_TOTAL},                                      \
	    {"no-cache", no_argument, NULL, LP_OPT_NO_CACHE},                  \
	    {"rpm", required_argument, NULL, LP_OPT_RPM},                      \
	    {"timeout", required_argument, NULL, LP_OPT_TIMEOUT},              \
	    {"tpm", required_argument, NULL, LP_OPT_TPM},                      \
	    {"unordered", no_argument, NULL, LP_OPT_UNORDERED},                \
	    {"seed", required_argument, NULL, LP_OPT_SEED},                    \
	    {"target", required_argument, NULL, LP_OPT_TARGET},                \
	    {"temperature", required_argument, NULL, LP_OPT_TEMPERATURE},      \
	{                                                                      \
		"window", required_argument, NULL, LP_OPT_WINDOW               \
	}

/* The help of those options, for a tool's own help text. */
#define LP_LLM_HELP                                                            \
	"      --target=LANG       the target language (default zh-Hans)\n"    \
	"      --temperature=T     sampling temperature (default 0)\n"         \
	"      --seed=S            the request seed (default 1)\n"             \
	"  -j, --jobs=N            requests in flight (default 8)\n"           \
	"      --api-base=URL      the API's base URL (LP_API_BASE; default\n" \
	"                          https://api.openai.com/v1)\n"               \
	"      --api-key-file=FILE read the key from FILE (else LP_API_KEY "   \
	"or\n"                                                                 \
	"                          OPENAI_API_KEY; never on the command "      \
	"line)\n"                                                              \
	"      --azure             send the key as Azure's api-key header\n"   \
	"      --api-version=V     add ?api-version=V (Azure)\n"               \
	"      --rpm=N             at most N requests per minute\n"            \
	"      --tpm=N             at most N tokens per minute\n"              \
	"      --max-retries=N     retries of a failed request (default 5)\n"  \
	"      --timeout=SECONDS   per request (default 60)\n"                 \
	"      --cache=DIR         the reply cache (default\n"                 \
	"                          $XDG_CACHE_HOME/labelpipe)\n"               \
	"      --no-cache          neither read nor write the cache\n"         \
	"      --max-tokens-total=N  stop sending after N tokens; the rest\n"  \
	"                          pass through with an error\n"               \
	"      --window=N          records waiting for answers at most\n"      \
	"                          (default 1024)\n"                           \
	"      --unordered         write records as they are done\n"           \
	"      --dry-run           print the requests (key hidden), send "     \
	"none\n"

struct lp_llm_cli {
	struct lp_llm_config cfg;
	char *key; /* from a file or the environment; wiped when freed */
	const char *cache;
	char *cache_buf;
	int no_cache, dry_run, unordered;
	size_t window;
	const char *target; /* a BCP 47 code, "zh-Hans" */
	double temperature;
	long seed;
};

/* Defaults, and LP_API_BASE. */
void lp_llm_cli_init(struct lp_llm_cli *o);
/* Handle one of the options above: 1, or 0 if ch is not one of them. */
int lp_llm_cli_option(struct lp_llm_cli *o, int ch, const char *arg);
/* After the options: the key from the environment, the cache folder. */
void lp_llm_cli_done(struct lp_llm_cli *o);
void lp_llm_cli_free(struct lp_llm_cli *o);
/* A number option in [min, max], else a usage error. */
double lp_llm_cli_number(
    const char *opt, const char *arg, double min, double max);

/*
 * A prompt template filled in: {target} is the target language's name
 * ("Simplified Chinese"), {target_code} its code, and vars, pairs of a
 * name and a value ending with NULL, the tool's own ({rubric}).
 */
void lp_llm_fill(struct lp_buf *b, const char *tmpl, const char *target,
    const char *const *vars);

/*
 * The window: records in input order while their answers come in any
 * order.  A slot is done when it waits for no more answers; done slots
 * leave from the head (or at once, unordered) with member, if set, put
 * under the window's member name.
 */
struct lp_slot {
	struct lp_buf line;
	const char *file;
	unsigned long lineno;
	size_t seq;	/* its place in the input */
	int waiting;	/* answers still to come */
	int emitted;	/* written (unordered) */
	int canonical;	/* line was canonical: no need to check it again */
	char *text;	/* the tool's input text, freed on emit */
	json_t *member; /* what goes in the record, or NULL: unchanged */
	json_t *work;	/* the tool's partial results, freed on emit */
};

struct lp_window {
	struct lp_slot *slots;
	size_t size, head, nread;
	const char *member;
	int unordered, dry_run;
	struct lp_run *run;
	struct lp_record rec; /* reused for each record written */
};

void lp_window_init(struct lp_window *w, const struct lp_llm_cli *o,
    const char *member, struct lp_run *run);
/* A new slot for rec at the tail (the window must not be full). */
struct lp_slot *lp_window_add(struct lp_window *w, const struct lp_record *rec);
struct lp_slot *lp_window_at(struct lp_window *w, size_t seq);
int lp_window_full(const struct lp_window *w);
/* Write the slots that are done, in order (or any, unordered). */
void lp_window_drain(struct lp_window *w);
void lp_window_free(struct lp_window *w);

/*
 * A failed result as {"reason","status","message","attempts"}: reason
 * http, network, reply, fatal or budget; status null without an answer.
 */
json_t *lp_llm_error_json(const struct lp_llm_result *r);
/*
 * An answer's usage (shared out evenly when n items went in one request,
 * then also "batch": n), latency_ms, cached and finish_reason, into m.
 */
void lp_llm_answer_fields(json_t *m, const struct lp_llm_result *r, int n);

/*
 * Progress on a terminal: "N <verb>, N failed, N waiting, N tokens, N
 * retries" after the run's own figures.
 */
void lp_llm_progress(struct lp_run *run, const struct lp_llm *c,
    const char *verb, long long done, long long failed, size_t waiting);
/* --dry-run: write the request (canonical bytes) as the client sees it. */
void lp_llm_dry_run(
    struct lp_run *run, struct lp_llm *c, const char *body, size_t len);
/*
 * Close the run: the client's counters into the stats, a warning when
 * some items failed, and the exit status: 69 when the API cannot be used
 * (a fatal answer, or no answer at all), 1 when any item failed, else 0.
 */
int lp_llm_close(struct lp_run *run, struct lp_llm *c, const char *what,
    long long done, long long failed, long long budget);

#endif

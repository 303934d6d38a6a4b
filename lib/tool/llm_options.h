/*
 * The LLM tools' (lp-translate, lp-rate) shared command-line options, part
 * of the tool layer: the API options with their help text, the key (from a
 * file or the environment, never the command line) and the cache folder.
 * The endpoint, key and model are resolved with the environment and the
 * config file by llm/config.h's precedence; -v says where each came from
 * (the key's source only).  Bad values are usage errors (exit 2); an
 * unreadable key or config file exits 74, a malformed config file or a
 * key file open to others 65.
 * The key and the API base URL's password are registered as secrets
 * (core/secret.h) as soon as they are known, so no diagnostic, record or
 * audit event shows them; the client stops waiting on SIGINT/SIGTERM
 * (cfg.stop is lp_interrupted).
 *
 *	lp_llm_options_init(&o);
 *	while ((ch = lp_llm_options_next(&o, argc, argv, longopts)) != -1)
 *		switch (ch) { ... the tool's own options ... }
 *	lp_llm_options_done(&o);
 *	model = lp_llm_options_model(&o, cli_model, "LP_MODEL",
 *	    LP_LLM_KEY_MODEL, "gpt-4o");
 *	o.cfg.validate = ...;
 *	c = lp_llm_options_client(&o);
 *	...
 *	lp_llm_free(c);
 *	lp_llm_options_release(&o);
 */
#ifndef LP_TOOL_LLM_OPTIONS_H
#define LP_TOOL_LLM_OPTIONS_H

#include <getopt.h>
#include <stddef.h>

#include "llm/config.h"
#include "llm/llm.h"

/* Below LP_OPT_TOOL_BASE, above the common options. */
enum {
	LP_OPT_API_BASE = 0x180,
	LP_OPT_API_KEY,
	LP_OPT_API_KEY_FILE,
	LP_OPT_API_VERSION,
	LP_OPT_AZURE,
	LP_OPT_CACHE,
	LP_OPT_DRY_RUN,
	LP_OPT_MAX_REPLY_SIZE,
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
	    {"max-reply-size", required_argument, NULL,                        \
		LP_OPT_MAX_REPLY_SIZE},                                        \
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
	"      --api-base=URL      the API's base URL (else LP_API_BASE,\n"    \
	"                          AZURE_OPENAI_ENDPOINT, OPENAI_BASE_URL,\n"  \
	"                          OLLAMA_HOST, the config file; default\n"    \
	"                          https://api.openai.com/v1)\n"               \
	"      --api-key-file=FILE read the key from FILE (else LP_API_KEY,\n" \
	"                          AZURE_OPENAI_API_KEY, OPENAI_API_KEY, "     \
	"the\n"                                                                \
	"                          config file's api_key_file; never on the\n" \
	"                          command line)\n"                            \
	"      --azure             send the key as Azure's api-key header\n"   \
	"      --api-version=V     add ?api-version=V (Azure)\n"               \
	"      --rpm=N             at most N requests per minute\n"            \
	"      --tpm=N             at most N tokens per minute\n"              \
	"      --max-retries=N     retries of a failed request (default 5)\n"  \
	"      --timeout=SECONDS   per request (default 60)\n"                 \
	"      --max-reply-size=SIZE  the largest reply, decompressed\n"       \
	"                          (default 32M)\n"                            \
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

/*
 * The options' values; cfg is ready for lp_llm_client_new() after
 * _done().
 */
struct lp_llm_options {
	struct lp_llm_config cfg;
	struct lp_llm_cli cli;		 /* what the command line said */
	struct lp_llm_file file;	 /* the config file, if there is one */
	struct lp_llm_settings settings; /* resolved */
	struct lp_llm_value model;	 /* lp_llm_options_model()'s */
	char *key; /* from a file or the environment; wiped when freed */
	const char *cache;
	char *cache_buf;
	int no_cache, dry_run, unordered;
	size_t window;
	const char *target; /* a BCP 47 code, "zh-Hans" */
	double temperature;
	long seed;
};

/* Defaults. */
void lp_llm_options_init(struct lp_llm_options *o);
/* Handle one of the options above: 1, or 0 if ch is not one of them. */
int lp_llm_options_parse(struct lp_llm_options *o, int ch, const char *arg);
/*
 * The next option that is the tool's own, from getopt_long() over the
 * common and the API short options and longopts, the API options handled
 * on the way (lp_llm_options_parse); -1 when the options end.
 */
int lp_llm_options_next(struct lp_llm_options *o, int argc, char **argv,
    const struct option *longopts);
/*
 * After the options: the config file read, the endpoint and the key
 * resolved (the key file read), the cache folder; -v says where the base
 * URL and the key came from.
 */
void lp_llm_options_done(struct lp_llm_options *o);
/*
 * After _done(): the model, the tool's --model (cli, or NULL) else the
 * variable var, else the config file's key, else def; -v says which.
 */
const char *lp_llm_options_model(struct lp_llm_options *o, const char *cli,
    const char *var, enum lp_llm_key key, const char *def);
/*
 * The client for o->cfg (after _done() and the tool's callbacks); a
 * configuration that cannot work is a usage error.
 */
struct lp_llm *lp_llm_options_client(const struct lp_llm_options *o);
/* Free the key (wiped first), the settings and the cache folder's name. */
void lp_llm_options_release(struct lp_llm_options *o);
/* A number option in [min, max], else a usage error. */
double lp_llm_options_number(
    const char *opt, const char *arg, double min, double max);

#endif

/*
 * Where the LLM tools' endpoint, key and model come from: the command
 * line, the environment people already have for the OpenAI SDKs, Azure
 * OpenAI and Ollama, labelpipe's own LP_* names, and the config file
 * ($XDG_CONFIG_HOME/labelpipe/config), resolved by one rule and naming
 * the source of each value, so -v can say which won.
 *
 * A pure resolver: the caller gives the command-line values, a function
 * that looks up the environment and the config file's text; nothing is
 * read here but what those give.  The key itself is never in the config
 * file (only api_key_file, a path), and a key file named there must be
 * readable by its owner only; the caller reads the key file.
 *
 * The precedence, the first that is set wins (man/lp-translate.1 has the
 * table):
 *
 *   base URL: --api-base, LP_API_BASE, AZURE_OPENAI_ENDPOINT (Azure:
 *     {endpoint}/openai/deployments/{model}), OPENAI_BASE_URL, OLLAMA_HOST
 *     (http:// and port 11434 added as Ollama does, then /v1), the file's
 *     api_base or azure_endpoint, https://api.openai.com/v1;
 *   key, which goes with its endpoint: --api-key-file, LP_API_KEY (ours:
 *     to any base), AZURE_OPENAI_API_KEY (Azure only), the file's
 *     api_key_file (when the base is the file's), OPENAI_API_KEY (only
 *     to OPENAI_BASE_URL or OpenAI's https://api.openai.com), the file's
 *     api_key_file (any base, when the file names no base), none;
 *   model: the tool's --model, its variable (LP_MODEL, LP_JUDGE_MODEL),
 *     the file's key (model, judge_model), the tool's default;
 *   api-version: --api-version, OPENAI_API_VERSION (Azure only), the
 *     file's api_version;
 *   OpenAI-Organization, OpenAI-Project: OPENAI_ORG_ID, OPENAI_PROJECT_ID,
 *     the file's organization, project.
 *
 * The config file: lines "key = value" (white space around both is
 * dropped, a value may be in double quotes), blank lines, and comments
 * from '#' or ';' at the start of a line.  Keys: api_base,
 * azure_endpoint, api_key_file, api_version, model, judge_model,
 * organization, project.  Anything else is an error naming file and line.
 */
#ifndef LP_LLM_CONFIG_H
#define LP_LLM_CONFIG_H

#include <stddef.h>

#include "core/error.h"

/* The config file's keys. */
enum lp_llm_key {
	LP_LLM_KEY_API_BASE,
	LP_LLM_KEY_AZURE_ENDPOINT,
	LP_LLM_KEY_API_KEY_FILE,
	LP_LLM_KEY_API_VERSION,
	LP_LLM_KEY_MODEL,
	LP_LLM_KEY_JUDGE_MODEL,
	LP_LLM_KEY_ORGANIZATION,
	LP_LLM_KEY_PROJECT,
	LP_LLM_NKEYS
};

/* A config file, parsed: each key's value (or NULL) and its line. */
struct lp_llm_file {
	char *name; /* as given, for messages */
	char *value[LP_LLM_NKEYS];
	long line[LP_LLM_NKEYS];
};

/* One value and where it came from ("--api-base", "LP_API_BASE",
 * "PATH:3", "default"). */
struct lp_llm_value {
	char *value; /* NULL: not set */
	char source[256];
};

/* What the command line said; NULL or 0 for what it did not. */
struct lp_llm_cli {
	const char *api_base;
	const char *api_key_file;
	const char *api_version;
	int azure; /* --azure */
};

/* The resolved settings (lp_llm_settings_release() frees them). */
struct lp_llm_settings {
	struct lp_llm_value base;
	/*
	 * Azure by AZURE_OPENAI_ENDPOINT or azure_endpoint: base is the
	 * endpoint, and each request goes to its model's deployment.
	 */
	int azure_deployments;
	int azure; /* the key as api-key, not Bearer */
	/* The key: a file to read (key_file) or a value (key), or neither. */
	struct lp_llm_value key_file;
	int key_file_private; /* the file must be its owner's only */
	struct lp_llm_value key;
	struct lp_llm_value api_version;
	struct lp_llm_value organization, project;
};

/*
 * Parse a config file's text (name for messages).  LP_OK, or LP_FAILED
 * with err "NAME:LINE: what is wrong" (an unknown key, a line with no
 * '=', an empty value, a key given twice, or a key inline).
 */
int lp_llm_file_parse(struct lp_llm_file *f, const char *text, size_t len,
    const char *name, struct lp_error *err);
/* Free what a parse kept (a zeroed file is fine). */
void lp_llm_file_release(struct lp_llm_file *f);

/*
 * Resolve s from the command line, the environment (env(name, arg) is a
 * variable's value or NULL) and
 * the config file (f; NULL or zeroed for none), by the precedence above.
 * LP_OK, or LP_FAILED with err set for a value that cannot work (an
 * OLLAMA_HOST that is not a host).
 */
int lp_llm_settings_resolve(struct lp_llm_settings *s,
    const struct lp_llm_cli *cli, const char *(*env)(const char *, void *),
    void *arg, const struct lp_llm_file *f, struct lp_error *err);
/*
 * The model: cli (the tool's --model) if set, else the variable var,
 * else the file's key, else def; into v.
 */
void lp_llm_settings_model(struct lp_llm_value *v, const char *cli,
    const char *var, enum lp_llm_key key, const char *def,
    const char *(*env)(const char *, void *), void *arg,
    const struct lp_llm_file *f);
/*
 * The config file's path: $XDG_CONFIG_HOME/labelpipe/config, else
 * $HOME/.config/labelpipe/config (malloc'd), or NULL with neither set.
 */
char *lp_llm_file_path(const char *(*env)(const char *, void *), void *arg);
/* Free the values of s, the key wiped first. */
void lp_llm_settings_release(struct lp_llm_settings *s);
/* Free v's value. */
void lp_llm_value_release(struct lp_llm_value *v);

#endif

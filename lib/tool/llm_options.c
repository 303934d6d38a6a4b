#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/secret.h"
#include "core/status.h"
#include "text/text.h"
#include "tool/cli.h"
#include "web/http.h"
#include "tool/llm_options.h"
#include "tool/log.h"

void
lp_llm_options_init(struct lp_llm_options *o)
{
	const char *base = getenv("LP_API_BASE");

	memset(o, 0, sizeof(*o));
	o->cfg.jobs = 8;
	o->cfg.max_retries = 5;
	o->cfg.timeout_ms = 60000;
	o->cfg.max_reply = LP_LLM_MAX_REPLY;
	o->cfg.stop = &lp_interrupted;
	o->cfg.base =
	    base != NULL && *base ? base : "https://api.openai.com/v1";
	o->window = 1024;
	o->target = "zh-Hans";
	o->seed = 1;
}

double
lp_llm_options_number(const char *opt, const char *arg, double min, double max)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(arg, &end);
	if (*arg == '\0' || *end != '\0' || errno != 0 || !(x >= min) ||
	    !(x <= max))
		lp_cli_usage(
		    "invalid %s '%s' (want %g to %g)", opt, arg, min, max);
	return x;
}

/* The first line of a key file, without its line end. */
static char *
read_key(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (f == NULL)
		lp_err(LP_EXIT_IOERR, "cannot open '%s'", path);
	n = getline(&line, &cap, f);
	fclose(f);
	while (n > 0 && strchr(" \t\r\n", line[n - 1]) != NULL)
		line[--n] = '\0';
	if (n <= 0)
		lp_errx(LP_EXIT_DATAERR, "%s: no key on its first line", path);
	return line;
}

int
lp_llm_options_parse(struct lp_llm_options *o, int ch, const char *arg)
{
	switch (ch) {
	case 'j':
		o->cfg.jobs = (int)lp_cli_int("--jobs", arg, 1, 1024);
		break;
	case LP_OPT_API_BASE:
		o->cfg.base = arg;
		lp_secret_add_url(arg, 0);
		break;
	case LP_OPT_API_KEY:
		/* Refused, and the value never echoed: it is a key. */
		lp_cli_usage("no --api-key: a key on the command line shows in "
			     "ps; use LP_API_KEY or --api-key-file");
	case LP_OPT_API_KEY_FILE:
		free(o->key);
		o->key = read_key(arg);
		lp_secret_add_key(o->key);
		break;
	case LP_OPT_API_VERSION:
		o->cfg.api_version = arg;
		break;
	case LP_OPT_AZURE:
		o->cfg.azure = 1;
		break;
	case LP_OPT_CACHE:
		o->cache = arg;
		break;
	case LP_OPT_DRY_RUN:
		o->dry_run = 1;
		break;
	case LP_OPT_MAX_REPLY_SIZE: {
		long long n = lp_parse_size(arg);

		if (n < 1024 || n > (1LL << 40))
			lp_cli_usage("invalid --max-reply-size '%s' (a size "
				     "such as 65536, 512k or 32M, at least 1k)",
			    arg);
		o->cfg.max_reply = (size_t)n;
		break;
	}
	case LP_OPT_MAX_RETRIES:
		o->cfg.max_retries =
		    (int)lp_cli_int("--max-retries", arg, 0, 100);
		break;
	case LP_OPT_MAX_TOKENS_TOTAL:
		o->cfg.max_tokens = lp_cli_int(
		    "--max-tokens-total", arg, 1, 9000000000000000000L);
		break;
	case LP_OPT_NO_CACHE:
		o->no_cache = 1;
		break;
	case LP_OPT_RPM:
		o->cfg.rpm = lp_llm_options_number("--rpm", arg, 1, 1e9);
		break;
	case LP_OPT_TIMEOUT:
		o->cfg.timeout_ms = (long)(lp_llm_options_number(
					       "--timeout", arg, 0.001, 86400) *
		    1000);
		break;
	case LP_OPT_TPM:
		o->cfg.tpm = lp_llm_options_number("--tpm", arg, 1, 1e12);
		break;
	case LP_OPT_UNORDERED:
		o->unordered = 1;
		break;
	case LP_OPT_WINDOW:
		o->window = (size_t)lp_cli_int("--window", arg, 1, 1 << 24);
		break;
	case LP_OPT_SEED:
		o->seed = lp_cli_int("--seed", arg, 0, 2147483647);
		break;
	case LP_OPT_TARGET:
		o->target = arg;
		break;
	case LP_OPT_TEMPERATURE:
		o->temperature =
		    lp_llm_options_number("--temperature", arg, 0, 2);
		break;
	default:
		return 0;
	}
	return 1;
}

int
lp_llm_options_next(struct lp_llm_options *o, int argc, char **argv,
    const struct option *longopts)
{
	int ch;

	while (
	    (ch = getopt_long(argc, argv, LP_COMMON_SHORTOPTS LP_LLM_SHORTOPTS,
		 longopts, NULL)) != -1)
		if (!lp_llm_options_parse(o, ch, optarg))
			break;
	return ch;
}

void
lp_llm_options_done(struct lp_llm_options *o)
{
	const char *env;

	if (o->no_cache && o->cache != NULL)
		lp_cli_usage("--cache and --no-cache: choose one");
	/* The key: a file, or the environment; never a command-line value. */
	if (o->key == NULL && (env = getenv("LP_API_KEY")) != NULL && *env)
		o->key = lp_xstrdup(env);
	if (o->key == NULL && (env = getenv("OPENAI_API_KEY")) != NULL && *env)
		o->key = lp_xstrdup(env);
	o->cfg.key = o->key;
	lp_secret_add_key(o->key);
	lp_secret_add_url(o->cfg.base, 0);
	o->cfg.user_agent = lp_http_user_agent(lp_tool->name);
	if (!o->no_cache && o->cache == NULL) {
		const char *base = getenv("XDG_CACHE_HOME");
		const char *home = getenv("HOME");
		size_t n;

		if (base != NULL && *base) {
			n = strlen(base) + 16;
			o->cache_buf = lp_xmalloc(n);
			snprintf(o->cache_buf, n, "%s/labelpipe", base);
		} else if (home != NULL && *home) {
			n = strlen(home) + 24;
			o->cache_buf = lp_xmalloc(n);
			snprintf(o->cache_buf, n, "%s/.cache/labelpipe", home);
		}
		o->cache = o->cache_buf;
	}
	o->cfg.cache_dir = o->no_cache || o->dry_run ? NULL : o->cache;
}

struct lp_llm *
lp_llm_options_client(const struct lp_llm_options *o)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_llm *c = lp_llm_client_new(&o->cfg, &err);

	if (c == NULL)
		lp_cli_usage("%s", err.msg);
	return c;
}

void
lp_llm_options_release(struct lp_llm_options *o)
{
	free(o->cache_buf);
	if (o->key != NULL) {
		/* The key does not outlive the run in memory. */
		memset(o->key, 0, strlen(o->key));
		free(o->key);
	}
	o->key = o->cache_buf = NULL;
}

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/file.h"
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
	memset(o, 0, sizeof(*o));
	o->cfg.jobs = 8;
	o->cfg.max_retries = 5;
	o->cfg.timeout_ms = 60000;
	o->cfg.max_reply = LP_LLM_MAX_REPLY;
	o->cfg.stop = &lp_interrupted;
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

/*
 * The first line of a key file, without its line end.  A file named in
 * the config file (private) must be readable by its owner only, as
 * lp-audit's key must.
 */
static char *
read_key(const char *path, const char *from, int private)
{
	struct lp_error err = LP_ERROR_INIT;
	char *line = NULL, *what;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int fd, rc;

	/*
	 * A private key file is opened without blocking, so that a FIFO is
	 * refused by the check, not waited on; --api-key-file may be a pipe
	 * ("<(pass show key)").
	 */
	fd = open(
	    path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (private ? O_NONBLOCK : 0));
	if (fd < 0 && private)
		lp_err(LP_EXIT_IOERR, "cannot open '%s' (%s)", path, from);
	if (fd < 0)
		lp_err(LP_EXIT_IOERR, "cannot open '%s'", path);
	if (private) {
		cap = strlen(path) + strlen(from) + 16;
		what = lp_xmalloc(cap);
		snprintf(what, cap, "key file '%s' (%s)", path, from);
		cap = 0;
		if ((rc = lp_file_check_private(fd, what, &err)) != LP_OK)
			lp_errx(
			    rc == LP_FATAL ? LP_EXIT_IOERR : LP_EXIT_DATAERR,
			    "%s", err.msg);
		free(what);
	}
	if ((f = fdopen(fd, "r")) == NULL)
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
		o->cli.api_base = arg;
		lp_secret_add_url(arg, 0);
		break;
	case LP_OPT_API_KEY:
		/* Refused, and the value never echoed: it is a key. */
		lp_cli_usage("no --api-key: a key on the command line shows in "
			     "ps; use LP_API_KEY or --api-key-file");
	case LP_OPT_API_KEY_FILE:
		o->cli.api_key_file = arg;
		break;
	case LP_OPT_API_VERSION:
		o->cli.api_version = arg;
		break;
	case LP_OPT_AZURE:
		o->cli.azure = 1;
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

/* -v: each failed attempt of a request, as the client tells it. */
static void
attempt_failed(const char *msg, void *arg)
{
	(void)arg;
	lp_debug("%s", msg);
}

static const char *
env(const char *name, void *arg)
{
	(void)arg;
	return getenv(name);
}

/* The config file, if there is one: read and parsed into o->file. */
static void
read_config(struct lp_llm_options *o)
{
	char *path = lp_llm_file_path(env, NULL);
	struct lp_buf b = LP_BUF_INIT;
	struct lp_error err = LP_ERROR_INIT;

	if (path == NULL)
		return;
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		lp_debug("no config file '%s'", path);
		free(path);
		return;
	}
	if (lp_file_read_all(path, &b, &err) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", err.msg);
	if (lp_llm_file_parse(&o->file, b.p, b.len, path, &err) != LP_OK)
		lp_errx(LP_EXIT_DATAERR, "%s", err.msg);
	lp_buf_release(&b);
	free(path);
}

/* The endpoint and key of o->settings into o->cfg; the key file read. */
static void
take_settings(struct lp_llm_options *o)
{
	struct lp_llm_settings *s = &o->settings;

	o->cfg.base = s->base.value;
	o->cfg.azure = s->azure;
	o->cfg.azure_deployments = s->azure_deployments;
	o->cfg.api_version = s->api_version.value;
	o->cfg.organization = s->organization.value;
	o->cfg.project = s->project.value;
	if (s->key_file.value != NULL)
		o->key = read_key(
		    s->key_file.value, s->key_file.source, s->key_file_private);
	else if (s->key.value != NULL)
		o->key = lp_xstrdup(s->key.value);
	o->cfg.key = o->key;
	lp_secret_add_key(o->key);
	lp_secret_add_url(o->cfg.base, 0);
	lp_debug("API base %s (from %s)%s", o->cfg.base, s->base.source,
	    s->azure_deployments ? ", Azure deployments by model" : "");
	if (o->key != NULL)
		lp_debug("API key from %s%s",
		    s->key_file.value ? "the file of " : "",
		    s->key_file.value ? s->key_file.source : s->key.source);
	else
		lp_debug("no API key");
}

void
lp_llm_options_done(struct lp_llm_options *o)
{
	struct lp_error err = LP_ERROR_INIT;

	if (o->no_cache && o->cache != NULL)
		lp_cli_usage("--cache and --no-cache: choose one");
	read_config(o);
	if (lp_llm_settings_resolve(
		&o->settings, &o->cli, env, NULL, &o->file, &err) != LP_OK)
		lp_cli_usage("%s", err.msg);
	take_settings(o);
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
	if (lp_verbosity > 0) {
		o->cfg.attempt_failed = attempt_failed;
		o->cfg.attempt_arg = NULL;
	}
}

const char *
lp_llm_options_model(struct lp_llm_options *o, const char *cli, const char *var,
    enum lp_llm_key key, const char *def)
{
	lp_llm_value_release(&o->model);
	lp_llm_settings_model(
	    &o->model, cli, var, key, def, env, NULL, &o->file);
	lp_debug("model %s (from %s)", o->model.value, o->model.source);
	return o->model.value;
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
	lp_llm_settings_release(&o->settings);
	lp_llm_file_release(&o->file);
	lp_llm_value_release(&o->model);
}

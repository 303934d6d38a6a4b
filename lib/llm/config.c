#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "llm/config.h"

static const char *const key_names[LP_LLM_NKEYS] = {"api_base",
    "azure_endpoint", "api_key_file", "api_version", "model", "judge_model",
    "organization", "project"};

static const char *const default_base = "https://api.openai.com/v1";

/* ---- The file. */

/* s[0..n) without white space at either end. */
static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && strchr(" \t\r", **s) != NULL) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && strchr(" \t\r", (*s)[*n - 1]) != NULL)
		(*n)--;
}

/*
 * Whether k[0..kn) may be echoed as a key's name: at most 20 bytes of
 * lower-case letters, digits and '_', as every key is.
 */
static int
is_name(const char *k, size_t kn)
{
	size_t i;

	if (kn > 20)
		return 0;
	for (i = 0; i < kn; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz0123456789_", k[i]) ==
			NULL ||
		    k[i] == '\0')
			return 0;
	return 1;
}

/* One line: LP_OK, or LP_FAILED with err (no file:line yet). */
static int
parse_line(struct lp_llm_file *f, const char *p, size_t n, long lineno,
    struct lp_error *err)
{
	const char *eq, *k = p, *v;
	size_t kn, vn;
	int i;

	trim(&p, &n);
	if (n == 0 || *p == '#' || *p == ';')
		return LP_OK;
	/* The line is never echoed: a bare key pasted in is a secret. */
	if ((eq = memchr(p, '=', n)) == NULL)
		return lp_error_set(
		    err, "no '=' on this line (want 'key = value')");
	k = p;
	kn = (size_t)(eq - p);
	v = eq + 1;
	vn = n - kn - 1;
	trim(&k, &kn);
	trim(&v, &vn);
	if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
		v++;
		vn -= 2;
	}
	/* Refused before anything else, and the value never echoed. */
	if ((kn == 7 && memcmp(k, "api_key", 7) == 0) ||
	    (kn == 3 && memcmp(k, "key", 3) == 0))
		return lp_error_set(err,
		    "a key is never kept in the config file: name a file "
		    "readable by its owner only with 'api_key_file = PATH', "
		    "or use LP_API_KEY");
	for (i = 0; i < LP_LLM_NKEYS; i++)
		if (strlen(key_names[i]) == kn &&
		    memcmp(key_names[i], k, kn) == 0)
			break;
	/* Echoed only if it looks like a name, not like a pasted key. */
	if (i == LP_LLM_NKEYS && !is_name(k, kn))
		return lp_error_set(err,
		    "unknown key, not shown as it is not a name (known: "
		    "api_base, azure_endpoint, api_key_file, api_version, "
		    "model, judge_model, organization, project)");
	if (i == LP_LLM_NKEYS)
		return lp_error_set(err,
		    "unknown key '%.*s' (known: api_base, azure_endpoint, "
		    "api_key_file, api_version, model, judge_model, "
		    "organization, project)",
		    (int)kn, k);
	if (vn == 0)
		return lp_error_set(err, "'%s' has no value", key_names[i]);
	if (f->value[i] != NULL)
		return lp_error_set(err, "'%s' given twice (first on line %ld)",
		    key_names[i], f->line[i]);
	f->value[i] = lp_xmalloc(vn + 1);
	memcpy(f->value[i], v, vn);
	f->value[i][vn] = '\0';
	f->line[i] = lineno;
	return LP_OK;
}

int
lp_llm_file_parse(struct lp_llm_file *f, const char *text, size_t len,
    const char *name, struct lp_error *err)
{
	const char *p = text, *end = text + len, *nl;
	struct lp_error why = LP_ERROR_INIT;
	long lineno = 0;

	memset(f, 0, sizeof(*f));
	f->name = lp_xstrdup(name);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		lineno++;
		if (memchr(p, '\0', (size_t)(nl - p)) != NULL)
			return lp_error_set(err,
			    "%s:%ld: a NUL byte in the line", name, lineno);
		if (parse_line(f, p, (size_t)(nl - p), lineno, &why) != LP_OK)
			return lp_error_set(
			    err, "%s:%ld: %s", name, lineno, why.msg);
		p = nl + 1;
	}
	return LP_OK;
}

void
lp_llm_file_release(struct lp_llm_file *f)
{
	int i;

	for (i = 0; i < LP_LLM_NKEYS; i++)
		free(f->value[i]);
	free(f->name);
	memset(f, 0, sizeof(*f));
}

char *
lp_llm_file_path(const char *(*env)(const char *, void *), void *arg)
{
	const char *x = env("XDG_CONFIG_HOME", arg), *home = env("HOME", arg);
	size_t n;
	char *p;

	/* As the XDG spec says, a relative XDG_CONFIG_HOME is ignored. */
	if (x != NULL && x[0] == '/') {
		n = strlen(x) + 24;
		p = lp_xmalloc(n);
		snprintf(p, n, "%s/labelpipe/config", x);
		return p;
	}
	if (home == NULL || home[0] == '\0')
		return NULL;
	n = strlen(home) + 32;
	p = lp_xmalloc(n);
	snprintf(p, n, "%s/.config/labelpipe/config", home);
	return p;
}

/* ---- Resolving. */

static void set(struct lp_llm_value *v, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set(struct lp_llm_value *v, const char *value, const char *fmt, ...)
{
	va_list ap;

	free(v->value);
	v->value = lp_xstrdup(value);
	va_start(ap, fmt);
	vsnprintf(v->source, sizeof(v->source), fmt, ap);
	va_end(ap);
}

/* An environment variable that is set and not empty, or NULL. */
static const char *
getvar(const char *(*env)(const char *, void *), void *arg, const char *name)
{
	const char *v = env(name, arg);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* The file's value of key, or NULL. */
static const char *
fileval(const struct lp_llm_file *f, enum lp_llm_key key)
{
	return f != NULL ? f->value[key] : NULL;
}

/* Set v from the file's key, with "FILE:LINE" as the source. */
static void
set_file(
    struct lp_llm_value *v, const struct lp_llm_file *f, enum lp_llm_key key)
{
	set(v, f->value[key], "%s:%ld", f->name, f->line[key]);
}

/*
 * OLLAMA_HOST as Ollama's own client reads it: "[scheme://]host[:port]
 * [/path]"; with no scheme, http:// and port 11434; with http:// or
 * https:// and no port, 80 or 443; no host is 127.0.0.1.  Then /v1, its
 * OpenAI-compatible API.
 */
static int
ollama_base(struct lp_llm_value *v, const char *host, struct lp_error *err)
{
	const char *scheme = "http", *port = "11434", *h = host, *sep, *path;
	size_t hn, pn, n;
	char *url;
	int has_port;

	if ((sep = strstr(host, "://")) != NULL) {
		if (strncmp(host, "http://", 7) == 0)
			port = "80";
		else if (strncmp(host, "https://", 8) == 0) {
			scheme = "https";
			port = "443";
		} else
			return lp_error_set(err,
			    "OLLAMA_HOST '%s': not an http:// or https:// "
			    "address",
			    host);
		h = sep + 3;
	}
	path = h + strcspn(h, "/");
	hn = (size_t)(path - h);
	pn = strlen(path);
	while (pn > 0 && path[pn - 1] == '/')
		pn--;
	/* A port after the host, or after an IPv6 address's ']'. */
	if (hn > 0 && h[0] == '[')
		has_port = memchr(h, ']', hn) != NULL &&
		    ((const char *)memchr(h, ']', hn))[1] == ':';
	else
		has_port = memchr(h, ':', hn) != NULL;
	n = strlen(host) + 40;
	url = lp_xmalloc(n);
	/* No host (":8080" too): Ollama's own address. */
	snprintf(url, n, "%s://%s%.*s%s%s%.*s/v1", scheme,
	    hn == 0 || h[0] == ':' ? "127.0.0.1" : "", (int)hn, h,
	    has_port ? "" : ":", has_port ? "" : port, (int)pn, path);
	set(v, url, "OLLAMA_HOST");
	free(url);
	return LP_OK;
}

/* The base URL and whether it is Azure's; which family it came from. */
enum family {
	FROM_CLI,
	FROM_LP,
	FROM_AZURE,
	FROM_OPENAI,
	FROM_OLLAMA,
	FROM_FILE,
	FROM_FILE_AZURE,
	FROM_DEFAULT
};

static int
resolve_base(struct lp_llm_settings *s, const struct lp_llm_cli *cli,
    const char *(*env)(const char *, void *), void *arg,
    const struct lp_llm_file *f, enum family *fam, struct lp_error *err)
{
	const char *v;

	if (cli->api_base != NULL) {
		set(&s->base, cli->api_base, "--api-base");
		*fam = FROM_CLI;
	} else if ((v = getvar(env, arg, "LP_API_BASE")) != NULL) {
		set(&s->base, v, "LP_API_BASE");
		*fam = FROM_LP;
	} else if ((v = getvar(env, arg, "AZURE_OPENAI_ENDPOINT")) != NULL) {
		set(&s->base, v, "AZURE_OPENAI_ENDPOINT");
		*fam = FROM_AZURE;
	} else if ((v = getvar(env, arg, "OPENAI_BASE_URL")) != NULL) {
		set(&s->base, v, "OPENAI_BASE_URL");
		*fam = FROM_OPENAI;
	} else if ((v = getvar(env, arg, "OLLAMA_HOST")) != NULL) {
		*fam = FROM_OLLAMA;
		return ollama_base(&s->base, v, err);
	} else if (fileval(f, LP_LLM_KEY_API_BASE) != NULL) {
		set_file(&s->base, f, LP_LLM_KEY_API_BASE);
		*fam = FROM_FILE;
	} else if (fileval(f, LP_LLM_KEY_AZURE_ENDPOINT) != NULL) {
		set_file(&s->base, f, LP_LLM_KEY_AZURE_ENDPOINT);
		*fam = FROM_FILE_AZURE;
	} else {
		set(&s->base, default_base, "default");
		*fam = FROM_DEFAULT;
	}
	return LP_OK;
}

/* Whether url is OpenAI's own API, by whatever source it came. */
static int
is_openai(const char *url)
{
	size_t n = strlen("https://api.openai.com");

	return strncmp(url, "https://api.openai.com", n) == 0 &&
	    (url[n] == '\0' || url[n] == '/');
}

/* The file's api_key_file as the key file, if it names one. */
static void
file_key(struct lp_llm_settings *s, const char *(*env)(const char *, void *),
    void *arg, const struct lp_llm_file *f)
{
	const char *kf, *home;
	char *path;
	size_t n;

	if ((kf = fileval(f, LP_LLM_KEY_API_KEY_FILE)) == NULL)
		return;
	/* ~/ is the home folder; a relative path is the config file's. */
	home = getvar(env, arg, "HOME");
	n = strlen(kf) + strlen(f->name) + (home ? strlen(home) : 0) + 2;
	path = lp_xmalloc(n);
	if (strncmp(kf, "~/", 2) == 0 && home != NULL)
		snprintf(path, n, "%s/%s", home, kf + 2);
	else if (kf[0] != '/' && strrchr(f->name, '/') != NULL)
		snprintf(path, n, "%.*s/%s",
		    (int)(strrchr(f->name, '/') - f->name), f->name, kf);
	else
		snprintf(path, n, "%s", kf);
	set(&s->key_file, path, "%s:%ld", f->name,
	    f->line[LP_LLM_KEY_API_KEY_FILE]);
	s->key_file_private = 1;
	free(path);
}

/*
 * The key: a file, or a variable's value.  A key goes with its endpoint:
 * ours (--api-key-file, LP_API_KEY) to whatever base was chosen, Azure's
 * to Azure only, OpenAI's to OPENAI_BASE_URL or OpenAI's own address
 * only, and the file's to the file's base, or to any base when the file
 * names none.
 */
static void
resolve_key(struct lp_llm_settings *s, const struct lp_llm_cli *cli,
    const char *(*env)(const char *, void *), void *arg,
    const struct lp_llm_file *f, enum family fam)
{
	const char *v;

	if (cli->api_key_file != NULL) {
		set(&s->key_file, cli->api_key_file, "--api-key-file");
		return;
	}
	if ((v = getvar(env, arg, "LP_API_KEY")) != NULL) {
		set(&s->key, v, "LP_API_KEY");
		return;
	}
	if (s->azure &&
	    (v = getvar(env, arg, "AZURE_OPENAI_API_KEY")) != NULL) {
		set(&s->key, v, "AZURE_OPENAI_API_KEY");
		return;
	}
	if (fam == FROM_FILE || fam == FROM_FILE_AZURE) {
		file_key(s, env, arg, f);
		return;
	}
	if ((fam == FROM_OPENAI || fam == FROM_DEFAULT ||
		is_openai(s->base.value)) &&
	    (v = getvar(env, arg, "OPENAI_API_KEY")) != NULL) {
		set(&s->key, v, "OPENAI_API_KEY");
		return;
	}
	/* A file with a base of its own keeps its key for that base. */
	if (fileval(f, LP_LLM_KEY_API_BASE) == NULL &&
	    fileval(f, LP_LLM_KEY_AZURE_ENDPOINT) == NULL)
		file_key(s, env, arg, f);
}

/* The first of: a variable (if var), the file's key. */
static void
env_or_file(struct lp_llm_value *v, const char *var,
    const char *(*env)(const char *, void *), void *arg,
    const struct lp_llm_file *f, enum lp_llm_key key)
{
	const char *x;

	if (var != NULL && (x = getvar(env, arg, var)) != NULL)
		set(v, x, "%s", var);
	else if (fileval(f, key) != NULL)
		set_file(v, f, key);
}

int
lp_llm_settings_resolve(struct lp_llm_settings *s, const struct lp_llm_cli *cli,
    const char *(*env)(const char *, void *), void *arg,
    const struct lp_llm_file *f, struct lp_error *err)
{
	enum family fam;

	memset(s, 0, sizeof(*s));
	if (resolve_base(s, cli, env, arg, f, &fam, err) != LP_OK)
		return LP_FAILED;
	s->azure_deployments = fam == FROM_AZURE || fam == FROM_FILE_AZURE;
	s->azure = cli->azure || s->azure_deployments;
	resolve_key(s, cli, env, arg, f, fam);
	if (cli->api_version != NULL)
		set(&s->api_version, cli->api_version, "--api-version");
	else
		env_or_file(&s->api_version,
		    s->azure ? "OPENAI_API_VERSION" : NULL, env, arg, f,
		    LP_LLM_KEY_API_VERSION);
	env_or_file(&s->organization, "OPENAI_ORG_ID", env, arg, f,
	    LP_LLM_KEY_ORGANIZATION);
	env_or_file(
	    &s->project, "OPENAI_PROJECT_ID", env, arg, f, LP_LLM_KEY_PROJECT);
	return LP_OK;
}

void
lp_llm_settings_model(struct lp_llm_value *v, const char *cli, const char *var,
    enum lp_llm_key key, const char *def,
    const char *(*env)(const char *, void *), void *arg,
    const struct lp_llm_file *f)
{
	memset(v, 0, sizeof(*v));
	if (cli != NULL)
		set(v, cli, "--model");
	else
		env_or_file(v, var, env, arg, f, key);
	if (v->value == NULL)
		set(v, def, "default");
}

void
lp_llm_value_release(struct lp_llm_value *v)
{
	free(v->value);
	v->value = NULL;
}

void
lp_llm_settings_release(struct lp_llm_settings *s)
{
	if (s->key.value != NULL)
		memset(s->key.value, 0, strlen(s->key.value));
	lp_llm_value_release(&s->key);
	lp_llm_value_release(&s->base);
	lp_llm_value_release(&s->key_file);
	lp_llm_value_release(&s->api_version);
	lp_llm_value_release(&s->organization);
	lp_llm_value_release(&s->project);
}

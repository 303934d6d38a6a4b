#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "core/status.h"
#include "tool/cli.h"
#include "tool/log.h"
#include "tool/olsink.h"
#include "web/http.h"
#include "web/webhook.h"

/* A variable's value, or NULL when unset or empty. */
static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

void
lp_olsink_init(struct lp_olsink *s, struct lp_writer *w)
{
	const char *url = env("OPENLINEAGE_URL"), *key,
		   *ep = env("OPENLINEAGE_ENDPOINT"),
		   *off = env("OPENLINEAGE_DISABLED");
	size_t n;

	memset(s, 0, sizeof(*s));
	s->w = w;
	s->job_namespace = env("OPENLINEAGE_NAMESPACE");
	if (url == NULL || (off != NULL && strcmp(off, "true") == 0))
		return;
	lp_secret_add_url(url, 0);
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		lp_cli_usage(
		    "OPENLINEAGE_URL wants an http:// or https:// URL, "
		    "not '%s'",
		    url);
	if ((key = env("OPENLINEAGE_API_KEY")) != NULL) {
		lp_secret_add_key(key);
		n = strlen(key) + 32;
		s->auth = malloc(n);
		if (s->auth == NULL)
			lp_err(LP_EXIT_IOERR, "out of memory");
		snprintf(s->auth, n, "Authorization: Bearer %s", key);
	}
	/* URL and endpoint joined by one slash. */
	if (ep == NULL)
		ep = "api/v1/lineage";
	ep += strspn(ep, "/");
	n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	s->url = malloc(n + strlen(ep) + 2);
	if (s->url == NULL)
		lp_err(LP_EXIT_IOERR, "out of memory");
	snprintf(s->url, n + strlen(ep) + 2, "%.*s/%s", (int)n, url, ep);
}

int
lp_olsink_event(void *arg, const char *line, size_t len, struct lp_error *err)
{
	struct lp_olsink *s = arg;
	const char *headers[2] = {NULL, NULL};
	char *body;

	if (lp_writer_write(s->w, line, len) != LP_OK) {
		lp_error_set(err, "%s", s->w->err.msg);
		return LP_FATAL;
	}
	s->events++;
	/* Not sending, or the server failed an earlier event: the file. */
	if (s->url == NULL || s->sent < s->events - 1)
		return LP_OK;
	headers[0] = s->auth;
	if ((body = strndup(line, len > 0 ? len - 1 : 0)) == NULL)
		lp_err(LP_EXIT_IOERR, "out of memory");
	if (lp_webhook_send(s->url, lp_http_user_agent(lp_tool->name), body,
		headers, LP_OLSINK_TRIES, &lp_interrupted, &s->why) == LP_OK)
		s->sent++;
	free(body);
	return LP_OK;
}

int
lp_olsink_finish(struct lp_olsink *s, const char *out)
{
	int status = LP_EXIT_OK;

	if (s->url != NULL && s->sent < s->events) {
		lp_warnx("%ld of %ld events not sent: %s; every event is in %s",
		    s->events - s->sent, s->events, s->why.msg,
		    out != NULL && strcmp(out, "-") != 0 ? out : "the output");
		/* An interrupt gave the sending up: 130, as for any tool. */
		status = lp_interrupted ? LP_EXIT_INTR : LP_EXIT_UNAVAILABLE;
	} else if (s->url != NULL && lp_verbosity > 0)
		lp_warnx("%ld events sent to %s", s->sent, s->url);
	free(s->url);
	free(s->auth);
	memset(s, 0, sizeof(*s));
	return status;
}

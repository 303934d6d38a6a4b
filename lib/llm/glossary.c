#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/status.h"
#include "core/buf.h"
#include "llm/glossary.h"

/*
 * Whether s is well-formed UTF-8.  Jansson refuses ill-formed strings as
 * strictly as text/text.h does, and the llm layer does not reach text/.
 */
static int
utf8_ok(const char *s)
{
	json_t *j = json_string(s);

	json_decref(j);
	return j != NULL;
}

/* Add the term of line (NUL-terminated, its end of line cut off). */
static int
add_line(struct lp_glossary *g, char *line, const char *name, unsigned long no,
    struct lp_error *err)
{
	char *tab, *p = line;

	while (*p == ' ')
		p++;
	if (*p == '\0' || *p == '#')
		return LP_OK;
	if (!utf8_ok(p))
		return lp_error_set(err, "%s:%lu: invalid UTF-8", name, no);
	tab = strchr(p, '\t');
	if (tab != NULL)
		*tab++ = '\0';
	if (tab != NULL && (*tab == '\0' || strchr(tab, '\t') != NULL))
		return lp_error_set(
		    err, "%s:%lu: want TERM or TERM<tab>TRANSLATION", name, no);
	g->v = lp_xrealloc(g->v, sizeof(*g->v) * (size_t)(g->n + 1));
	g->v[g->n].from = lp_xstrdup(p);
	g->v[g->n++].to = tab ? lp_xstrdup(tab) : NULL;
	return LP_OK;
}

int
lp_glossary_load(struct lp_glossary *g, const char *text, size_t len,
    const char *name, struct lp_error *err)
{
	const char *p = text, *end = text + len;
	struct lp_buf line = LP_BUF_INIT;
	unsigned long no = 0;
	int rc = LP_OK;

	while (p < end && rc == LP_OK) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		no++;
		/* A line ends at its last byte not \r or \n. */
		while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
			n--;
		lp_buf_reset(&line);
		lp_buf_add(&line, p, n);
		lp_buf_addc(&line, '\0');
		rc = add_line(g, line.p, name, no, err);
		p = nl != NULL ? nl + 1 : end;
	}
	lp_buf_release(&line);
	return rc;
}

int
lp_glossary_has(const char *text, const char *term)
{
	size_t n = strlen(term);

	for (; *text != '\0'; text++)
		if (strncasecmp(text, term, n) == 0)
			return 1;
	return 0;
}

json_t *
lp_glossary_missed(
    const struct lp_glossary *g, const char *src, const char *text)
{
	json_t *missed = NULL;
	int i;

	for (i = 0; i < g->n; i++) {
		const char *want = g->v[i].to ? g->v[i].to : g->v[i].from;

		if (!lp_glossary_has(src, g->v[i].from) ||
		    strstr(text, want) != NULL)
			continue;
		if (missed == NULL)
			missed = json_array();
		json_array_append_new(missed, json_string(g->v[i].from));
	}
	return missed;
}

void
lp_glossary_release(struct lp_glossary *g)
{
	int i;

	for (i = 0; i < g->n; i++) {
		free(g->v[i].from);
		free(g->v[i].to);
	}
	free(g->v);
	g->v = NULL;
	g->n = 0;
}

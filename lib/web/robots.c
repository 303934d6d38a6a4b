#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/status.h"
#include "core/buf.h"
#include "web/robots.h"

struct rule {
	char *pat; /* normalised */
	size_t len;
	int allow;
};

struct rules {
	struct rule *v;
	size_t n, cap;
	double delay;
};

struct warning {
	unsigned long line;
	char why[96];
};

struct lp_robots {
	struct rules rules;
	int allow_all, disallow_all;
	struct warning *warn;
	size_t nwarn;
};

static int
unreserved(int c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static int
hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0'
	    : c >= 'a' && c <= 'f'  ? c - 'a' + 10
	    : c >= 'A' && c <= 'F'  ? c - 'A' + 10
				    : -1;
}

/*
 * One spelling for equal URIs (RFC 3986 6.2.2): %XX of an unreserved
 * character decoded, other escapes in upper case, raw bytes outside
 * printable ASCII escaped.
 */
static void
normalise(const char *s, size_t n, struct lp_buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	lp_buf_reset(out);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
		    hexval(s[i + 2]) >= 0) {
			int v = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);

			if (unreserved(v))
				lp_buf_addc(out, (char)v);
			else {
				lp_buf_addc(out, '%');
				lp_buf_addc(out, hex[v >> 4]);
				lp_buf_addc(out, hex[v & 15]);
			}
			i += 2;
		} else if (c <= 0x20 || c >= 0x7f) {
			lp_buf_addc(out, '%');
			lp_buf_addc(out, hex[c >> 4]);
			lp_buf_addc(out, hex[c & 15]);
		} else
			lp_buf_addc(out, (char)c);
	}
	lp_buf_addc(out, '\0');
	out->len--;
}

static void
add_rule(struct rules *rs, const char *pat, size_t len, int allow)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 16;
		rs->v = lp_xrealloc(rs->v, sizeof(*rs->v) * rs->cap);
	}
	rs->v[rs->n].pat = lp_xmalloc(len + 1);
	memcpy(rs->v[rs->n].pat, pat, len);
	rs->v[rs->n].pat[len] = '\0';
	rs->v[rs->n].len = len;
	rs->v[rs->n++].allow = allow;
}

static void
free_rules(struct rules *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		free(rs->v[i].pat);
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

static void
warn(struct lp_robots *r, unsigned long line, const char *fmt, const char *a)
{
	r->warn = lp_xrealloc(r->warn, sizeof(*r->warn) * (r->nwarn + 1));
	r->warn[r->nwarn].line = line;
	snprintf(r->warn[r->nwarn++].why, sizeof(r->warn->why), fmt, a);
}

/* The product token of a user-agent value: its leading [A-Za-z_-]. */
static int
agent_matches(const char *v, size_t n, const char *agent)
{
	size_t k = 0;

	while (k < n &&
	    (isalpha((unsigned char)v[k]) || v[k] == '_' || v[k] == '-'))
		k++;
	return k > 0 && k == strlen(agent) && strncasecmp(v, agent, k) == 0;
}

struct lp_robots *
lp_robots_new(int allow_all)
{
	struct lp_robots *r = calloc(1, sizeof(*r));

	if (r == NULL)
		abort();
	r->allow_all = allow_all;
	r->disallow_all = !allow_all;
	r->rules.delay = -1;
	return r;
}

/* The state of a parse: the groups read so far. */
struct parse {
	struct lp_robots *r;
	const char *agent;
	struct rules mine, star; /* for agent, for "*" */
	struct lp_buf pat;
	int in_agents; /* in a run of user-agent lines */
	int cur_mine, cur_star, any_mine, started;
};

/* An Allow or Disallow line: a rule for the groups it is in. */
static void
rule_line(struct parse *ps, unsigned long lineno, int allow, const char *v,
    const char *ve)
{
	ps->in_agents = 0;
	if (!ps->started) {
		warn(ps->r, lineno, "%s", "a rule before any user-agent line");
		return;
	}
	if (v == ve)
		return; /* "Disallow:" allows all */
	normalise(v, (size_t)(ve - v), &ps->pat);
	if (ps->cur_mine)
		add_rule(&ps->mine, ps->pat.p, ps->pat.len, allow);
	if (ps->cur_star)
		add_rule(&ps->star, ps->pat.p, ps->pat.len, allow);
}

static void
delay_line(
    struct parse *ps, unsigned long lineno, const char *v, const char *ve)
{
	char num[32], *numend;
	double d;

	ps->in_agents = 0;
	snprintf(num, sizeof(num), "%.*s", (int)(ve - v), v);
	d = strtod(num, &numend);
	if (numend == num || *numend != '\0' || !(d >= 0) || d > 86400) {
		warn(ps->r, lineno,
		    "crawl-delay '%.40s' is not a number of seconds", num);
		return;
	}
	if (ps->cur_mine)
		ps->mine.delay = d;
	if (ps->cur_star)
		ps->star.delay = d;
}

/* One "field: value" line, the value v[0..ve) trimmed. */
static void
field_line(struct parse *ps, unsigned long lineno, const char *field,
    const char *v, const char *ve)
{
	if (strcasecmp(field, "user-agent") == 0) {
		if (!ps->in_agents)
			ps->cur_mine = ps->cur_star = 0;
		ps->in_agents = ps->started = 1;
		if (ve - v == 1 && *v == '*')
			ps->cur_star = 1;
		else if (agent_matches(v, (size_t)(ve - v), ps->agent))
			ps->cur_mine = ps->any_mine = 1;
	} else if (strcasecmp(field, "allow") == 0 ||
	    strcasecmp(field, "disallow") == 0)
		rule_line(
		    ps, lineno, tolower((unsigned char)field[0]) == 'a', v, ve);
	else if (strcasecmp(field, "crawl-delay") == 0)
		delay_line(ps, lineno, v, ve);
	else if (strcasecmp(field, "sitemap") != 0)
		warn(ps->r, lineno, "unknown field '%.40s' ignored", field);
}

/*
 * The line p[0..eol) without its comment: skipped if blank, warned about
 * if it has no colon, else split into field and value.
 */
static void
line(struct parse *ps, struct lp_buf *field, unsigned long lineno,
    const char *p, const char *eol)
{
	const char *hash = memchr(p, '#', (size_t)(eol - p));
	const char *ve = hash != NULL ? hash : eol, *f = p, *fe, *colon, *v;

	while (f < ve && isspace((unsigned char)*f))
		f++;
	if (f == ve)
		return; /* blank or a comment */
	colon = memchr(f, ':', (size_t)(ve - f));
	if (colon == NULL) {
		warn(ps->r, lineno, "%s", "no colon: not \"field: value\"");
		return;
	}
	for (fe = colon; fe > f && isspace((unsigned char)fe[-1]); fe--)
		;
	for (v = colon + 1; v < ve && isspace((unsigned char)*v); v++)
		;
	while (ve > v && isspace((unsigned char)ve[-1]))
		ve--;
	lp_buf_reset(field);
	lp_buf_add(field, f, (size_t)(fe - f));
	lp_buf_addc(field, '\0');
	field_line(ps, lineno, field->p, v, ve);
}

struct lp_robots *
lp_robots_parse(const char *text, size_t len, const char *agent)
{
	struct parse ps = {NULL, agent, {NULL, 0, 0, -1}, {NULL, 0, 0, -1},
	    LP_BUF_INIT, 0, 0, 0, 0, 0};
	struct lp_buf field = LP_BUF_INIT;
	unsigned long lineno = 0;
	const char *p = text, *end;

	ps.r = lp_robots_new(1);
	ps.r->allow_all = 0;
	if (len > LP_ROBOTS_MAX_BYTES)
		len = LP_ROBOTS_MAX_BYTES;
	end = text + len;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3; /* a UTF-8 byte order mark */
	while (p < end) {
		const char *eol = p;

		while (eol < end && *eol != '\n' && *eol != '\r')
			eol++;
		line(&ps, &field, ++lineno, p, eol);
		/* The next line: \n, \r\n or \r. */
		p = eol < end && *eol == '\r' && eol + 1 < end && eol[1] == '\n'
		    ? eol + 2
		    : eol + 1;
	}
	/* A group for this crawler replaces the "*" ones. */
	if (ps.any_mine) {
		ps.r->rules = ps.mine;
		free_rules(&ps.star);
	} else {
		ps.r->rules = ps.star;
		free_rules(&ps.mine);
	}
	lp_buf_release(&ps.pat);
	lp_buf_release(&field);
	return ps.r;
}

struct lp_robots *
lp_robots_load(const char *path, const char *agent, struct lp_error *err)
{
	FILE *f = fopen(path, "rb");
	struct lp_buf b = LP_BUF_INIT;
	struct lp_robots *r;
	char buf[65536];
	size_t n;

	if (f == NULL) {
		lp_error_set(
		    err, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		lp_buf_add(&b, buf, n);
	fclose(f);
	r = lp_robots_parse(b.p ? b.p : "", b.len, agent);
	lp_buf_release(&b);
	return r;
}

/*
 * Whether pattern p[0..n) ("*" any run; a final "$" the end) matches the
 * start of s, or all of s when anchored: glob matching with the last
 * star's position kept for backtracking, linear in practice.
 */
static int
match(const char *p, size_t n, const char *s)
{
	size_t i = 0, star_i = (size_t)-1;
	const char *star_s = NULL;
	int anchored = n > 0 && p[n - 1] == '$';

	if (anchored)
		n--;
	for (;;) {
		if (i == n && (!anchored || *s == '\0'))
			return 1;
		if (i < n && p[i] == '*') {
			star_i = ++i;
			star_s = s;
			continue;
		}
		if (i < n && *s != '\0' && p[i] == *s) {
			i++;
			s++;
			continue;
		}
		/* Mismatch: the last star takes one more character. */
		if (star_s == NULL || *star_s == '\0')
			return 0;
		i = star_i;
		s = ++star_s;
	}
}

int
lp_robots_allowed(const struct lp_robots *r, const char *path)
{
	struct lp_buf norm = LP_BUF_INIT;
	size_t i, best = 0;
	int found = 0, allow = 1;

	if (strcmp(path, "/robots.txt") == 0)
		return 1;
	if (r->allow_all || r->disallow_all)
		return r->allow_all;
	normalise(path, strlen(path), &norm);
	for (i = 0; i < r->rules.n; i++) {
		const struct rule *ru = &r->rules.v[i];

		if (!match(ru->pat, ru->len, norm.p))
			continue;
		if (!found || ru->len > best ||
		    (ru->len == best && ru->allow && !allow)) {
			found = 1;
			best = ru->len;
			allow = ru->allow;
		}
	}
	lp_buf_release(&norm);
	return allow;
}

const char *
lp_robots_path(const char *url)
{
	const char *slash = strstr(url, "://");

	if (slash == NULL)
		return url;
	return strchr(slash + 3, '/') ? strchr(slash + 3, '/') : "/";
}

double
lp_robots_crawl_delay(const struct lp_robots *r)
{
	return r->rules.delay;
}

size_t
lp_robots_nwarnings(const struct lp_robots *r)
{
	return r->nwarn;
}

const char *
lp_robots_warning(const struct lp_robots *r, size_t i, unsigned long *line)
{
	*line = r->warn[i].line;
	return r->warn[i].why;
}

void
lp_robots_free(struct lp_robots *r)
{
	if (r == NULL)
		return;
	free_rules(&r->rules);
	free(r->warn);
	free(r);
}

void
lp_robots_verdicts(
    const struct lp_robots *r, char **urls, int n, struct lp_buf *out)
{
	int i;

	for (i = 0; i < n; i++)
		lp_buf_addf(out, "%s\t%s\n",
		    lp_robots_allowed(r, lp_robots_path(urls[i]))
			? "allowed"
			: "disallowed",
		    urls[i]);
	if (lp_robots_crawl_delay(r) >= 0)
		lp_buf_addf(out, "crawl-delay\t%g\n", lp_robots_crawl_delay(r));
}

#include <string.h>

#include "tool/summary.h"

/*
 * The count of the placeholder p[0..n) (the text between the braces) into
 * out; its value.
 */
static long long
placeholder(struct lp_buf *out, const char *p, size_t n,
    long long (*count)(void *, const char *), void *arg)
{
	char name[64], *noun, *minus;
	long long v;

	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, p, n);
	name[n] = '\0';
	if ((noun = strchr(name, ':')) != NULL)
		*noun++ = '\0';
	if ((minus = strchr(name, '-')) != NULL)
		*minus++ = '\0';
	v = count(arg, name) - (minus != NULL ? count(arg, minus) : 0);
	lp_buf_addf(out, "%lld", v);
	if (noun != NULL && v == 1)
		lp_buf_addf(out, " %s", noun);
	else if (noun != NULL) {
		size_t k = strlen(noun);

		/* "retry", "retries"; "key", "keys". */
		if (k >= 2 && noun[k - 1] == 'y' &&
		    strchr("aeiou", noun[k - 2]) == NULL)
			lp_buf_addf(out, " %.*sies", (int)(k - 1), noun);
		else
			lp_buf_addf(out, " %ss", noun);
	}
	return v;
}

/*
 * fmt[0..n) (no brackets) into out; whether a count in it is not zero.
 */
static int
part(struct lp_buf *out, const char *fmt, size_t n,
    long long (*count)(void *, const char *), void *arg)
{
	const char *p = fmt, *end = fmt + n, *close;
	int nonzero = 0;

	while (p < end) {
		if (*p == '{' &&
		    (close = memchr(p, '}', (size_t)(end - p))) != NULL) {
			nonzero |=
			    placeholder(out, p + 1, (size_t)(close - p - 1),
				count, arg) != 0;
			p = close + 1;
		} else
			lp_buf_addc(out, *p++);
	}
	return nonzero;
}

void
lp_summary_format(struct lp_buf *out, const char *fmt,
    long long (*count)(void *arg, const char *name), void *arg)
{
	struct lp_buf opt = LP_BUF_INIT;
	const char *p = fmt, *open, *close;

	while (*p != '\0') {
		open = strchr(p, '[');
		close = open != NULL ? strchr(open, ']') : NULL;
		if (close == NULL) {
			part(out, p, strlen(p), count, arg);
			break;
		}
		part(out, p, (size_t)(open - p), count, arg);
		lp_buf_reset(&opt);
		if (part(&opt, open + 1, (size_t)(close - open - 1), count,
			arg) &&
		    opt.len > 0)
			lp_buf_add(out, opt.p, opt.len);
		p = close + 1;
	}
	lp_buf_release(&opt);
}

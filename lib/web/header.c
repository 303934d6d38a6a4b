#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/status.h"
#include "web/header.h"

static int
blank(char c)
{
	return c == ' ' || c == '\t';
}

int
lp_header_match(
    const char *line, size_t len, const char *name, char *out, size_t n)
{
	size_t l = strlen(name);
	const char *v, *end = line + len;

	if (len <= l || line[l] != ':' || strncasecmp(line, name, l) != 0)
		return 0;
	for (v = line + l + 1; v < end && blank(*v); v++)
		;
	while (
	    end > v && (end[-1] == '\r' || end[-1] == '\n' || blank(end[-1])))
		end--;
	if (n > 0)
		snprintf(out, n, "%.*s", (int)(end - v), v);
	return 1;
}

int
lp_header_field(
    const char *p, size_t size, const char *name, char *out, size_t n)
{
	const char *end = p + size;

	if (n > 0)
		out[0] = '\0';
	while (p != NULL && p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *stop = eol != NULL ? eol : end;

		if (lp_header_match(p, (size_t)(stop - p), name, out, n))
			return 1;
		p = eol != NULL ? eol + 1 : NULL;
	}
	return 0;
}

long
lp_header_status(const char *line, size_t len)
{
	size_t i = 5;
	long status = 0;
	int k;

	if (len < 5 || strncmp(line, "HTTP/", 5) != 0)
		return -1;
	while (i < len && line[i] != ' ')
		i++;
	if (len - i < 4)
		return -1;
	for (k = 1; k <= 3; k++) {
		if (line[i + k] < '0' || line[i + k] > '9')
			return -1;
		status = status * 10 + (line[i + k] - '0');
	}
	return status;
}

double
lp_header_retry_after(const char *v, double now_unix)
{
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	char m[4] = "", *end;
	int d, y, hh, mm, ss, i;
	double secs;
	struct tm tm;

	while (*v == ' ')
		v++;
	secs = strtod(v, &end);
	if (end != v && (*end == '\0' || *end == '\r' || *end == '\n'))
		return secs >= 0 ? secs : -1;
	/* An HTTP date: "Wed, 21 Oct 2015 07:28:00 GMT". */
	if (sscanf(v, "%*3s, %d %3s %d %d:%d:%d GMT", &d, m, &y, &hh, &mm,
		&ss) != 6)
		return -1;
	for (i = 0; i < 12 && strcmp(mon[i], m) != 0; i++)
		;
	if (i == 12)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = i;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	secs = (double)timegm(&tm) - now_unix;
	return secs > 0 ? secs : 0;
}

double
lp_header_duration(const char *v)
{
	double total = 0;
	int any = 0;

	while (*v == ' ')
		v++;
	while (*v != '\0' && *v != '\r' && *v != '\n' && *v != ' ') {
		char *end;
		double x = strtod(v, &end);

		if (end == v)
			return -1;
		v = end;
		if (strncmp(v, "ms", 2) == 0) {
			total += x / 1000;
			v += 2;
		} else if (*v == 's') {
			total += x;
			v++;
		} else if (*v == 'm') {
			total += x * 60;
			v++;
		} else if (*v == 'h') {
			total += x * 3600;
			v++;
		} else if (*v == '\0' || *v == '\r' || *v == '\n') {
			total += x; /* a bare number: seconds */
		} else
			return -1;
		any = 1;
	}
	return any ? total : -1;
}

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/secret.h"
#include "core/status.h"
#include "tool/log.h"

const char *lp_progname = "labelpipe";
int lp_verbosity;
/* The first line of the last warning or error, for lp_log_last(). */
static char last[512];

static void
vwarn(int with_errno, int errnum, const char *fmt, va_list ap)
{
	char msg[4096];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* Every diagnostic: no secret reaches stderr (core/secret.h). */
	lp_secret_scrub(msg, sizeof(msg));
	if (with_errno)
		snprintf(last, sizeof(last), "%.*s: %s",
		    (int)strcspn(msg, "\n"), msg, strerror(errnum));
	else
		snprintf(
		    last, sizeof(last), "%.*s", (int)strcspn(msg, "\n"), msg);
	if (with_errno)
		fprintf(
		    stderr, "%s: %s: %s\n", lp_progname, msg, strerror(errnum));
	else
		fprintf(stderr, "%s: %s\n", lp_progname, msg);
}

const char *
lp_log_last(void)
{
	return last;
}

void
lp_warn(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	vwarn(1, e, fmt, ap);
	va_end(ap);
}

void
lp_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(0, 0, fmt, ap);
	va_end(ap);
}

void
lp_err(int status, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	vwarn(1, e, fmt, ap);
	va_end(ap);
	exit(status);
}

void
lp_errx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(0, 0, fmt, ap);
	va_end(ap);
	exit(status);
}

void
lp_debug(const char *fmt, ...)
{
	va_list ap;

	if (lp_verbosity < 1)
		return;
	va_start(ap, fmt);
	vwarn(0, 0, fmt, ap);
	va_end(ap);
}

int
lp_color(int fd)
{
	const char *nc = getenv("NO_COLOR");

	if (nc != NULL && *nc != '\0')
		return 0;
	return isatty(fd);
}

int
lp_summary_due(void)
{
	return lp_verbosity > 0 || (lp_verbosity == 0 && isatty(STDERR_FILENO));
}

static void
vsummary(const char *fmt, va_list ap)
{
	if (isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);
	vwarn(0, 0, fmt, ap);
}

void
lp_summary(const char *fmt, ...)
{
	va_list ap;

	if (!lp_summary_due())
		return;
	va_start(ap, fmt);
	vsummary(fmt, ap);
	va_end(ap);
}

void
lp_summary_always(const char *fmt, ...)
{
	va_list ap;

	if (lp_verbosity < 0)
		return;
	va_start(ap, fmt);
	vsummary(fmt, ap);
	va_end(ap);
}

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/status.h"
#include "core/error.h"

int
lp_error_set(struct lp_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return LP_FAILED;
}

void
lp_error_prefix(struct lp_error *err, const char *fmt, ...)
{
	char old[LP_ERROR_MAX];
	size_t n, len, room;
	va_list ap;
	int k;

	if (err == NULL)
		return;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	k = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	/* The prefix, then ": " and the old text, as much as fits. */
	n = k < 0 ? 0 : (size_t)k;
	if (n > sizeof(err->msg) - 1)
		n = sizeof(err->msg) - 1;
	if (n + 2 < sizeof(err->msg)) {
		err->msg[n++] = ':';
		err->msg[n++] = ' ';
	}
	room = sizeof(err->msg) - 1 - n;
	len = strnlen(old, sizeof(old) - 1);
	if (len > room)
		len = room;
	memcpy(err->msg + n, old, len);
	err->msg[n + len] = '\0';
}

void
lp_error_clear(struct lp_error *err)
{
	if (err != NULL)
		err->msg[0] = '\0';
}

/*
 * Charset detection and conversion of pages.  Detection reads only the
 * Content-Type and the top of the page, where a <meta charset> must be
 * (HTML asks for the first 1024 bytes; 2 KiB allows for what precedes it
 * in the wild).
 */
#define _GNU_SOURCE /* strcasestr */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/status.h"
#include "text/text.h"
#include "web/charset.h"

/* How far into a page a <meta charset> is looked for. */
#define LOOK 2048

void
lp_charset_detect(
    const char *ctype, const char *p, size_t n, char *out, size_t outlen)
{
	const char *c = ctype != NULL ? strcasestr(ctype, "charset=") : NULL;

	if (outlen > 0)
		out[0] = '\0';
	if (c != NULL) {
		c += 8;
		while (*c == '"')
			c++;
		snprintf(out, outlen, "%.*s", (int)strcspn(c, "\"; "), c);
	} else if (n > 0) {
		size_t look = n < LOOK ? n : LOOK, i;
		char head[LOOK + 1];

		/* A NUL would end the search early: taken as a space. */
		memcpy(head, p, look);
		head[look] = '\0';
		for (i = 0; i < look; i++)
			if (head[i] == '\0')
				head[i] = ' ';
		if ((c = strcasestr(head, "charset=")) == NULL)
			return;
		c += 8;
		while (*c == '"' || *c == '\'')
			c++;
		snprintf(out, outlen, "%.*s", (int)strcspn(c, "\"'; />"), c);
	}
}

/*
 * Latin-1 maps to the first 256 code points.  The 0x80-0x9f of
 * windows-1252 (curly quotes, the euro sign) are taken as Latin-1's C1
 * controls too: they are rare in markup, and a table would make this
 * module a converter of its own.
 */
static void
latin1(const struct lp_buf *b, struct lp_buf *out)
{
	size_t i;

	lp_buf_grow(out, b->len + b->len / 8);
	for (i = 0; i < b->len; i++) {
		unsigned char ch = (unsigned char)b->p[i];

		if (ch < 0x80)
			lp_buf_addc(out, (char)ch);
		else {
			lp_buf_addc(out, (char)(0xc0 | ch >> 6));
			lp_buf_addc(out, (char)(0x80 | (ch & 0x3f)));
		}
	}
}

int
lp_charset_to_utf8(struct lp_buf *b, const char *ctype,
    enum lp_charset_done *done, struct lp_error *err)
{
	struct lp_buf out = LP_BUF_INIT;
	char cs[40];

	lp_charset_detect(ctype, b->p, b->len, cs, sizeof(cs));
	*done = LP_CHARSET_KEPT;
	if (cs[0] == '\0' || strcasecmp(cs, "utf-8") == 0 ||
	    strcasecmp(cs, "utf8") == 0 || strcasecmp(cs, "us-ascii") == 0) {
		if (lp_utf8_valid(b->p ? b->p : "", b->len, NULL))
			return LP_OK;
		lp_utf8_repair(b->p, b->len, &out);
		*done = LP_CHARSET_REPAIRED;
	} else if (strcasecmp(cs, "iso-8859-1") == 0 ||
	    strcasecmp(cs, "latin1") == 0 ||
	    strcasecmp(cs, "windows-1252") == 0) {
		latin1(b, &out);
		*done = LP_CHARSET_CONVERTED;
	} else
		return lp_error_set(
		    err, "the page is in %s, not UTF-8 or Latin-1", cs);
	/* The converted page takes the place of the old. */
	lp_buf_release(b);
	*b = out;
	return LP_OK;
}

/*
 * Text helpers shared by every tool that looks inside strings.
 */
#ifndef LP_TEXT_H
#define LP_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/utf8.h"

/*
 * Text normalisation, the one every tool compares text by:
 * Unicode NFKC (full-width forms, ligatures, compatibility characters),
 * default-ignorable characters (soft hyphen, zero-width space ...) and
 * control characters removed, line breaks and tabs turned into spaces, runs
 * of white space collapsed to one space, the ends trimmed, and with
 * LP_TEXT_FOLD Unicode case folding (lower case with Unicode rules).
 * Pure ASCII text without control characters takes a shortcut with the
 * same result.  Keep one struct lp_text per loop: its buffer is reused.
 */
#define LP_TEXT_FOLD 0x1
/*
 * Also drop emoji before normalising: Extended_Pictographic code points,
 * regional indicators (flags), skin tone modifiers, tag characters, the
 * keycap mark, variation selectors and joiners.  Digits, '#' and '*' of a
 * keycap stay.  The number dropped is left in t->emoji.
 */
#define LP_TEXT_NO_EMOJI 0x2
#define LP_TEXT_NO_SHORTCUT 0x100 /* for tests: always go through utf8proc */

struct lp_text {
	int32_t *u;
	size_t cap;
	struct lp_buf pre; /* the text without emoji */
	size_t emoji;	   /* emoji code points dropped by the last call */
};

/* 1 if code point c is part of an emoji (see LP_TEXT_NO_EMOJI). */
int lp_is_emoji(int32_t c);

/*
 * Append the normalised form of s[0..n) to out.  LP_OK, or LP_FAILED when s
 * is not valid UTF-8 (out unchanged).
 */
int lp_text_normalize(struct lp_text *t, const char *s, size_t n,
    unsigned flags, struct lp_buf *out);
/* Free t's buffers. */
void lp_text_release(struct lp_text *t);

/* Parse "16M", "64k", "1G", "4096" into bytes; -1 on a malformed size. */
long long lp_parse_size(const char *s);

#endif

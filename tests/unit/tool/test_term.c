#include <string.h>

#include "core/status.h"
#include "tool/term.h"
#include "test.h"

static int
key_of(const char *s, size_t *used)
{
	int key = 12345;

	*used = lp_term_decode((const unsigned char *)s, strlen(s), &key);
	return key;
}

TEST(keys)
{
	static const struct {
		const char *bytes;
		int key;
		size_t used;
	} cases[] = {
	    {"a", 'a', 1},
	    {"\r", '\r', 1},
	    {"\x7f", 127, 1},
	    {"\xc3\xa9x", 0xe9, 2},
	    {"\xe4\xb8\xad", 0x4e2d, 3},
	    {"\xf0\x9f\x98\x80", 0x1f600, 4},
	    {"\033[A", LP_KEY_UP, 3},
	    {"\033[B", LP_KEY_DOWN, 3},
	    {"\033[C", LP_KEY_RIGHT, 3},
	    {"\033[D", LP_KEY_LEFT, 3},
	    {"\033OA", LP_KEY_UP, 3},
	    {"\033[H", LP_KEY_HOME, 3},
	    {"\033[1~", LP_KEY_HOME, 4},
	    {"\033[4~", LP_KEY_END, 4},
	    {"\033[3~", LP_KEY_DELETE, 4},
	    {"\033[1;5C", LP_KEY_RIGHT, 6},  /* ^Right: still right */
	    {"\033[15~", LP_KEY_UNKNOWN, 5}, /* F5 */
	    {"\033x", LP_KEY_ESC, 1},
	    {"\xff", LP_KEY_UNKNOWN, 1},
	    {"\xc3(", LP_KEY_UNKNOWN, 1},
	};
	size_t i, used;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_eq_int(key_of(cases[i].bytes, &used), cases[i].key);
		assert_eq_int((long long)used, (long long)cases[i].used);
	}
}

/* A sequence cut short waits for more bytes. */
TEST(partial_keys_wait)
{
	size_t used;

	key_of("\033", &used);
	assert_eq_int((long long)used, 0);
	key_of("\033[", &used);
	assert_eq_int((long long)used, 0);
	key_of("\033[1;", &used);
	assert_eq_int((long long)used, 0);
	key_of("\xe4\xb8", &used);
	assert_eq_int((long long)used, 0);
	key_of("\033O", &used);
	assert_eq_int((long long)used, 0);
}

static void
type(struct lp_edit *e, const char *keys)
{
	size_t n = strlen(keys), used;
	int key;

	while (n > 0) {
		used = lp_term_decode((const unsigned char *)keys, n, &key);
		if (used == 0) { /* a lone Esc at the end */
			key = LP_KEY_ESC;
			used = 1;
		}
		lp_edit_key(e, key);
		keys += used;
		n -= used;
	}
}

TEST(line_editor)
{
	struct lp_edit e;

	lp_edit_init(&e, "\xe8\x8b\xb9\xe6\x9e\x9c");
	assert_eq_int((long long)e.cur, 6);
	/* Left over a wide character, then insert before it. */
	type(&e, "\033[Dx");
	assert_eq_str(e.text.p, "\xe8\x8b\xb9x\xe6\x9e\x9c");
	type(&e, "\x7f\x7f");
	assert_eq_str(e.text.p, "\xe6\x9e\x9c");
	type(&e, "\x01\xe4\xb8\xad\x05!");
	assert_eq_str(e.text.p, "\xe4\xb8\xad\xe6\x9e\x9c!");
	type(&e, "\x01\033[3~");
	assert_eq_str(e.text.p, "\xe6\x9e\x9c!");
	type(&e, "\x05 two words\x17");
	assert_eq_str(e.text.p, "\xe6\x9e\x9c! two ");
	type(&e, "\x02\x02\x02\x02\x0b");
	assert_eq_str(e.text.p, "\xe6\x9e\x9c! ");
	type(&e, "\x15");
	assert_eq_str(e.text.p, "");
	/* Controls do not go in; Enter finishes; Esc cancels. */
	type(&e,
	    "a\x07\x80"
	    "b");
	assert_eq_str(e.text.p, "ab");
	assert_eq_int(lp_edit_key(&e, '\r'), LP_EDIT_DONE);
	assert_eq_int(lp_edit_key(&e, LP_KEY_ESC), LP_EDIT_CANCEL);
	assert_eq_int(lp_edit_key(&e, 'z'), LP_EDIT_MORE);
	/* At the edges nothing breaks. */
	lp_edit_release(&e);
	lp_edit_init(&e, NULL);
	type(&e, "\x7f\033[3~\033[D\033[C\x17\x0b");
	assert_eq_str(e.text.p, "");
	lp_edit_release(&e);
}

/*
 * The cursor moves over, and Backspace and Delete take, whole characters
 * as a reader sees them: e + combining acute, a family emoji joined by
 * ZWJ, a flag, a Hangul syllable in jamo, a skin-tone modifier.
 */
TEST(line_editor_graphemes)
{
	/* The text, the keys typed ('|' marks where the cursor was), after. */
	static const struct {
		const char *text, *keys, *want;
	} cases[] = {
	    /* e + acute: Left twice goes before both, Delete takes both. */
	    {"ae\xcc\x81"
	     "b",
		"\033[D\033[D|\033[3~", "a|b"},
	    /* Man, ZWJ, woman, ZWJ, girl: one Backspace. */
	    {"x\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9"
	     "\xe2\x80\x8d\xf0\x9f\x91\xa7",
		"\x7f|", "x|"},
	    /* Two flags (GB, CN): Left once, Backspace takes the first. */
	    {"\xf0\x9f\x87\xac\xf0\x9f\x87\xa7\xf0\x9f\x87\xa8\xf0\x9f\x87\xb3",
		"\033[D\x7f|", "|\xf0\x9f\x87\xa8\xf0\x9f\x87\xb3"},
	    /* Hangul jamo (han), a thumbs-up with a skin tone, "!". */
	    {"\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab"
	     "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd!",
		"\x01\033[C|\033[C|",
		"\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab|"
		"\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd|!"},
	    /* A stray byte (not UTF-8) is a character of its own. */
	    {"a\xff", "\x7f", "a"}};
	struct lp_edit e;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		lp_edit_init(&e, cases[i].text);
		type(&e, cases[i].keys);
		assert_eq_str(e.text.p, cases[i].want);
		lp_edit_release(&e);
	}
}

RUN_TESTS()

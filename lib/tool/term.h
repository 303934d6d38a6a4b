/*
 * The reviewer's terminal: /dev/tty in raw mode on the alternate screen,
 * always given back as it was found (at exit, on SIGTSTP and fatal signals);
 * keys decoded from bytes; a one-line editor.  (Text measured in columns,
 * made safe and wrapped is text/display.h.)  Tool side of liblp: it writes
 * to the terminal.
 */
#ifndef LP_TERM_H
#define LP_TERM_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* Keys: a character is its code point (Enter 13, Backspace 127 ...). */
enum {
	LP_KEY_UP = -100,
	LP_KEY_DOWN,
	LP_KEY_LEFT,
	LP_KEY_RIGHT,
	LP_KEY_HOME,
	LP_KEY_END,
	LP_KEY_DELETE,
	LP_KEY_PGUP,
	LP_KEY_PGDN,
	LP_KEY_UNKNOWN, /* an escape sequence we do not use, a bad byte */
	LP_KEY_RESIZE,	/* the window changed (or the tool came back from ^Z) */
	LP_KEY_TIMEOUT,
	LP_KEY_INTR, /* a signal asks the tool to stop (lp_interrupted) */
	LP_KEY_EOF,  /* the terminal went away */
	LP_KEY_ESC = 27
};

/*
 * Decode the key at p[0..n): the bytes it takes, with *key set, or 0 when
 * the bytes so far may be the start of a longer sequence (a lone Esc is
 * Esc only once no more bytes follow: the caller decides by waiting).
 */
size_t lp_term_decode(const unsigned char *p, size_t n, int *key);

/*
 * Take the terminal: open /dev/tty, raw mode (signals kept: ^C, ^Z),
 * alternate screen.  LP_OK, or LP_FAILED with errno set.
 */
int lp_term_open(void);
/* Give it back as it was.  Safe to call twice, and at exit. */
void lp_term_close(void);
/* Hand the terminal back for a while ($EDITOR), and take it again. */
void lp_term_pause(void);
void lp_term_resume(void);
/* Rows and columns (24x80 when unknown). */
void lp_term_size(int *rows, int *cols);
/* The next key, waiting at most timeout_ms (-1: for ever). */
int lp_term_key(int timeout_ms);
/* Write a frame (one write(2) call per frame where possible). */
void lp_term_write(const char *p, size_t n);

/* A one-line editor over UTF-8 text. */
struct lp_edit {
	struct lp_buf text; /* NUL-terminated */
	size_t cur;	    /* byte offset of the cursor */
};
enum { LP_EDIT_MORE, LP_EDIT_DONE, LP_EDIT_CANCEL };
void lp_edit_init(struct lp_edit *e, const char *text);
/*
 * Apply a key: characters insert; Backspace, Delete, ^D delete; arrows,
 * Home, End, ^A ^E ^B ^F move; ^U ^K kill to start or end; ^W the word
 * before the cursor; Enter finishes, Esc cancels.
 */
int lp_edit_key(struct lp_edit *e, int key);
void lp_edit_release(struct lp_edit *e);

#endif

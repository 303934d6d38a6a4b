/*
 * Terminal handling for lp-label.  Restoring the terminal is the one thing
 * that must never fail to happen: the saved modes are restored at exit, on
 * ^Z (and raw mode taken again on fg), on SIGHUP/SIGQUIT, which like
 * SIGINT/SIGTERM ask the tool to save and stop, and on a crash.  Only
 * SIGKILL leaves a raw terminal behind ("stty sane" mends it).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <utf8proc.h>

#include "core/status.h"
#include "tool/cli.h"
#include "core/file.h"
#include "tool/term.h"

static int tty = -1;
static struct termios saved;
static volatile sig_atomic_t resized, raw_on;
static unsigned char in[64];
static size_t nin;

#define ENTER_SCREEN "\033[?1049h\033[H\033[2J"
#define LEAVE_SCREEN "\033[0m\033[?25h\033[?1049l"

/* The key of a CSI or SS3 sequence's final byte. */
static int
final_key(int c)
{
	static const char finals[] = "ABCDHF";
	static const int keys[] = {LP_KEY_UP, LP_KEY_DOWN, LP_KEY_RIGHT,
	    LP_KEY_LEFT, LP_KEY_HOME, LP_KEY_END};
	const char *f = c != '\0' ? strchr(finals, c) : NULL;

	return f != NULL ? keys[f - finals] : LP_KEY_UNKNOWN;
}

size_t
lp_term_decode(const unsigned char *p, size_t n, int *key)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t len;
	size_t i;

	if (n == 0)
		return 0;
	if (p[0] != 0x1b) {
		if (p[0] < 0x80) {
			*key = p[0];
			return 1;
		}
		len = utf8proc_iterate(p, (utf8proc_ssize_t)n, &c);
		if (len > 0) {
			*key = c;
			return (size_t)len;
		}
		/* Maybe only the first bytes of a character have come. */
		if ((p[0] & 0xe0) == 0xc0 || (p[0] & 0xf0) == 0xe0 ||
		    (p[0] & 0xf8) == 0xf0) {
			size_t want = (p[0] & 0xe0) == 0xc0 ? 2
			    : (p[0] & 0xf0) == 0xe0	    ? 3
							    : 4;
			for (i = 1; i < n && (p[i] & 0xc0) == 0x80; i++)
				;
			if (i == n && n < want)
				return 0;
		}
		*key = LP_KEY_UNKNOWN;
		return 1;
	}
	if (n == 1)
		return 0;
	if (p[1] == 'O') { /* SS3: application cursor keys */
		if (n < 3)
			return 0;
		*key = final_key(p[2]);
		return 3;
	}
	if (p[1] != '[') {
		*key = LP_KEY_ESC;
		return 1;
	}
	/* CSI: parameters 0x30-0x3f, intermediates 0x20-0x2f, a final. */
	for (i = 2; i < n && p[i] >= 0x20 && p[i] <= 0x3f; i++)
		;
	if (i == n)
		return i < 32 ? 0 : (*key = LP_KEY_UNKNOWN, n);
	switch (p[i]) {
	case '~': {
		int num = 0;
		size_t j;

		for (j = 2; j < i && p[j] >= '0' && p[j] <= '9'; j++)
			num = num * 10 + (p[j] - '0');
		*key = num == 1 || num == 7 ? LP_KEY_HOME
		    : num == 4 || num == 8  ? LP_KEY_END
		    : num == 3		    ? LP_KEY_DELETE
		    : num == 5		    ? LP_KEY_PGUP
		    : num == 6		    ? LP_KEY_PGDN
					    : LP_KEY_UNKNOWN;
		break;
	}
	default:
		*key = final_key(p[i]);
	}
	return i + 1;
}

/* Async-signal-safe, like lp_term_write(). */
static void
put(const char *s)
{
	lp_term_write(s, strlen(s));
}

/* Raw mode with signals: ^C, ^Z and ^\ still reach the tool. */
static void
go_raw(void)
{
	struct termios t = saved;

	t.c_iflag &= ~(tcflag_t)(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
	t.c_oflag &= ~(tcflag_t)OPOST;
	t.c_cflag |= CS8;
	t.c_lflag &= ~(tcflag_t)(ECHO | ICANON | IEXTEN);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(tty, TCSAFLUSH, &t);
	put(ENTER_SCREEN);
	raw_on = 1;
}

/* Async-signal-safe: write(2) and tcsetattr(3) only. */
static void
give_back(void)
{
	if (tty < 0 || !raw_on)
		return;
	put(LEAVE_SCREEN);
	tcsetattr(tty, TCSAFLUSH, &saved);
	raw_on = 0;
}

static void
on_winch(int sig)
{
	(void)sig;
	resized = 1;
}

static void
on_tstp(int sig)
{
	sigset_t set;
	int e = errno;

	(void)sig;
	give_back();
	/* Stop for real: the default action, with the signal unblocked. */
	signal(SIGTSTP, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGTSTP);
	/* Here again after SIGCONT. */
	signal(SIGTSTP, on_tstp);
	if (tty >= 0) {
		go_raw();
		resized = 1;
	}
	errno = e;
}

/* A crash: give the terminal back, then die of the same signal. */
static void
on_fatal(int sig)
{
	give_back();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
on_stop(int sig)
{
	(void)sig;
	lp_interrupted = 1;
}

int
lp_term_open(void)
{
	struct sigaction sa;

	if ((tty = open("/dev/tty", O_RDWR | O_CLOEXEC)) < 0)
		return LP_FAILED;
	if (tcgetattr(tty, &saved) != 0) {
		close(tty);
		tty = -1;
		return LP_FAILED;
	}
	atexit(lp_term_close);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, NULL);
	sa.sa_handler = on_tstp;
	sigaction(SIGTSTP, &sa, NULL);
	sa.sa_handler = on_stop;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sa.sa_handler = on_fatal;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	go_raw();
	return LP_OK;
}

void
lp_term_close(void)
{
	give_back();
	if (tty >= 0) {
		signal(SIGTSTP, SIG_DFL);
		close(tty);
	}
	tty = -1;
}

void
lp_term_pause(void)
{
	give_back();
}

void
lp_term_resume(void)
{
	if (tty >= 0 && !raw_on)
		go_raw();
}

void
lp_term_size(int *rows, int *cols)
{
	struct winsize ws;

	*rows = 24;
	*cols = 80;
	if (tty >= 0 && ioctl(tty, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
	}
}

int
lp_term_key(int timeout_ms)
{
	int key, waited = 0;

	for (;;) {
		struct pollfd pf;
		size_t used = lp_term_decode(in, nin, &key);
		ssize_t r;

		if (used > 0) {
			memmove(in, in + used, nin - used);
			nin -= used;
			return key;
		}
		if (lp_interrupted)
			return LP_KEY_INTR;
		if (resized) {
			resized = 0;
			return LP_KEY_RESIZE;
		}
		/* A started sequence gets 50 ms to finish: then Esc is Esc. */
		pf.fd = tty;
		pf.events = POLLIN;
		r = poll(&pf, 1, nin > 0 ? 50 : timeout_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) {
			if (nin == 0)
				return LP_KEY_TIMEOUT;
			if (waited++ > 0 || in[0] == 0x1b) {
				key =
				    in[0] == 0x1b ? LP_KEY_ESC : LP_KEY_UNKNOWN;
				memmove(in, in + 1, --nin);
				return key;
			}
			continue;
		}
		if (nin == sizeof(in))
			nin = 0; /* garbage: drop it */
		r = read(tty, in + nin, sizeof(in) - nin);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0)
			return LP_KEY_EOF;
		nin += (size_t)r;
		waited = 0;
	}
}

/* write(2) only: signal handlers use it. */
void
lp_term_write(const char *p, size_t n)
{
	if (tty >= 0)
		lp_write_all(tty, p, n); /* a lost terminal: nothing to tell */
}

void
lp_edit_init(struct lp_edit *e, const char *text)
{
	lp_buf_init(&e->text);
	lp_buf_adds(&e->text, text != NULL ? text : ""); /* NUL-ended */
	e->cur = e->text.len;
}

/*
 * The end of the user-perceived character (grapheme cluster) that starts
 * at byte i: a letter with its combining accents, an emoji with its
 * modifiers and joiners, a flag's two letters move and go as one.
 */
static size_t
cluster_end(const struct lp_edit *e, size_t i)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)e->text.p;
	utf8proc_int32_t c1, c2, state = 0;
	utf8proc_ssize_t n;

	if (i >= e->text.len)
		return i;
	n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(e->text.len - i), &c1);
	if (n <= 0)
		return i + 1; /* a stray byte is a character of its own */
	for (i += (size_t)n; i < e->text.len; i += (size_t)n, c1 = c2) {
		n = utf8proc_iterate(
		    p + i, (utf8proc_ssize_t)(e->text.len - i), &c2);
		if (n <= 0 || utf8proc_grapheme_break_stateful(c1, c2, &state))
			break;
	}
	return i;
}

/*
 * The start of the character before byte offset i, found from the start
 * of the line: clusters are only known going forward, and lines are short.
 */
static size_t
back(const struct lp_edit *e, size_t i)
{
	size_t at = 0, prev = 0;

	while (at < i) {
		prev = at;
		at = cluster_end(e, at);
	}
	return prev;
}

static size_t
fwd(const struct lp_edit *e, size_t i)
{
	return cluster_end(e, i);
}

static void
cut(struct lp_edit *e, size_t from, size_t to)
{
	memmove(e->text.p + from, e->text.p + to, e->text.len - to + 1);
	e->text.len -= to - from;
	e->cur = from;
}

int
lp_edit_key(struct lp_edit *e, int key)
{
	utf8proc_uint8_t u[4];
	size_t i;

	switch (key) {
	case '\r':
	case '\n':
		return LP_EDIT_DONE;
	case LP_KEY_ESC:
		return LP_EDIT_CANCEL;
	case 127:
	case 8:
		if (e->cur > 0)
			cut(e, back(e, e->cur), e->cur);
		break;
	case LP_KEY_DELETE:
	case 4:
		if (e->cur < e->text.len)
			cut(e, e->cur, fwd(e, e->cur));
		break;
	case LP_KEY_LEFT:
	case 2:
		e->cur = back(e, e->cur);
		break;
	case LP_KEY_RIGHT:
	case 6:
		e->cur = fwd(e, e->cur);
		break;
	case LP_KEY_HOME:
	case 1:
		e->cur = 0;
		break;
	case LP_KEY_END:
	case 5:
		e->cur = e->text.len;
		break;
	case 21: /* ^U */
		cut(e, 0, e->cur);
		break;
	case 11: /* ^K */
		e->text.len = e->cur;
		e->text.p[e->cur] = '\0';
		break;
	case 23: /* ^W: spaces, then the word */
		i = e->cur;
		while (i > 0 && e->text.p[i - 1] == ' ')
			i--;
		while (i > 0 && e->text.p[i - 1] != ' ')
			i = back(e, i);
		cut(e, i, e->cur);
		break;
	default:
		if (key >= 0x20 && key != 0x7f &&
		    !(key >= 0x80 && key < 0xa0) &&
		    utf8proc_codepoint_valid(key)) {
			utf8proc_ssize_t n = utf8proc_encode_char(key, u);

			lp_buf_grow(&e->text, (size_t)n + 1);
			memmove(e->text.p + e->cur + n, e->text.p + e->cur,
			    e->text.len - e->cur + 1);
			memcpy(e->text.p + e->cur, u, (size_t)n);
			e->text.len += (size_t)n;
			e->cur += (size_t)n;
		}
	}
	return LP_EDIT_MORE;
}

void
lp_edit_release(struct lp_edit *e)
{
	lp_buf_release(&e->text);
}

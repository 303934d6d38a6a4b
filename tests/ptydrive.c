/*
 * ptydrive: run a program on a pseudo-terminal and drive it from a script,
 * as a person at a keyboard would: type keys, wait for text on the screen,
 * resize the window, send signals, check how it ended and that the terminal
 * was left sane.  For the CLI tests of interactive tools (lp-label).
 *
 *	ptydrive [-s ROWSxCOLS] [-t TRANSCRIPT] SCRIPT -- COMMAND [ARG]...
 *
 * Script steps, one per line ('#' starts a comment):
 *	wait TEXT      TEXT appears in the output after the mark (10 s)
 *	absent TEXT    TEXT is not in the output after the mark
 *	mark           later waits look only at output from here
 *	send KEYS      type KEYS (escapes \r \n \t \e \\ \xHH)
 *	resize RxC     change the window size (SIGWINCH)
 *	kill SIG       send TERM, KILL, HUP, INT, QUIT, TSTP or CONT
 *	sleep MS       wait
 *	exit N         the command ends with status N (or "exit KILL":
 *	               by that signal)
 *	sane           the terminal is back in cooked mode with echo
 * Status 0 when every step held, 1 (naming the step) when one did not.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "core/status.h"
#include "core/clock.h"

static int master = -1;
static pid_t child;
static char *out;
static size_t nout, capout, markat;
static FILE *transcript;
static int exited, wstatus, gone; /* gone: the other side closed */

/* Read what the program wrote, waiting up to ms. */
static void
pump(int ms)
{
	struct pollfd pf = {master, POLLIN, 0};
	char buf[4096];
	ssize_t r;

	if (gone || poll(&pf, 1, ms) <= 0)
		goto reap;
	r = read(master, buf, sizeof(buf));
	if (r <= 0) {
		/* EIO: the program and its children left; the master stays
		 * open so the terminal's modes can still be read. */
		gone = 1;
		goto reap;
	}
	if (nout + (size_t)r + 1 > capout) {
		capout = (nout + (size_t)r + 1) * 2;
		out = realloc(out, capout);
	}
	memcpy(out + nout, buf, (size_t)r);
	nout += (size_t)r;
	out[nout] = '\0';
	if (transcript != NULL)
		fwrite(buf, 1, (size_t)r, transcript);
reap:
	if (!exited && waitpid(child, &wstatus, WNOHANG) == child)
		exited = 1;
}

static int
seen(const char *text)
{
	return out != NULL &&
	    memmem(out + markat, nout - markat, text, strlen(text)) != NULL;
}

/* Decode the escapes of a send step into buf; its length. */
static size_t
unescape(const char *s, char *buf)
{
	size_t n = 0;

	while (*s) {
		if (*s != '\\' || s[1] == '\0') {
			buf[n++] = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'r':
			buf[n++] = '\r';
			break;
		case 'n':
			buf[n++] = '\n';
			break;
		case 't':
			buf[n++] = '\t';
			break;
		case 'e':
			buf[n++] = 033;
			break;
		case 'x': {
			char hex[3] = {s[1], s[1] ? s[2] : 0, 0};

			buf[n++] = (char)strtol(hex, NULL, 16);
			s += 2;
			break;
		}
		default:
			buf[n++] = *s;
		}
		s++;
	}
	return n;
}

static int
signal_of(const char *name)
{
	static const struct {
		const char *name;
		int sig;
	} sigs[] = {{"TERM", SIGTERM}, {"KILL", SIGKILL}, {"HUP", SIGHUP},
	    {"INT", SIGINT}, {"QUIT", SIGQUIT}, {"TSTP", SIGTSTP},
	    {"CONT", SIGCONT}};
	size_t i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (strcmp(name, sigs[i].name) == 0)
			return sigs[i].sig;
	return 0;
}

static void
tail(void)
{
	size_t from = nout > 600 ? nout - 600 : 0, i;

	fprintf(stderr, "  the output ends with: ");
	for (i = from; i < nout; i++) {
		unsigned char c = (unsigned char)out[i];

		if (c == 033)
			fputs("\\e", stderr);
		else if (c == '\r' || c == '\n')
			fputs(c == '\r' ? "\\r" : "\\n\n    ", stderr);
		else if (c < 0x20)
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
	fputc('\n', stderr);
}

/*
 * The child, session leader on the terminal, runs the command as a job of
 * its own in the foreground, as a shell with job control would, so that
 * ^Z (SIGTSTP) really stops it; and ends as the command ended.
 */
static void
run(char **cmd)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		/* Foreground before the exec, or its first tcsetattr stops it.
		 */
		setpgid(0, 0);
		signal(SIGTTOU, SIG_IGN);
		tcsetpgrp(0, getpid());
		signal(SIGTTOU, SIG_DFL);
		setenv("TERM", "xterm", 1);
		execvp(cmd[0], cmd);
		perror(cmd[0]);
		_exit(127);
	}
	setpgid(pid, pid);
	tcsetpgrp(0, pid);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st)) {
		signal(WTERMSIG(st), SIG_DFL);
		raise(WTERMSIG(st));
	}
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 127);
}

/* Signal the foreground job (the command), else the child. */
static int
signal_job(int sig)
{
	pid_t pg = tcgetpgrp(master);

	return sig != 0 && kill(pg > 0 ? -pg : child, sig) == 0 ? 0 : -1;
}

/* Run one step: 0 ok, -1 failed. */
static int
step(const char *op, const char *arg)
{
	char buf[1024];
	double until;
	int rows, cols;

	if (strcmp(op, "wait") == 0) {
		for (until = lp_clock() + 10; !seen(arg) && lp_clock() < until;)
			pump(50);
		return seen(arg) ? 0 : -1;
	}
	if (strcmp(op, "absent") == 0) {
		pump(100);
		return seen(arg) ? -1 : 0;
	}
	if (strcmp(op, "mark") == 0) {
		pump(0);
		markat = nout;
		return 0;
	}
	if (strcmp(op, "send") == 0) {
		size_t n = unescape(arg, buf);

		return !gone && write(master, buf, n) == (ssize_t)n ? 0 : -1;
	}
	if (strcmp(op, "resize") == 0) {
		struct winsize ws;

		if (sscanf(arg, "%dx%d", &rows, &cols) != 2)
			return -1;
		memset(&ws, 0, sizeof(ws));
		ws.ws_row = (unsigned short)rows;
		ws.ws_col = (unsigned short)cols;
		return ioctl(master, TIOCSWINSZ, &ws) == 0 ? 0 : -1;
	}
	if (strcmp(op, "kill") == 0)
		return signal_job(signal_of(arg));
	if (strcmp(op, "sleep") == 0) {
		for (until = lp_clock() + (int)strtol(arg, NULL, 10) / 1000.0;
		     lp_clock() < until;)
			pump(10);
		return 0;
	}
	if (strcmp(op, "exit") == 0) {
		for (until = lp_clock() + 10; !exited && lp_clock() < until;)
			pump(50);
		if (!exited)
			return -1;
		if (signal_of(arg))
			return WIFSIGNALED(wstatus) &&
				WTERMSIG(wstatus) == signal_of(arg)
			    ? 0
			    : -1;
		return WIFEXITED(wstatus) &&
			WEXITSTATUS(wstatus) == (int)strtol(arg, NULL, 10)
		    ? 0
		    : -1;
	}
	if (strcmp(op, "sane") == 0) {
		struct termios t;

		return tcgetattr(master, &t) == 0 &&
			(t.c_lflag & (ICANON | ECHO)) == (ICANON | ECHO) &&
			(t.c_oflag & OPOST)
		    ? 0
		    : -1;
	}
	fprintf(stderr, "ptydrive: unknown step '%s'\n", op);
	return -1;
}

int
main(int argc, char **argv)
{
	struct winsize ws = {24, 80, 0, 0};
	char line[1024];
	FILE *script;
	unsigned ln = 0;
	int ch, rows, cols;

	while ((ch = getopt(argc, argv, "+s:t:")) != -1)
		switch (ch) {
		case 's':
			if (sscanf(optarg, "%dx%d", &rows, &cols) != 2)
				return 2;
			ws.ws_row = (unsigned short)rows;
			ws.ws_col = (unsigned short)cols;
			break;
		case 't':
			transcript = fopen(optarg, "wb");
			break;
		default:
			return 2;
		}
	if (argc - optind < 3 || strcmp(argv[optind + 1], "--") != 0) {
		fprintf(stderr,
		    "usage: ptydrive [-s RxC] [-t transcript] "
		    "SCRIPT -- COMMAND [ARG]...\n");
		return 2;
	}
	if ((script = fopen(argv[optind], "r")) == NULL) {
		perror(argv[optind]);
		return 2;
	}
	child = forkpty(&master, NULL, NULL, &ws);
	if (child < 0) {
		perror("forkpty");
		return 2;
	}
	if (child == 0)
		run(argv + optind + 2);
	while (fgets(line, sizeof(line), script) != NULL) {
		char *op = line, *arg;

		ln++;
		line[strcspn(line, "\n")] = '\0';
		while (*op == ' ' || *op == '\t')
			op++;
		if (*op == '\0' || *op == '#')
			continue;
		arg = op + strcspn(op, " ");
		if (*arg != '\0')
			*arg++ = '\0';
		if (step(op, arg) != 0) {
			fprintf(stderr,
			    "ptydrive: %s:%u: '%s %s' did not hold\n",
			    argv[optind], ln, op, arg);
			tail();
			if (!exited) {
				signal_job(SIGKILL);
				kill(child, SIGKILL);
			}
			return 1;
		}
	}
	pump(0);
	if (!exited) {
		signal_job(SIGKILL);
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	if (transcript != NULL)
		fclose(transcript);
	return 0;
}

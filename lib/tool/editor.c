/*
 * Running the editor.  The command is given to sh through the environment
 * ("$LP_LABEL_EDITOR" "$1"), so an EDITOR with options ("emacs -nw", "sed
 * -i ...") works and the file name is never parsed by the shell.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/status.h"
#include "core/buf.h"
#include "tool/editor.h"
#include "tool/term.h"

static const char *
editor(void)
{
	const char *ed = getenv("VISUAL");

	if (ed == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || *ed == '\0')
		ed = "vi";
	return ed;
}

/* Run ed on path with the terminal handed over; its exit status is 0. */
static int
run(const char *ed, const char *path)
{
	int st = -1;
	pid_t pid;

	lp_term_pause();
	if ((pid = fork()) == 0) {
		setenv("LP_LABEL_EDITOR", ed, 1);
		execl("/bin/sh", "sh", "-c", "$LP_LABEL_EDITOR \"$1\"", "sh",
		    path, (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	lp_term_resume();
	return pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* The file's text as one line, or NULL if it cannot be read. */
static char *
read_back(const char *path)
{
	struct lp_buf b = LP_BUF_INIT;
	char buf[4096], *out;
	ssize_t r;
	size_t i;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return NULL;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		lp_buf_add(&b, buf, (size_t)r);
	close(fd);
	/* One line: newlines become spaces, the last one goes. */
	while (b.len > 0 && (b.p[b.len - 1] == '\n' || b.p[b.len - 1] == ' '))
		b.p[--b.len] = '\0';
	for (i = 0; i < b.len; i++)
		if (b.p[i] == '\n')
			b.p[i] = ' ';
	out = lp_xstrdup(b.p ? b.p : "");
	lp_buf_release(&b);
	return out;
}

char *
lp_editor_edit(const char *text, struct lp_error *err)
{
	char path[] = "/tmp/lp-label-XXXXXX";
	const char *ed = editor();
	int fd = mkstemp(path);
	char *out = NULL;

	lp_error_clear(err);
	if (fd < 0) {
		lp_error_set(err, "no temporary file: %s", strerror(errno));
		return NULL;
	}
	if (write(fd, text, strlen(text)) < 0 || write(fd, "\n", 1) < 0) {
		close(fd);
		unlink(path);
		return NULL;
	}
	close(fd);
	if (!run(ed, path) || (out = read_back(path)) == NULL)
		lp_error_set(
		    err, "the editor (%s) failed; nothing changed", ed);
	unlink(path);
	return out;
}

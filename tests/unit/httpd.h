/*
 * A scripted HTTP server for the unit tests that talk HTTP (the transfer
 * engine, the LLM client): it listens on a free port of 127.0.0.1 and, on
 * a thread of the test, answers the n-th connection with replies[n] (whole
 * HTTP responses, written as they are) and closes it, until the NULL
 * that ends the script.  It reads each request's head and as much body as
 * its Content-Length says before answering, and keeps the last
 * Authorization header it saw, and the paths of the first eight
 * requests.  A reply "" is a stalled server: no answer until the client
 * hangs up.  With replies NULL it only listens: connections wait
 * unanswered until server_stop().  Tests using it link
 * Threads::Threads (tests/CMakeLists.txt).
 */
#ifndef LP_TEST_HTTPD_H
#define LP_TEST_HTTPD_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

struct server {
	int fd, port;
	const char *const *replies; /* full HTTP responses; NULL ends */
	int served;		    /* connections answered */
	char auth[256];		    /* the last Authorization header seen */
	char paths[8][64];	    /* the paths asked, in order */
	pthread_t th;
};

/* The header line "\r\nName:" in the head h (any case), or NULL. */
static char *
server_header(char *h, const char *name)
{
	size_t n = strlen(name);

	for (; (h = strstr(h, "\r\n")) != NULL; h += 2)
		if (strncasecmp(h + 2, name, n) == 0)
			return h;
	return NULL;
}

/*
 * Read the i-th request on c: the head, then as much body as
 * Content-Length.
 */
static void
server_read(struct server *s, int c, int i)
{
	char req[65536], *h, *body;
	size_t n = 0;
	long want = -1;

	for (;;) {
		ssize_t k = read(c, req + n, sizeof(req) - 1 - n);

		if (k <= 0)
			break;
		n += (size_t)k;
		req[n] = '\0';
		if ((body = strstr(req, "\r\n\r\n")) == NULL)
			continue;
		if (want < 0) {
			h = server_header(req, "Content-Length:");
			want = h ? strtol(h + 17, NULL, 10) : 0;
		}
		if ((long)(n - (size_t)(body + 4 - req)) >= want)
			break;
	}
	req[n] = '\0';
	if (i < 8)
		sscanf(req, "%*s %63s", s->paths[i]);
	if ((h = server_header(req, "Authorization: ")) != NULL)
		snprintf(s->auth, sizeof(s->auth), "%.*s",
		    (int)strcspn(h + 17, "\r"), h + 17);
}

static void *
server_serve(void *arg)
{
	struct server *s = arg;
	char stall;
	int i;

	for (i = 0; s->replies[i] != NULL; i++) {
		int c = accept(s->fd, NULL, NULL);

		if (c < 0)
			break;
		server_read(s, c, i);
		while (s->replies[i][0] == '\0' && read(c, &stall, 1) > 0)
			;
		if (write(c, s->replies[i], strlen(s->replies[i])) < 0)
			break;
		close(c);
		s->served++;
	}
	return NULL;
}

/* Listen, and answer with replies (NULL: do not answer). */
static void
server_start(struct server *s, const char *const *replies)
{
	struct sockaddr_in a = {0};
	socklen_t len = sizeof(a);

	memset(s, 0, sizeof(*s));
	s->replies = replies;
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s->fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(s->fd, 16) != 0 ||
	    getsockname(s->fd, (struct sockaddr *)&a, &len) != 0)
		abort();
	s->port = ntohs(a.sin_port);
	if (replies != NULL)
		pthread_create(&s->th, NULL, server_serve, s);
}

/* Stop listening, and wait for the thread. */
static void
server_stop(struct server *s)
{
	shutdown(s->fd, SHUT_RDWR);
	if (s->replies != NULL)
		pthread_join(s->th, NULL);
	close(s->fd);
}

#endif

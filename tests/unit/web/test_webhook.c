#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/status.h"
#include "web/webhook.h"
#include "test.h"
#include "httpd.h"

/*
 * A receiver for one request on 127.0.0.1: it answers with status and
 * writes what it was sent to the file saved.  Returns its port.
 */
static int
receiver(int status, const char *saved, pid_t *pid)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int s = socket(AF_INET, SOCK_STREAM, 0), c;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(s, 1) != 0 ||
	    getsockname(s, (struct sockaddr *)&sa, &len) != 0)
		return -1;
	if ((*pid = fork()) == 0) {
		char req[8192], reply[128];
		size_t got = 0;
		ssize_t n;
		FILE *f;

		alarm(10);
		c = accept(s, NULL, NULL);
		/* The headers, then the body: the body ends with "}". */
		while (got < sizeof(req) - 1 &&
		    (n = read(c, req + got, sizeof(req) - 1 - got)) > 0) {
			got += (size_t)n;
			req[got] = '\0';
			if (strstr(req, "\r\n\r\n") != NULL &&
			    req[got - 1] == '}')
				break;
		}
		f = fopen(saved, "w");
		fwrite(req, 1, got, f);
		fclose(f);
		snprintf(reply, sizeof(reply),
		    "HTTP/1.1 %d X\r\nContent-Length: 0\r\nConnection: "
		    "close\r\n\r\n",
		    status);
		if (write(c, reply, strlen(reply)) < 0)
			_exit(1);
		close(c);
		_exit(0);
	}
	close(s);
	return ntohs(sa.sin_port);
}

static char *
slurp(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);

	fclose(f);
	buf[n] = '\0';
	return buf;
}

TEST(delivered)
{
	char *saved = tmpfile_with("", 0), url[64];
	struct lp_error err = LP_ERROR_INIT;
	json_t *fields = json_pack("{s:[i]}", "gates", 1);
	pid_t pid;
	int port = receiver(204, saved, &pid), st;

	assert_true(port > 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", port);
	assert_eq_int(
	    lp_webhook_post(url, "test", "2 gates failed", fields, &err),
	    LP_OK);
	waitpid(pid, &st, 0);
	assert_true(strncmp(slurp(saved), "POST /hook HTTP/1.1\r\n", 21) == 0);
	assert_true(
	    strstr(slurp(saved), "Content-Type: application/json") != NULL);
	assert_true(
	    strstr(slurp(saved),
		"\r\n\r\n{\"text\":\"2 gates failed\",\"gates\":[1]}") != NULL);
	json_decref(fields);
	unlink(saved);
	free(saved);
}

TEST(refused)
{
	char *saved = tmpfile_with("", 0), url[64], want[96];
	struct lp_error err = LP_ERROR_INIT;
	pid_t pid;
	int port = receiver(503, saved, &pid), st;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", port);
	assert_eq_int(lp_webhook_post(url, "test", "x", NULL, &err), LP_FAILED);
	waitpid(pid, &st, 0);
	snprintf(want, sizeof(want), "%s: HTTP status 503", url);
	assert_eq_str(err.msg, want);
	/* Nobody listens there now: the transfer error, naming the URL. */
	assert_eq_int(lp_webhook_post(url, "test", "x", NULL, &err), LP_FAILED);
	assert_true(strncmp(err.msg, url, strlen(url)) == 0);
	unlink(saved);
	free(saved);
}

#define REPLY(st) "HTTP/1.1 " st " X\r\nContent-Length: 0\r\n\r\n"

TEST(tried_again_after_a_5xx)
{
	static const char *const replies[] = {
	    REPLY("503"), REPLY("502"), REPLY("200"), NULL};
	const char *const auth[] = {"Authorization: Bearer sekrit-key", NULL};
	struct lp_error err = LP_ERROR_INIT;
	struct server s;
	char url[64];

	server_start(&s, replies);
	snprintf(
	    url, sizeof(url), "http://127.0.0.1:%d/api/v1/lineage", s.port);
	assert_eq_int(
	    lp_webhook_send(url, "test", "{}", auth, 5, NULL, &err), LP_OK);
	server_stop(&s);
	assert_eq_int(s.served, 3);
	assert_eq_str(s.auth, "Bearer sekrit-key");
	assert_eq_str(s.paths[2], "/api/v1/lineage");
}

TEST(not_tried_again_after_a_4xx)
{
	static const char *const replies[] = {
	    REPLY("503"), REPLY("400"), REPLY("200"), NULL};
	struct lp_error err = LP_ERROR_INIT;
	struct server s;
	char url[64], want[128];

	server_start(&s, replies);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/x", s.port);
	assert_eq_int(
	    lp_webhook_send(url, "test", "{}", NULL, 5, NULL, &err), LP_FAILED);
	snprintf(want, sizeof(want), "%s: HTTP status 400 (2 tries)", url);
	assert_eq_str(err.msg, want);
	/* Unblock the server's last accept. */
	lp_webhook_send(url, "test", "{}", NULL, 1, NULL, &err);
	server_stop(&s);
	/* Down: every try, then the transfer error with their count. */
	assert_eq_int(
	    lp_webhook_send(url, "test", "{}", NULL, 3, NULL, &err), LP_FAILED);
	assert_true(strncmp(err.msg, url, strlen(url)) == 0);
	assert_true(strstr(err.msg, "(3 tries)") != NULL);
}

/*
 * A stop flag already set gives the sending up before a try (the tools
 * pass their interrupt flag): no 5 tries of backoff against a server that
 * is down, and the error says why.
 */
TEST(stop_gives_up)
{
	static volatile sig_atomic_t stop = 1;
	struct lp_error err = LP_ERROR_INIT;
	struct timespec t0, t1;
	char want[128];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_eq_int(lp_webhook_send("http://127.0.0.1:9/x", "test", "{}",
			  NULL, 5, &stop, &err),
	    LP_FAILED);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	snprintf(want, sizeof(want), "%s: interrupted", "http://127.0.0.1:9/x");
	assert_eq_str(err.msg, want);
	assert_true(t1.tv_sec - t0.tv_sec < 1);
}

RUN_TESTS()

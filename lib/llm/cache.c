#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/status.h"
#include "core/thread.h"
#include "core/file.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/stream.h"
#include "llm/cache.h"

/* An entry to write, queued for the reader's thread. */
struct put {
	struct put *next;
	char digest[65];
	struct lp_buf text;
};

/*
 * The reader: asks go in at the tail of in and come back at the tail of
 * out, under mu; n (the asks not yet taken back) is the caller's alone.
 * Entries to write wait in puts (under mu too), and are written before
 * any ask that came after them, so a lookup sees every entry put before
 * it; nputs counts those not yet written, and idle is signalled when it
 * drops to 0.
 */
struct lp_llm_cache {
	char *dir;
	struct lp_buf scratch; /* the caller's lookups */
	void (*wake)(void *);
	void *wake_arg;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct lp_llm_cache_ask *in, *in_tail, *out, *out_tail;
	struct put *puts, *puts_tail;
	size_t nputs;
	size_t unsignalled;  /* puts the reader was not woken for (caller's) */
	unsigned long nread; /* asks answered: the trash is emptied */
	unsigned char made[256 / 8]; /* DIR/xx folders known to be there */
	pthread_cond_t idle;
	size_t n;
	int on, tried, quit;	  /* on: the thread runs */
	struct lp_buf rd_scratch; /* the reader's lookups */
	long long n_failed;	  /* entries that could not be written */
	struct lp_error err;	  /* the first of them */
};

/*
 * Replies the caller is done with, freed by a reader: process-wide, so a
 * reply may outlive its cache.  With no reader running they are freed at
 * once.
 */
static pthread_mutex_t trash_mu = PTHREAD_MUTEX_INITIALIZER;
static json_t **trash;
static size_t ntrash, captrash;
static int readers;

struct lp_llm_cache *
lp_llm_cache_new(const char *dir, void (*wake)(void *), void *arg)
{
	struct lp_llm_cache *c = calloc(1, sizeof(*c));

	if (c == NULL)
		abort();
	c->dir = lp_xstrdup(dir);
	c->wake = wake;
	c->wake_arg = arg;
	return c;
}

/* The number of a digest's folder, from its first two hex digits. */
static unsigned
dir_index(const char *digest)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 2; i++)
		v = v * 16 +
		    (unsigned)(digest[i] >= 'a' ? digest[i] - 'a' + 10
			    : digest[i] >= 'A'	? digest[i] - 'A' + 10
						: digest[i] - '0') %
			16;
	return v & 255;
}

static char *
entry_path(struct lp_llm_cache *c, const char *digest, int mk)
{
	size_t n = strlen(c->dir) + 80;
	char *p = lp_xmalloc(n);

	snprintf(p, n, "%s/%.2s/%s.json", c->dir, digest, digest);
	/*
	 * The folder is usually there: mkdir -p only when it is not, and
	 * each folder once per run (a system call that costs as much as the
	 * write).
	 */
	if (mk &&
	    !(c->made[dir_index(digest) / 8] &
		(1u << (dir_index(digest) % 8)))) {
		char *slash = strrchr(p, '/');

		*slash = '\0';
		if (mkdir(p, 0777) != 0 && errno == ENOENT) {
			*slash = '/';
			lp_make_parents(p);
		}
		*slash = '/';
		c->made[dir_index(digest) / 8] |=
		    (unsigned char)(1u << (dir_index(digest) % 8));
	}
	return p;
}

static json_t *
read_entry(struct lp_llm_cache *c, const char *digest, struct lp_buf *scratch,
    double *latency)
{
	char *p = entry_path(c, digest, 0);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	json_t *e, *reply;

	free(p);
	if (fd < 0)
		return NULL;
	/*
	 * Entries are small: one read into a reused buffer.  A regular file
	 * gives less than asked only at its end, which saves the read that
	 * returns 0 (syscalls are most of a cached run).
	 */
	lp_buf_reset(scratch);
	do {
		size_t want;

		lp_buf_grow(scratch, 65536);
		want = scratch->cap - scratch->len;
		n = read(fd, scratch->p + scratch->len, want);
		if (n > 0)
			scratch->len += (size_t)n;
		if (n >= 0 && (size_t)n < want)
			n = 0;
	} while (n > 0);
	close(fd);
	e = n == 0 ? lp_json_load(scratch->p, scratch->len, 0, NULL) : NULL;
	reply = json_object_get(e, "response");
	if (reply == NULL) {
		json_decref(e);
		return NULL;
	}
	*latency = json_number_value(json_object_get(e, "latency_ms"));
	json_incref(reply);
	json_decref(e);
	return reply;
}

json_t *
lp_llm_cache_get(struct lp_llm_cache *c, const char *digest, double *latency)
{
	return read_entry(c, digest, &c->scratch, latency);
}

/* Write b whole to fd and close it; 0, or an errno. */
static int
write_close(int fd, const struct lp_buf *b)
{
	ssize_t k = write(fd, b->p, b->len);
	int e = k < 0 ? errno : ENOSPC;

	if (k == (ssize_t)b->len) {
		/* close(2) reports a late write error (NFS, quotas). */
		return close(fd) == 0 ? 0 : errno;
	}
	close(fd);
	return e;
}

/* The entry's text: {"response": reply, "latency_ms": ms} and a newline. */
static void
entry_text(json_t *reply, double latency, struct lp_buf *b)
{
	json_t *j =
	    json_pack("{s:O,s:f}", "response", reply, "latency_ms", latency);

	lp_json_dump(j, b);
	lp_buf_addc(b, '\n');
	json_decref(j);
}

/*
 * Write an entry's text under its name: to a temporary name, then renamed.
 * A failure is counted and the first kept, under mu when lock is set (on
 * the reader's thread).  LP_OK or LP_FAILED.
 */
static int
write_entry(struct lp_llm_cache *c, const char *digest, const struct lp_buf *b,
    int lock)
{
	char *p = entry_path(c, digest, 1), *tmp;
	size_t n = strlen(p) + 16;
	int fd, e = 0;

	tmp = lp_xmalloc(n);
	snprintf(tmp, n, "%s.XXXXXX", p);
	/* Concurrent runs share the cache: a reader sees all or nothing. */
	fd = mkstemp(tmp);
	if (fd < 0 && errno == ENOENT) {
		/* The folder went (a cleanup meanwhile): made again. */
		c->made[dir_index(digest) / 8] &=
		    (unsigned char)~(1u << (dir_index(digest) % 8));
		free(entry_path(c, digest, 1));
		snprintf(tmp, n, "%s.XXXXXX", p);
		fd = mkstemp(tmp);
	}
	if (fd < 0)
		e = errno;
	else {
		if ((e = write_close(fd, b)) == 0 && rename(tmp, p) != 0)
			e = errno;
		if (e != 0)
			unlink(tmp);
	}
	if (e != 0) {
		if (lock)
			pthread_mutex_lock(&c->mu);
		if (c->n_failed++ == 0)
			lp_error_set(
			    &c->err, "cannot write '%s': %s", p, strerror(e));
		if (lock)
			pthread_mutex_unlock(&c->mu);
	}
	free(tmp);
	free(p);
	return e != 0 ? LP_FAILED : LP_OK;
}

static int reader_on(struct lp_llm_cache *c);

int
lp_llm_cache_put(
    struct lp_llm_cache *c, const char *digest, json_t *reply, double latency)
{
	struct put *w;
	int rc;

	/*
	 * The file system's part (a few syscalls that may take a
	 * millisecond) is the reader's, off the caller's event loop; only
	 * the text is made here, as the reply may change once it is
	 * returned.
	 */
	if (reader_on(c)) {
		if ((w = calloc(1, sizeof(*w))) == NULL)
			abort();
		memcpy(w->digest, digest, sizeof(w->digest) - 1);
		entry_text(reply, latency, &w->text);
		pthread_mutex_lock(&c->mu);
		if (c->puts_tail != NULL)
			c->puts_tail->next = w;
		else
			c->puts = w;
		c->puts_tail = w;
		c->nputs++;
		/*
		 * The reader is woken by lp_llm_cache_flush(), once the
		 * caller has sent what was ready, so the writes do not take
		 * the CPU from it meanwhile; unless many wait.
		 */
		if (++c->unsignalled >= 64) {
			pthread_cond_signal(&c->cv);
			c->unsignalled = 0;
		}
		pthread_mutex_unlock(&c->mu);
		return LP_OK;
	}
	{
		struct lp_buf b = LP_BUF_INIT;

		entry_text(reply, latency, &b);
		rc = write_entry(c, digest, &b, 0);
		lp_buf_release(&b);
	}
	return rc;
}

void
lp_llm_cache_flush(struct lp_llm_cache *c)
{
	if (c == NULL || !c->on || c->unsignalled == 0)
		return;
	pthread_mutex_lock(&c->mu);
	pthread_cond_signal(&c->cv);
	c->unsignalled = 0;
	pthread_mutex_unlock(&c->mu);
}

void
lp_llm_cache_sync(struct lp_llm_cache *c)
{
	if (c == NULL || !c->on)
		return;
	lp_llm_cache_flush(c);
	pthread_mutex_lock(&c->mu);
	while (c->nputs > 0)
		pthread_cond_wait(&c->idle, &c->mu);
	pthread_mutex_unlock(&c->mu);
}

long long
lp_llm_cache_failures(struct lp_llm_cache *c)
{
	long long n;

	if (!c->on)
		return c->n_failed;
	pthread_mutex_lock(&c->mu);
	n = c->n_failed;
	pthread_mutex_unlock(&c->mu);
	return n;
}

const char *
lp_llm_cache_failure(struct lp_llm_cache *c)
{
	/* The first failure's text is not changed once it is counted. */
	return lp_llm_cache_failures(c) > 0 ? c->err.msg : NULL;
}

/* Free what is in the trash (any thread). */
static void
empty_trash(void)
{
	json_t **t;
	size_t n, i;

	pthread_mutex_lock(&trash_mu);
	t = trash;
	n = ntrash;
	trash = NULL;
	ntrash = captrash = 0;
	pthread_mutex_unlock(&trash_mu);
	for (i = 0; i < n; i++)
		json_decref(t[i]);
	free(t);
}

void
lp_llm_cache_dispose(json_t *reply)
{
	if (reply == NULL)
		return;
	pthread_mutex_lock(&trash_mu);
	if (readers > 0) {
		if (ntrash == captrash) {
			captrash = captrash ? captrash * 2 : 256;
			trash = lp_xrealloc(trash, captrash * sizeof(*trash));
		}
		trash[ntrash++] = reply;
		reply = NULL;
	}
	pthread_mutex_unlock(&trash_mu);
	json_decref(reply);
}

/* Write the first queued entry; the caller holds mu, which is let go. */
static void
write_one(struct lp_llm_cache *c)
{
	struct put *w = c->puts;

	if ((c->puts = w->next) == NULL)
		c->puts_tail = NULL;
	pthread_mutex_unlock(&c->mu);
	write_entry(c, w->digest, &w->text, 1);
	lp_buf_release(&w->text);
	free(w);
	pthread_mutex_lock(&c->mu);
	if (--c->nputs == 0)
		pthread_cond_broadcast(&c->idle);
}

/*
 * An entry put and not yet written, for a lookup that missed on disk:
 * the reply (a new reference) and its latency, or NULL.  The caller holds
 * mu.
 */
static json_t *
queued_entry(struct lp_llm_cache *c, const char *digest, double *latency)
{
	struct put *w;
	json_t *e, *reply;

	for (w = c->puts; w != NULL; w = w->next)
		if (strcmp(w->digest, digest) == 0)
			break;
	if (w == NULL ||
	    (e = lp_json_load(w->text.p, w->text.len, 0, NULL)) == NULL)
		return NULL;
	reply = json_incref(json_object_get(e, "response"));
	*latency = json_number_value(json_object_get(e, "latency_ms"));
	json_decref(e);
	return reply;
}

/* Answer the first ask; the caller holds mu, which is let go meanwhile. */
static void
answer_one(struct lp_llm_cache *c)
{
	struct lp_llm_cache_ask *a = c->in;

	if ((c->in = a->next) == NULL)
		c->in_tail = NULL;
	pthread_mutex_unlock(&c->mu);
	if (++c->nread % 32 == 0)
		empty_trash();
	a->hit = read_entry(c, a->digest, &c->rd_scratch, &a->latency);
	a->next = NULL;
	pthread_mutex_lock(&c->mu);
	/* Answered but not yet written: the queued entry is the answer. */
	if (a->hit == NULL)
		a->hit = queued_entry(c, a->digest, &a->latency);
	if (c->out_tail != NULL)
		c->out_tail->next = a;
	else {
		/* The first in a batch wakes the caller, who then takes the
		 * batch whole. */
		c->out = a;
		c->wake(c->wake_arg);
	}
	c->out_tail = a;
}

/*
 * The reader's thread: lookups first (a miss's request waits for its
 * answer), entries written when none waits; when told to quit, the
 * entries still queued are written and the asks left.
 */
static void *
reader_main(void *arg)
{
	struct lp_llm_cache *c = arg;

	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (c->in == NULL && c->puts == NULL && !c->quit)
			pthread_cond_wait(&c->cv, &c->mu);
		if (c->in != NULL && !c->quit)
			answer_one(c);
		else if (c->puts != NULL)
			write_one(c);
		else if (c->quit)
			break;
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

/* Start the reader (once); whether it runs. */
static int
reader_on(struct lp_llm_cache *c)
{
	if (c->tried)
		return c->on;
	c->tried = 1;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	pthread_cond_init(&c->idle, NULL);
	c->on = lp_thread_start(&c->th, reader_main, c) == 0;
	if (c->on) {
		pthread_mutex_lock(&trash_mu);
		readers++;
		pthread_mutex_unlock(&trash_mu);
	}
	return c->on;
}

int
lp_llm_cache_ask(struct lp_llm_cache *c, struct lp_llm_cache_ask *a)
{
	if (!reader_on(c))
		return -1;
	a->next = NULL;
	a->hit = NULL;
	pthread_mutex_lock(&c->mu);
	if (c->in_tail != NULL)
		c->in_tail->next = a;
	else
		c->in = a;
	c->in_tail = a;
	c->n++;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	return 0;
}

struct lp_llm_cache_ask *
lp_llm_cache_answers(struct lp_llm_cache *c)
{
	struct lp_llm_cache_ask *a, *first;

	if (c->n == 0)
		return NULL;
	pthread_mutex_lock(&c->mu);
	first = c->out;
	c->out = c->out_tail = NULL;
	pthread_mutex_unlock(&c->mu);
	for (a = first; a != NULL; a = a->next)
		c->n--;
	return first;
}

size_t
lp_llm_cache_asked(const struct lp_llm_cache *c)
{
	return c->n;
}

struct lp_llm_cache_ask *
lp_llm_cache_free(struct lp_llm_cache *c)
{
	struct lp_llm_cache_ask *left = NULL, *a;

	if (c == NULL)
		return NULL;
	if (c->on) {
		pthread_mutex_lock(&c->mu);
		c->quit = 1;
		pthread_cond_signal(&c->cv);
		pthread_mutex_unlock(&c->mu);
		pthread_join(c->th, NULL);
		pthread_mutex_lock(&trash_mu);
		readers--;
		pthread_mutex_unlock(&trash_mu);
		empty_trash();
		/* What it still held goes back to the caller. */
		if (c->out_tail != NULL) {
			c->out_tail->next = c->in;
			left = c->out;
		} else
			left = c->in;
		for (a = left; a != NULL; a = a->next) {
			json_decref(a->hit);
			a->hit = NULL;
		}
	}
	if (c->tried) {
		pthread_mutex_destroy(&c->mu);
		pthread_cond_destroy(&c->cv);
		pthread_cond_destroy(&c->idle);
	}
	lp_buf_release(&c->scratch);
	lp_buf_release(&c->rd_scratch);
	free(c->dir);
	free(c);
	return left;
}

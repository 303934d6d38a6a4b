/*
 * Helper threads.  liblp starts a few (the gzip writer's compressor and
 * the gzip reader's inflater, both workers below; the LLM client's cache
 * reader and writer); each is started here with every signal blocked, so
 * SIGINT, SIGTERM and SIGPIPE are always taken by the tool's main thread,
 * whose handlers set the flags its waits look at.  The thread is joinable
 * and belongs to the caller, who joins it.
 */
#ifndef LP_CORE_THREAD_H
#define LP_CORE_THREAD_H

#include <pthread.h>

/*
 * Start fn(arg) on a new thread with every signal blocked; the caller's
 * own signal mask is left as it was.  0, or an errno value (the thread
 * did not start).
 */
int lp_thread_start(pthread_t *th, void *(*fn)(void *), void *arg);

/*
 * A worker: a helper thread that runs one job at a time, job(arg), each
 * time the owner posts it, while the owner does something else; the
 * owner waits for it before touching what the job touches (the wait is
 * the hand-over: what the job wrote is then the owner's to read).  The
 * gzip reader inflates ahead on one, the gzip writer compresses on one.
 */
struct lp_worker {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	void (*job)(void *arg);
	void *arg;
	int busy, quit;
};

/* Start w, idle, on a thread of its own: 0, or an errno value. */
int lp_worker_start(struct lp_worker *w, void (*job)(void *), void *arg);
/* Run the job once more; the worker must be idle (lp_worker_wait()). */
void lp_worker_post(struct lp_worker *w);
/* Wait until the worker is idle. */
void lp_worker_wait(struct lp_worker *w);
/* Wait for the job, then end and join the thread. */
void lp_worker_stop(struct lp_worker *w);

#endif

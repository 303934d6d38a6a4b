#include <pthread.h>
#include <signal.h>

#include "core/status.h"
#include "core/thread.h"
#include "test.h"

static void *
mask_of(void *arg)
{
	sigset_t *set = arg;

	pthread_sigmask(SIG_BLOCK, NULL, set);
	return NULL;
}

/*
 * Helper threads block every signal, so SIGINT and SIGTERM always reach
 * the tool's main thread and interrupt its waits; the caller's mask is
 * left as it was.
 */
TEST(helper_threads_block_signals)
{
	sigset_t in_thread, here;
	pthread_t th;

	sigemptyset(&in_thread);
	assert_eq_int(lp_thread_start(&th, mask_of, &in_thread), 0);
	pthread_join(th, NULL);
	assert_true(sigismember(&in_thread, SIGINT));
	assert_true(sigismember(&in_thread, SIGTERM));
	assert_true(sigismember(&in_thread, SIGPIPE));
	pthread_sigmask(SIG_BLOCK, NULL, &here);
	assert_true(!sigismember(&here, SIGINT));
}

static void *
give_back(void *arg)
{
	return arg;
}

/* The thread runs fn(arg) and is joinable: its result comes back. */
TEST(runs_and_joins)
{
	int x = 5;
	void *got = NULL;
	pthread_t th;

	assert_eq_int(lp_thread_start(&th, give_back, &x), 0);
	assert_eq_int(pthread_join(th, &got), 0);
	assert_true(got == &x);
}

/* The worker's job: count its runs, and note it ran off the caller. */
struct counted {
	int runs;
	pthread_t caller, ran_on;
};

static void
count_run(void *arg)
{
	struct counted *c = arg;

	c->runs++;
	c->ran_on = pthread_self();
}

/*
 * A worker runs its job once per post, on its own thread; after a wait
 * what the job wrote is the owner's; stop joins an idle worker, and one
 * stopped straight after a post runs that job first.
 */
TEST(worker_posts_and_waits)
{
	struct counted c = {0, pthread_self(), pthread_self()};
	struct lp_worker w;
	int i;

	assert_eq_int(lp_worker_start(&w, count_run, &c), 0);
	lp_worker_wait(&w);
	assert_eq_int(c.runs, 0);
	for (i = 1; i <= 100; i++) {
		lp_worker_post(&w);
		lp_worker_wait(&w);
		assert_eq_int(c.runs, i);
	}
	assert_true(!pthread_equal(c.ran_on, c.caller));
	lp_worker_post(&w);
	lp_worker_stop(&w);
	assert_eq_int(c.runs, 101);
}

RUN_TESTS()

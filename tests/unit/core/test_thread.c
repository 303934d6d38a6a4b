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

RUN_TESTS()

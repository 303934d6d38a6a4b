/*
 * Helper threads.  liblp starts a few (the gzip writer's compressor, the
 * LLM client's cache reader); each is started here with every signal
 * blocked, so SIGINT, SIGTERM and SIGPIPE are always taken by the tool's
 * main thread, whose handlers set the flags its waits look at.  The
 * thread is joinable and belongs to the caller, who joins it.
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

#endif

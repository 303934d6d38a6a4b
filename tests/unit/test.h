/*
 * A tiny test harness: TEST(name) defines a test, RUN_TESTS() runs all (or
 * those named on the command line).  A failed assertion reports file and
 * line and marks the test failed; the program exits 1 if any failed.
 */
#ifndef LP_TEST_H
#define LP_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct test {
	const char *name;
	void (*fn)(void);
};

static struct test tests[256];
static int ntests, failed_asserts, test_failed;

#define TEST(t)                                                                \
	static void test_##t(void);                                            \
	__attribute__((constructor)) static void reg_##t(void)                 \
	{                                                                      \
		tests[ntests].name = #t;                                       \
		tests[ntests++].fn = test_##t;                                 \
	}                                                                      \
	static void test_##t(void)

#define FAIL(...)                                                              \
	do {                                                                   \
		fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                \
		fprintf(stderr, __VA_ARGS__);                                  \
		fputc('\n', stderr);                                           \
		failed_asserts++;                                              \
		test_failed = 1;                                               \
	} while (0)

#define assert_true(c)                                                         \
	do {                                                                   \
		if (!(c))                                                      \
			FAIL("expected %s", #c);                               \
	} while (0)
#define assert_eq_int(a, b)                                                    \
	do {                                                                   \
		long long a_ = (long long)(a), b_ = (long long)(b);            \
		if (a_ != b_)                                                  \
			FAIL("%s == %lld, expected %lld", #a, a_, b_);         \
	} while (0)
#define assert_eq_str(a, b)                                                    \
	do {                                                                   \
		const char *a_ = (a), *b_ = (b);                               \
		if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0)           \
			FAIL("%s == \"%s\", expected \"%s\"", #a,              \
			    a_ ? a_ : "(null)", b_ ? b_ : "(null)");           \
	} while (0)
#define assert_eq_mem(a, alen, b, blen)                                        \
	do {                                                                   \
		if ((alen) != (blen) || memcmp((a), (b), (alen)) != 0)         \
			FAIL("%s == \"%.*s\", expected "                       \
			     "\"%.*s\"",                                       \
			    #a, (int)(alen), (const char *)(a), (int)(blen),   \
			    (const char *)(b));                                \
	} while (0)

static int
run_tests(int argc, char **argv)
{
	int i, j, nfail = 0;

	for (i = 0; i < ntests; i++) {
		int want = argc <= 1;

		for (j = 1; j < argc; j++)
			if (strcmp(argv[j], tests[i].name) == 0)
				want = 1;
		if (!want)
			continue;
		test_failed = 0;
		tests[i].fn();
		printf("%s %s\n", test_failed ? "FAIL" : "ok  ", tests[i].name);
		nfail += test_failed;
	}
	printf("%d passed, %d failed\n", ntests - nfail, nfail);
	return nfail ? 1 : 0;
}

#define RUN_TESTS()                                                            \
	int main(int argc, char **argv)                                        \
	{                                                                      \
		return run_tests(argc, argv);                                  \
	}

/* A file's size in bytes, or -1. */
static __attribute__((unused)) long
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Write n bytes to a fresh temporary file; returns its malloc'd path. */
static __attribute__((unused)) char *
tmpfile_with(const void *p, size_t n)
{
	char *path = strdup("/tmp/lp-test-XXXXXX");
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "wb");

	fwrite(p, 1, n, f);
	fclose(f);
	return path;
}

#endif

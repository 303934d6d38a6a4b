#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/file.h"
#include "core/hmac.h"
#include "core/status.h"

void
lp_hmac_wipe(void *p, size_t n)
{
	/* A volatile pointer: the stores cannot be dropped as dead. */
	volatile unsigned char *v = p;

	while (n-- > 0)
		*v++ = 0;
}

void
lp_hmac_init(struct lp_hmac *h, const void *key, size_t n)
{
	unsigned char k[64], pad[64];
	size_t i;

	memset(k, 0, sizeof(k));
	if (n > sizeof(k)) {
		struct lp_sha256 c;

		lp_sha256_init(&c);
		lp_sha256_update(&c, key, n);
		lp_sha256_final(&c, k);
		lp_hmac_wipe(&c, sizeof(c));
	} else if (n > 0)
		memcpy(k, key, n);
	for (i = 0; i < sizeof(k); i++)
		pad[i] = k[i] ^ 0x36;
	lp_sha256_init(&h->inner);
	lp_sha256_update(&h->inner, pad, sizeof(pad));
	for (i = 0; i < sizeof(k); i++)
		pad[i] = k[i] ^ 0x5c;
	lp_sha256_init(&h->outer);
	lp_sha256_update(&h->outer, pad, sizeof(pad));
	lp_hmac_wipe(k, sizeof(k));
	lp_hmac_wipe(pad, sizeof(pad));
}

void
lp_hmac_update(struct lp_hmac *h, const void *p, size_t n)
{
	lp_sha256_update(&h->inner, p, n);
}

void
lp_hmac_final(struct lp_hmac *h, unsigned char out[32])
{
	unsigned char d[32];

	lp_sha256_final(&h->inner, d);
	lp_sha256_update(&h->outer, d, sizeof(d));
	lp_sha256_final(&h->outer, out);
	lp_hmac_wipe(d, sizeof(d));
	lp_hmac_wipe(h, sizeof(*h));
}

void
lp_hmac_mac(
    const struct lp_hmac *h, const void *msg, size_t len, unsigned char out[32])
{
	struct lp_hmac c = *h;

	lp_hmac_update(&c, msg, len);
	lp_hmac_final(&c, out);
}

void
lp_hmac_release(struct lp_hmac *h)
{
	lp_hmac_wipe(h, sizeof(*h));
}

void
lp_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t len,
    unsigned char out[32])
{
	struct lp_hmac h;

	lp_hmac_init(&h, key, keylen);
	lp_hmac_update(&h, msg, len);
	lp_hmac_final(&h, out);
}

void
lp_hmac_hex(
    const void *key, size_t keylen, const void *p, size_t n, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	struct lp_hmac h;
	unsigned char d[32];
	int i;

	lp_hmac_init(&h, key, keylen);
	lp_hmac_update(&h, p, n);
	lp_hmac_final(&h, d);
	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = '\0';
}

int
lp_hmac_equal(const char *a, const char *b)
{
	size_t n = strlen(a), i;
	unsigned char diff = 0;

	if (n != strlen(b))
		return 0;
	for (i = 0; i < n; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

/* The key file's bytes into key, after its checks; the length read. */
static int
read_key(int fd, const char *path, unsigned char *key, size_t *n,
    struct lp_error *err)
{
	char what[PATH_MAX + 16];
	ssize_t k;
	int rc;

	snprintf(what, sizeof(what), "key file '%s'", path);
	if ((rc = lp_file_check_private(fd, what, err)) != LP_OK)
		return rc;
	*n = 0;
	while ((k = read(fd, key + *n, LP_HMAC_KEY_MAX - *n)) > 0)
		if ((*n += (size_t)k) == LP_HMAC_KEY_MAX)
			break;
	if (k < 0) {
		lp_error_set(err, "cannot read key file '%s': %s", path,
		    strerror(errno));
		return LP_FATAL;
	}
	if (*n == LP_HMAC_KEY_MAX)
		return lp_error_set(err,
		    "key file '%s' is too long for a key (%d bytes at most)",
		    path, LP_HMAC_KEY_MAX - 1);
	if (*n > 0 && key[*n - 1] == '\n')
		(*n)--;
	if (*n < LP_HMAC_KEY_MIN)
		return lp_error_set(err,
		    "key file '%s' holds too short a key (%zu bytes, want at "
		    "least %d)",
		    path, *n, LP_HMAC_KEY_MIN);
	return LP_OK;
}

int
lp_hmac_key_read(
    const char *path, unsigned char *key, size_t *n, struct lp_error *err)
{
	int fd, rc;

	/* Not blocked by a FIFO: lp_file_check_private() refuses it. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) <
	    0) {
		lp_error_set(err, "cannot open key file '%s': %s", path,
		    strerror(errno));
		return LP_FATAL;
	}
	rc = read_key(fd, path, key, n, err);
	close(fd);
	if (rc != LP_OK) {
		lp_hmac_wipe(key, LP_HMAC_KEY_MAX);
		*n = 0;
	}
	return rc;
}

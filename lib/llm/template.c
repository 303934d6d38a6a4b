#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/json.h"
#include "llm/template.h"

void
lp_llm_digest(const json_t *body, char hex[65])
{
	lp_json_digest(body, hex);
}

json_t *
lp_llm_hole(void)
{
	return json_stringn("", 1);
}

int
lp_llm_tmpl_init(
    struct lp_llm_tmpl *t, const json_t *body, struct lp_error *err)
{
	static const char hole[] = "\"\\u0000\"";
	struct lp_buf b = LP_BUF_INIT;
	const char *p, *q;

	memset(t, 0, sizeof(*t));
	lp_json_dump(body, &b);
	lp_buf_addc(&b, '\0');
	for (p = b.p; (q = strstr(p, hole)) != NULL; p = q + 8) {
		if (t->nholes == LP_LLM_HOLES) {
			lp_buf_release(&b);
			lp_llm_tmpl_free(t);
			return lp_error_set(
			    err, "cannot make a request template");
		}
		lp_buf_add(&t->part[t->nholes++], p, (size_t)(q - p));
	}
	lp_buf_adds(&t->part[t->nholes], p);
	lp_buf_release(&b);
	if (t->nholes == 0) {
		lp_llm_tmpl_free(t);
		return lp_error_set(err, "cannot make a request template");
	}
	lp_sha256_init(&t->part0_hash);
	lp_sha256_update(&t->part0_hash, t->part[0].p, t->part[0].len);
	return LP_OK;
}

void
lp_llm_tmpl_pin(struct lp_llm_tmpl *t, const char *text, size_t len)
{
	lp_buf_reset(&t->pre);
	lp_buf_add(&t->pre, t->part[0].p, t->part[0].len);
	lp_json_dump_str(text, len, &t->pre);
	lp_buf_add(&t->pre, t->part[1].p, t->part[1].len);
	lp_sha256_init(&t->pre_hash);
	lp_sha256_update(&t->pre_hash, t->pre.p, t->pre.len);
	t->pinned = 1;
}

void
lp_llm_tmpl_fill(const struct lp_llm_tmpl *t, const char *const *text,
    const size_t *len, struct lp_buf *out, char hex[65])
{
	struct lp_sha256 h;
	size_t start = out->len, hashed;
	int i = 0;

	if (text[0] == NULL && t->pinned) {
		lp_buf_add(out, t->pre.p, t->pre.len);
		h = t->pre_hash;
		hashed = t->pre.len;
		i = 1;
	} else {
		lp_buf_add(out, t->part[0].p, t->part[0].len);
		h = t->part0_hash;
		hashed = t->part[0].len;
	}
	for (; i < t->nholes; i++) {
		lp_json_dump_str(text[i], len[i], out);
		lp_buf_add(out, t->part[i + 1].p, t->part[i + 1].len);
	}
	lp_sha256_update(
	    &h, out->p + start + hashed, out->len - start - hashed);
	lp_sha256_final_hex(&h, hex);
}

void
lp_llm_tmpl_free(struct lp_llm_tmpl *t)
{
	int i;

	for (i = 0; i <= LP_LLM_HOLES; i++)
		lp_buf_release(&t->part[i]);
	lp_buf_release(&t->pre);
	t->nholes = t->pinned = 0;
}

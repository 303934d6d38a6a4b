#include <jansson.h>
#include <string.h>

#include "core/json.h"
#include "dedup/keytext.h"

void
lp_keytext_init(struct lp_keytext *kt, char *const *fields, int nfields)
{
	memset(kt, 0, sizeof(*kt));
	kt->fields = fields;
	kt->nfields = nfields;
}

int
lp_keytext_make(
    struct lp_keytext *kt, struct lp_record *rec, struct lp_buf *key)
{
	int i, found = 0;

	lp_buf_reset(key);
	for (i = 0; i < kt->nfields; i++) {
		const char *s;
		size_t len;
		json_t *v;

		if (i > 0)
			lp_buf_addc(key, '\x1f');
		if ((s = lp_record_get_strn(rec, kt->fields[i], &len)) !=
		    NULL) {
			found = 1;
			lp_text_normalize(&kt->norm, s, len, LP_TEXT_FOLD, key);
			continue;
		}
		v = lp_record_get(rec, kt->fields[i]);
		if (v == NULL || json_is_null(v)) {
			lp_buf_addc(key, '\x1e'); /* absent */
			continue;
		}
		found = 1;
		lp_json_dump(v, key);
	}
	return found;
}

void
lp_keytext_release(struct lp_keytext *kt)
{
	lp_text_release(&kt->norm);
}

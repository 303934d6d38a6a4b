/*
 * A JSON Schema subset for checking records: "type" (a name or a list of
 * names: object, array, string, number, integer, boolean, null),
 * "required", "properties", "enum", "minLength" (in code points) and
 * "minimum".  Other keywords are refused when the schema is loaded, so a
 * schema never promises a check it does not make ("$comment" and
 * "description" excepted).
 */
#ifndef LP_SCHEMA_H
#define LP_SCHEMA_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"
#include "core/record.h"

/*
 * LP_OK, or LP_FAILED with "where: what" in err if schema is outside the
 * subset.
 */
int lp_schema_valid(const json_t *schema, struct lp_error *err);
/*
 * Check v: LP_OK, or LP_FAILED with the first failure in err
 * ("price.amount: -1 is below the minimum 0").
 */
int lp_schema_check(
    const json_t *schema, const json_t *v, struct lp_error *err);
/*
 * A schema compiled for checking records: what each keyword asks, read
 * once, instead of looking the keywords up in the schema for each record.
 * It holds a reference to the schema, which must not change meanwhile.
 */
struct lp_schema;

/* Compile schema (checked by lp_schema_valid() or not): never NULL. */
struct lp_schema *lp_schema_compile(const json_t *schema);
/*
 * Check a record without building its whole tree: only the members the
 * schema names are read.  As lp_schema_check() with the schema cs was
 * made of.
 */
int lp_schema_check_compiled(
    const struct lp_schema *cs, struct lp_record *rec, struct lp_error *err);
void lp_schema_free(struct lp_schema *cs);
/* The built-in schema for listing records (new reference). */
json_t *lp_schema_listing(void);

#endif

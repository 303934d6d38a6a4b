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
 * Check a record without building its whole tree: only the members the
 * schema names are read.  As lp_schema_check().
 */
int lp_schema_check_record(
    const json_t *schema, struct lp_record *rec, struct lp_error *err);
/* The built-in schema for listing records (new reference). */
json_t *lp_schema_listing(void);

#endif

/*
 * Retention: removing the files of an artefact that are older than its
 * retention period, by modification time.  A policy (lp-audit retain)
 * names each artefact by a glob(3) pattern or a folder; what goes is
 * listed for the caller to report and audit.  Audit log events go by
 * their time instead, as tombstones (core/erasure.h).
 */
#ifndef LP_CORE_RETENTION_H
#define LP_CORE_RETENTION_H

#include <jansson.h>
#include <time.h>

#include "core/error.h"

/*
 * The regular files matching pattern (and, in folders it matches, every
 * regular file beneath them) modified before cutoff: removed unless dry,
 * and appended by name to gone either way.  Symbolic links are neither
 * followed nor removed.  LP_OK (no match is fine), or LP_FATAL with err
 * at the first file that cannot be removed.
 */
int lp_retention_files(const char *pattern, time_t cutoff, int dry,
    json_t *gone, struct lp_error *err);

#endif

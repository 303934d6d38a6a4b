/*
 * Time: the monotonic clock for intervals and ISO 8601 text for dates.
 * Dates in records and logs are milliseconds since the epoch (UTC), fixed
 * by SOURCE_DATE_EPOCH where lineage.h says.
 */
#ifndef LP_CORE_CLOCK_H
#define LP_CORE_CLOCK_H

#include <stddef.h>

/* Seconds on the monotonic clock: for intervals, never for dates. */
double lp_clock(void);

/* ms since the epoch as "2026-12-01T10:00:00.000Z" into out[0..size). */
void lp_iso_time(long long ms, char *out, size_t size);

#endif

/*
 * libFuzzer target for the WARC reader (lib/warc): an archive comes from
 * outside (--from-warc, --resume).  The input is gzip'd as one member (so
 * the record parser is reached) or, when it starts with the gzip magic,
 * taken as it is.  Invariants: nothing crashes or reads out of bounds;
 * every record read lies within the inflated data; seeking back to a
 * record read before gives it again; the replay index (web/replay) of
 * the same archive lists records in order and reads each back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/status.h"
#include "web/replay.h"
#include "web/warc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz-warc-XXXXXX";
	struct lp_warc_reader r;
	struct lp_warc_record rec, again;
	struct lp_replay rp;
	size_t i;
	long long off = -1;
	unsigned skip = 0;
	size_t first = 0;
	int fd = mkstemp(path);

	if (fd < 0)
		return 0;
	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		if (write(fd, data, size) != (ssize_t)size)
			abort();
		close(fd);
	} else {
		gzFile g;

		close(fd);
		g = gzopen(path, "wb");
		gzwrite(g, data, (unsigned)size);
		gzclose(g);
	}
	memset(&rec, 0, sizeof(rec));
	memset(&again, 0, sizeof(again));
	if (lp_warc_reader_open(&r, path) == LP_OK) {
		while (lp_warc_next(&r, &rec) == LP_OK) {
			if (off < 0) {
				off = rec.offset;
				skip = rec.skip;
				first = rec.block.len;
			}
		}
		if (off >= 0 && lp_warc_seek(&r, off, skip) == LP_OK &&
		    (lp_warc_next(&r, &again) != LP_OK ||
			again.block.len != first))
			abort();
	}
	lp_warc_reader_close(&r);
	if (lp_replay_open(&rp, path) == LP_OK &&
	    lp_replay_index(&rp, 1) == LP_OK) {
		for (i = 0; i < rp.n; i++) {
			if (i > 0 && rp.e[i].start < rp.e[i - 1].start)
				abort();
			if (lp_replay_read(&rp, rp.e[i].offset, rp.e[i].skip,
				&again) != LP_OK)
				abort();
		}
	}
	lp_replay_close(&rp);
	lp_warc_record_release(&rec);
	lp_warc_record_release(&again);
	unlink(path);
	return 0;
}

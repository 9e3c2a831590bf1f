/*
 * Shared by the fuzz targets: runs a reader over an in-memory buffer through the same
 * input layer (line splitting, limits) the scan uses, with a null emit.
 */
#ifndef XH_FUZZ_COMMON_H
#define XH_FUZZ_COMMON_H

#include "readers/reader.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct memsrc {
	const uint8_t *p;
	size_t n, off;
};

static inline ssize_t mem_read(void *ctx, void *buf, size_t n, const char **err)
{
	struct memsrc *m = ctx;
	size_t k = m->n - m->off < n ? m->n - m->off : n;
	(void)err;
	memcpy(buf, m->p + m->off, k);
	m->off += k;
	return (ssize_t)k;
}

/* Touches every byte of every field so ASan sees out-of-bounds views. */
static inline xh_status null_emit(struct xh_read_ctx *c, const struct xh_record *r)
{
	unsigned sum = 0;
	(void)c;
	for (size_t i = 0; i < r->nfields; i++)
		for (size_t k = 0; r->fields[i].p && k < r->fields[i].n; k++)
			sum += (unsigned char)r->fields[i].p[k];
	for (size_t i = 0; i < r->nx; i++) {
		for (size_t k = 0; k < r->xnames[i].n; k++)
			sum += (unsigned char)r->xnames[i].p[k];
		for (size_t k = 0; r->xvalues[i].p && k < r->xvalues[i].n; k++)
			sum += (unsigned char)r->xvalues[i].p[k];
	}
	for (size_t k = 0; r->raw.p && k < r->raw.n; k++)
		sum += (unsigned char)r->raw.p[k];
	/* the sum is only there to read every byte; keep it observable */
	__asm__ volatile("" : : "r"(sum));
	return XH_OK;
}

static inline void run_reader(const char *source, const uint8_t *data, size_t size)
{
	static struct xh_in in;
	static struct xh_scratch scr;
	static bool ready;
	struct memsrc m = {data, size, 0};
	struct xh_src src = {mem_read, &m};
	struct xh_fstats st;
	struct xh_read_ctx c;

	if (!ready) {
		if (xh_in_init(&in) || xh_scratch_init(&scr))
			abort();
		ready = true;
	}
	memset(&st, 0, sizeof st);
	xh_in_open(&in, src);
	c = (struct xh_read_ctx){.in = &in, .source = xh_source_find(source), .path = "fuzz",
	                     .st = &st, .scr = &scr, .emit = null_emit};
	xh_read(&c);
}

#endif

/* libFuzzer target: the EVTX chunk and BinXML decoder (records, templates, substitution
 * values, names), fed the input as one chunk, and the whole reader (file header, chunk
 * framing) fed a valid file header followed by the input. */
#include "readers/evtx_decode.h"
#include "fuzz_common.h"

static xh_status on_event(void *ud, const struct xh_evtx_event *ev)
{
	unsigned sum = 0;
	(void)ud;
	for (size_t i = 0; i < ev->nf; i++) {
		for (size_t k = 0; k < ev->f[i].name.n; k++)
			sum += (unsigned char)ev->f[i].name.p[k];
		for (size_t k = 0; k < ev->f[i].value.n; k++)
			sum += (unsigned char)ev->f[i].value.p[k];
	}
	for (size_t k = 0; k < ev->raw.n; k++)
		sum += (unsigned char)ev->raw.p[k];
	__asm__ volatile("" : : "r"(sum));
	return XH_OK;
}

static xh_status on_bad(void *ud, uint32_t off, uint64_t rid, const char *why)
{
	(void)ud;
	(void)off;
	(void)rid;
	(void)why;
	return XH_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xh_evtx_dec *d;
	static uint8_t file[XH_EVTX_FILE_HEADER + XH_EVTX_CHUNK];
	struct xh_evtx_sink sink = {on_event, on_bad, NULL};
	struct xh_evtx_chunk_info ci;
	size_t n = size < XH_EVTX_CHUNK ? size : XH_EVTX_CHUNK;

	if (!d && xh_evtx_dec_new(&d))
		abort();
	xh_evtx_chunk_info(data, n, &ci);
	if (ci.state == XH_CHUNK_OK)
		xh_evtx_chunk_records(d, data, n, &ci, &sink);
	else if (n >= XH_EVTX_CHUNK_HEADER) {
		/* decode anyway, as if the signature were there: reaches the records sooner */
		ci.state = XH_CHUNK_OK;
		ci.free_offset = (uint32_t)n;
		xh_evtx_chunk_records(d, data, n, &ci, &sink);
	}
	memset(file, 0, XH_EVTX_FILE_HEADER);
	memcpy(file, "ElfFile", 8);
	file[32] = 128;
	file[36] = 1;
	file[38] = 3;
	file[42] = 1;
	memcpy(file + XH_EVTX_FILE_HEADER, data, n);
	run_reader("evtx", file, XH_EVTX_FILE_HEADER + n);
	return 0;
}

/* libFuzzer target: ECP EventData splitting (S:KEY=value, single-quote doubling). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xh_sv names[XH_MAX_DERIVED], values[XH_MAX_DERIVED];
	struct xh_buf buf;
	size_t n;

	xh_buf_init(&buf, size + 1);
	if (xh_buf_reserve(&buf, size + 1) == XH_OK) {
		n = xh_ecp_split((const char *)data, size, names, values, XH_MAX_DERIVED, &buf);
		for (size_t i = 0; i < n; i++)
			if (names[i].n == 0 || names[i].n > size)
				abort();
	}
	xh_buf_free(&buf);
	return 0;
}

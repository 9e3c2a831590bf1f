/* libFuzzer target: the IIS W3C reader (directives, #Fields remapping, line splitting). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xh_sv f[XH_MAX_FIELDS];

	run_reader("iis", data, size);
	xh_w3c_split((const char *)data, size, f, XH_MAX_FIELDS);
	return 0;
}

/* libFuzzer target: the Exchange CSV reader (quoting, multi-line records, headers). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run_reader("httpproxy", data, size);
	run_reader("ecp_server", data, size);
	return 0;
}

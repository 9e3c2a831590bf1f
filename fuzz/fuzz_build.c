/* libFuzzer target: build-number parsing and assessment (exhunt build input, #Version
 * headers, ECP S:BLD values and owa/auth folder names all come from evidence). */
#include "common/base.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xh_build b;
	struct xh_build_info bi;
	char buf[32];

	if (!xh_build_parse((const char *)data, size, &b))
		return 0;
	xh_build_format(&b, buf, sizeof buf);
	if (xh_build_assess(&b, &bi) == XH_OK) {
		for (size_t i = 0; i < bi.ncves; i++)
			if (bi.cves[i].state > XH_CVE_NOT_AFFECTED || !bi.cves[i].why[0])
				abort();
	}
	return 0;
}

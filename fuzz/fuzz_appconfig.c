/* libFuzzer target: the IIS configuration checks (appconfig.c) on hostile text, in every
 * mode; every byte of every finding is touched so ASan sees a view that runs out. */
#include "files/appconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static xh_status touch(void *ud, const struct xh_cfg_hit *h)
{
	unsigned sum = 0;
	(void)ud;
	for (size_t i = 0; i < h->excerpt.n; i++)
		sum += (unsigned char)h->excerpt.p[i];
	for (size_t i = 0; i < h->nfields; i++)
		for (size_t k = 0; k < h->fields[i].value.n; k++)
			sum += (unsigned char)h->fields[i].value.p[k];
	if (h->phys)
		sum += (unsigned)strlen(h->phys);
	sum += (unsigned)strlen(h->title) + (unsigned)strlen(h->rule_id);
	__asm__ volatile("" : : "r"(sum));
	return XH_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (unsigned mode = 0; mode < 4; mode++)
		xh_cfg_check((const char *)data, size, mode, touch, NULL);
	return 0;
}

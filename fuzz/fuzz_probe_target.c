/* libFuzzer target: target-spec and exclusion parsing (lib/probe/target.c). The input
 * is list text (-iL / --exclude-file): the part before the first NUL byte is read as
 * targets, the rest as exclusions. The walk over what was accepted must hand out each
 * index once, and a target the walk says may be contacted must pass the connect-time
 * scope check for its own address. */
#include "common/base.h"

#include "exhunt/probe.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SAMPLE 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nul = memchr(s, '\0', size);
	size_t tn = nul ? (size_t)(nul - s) : size;
	struct xh_targets *t;
	struct xh_walk *w;
	struct xh_order o = {size, 0, 1, 0};
	struct xh_target tg;
	static uint64_t seen[SAMPLE];
	size_t k = 0;

	if (xh_targets_new(&t) != XH_OK)
		abort();
	(void)xh_targets_set_ports(t, "443,http:80", NULL);
	(void)xh_targets_add_list(t, s, tn, false, NULL);
	if (nul)
		(void)xh_targets_add_list(t, nul + 1, size - tn - 1, true, NULL);
	if (size && (data[0] & 1)) {
		o.nshards = 1u + data[0] % 5u;
		o.shard = (uint32_t)(size % o.nshards);
	}
	if (xh_walk_new(t, &o, &w) == XH_OK) {
		uint64_t n = xh_targets_count(t);
		while (k < SAMPLE && xh_walk_next(w, &tg)) {
			if (tg.index >= n || tg.position != k)
				abort();
			for (size_t i = 0; i < k; i++)
				if (seen[i] == tg.index)
					abort();
			seen[k++] = tg.index;
			if (!tg.excluded && tg.family && xh_targets_refuse(t, &tg, tg.family, tg.addr))
				abort();
			if (tg.port == 0 || !tg.host[0])
				abort();
		}
		xh_walk_free(w);
	}
	xh_targets_free(t);
	return 0;
}

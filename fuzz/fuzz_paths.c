/* libFuzzer target: archive entry name normalisation, server-path (origin) decoding
 * and content classification, all fed attacker-chosen names and bytes. */
#include "evidence/classify.h"
#include "evidence/vfs.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name = malloc(size + 1);
	struct xh_buf b;
	const char *note;
	bool dd;
	char *o;

	if (!name)
		return 0;
	memcpy(name, data, size);
	name[size] = '\0';
	xh_buf_init(&b, XH_MAX_PATH);
	if (xh_path_normalize(name, &b, &dd) == XH_OK) {
		/* a normalised name never climbs or starts at the root */
		if (b.len && (b.p[0] == '/' || strstr(b.p, "/../") || strncmp(b.p, "../", 3) == 0 ||
		              strcmp(b.p, "..") == 0))
			abort();
	}
	o = xh_path_origin(name);
	xh_free(o);
	if (!xh_classify((const char *)data, size, name, &note))
		abort();
	xh_buf_free(&b);
	free(name);
	return 0;
}

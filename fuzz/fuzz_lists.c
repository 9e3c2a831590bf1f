/* libFuzzer target: the file checks' other parsers on hostile text: an --allowlist file
 * (then lookups and look-alike names taken from the same bytes), the known-bad hash CSV,
 * and place detection (install roots, aspnet_client, ProgramData...) on the bytes as an
 * evidence path and as a server path. */
#include "files/allowlist.h"
#include "files/hashes.h"
#include "evidence/vfs.h"
#include "files/webroot.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *one_path;
static const char *one_origin;

static void at(void *ud, size_t i, const char **path, const char **origin)
{
	(void)ud;
	(void)i;
	*path = one_path;
	*origin = one_origin;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *origin;
	struct xh_allow a;
	struct xh_badlist b;
	struct xh_error err;
	struct xh_webroots w;
	struct xh_place *pl = malloc(sizeof *pl);
	bool same;

	if (!text || !pl) {
		free(text);
		free(pl);
		return 0;
	}
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&a, 0, sizeof a);
	if (xh_allow_load(&a, "fuzz", text, size, &err) == XH_OK && xh_allow_finish(&a) == XH_OK) {
		unsigned char sha[32] = {0};
		for (size_t i = 0; i < a.n && i < 8; i++) {
			if (xh_allow_check(&a, a.v[i].path, a.v[i].sha) != XH_ALLOW_LISTED)
				abort(); /* what was loaded is listed */
			xh_allow_check(&a, a.v[i].path, sha);
		}
		xh_allow_lookalike(&a, "frontend/httpproxy/owa/auth", text, &same);
	}
	xh_allow_free(&a);
	memset(&b, 0, sizeof b);
	if (xh_badlist_load(&b, "fuzz", text, size, &err) == XH_OK) {
		struct xh_hashes h;
		xh_badlist_finish(&b);
		memset(&h, 0, sizeof h);
		h.have[XH_HASH_SHA256] = h.have[XH_HASH_MD5] = true;
		xh_badlist_find(&b, &h, NULL);
	}
	xh_badlist_free(&b);
	/* the bytes as an evidence path, with the server path its layout gives */
	origin = xh_path_origin(text);
	one_path = text;
	one_origin = origin;
	if (xh_webroots_build(&w, 1, at, NULL) == XH_OK) {
		char line[768];
		xh_place_of(&w, text, origin, pl);
		if (strlen(pl->rel) >= sizeof pl->rel || strlen(pl->sub) >= sizeof pl->sub)
			abort();
		xh_webroots_describe(&w, line, sizeof line);
	}
	xh_webroots_free(&w);
	xh_free(origin);
	free(pl);
	free(text);
	return 0;
}

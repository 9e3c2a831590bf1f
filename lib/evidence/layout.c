/*
 * Collection layouts: the path a file had on the server, from where a collector put it.
 * A drive folder "C" (copied tree, KAPE), "C:" or URL-encoded "C%3A" (Velociraptor
 * uploads/auto, and "%5C%5C.%5CC%3A" for its ntfs accessor):
 * "uploads/auto/C%3A/inetpub/logs/x.log" -> "C:\inetpub\logs\x.log".
 */
#include "evidence/layout.h"
#include "common/decode.h"

#include <strings.h>

/* A drive component: "C", "C:", "C%3A", "\\.\C:" (decoded); returns the letter or 0. */
static char drive_of(const char *dec, size_t n, bool bare_ok)
{
	if (n >= 4 && memcmp(dec, "\\\\.\\", 4) == 0) {
		dec += 4;
		n -= 4;
	}
	if (n == 2 && dec[1] == ':' && ((dec[0] >= 'A' && dec[0] <= 'Z') || (dec[0] >= 'a' && dec[0] <= 'z')))
		return dec[0];
	if (bare_ok && n == 1 && ((dec[0] >= 'A' && dec[0] <= 'Z') || (dec[0] >= 'a' && dec[0] <= 'z')))
		return dec[0];
	return 0;
}

char *xh_path_origin(const char *path)
{
	struct xh_buf comp, out;
	const char *p = path, *rest = NULL;
	char drive = 0;
	char *res = NULL;

	xh_buf_init(&comp, XH_MAX_PATH);
	xh_buf_init(&out, XH_MAX_PATH);
	/* find the drive component; a bare letter only counts when a Windows top folder
	 * follows, so a folder named "C" elsewhere is not taken for a drive */
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		comp.len = 0;
		if (!slash)
			break;
		if (xh_pct_decode(&comp, p, n, false)) {
			static const char *const tops[] = {"inetpub", "Program Files", "Program%20Files",
			                                   "Windows", "ProgramData", "Users", "Exchange",
			                                   "root", NULL};
			bool top = false;
			for (size_t i = 0; tops[i]; i++) {
				size_t tl = strlen(tops[i]);
				if (strncasecmp(slash + 1, tops[i], tl) == 0 && (slash[1 + tl] == '/' || slash[1 + tl] == '\0'))
					top = true;
			}
			drive = drive_of(comp.p, comp.len, top);
			if (drive) {
				rest = slash + 1;
				break;
			}
		}
		p = slash + 1;
	}
	if (!drive)
		goto out;
	if (xh_buf_addc(&out, drive) || xh_buf_addc(&out, ':'))
		goto out;
	for (p = rest; *p;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (xh_buf_addc(&out, '\\') || !xh_pct_decode(&out, p, n, false))
			goto out;
		p += n + (slash ? 1 : 0);
	}
	if (xh_buf_addc(&out, '\0'))
		goto out;
	res = out.p;
	out.p = NULL;
out:
	xh_buf_free(&comp);
	xh_buf_free(&out);
	return res;
}

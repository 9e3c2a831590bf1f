/*
 * Status codes, error context and level names: the words every error and finding of the
 * library is told in. Depends on nothing else in the library.
 */
#include "common/base.h"

#include <stdio.h>
#include <strings.h>

static const char *const status_text[XH_STATUS_END] = {
	[XH_OK] = "ok",
	[XH_ENOMEM] = "out of memory",
	[XH_EIO] = "input/output error",
	[XH_EFORMAT] = "malformed input",
	[XH_ELIMIT] = "limit reached",
	[XH_EARG] = "invalid argument",
	[XH_ENOTFOUND] = "not found",
	[XH_EARCHIVE] = "archive error",
	[XH_ENOEVIDENCE] = "no evidence could be read",
	[XH_EABORT] = "aborted",
	[XH_ESYSTEM] = "the system refused a resource (thread, temp file or output)",
};

const char *xh_strerror(xh_status st)
{
	if ((unsigned)st >= XH_STATUS_END || !status_text[st])
		return "unknown status";
	return status_text[st];
}

xh_status xh_fail(struct xh_error *e, xh_status st, const char *path, uint64_t line, uint64_t offset,
                  const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return st;
	snprintf(e->path, sizeof e->path, "%s", path ? path : "");
	e->line = line;
	e->offset = offset;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return st;
}

static const char *const level_names[XH_LEVEL_COUNT] = {"informational", "low", "medium", "high",
                                                        "critical"};

const char *xh_level_name(enum xh_level l)
{
	return (unsigned)l < XH_LEVEL_COUNT ? level_names[l] : "unknown";
}

bool xh_level_parse(const char *s, enum xh_level *out)
{
	for (unsigned i = 0; i < XH_LEVEL_COUNT; i++) {
		if (strcasecmp(s, level_names[i]) == 0) {
			*out = (enum xh_level)i;
			return true;
		}
	}
	if (strcasecmp(s, "info") == 0) {
		*out = XH_LEVEL_INFORMATIONAL;
		return true;
	}
	return false;
}

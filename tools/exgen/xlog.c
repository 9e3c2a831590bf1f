/*
 * exgen: what the Exchange logs (HttpProxy, ECP Server, OAB generator, Rps
 * cmdlet) share: the BOM and "#Name: value" header block, and the build.
 */
#include "exgen.h"

#include <string.h>

static const char BOM[] = "\xEF\xBB\xBF";

/* One "#Name: value" header line. */
static void xlog_directive(Gen *g, Out *o, int64_t t, const char *name, Str value)
{
	char *p = ob(o);
	p = pz(p, name);
	p = ps(p, value);
	p = PL(p, "\r\n");
	oe(g, o, p, false, t);
}

/* Exchange log header (HttpProxy, ECP, Rps, OAB share the shape). */
void xlog_header(Gen *g, Out *o, int64_t t, const char *version, const char *logtype, Str fields)
{
	char date[32];
	char *end = p_iso(date, t);

	out_raw(g, o, BOM, 3);
	out_hline(g, o, SL("#Software: Microsoft Exchange Server"), t);
	xlog_directive(g, o, t, "#Version: ", (Str){version, strlen(version)});
	xlog_directive(g, o, t, "#Log-type: ", (Str){logtype, strlen(logtype)});
	xlog_directive(g, o, t, "#Date: ", (Str){date, (size_t)(end - date)});
	xlog_directive(g, o, t, "#Fields: ", fields);
}

/* The build as the log headers write it, before or after the update. */
const char *ver_dotted(const Gen *g) { return bld(g)->lng; }

/*
 * exgen: the OAB generator log, and its scheduled generation runs.
 */
#include "exgen.h"

#include <stdio.h>

static Out *oab_out(Gen *g, int64_t t)
{
	Out *o = &g->o_oab;
	if (!o->f) {
		char d[16], path[200];
		fmt_compact(d, sizeof d, g->day, false);
		snprintf(path, sizeof path, XROOT "Logging/OABGeneratorLog/OABGeneratorLog_%s-1.LOG", d);
		out_open(g, o, path, K_OAB);
		xlog_header(g, o, t, ver_dotted(g), "OAB Generator Log", SL("DateTime,Component,Level,Message"));
	}
	return o;
}
void write_oab(Gen *g, int64_t t, const char *level, Str msg)
{
	Out *o = oab_out(g, t);
	char *p = ob(o);
	p = p_iso(p, t);
	p = PL(p, ",OABGenerator,");
	p = pz(p, level);
	*p++ = ',';
	p = csv_field(p, msg);
	p = PL(p, "\r\n");
	oe(g, o, p, true, t);
}

/* A scheduled OAB generation run starting at t: three log lines. */
void oab_run(Gen *g, int64_t t, Rng *r)
{
	if (!g->want_misc)
		return;
	char msg[256];
	uint32_t n = 300 + rbelow(r, 40), secs = rrange(r, 4, 30);
	write_oab(g, t, "Info", SL("OAB generation started for '\\Default Offline Address Book'"));
	int k = snprintf(msg, sizeof msg,
	                 "Processed %u address list entries for '\\Default Offline Address Book'", n);
	write_oab(g, t + 1000 * secs / 2 + rbelow(r, 500), "Info", (Str){msg, (size_t)k});
	k = snprintf(msg, sizeof msg,
	             "OAB generation completed for '\\Default Offline Address Book'; elapsed time 00:00:%02u", secs);
	write_oab(g, t + 1000 * secs + rbelow(r, 900), "Info", (Str){msg, (size_t)k});
}

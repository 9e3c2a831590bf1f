/*
 * exgen: one collection from start to end.  host_begin builds the start-up
 * tables (user agents, the seed's population, session weights); host_run writes
 * the days (until --target-bytes is reached), the web root and the collector's
 * files; host_end frees what the host allocated, so that a fleet can run host
 * after host in one process.
 */
#include "exgen.h"

#include <stdio.h>
#include <stdlib.h>

void host_begin(Gen *g)
{
	g->want_iis = g->only != ONLY_HP;
	g->want_hp = g->only != ONLY_IIS;
	g->want_misc = g->only == ONLY_ALL;
	g->want_rpsh = g->fleet && g->want_misc;
	g->hp_gen = 1;
	g->o_iis1.rec = g->o_iis2.rec = g->o_ecp.rec = g->o_oab.rec = g->o_rps.rec = g->o_rpsh.rec = -1;
	for (int p = 0; p < P_N; p++)
		g->o_hp[p].rec = -1;
	init_user_agents(g);
	init_population(g, g->seed);
	benign_init(g);
	/* The one day whose W3SVC1 log changes its #Fields mid-file. */
	g->fields_day = g->start_day + (g->target_set ? 0 : (g->days > 9 ? 9 : g->days / 2));
}

/* 0, or 1 when --target-bytes cannot be reached. */
int host_run(Gen *g)
{
	for (uint32_t d = 0; !g->no_logs; d++) {
		if (!g->target_set && d >= g->days)
			break;
		if (g->target_set) {
			bool iis_ok = !g->want_iis || g->kbytes[K_IIS1] >= g->target;
			bool hp_ok = !g->want_hp || g->kbytes[K_HP] >= g->target;
			if (iis_ok && hp_ok)
				break;
			if (d >= MAX_DAYS) {
				fprintf(stderr, "exgen: --target-bytes not reached after %d days; raise --rate\n", MAX_DAYS);
				return 1;
			}
		}
		gen_day(g, g->start_day + d);
		g->days_done = d + 1;
	}
	if (g->no_logs)
		g->days_done = g->days;
	if (g->want_misc)
		write_webroot(g);
	write_collector_files(g);
	return 0;
}

static void free_out(Out *o) { free(o->buf); }

void host_end(Gen *g)
{
	for (int i = 0; i < 2 * UA_N; i++)
		free(g->ua_mem[i]);
	for (size_t i = 0; i < g->nrecs; i++)
		free(g->recs[i].path);
	free(g->recs);
	free(g->tl);
	free(g->keys);
	free(g->keys2);
	free(g->sess);
	free(g->plan.steps);
	free_out(&g->o_iis1);
	free_out(&g->o_iis2);
	free_out(&g->o_ecp);
	free_out(&g->o_oab);
	free_out(&g->o_rps);
	free_out(&g->o_rpsh);
	for (int p = 0; p < P_N; p++)
		free_out(&g->o_hp[p]);
}

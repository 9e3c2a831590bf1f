/*
 * exgen: what a host is and what happens to it: the sample server, EXCH01 with
 * the ProxyLogon table as it is (its own update row included).
 */
#include "exgen.h"

#include <stdio.h>

/* The sample server: EXCH01 and the ProxyLogon table with its own update row. */
void scen_single(Gen *g)
{
	host_default(&g->h);
	host_finish(&g->h);
	Plan *p = &g->plan;
	snprintf(p->actor[0], sizeof p->actor[0], ACTOR_A);
	snprintf(p->actor[1], sizeof p->actor[1], ACTOR_B);
	snprintf(p->sh1, sizeof p->sh1, SHELL1);
	snprintf(p->sh2, sizeof p->sh2, SHELL2);
	snprintf(p->pw1, sizeof p->pw1, SHELL1_PW);
	snprintf(p->pw2, sizeof p->pw2, SHELL2_PW);
	p->pl_files = true;
	p->shell_t = -1;
	pl_plan(g, 0, true);
	plan_sort(p);
}

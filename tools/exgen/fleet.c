/*
 * exgen: --fleet N.  N hosts, each a whole collection in OUTDIR/<host name>/
 * with a layout, names, address, build and scenario of its own: the first twelve
 * hosts take every scenario once (EXCH01 the ProxyLogon one, the others in an order
 * drawn from the seed), later ones draw from weights like a real estate's (mostly
 * clean).  Host after host is
 * generated and freed; the fleet manifest is written as the hosts are done.
 */
#include "exgen.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Scenario weights after the first SC_N hosts (per mille). */
static const uint16_t WEIGHT[SC_N] = {
    [SC_PROXYLOGON] = 60, [SC_PROXYSHELL] = 60, [SC_PROXYNOTSHELL] = 50, [SC_OWASSRF] = 50,
    [SC_ATTEMPTED] = 140, [SC_CLEAN] = 300,     [SC_UNREADABLE] = 40,    [SC_CORRUPT] = 50,
    [SC_LIMITED] = 50,    [SC_LATE_PATCH] = 40, [SC_SCANNED] = 120,      [SC_NOT_COLLECTED] = 40,
};

static const char *const SITES[] = {"FR", "DE", "UK", "US", "NL", "ES", "IT", "JP", "AU", "BR", "CA", "IN", "SE", "PL"};
#define NSITES ((int)(sizeof SITES / sizeof SITES[0]))

typedef struct {
	unsigned exch, site[NSITES];
	int perm[SC_N], lperm[3];
	unsigned count[SC_N];
} Names;

/* EXCH01 first, then EXCHnn and MAIL-<site>-nn, numbered per pattern (so unique). */
static void host_name(Names *nm, Rng *r, int i, char *dst, size_t cap)
{
	if (i == 0 || rpm(r, 450)) {
		snprintf(dst, cap, "EXCH%02u", ++nm->exch);
		return;
	}
	int s = (int)rbelow(r, NSITES);
	snprintf(dst, cap, "MAIL-%s-%02u", SITES[s], ++nm->site[s]);
}

static void shuffle(Rng *r, int *a, int n)
{
	for (int i = 0; i < n; i++)
		a[i] = i;
	for (int i = n - 1; i > 0; i--) {
		int j = (int)rbelow(r, (uint32_t)i + 1);
		int t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

static int draw_scenario(Rng *r)
{
	uint32_t k = rbelow(r, 1000), c = 0;
	for (int s = 0; s < SC_N; s++)
		if (k < (c += WEIGHT[s]))
			return s;
	return SC_CLEAN;
}

/* The damaged log of a corrupt host: a W3SVC1 day from the middle of the window. */
static void damage_host(Gen *g, Rng *r)
{
	int pick = -1;
	size_t nd = 0;
	for (size_t i = 0; i < g->nrecs; i++)
		if (g->recs[i].kind == K_IIS1 && g->recs[i].data > 10)
			nd++;
	size_t want = nd / 2, k = 0;
	for (size_t i = 0; i < g->nrecs && pick < 0; i++)
		if (g->recs[i].kind == K_IIS1 && g->recs[i].data > 10 && k++ == want)
			pick = (int)i;
	if (pick >= 0)
		damage_file(g, pick, rpm(r, 500));
}

int fleet_run(uint64_t seed, uint32_t n, uint32_t days, uint64_t rate, const char *outdir, const char *manifest)
{
	Names nm;
	memset(&nm, 0, sizeof nm);
	Rng fr;
	rng_seed(&fr, mix3(seed, 0xF1EE7, 1));
	shuffle(&fr, nm.perm, SC_N);
	for (int k = 0; k < SC_N; k++) /* EXCH01 is always the sample's case, ProxyLogon */
		if (nm.perm[k] == SC_PROXYLOGON) {
			nm.perm[k] = nm.perm[0];
			nm.perm[0] = SC_PROXYLOGON;
		}
	shuffle(&fr, nm.lperm, 3);
	FILE *mf = NULL;
	if (manifest) {
		mf = fopen(manifest, "wb");
		if (!mf)
			die_io("cannot create", manifest);
		fprintf(mf, "{\n  \"generator\": \"exgen\",\n  \"fleet\": %u,\n  \"seed\": %" PRIu64 ",\n  \"days\": %u,\n"
		            "  \"rate\": %" PRIu64 ",\n  \"hosts\": [\n",
		        n, seed, days, rate);
	}
	uint64_t files = 0, bytes = 0;
	for (uint32_t i = 0; i < n; i++) {
		Rng hr;
		rng_seed(&hr, mix3(seed, i, 0x4057));
		char name[24], dir[4096];
		host_name(&nm, &hr, (int)i, name, sizeof name);
		int sc = i < SC_N ? nm.perm[i] : draw_scenario(&hr);
		uint32_t lk = rbelow(&hr, 10);
		int layout = i < 3 ? nm.lperm[i] : lk < 4 ? L_TREE : lk < 7 ? L_KAPE : L_VELO;
		nm.count[sc]++;
		Gen *g = xrealloc(NULL, sizeof *g);
		memset(g, 0, sizeof *g);
		int k = snprintf(dir, sizeof dir, "%s/%s", outdir, name);
		if (k < 0 || (size_t)k >= sizeof dir)
			die_usage("OUTDIR too long", outdir);
		g->outdir = dir;
		g->folder = name;
		g->rate = rate;
		scen_fleet_host(g, seed, (int)i, name, sc, layout, days);
		mkdirs_for(g, dir, true);
		host_begin(g);
		if (host_run(g))
			return 1;
		if (sc == SC_CORRUPT)
			damage_host(g, &hr);
		if (mf) {
			manifest_host(mf, g, "    ");
			fputs(i + 1 < n ? ",\n" : "\n", mf);
		}
		for (int kk = 0; kk < K_N; kk++)
			bytes += g->kbytes[kk];
		files += g->nrecs;
		host_end(g);
		free(g);
	}
	if (mf) {
		fputs("  ],\n  \"scenarios\": {", mf);
		for (int s = 0; s < SC_N; s++)
			fprintf(mf, "%s\"%s\": %u", s ? ", " : "", SCENARIO[s], nm.count[s]);
		fputs("}\n}\n", mf);
		if (ferror(mf) || fclose(mf) != 0)
			die_io("write error on", manifest);
	}
	printf("exgen: fleet of %u hosts, %" PRIu64 " files, %" PRIu64 " bytes\n", n, files, bytes);
	return 0;
}

/*
 * exgen: day and hour generation.  A day's scheduled events (the plan's steps,
 * IIS restarts, OAB runs, PowerShell), then per hour its sessions, their requests
 * sorted by time and interleaved with the events, and the hour's files closed.
 */
#include "exgen.h"

#include <stdlib.h>

enum { SK_ATTACK, SK_RESTART, SK_OAB, SK_RPS, SK_RPS_ADMIN };
typedef struct {
	int64_t t;
	int kind, arg;
} Sched;

/* Relative traffic per UTC hour (per mille of the busiest hour). */
static const uint16_t CURVE[24] = {40, 30, 25, 25, 30, 60, 180, 480, 850, 1000, 960, 900,
                                   800, 900, 950, 900, 760, 520, 320, 200, 150, 110, 80, 55};

static int sched_cmp(const void *a, const void *b)
{
	const Sched *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	return x->arg - y->arg; /* total order: qsort need not be stable */
}

/* Request keys: ms offset in the hour << 40 | session << 8 | position in
 * session.  Stable LSD radix sort on the 22 offset bits (two 11-bit passes),
 * so requests at the same millisecond keep their generation order. */
#define KEY_SHIFT 40
static void sort_keys(uint64_t *a, uint64_t *tmp, size_t n)
{
	if (n < 48) {
		for (size_t i = 1; i < n; i++) {
			uint64_t v = a[i];
			size_t j = i;
			while (j && (a[j - 1] >> KEY_SHIFT) > (v >> KEY_SHIFT)) {
				a[j] = a[j - 1];
				j--;
			}
			a[j] = v;
		}
		return;
	}
	for (int pass = 0; pass < 2; pass++) {
		size_t cnt[2049] = {0};
		int sh = KEY_SHIFT + pass * 11;
		uint64_t *src = pass ? tmp : a, *dst = pass ? a : tmp;
		for (size_t i = 0; i < n; i++)
			cnt[((src[i] >> sh) & 2047) + 1]++;
		for (int i = 0; i < 2048; i++)
			cnt[i + 1] += cnt[i];
		for (size_t i = 0; i < n; i++)
			dst[cnt[(src[i] >> sh) & 2047]++] = src[i];
	}
}

/* Expected count (scaled by 1e6) to an integer with randomized rounding. */
static uint64_t round_count(Rng *r, uint64_t scaled)
{
	return scaled / 1000000 + (rbelow(r, 1000000) < scaled % 1000000 ? 1 : 0);
}

static void close_hour_files(Gen *g)
{
	for (int p = 0; p < P_N; p++)
		out_close(&g->o_hp[p]);
	out_close(&g->o_rps);
	out_close(&g->o_rpsh);
	g->hp_gen = 1;
}

/* A step of the plan, written by its campaign. */
static void emit_step(Gen *g, const Step *s)
{
	switch (s->camp) {
	case CAMP_PL:
		pl_emit(g, s);
		break;
	case CAMP_PS:
		cstep_emit(g, &CAMPAIGN_PS, s);
		break;
	case CAMP_PNS:
		cstep_emit(g, &CAMPAIGN_PNS, s);
		break;
	case CAMP_OW:
		cstep_emit(g, &CAMPAIGN_OW, s);
		break;
	case CAMP_PROBE:
		cstep_emit(g, &PROBES[s->arg % PR_N], s);
		break;
	default:
		emit_patch(g, s->t);
		break;
	}
}

/* Background traffic (probes, scanners, phone pings) per hour, per mille of --rate. */
#define BG_PERMILLE 50

void gen_day(Gen *g, int64_t day)
{
	g->day = day;
	int64_t ds = day * MS_DAY;
	int wd = (int)((day + 4) % 7); /* 0 = Sunday */
	bool weekend = wd == 0 || wd == 6;
	Rng dr;
	rng_seed(&dr, mix3(g->seed, (uint64_t)day, 0xDA7));

	Sched sc[256];
	int ns = 0;
	for (size_t i = 0; i < g->plan.n && ns < 200; i++) {
		int64_t at = g->plan.steps[i].t;
		if (at >= ds && at < ds + MS_DAY)
			sc[ns++] = (Sched){at, SK_ATTACK, (int)i};
	}
	int64_t pt = g->h.patch_at;
	bool patch_day = pt >= 0 && ds <= pt && pt < ds + MS_DAY;
	if (day == g->fields_day) {
		sc[ns++] = (Sched){ds + ms_at(1970, 1, 1, 10, 17, 23, 0), SK_RESTART, 1};
		sc[ns++] = (Sched){ds + ms_at(1970, 1, 1, 16, 42, 5, 0), SK_RESTART, 0};
	} else if (!patch_day && rpm(&dr, 180)) {
		int64_t sec = rrange(&dr, 1 * 3600, 5 * 3600 - 1);
		sc[ns++] = (Sched){ds + sec * 1000 + rbelow(&dr, 1000), SK_RESTART, 0};
	}
	for (int k = 0; k < 3; k++) /* OAB generation every eight hours */
		sc[ns++] = (Sched){ds + (3 + 8 * k) * MS_HOUR + rrange(&dr, 1000, 60000), SK_OAB, 0};
	for (int h = 1; h < 24; h += 8) { /* PowerShell probe every eight hours, a few cmdlets */
		int64_t t0 = ds + h * MS_HOUR + rbelow(&dr, (uint32_t)(MS_HOUR - 120000));
		int n = 2 + (int)rbelow(&dr, 2);
		for (int k = 0; k < n; k++)
			sc[ns++] = (Sched){t0 + k * 20000 + rbelow(&dr, 15000), SK_RPS, k};
	}
	if (!weekend && rpm(&dr, 350)) { /* the admin uses the Exchange Management Shell */
		int64_t hh = rrange(&dr, 8, 16);
		sc[ns++] = (Sched){ds + hh * MS_HOUR + rbelow(&dr, (uint32_t)MS_HOUR), SK_RPS_ADMIN, 0};
	}
	qsort(sc, (size_t)ns, sizeof sc[0], sched_cmp);

	int si = 0;
	Req *q = xrealloc(NULL, sizeof *q); /* once per day, not per line */
	for (int h = 0; h < 24; h++) {
		int64_t hs = ds + h * MS_HOUR;
		g->hour_start = hs;
		Rng hr;
		rng_seed(&hr, mix3(g->seed, (uint64_t)(day * 24 + h), 0x4011));
		uint64_t wk = weekend ? 250 : 1000;
		uint64_t jit = 850 + rbelow(&hr, 301);
		/* expected human requests (scaled 1e6) / mean session length = sessions */
		uint64_t nsh = round_count(&hr, g->rate * CURVE[h] * wk * jit / g->mean_sess_milli);
		uint64_t nb = round_count(&hr, g->rate * BG_PERMILLE * 1000 * (900 + rbelow(&hr, 201)) / 1000);
		/* nsh human sessions, then nb one-request background sessions. */
		size_t nsess = 0, n = 0;
		while (nsh || nb) {
			if (nsess + 1 > g->scap) {
				g->scap = g->scap ? g->scap * 2 : 1024;
				g->sess = xrealloc(g->sess, g->scap * sizeof(Sess));
			}
			Sess *se = g->sess + nsess;
			se->seed = rnext(&hr);
			se->bg = nsh == 0;
			unsigned len = 1;
			if (se->bg) {
				nb--;
				se->type = 0;
				se->user = 0;
				se->flag = false;
			} else {
				len = sess_human(g, &hr, se);
				nsh--;
			}
			if (n + len > g->kcap) {
				g->kcap = (n + len) * 2;
				g->keys = xrealloc(g->keys, g->kcap * sizeof *g->keys);
				g->keys2 = xrealloc(g->keys2, g->kcap * sizeof *g->keys2);
			}
			uint64_t off = rbelow(&hr, (uint32_t)MS_HOUR);
			unsigned used = 0;
			for (unsigned j = 0; j < len && off < (uint64_t)MS_HOUR; j++) {
				g->keys[n++] = off << KEY_SHIFT | (uint64_t)nsess << 8 | j;
				used++;
				off += sess_gap(&hr, se);
			}
			se->len = (uint16_t)used;
			nsess++;
		}
		sort_keys(g->keys, g->keys2, n);
		size_t i = 0;
		for (;;) {
			int64_t tb = i < n ? hs + (int64_t)(g->keys[i] >> KEY_SHIFT) : INT64_MAX;
			int64_t tsch = si < ns && sc[si].t < hs + MS_HOUR ? sc[si].t : INT64_MAX;
			if (tb == INT64_MAX && tsch == INT64_MAX)
				break;
			if (tsch <= tb) {
				Sched *s = &sc[si++];
				Rng er;
				rng_seed(&er, mix3(g->seed, (uint64_t)s->t, 0x5c4ed));
				switch (s->kind) {
				case SK_ATTACK:
					emit_step(g, &g->plan.steps[s->arg]);
					break;
				case SK_RESTART:
					restart_iis(g, s->t, s->arg);
					break;
				case SK_OAB:
					oab_run(g, s->t, &er);
					break;
				case SK_RPS:
					rps_event(g, s->t, &er, false, s->arg);
					break;
				default:
					rps_event(g, s->t, &er, true, 0);
					break;
				}
				continue;
			}
			const Sess *se = g->sess + ((g->keys[i] >> 8) & 0xFFFFFFFFULL);
			unsigned seq = (unsigned)(g->keys[i] & 0xFF);
			Rng er;
			rng_seed(&er, mix3(se->seed, seq, 0xE7));
			req_init(g, q, &er, tb);
			if (se->bg)
				gen_background(g, q, &er);
			else
				gen_human(g, q, &er, se, seq);
			emit_req(g, q);
			i++;
		}
		close_hour_files(g);
	}
	free(q);
	out_close(&g->o_iis1);
	out_close(&g->o_iis2);
	out_close(&g->o_ecp);
	out_close(&g->o_oab);
	g->iis1_fields = 0;
}


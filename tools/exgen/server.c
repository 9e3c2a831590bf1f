/*
 * exgen: the simulated server.  Its names and address, the Exchange builds it
 * runs before and after its security update and the strings the logs derive
 * from them (version columns, OWA paths, referers, the machine account); the
 * plan's list of steps and where its page is; and tmpl(), which fills the host's
 * names into the text of an attack line.  The default is the sample server EXCH01.
 */
#include "exgen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void build_set(Build *b, unsigned major, unsigned minor, unsigned cu, unsigned rev)
{
	b->major = major;
	b->minor = minor;
	b->cu = cu;
	b->rev = rev;
	snprintf(b->lng, sizeof b->lng, "%02u.%02u.%04u.%03u", major % 100, minor % 100, cu % 10000, rev % 1000);
	snprintf(b->dotted, sizeof b->dotted, "%u.%u.%u.%u", major % 100, minor % 100, cu % 10000, rev % 1000);
	snprintf(b->s_major, sizeof b->s_major, "%u", major % 100);
	snprintf(b->s_minor, sizeof b->s_minor, "%u", minor % 100);
	snprintf(b->s_cu, sizeof b->s_cu, "%u", cu % 10000);
	snprintf(b->s_rev, sizeof b->s_rev, "%u", rev % 1000);
	snprintf(b->ps_anchor, sizeof b->ps_anchor, "ServerVersion~Version %u.%u (Build %u.%u)", major % 100,
	         minor % 100, cu % 10000, rev % 1000);
	snprintf(b->ps_query, sizeof b->ps_query,
	         "serializationLevel=Full;ExchClientVer=%s;clientApplication=ManagementShell;TargetServer=;"
	         "PSVersion=5.1.17763.1490",
	         b->dotted);
}

/* EXCH01: Exchange 2016 CU19, updated to the March 2021 SU on 2021-03-05 21:40. */
void host_default(Host *h)
{
	memset(h, 0, sizeof *h);
	snprintf(h->name, sizeof h->name, "EXCH01");
	snprintf(h->fqdn, sizeof h->fqdn, HOST_FQDN);
	snprintf(h->pub, sizeof h->pub, HOST_PUB);
	snprintf(h->ip, sizeof h->ip, SRV_IP);
	build_set(&h->b[0], 15, 1, 2176, 2);
	build_set(&h->b[1], 15, 1, 2176, 9);
	h->cu_rev = 2;
	h->product = "Exchange Server 2016";
	h->cu_name = "CU19";
	h->patch_at = ms_at(2021, 3, 5, 21, 40, 0, 0);
	h->cu_time = ms_at(2020, 12, 15, 19, 2, 48, 0);
}

/* The strings derived from the names. */
void host_finish(Host *h)
{
	snprintf(h->machine, sizeof h->machine, "CONTOSO\\%s$", h->name);
	snprintf(h->logon_q, sizeof h->logon_q, "url=https%%3a%%2f%%2f%s%%2fowa%%2f&reason=0", h->pub);
	snprintf(h->ref_logon, sizeof h->ref_logon, "https://%s/owa/auth/logon.aspx?%s", h->pub, h->logon_q);
	snprintf(h->ref_owa, sizeof h->ref_owa, "https://%s/owa/", h->pub);
	snprintf(h->ref_ecp, sizeof h->ref_ecp, "https://%s/ecp/", h->pub);
	snprintf(h->ref_rules, sizeof h->ref_rules, "https://%s/ecp/?rfr=owa&p=customize/rules.slab", h->pub);
	h->s_name = sz(h->name);
	h->s_fqdn = sz(h->fqdn);
	h->s_pub = sz(h->pub);
	h->s_ip = sz(h->ip);
	h->s_machine = sz(h->machine);
	h->s_logon_q = sz(h->logon_q);
	h->s_ref_logon = sz(h->ref_logon);
	h->s_ref_owa = sz(h->ref_owa);
	h->s_ref_ecp = sz(h->ref_ecp);
	h->s_ref_rules = sz(h->ref_rules);
}

void plan_add(Plan *p, int64_t t, int camp, int idx, int actor, int arg)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->steps = xrealloc(p->steps, p->cap * sizeof *p->steps);
	}
	p->steps[p->n++] = (Step){t, (uint8_t)camp, (uint8_t)idx, (uint8_t)actor, (uint8_t)arg};
}

static int step_cmp(const void *a, const void *b)
{
	const Step *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->camp != y->camp)
		return x->camp - y->camp;
	if (x->arg != y->arg)
		return x->arg - y->arg;
	return x->idx - y->idx;
}

/* Time order (a total order: qsort need not be stable). */
void plan_sort(Plan *p)
{
	if (p->n > 1)
		qsort(p->steps, p->n, sizeof *p->steps, step_cmp);
}

/* The logical path and the URL of the page a later campaign wrote (Plan.shell). */
void shell_path(const Gen *g, char *path, size_t pcap, char *url, size_t ucap)
{
	static const char *const dirs[] = {"C/inetpub/wwwroot/aspnet_client/", "C/inetpub/wwwroot/aspnet_client/system_web/",
	                                   XROOT "FrontEnd/HttpProxy/owa/auth/"};
	static const char *const urls[] = {"/aspnet_client/", "/aspnet_client/system_web/", "/owa/auth/"};
	int d = g->plan.shell_dir % 3;
	snprintf(path, pcap, "%s%s", dirs[d], g->plan.shell);
	snprintf(url, ucap, "%s%s", urls[d], g->plan.shell);
}

/* Text with the host's names filled in: {S1} {S2} {P1} {P2} (ProxyLogon shells and
 * their keys), {SH} {SHPW} (a later campaign's page and key), {AT} (the "@x.com" of
 * the Autodiscover path confusion), {CAT} (X-Rps-CAT), {SUBJ}, {NAME}, {FQDN}, {ADV}
 * (AdminDisplayVersion), {VSAM} {VUPN} (the victim user), {WHEN} (the OAB dump's
 * WhenChanged).  Cut at cap. */
Str tmpl(const Gen *g, char *dst, size_t cap, const char *t)
{
	size_t n = 0;
	const Plan *p = &g->plan;
	const User *v = &g->users[p->victim % NUSERS];
	char adv[32];
	snprintf(adv, sizeof adv, "%u.%u (Build %u.%u)", g->h.b[0].major, g->h.b[0].minor, g->h.b[0].cu, g->h.cu_rev);
	while (*t && n + 1 < cap) {
		const char *rep = NULL;
		size_t skip = 0;
		if (*t == '{') {
			static const char *const keys[] = {"{S1}", "{S2}", "{P1}", "{P2}", "{SHPW}", "{SH}", "{AT}", "{CAT}",
			                                   "{SUBJ}", "{NAME}", "{FQDN}", "{ADV}", "{VSAM}", "{VUPN}", "{WHEN}"};
			const char *vals[] = {p->sh1, p->sh2, p->pw1, p->pw2, p->shell_pw, p->shell, p->atdom, p->cat,
			                      p->subject, g->h.name, g->h.fqdn, adv, v->sam, v->upn, p->when};
			for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
				size_t kl = strlen(keys[k]);
				if (!strncmp(t, keys[k], kl)) {
					rep = vals[k];
					skip = kl;
					break;
				}
			}
		}
		if (rep) {
			for (; *rep && n + 1 < cap; rep++)
				dst[n++] = *rep;
			t += skip;
		} else {
			dst[n++] = *t++;
		}
	}
	dst[n] = 0;
	return (Str){dst, n};
}

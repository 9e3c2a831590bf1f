/*
 * Windows events and Sigma: the logsource table against SigmaHQ's own mapping
 * (tests/thor.yml), and rule semantics on hand-made event records (multi-valued Data,
 * empty values as null, 4688 field renames, selection by channel or provider, EventID).
 * The decoder itself is checked on real files by tests/cli/test_evtx.sh and fuzzed by
 * fuzz/fuzz_evtx.c.
 */
#include "check.h"
#include "readers/evtx_decode.h"
#include "detect/sigma.h"
#include "detect/yaml_tree.h"

#include <stdio.h>
#include <stdlib.h>

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)len + 1)) && fread(buf, 1, (size_t)len, f) == (size_t)len) {
		buf[len] = '\0';
		*n = (size_t)len;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static const char *scalar(const struct xh_ynode *n)
{
	return n && n->kind == XH_Y_SCALAR ? n->str : "";
}

/* Every thor.yml Windows entry has a row here with the same EventIDs, condition and
 * renames; every service it names is known. */
static void check_thor(void)
{
	const char *shared = getenv("XH_SHARED");
	char path[1024];
	struct xh_ynode **docs = NULL;
	size_t nd = 0, len = 0, entries = 0;
	char msg[200];
	char *text;
	const struct xh_ynode *ls;

	if (!shared) {
		puts("note: XH_SHARED not set, thor.yml not compared");
		return;
	}
	snprintf(path, sizeof path, "%s/data/sigma/tests/thor.yml", shared);
	text = slurp(path, &len);
	if (!text) {
		printf("note: %s absent, not compared\n", path);
		return;
	}
	CHECK(xh_yaml_parse(text, len, &docs, &nd, msg, sizeof msg) == XH_OK);
	ls = nd ? xh_ymap_get(docs[0], "logsources") : NULL;
	CHECK(ls && ls->kind == XH_Y_MAP);
	for (size_t i = 0; ls && i + 1 < ls->n; i += 2) {
		const struct xh_ynode *e = ls->items[i + 1], *cond = xh_ymap_get(e, "conditions"),
		                      *fm = xh_ymap_get(e, "fieldmappings"), *eid = xh_ymap_get(cond, "EventID");
		const char *cat = scalar(xh_ymap_get(e, "category")), *prod = scalar(xh_ymap_get(e, "product")),
		           *svc = scalar(xh_ymap_get(e, "service"));
		const struct xh_winsource *ws[XH_MAX_WINSOURCE_VARIANTS];
		size_t n;
		bool found = false;

		if (strcmp(prod, "windows") != 0 && strcmp(cat, "antivirus") != 0)
			continue;
		entries++;
		n = xh_winsource_find(cat, svc, ws, XH_MAX_WINSOURCE_VARIANTS);
		if (n == 0)
			printf("thor.yml entry %s: not mapped\n", scalar(ls->items[i]));
		CHECK(n > 0);
		if (!cat[0])
			continue;
		for (size_t k = 0; k < n && !found; k++) {
			bool ok = true;
			/* EventIDs: one scalar or a list, all present in the row in order */
			if (eid) {
				size_t m = eid->kind == XH_Y_SEQ ? eid->n : 1;
				for (size_t j = 0; j < m && ok; j++) {
					const struct xh_ynode *v = eid->kind == XH_Y_SEQ ? eid->items[j] : eid;
					ok = ws[k]->eids && ws[k]->eids[j] == strtol(scalar(v), NULL, 10);
				}
				ok = ok && ws[k]->eids[m] == -1;
			}
			if (ok && xh_ymap_get(cond, "EventType"))
				ok = ws[k]->cond_field && strcmp(ws[k]->cond_value, scalar(xh_ymap_get(cond, "EventType"))) == 0;
			for (size_t j = 0; ok && fm && j + 1 < fm->n; j += 2)
				ok = strcmp(xh_winsource_rename(ws[k], scalar(fm->items[j])), scalar(fm->items[j + 1])) == 0;
			found = ok;
		}
		if (!found)
			printf("thor.yml entry %s: EventIDs, condition or renames differ\n", scalar(ls->items[i]));
		CHECK(found);
	}
	CHECK(entries > 50);
	xh_ydocs_free(docs, nd);
	free(text);
}

/* ---- rules on hand-made events ---------------------------------------------------------- */

struct ev {
	struct xh_record r;
	struct xh_sv n[16], v[16];
	char raw[1024];
};

/* An event from "Name=value" pairs (NULL-terminated); System values also go to the
 * record's selection fields. */
static void mkev(struct ev *e, const char *const *kv)
{
	size_t k = 0, rl = 0;

	memset(e, 0, sizeof *e);
	e->r.source = xh_source_find("evtx");
	e->r.path = "t.evtx";
	e->r.time_ms = XH_TIME_NONE;
	e->r.event_id = -1;
	for (; kv[k]; k++) {
		const char *eq = strchr(kv[k], '=');
		e->n[k] = xh_sv_make(kv[k], (size_t)(eq - kv[k]));
		e->v[k] = xh_sv_make(eq + 1, strlen(eq + 1));
		if (xh_sv_ieq(e->n[k], "EventID"))
			e->r.event_id = strtol(eq + 1, NULL, 10);
		else if (xh_sv_ieq(e->n[k], "Channel"))
			e->r.channel = e->v[k];
		else if (xh_sv_ieq(e->n[k], "Provider_Name"))
			e->r.provider = e->v[k];
		rl += (size_t)snprintf(e->raw + rl, sizeof e->raw - rl, "%s; ", kv[k]);
	}
	e->r.xnames = e->n;
	e->r.xvalues = e->v;
	e->r.nx = k;
	e->r.raw = xh_sv_make(e->raw, rl);
}

static struct xh_rules *load(const char *logsource, const char *detection)
{
	char text[2048];
	struct xh_rules *rs = NULL;

	snprintf(text, sizeof text, "title: t\nid: 0b7f0a4e-7a39-4d0a-9d7b-3d9a1c1e0001\nlogsource:\n%sdetection:\n%s",
	         logsource, detection);
	if (xh_rules_new(&rs) || xh_rules_load_text(rs, "t.yml", text, strlen(text), NULL, NULL) ||
	    xh_rules_count(rs) == 0) {
		xh_rules_free(rs);
		return NULL;
	}
	return rs;
}

/* Does any compiled variant of the rule match, with its logsource selection? */
static bool hits(const struct xh_rules *rs, const struct xh_record *r)
{
	struct xh_eval_scratch es;
	bool hit = false;

	if (xh_eval_scratch_init(&es))
		return false;
	for (size_t i = 0; i < xh_rules_count(rs) && !hit; i++) {
		const struct xh_rule *ru = xh_rules_at(rs, i);
		hit = (!ru->win || xh_winsource_match(ru->win, r)) && xh_rule_eval(ru, r, &es);
	}
	xh_eval_scratch_free(&es);
	return hit;
}

static void check_rules(void)
{
	struct ev e;
	struct xh_rules *rs;

	/* msexchange-management: by channel or by provider; unnamed Data match if any does */
	rs = load("  product: windows\n  service: msexchange-management\n",
	          "  s:\n    Data|contains: 'Set-OabVirtualDirectory'\n  condition: s\n");
	CHECK(rs != NULL);
	mkev(&e, (const char *const[]){"EventID=1", "Channel=MSExchange Management", "Provider_Name=MSExchange CmdletLogs",
	                                "Data=x", "Data=Set-OabVirtualDirectory", NULL});
	CHECK(hits(rs, &e.r));
	mkev(&e, (const char *const[]){"EventID=1", "Channel=ForwardedEvents", "Provider_Name=MSExchange CmdletLogs",
	                                "Data=Set-OabVirtualDirectory", NULL});
	CHECK(hits(rs, &e.r));
	mkev(&e, (const char *const[]){"EventID=1", "Channel=Application", "Provider_Name=Other",
	                                "Data=Set-OabVirtualDirectory", NULL});
	CHECK(!hits(rs, &e.r));
	xh_rules_free(rs);

	/* process_creation on 4688: Image reads NewProcessName; Sysmon 1 reads Image */
	rs = load("  product: windows\n  category: process_creation\n",
	          "  s:\n    Image|endswith: '\\cmd.exe'\n    ParentImage|endswith: '\\w3wp.exe'\n  condition: s\n");
	CHECK(rs != NULL);
	mkev(&e, (const char *const[]){"EventID=4688", "Channel=Security", "NewProcessName=C:\\Windows\\System32\\cmd.exe",
	                                "ParentProcessName=C:\\Windows\\System32\\inetsrv\\w3wp.exe", NULL});
	CHECK(hits(rs, &e.r));
	mkev(&e, (const char *const[]){"EventID=1", "Channel=Microsoft-Windows-Sysmon/Operational",
	                                "Image=C:\\Windows\\System32\\cmd.exe",
	                                "ParentImage=C:\\Windows\\System32\\inetsrv\\w3wp.exe", NULL});
	CHECK(hits(rs, &e.r));
	/* the right fields on the wrong event: no match */
	mkev(&e, (const char *const[]){"EventID=3", "Channel=Microsoft-Windows-Sysmon/Operational",
	                                "Image=C:\\Windows\\System32\\cmd.exe",
	                                "ParentImage=C:\\Windows\\System32\\inetsrv\\w3wp.exe", NULL});
	CHECK(!hits(rs, &e.r));
	xh_rules_free(rs);

	/* an empty value counts as null; keywords search every value */
	rs = load("  product: windows\n  service: security\n",
	          "  s:\n    TargetUserName: null\n  k:\n    - 'mimikatz'\n  condition: s and k\n");
	CHECK(rs != NULL);
	mkev(&e, (const char *const[]){"EventID=4688", "Channel=Security", "TargetUserName=", "CommandLine=x mimikatz y", NULL});
	CHECK(hits(rs, &e.r));
	mkev(&e, (const char *const[]){"EventID=4688", "Channel=Security", "TargetUserName=bob", "CommandLine=x mimikatz y", NULL});
	CHECK(!hits(rs, &e.r));
	xh_rules_free(rs);

	/* antivirus: Defender event ids, Signature -> ThreatName */
	rs = load("  category: antivirus\n", "  s:\n    Signature|contains: 'Chopper'\n  condition: s\n");
	CHECK(rs != NULL);
	mkev(&e, (const char *const[]){"EventID=1116", "Channel=Microsoft-Windows-Windows Defender/Operational",
	                                "ThreatName=Backdoor:MSIL/Chopper.F!dha", NULL});
	CHECK(hits(rs, &e.r));
	mkev(&e, (const char *const[]){"EventID=5001", "Channel=Microsoft-Windows-Windows Defender/Operational",
	                                "ThreatName=Backdoor:MSIL/Chopper.F!dha", NULL});
	CHECK(!hits(rs, &e.r));
	xh_rules_free(rs);

	/* an unknown Windows category is rejected, not loaded to match nothing */
	CHECK(load("  product: windows\n  category: no_such_thing\n", "  s:\n    a: b\n  condition: s\n") == NULL);
}

static void check_header(void)
{
	unsigned char h[4096];
	struct xh_evtx_file_info fi;
	uint32_t crc;

	memset(h, 0, sizeof h);
	memcpy(h, "ElfFile", 8);
	h[32] = 128;
	h[36] = 1;
	h[38] = 3;
	h[42] = 5;
	crc = xh_crc32(0, h, 120);
	memcpy(h + 124, &crc, 4);
	CHECK(xh_evtx_file_header(h, sizeof h, &fi) == NULL);
	CHECK(fi.crc_ok && fi.major == 3 && fi.minor == 1 && fi.chunks == 5);
	h[42] = 6;
	CHECK(xh_evtx_file_header(h, sizeof h, &fi) == NULL && !fi.crc_ok);
	CHECK(xh_evtx_file_header(h, 100, &fi) != NULL);
	/* the CRC-32 check value */
	CHECK(xh_crc32(0, (const unsigned char *)"123456789", 9) == 0xCBF43926u);
}

int main(void)
{
	check_header();
	check_rules();
	check_thor();
	return check_done();
}

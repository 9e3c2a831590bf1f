/*
 * Activities: one request seen in several logs is one activity. A request through
 * Exchange leaves a line in the front end's IIS log, one in the back end's (the front end
 * relays it on port 444), one in HttpProxy and often one in ECP; each is a finding of its
 * own record, and all carry the id of the one activity. Linked by the id Exchange stamps
 * on each, example lines:
 *   IIS:       "POST /ecp/y.js &CorrelationID=<empty>;&cafeReqId=f38adfac-877f-...;"
 *   HttpProxy: "2021-03-03T06:49:42.162Z,f38adfac-877f-4671-b6cc-807f47b33b6c,15,1,..."
 *   ECP:       "...;S:REQID=f38adfac-...;S:URL=..."
 * else by the same client and page within XH_ACTIVITY_WINDOW_MS.
 */
#include "judge/judge.h"

#include <strings.h>

/* The request id a finding's record carries, into out (NUL-terminated); false if none. */
static bool request_id(const struct xh_finding *f, char *out, size_t cap)
{
	const char *p = f->excerpt.p, *end = p ? p + f->excerpt.n : NULL, *s = NULL;
	size_t n = 0;

	if (!p || !f->source)
		return false;
	if (strcmp(f->source, "iis") == 0 || strcmp(f->source, "httperr") == 0 || strcmp(f->source, "ecp_server") == 0) {
		static const char *const keys[] = {"cafeReqId=", "S:REQID="};
		for (size_t k = 0; k < XH_ARRAY_LEN(keys) && !s; k++) {
			size_t kl = strlen(keys[k]);
			for (const char *q = p; q + kl <= end; q++)
				if (strncasecmp(q, keys[k], kl) == 0) {
					s = q + kl;
					break;
				}
		}
		if (s)
			while (s + n < end && s[n] != ';' && s[n] != '&' && s[n] != ' ' && s[n] != '\'' && s[n] != '"')
				n++;
	} else if (strcmp(f->source, "httpproxy") == 0) {
		/* the second column: #Fields of HttpProxy start DateTime,RequestId */
		const char *c = memchr(p, ',', f->excerpt.n);
		if (c) {
			s = c + 1;
			while (s + n < end && s[n] != ',')
				n++;
		}
	}
	if (!s || n < 8 || n >= cap) /* request ids are GUIDs: a shorter value is no id */
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

static const char *field_of(const struct xh_finding *f, const char *a, const char *b)
{
	for (size_t i = 0; i < f->nfields; i++)
		if ((strcasecmp(f->fields[i].name, a) == 0 || strcasecmp(f->fields[i].name, b) == 0) && f->fields[i].value.p)
			return f->fields[i].name;
	return NULL;
}

/* Whether two findings of one host are the same request without an id: one client, one
 * page, within the window. */
static bool same_request(const struct xh_finding *a, const struct xh_finding *b)
{
	struct xh_sv pa = {NULL, 0}, pb = {NULL, 0};
	const char *na = field_of(a, "cs-uri-stem", "UrlStem"), *nb = field_of(b, "cs-uri-stem", "UrlStem");

	if (!a->client || !b->client || strcmp(a->client, b->client) != 0 || !na || !nb ||
	    a->time_ms == XH_TIME_NONE || b->time_ms == XH_TIME_NONE ||
	    (b->time_ms > a->time_ms ? b->time_ms - a->time_ms : a->time_ms - b->time_ms) > XH_ACTIVITY_WINDOW_MS)
		return false;
	for (size_t i = 0; i < a->nfields; i++)
		if (strcmp(a->fields[i].name, na) == 0)
			pa = a->fields[i].value;
	for (size_t i = 0; i < b->nfields; i++)
		if (strcmp(b->fields[i].name, nb) == 0)
			pb = b->fields[i].value;
	return pa.p && pb.p && pa.n == pb.n && strncasecmp(pa.p, pb.p, pa.n) == 0;
}

xh_status xh_judge_activities(struct xh_flist *l, uint64_t *next)
{
	/* ids seen so far, with their activity: an open-addressing table sized for the list */
	size_t cap = 16;
	struct slot {
		uint64_t hash, activity;
		size_t finding;
	} *t;

	while (cap < l->n * 2 + 2)
		cap *= 2;
	t = xh_calloc(cap, sizeof *t);
	if (!t)
		return XH_ENOMEM;
	for (size_t i = 0; i < l->n; i++) {
		struct xh_finding *f = l->f[i];
		char id[XH_MAX_REQUEST_ID + 1];
		if (xh_finding_is_file(f) || xh_finding_is_build(f))
			continue;
		if (request_id(f, id, sizeof id)) {
			uint64_t h = 1469598103934665603ull;
			size_t k;
			for (const char *c = id; *c; c++)
				h = (h ^ (unsigned char)(*c | 0x20)) * 1099511628211ull;
			for (k = (size_t)h & (cap - 1); t[k].activity; k = (k + 1) & (cap - 1)) {
				char other[XH_MAX_REQUEST_ID + 1];
				if (t[k].hash == h && request_id(l->f[t[k].finding], other, sizeof other) && strcasecmp(other, id) == 0)
					break;
			}
			if (!t[k].activity) {
				t[k] = (struct slot){h, 0, i};
				/* the first finding of the id: an earlier id-less record of the same
				 * request (HttpProxy before its IIS line) joins it below */
			}
			if (!t[k].activity)
				t[k].activity = f->activity ? f->activity : ++*next;
			f->activity = t[k].activity;
		}
		/* id-less records (and a first id) join a neighbour of the same request: the
		 * list is in time order, so the window is a few findings back */
		for (size_t j = i; j-- > 0 && !f->activity;) {
			const struct xh_finding *g = l->f[j];
			if (g->time_ms != XH_TIME_NONE && f->time_ms != XH_TIME_NONE && f->time_ms - g->time_ms > XH_ACTIVITY_WINDOW_MS)
				break;
			if (g->activity && same_request(g, f))
				f->activity = g->activity;
		}
	}
	xh_free(t);
	return XH_OK;
}

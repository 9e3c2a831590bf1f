/*
 * libyaml event stream -> bounded node trees (see yaml_tree.h). A Sigma rule file:
 *
 *   title: Exchange ProxyLogon SSRF
 *   detection:
 *     selection:
 *       cs-uri-query|contains: '/ecp/y.js'
 *     condition: selection
 *   ---
 *   title: a second document in the same file
 *
 * Anchors and aliases are not needed by Sigma and are refused (they allow "billion
 * laughs" expansion).
 */
#include "detect/yaml_tree.h"

#include <stdio.h>
#include <strings.h>
#include <yaml.h>

struct ybuild {
	yaml_parser_t p;
	size_t nodes;
	char *msg;
	size_t msgcap;
};

static void ynode_free(struct xh_ynode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		ynode_free(n->items[i]);
	xh_free(n->items);
	xh_free(n->str);
	xh_free(n);
}

void xh_ydocs_free(struct xh_ynode **docs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ynode_free(docs[i]);
	xh_free(docs);
}

static xh_status fail(struct ybuild *b, size_t line, const char *what)
{
	snprintf(b->msg, b->msgcap, "line %zu: %s", line, what);
	return XH_EFORMAT;
}

static xh_status push(struct xh_ynode *parent, struct xh_ynode *child)
{
	struct xh_ynode **ni;

	if ((parent->n & (parent->n - 1)) == 0 || parent->n == 0) {
		size_t cap = parent->n ? parent->n * 2 : 4;
		ni = xh_realloc(parent->items, cap * sizeof *ni);
		if (!ni)
			return XH_ENOMEM;
		parent->items = ni;
	}
	parent->items[parent->n++] = child;
	return XH_OK;
}

/* Builds the node that starts with event ev (already taken). */
static xh_status build(struct ybuild *b, yaml_event_t *ev, unsigned depth, struct xh_ynode **out)
{
	struct xh_ynode *n;
	xh_status st = XH_OK;
	size_t line = ev->start_mark.line + 1;

	*out = NULL;
	if (depth > XH_MAX_YAML_DEPTH)
		return fail(b, line, "nested deeper than the limit");
	if (++b->nodes > XH_MAX_YAML_NODES)
		return fail(b, line, "more nodes than the limit");
	if (ev->type == YAML_ALIAS_EVENT)
		return fail(b, line, "YAML aliases are not allowed in rules");
	n = xh_calloc(1, sizeof *n);
	if (!n)
		return XH_ENOMEM;
	n->line = line;
	if (ev->type == YAML_SCALAR_EVENT) {
		if (ev->data.scalar.anchor)
			st = fail(b, line, "YAML anchors are not allowed in rules");
		else if (ev->data.scalar.length > XH_MAX_YAML_SCALAR)
			st = fail(b, line, "value longer than the limit");
		if (st) {
			xh_free(n);
			return st;
		}
		n->kind = XH_Y_SCALAR;
		n->len = ev->data.scalar.length;
		n->str = xh_strndup((const char *)ev->data.scalar.value, n->len);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if (!n->str) {
			xh_free(n);
			return XH_ENOMEM;
		}
		*out = n;
		return XH_OK;
	}
	if (ev->type != YAML_SEQUENCE_START_EVENT && ev->type != YAML_MAPPING_START_EVENT) {
		xh_free(n);
		return fail(b, line, "unexpected YAML event");
	}
	n->kind = ev->type == YAML_SEQUENCE_START_EVENT ? XH_Y_SEQ : XH_Y_MAP;
	for (;;) {
		yaml_event_t e;
		struct xh_ynode *child;

		if (!yaml_parser_parse(&b->p, &e)) {
			st = fail(b, b->p.problem_mark.line + 1, b->p.problem ? b->p.problem : "YAML syntax error");
			break;
		}
		if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&e);
			break;
		}
		st = build(b, &e, depth + 1, &child);
		yaml_event_delete(&e);
		if (!st)
			st = push(n, child);
		if (st) {
			ynode_free(child);
			break;
		}
	}
	if (!st && n->kind == XH_Y_MAP && (n->n % 2) != 0)
		st = fail(b, line, "mapping with a key and no value");
	if (st) {
		ynode_free(n);
		return st;
	}
	*out = n;
	return XH_OK;
}

xh_status xh_yaml_parse(const char *text, size_t len, struct xh_ynode ***docs, size_t *ndocs, char *msg,
                        size_t msgcap)
{
	struct ybuild b;
	struct xh_ynode **d = NULL;
	size_t n = 0;
	xh_status st = XH_OK;

	*docs = NULL;
	*ndocs = 0;
	memset(&b, 0, sizeof b);
	b.msg = msg;
	b.msgcap = msgcap;
	msg[0] = '\0';
	if (!yaml_parser_initialize(&b.p))
		return XH_ENOMEM;
	yaml_parser_set_input_string(&b.p, (const unsigned char *)text, len);
	for (;;) {
		yaml_event_t e;
		if (!yaml_parser_parse(&b.p, &e)) {
			st = fail(&b, b.p.problem_mark.line + 1, b.p.problem ? b.p.problem : "YAML syntax error");
			break;
		}
		if (e.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&e);
			break;
		}
		if (e.type == YAML_SEQUENCE_START_EVENT || e.type == YAML_MAPPING_START_EVENT ||
		    e.type == YAML_SCALAR_EVENT || e.type == YAML_ALIAS_EVENT) {
			struct xh_ynode *root, **nd;
			if (n == XH_MAX_YAML_DOCS) {
				yaml_event_delete(&e);
				st = fail(&b, e.start_mark.line + 1, "more documents than the limit");
				break;
			}
			st = build(&b, &e, 0, &root);
			yaml_event_delete(&e);
			if (st)
				break;
			nd = xh_realloc(d, (n + 1) * sizeof *nd);
			if (!nd) {
				ynode_free(root);
				st = XH_ENOMEM;
				break;
			}
			d = nd;
			d[n++] = root;
			continue;
		}
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&b.p);
	if (st) {
		xh_ydocs_free(d, n);
		return st;
	}
	*docs = d;
	*ndocs = n;
	return XH_OK;
}

const struct xh_ynode *xh_ymap_get(const struct xh_ynode *map, const char *key)
{
	if (!map || map->kind != XH_Y_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (map->items[i]->kind == XH_Y_SCALAR && strcmp(map->items[i]->str, key) == 0)
			return map->items[i + 1];
	return NULL;
}

bool xh_yis_null(const struct xh_ynode *n)
{
	return n && n->kind == XH_Y_SCALAR && n->plain &&
	       (n->len == 0 || strcmp(n->str, "~") == 0 || strcasecmp(n->str, "null") == 0);
}

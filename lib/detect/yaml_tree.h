/*
 * A small bounded YAML document tree (scalars, sequences, mappings) built with libyaml,
 * for the Sigma rule compiler. Rules are hostile input too: depth, node count and
 * scalar size are limited (common/limits.h).
 */
#ifndef XH_YAML_TREE_H
#define XH_YAML_TREE_H

#include "common/base.h"

enum xh_ynode_kind { XH_Y_SCALAR, XH_Y_SEQ, XH_Y_MAP };

struct xh_ynode {
	enum xh_ynode_kind kind;
	char *str;               /* scalar text (NUL-terminated), NULL otherwise */
	size_t len;
	bool plain;              /* an unquoted scalar (so "null" means null) */
	struct xh_ynode **items; /* seq: items; map: key, value, key, value ... */
	size_t n;                /* items (seq) or 2 x pairs (map) */
	size_t line;             /* 1-based source line */
};

/* Parses every document of a YAML text; *docs receives n trees. On error returns
 * XH_EFORMAT with msg set (line included). Free with xh_ydocs_free. */
XH_HIDDEN xh_status xh_yaml_parse(const char *text, size_t len, struct xh_ynode ***docs, size_t *n,
                                  char *msg, size_t msgcap);
XH_HIDDEN void xh_ydocs_free(struct xh_ynode **docs, size_t n);

/* Map lookup by key (exact); NULL when absent or not a map. */
XH_HIDDEN const struct xh_ynode *xh_ymap_get(const struct xh_ynode *map, const char *key);
/* True for a plain "null", "~" or empty plain scalar. */
XH_HIDDEN bool xh_yis_null(const struct xh_ynode *n);

#endif

/*
 * The walker's entry table: every file of the evidence, with what kept it from being
 * read. Grows by doubling up to XH_MAX_ENTRIES.
 */
#define _GNU_SOURCE
#include "evidence/entries.h"

#include <fcntl.h>

struct xh_entry *xh_vfs_add_entry(struct xh_vfs *v, const char *path, size_t len)
{
	struct xh_entry *e;

	if (v->n == XH_MAX_ENTRIES)
		return NULL;
	if (v->n == v->cap) {
		size_t ncap = v->cap ? v->cap * 2 : 256;
		struct xh_entry *ne = xh_realloc(v->e, ncap * sizeof *ne);
		if (!ne)
			return NULL;
		v->e = ne;
		v->cap = ncap;
	}
	e = &v->e[v->n];
	memset(e, 0, sizeof *e);
	e->path = xh_strndup(path, len);
	if (!e->path)
		return NULL;
	v->n++;
	return e;
}

/* Records a path the walk could not take, with why; XH_ENOMEM if even that fails. */
xh_status xh_vfs_add_problem(struct xh_vfs *v, uint32_t root, const char *path, size_t len,
                             const char *why)
{
	struct xh_entry *e = xh_vfs_add_entry(v, path ? path : "", path ? len : 0);

	if (!e)
		return XH_ENOMEM;
	e->root = root;
	e->skip = why;
	e->unreadable = true;
	return XH_OK;
}

int xh_open_dir_at(int dfd, const char *name)
{
	return openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

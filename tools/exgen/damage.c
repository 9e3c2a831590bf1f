/*
 * exgen: a damaged log for the fleet's corrupt scenario, after it was written.
 * Either a blob of binary bytes (NULs and all) spliced in between two lines of a
 * W3C log, as a crashed write or a bad disk sector leaves, or the log gzip-
 * compressed (stored deflate blocks, CRC-32 of its own: libc only) and cut short
 * in the middle of a block, as an interrupted copy of a compressed log leaves.
 * The record keeps its data-line count; Expect says where the damage begins and
 * how many data lines come before it.
 */
#include "exgen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
	}
	return ~c;
}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die_io("cannot open", path);
	size_t cap = 1 << 16, len = 0;
	unsigned char *b = xrealloc(NULL, cap);
	for (;;) {
		if (len == cap)
			b = xrealloc(b, cap *= 2);
		size_t k = fread(b + len, 1, cap - len, f);
		len += k;
		if (k == 0)
			break;
	}
	if (ferror(f))
		die_io("read error on", path);
	fclose(f);
	*n = len;
	return b;
}

/* Data lines (not '#') that end at or before byte `end` of a log text. */
static uint64_t data_lines_before(const unsigned char *b, size_t end)
{
	uint64_t n = 0;
	size_t start = 0;
	for (size_t i = 0; i < end; i++) {
		if (b[i] != '\n')
			continue;
		if (b[start] != '#')
			n++;
		start = i + 1;
	}
	return n;
}

void damage_file(Gen *g, int rec, bool gzip_member)
{
	FileRec *r = &g->recs[rec];
	char full[4096];
	full_path(g, full, sizeof full, r->path);
	size_t n;
	unsigned char *b = slurp(full, &n);
	Expect *x = &g->exp;
	Rng rng;
	rng_seed(&rng, mix3(g->seed, 0xDA3A6E, (uint64_t)rec));
	if (!gzip_member) {
		/* the start of a line near the middle */
		size_t at = n / 2;
		while (at < n && b[at - 1] != '\n')
			at++;
		size_t k = 200 + rbelow(&rng, 300);
		unsigned char *o = xrealloc(NULL, n + k);
		memcpy(o, b, at);
		for (size_t i = 0; i < k; i++)
			o[at + i] = (unsigned char)(i % 7 == 0 ? 0 : rnext(&rng));
		memcpy(o + at + k, b + at, n - at);
		put_file(full, o, n + k);
		free(o);
		x->damage = "binary-blob";
		x->damage_at = at;
		x->intact_lines = data_lines_before(b, at);
		g->kbytes[r->kind] += k;
		r->bytes += k;
	} else {
		/* gzip: header, stored blocks of 16 KiB, CRC-32 and size; cut at 55% */
		size_t cap = n + n / 1000 + 64, len = 0;
		unsigned char *o = xrealloc(NULL, cap + 5 * (n / 16384 + 2));
		static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0};
		memcpy(o, hdr, 10);
		len = 10;
		size_t raw_at_cut = 0;
		for (size_t off = 0; off < n || n == 0;) {
			size_t k = n - off < 16384 ? n - off : 16384;
			bool last = off + k >= n;
			o[len++] = last ? 1 : 0;
			o[len++] = (unsigned char)(k & 0xFF);
			o[len++] = (unsigned char)(k >> 8);
			o[len++] = (unsigned char)(~k & 0xFF);
			o[len++] = (unsigned char)((~k >> 8) & 0xFF);
			memcpy(o + len, b + off, k);
			len += k;
			off += k;
			if (last)
				break;
		}
		uint32_t crc = crc32_of(b, n);
		for (int i = 0; i < 4; i++)
			o[len++] = (unsigned char)(crc >> (8 * i));
		for (int i = 0; i < 4; i++)
			o[len++] = (unsigned char)((uint32_t)n >> (8 * i));
		size_t cut = len * 55 / 100;
		/* the raw bytes before the cut: block payloads wholly or partly in it */
		size_t pos = 10;
		for (size_t off = 0; off < n && pos < cut;) {
			size_t k = n - off < 16384 ? n - off : 16384;
			size_t have = cut > pos + 5 ? cut - pos - 5 : 0;
			raw_at_cut = off + (have < k ? have : k);
			pos += 5 + k;
			off += k;
		}
		char gz[4200];
		snprintf(gz, sizeof gz, "%s.gz", full);
		put_file(gz, o, cut);
		if (remove(full) != 0)
			die_io("cannot remove", full);
		g->kbytes[r->kind] += cut;
		g->kbytes[r->kind] -= r->bytes;
		r->bytes = cut;
		size_t pl = strlen(r->path);
		char *np = xrealloc(NULL, pl + 4);
		memcpy(np, r->path, pl);
		memcpy(np + pl, ".gz", 4);
		free(r->path);
		r->path = np;
		x->damage = "truncated-gzip";
		x->damage_at = cut;
		x->intact_lines = data_lines_before(b, raw_at_cut);
		free(o);
	}
	snprintf(x->corrupt, sizeof x->corrupt, "%s", r->path);
	x->corrupt_rec = rec;
	free(b);
}

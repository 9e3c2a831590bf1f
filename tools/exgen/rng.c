/*
 * exgen: seeding of the PRNG (xoshiro256** through splitmix64) and mix3, which
 * derives the seed of a day, an hour, a session or an event from the --seed.
 * Drawing numbers (rnext, rbelow, ...) is inline in exgen.h.
 */
#include "exgen.h"

static inline uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
uint64_t mix3(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t x = a ^ (b * 0x9e3779b97f4a7c15ULL);
	uint64_t h = splitmix64(&x);
	x = h ^ (c * 0xc2b2ae3d27d4eb4fULL);
	return splitmix64(&x);
}
void rng_seed(Rng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

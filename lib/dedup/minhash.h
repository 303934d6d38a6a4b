/*
 * MinHash signatures: for each of nperm hash functions, the least hash
 * over a shingle set (dedup/shingle.h).  The share of equal entries of two
 * signatures estimates the Jaccard similarity of their sets.  The hash
 * functions are fixed, so signatures compare across runs and machines.
 */
#ifndef LP_DEDUP_MINHASH_H
#define LP_DEDUP_MINHASH_H

#include <stddef.h>
#include <stdint.h>

/* The most permutations a signature can have. */
#define LP_MINHASH_MAX_PERMS 1024

/*
 * sig[0..nperm) of the shingle hashes set[0..n) (repeats and order do not
 * matter; nperm at most LP_MINHASH_MAX_PERMS): 32-bit minima, which halves
 * memory traffic and lets the loop run in vector registers.
 */
void lp_minhash(const uint64_t *set, size_t n, int nperm, uint32_t *sig);

#endif

/*
 * The C reference of `rollsim bench hash`: MurmurHash3 x86_32 (seed 0), written from the public algorithm
 * (Austin Appleby's MurmurHash3, public domain), over the keys "bench.group:<i>" for i in 0..<N, P passes.
 *
 * The keys are laid out back to back in one buffer with their offsets before timing starts, as Rollsim
 * does; only hashing is timed. The checksum is the sum of every hash computed over all passes, wrapping at
 * 2^32, so it must equal Rollsim's and mmh3's.
 *
 *     gcc -O3 -o murmur3 scripts/peers/murmur3.c && ./murmur3 --keys 1000000 --passes 10 --json
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

static inline uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

static inline uint32_t murmur3_x86_32(const uint8_t *data, size_t len, uint32_t seed) {
  const size_t nblocks = len / 4;
  const uint32_t c1 = 0xcc9e2d51u, c2 = 0x1b873593u;
  uint32_t h1 = seed;
  for (size_t i = 0; i < nblocks; i++) {
    uint32_t k1;
    memcpy(&k1, data + 4 * i, 4); /* little-endian machines only, as x86_64 and arm64 are */
    k1 *= c1;
    k1 = rotl32(k1, 15);
    k1 *= c2;
    h1 ^= k1;
    h1 = rotl32(h1, 13);
    h1 = h1 * 5 + 0xe6546b64u;
  }
  const uint8_t *tail = data + nblocks * 4;
  uint32_t k1 = 0;
  switch (len & 3) {
  case 3: k1 ^= (uint32_t)tail[2] << 16; /* fall through */
  case 2: k1 ^= (uint32_t)tail[1] << 8;  /* fall through */
  case 1:
    k1 ^= tail[0];
    k1 *= c1;
    k1 = rotl32(k1, 15);
    k1 *= c2;
    h1 ^= k1;
  }
  h1 ^= (uint32_t)len;
  return fmix32(h1);
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv) {
  long keys = 1000000, passes = 10;
  int json = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--keys") && i + 1 < argc) keys = atol(argv[++i]);
    else if (!strcmp(argv[i], "--passes") && i + 1 < argc) passes = atol(argv[++i]);
    else if (!strcmp(argv[i], "--json")) json = 1;
    else {
      fprintf(stderr, "usage: %s [--keys N] [--passes P] [--json]\n", argv[0]);
      return 2;
    }
  }
  if (keys < 1 || passes < 1) {
    fprintf(stderr, "--keys and --passes must be at least 1\n");
    return 2;
  }

  /* All keys back to back in one buffer, with their offsets. */
  uint8_t *bytes = malloc((size_t)keys * 24);
  size_t *offsets = malloc(((size_t)keys + 1) * sizeof(size_t));
  if (!bytes || !offsets) {
    fprintf(stderr, "out of memory\n");
    return 1;
  }
  size_t used = 0;
  offsets[0] = 0;
  for (long i = 0; i < keys; i++) {
    used += (size_t)sprintf((char *)bytes + used, "bench.group:%ld", i);
    offsets[i + 1] = used;
  }

  uint32_t checksum = 0;
  uint64_t start = now_ns();
  for (long pass = 0; pass < passes; pass++) {
    /* A compiler barrier: every pass really hashes the keys again (nothing is hoisted out of the loop). */
    __asm__ __volatile__("" ::: "memory");
    for (long i = 0; i < keys; i++) {
      checksum += murmur3_x86_32(bytes + offsets[i], offsets[i + 1] - offsets[i], 0);
    }
  }
  double elapsed = (double)(now_ns() - start);
  double hashes = (double)keys * (double)passes;

  if (json) {
    printf("{\"keys\":%ld,\"passes\":%ld,\"nsPerHash\":%.6g,\"hashesPerSecond\":%.6g,\"checksum\":%u,"
           "\"implementation\":\"c-gcc-O3\"}\n",
           keys, passes, elapsed / hashes, hashes / elapsed * 1e9, checksum);
  } else {
    printf("c keys             %ld\nc passes           %ld\nc nsPerHash        %.4g\nc hashesPerSecond  %.4g\n"
           "c checksum         %u\n",
           keys, passes, elapsed / hashes, hashes / elapsed * 1e9, checksum);
  }
  free(bytes);
  free(offsets);
  return 0;
}

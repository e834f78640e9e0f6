// jemalloc's public API (mallctl) for reading allocation statistics. Linking this module makes jemalloc
// the process allocator on Linux (Debian's libjemalloc exports malloc/free unprefixed).
#include <jemalloc/jemalloc.h>

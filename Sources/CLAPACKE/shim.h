// LAPACKE (C interface to LAPACK). Debian builds OpenBLAS without LAPACKE, so it comes
// from liblapacke-dev and links against the system LAPACK (OpenBLAS's, via alternatives).
#include <lapacke.h>

/// LAPACK's version (ILAVER), wrapped because LAPACK's prototype is declared through a macro.
static inline void rtpipe_lapack_version(int *major, int *minor, int *patch) {
    LAPACK_ilaver(major, minor, patch);
}

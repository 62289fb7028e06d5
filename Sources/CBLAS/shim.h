// OpenBLAS's CBLAS interface plus the OpenBLAS runtime queries rtpipe uses
// (kernel set, thread count). Debian package: libopenblas-dev.
#include <cblas.h>

// OpenBLAS's own (exported, not in cblas.h): stops its worker threads, which otherwise wait
// for work by spinning for a while after each multi-threaded call. They are started again by
// the next multi-threaded call or change of thread count (OpenBLAS ≥ 0.3.7, pthreads build).
int blas_thread_shutdown_(void);

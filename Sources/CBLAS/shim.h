// OpenBLAS's CBLAS interface plus the OpenBLAS runtime queries rtpipe uses
// (kernel set, thread count). Debian package: libopenblas-dev.
#include <cblas.h>

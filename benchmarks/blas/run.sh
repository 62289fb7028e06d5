#!/usr/bin/env bash
# Single-precision 512×512×512 GEMM through rtpipe's Numerics layer: the kernels rtpipe selects
# by itself (no environment variables) against OpenBLAS's generic fallback kernels (Prescott).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product rtpipe 2>&1 | grep -E "error|Build" || true
unset OPENBLAS_CORETYPE RTPIPE_BLAS_CORETYPE
for i in 1 2 3; do
  .build/release/rtpipe bench gemm --size 512 --repeats 200
  RTPIPE_BLAS_CORETYPE=Prescott .build/release/rtpipe bench gemm --size 512 --repeats 200
done
hyperfine --warmup 1 --runs 5 \
  -n selected '.build/release/rtpipe bench gemm --size 512 --repeats 200' \
  -n generic 'RTPIPE_BLAS_CORETYPE=Prescott .build/release/rtpipe bench gemm --size 512 --repeats 200'

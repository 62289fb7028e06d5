#!/usr/bin/env bash
# LSTM language-model throughput: rtpipe (Swift, OpenBLAS + its packed AVX-512 kernel) beside
# PyTorch on CPU, same model, same batch shape (32 streams × 35 tokens, truncated BPTT), 2 threads
# each, both presets; then the fusion workload: sentence-context training at the paper preset on
# the sentence lengths of the default text, early fusion (c₀) against late concatenation.
# PyTorch lives in a throw-away venv outside the repo (created if missing):
#   python3 -m venv /tmp/torch-bench && /tmp/torch-bench/bin/pip install torch
# Runs are interleaved (rtpipe, PyTorch, rtpipe, …) and repeated; summarise.py keeps each
# implementation's best run (the least disturbed by other load on the machine) and prints the
# CPU model and OpenBLAS kernel set with the results. NO_TORCH=1 skips PyTorch; FUSION=0 skips
# the fusion workload; RTPIPE_LM_PACKED=0 runs rtpipe on OpenBLAS only (the previous code path).
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch="${SCRATCH:-.build}"
rounds="${ROUNDS:-3}"
venv="${TORCH_VENV:-/tmp/torch-bench}"
swift build -c release --scratch-path "$scratch" --product rtpipe 2>&1 | grep -E "error|Build" || true
torch=1
[ "${NO_TORCH:-0}" = 1 ] && torch=0
if [ "$torch" = 1 ] && { [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import torch" 2>/dev/null; }; then
  python3 -m venv "$venv" && "$venv/bin/pip" install --quiet torch || { echo "PyTorch could not be installed; rtpipe only" >&2; torch=0; }
fi
out="${OUT:-$(mktemp --suffix=.jsonl /tmp/rtpipe-lm-bench.XXXXXX)}"
: > "$out"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for r in $(seq "$rounds"); do
  for preset in small paper; do
    steps=20; score=40
    [ "$preset" = paper ] && steps=8 && score=16
    "$scratch/release/rtpipe" lm bench --preset "$preset" --threads 2 --train-steps $steps --score-steps $score | tr -d '\n' >> "$out"; echo >> "$out"
    if [ "$torch" = 1 ]; then
      "$venv/bin/python" benchmarks/lm/torch_lstm_bench.py --preset "$preset" --threads 2 --train-steps $steps --score-steps $score >> "$out"
    fi
  done
  if [ "${FUSION:-1}" = 1 ]; then
    for fusion in early_c0 late_concat; do
      "$scratch/release/rtpipe" lm bench --preset paper --threads 2 --sentences default --sentence-count 2000 \
        --fusion "$fusion" --train-steps 5 | tr -d '\n' >> "$out"; echo >> "$out"
    done
  fi
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 benchmarks/lm/summarise.py "$out"

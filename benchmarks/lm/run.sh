#!/usr/bin/env bash
# LSTM language-model throughput: rtpipe (Swift, OpenBLAS) beside PyTorch on CPU, same model,
# same batch shape (32 streams × 35 tokens, truncated BPTT), 2 threads each, both presets.
# PyTorch lives in a throw-away venv outside the repo (created if missing):
#   python3 -m venv /tmp/torch-bench && /tmp/torch-bench/bin/pip install torch
# Runs are interleaved (rtpipe, PyTorch, rtpipe, …) and repeated; summarise.py keeps each
# implementation's best run (the least disturbed by other load on the machine).
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch="${SCRATCH:-.build}"
rounds="${ROUNDS:-3}"
venv="${TORCH_VENV:-/tmp/torch-bench}"
swift build -c release --scratch-path "$scratch" --product rtpipe 2>&1 | grep -E "error|Build" || true
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import torch" 2>/dev/null; then
  python3 -m venv "$venv" && "$venv/bin/pip" install --quiet torch
fi
out="${OUT:-$(mktemp --suffix=.jsonl /tmp/rtpipe-lm-bench.XXXXXX)}"
: > "$out"
for r in $(seq "$rounds"); do
  for preset in small paper; do
    steps=20; score=40
    [ "$preset" = paper ] && steps=8 && score=16
    "$scratch/release/rtpipe" lm bench --preset "$preset" --threads 2 --train-steps $steps --score-steps $score | tr -d '\n ' >> "$out"; echo >> "$out"
    "$venv/bin/python" benchmarks/lm/torch_lstm_bench.py --preset "$preset" --threads 2 --train-steps $steps --score-steps $score >> "$out"
  done
done
python3 benchmarks/lm/summarise.py "$out"

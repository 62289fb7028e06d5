#!/usr/bin/env bash
# The language-model experiments reported in benchmarks/lm/README.md, on the default training
# text (Jane Austen, built by scripts/setup) with the default (small) preset:
#   1. baseline vs late-concat fusion with all-MiniLM-L6-v2 prefix embeddings (same seed, same steps);
#   2. the limited-data ladder (5k … 20k training sentences, one shared tokenizer).
# Outputs go to $OUT (default /tmp/rtpipe-lm-experiment); the tokenizer is learned once on the
# full training split (dev 500, test 500, seed 1), so every run shares vocabulary, dev and test.
# Cost on 2 cores: ~15 min of MiniLM prefix embeddings (107k prefixes of 5,000 sentences, cached
# afterwards in .rtpipe/lm-embeddings), ~4 min per 1,500-step run, ~25 min for the ladder.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${OUT:-/tmp/rtpipe-lm-experiment}"
scratch="${SCRATCH:-.build}"
swift build -c release --scratch-path "$scratch" --product rtpipe 2>&1 | grep -E "error|Build" || true
R="$scratch/release/rtpipe"
split="--text default --dev-sentences 500 --test-sentences 500 --seed 1 --threads 2"
# The shared tokenizer: 8192 BPE tokens learned from all training sentences (a 1-step run).
[ -s "$out/tokenizer/tokenizer.json" ] || $R lm train $split --out "$out/tokenizer" --steps 1 --eval-every 1 >/dev/null
tok="$out/tokenizer/tokenizer.json"
run="$split --train-sentences 5000 --steps 1500 --eval-every 150 --patience 0 --tokenizer $tok"
$R lm train $run --out "$out/base"
$R lm train $run --out "$out/concat" --fusion late_concat --encoder minilm --embeddings prefix
$R lm train $split --tokenizer "$tok" --out "$out/ladder" --sizes 5000,8000,13000,20000 --epochs 5 --eval-every 200 --patience 3

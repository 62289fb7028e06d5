#!/usr/bin/env bash
# The paper's ladder of fusion modes × training sizes (benchmarks/lm/README.md, "Fusion modes ×
# training size"), on the default training text with the default (small) preset.
# Every mode trains with the same seed, split, tokenizer and schedule; fused modes read the
# all-MiniLM-L6-v2 mean-pooled embedding of the exact prefix before each word (cached in
# .rtpipe/lm-embeddings, shared with experiment.sh). One model per (mode, size) in
# $OUT/<mode>/size-N; the table is written to $OUT/ladder.tsv.
# Environment: OUT (default /tmp/rtpipe-lm-ladder), SIZES (default 2000,5000), EPOCHS (default 8),
# THREADS (default 2), MODES (default: all seven).
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${OUT:-/tmp/rtpipe-lm-ladder}"
sizes="${SIZES:-2000,5000}"
epochs="${EPOCHS:-8}"
threads="${THREADS:-2}"
modes="${MODES:-none late_concat late_add late_multiply early_h0 early_c0 early_both}"
scratch="${SCRATCH:-.build}"
swift build -c release --scratch-path "$scratch" --product rtpipe 2>&1 | grep -E "error|Build" || true
R="$scratch/release/rtpipe"
split="--text default --dev-sentences 500 --test-sentences 500 --seed 1 --threads $threads"
mkdir -p "$out"
[ -s "$out/tokenizer/tokenizer.json" ] || $R lm train $split --out "$out/tokenizer" --steps 1 --eval-every 1 >/dev/null
tok="$out/tokenizer/tokenizer.json"
for mode in $modes; do
  fusion="--fusion $mode"
  [ "$mode" = none ] || fusion="$fusion --encoder minilm --embeddings prefix"
  $R lm train $split --tokenizer "$tok" --out "$out/$mode" --sizes "$sizes" --epochs "$epochs" \
     --eval-every 100 --patience 3 $fusion
done
# mode × size table of dev perplexity per token (base e)
{
  printf "mode"; for n in ${sizes//,/ }; do printf "\t%s" "$n"; done; printf "\n"
  for mode in $modes; do
    printf "%s" "$mode"
    for n in ${sizes//,/ }; do
      printf "\t%s" "$(awk -F'\t' -v n="$n" '$1==n {print $2}' "$out/$mode/ladder.tsv")"
    done
    printf "\n"
  done
} > "$out/ladder.tsv"
cat "$out/ladder.tsv"

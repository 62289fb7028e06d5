"""Best run per (implementation, preset) from run.sh's JSON lines, as Markdown tables, with the
CPU model and OpenBLAS kernel set the rtpipe runs reported."""
import json, sys

best, fusion, machine = {}, {}, set()
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    r = json.loads(line)
    if r["implementation"] == "rtpipe":
        machine.add((r.get("cpu", "?"), r.get("blas_kernels", "?"), r.get("packed_kernel", "?")))
    if r.get("workload") == "sentences":
        b = fusion.setdefault(r["fusion"], {"tokens": 0.0, "gflops": 0.0, "positions": r["positions_per_token"]})
        b["tokens"] = max(b["tokens"], r["train_tokens_per_s"])
        b["gflops"] = max(b["gflops"], r["train_gflops"])
        continue
    impl = "rtpipe" if r["implementation"] == "rtpipe" else "pytorch"
    key = (r["preset"], impl)
    b = best.setdefault(key, {"train": 0.0, "score": 0.0, "name": r["implementation"]})
    b["train"] = max(b["train"], r["train_tokens_per_s"])
    b["score"] = max(b["score"], r["score_tokens_per_s"])

for cpu, kernels, packed in sorted(machine, key=str):
    print(f"CPU: {cpu}; OpenBLAS kernels: {kernels}; rtpipe packed AVX-512 kernel: {packed}\n")
print("| preset | implementation | training tokens/s | scoring tokens/s |")
print("|---|---|---|---|")
for preset in ("small", "paper"):
    for impl in ("rtpipe", "pytorch"):
        b = best.get((preset, impl))
        if b:
            print(f"| {preset} | {b['name']} | {b['train']:.0f} | {b['score']:.0f} |")
    if (preset, "rtpipe") in best and (preset, "pytorch") in best:
        r, p = best[(preset, "rtpipe")], best[(preset, "pytorch")]
        print(f"| {preset} | ratio rtpipe/PyTorch | {r['train'] / p['train']:.2f}× | {r['score'] / p['score']:.2f}× |")
if fusion:
    print("\n| fusion (paper preset, sentence context, training) | LSTM positions per token | tokens/s | GFLOP/s |")
    print("|---|---|---|---|")
    for mode, b in sorted(fusion.items()):
        print(f"| {mode} | {b['positions']:.2f} | {b['tokens']:.0f} | {b['gflops']:.1f} |")
    if "early_c0" in fusion and "late_concat" in fusion:
        print(f"\nearly c₀ / late concat GFLOP/s: {fusion['early_c0']['gflops'] / fusion['late_concat']['gflops']:.2f}")

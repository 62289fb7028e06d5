"""Best run per (implementation, preset) from run.sh's JSON lines, as a Markdown table."""
import json, sys

best = {}
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    r = json.loads(line)
    impl = "rtpipe" if r["implementation"] == "rtpipe" else "pytorch"
    key = (r["preset"], impl)
    b = best.setdefault(key, {"train": 0.0, "score": 0.0, "name": r["implementation"]})
    b["train"] = max(b["train"], r["train_tokens_per_s"])
    b["score"] = max(b["score"], r["score_tokens_per_s"])

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

#!/usr/bin/env python3
"""rtpipe's native encoder vs PyTorch (CPU) on the same sentences, in one run.

Workloads (sentences from sentences.py, ~20 words each):
  sentences  embed 1,000 sentences (mean pooling + L2 normalisation, the model's own)
  prefixes   embed every prefix w1…w(i−1) of 200 sentences (the distinct prefix texts; the empty
             prefix and shared openings are embedded once on both sides)
Both sides use 2 threads, run each workload `--repeats` times interleaved, and report the best
(least disturbed) run; rates exclude start-up and model loading, which are reported apart.
rtpipe runs as `rtpipe embed --benchmark --json` (release build); PyTorch runs in this process
the way sentence-transformers does (length-sorted batches of 32, padding per batch).
Then, rtpipe only: the cost saved by the embedding cache (second run over the same prefixes)
and by the stride-k prefix strategy (with its cosine similarity to the exact prefixes).

Setup (throw-away venv outside the repo):
  python3 -m venv /tmp/torch-bench && /tmp/torch-bench/bin/pip install torch transformers
  swift build -c release --product rtpipe
  /tmp/torch-bench/bin/python benchmarks/encoder/bench.py --rtpipe .build/release/rtpipe
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

# PyTorch's OpenMP threads spin-wait at barriers; when another process holds a core (a shared
# machine) that makes PyTorch many times slower. PASSIVE (sleeping waits) keeps PyTorch's
# numbers sane under contention, at a small cost on an idle machine. Set OMP_WAIT_POLICY
# yourself to override; it must be set before torch loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from transformers import AutoModel, AutoTokenizer  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the repository
from sentences import sentences  # noqa: E402


def rtpipe(exe, args, env):
    """Runs rtpipe; returns (parsed JSON stdout, wall seconds of the whole process)."""
    t = time.perf_counter()
    p = subprocess.run([exe, "embed"] + args, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit("rtpipe failed: %s" % p.stderr)
    return json.loads(p.stdout), wall


class Torch:
    def __init__(self, model_dir, threads):
        torch.set_num_threads(threads)
        t = time.perf_counter()
        self.tok = AutoTokenizer.from_pretrained(model_dir)
        self.model = AutoModel.from_pretrained(model_dir).eval()
        self.load_seconds = time.perf_counter() - t

    def count_tokens(self, texts):
        return sum(len(ids) for ids in self.tok(texts, truncation=True, max_length=128)["input_ids"])

    def embed(self, texts, batch=32):
        """Mean pooling + L2 normalisation, sentence-transformers style; returns (vectors, seconds)."""
        t = time.perf_counter()
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), self.model.config.hidden_size), dtype=np.float32)
        with torch.inference_mode():
            for s in range(0, len(texts), batch):
                idx = order[s:s + batch]
                b = self.tok([texts[i] for i in idx], padding=True, truncation=True, max_length=128, return_tensors="pt")
                h = self.model(**b).last_hidden_state
                m = b["attention_mask"].unsqueeze(-1).to(h.dtype)
                e = torch.nn.functional.normalize((h * m).sum(1) / m.sum(1), dim=1)
                out[idx] = e.numpy()
        return out, time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rtpipe", default=os.path.join(ROOT, ".build/release/rtpipe"))
    ap.add_argument("--model", default=os.environ.get("RTPIPE_ENCODER_DIR", os.path.join(ROOT, ".rtpipe/models/all-MiniLM-L6-v2")))
    ap.add_argument("--sentences", type=int, default=1000)
    ap.add_argument("--prefix-sentences", type=int, default=200)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", help="also write the results as JSON here")
    ap.add_argument("--throughput-only", action="store_true", help="skip the cache and stride-k measurements")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="rtpipe-enc-bench-")
    env = dict(os.environ, RTPIPE_ENCODER_DIR=a.model, RTPIPE_CACHE=os.path.join(work, "cache"))
    sents = sentences(a.sentences, seed=1)
    psents = sentences(a.prefix_sentences, seed=2)
    sfile, pfile = os.path.join(work, "sentences.txt"), os.path.join(work, "prefix-sentences.txt")
    open(sfile, "w").write("\n".join(sents) + "\n")
    open(pfile, "w").write("\n".join(psents) + "\n")
    words = [s.split() for s in psents]
    prefixes = list(dict.fromkeys(" ".join(w[:i]) for w in words for i in range(len(w))))

    tch = Torch(a.model, a.threads)
    s_tokens, p_tokens = tch.count_tokens(sents), tch.count_tokens(prefixes)
    common = ["--threads", str(a.threads), "--benchmark", "--json", "--no-cache"]
    tch.embed(sents[:64])  # warm-up
    res = {"rt_s": [], "pt_s": [], "rt_p": [], "pt_p": [], "rt_s_wall": [], "rt_p_wall": []}
    for r in range(a.repeats):
        j, w = rtpipe(a.rtpipe, ["--file", sfile] + common, env)
        res["rt_s"].append(j["seconds"]); res["rt_s_wall"].append(w)
        assert j["tokens"] == s_tokens, (j["tokens"], s_tokens)
        pt_vec, sec = tch.embed(sents); res["pt_s"].append(sec)
        j, w = rtpipe(a.rtpipe, ["--file", pfile, "--prefixes"] + common, env)
        res["rt_p"].append(j["seconds"]); res["rt_p_wall"].append(w)
        assert j["distinct_prefixes"] == len(prefixes), (j["distinct_prefixes"], len(prefixes))
        _, sec = tch.embed(prefixes); res["pt_p"].append(sec)
        print("run %d: sentences rtpipe %.2fs torch %.2fs | prefixes rtpipe %.2fs torch %.2fs | load average %s"
              % (r + 1, res["rt_s"][-1], res["pt_s"][-1], res["rt_p"][-1], res["pt_p"][-1], loadavg()), file=sys.stderr)

    # Agreement of the two implementations on the benchmark sentences.
    j, _ = rtpipe(a.rtpipe, ["--file", sfile, "--json", "--no-cache", "--threads", str(a.threads)], env)
    rt_vec = np.array([it["vector"] for it in j["items"]], dtype=np.float32)
    max_diff = float(np.abs(rt_vec - pt_vec).max())

    if a.throughput_only:
        cold = warm = None
        strides = []
    else:
        cold, warm, strides = extras(a, env, pfile, common)
    report(a, res, tch, sents, prefixes, words, s_tokens, p_tokens, max_diff, cold, warm, strides)


def extras(a, env, pfile, common):
    """rtpipe only: cost saved by the cache and by stride-k prefixes."""
    work = os.path.dirname(pfile)
    # Cache: the same prefixes twice with a fresh cache folder.
    cache_args = ["--file", pfile, "--prefixes", "--threads", str(a.threads), "--benchmark", "--json", "--cache-dir", os.path.join(work, "c1")]
    cold, _ = rtpipe(a.rtpipe, cache_args, env)
    warm, _ = rtpipe(a.rtpipe, cache_args, env)

    # Stride-k: time and closeness to the exact prefix embeddings.
    exact, _ = rtpipe(a.rtpipe, ["--file", pfile, "--prefixes", "--json", "--no-cache", "--threads", str(a.threads)], env)
    ev = np.array([p["vector"] for it in exact["items"] for p in it["prefixes"]], dtype=np.float32)
    strides = []
    for k in (2, 4, 8):
        b = min((rtpipe(a.rtpipe, ["--file", pfile, "--prefixes", "--strategy", "stride-%d" % k] + common, env)[0] for _ in range(a.repeats)),
                key=lambda x: x["seconds"])
        v, _ = rtpipe(a.rtpipe, ["--file", pfile, "--prefixes", "--strategy", "stride-%d" % k, "--json", "--no-cache", "--threads", str(a.threads)], env)
        sv = np.array([p["vector"] for it in v["items"] for p in it["prefixes"]], dtype=np.float32)
        strides.append({"k": k, "seconds": b["seconds"], "computed": b["computed"], "tokens": b["tokens"],
                        "mean_cosine_to_exact": float((sv * ev).sum(1).mean())})
    return cold, warm, strides


def report(a, res, tch, sents, prefixes, words, s_tokens, p_tokens, max_diff, cold, warm, strides):
    best = {k: min(v) for k, v in res.items()}
    n_s, n_p = len(sents), len(prefixes)
    rows = [
        ("1,000 sentences", "rtpipe", best["rt_s"], n_s, s_tokens),
        ("1,000 sentences", "PyTorch", best["pt_s"], n_s, s_tokens),
        ("prefixes of 200 sentences", "rtpipe", best["rt_p"], n_p, p_tokens),
        ("prefixes of 200 sentences", "PyTorch", best["pt_p"], n_p, p_tokens),
    ]
    print("\nCPU: %s; %d threads; torch %s (OMP_WAIT_POLICY=%s); best of %d interleaved runs; start-up + model load: rtpipe %.2fs, torch %.2fs"
          % (platform_cpu(), a.threads, torch.__version__, os.environ.get("OMP_WAIT_POLICY"), a.repeats,
             best["rt_s_wall"] - best["rt_s"], tch.load_seconds))
    print("%d sentences, %d tokens; %d distinct prefixes (%d words), %d tokens\n" % (n_s, s_tokens, n_p, sum(map(len, words)), p_tokens))
    print("| workload | implementation | seconds | sentences/s | tokens/s |")
    print("|---|---|---:|---:|---:|")
    for wl, impl, sec, n, tok in rows:
        print("| %s | %s | %.2f | %.1f | %.0f |" % (wl, impl, sec, n / sec, tok / sec))
    print("\nspeed-up rtpipe/PyTorch: sentences %.2fx, prefixes %.2fx; max |rtpipe − PyTorch| per component %.2e"
          % (best["pt_s"] / best["rt_s"], best["pt_p"] / best["rt_p"], max_diff))
    if a.out:
        json.dump({"runs": res, "best": best, "sentences": n_s, "sentence_tokens": s_tokens, "prefixes": n_p,
                   "prefix_tokens": p_tokens, "max_abs_diff": max_diff, "cache": {"cold": cold, "warm": warm},
                   "strides": strides, "torch": torch.__version__, "threads": a.threads}, open(a.out, "w"), indent=1)
    if cold is None:
        return
    print("\ncache (prefixes of 200 sentences): first run %.2fs (%d computed), second run %.4fs (%d from the cache, %d computed): %.1f%% of the cost saved"
          % (cold["seconds"], cold["computed"], warm["seconds"], warm["cache_hits"], warm["computed"], 100 * (1 - warm["seconds"] / cold["seconds"])))
    print("\n| prefix strategy | seconds | prefixes computed | tokens computed | cost saved vs full | mean cosine to exact |")
    print("|---|---:|---:|---:|---:|---:|")
    print("| full | %.2f | %d | %d | — | 1 |" % (best["rt_p"], n_p, p_tokens))
    for s in strides:
        print("| stride-%d | %.2f | %d | %d | %.0f%% | %.4f |" % (s["k"], s["seconds"], s["computed"], s["tokens"],
                                                             100 * (1 - s["seconds"] / best["rt_p"]), s["mean_cosine_to_exact"]))


def loadavg():
    """The 1-minute load average (other work on the machine disturbs both sides, PyTorch's OpenMP threads most)."""
    try:
        return open("/proc/loadavg").read().split()[0]
    except OSError:
        return "?"


def platform_cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


if __name__ == "__main__":
    main()

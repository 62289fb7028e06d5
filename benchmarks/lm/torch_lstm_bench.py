"""PyTorch CPU baseline for `rtpipe lm bench`: the same model and batch shape.

Model: Embedding(V, E) -> LSTM(E, H) -> Linear(H, D) -> Linear(D, V), softmax cross-entropy.
Training step (document context, truncated BPTT): `batch` streams x `bptt` tokens, forward,
backward, clip_grad_norm_(1.0), Adam; the hidden state is carried over (detached).
Scoring step: forward under no_grad, log_softmax, gather the targets' log-probabilities.
Random tokens; timings after warm-up steps. Prints one JSON object.
"""
import argparse, json, time
import torch
import torch.nn as nn

PRESETS = {"small": (128, 256, 128), "paper": (512, 768, 512)}


class LSTMLM(nn.Module):
    def __init__(self, vocab, emb, hidden, dense):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hidden)            # time-major input: (steps, batch, features)
        self.dense = nn.Linear(hidden, dense)
        self.output = nn.Linear(dense, vocab)

    def forward(self, tokens, state):
        h, state = self.lstm(self.embedding(tokens), state)
        return self.output(self.dense(h)), state


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="small", choices=PRESETS)
    ap.add_argument("--vocab", type=int, default=8192)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--bptt", type=int, default=35)
    ap.add_argument("--train-steps", type=int, default=20)
    ap.add_argument("--score-steps", type=int, default=40)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    e, h, d = PRESETS[a.preset]
    model = LSTMLM(a.vocab, e, h, d)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    loss_fn = nn.CrossEntropyLoss()
    batches = [(torch.randint(0, a.vocab, (a.bptt, a.batch_size)), torch.randint(0, a.vocab, (a.bptt, a.batch_size)))
               for _ in range(4)]
    state = None

    def train_step(i):
        nonlocal state
        x, y = batches[i % 4]
        if state is not None:
            state = tuple(s.detach() for s in state)
        opt.zero_grad()
        logits, state = model(x, state)
        loss = loss_fn(logits.view(-1, a.vocab), y.view(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    for i in range(a.warmup):
        train_step(i)
    t0 = time.perf_counter()
    for i in range(a.train_steps):
        train_step(a.warmup + i)
    train = a.train_steps * a.bptt * a.batch_size / (time.perf_counter() - t0)

    state = None
    def score_step(i):
        nonlocal state
        x, y = batches[i % 4]
        with torch.no_grad():
            logits, state = model(x, state)
            lp = torch.log_softmax(logits, dim=-1).gather(-1, y.unsqueeze(-1))
        return lp

    for i in range(a.warmup):
        score_step(i)
    t0 = time.perf_counter()
    for i in range(a.score_steps):
        score_step(i)
    score = a.score_steps * a.bptt * a.batch_size / (time.perf_counter() - t0)
    print(json.dumps({"implementation": "pytorch " + torch.__version__, "preset": a.preset, "threads": a.threads,
                      "parameters": sum(p.numel() for p in model.parameters()), "batch": a.batch_size, "bptt": a.bptt,
                      "train_tokens_per_s": train, "score_tokens_per_s": score}))


if __name__ == "__main__":
    main()

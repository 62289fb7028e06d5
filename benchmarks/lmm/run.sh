#!/usr/bin/env bash
# Linear-mixed-model benchmark: rtpipe vs lme4 on the same machine and data, one run.
#   benchmarks/lmm/run.sh [--quick]      (needs r-cran-lme4: apt-get install r-cran-lme4; hyperfine)
# rtpipe is timed as the whole command (reading the file included) and as the fit alone (its
# --json "seconds"); lme4 as lmer() alone (reading the file excluded) with calc.derivs = FALSE, its faster setting (no Hessian check
# after the fit); LME4_DERIVS="TRUE FALSE" also times lme4's default.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${RTPIPE_BENCH_DIR:-/tmp/rtpipe-bench}"
mkdir -p "$out"
swift build -c release --product rtpipe 2>&1 | grep -E "error|Compiling|Build" || true
rtpipe=.build/release/rtpipe
shared=../shared/lmm-reference
[ -f "$out/spr.tsv" ] || $rtpipe bench spr-table --out "$out/spr.tsv" --subjects 180 --words 10000 --observed 0.5 --seed 1

run_case() {   # name, data, formula, factors, levels
  local name="$1" data="$2" formula="$3" factors="$4" levels="$5"
  local rt_args=(fit --data "$data" --formula "$formula" --json)
  [ -n "$factors" ] && rt_args+=(--factors "$factors")
  [ -n "$levels" ] && rt_args+=(--levels "$levels")
  echo "== $name"
  /usr/bin/time -f "rtpipe peak memory: %M KB" $rtpipe "${rt_args[@]}" > "$out/$name.rtpipe.json"
  python3 -c "import json,sys; d=json.load(open('$out/$name.rtpipe.json')); print('rtpipe logLik %.10f evaluations %d' % (d['logLik'], d['evaluations']))"
  hyperfine --warmup 1 --runs 3 --export-json "$out/$name.hyperfine.json" "$(printf '%q ' $rtpipe "${rt_args[@]}") > /dev/null" | grep -E "Time|Range"
  # The fit alone (model frame + fit, file reading excluded), as lme4's lmer() is timed: mean of 3 runs.
  for i in 1 2 3; do $rtpipe "${rt_args[@]}"; done | python3 -c "
import json, sys
runs = [json.loads(x) for x in sys.stdin.read().replace('}\n{', '}\x00{').split('\x00')]
fit = [r['seconds']['fit'] for r in runs]; read = [r['seconds']['read'] for r in runs]
print('rtpipe fit only (mean of 3): %.3f s (file reading %.3f s)' % (sum(fit) / 3, sum(read) / 3))"
  for derivs in ${LME4_DERIVS:-FALSE}; do
    LME4_CALC_DERIVS=$derivs /usr/bin/time -f "lme4 peak memory: %M KB" Rscript benchmarks/lmm/lme4_fit.R "$data" "$formula" "$factors" "$levels" | sed "s/^/calc.derivs=$derivs: /"
  done
}

run_case insteval "$shared/InstEval.csv" "y ~ 1 + service*dept + (1|s) + (1|d)" "service,s,d,dept" "dept=15,5,10,12,6,7,4,8,9,14,1,3,11,2"

# InstEval is short (rtpipe ~0.3 s, lme4 ~3 s) and the machine's speed drifts from one second to
# the next, so it is also timed in interleaved rounds (INSTEVAL_ROUNDS, default 5): per round the
# median of 3 rtpipe fits, then one lme4 fit; the ratio per round and its median.
echo "== insteval, interleaved rounds (rtpipe fit only, median of 3, vs lme4 lmer())"
ie_args=(fit --data "$shared/InstEval.csv" --formula "y ~ 1 + service*dept + (1|s) + (1|d)" --factors service,s,d,dept
         --levels "dept=15,5,10,12,6,7,4,8,9,14,1,3,11,2" --json)
for round in $(seq "${INSTEVAL_ROUNDS:-5}"); do
  rt=$(for i in 1 2 3; do $rtpipe "${ie_args[@]}" | python3 -c "import json,sys; print(json.load(sys.stdin)['seconds']['fit'])"; done | sort -n | sed -n 2p)
  l4=$(LME4_CALC_DERIVS=FALSE Rscript benchmarks/lmm/lme4_fit.R "$shared/InstEval.csv" "y ~ 1 + service*dept + (1|s) + (1|d)" \
         "service,s,d,dept" "dept=15,5,10,12,6,7,4,8,9,14,1,3,11,2" | sed 's/.*fit_s \([0-9.]*\).*/\1/')
  echo "$rt $l4"
done | python3 -c "
import sys, statistics
rounds = [tuple(map(float, line.split())) for line in sys.stdin]
for k, (rt, l4) in enumerate(rounds, 1): print('round %d: rtpipe %.3f s, lme4 %.3f s, %.1fx' % (k, rt, l4, l4 / rt))
print('median ratio %.1fx (min %.1fx, max %.1fx)' % (statistics.median(l4 / rt for rt, l4 in rounds), min(l4 / rt for rt, l4 in rounds), max(l4 / rt for rt, l4 in rounds)))"
run_case spr_intercepts "$out/spr.tsv" "rt ~ surprisal + length + logfreq + (1 | subject) + (1 | item)" "subject,item" ""
run_case spr_slopes "$out/spr.tsv" "rt ~ surprisal + length + logfreq + (1 + surprisal | subject) + (1 | item)" "subject,item" ""

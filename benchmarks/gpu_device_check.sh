#!/usr/bin/env bash
# The GPU check of issue 19, as run on a lent CUDA machine (one call, about 8 minutes):
#   1. a small simulation searched on the CPU and with --gpu: same pairs, log10 LRs to 1e-9;
#   2. the Syria-scale simulation (150,000 families x 100,000 remains) searched with the
#      default stepwise model and --gpu (one process, or GPU_WORKERS); the run's model file
#      (time split) and matches kept, to compare with a CPU run of the same data;
#   3. the same on the CPU with the time that is left, for comparison.
# Usage: bash benchmarks/gpu_device_check.sh OUTDIR [PYTHON]   (PYTHON defaults to python3)
# Environment: SYRIA_TAR=file.tar.gz (families.tsv, remains.tsv, freqs.txt made here by
# `nasab simulate --families 150000 --remains 100000 --seed 7`: the same data on both
# machines, and no simulation there), SKIP_SMALL=1, GPU_WORKERS ("4 1": a run with each
# --workers; Dask must be installed), GPU_LIMIT (s a run), TOTAL (s; the CPU run only when
# more than 60 s are left).
set -u
OUTDIR=${1:?output folder}
PY=${2:-python3}
export PYTHONPATH=$PWD/src${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
mkdir -p "$OUTDIR"
W=${TMPDIR:-/tmp}/nasab-gpu-check
rm -rf "$W" && mkdir -p "$W"
T0=$(date +%s)
NB=("$PY" -c 'import sys; from nasab.cli import main; sys.exit(main())')
nasab() { "${NB[@]}" "$@"; }
log() { echo "[$(( $(date +%s) - T0 )) s] $*"; }
compare() {  # same pairs, |log10 LR| difference
  "$PY" - "$1" "$2" <<'PYEOF'
import sys, csv
def load(p):
    with open(p) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    col = "log10_lr" if rows else None
    keys = [c for c in (rows[0] if rows else {}) if c in ("remain_id", "family_id", "missing_id")]
    return {tuple(r[k] for k in keys): float(r[col]) for r in rows}, col, keys
a, col, keys = load(sys.argv[1]); b, _, _ = load(sys.argv[2])
common = a.keys() & b.keys()
diff = max((abs(a[k] - b[k]) for k in common), default=0.0)
print(f"pairs cpu {len(a)} gpu {len(b)} common {len(common)} key {keys} column {col} max |d log10 LR| {diff:.3g}")
PYEOF
}
log "machine"; nvidia-smi -L; nproc; free -g | head -2
"$PY" -c 'import numpy, numba, opt_einsum, scipy, rich, threadpoolctl, cupy; print("numpy", numpy.__version__, "cupy", cupy.__version__, "numba", numba.__version__); import cupy as cp; print(cp.cuda.runtime.getDeviceProperties(0)["name"])' || exit 3

if [ -z "${SKIP_SMALL:-}" ]; then
log "1. small check"
nasab simulate --families 3000 --remains 3000 --seed 3 --out "$W/small" --format tsv > /dev/null || exit 4
S="--families $W/small/families.tsv --remains $W/small/remains.tsv --freqs $W/small/freqs.txt --quiet"
( time nasab search $S --out "$W/small_cpu.tsv" ) 2>&1 | tail -3
( time nasab search $S --gpu --out "$W/small_gpu.tsv" ) 2>&1 | tail -3
compare "$W/small_cpu.tsv" "$W/small_gpu.tsv" | tee "$OUTDIR/small_compare.txt"
cp "$W/small_gpu.tsv.model.json" "$OUTDIR/small_gpu.model.json" 2>/dev/null
[ -s "$W/small_gpu.tsv" ] || { log "GPU search failed on the small case"; exit 5; }
fi

if [ -n "${SYRIA_TAR:-}" ]; then
  log "2. Syria-scale data from $SYRIA_TAR"
  mkdir -p "$W/syria" && tar xzf "$SYRIA_TAR" -C "$W/syria" || exit 6
else
  log "2. Syria-scale simulation"
  nasab simulate --families 150000 --remains 100000 --seed 7 --out "$W/syria" --format tsv > /dev/null || exit 6
fi
Y="--families $W/syria/families.tsv --remains $W/syria/remains.tsv --freqs $W/syria/freqs.txt --quiet"
for w in ${GPU_WORKERS:-1}; do
  log "2. Syria stepwise --gpu --workers $w"
  nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv -l 5 > "$OUTDIR/gpu_util_w$w.csv" 2>&1 &
  SMI=$!
  ( time timeout ${GPU_LIMIT:-300} "${NB[@]}" search $Y --gpu --workers $w --out "$W/syria_gpu_w$w.tsv" ) 2>&1 | tail -4
  kill $SMI 2>/dev/null
  cp "$W/syria_gpu_w$w.tsv.model.json" "$OUTDIR/syria_gpu_w$w.model.json" 2>/dev/null
  cp "$W/syria_gpu_w$w.tsv" "$W/syria_gpu.tsv" 2>/dev/null
  cp "$W/syria_gpu_w$w.tsv" "$OUTDIR/" 2>/dev/null
done
log "3. Syria stepwise CPU (for comparison)"
LEFT=$(( ${TOTAL:-480} - ( $(date +%s) - T0 ) ))
if [ "$LEFT" -gt 60 ]; then
  ( time timeout $LEFT "${NB[@]}" search $Y --out "$W/syria_cpu.tsv" ) 2>&1 | tail -4
  cp "$W/syria_cpu.tsv.model.json" "$OUTDIR/syria_cpu.model.json" 2>/dev/null
  [ -s "$W/syria_cpu.tsv" ] && compare "$W/syria_cpu.tsv" "$W/syria_gpu.tsv" | tee "$OUTDIR/syria_compare.txt"
fi
log "done"

#!/usr/bin/env bash
# One sitting of `llmp bench` against llama.cpp's `llama-bench` on the same GGUF files, in alternating
# rounds (so drift in machine load hits every engine alike), best of the rounds per engine and test — the
# procedure of docs/benchmarks.md ("Results").
#
#   bench/compare-llama-cpp.sh --models 'F1 F2 ...' [--native PATH] [--avx2 PATH] [--rounds 3]
#                              [--threads 2] [-p 512] [-n 128] [--out DIR]
#
# --native/--avx2: llama-bench binaries (a native build and one built with AVX-512 off); either may be left
# out. Each round runs, per model: llmp with 512-bit kernels, llmp with 256-bit kernels
# (-XX:MaxVectorSize=32), then each llama-bench given. Every run measures pp and tg once after its own
# warm-up (llama-bench -r 1, llmp bench -r 1). Raw lines go to DIR/runs.tsv; the summary table (best of
# rounds, and llmp ÷ llama.cpp) to DIR/summary.md and stdout. llama.cpp is not part of this repository.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
llmp="$here/../bin/llmp"
models="" native="" avx2="" rounds=3 threads=2 np=512 ng=128 out="bench-out"
while [ $# -gt 0 ]; do
  case "$1" in
    --models) models="$2"; shift 2 ;;
    --native) native="$2"; shift 2 ;;
    --avx2) avx2="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    -p) np="$2"; shift 2 ;;
    -n) ng="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "compare-llama-cpp: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$models" ] || { echo "compare-llama-cpp: --models is required" >&2; exit 2; }
for m in $models; do [ -f "$m" ] || { echo "compare-llama-cpp: no such model file: $m" >&2; exit 2; }; done
for b in $native $avx2; do [ -x "$b" ] || { echo "compare-llama-cpp: not an executable: $b" >&2; exit 2; }; done
mkdir -p "$out"
runs="$out/runs.tsv"
printf 'round\tmodel\tengine\tpp_tok_s\ttg_tok_s\tload1\n' > "$runs"

load1() { cut -d' ' -f1 /proc/loadavg; }

# llmp bench --json ends with {"pp_tok_s": …, "tg_tok_s": …, …}
run_llmp() { # engine-name java-opts model
  local line
  line="$(LLMP_JAVA_OPTS="$2" "$llmp" bench --model "$3" --threads "$threads" -p "$np" -n "$ng" -r 1 --json 2>/dev/null | tail -1)"
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["pp_tok_s"], d["tg_tok_s"])' "$line"
}

# llama-bench -o jsonl prints one object per test with n_prompt, n_gen and avg_ts
run_llama() { # binary model
  "$1" -m "$2" -t "$threads" -p "$np" -n "$ng" -r 1 -o jsonl 2>/dev/null | python3 -c '
import json, sys
pp = tg = None
for line in sys.stdin:
    line = line.strip()
    if not line.startswith("{"):
        continue
    d = json.loads(line)
    if d["n_gen"] == 0: pp = d["avg_ts"]
    else: tg = d["avg_ts"]
print(pp, tg)'
}

for r in $(seq 1 "$rounds"); do
  for m in $models; do
    name="$(basename "$m" .gguf)"
    for e in llmp-512 llmp-256 llama-native llama-avx2; do
      case "$e" in
        llmp-512) res="$(run_llmp "$e" "" "$m")" ;;
        llmp-256) res="$(run_llmp "$e" "-XX:MaxVectorSize=32" "$m")" ;;
        llama-native) [ -n "$native" ] || continue; res="$(run_llama "$native" "$m")" ;;
        llama-avx2) [ -n "$avx2" ] || continue; res="$(run_llama "$avx2" "$m")" ;;
      esac
      set -- $res
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$name" "$e" "$1" "$2" "$(load1)" | tee -a "$runs"
    done
  done
done

python3 - "$runs" "$np" "$ng" > "$out/summary.md" <<'EOF'
import csv, sys
runs, np, ng = sys.argv[1], sys.argv[2], sys.argv[3]
best, loads = {}, []
for row in csv.DictReader(open(runs), delimiter="\t"):
    loads.append(float(row["load1"]))
    for test in ("pp", "tg"):
        v = row[test + "_tok_s"]
        if v in ("None", "null", ""):
            continue
        key = (row["model"], row["engine"], test)
        best[key] = max(best.get(key, 0.0), float(v))
models = sorted({k[0] for k in best})
engines = [e for e in ("llmp-512", "llmp-256", "llama-native", "llama-avx2") if any(k[1] == e for k in best)]
print(f"best of rounds, tokens/s (pp{np}, tg{ng}); load average during the runs {min(loads):.2f}–{max(loads):.2f}\n")
print("| model | test | " + " | ".join(engines) + " | 512 ÷ native | 512 ÷ avx2 | 256 ÷ avx2 |")
print("|" + "---|" * (2 + len(engines) + 3))
for m in models:
    for test in ("pp", "tg"):
        vals = {e: best.get((m, e, test)) for e in engines}
        def ratio(a, b):
            return f"{vals[a] / vals[b]:.2f}×" if vals.get(a) and vals.get(b) else "–"
        cells = [f"{vals[e]:.1f}" if vals[e] else "–" for e in engines]
        print(f"| {m} | {test} | " + " | ".join(cells) + f" | {ratio('llmp-512', 'llama-native')} | "
              f"{ratio('llmp-512', 'llama-avx2')} | {ratio('llmp-256', 'llama-avx2')} |")
EOF
cat "$out/summary.md"

#!/usr/bin/env bash
# The trainer's frame budget (issue 12), measured side by side with the minimal Bevy scene
# (../shared/tools/minimal-scene): for every bundled scenario the minimal scene, the trainer at
# Low and at High, one after the other, then the minimal scene again. Each row's ratios are
# against the mean of the two minimal runs around it, so load that drifts during the run
# (a shared machine) moves both sides of a ratio alike. Prints the README's table, then
# whether every target is met (exit status 1 if not). Not run in CI: it takes about
# 15 minutes on the 2-core build machine.
#
#   benches/frames.sh [SCENARIO...]        (default: every scenario in scenarios/)
#   make frames                            (the same, all scenarios)
#
# Environment: FRAMES (measured frames per run, default 100), CARGO_TARGET_DIR (default
# ~/.cache/deescalate-target, as the minimal scene's run.sh), DISPLAY (else Xvfb is started on
# :${BENCH_DISPLAY:-94}), BENCH_OUT (keeps every run's output there; default a temporary folder).
# Targets: Low >= 0.8x and High >= 0.4x the minimal scene's fps, peak memory <= 1.3x its peak.
set -euo pipefail
cd "$(dirname "$0")/.."
frames=${FRAMES:-100}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/deescalate-target}"
minimal_tool=../shared/tools/minimal-scene/run.sh
[ -x "$minimal_tool" ] || { echo "frames.sh: $minimal_tool not found" >&2; exit 2; }

# The route each scenario plays: long enough for the measured frames, the subject in view.
route_of() {
  case $1 in
    knife_sidewalk) echo knife_down_care ;;
    bridge_railing) echo care_hospital ;;
    bar_patron) echo taxi_home ;;
    dementia_car_park) echo home_with_susan ;;
    autistic_meltdown_shop) echo walked_to_car ;;
    bat_front_garden) echo hospital_with_mum_after ;;
    domestic_doorstep) echo support_for_her ;;
    replica_gun_car_park) echo route_waited_together ;;
    shoplifting_accused) echo paid_and_home ;;
    veteran_pickup) echo with_va_textbook ;;
    # A scenario added later: its first transcript.
    *) for t in "tests/transcripts/$1"/*.txt; do [ -f "$t" ] && basename "$t" .txt; break; done ;;
  esac
}

if [ $# -gt 0 ]; then scenarios=("$@"); else
  scenarios=(); for f in scenarios/*.ron; do scenarios+=("$(basename "$f" .ron)"); done
fi

out=${BENCH_OUT:-$(mktemp -d)}
mkdir -p "$out"
# Under `set -e` a cleanup ending in a false test would turn the run's exit status into 1.
cleanup() {
  if [ -n "${xpid:-}" ]; then kill "$xpid" 2>/dev/null || true; fi
  if [ -z "${BENCH_OUT:-}" ]; then rm -rf "$out"; fi
}
trap cleanup EXIT
if [ -z "${DISPLAY:-}" ]; then
  Xvfb ":${BENCH_DISPLAY:-94}" -screen 0 1280x720x24 >/dev/null 2>&1 & xpid=$!
  sleep 1; export DISPLAY=":${BENCH_DISPLAY:-94}"
fi
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$out}"

# Build both first (the minimal scene's tool builds it and runs it once: a warm-up).
cargo build -q
echo "warm-up: $("$minimal_tool" . 10)" >&2
# A copy: a core build (`--no-default-features`) in the same target folder replaces the binary.
cp "$CARGO_TARGET_DIR/debug/deescalate" "$out/deescalate"
trainer=$out/deescalate
minimal=$CARGO_TARGET_DIR/debug/minimal-scene

# "FPS RSS_MB" of one minimal-scene run (the same measure as run.sh: fps after a warm-up,
# peak resident set from /usr/bin/time).
run_minimal() {
  MINIMAL_SCENE_FRAMES=$frames /usr/bin/time -f 'rss_kb %M' "$minimal" >"$out/minimal.log" 2>&1
  local fps rss
  fps=$(sed -n 's/^probe:.* = \([0-9.]*\) fps/\1/p' "$out/minimal.log")
  rss=$(sed -n 's/^rss_kb //p' "$out/minimal.log")
  [ -n "$fps" ] && [ -n "$rss" ] || { echo "frames.sh: minimal scene failed:" >&2; tail -5 "$out/minimal.log" >&2; exit 2; }
  echo "$fps $((rss / 1024))"
}

# "FPS P50 P95 RSS_MB" of the trainer on scenario $1 at preset $2.
run_trainer() {
  local log="$out/$1-$2.log" route
  route=$(route_of "$1")
  [ -n "$route" ] || { echo "frames.sh: no transcript to play in tests/transcripts/$1" >&2; exit 2; }
  # A fresh records folder: the runs this script cut short must not pile up as interrupted runs.
  rm -rf "$out/records"; mkdir -p "$out/records"
  "$trainer" play "scenarios/$1.ron" --graphics "$2" --autoplay "tests/transcripts/$1/$route.txt" \
    --benchmark "$frames" --records "$out/records" >"$log" 2>&1 || true
  local line
  line=$(grep '^benchmark: [0-9]' "$log" || true)
  [ -n "$line" ] || { echo "frames.sh: $1 at $2 printed no benchmark line:" >&2; tail -5 "$log" >&2; exit 2; }
  echo "$line" | sed 's/^benchmark: [0-9]* frames, \([0-9.]*\) fps, p50 \([0-9.]*\) ms, p95 \([0-9.]*\) ms, peak rss \([0-9?]*\) MB$/\1 \2 \3 \4/'
}

echo "| scenario | minimal scene | Low | Low ÷ minimal (≥ 0.8) | High | High ÷ minimal (≥ 0.4) | peak memory minimal / Low / High (≤ 1.3×) |"
echo "|---|---|---|---|---|---|---|"
r=$(run_minimal); read -r m_fps m_rss <<<"$r"
misses=()
for s in "${scenarios[@]}"; do
  r=$(run_trainer "$s" low); read -r l_fps l_p50 l_p95 l_rss <<<"$r"
  r=$(run_trainer "$s" high); read -r h_fps h_p50 h_p95 h_rss <<<"$r"
  r=$(run_minimal); read -r m2_fps m2_rss <<<"$r"
  row=$(awk -v s="$s" -v mf="$m_fps" -v mf2="$m2_fps" -v mr="$m_rss" \
    -v lf="$l_fps" -v l50="$l_p50" -v l95="$l_p95" -v lr="$l_rss" \
    -v hf="$h_fps" -v h50="$h_p50" -v h95="$h_p95" -v hr="$h_rss" 'BEGIN {
      m = (mf + mf2) / 2; lo = lf / m; hi = hf / m; lm = lr / mr; hm = hr / mr
      miss = ""
      if (lo < 0.8) miss = miss " Low fps " sprintf("%.2f", lo) "x"
      if (hi < 0.4) miss = miss " High fps " sprintf("%.2f", hi) "x"
      if (lm > 1.3) miss = miss " Low memory " sprintf("%.2f", lm) "x"
      if (hm > 1.3) miss = miss " High memory " sprintf("%.2f", hm) "x"
      printf "| %s | %.2f fps | %.2f fps (p50 %.1f ms, p95 %.1f ms) | **%.2f×** | %.2f fps (p50 %.1f ms, p95 %.1f ms) | **%.2f×** | %d / %d / %d MB (%.2f× / %.2f×) |\t%s\n",
        s, m, lf, l50, l95, lo, hf, h50, h95, hi, mr, lr, hr, lm, hm, miss
    }')
  echo "${row%%$'\t'*}"
  miss=${row#*$'\t'}
  [ -z "$miss" ] || misses+=("$s:$miss")
  m_fps=$m2_fps; m_rss=$m2_rss
done
echo
if [ ${#misses[@]} -eq 0 ]; then
  echo "every target met ($frames frames per run)"
else
  printf 'missed: %s\n' "${misses[@]}"
  exit 1
fi

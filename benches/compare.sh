#!/usr/bin/env bash
# Side-by-side benchmarks of issue 16 in one run, on one machine, against the peers:
#   node    the npm package (WASM) vs loanjs and a decimal.js loop      benches/node/bench.cjs
#   python  the wheel vs numpy-financial and pyxirr                       benches/python/compare.py
#   rust    the core's criterion benches vs rust_finprim (Decimal)       benches/benches/*.rs
# then prints one table of ratios (node and rust rows; the Python section prints its own table
# with its targets). Peers go into git-ignored folders: .tools/bench-node (npm),
# .venv-bench-python (pip), target/ (cargo, feature `peers` of loansyncro-benches).
#
#   bash benches/compare.sh                  # every section, full measurements (~15-25 min)
#   bash benches/compare.sh node rust        # some sections
#   bash benches/compare.sh --smoke          # node only, a few hundred calls (seconds, figures
#                                            # not meaningful): the wasm suite runs this
#   --quick: shorter measurements; --tarball FILE: the npm package to measure (default: built
#   now by bindings/wasm/scripts/build.sh, so the figures are of the current source).
# Not part of the test command (too slow); scripts/suites/30-wasm.sh runs the smoke mode.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
MODE=full
TARBALL=""
SECTIONS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) MODE=smoke ;;
    --quick) MODE=quick ;;
    --tarball) TARBALL="$(realpath "$2")"; shift ;;
    node | python | rust) SECTIONS+=("$1") ;;
    -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ ${#SECTIONS[@]} -eq 0 ]; then
  if [ "$MODE" = smoke ]; then SECTIONS=(node); else SECTIONS=(node python rust); fi
fi
OUT="$ROOT/target/compare"
mkdir -p "$OUT"
rm -f "$OUT"/*.tsv
section() { printf '\n=== %s (%s) ===\n' "$*" "$MODE"; }
timed() { local t0=$SECONDS; "$@"; echo "(${1##*/} ${2:-}: $((SECONDS - t0)) s)"; }

for s in "${SECTIONS[@]}"; do
  case "$s" in
    node)
      section "node: loansyncro (WASM) vs loanjs, decimal.js"
      if [ -z "$TARBALL" ]; then
        bash bindings/wasm/scripts/build.sh "$OUT/wasm" > "$OUT/wasm-build.log" 2>&1 \
          || { tail -30 "$OUT/wasm-build.log"; exit 1; }
        TARBALL="$(ls "$OUT"/wasm/loansyncro-*.tgz)"
      fi
      flag=()
      [ "$MODE" = smoke ] && flag=(--smoke)
      [ "$MODE" = quick ] && flag=(--quick)
      timed bash benches/node/run.sh "$TARBALL" "${flag[@]}" --tsv "$OUT/node.tsv"
      ;;
    python)
      section "python: loansyncro vs numpy-financial, pyxirr"
      flag=()
      [ "$MODE" != full ] && flag=(--quick)
      timed bash benches/python/run.sh "${flag[@]}"
      ;;
    rust)
      section "rust: criterion, loansyncro vs rust_finprim"
      flag=()
      [ "$MODE" != full ] && flag=(--quick)
      timed cargo bench --locked -p loansyncro-benches --features peers --bench schedule --bench finance \
        -- "${flag[@]}" 'schedule_360/|finance/(pmt|rust_finprim_pmt|rate)$|apr_360' 2>&1 | tee "$OUT/rust.log" \
        | grep -E '^[a-z_0-9/]+ +time:|^[a-z_0-9/]+$|time:' || true
      # criterion prints "group/name  time: [low median high]" (the name on its own line when long).
      awk '
        function us(v, u) { return u == "ns" ? v / 1000 : u == "ms" ? v * 1000 : u == "s" ? v * 1e6 : v }
        /^[a-z_0-9\/]+/ { name = $1 }
        /time:/ { for (i = 1; i <= NF; i++) if ($i == "time:") { m = us($(i + 3), $(i + 4)); t[name] = m } }
        END {
          if ("schedule_360/loansyncro" in t)
            printf "Rust 360-row schedule\t%s\trust_finprim (Decimal)\t%s\t1.6\n", t["schedule_360/loansyncro"], t["schedule_360/rust_finprim_decimal"]
          if ("finance/pmt" in t)
            printf "Rust pmt (Decimal)\t%s\trust_finprim\t%s\t0.3\n", t["finance/pmt"], t["finance/rust_finprim_pmt"]
          if ("finance/rate" in t) printf "Rust rate (360 periods)\t%s\t-\t\t5\n", t["finance/rate"]
          if ("apr_360_payments" in t) printf "Rust APR of 360 level payments\t%s\t-\t\t20\n", t["apr_360_payments"]
        }' "$OUT/rust.log" > "$OUT/rust.tsv"
      ;;
  esac
done

# The table: loansyncro's time, the peer's, how many times the peer's time ours is, the target.
section "summary (time per call; ratio = loansyncro / peer, below 1 is faster)"
cat "$OUT"/*.tsv 2>/dev/null | awk -F '\t' '
  function t(v) { return v >= 1000 ? sprintf("%.2f ms", v / 1000) : sprintf("%.2f us", v) }
  BEGIN {
    printf "| %-44s | %12s | %-24s | %12s | %7s | %12s |\n", "call", "loansyncro", "peer", "peer", "ratio", "target"
    printf "|%s|%s|%s|%s|%s|%s|\n", "----------------------------------------------", "--------------", "--------------------------", "--------------", "---------", "--------------"
  }
  NF >= 3 {
    ratio = ($4 > 0) ? sprintf("%.2f", $2 / $4) : "-"
    target = ($5 != "") ? sprintf("<= %s%s", t($5), ($2 <= $5 ? "" : " !")) : "-"
    printf "| %-44s | %12s | %-24s | %12s | %7s | %12s |\n", $1, t($2), $3, ($4 != "" ? t($4) : "-"), ratio, target
  }'
echo "(target \"!\": not met. $(uname -m), $(nproc) CPUs, load average $(cut -d ' ' -f 1-3 /proc/loadavg))"

#!/usr/bin/env bash
# Is `signet publish` over a folder of real distributions at least as fast as signing the same files one by one with
# the reference minisign CLI? Both run side by side in one run, alternating, ROUNDS times; a measurement, not a test.
#
#   bench/publish.sh                 # builds proxy-server/target/signet.jar first if it is missing
#   FILES=300 ROUNDS=3 bench/publish.sh --no-build
#   SIDES="minisign link" FOLDERS=/opt/pypi bench/publish.sh --no-build
#
# Inputs: the FILES first (by name; default all) distributions of the kinds in KINDS (default whl; "whl tar.gz" adds
# sdists) and at most MAX_BYTES (default: no limit) in FOLDERS (default: where this machine's pip configuration
# points, find-links and file:// indexes in /etc/pip.conf, /etc/xdg/pip/pip.conf, ~/.config/pip/pip.conf, the same
# folders the tests use). The issue's set, "the 887 real wheels the tests can reach", is FOLDERS=/opt/pypi on the
# machine the issue was written on (its pip configuration also names /opt/pypi-more and /opt/wheels: 967 in all). They are copied once into the run's folder, and every side
# reads that copy. Output and logs: bench/out/publish-<timestamp>/ (git-ignored), results in results.md there.
#
# Sides (SIDES, default "minisign copy link"): minisign -S per file (BLAKE2b + Ed25519, one process per file, no
# fsync); `signet publish` as shipped (copy), one JVM that copies every file into the index while hashing it once
# (SHA-256 + BLAKE2b), extracts and signs each wheel's METADATA, signs everything on all cores, renders and signs one
# page per project, and fsyncs it all; `signet publish --link`, the same with every input hard-linked into the index
# instead of copied. JVM start-up is included in signet's times. Each side's CPU time (user + sys) is recorded too:
# on a shared machine it says more than the wall time. signet's own per-step timings (DEBUG log) are in its logs.
set -euo pipefail
cd "$(dirname "$0")/.."

FILES=${FILES:-all}
ROUNDS=${ROUNDS:-3}
MAX_BYTES=${MAX_BYTES:-}
KINDS=${KINDS:-whl}
SIDES=${SIDES:-minisign copy link}
BUILD=1
if [[ ${1:-} == --no-build ]]; then BUILD=0; elif [[ ${1:-} == --help ]]; then sed -n 2,24p "$0"; exit 0; fi

JAR=proxy-server/target/signet.jar
if [[ ! -f $JAR ]]; then
  if ((BUILD)); then mvn -o -q -B -DskipTests package; else echo "missing $JAR (run without --no-build)" >&2; exit 1; fi
fi
command -v minisign >/dev/null || { echo "minisign is not installed" >&2; exit 1; }

OUT=${BENCH_OUT:-bench/out/publish-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

read -ra folders <<< "${FOLDERS:-}"
((${#folders[@]})) || for config in /etc/pip.conf /etc/xdg/pip/pip.conf "$HOME/.config/pip/pip.conf"; do
  [[ -r $config ]] || continue
  while read -r location; do
    location=${location#file://}
    [[ $(basename "$location") == simple ]] && location=$(dirname "$location")
    [[ -d $location ]] && folders+=("$location")
  done < <(grep -E '^\s*(find-links|extra-index-url|index-url)\s*=' "$config" | sed 's/^[^=]*=//' | tr ' ' '\n' | grep '^\(file://\)\?/')
done
((${#folders[@]})) || { echo "no local package folders in the pip configuration" >&2; exit 1; }

names=()
for kind in $KINDS; do names+=(-o -name "*.$kind"); done
size=()
[[ -n $MAX_BYTES ]] && size=(-size -"$((MAX_BYTES + 1))"c)
[[ $FILES == all ]] && FILES=1000000000
find "${folders[@]}" -type f \( "${names[@]:1}" \) "${size[@]}" -printf '%f\t%p\n' \
  | sort -u -t$'\t' -k1,1 | awk -v n="$FILES" 'NR <= n' | cut -f2 > "$OUT/inputs.txt"
count=$(wc -l < "$OUT/inputs.txt")
bytes=$(xargs -d '\n' du -cb < "$OUT/inputs.txt" | tail -1 | cut -f1)
echo "inputs: $count files, $bytes bytes, from ${folders[*]}"

minisign -G -W -f -p "$OUT/key.pub" -s "$OUT/key.key" > /dev/null
# One copy of the inputs that every side reads (minisign writes its .minisig files beside them; --link links them).
mkdir -p "$OUT/inputs"
xargs -d '\n' cp -t "$OUT/inputs" < "$OUT/inputs.txt"
find "$OUT/inputs" -type f ! -name '*.minisig' | sort > "$OUT/copied.txt"

# Each run prints "WALL CPU" (seconds): wall from date, CPU (user + sys of it and its children) from GNU time.
timed() { /usr/bin/time -f '%e %U %S' -o "$OUT/time.tmp" "$@"; awk '{printf "%s %.2f\n", $1, $2 + $3}' "$OUT/time.tmp"; }
run_minisign() {
  rm -f "$OUT"/inputs/*.minisig
  timed bash -c 'while read -r file; do minisign -S -s "$0" -m "$file" > /dev/null; done < "$1"' \
    "$OUT/key.key" "$OUT/copied.txt"
}
run_signet() {
  local side=$1 round=$2 flags=()
  [[ $side == link ]] && flags=(--link)
  rm -rf "$OUT/index-$side-$round"
  LOG="$OUT/signet-$side-$round.log" timed bash -c 'xargs -d "\n" java "$@" < "$0" > "$LOG" 2>&1' "$OUT/copied.txt" \
    ${BENCH_JAVA_OPTS:-} -DSIGNET_LOG_LEVEL=DEBUG \
    -jar "$JAR" publish "${flags[@]}" --key "$OUT/key.key" --out "$OUT/index-$side-$round"
  rm -rf "$OUT/index-$side-$round"   # 3.8 GB per copy: keep the disk and the page cache for the next run
}
# Prints only "WALL CPU": every program's own output goes to /dev/null or the run's log.
run_side() { if [[ $1 == minisign ]]; then run_minisign; else run_signet "$1" "$2"; fi; }

read -ra sides <<< "$SIDES"
{
  echo "# signet publish vs minisign -S one by one"
  echo
  echo "$count files, $bytes bytes; $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  printf '| round |'; for side in "${sides[@]}"; do printf ' %s wall s (CPU s) |' "$side"; done
  [[ " ${sides[*]} " == *" minisign "* ]] && for side in "${sides[@]}"; do [[ $side != minisign ]] && printf ' minisign / %s |' "$side"; done
  echo
  printf '| --- |'; for side in "${sides[@]}"; do printf ' --- |'; done
  [[ " ${sides[*]} " == *" minisign "* ]] && for side in "${sides[@]}"; do [[ $side != minisign ]] && printf ' --- |'; done
  echo
} > "$OUT/results.md"
for round in $(seq 1 "$ROUNDS"); do
  # Rotate which side goes first, so a burst of load on the shared machine does not always hit the same one.
  declare -A wall=() cpu=()
  n=${#sides[@]}
  for ((i = 0; i < n; i++)); do
    side=${sides[$(((i + round - 1) % n))]}
    read -r w c < <(run_side "$side" "$round")
    wall[$side]=$w; cpu[$side]=$c
    echo "round $round: $side $w s wall, $c s CPU (load $(cut -d' ' -f1 /proc/loadavg))"
  done
  {
    printf '| %d |' "$round"
    for side in "${sides[@]}"; do printf ' %.2f (%.2f) |' "${wall[$side]}" "${cpu[$side]}"; done
    if [[ -n ${wall[minisign]:-} ]]; then
      for side in "${sides[@]}"; do
        [[ $side != minisign ]] && printf ' %s |' "$(echo "scale=2; ${wall[minisign]} / ${wall[$side]}" | bc)"
      done
    fi
    echo
  } >> "$OUT/results.md"
done
{
  echo
  echo "A ratio of 1 or more means signet publish was at least as fast. Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "signet's steps in the last round (DEBUG log):"
  echo
  for side in "${sides[@]}"; do
    [[ $side == minisign ]] && continue
    echo "* $side: $(grep -ho 'steps (wall).*' "$OUT/signet-$side-$ROUNDS.log" || echo none); start-up: $(grep -ho 'publish starts [0-9]* ms' "$OUT/signet-$side-$ROUNDS.log" || echo unknown)"
  done
  echo
  echo "Logs: $OUT"
} >> "$OUT/results.md"
rm -f "$OUT/time.tmp"
cat "$OUT/results.md"

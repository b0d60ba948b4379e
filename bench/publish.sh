#!/usr/bin/env bash
# Is `signet publish` over a folder of real distributions at least as fast as signing the same files one by one with
# the reference minisign CLI? Both run side by side in one run, alternating, ROUNDS times; a measurement, not a test.
#
#   bench/publish.sh                 # builds proxy-server/target/signet.jar first if it is missing
#   FILES=300 ROUNDS=3 bench/publish.sh --no-build
#
# Inputs: the FILES first (by name) wheels and sdists of at most MAX_BYTES found where this machine's pip configuration
# points (find-links and file:// indexes in /etc/pip.conf, /etc/xdg/pip/pip.conf, ~/.config/pip/pip.conf), the same
# folders the tests use. Output and logs: bench/out/publish-<timestamp>/ (git-ignored), results in results.md there.
#
# What each side does: minisign -S per file (BLAKE2b + Ed25519, one process per file, no fsync). signet publish: one
# JVM that copies every file into the index while hashing it once (SHA-256 + BLAKE2b), extracts and signs each wheel's
# METADATA, signs everything on all cores, renders and signs one page per project, and fsyncs it all. JVM start-up is
# included in its time.
set -euo pipefail
cd "$(dirname "$0")/.."

FILES=${FILES:-300}
ROUNDS=${ROUNDS:-3}
MAX_BYTES=${MAX_BYTES:-2097152}
BUILD=1
if [[ ${1:-} == --no-build ]]; then BUILD=0; elif [[ ${1:-} == --help ]]; then sed -n 2,16p "$0"; exit 0; fi

JAR=proxy-server/target/signet.jar
if [[ ! -f $JAR ]]; then
  if ((BUILD)); then mvn -o -q -B -DskipTests package; else echo "missing $JAR (run without --no-build)" >&2; exit 1; fi
fi
command -v minisign >/dev/null || { echo "minisign is not installed" >&2; exit 1; }

OUT=${BENCH_OUT:-bench/out/publish-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

folders=()
for config in /etc/pip.conf /etc/xdg/pip/pip.conf "$HOME/.config/pip/pip.conf"; do
  [[ -r $config ]] || continue
  while read -r location; do
    location=${location#file://}
    [[ $(basename "$location") == simple ]] && location=$(dirname "$location")
    [[ -d $location ]] && folders+=("$location")
  done < <(grep -E '^\s*(find-links|extra-index-url|index-url)\s*=' "$config" | sed 's/^[^=]*=//' | tr ' ' '\n' | grep '^\(file://\)\?/')
done
((${#folders[@]})) || { echo "no local package folders in the pip configuration" >&2; exit 1; }

find "${folders[@]}" -type f \( -name '*.whl' -o -name '*.tar.gz' \) -size -"$((MAX_BYTES + 1))"c -printf '%f\t%p\n' \
  | sort -u -t$'\t' -k1,1 | awk -v n="$FILES" 'NR <= n' | cut -f2 > "$OUT/inputs.txt"
count=$(wc -l < "$OUT/inputs.txt")
bytes=$(xargs -d '\n' du -cb < "$OUT/inputs.txt" | tail -1 | cut -f1)
echo "inputs: $count files, $bytes bytes, from ${folders[*]}"

minisign -G -W -f -p "$OUT/key.pub" -s "$OUT/key.key" > /dev/null
mkdir -p "$OUT/minisign-inputs"
xargs -d '\n' cp -t "$OUT/minisign-inputs" < "$OUT/inputs.txt"

now() { date +%s.%N; }
run_minisign() {
  rm -f "$OUT"/minisign-inputs/*.minisig
  local start; start=$(now)
  for file in "$OUT"/minisign-inputs/*; do
    minisign -S -s "$OUT/key.key" -m "$file" > /dev/null
  done
  echo "$(now) - $start" | bc
}
run_signet() {
  local round=$1
  rm -rf "$OUT/index-$round"
  local start; start=$(now)
  xargs -d '\n' java ${BENCH_JAVA_OPTS:-} -jar "$JAR" publish --key "$OUT/key.key" --out "$OUT/index-$round" \
    < "$OUT/inputs.txt" > "$OUT/signet-$round.log" 2>&1
  echo "$(now) - $start" | bc
}

{
  echo "# signet publish vs minisign -S one by one"
  echo
  echo "$count files, $bytes bytes; $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| round | minisign -S per file (s) | signet publish (s) | minisign / signet |"
  echo "| --- | --- | --- | --- |"
} > "$OUT/results.md"
for round in $(seq 1 "$ROUNDS"); do
  # Alternate which side goes first, so a burst of load on the shared machine does not always hit the same one.
  if ((round % 2)); then m=$(run_minisign); s=$(run_signet "$round"); else s=$(run_signet "$round"); m=$(run_minisign); fi
  ratio=$(echo "scale=2; $m / $s" | bc)
  printf '| %d | %.2f | %.2f | %s |\n' "$round" "$m" "$s" "$ratio" >> "$OUT/results.md"
  echo "round $round: minisign $m s, signet publish $s s, ratio $ratio"
done
echo >> "$OUT/results.md"
echo "A ratio of 1 or more means signet publish was at least as fast. Logs: $OUT" >> "$OUT/results.md"
cat "$OUT/results.md"

#!/usr/bin/env bash
# The hashes of a cold fill, CPU seconds per GiB: Signet's BLAKE2b-512 (dev.signet.crypto.Blake2b512: libsodium's when
# it loads), Signet's Java one (JavaBlake2b512), Bouncy Castle's Blake2bDigest (what Signet used before), the JDK's
# SHA-256, and coreutils' b2sum and sha256sum over the same amount of data, side by side in one run, ROUNDS times. A
# measurement, not a test. CPU time, not wall time: these machines are shared, and other load changes how much CPU a
# hash gets far more than how much it needs.
#
#   bench/hash.sh                 # builds proxy-server/target/signet.jar first if it is missing
#   ROUNDS=5 GIB=1 bench/hash.sh --no-build
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
GIB=${GIB:-1}
JAR=proxy-server/target/signet.jar
if [[ ! -f $JAR ]]; then
  if [[ ${1:-} == --no-build ]]; then echo "missing $JAR (run without --no-build)" >&2; exit 1; fi
  mvn -o -q -B -DskipTests package
fi
OUT=${BENCH_OUT:-bench/out/hash-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
data="$OUT/data.bin"
head -c $((GIB << 30)) /dev/urandom > "$data"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/results.txt"
java -cp "$JAR" bench/HashBench.java "$ROUNDS" "$GIB" > "$OUT/java.txt"
# The measurements are "ROUND NAME VALUE"; anything else (which BLAKE2b Signet uses, the log) goes to the results.
grep -E '^[0-9]+ ' "$OUT/java.txt" | tee -a "$OUT/runs.txt"
grep -vE '^[0-9]+ ' "$OUT/java.txt" | tee -a "$OUT/results.txt" || true
for round in $(seq "$ROUNDS"); do
  for tool in b2sum sha256sum; do
    cat "$data" > /dev/null  # in the page cache, as the JVM's buffer is in memory
    cpu=$( { /usr/bin/time -f '%U %S' "$tool" "$data" > /dev/null; } 2>&1 | awk '{print $1 + $2}')
    echo "$round coreutils-$tool $(awk -v c="$cpu" -v g="$GIB" 'BEGIN {printf "%.3f", c / g}')" | tee -a "$OUT/runs.txt"
  done
done
rm -f "$data"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/results.txt"
# Median CPU s/GiB per hash, and each against coreutils' b2sum (the verify-first floor's BLAKE2b part).
awk '{v[$2] = v[$2] " " $3} END {for (k in v) print k v[k]}' "$OUT/runs.txt" | sort | while read -r name values; do
  median=$(tr ' ' '\n' <<<"$values" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
  echo "$name $median"
done > "$OUT/medians.txt"
b2=$(awk '$1 == "coreutils-b2sum" {print $2}' "$OUT/medians.txt")
{
  echo "| hash | CPU s per GiB (median of $ROUNDS) | against b2sum |"
  echo "|---|---|---|"
  while read -r name median; do
    echo "| $name | $median | $(awk -v m="$median" -v b="$b2" 'BEGIN {printf "%.2fx", m / b}') |"
  done < "$OUT/medians.txt"
} | tee -a "$OUT/results.txt"

#!/usr/bin/env bash
# A cold edge filling from the shared store vs a plain S3 download of the same object, side by side, alternating,
# ROUNDS times, for a ~16 MB and a ~1 GiB wheel. A measurement, not a test (docs/fleet.md; issue 16's speed goal is
# "within 1.25x of the plain download").
#
#   bench/shared-store.sh              # builds proxy-server/target/signet.jar (and copies s3proxy) if missing
#   ROUNDS=5 SIZES="16000000" bench/shared-store.sh --no-build
#
# The S3 server is s3proxy (target/s3proxy/s3proxy.jar, the tests' one) with its filesystem blobstore on loopback,
# AWS v4 authentication. The plain download is curl --aws-sigv4 to /dev/null. The edge side: a Signet (-Xmx64m,
# COLD_JAVA_OPTS) started with an empty cache before each round (start-up not timed), its project page fetched
# untimed (as pip does before any file), then one curl GET of the artifact through it to /dev/null: store GET,
# verification (signature, sha256, length), and the serve (from the verified file while the commit runs). Both timings are curl's time_total. The store read alone: each round
# also runs StoreReadBench (proxy-server test classes) in a new JVM (COLD_JAVA_OPTS): the S3 client built and warmed
# up as an edge does at start-up (not timed), then StoreReader reading the object three times into an intake that
# only counts bytes (no hashing, no disk): the first read (what a cold edge's fill gets from the store side) and the
# third (warm). Output in bench/out/shared-store-<timestamp>/ (git-ignored), results in results.md there.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$BENCH_DIR")"
cd "$REPO_DIR"
ROUNDS=${ROUNDS:-3}
SIZES=${SIZES:-"16000000 1073741824"}
COLD_JAVA_OPTS=${COLD_JAVA_OPTS:-"-Xmx64m"}
BUILD=1
if [[ ${1:-} == --no-build ]]; then BUILD=0; elif [[ ${1:-} == --help ]]; then sed -n 2,14p "$0"; exit 0; fi

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'shared-store.sh: FAILED: %s\n' "$*" >&2; exit 1; }

JAR=proxy-server/target/signet.jar
S3PROXY=proxy-server/target/s3proxy/s3proxy.jar
READ_BENCH=proxy-server/target/test-classes/dev/signet/server/shared/StoreReadBench.class
if [[ ! -f $JAR || ! -f $S3PROXY || ! -f $READ_BENCH ]]; then
    ((BUILD)) || die "missing $JAR or $S3PROXY (run without --no-build)"
    mvn -o -q -B -DskipTests package
    mvn -o -q -B -pl proxy-server dependency:copy@copy-s3proxy
fi

OUT=${BENCH_OUT:-$BENCH_DIR/out/shared-store-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"/{index,keys,s3,edges}
OUT=$(cd "$OUT" && pwd)
log "output in $OUT"

STARTED_PIDS=()
cleanup() {
    local status=$? pid
    trap - EXIT INT TERM
    for pid in "${STARTED_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${STARTED_PIDS[@]}"; do
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    # No 1 GiB copies are kept: the edges' caches, the blobstore and the index go; logs and results stay.
    rm -rf "$OUT/edges"/*/cache "$OUT/s3/blobs" "$OUT/index/packages"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_port() {  # wait_port NAME PID PORT LOG
    for _ in $(seq 600); do
        kill -0 "$2" 2>/dev/null || { tail -n 20 "$4" >&2 || true; die "$1 exited during startup (log: $4)"; }
        if (exec 3<>"/dev/tcp/127.0.0.1/$3") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    die "$1 did not listen on $3 within 60 s"
}

# ---------------------------------------------------------------------------------------------------- index, keys
cold_small=0; cold_large=0
for size in $SIZES; do
    if ((size < 1 << 28)); then cold_small=$size; else cold_large=$size; fi
done
declare -A FILE SIZE SHA
while read -r project file size sha; do
    FILE[$project]=$file; SIZE[$project]=$size; SHA[$project]=$sha
done < <(python3 "$BENCH_DIR/make_index.py" "$OUT/index" 0 0 "$cold_small" "$cold_large")
java -jar "$JAR" keygen -p "$OUT/keys/bench.pub" -s "$OUT/keys/bench.key" >"$OUT/keys/keygen.log" 2>&1 || die "keygen"
java -jar "$JAR" sign -s "$OUT/keys/bench.key" "$OUT"/index/packages/*.whl >"$OUT/keys/sign.log" 2>&1 || die "sign"

# ---------------------------------------------------------------------------------------------------- servers
UPSTREAM_PORT=$(free_port); S3_PORT=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$OUT/index" "$UPSTREAM_PORT" >"$OUT/upstream.log" 2>&1 &
STARTED_PIDS+=($!); wait_port upstream $! "$UPSTREAM_PORT" "$OUT/upstream.log"

ACCESS=bench-access; SECRET=bench-secret-0123456789
cat >"$OUT/s3/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ACCESS
s3proxy.credential=$SECRET
jclouds.provider=filesystem
jclouds.filesystem.basedir=$OUT/s3/blobs
jclouds.identity=unused
jclouds.credential=unused
PROPS
mkdir -p "$OUT/s3/blobs"
java -Xmx512m -jar "$S3PROXY" --properties "$OUT/s3/s3proxy.properties" >"$OUT/s3/s3proxy.log" 2>&1 &
STARTED_PIDS+=($!); wait_port s3proxy $! "$S3_PORT" "$OUT/s3/s3proxy.log"
S3="http://127.0.0.1:$S3_PORT"
# s3proxy checks x-amz-content-sha256, which curl does not compute: the payload is declared unsigned.
s3curl() { curl -s --aws-sigv4 "aws:amz:us-east-1:s3" --user "$ACCESS:$SECRET" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"; }
s3curl -X PUT -o /dev/null -w '%{http_code}' "$S3/bench" | grep -q 200 || die "cannot create the bucket"

export AWS_ACCESS_KEY_ID=$ACCESS AWS_SECRET_ACCESS_KEY=$SECRET
EDGE_PID=""; EDGE_PORT=""
start_edge() {  # start_edge NAME: a Signet with an empty cache on the store
    local dir="$OUT/edges/$1"
    rm -rf "$dir"; mkdir -p "$dir"
    EDGE_PORT=$(free_port)
    # shellcheck disable=SC2086
    java $COLD_JAVA_OPTS -jar "$JAR" serve --upstream "http://127.0.0.1:$UPSTREAM_PORT/simple/" \
        --trusted-key "@$OUT/keys/bench.pub" --listen "127.0.0.1:$EDGE_PORT" --admin-listen 127.0.0.1:0 \
        --cache-dir "$dir/cache" --set "shared-store.url=s3://bench/fleet" --set "shared-store.endpoint=$S3" \
        --set shared-store.path-style=true --set shared-store.timeout=60s >"$dir/signet.log" 2>&1 &
    EDGE_PID=$!; STARTED_PIDS+=("$EDGE_PID")
    wait_port "signet $1" "$EDGE_PID" "$EDGE_PORT" "$dir/signet.log"
}
stop_edge() { kill -TERM "$EDGE_PID"; wait "$EDGE_PID" 2>/dev/null || true; rm -rf "$OUT/edges/$1/cache"; }

# ---------------------------------------------------------------------------------------------------- seed the store
start_edge seed
for project in "${!FILE[@]}"; do
    file=${FILE[$project]}
    got=$(curl -sf "http://127.0.0.1:$EDGE_PORT/packages/$project/$file" | sha256sum | cut -d' ' -f1)
    [[ $got == "${SHA[$project]}" ]] || die "seed edge served wrong bytes for $file"
    for _ in $(seq 1200); do
        [[ $(s3curl -I -o /dev/null -w '%{http_code}' "$S3/bench/fleet/artifacts/$project/$file") == 200 ]] && break
        sleep 0.5
    done
    [[ $(s3curl -I -o /dev/null -w '%{http_code}' "$S3/bench/fleet/artifacts/$project/$file") == 200 ]] \
        || die "$file was not uploaded to the store"
    log "store seeded with $file (${SIZE[$project]} bytes)"
done
stop_edge seed

# ---------------------------------------------------------------------------------------------------- rounds
timed() { curl -s -o /dev/null -w '%{http_code} %{size_download} %{time_total}' "$@"; }
echo "project round plain_s3_s edge_from_store_s reader_first_s reader_warm_s" >"$OUT/runs.txt"
for project in $(printf '%s\n' "${!FILE[@]}" | sort); do
    file=${FILE[$project]}
    for round in $(seq "$ROUNDS"); do
        read -r code got plain <<<"$(s3curl -o /dev/null -w '%{http_code} %{size_download} %{time_total}' \
            "$S3/bench/fleet/artifacts/$project/$file")"
        [[ $code == 200 && $got == "${SIZE[$project]}" ]] || die "plain S3 download: HTTP $code, $got bytes"
        start_edge "cold-$project-$round"
        # The project page first, untimed, as pip asks for it before any file (bench/run.sh's cold rows do the same).
        curl -sf -o /dev/null "http://127.0.0.1:$EDGE_PORT/simple/$project/" || die "edge: no project page for $project"
        read -r code got edge <<<"$(timed "http://127.0.0.1:$EDGE_PORT/packages/$project/$file")"
        [[ $code == 200 && $got == "${SIZE[$project]}" ]] || die "edge: HTTP $code, $got bytes"
        grep -q "refused\|shared store get" "$OUT/edges/cold-$project-$round/signet.log" \
            && die "the cold edge did not fill from the store (see its log)"
        stop_edge "cold-$project-$round"
        # shellcheck disable=SC2086
        java $COLD_JAVA_OPTS -cp "proxy-server/target/test-classes:$JAR" dev.signet.server.shared.StoreReadBench \
            "$S3" bench fleet/ "$project" "$file" 3 >"$OUT/reader-$project-$round.txt" 2>"$OUT/reader-$project-$round.log" \
            || die "StoreReadBench failed (see $OUT/reader-$project-$round.log)"
        reader_first=$(awk '$1 == "store-read-1" {print $2}' "$OUT/reader-$project-$round.txt")
        reader_warm=$(awk '$1 == "store-read-3" {print $2}' "$OUT/reader-$project-$round.txt")
        echo "$project $round $plain $edge $reader_first $reader_warm" | tee -a "$OUT/runs.txt" >&2
    done
done
upstream_fetches=$(grep -c 'GET /packages/.*\.whl HTTP' "$OUT/upstream.log" || true)

python3 - "$OUT/runs.txt" "$upstream_fetches" >"$OUT/results.md" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]).read().splitlines()[1:]]
print("| project | rounds | plain S3 median s | edge from store median s | ratio | StoreReader first read s | ratio | StoreReader warm s | ratio |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for project in sorted({r[0] for r in rows}):
    median = lambda column: statistics.median(float(r[column]) for r in rows if r[0] == project)
    plain, edge, first, warm = median(2), median(3), median(4), median(5)
    print(f"| {project} | {sum(1 for r in rows if r[0] == project)} | {plain:.3f} | {edge:.3f} | {edge / plain:.2f}x"
          f" | {first:.3f} | {first / plain:.2f}x | {warm:.3f} | {warm / plain:.2f}x |")
print(f"\nupstream artifact downloads in the whole run: {sys.argv[2]} (one per wheel, by the seeding edge)")
PY
cat "$OUT/results.md"

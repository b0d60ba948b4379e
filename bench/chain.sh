#!/usr/bin/env bash
# Issue 13's speed goal, measured: through the chain of docs/deploy.md (HTTPS index -> signing origin -> Varnish ->
# Squid -> edge Signet), a warm edge install of a real package set is within 1.05x of a direct install from the
# origin's upstream. Interleaved (direct, edge, edge, direct, ...), ROUNDS times; medians and the ratio in
# bench/out/chain-<timestamp>/results.md. A measurement, not a test: exit 0 whatever the ratio, non-zero on any
# correctness failure.
#
#   bench/chain.sh                 # builds proxy-server/target/signet.jar if it is missing
#   ROUNDS=7 bench/chain.sh --no-build
#   PACKAGES="requests numpy" EDGE_INDEX_TTL=0s bench/chain.sh --no-build
#
# Knobs: ROUNDS (5), PACKAGES (requests flask rich httpx pydantic numpy pandas django boto3), BENCH_JAVA_OPTS
# (-Xms256m -Xmx256m, every Signet), EDGE_INDEX_TTL (the edge's index-ttl; default Signet's 10m: pages stay fresh in
# the edge for the whole run; 0s makes every page request revalidate through Squid and Varnish), BENCH_OUT.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$BENCH_DIR")"
cd "$REPO_DIR"
ROUNDS=${ROUNDS:-5}
PACKAGES=${PACKAGES:-"requests flask rich httpx pydantic numpy pandas django boto3"}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-"-Xms256m -Xmx256m"}
EDGE_INDEX_TTL=${EDGE_INDEX_TTL:-}
BUILD=1
if [[ ${1:-} == --no-build ]]; then BUILD=0; elif [[ ${1:-} == --help ]]; then sed -n 2,15p "$0"; exit 0; fi

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'chain.sh: FAILED: %s\n' "$*" >&2; exit 1; }

JAR=proxy-server/target/signet.jar
if [[ ! -f $JAR ]]; then
    ((BUILD)) || die "missing $JAR (run without --no-build)"
    mvn -o -q -B -DskipTests package
fi
for tool in nginx varnishd squid openssl curl; do
    command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || die "$tool is not installed (apt-get install nginx-light varnish squid openssl curl)"
done
NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)
VARNISHD_BIN=$(command -v varnishd || echo /usr/sbin/varnishd)
SQUID_BIN=$(command -v squid || echo /usr/sbin/squid)

OUT=${BENCH_OUT:-$BENCH_DIR/out/chain-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"/{index,tls,keys,upstream/tmp,origin,varnish,squid,edge,installs}
OUT=$(cd "$OUT" && pwd)
log "output in $OUT"
# The JVMs run a copy: a build during the run (mvn package rewrites target/signet.jar) cannot pull it from under them.
cp "$JAR" "$OUT/signet.jar"
JAR=$OUT/signet.jar

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
    # Logs, configurations and results stay; the copies of the wheels and the installed trees go.
    rm -rf "$OUT/index/files" "$OUT/installs" "$OUT/signet.jar" "$OUT/origin/cache/origin/packages" "$OUT/edge/cache"
    [[ -n ${VARNISH_WORK:-} ]] && rm -rf "$VARNISH_WORK"
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
UPSTREAM_PORT=$(free_port); ORIGIN_PORT=$(free_port); VARNISH_PORT=$(free_port); SQUID_PORT=$(free_port)
EDGE_PORT=$(free_port)
[[ $(printf '%s\n' "$UPSTREAM_PORT" "$ORIGIN_PORT" "$VARNISH_PORT" "$SQUID_PORT" "$EDGE_PORT" | sort -u | wc -l) == 5 ]] \
    || die "could not pick five distinct free ports"

# ---------------------------------------------------------------------------------------------------- index, TLS, key
# shellcheck disable=SC2086
python3 "$BENCH_DIR/make_real_index.py" "$OUT/index" $PACKAGES >"$OUT/index/files.txt" 2>"$OUT/index/pip-resolve.log" \
    || { cat "$OUT/index/pip-resolve.log" >&2; die "cannot resolve $PACKAGES from this machine's package folders"; }
FILES=$(wc -l <"$OUT/index/files.txt")
BYTES=$(awk '{ s += $3 } END { print s }' "$OUT/index/files.txt")
log "upstream index: $FILES files, $BYTES bytes (index/files.txt)"

# A throw-away CA and a certificate for 127.0.0.1: the origin checks the upstream's TLS with upstream-ca-bundle,
# the direct pip install with --cert, as pypi.org's would be checked against the system's CAs.
(
    cd "$OUT/tls"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem -days 2 \
        -subj /CN=signet-bench-ca -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr \
        -subj /CN=127.0.0.1
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext.cnf
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf
) >"$OUT/tls/openssl.log" 2>&1 || { cat "$OUT/tls/openssl.log" >&2; die "openssl could not make the test CA"; }

java -jar "$JAR" keygen -p "$OUT/keys/origin.pub" -s "$OUT/keys/origin.key" >"$OUT/keys/keygen.log" 2>&1 || die "keygen"
chmod 600 "$OUT/keys/origin.key"
ORIGIN_KEY=$(sed -n 2p "$OUT/keys/origin.pub")
[[ "$ORIGIN_KEY" == RW* ]] || die "unexpected public key file $OUT/keys/origin.pub"

# ---------------------------------------------------------------------------------------------------- servers
# The upstream: nginx over HTTPS serving the static index (1 worker, sendfile), as bench/run.sh's upstream but TLS.
{
    ((EUID == 0)) && echo "user $(id -un) $(id -gn);"
    cat <<EOF
pid $OUT/upstream/nginx.pid;
error_log $OUT/upstream/error.log warn;
worker_processes 1;
events { worker_connections 4096; }
http {
    types { text/html html; application/octet-stream whl; }
    default_type application/octet-stream;
    client_body_temp_path $OUT/upstream/tmp/body;
    proxy_temp_path $OUT/upstream/tmp/proxy;
    fastcgi_temp_path $OUT/upstream/tmp/fastcgi;
    uwsgi_temp_path $OUT/upstream/tmp/uwsgi;
    scgi_temp_path $OUT/upstream/tmp/scgi;
    sendfile on;
    keepalive_timeout 65;
    # \$request_time last: chain.sh sums it per install (the seconds pip waited on the index, server side).
    log_format timed '\$remote_addr [\$time_local] "\$request" \$status \$body_bytes_sent \$request_time';
    access_log $OUT/upstream/access.log timed;
    server {
        listen 127.0.0.1:$UPSTREAM_PORT ssl;
        ssl_certificate $OUT/tls/server.pem;
        ssl_certificate_key $OUT/tls/server.key;
        root $OUT/index;
        index index.html;
    }
}
EOF
} >"$OUT/upstream/nginx.conf"
"$NGINX_BIN" -t -q -p "$OUT/upstream" -e "$OUT/upstream/error.log" -c "$OUT/upstream/nginx.conf" \
    2>"$OUT/upstream/configtest.log" || { cat "$OUT/upstream/configtest.log" >&2; die "nginx rejected its config"; }
"$NGINX_BIN" -p "$OUT/upstream" -e "$OUT/upstream/error.log" -c "$OUT/upstream/nginx.conf" -g 'daemon off;' \
    >"$OUT/upstream/stdout.log" 2>&1 &
NGINX_PID=$!; STARTED_PIDS+=("$NGINX_PID")
wait_port upstream "$NGINX_PID" "$UPSTREAM_PORT" "$OUT/upstream/error.log"
UPSTREAM="https://127.0.0.1:$UPSTREAM_PORT/simple/"

# start_signet NAME DIR PORT ARGS...: java $BENCH_JAVA_OPTS -jar signet.jar serve ARGS, cache in DIR/cache.
start_signet() {
    local name=$1 dir=$2 port=$3 java_opts
    shift 3
    read -r -a java_opts <<<"$BENCH_JAVA_OPTS"
    java "${java_opts[@]}" -jar "$JAR" serve --listen "127.0.0.1:$port" --admin-listen 127.0.0.1:0 \
        --cache-dir "$dir/cache" "$@" >"$dir/stdout.log" 2>"$dir/stderr.log" &
    STARTED_SIGNET_PID=$!; STARTED_PIDS+=("$STARTED_SIGNET_PID")
    wait_port "$name" "$STARTED_SIGNET_PID" "$port" "$dir/stderr.log"
    log "$name: signet pid $STARTED_SIGNET_PID on 127.0.0.1:$port"
}
start_signet origin "$OUT/origin" "$ORIGIN_PORT" --upstream "$UPSTREAM" --set role=origin \
    --set "upstream-ca-bundle=$OUT/tls/ca.pem" --set "origin.key=$OUT/keys/origin.key"
ORIGIN_PID=$STARTED_SIGNET_PID

# Varnish with docker/tier.vcl (the VCL docs/deploy.md gives and SigningOriginChainIT runs), its backend the origin.
# Its work dir (-n) is short (a socket path must fit in sun_path) and readable by varnish's own user.
VARNISH_WORK=$(mktemp -d /tmp/signet-chain-varnish.XXXXXX)
chmod 755 "$VARNISH_WORK"
sed "s/\.port = \"8081\"/.port = \"$ORIGIN_PORT\"/" docker/tier.vcl >"$VARNISH_WORK/tier.vcl"
chmod 644 "$VARNISH_WORK/tier.vcl"
cp "$VARNISH_WORK/tier.vcl" "$OUT/varnish/tier.vcl"
grep -q "\"$ORIGIN_PORT\"" "$VARNISH_WORK/tier.vcl" || die "docker/tier.vcl no longer names port 8081"
"$VARNISHD_BIN" -F -n "$VARNISH_WORK" -a "127.0.0.1:$VARNISH_PORT" -T none -f "$VARNISH_WORK/tier.vcl" \
    -s malloc,1G -p default_grace=0 >"$OUT/varnish/varnishd.log" 2>&1 &
VARNISH_PID=$!; STARTED_PIDS+=("$VARNISH_PID")
wait_port varnish "$VARNISH_PID" "$VARNISH_PORT" "$OUT/varnish/varnishd.log"
log "varnish: pid $VARNISH_PID on 127.0.0.1:$VARNISH_PORT"

# Squid as the site's parent cache (docs/deploy.md section 2), memory only; the edge reaches Varnish through it.
SQUID_LOGS=$OUT/squid/logs
mkdir -p "$SQUID_LOGS"; chmod 777 "$SQUID_LOGS"
cat >"$OUT/squid/squid.conf" <<EOF
http_port 127.0.0.1:$SQUID_PORT
http_access allow localhost
http_access deny all
cache allow all
maximum_object_size 1 GB
maximum_object_size_in_memory 64 MB
cache_mem 256 MB
pid_filename none
access_log stdio:$SQUID_LOGS/access.log
cache_log $SQUID_LOGS/cache.log
logfile_rotate 0
shutdown_lifetime 0 seconds
EOF
"$SQUID_BIN" -N -d 1 -f "$OUT/squid/squid.conf" >"$OUT/squid/stdout.log" 2>&1 &
SQUID_PID=$!; STARTED_PIDS+=("$SQUID_PID")
wait_port squid "$SQUID_PID" "$SQUID_PORT" "$OUT/squid/stdout.log"
log "squid: pid $SQUID_PID on 127.0.0.1:$SQUID_PORT"

EDGE_ARGS=(--upstream "http://127.0.0.1:$VARNISH_PORT/simple/" --trusted-key "$ORIGIN_KEY"
    --set "page-keys=$ORIGIN_KEY" --set signed-pages=require --set "upstream-proxy=http://127.0.0.1:$SQUID_PORT")
[[ -n $EDGE_INDEX_TTL ]] && EDGE_ARGS+=(--set "index-ttl=$EDGE_INDEX_TTL")
start_signet edge "$OUT/edge" "$EDGE_PORT" "${EDGE_ARGS[@]}"
EDGE_PID=$STARTED_SIGNET_PID
EDGE="http://127.0.0.1:$EDGE_PORT/simple/"

# ---------------------------------------------------------------------------------------------------- installs
# cpu_ticks PID: user + system clock ticks of PID (all threads) and its direct children (Varnish's child, Squid's).
cpu_ticks() {
    local root=$1 total=0 pid fields
    for pid in "$root" $(ps -o pid= --ppid "$root"); do
        fields=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
        read -r -a fields <<<"$fields"
        total=$((total + fields[11] + fields[12]))
    done
    echo "$total"
}
CLK_TCK=$(getconf CLK_TCK)
declare -A PID_OF=([origin]=$ORIGIN_PID [varnish]=$VARNISH_PID [squid]=$SQUID_PID [edge]=$EDGE_PID [upstream]=$NGINX_PID)
SERVERS=(edge squid varnish origin upstream)

# pip with nothing of this machine's pip configuration (as the tests' Pip helper), timed from outside: wall seconds
# and pip's own CPU seconds (getrusage of the child).
PIP_TIMER='import os, resource, subprocess, sys, time
env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "requests_ca_bundle", "curl_ca_bundle")}
env["PIP_CONFIG_FILE"] = os.devnull
start = time.monotonic()
status = subprocess.call(sys.argv[2:], stdout=open(sys.argv[1], "w"), stderr=subprocess.STDOUT, env=env)
wall = time.monotonic() - start
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.3f} {r.ru_utime + r.ru_stime:.3f}")
sys.exit(status)'
EXPECTED_DIST_INFOS=$(awk '{ print $1 }' "$OUT/index/files.txt" | sort -u | wc -l)
: >"$OUT/runs.txt"
# served_seconds PATH FROM_LINE: the seconds the index took to answer pip's requests logged after line FROM_LINE of
# its log (nginx's \$request_time; the edge's access-log duration, first byte read to last byte written). Unlike
# pip's wall time, this hardly moves when other jobs take the cores from pip.
served_seconds() {
    if [[ $1 == direct ]]; then
        tail -n +"$(($2 + 1))" "$OUT/upstream/access.log" | awk '{ s += $NF } END { printf "%.3f", s }'
    else
        tail -n +"$(($2 + 1))" "$OUT/edge/stderr.log" | awk '/signet.access/ { for (i = 1; i <= NF; i++)
            if ($i ~ /^[0-9.]+ms$/) { sub(/ms$/, "", $i); s += $i } } END { printf "%.3f", s / 1000 }'
    fi
}
served_log_lines() {
    if [[ $1 == direct ]]; then wc -l <"$OUT/upstream/access.log"; else wc -l <"$OUT/edge/stderr.log"; fi
}
# install PATH ROUND LABEL: one pip install into a fresh --target; appends "path round wall_s pip_cpu_s cpu...
# served_s" to runs.txt (cpu: seconds each server used during the install, in SERVERS order; served_s: see above).
install() {
    local path=$1 round=$2 label=$3 index cert=() target log before=() after=() result server i
    if [[ $path == direct ]]; then index=$UPSTREAM; cert=(--cert "$OUT/tls/ca.pem"); else index=$EDGE; fi
    target="$OUT/installs/$label"
    rm -rf "$target"
    log="$OUT/installs/$label.log"
    local log_from upstream_files_from
    log_from=$(served_log_lines "$path")
    upstream_files_from=$(files_fetched_from_upstream)
    for server in "${SERVERS[@]}"; do before+=("$(cpu_ticks "${PID_OF[$server]}")"); done
    # shellcheck disable=SC2086
    result=$(python3 -c "$PIP_TIMER" "$log" python3 -m pip install --isolated --no-cache-dir --disable-pip-version-check \
        --no-input --index-url "$index" "${cert[@]}" --target "$target" $PACKAGES) \
        || { tail -n 30 "$log" >&2; die "pip install through $path failed (round $round, log $log)"; }
    for server in "${SERVERS[@]}"; do after+=("$(cpu_ticks "${PID_OF[$server]}")"); done
    local installed
    installed=$(find "$target" -maxdepth 1 -name '*.dist-info' | wc -l)
    ((installed == EXPECTED_DIST_INFOS)) || die "$path install ($label) has $installed dist-info, expected $EXPECTED_DIST_INFOS"
    local cpus=""
    for i in "${!SERVERS[@]}"; do
        cpus+=" $(awk -v t=$((after[i] - before[i])) -v hz="$CLK_TCK" 'BEGIN { printf "%.3f", t / hz }')"
    done
    echo "$path $round $result$cpus $(served_seconds "$path" "$log_from")" >>"$OUT/runs.txt"
    # A warm edge answers every file from its own cache: none of them may reach the upstream.
    if [[ $path == edge && $round != 0 ]]; then
        EDGE_UPSTREAM_FILES=$((EDGE_UPSTREAM_FILES + $(files_fetched_from_upstream) - upstream_files_from))
    fi
    rm -rf "$target"
}
files_fetched_from_upstream() { grep -c ' "GET /files/' "$OUT/upstream/access.log" || true; }
EDGE_UPSTREAM_FILES=0

log "cold install through the chain (fills the origin, Varnish, Squid and the edge; not measured)"
install edge 0 cold-edge
cp "$OUT/runs.txt" "$OUT/cold-run.txt"
[[ $(files_fetched_from_upstream) == "$FILES" ]] \
    || die "the upstream served $(files_fetched_from_upstream) files for the cold install, expected $FILES (one each)"
log "warm-up: one edge and one direct install (JIT, page cache; not measured)"
install edge 0 warm-edge
install direct 0 warm-direct
: >"$OUT/runs.txt"
SQUID_LINES_BEFORE=$(wc -l <"$SQUID_LOGS/access.log")
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq "$ROUNDS"); do
    if ((round % 2)); then order=(direct edge); else order=(edge direct); fi
    for path in "${order[@]}"; do
        log "round $round/$ROUNDS: $path install"
        install "$path" "$round" "$path-$round"
    done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------------- checks
((EDGE_UPSTREAM_FILES == 0)) || die "the upstream served $EDGE_UPSTREAM_FILES files during the warm edge installs"
EDGE_MISSES=$(grep -c 'cache=miss' "$OUT/edge/stderr.log" || true)
EDGE_HITS=$(grep -c 'cache=hit' "$OUT/edge/stderr.log" || true)
REFUSALS=$(grep -c ' 403 ' "$OUT/edge/stderr.log" || true)
((REFUSALS == 0)) || die "the edge logged $REFUSALS refusals (403)"
SQUID_DURING=$(tail -n +"$((SQUID_LINES_BEFORE + 1))" "$SQUID_LOGS/access.log")
SQUID_REQUESTS=$(printf '%s' "$SQUID_DURING" | grep -c . || true)
VARNISH_STATS=$(varnishstat -n "$VARNISH_WORK" -1 -f MAIN.cache_hit -f MAIN.cache_miss -f MAIN.backend_req 2>/dev/null \
    | awk '{ printf "%s=%s ", $1, $2 }')

# ---------------------------------------------------------------------------------------------------- report
{
    echo "Chain install vs direct install, $(date -u +'%Y-%m-%d %H:%M UTC'), $(uname -srm)"
    echo "cores: $(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')); load average" \
        "before / after the rounds: $LOAD_BEFORE / $LOAD_AFTER"
    echo "packages: $PACKAGES ($FILES files, $BYTES bytes); $(python3 -m pip --version | cut -d' ' -f1-2), $(python3 --version)"
    echo "chain: nginx $("$NGINX_BIN" -v 2>&1 | sed 's/.*nginx\///') (HTTPS, test CA) -> Signet origin -> varnish" \
        "$("$VARNISHD_BIN" -V 2>&1 | head -1 | sed 's/^varnishd (varnish-//; s/ revision.*//') -> squid" \
        "$("$SQUID_BIN" -v | head -1 | sed 's/.*Version //') (parent cache) -> edge Signet (signed-pages: require," \
        "index-ttl ${EDGE_INDEX_TTL:-10m (default)}); JVM $(java -version 2>&1 | sed -n 2p), $BENCH_JAVA_OPTS"
    echo "direct: pip --index-url https://127.0.0.1/simple/ --cert <test CA>; edge: pip --index-url http://127.0.0.1/simple/ (the edge)"
    echo "during the measured edge installs: upstream file downloads $EDGE_UPSTREAM_FILES; during the rounds: squid" \
        "requests $SQUID_REQUESTS (page revalidations); whole run: edge access log hit $EDGE_HITS / miss $EDGE_MISSES," \
        "varnish $VARNISH_STATS"
    echo
    python3 - "$OUT/runs.txt" "$ROUNDS" "${SERVERS[@]}" <<'PY'
import statistics, sys
runs, rounds, servers = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rows = [line.split() for line in open(runs) if line.strip()]
by = {p: {int(r[1]): [float(x) for x in r[2:]] for r in rows if r[0] == p} for p in ("direct", "edge")}
def spread(values, fmt="{:.2f}"):
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"
ratios = [by["edge"][n][0] / by["direct"][n][0] for n in sorted(by["direct"]) if n in by["edge"]]
print("| install | rounds | wall s | pip CPU s | index served s | " + " | ".join(f"{s} CPU s" for s in servers) + " |")
print("|---|--:|--:|--:|--:|" + "--:|" * len(servers))
for path in ("direct", "edge"):
    values = list(by[path].values())
    cells = [spread([v[0] for v in values]), spread([v[1] for v in values]), spread([v[-1] for v in values])]
    cells += [f"{statistics.median(v[2 + i] for v in values):.2f}" for i in range(len(servers))]
    print(f"| {path} | {len(values)} | " + " | ".join(cells) + " |")
median_ratio = statistics.median(by["edge"][n][0] for n in by["edge"]) / statistics.median(by["direct"][n][0] for n in by["direct"])
print()
print(f"**edge / direct: {median_ratio:.3f}** (ratio of the medians; per round {min(ratios):.3f}-{max(ratios):.3f},"
      f" median of the per-round ratios {statistics.median(ratios):.3f}). Target: at most 1.05.")
print()
print("wall s: pip's wall-clock time (median of the rounds, min-max); pip CPU s: pip's own user+system CPU; index "
      "served s: the sum of the index's own per-request times for that install (nginx $request_time direct, the "
      "edge's access-log durations through the chain); server CPU: what each process used during that install "
      "(median), with its children (Varnish's and Squid's workers).")
PY
    echo
    echo "All runs: $OUT/runs.txt (path round wall_s pip_cpu_s ${SERVERS[*]/%/_cpu_s} served_s)"
} | tee "$OUT/results.md"
log "all correctness checks passed"

#!/usr/bin/env bash
# Signet vs nginx proxy_cache: the same wrk load, one run, same loopback upstream. See bench/README.md.
#
# Usage: bench/run.sh [--no-build]
# Knobs (environment):
#   DURATION       seconds per measured wrk run (15)      ROUNDS         measured runs per target and row (2)
#   WARM_DURATION  seconds of wrk warm-up per target, row (5)
#   WARM_LARGE     seconds of wrk warm-up per target for the ~16 MB row (60): see bench/README.md
#   THREADS        wrk -t (2)                             CONNECTIONS    wrk -c (32)
#   WRK_TIMEOUT    wrk --timeout in seconds (30)          ROWS           subset of "index small large"
#   BENCH_JAVA_OPTS  Signet's JVM options ("-Xms256m -Xmx256m"; add -DSIGNET_ACCESS_LOG_LEVEL=OFF to drop the access log)
#   BENCH_MEMORY_CACHE  Signet's memory-cache-size (its default, 64MiB, when unset; 0 = every hit from disk)
#   BENCH_OUT      output directory (bench/out/<timestamp>)
# Exit status: 0 when every check passed (whatever the ratios), non-zero on any correctness failure.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$BENCH_DIR")"
JAR="$REPO_DIR/proxy-server/target/signet.jar"

DURATION="${DURATION:-15}"
ROUNDS="${ROUNDS:-2}"
WARM_DURATION="${WARM_DURATION:-5}"
# The ~16 MB row runs at ~100 requests/s: a JVM needs about a minute of them before its JIT has compiled the disk serve
# path (compile events per 10 s fell from 1610 to 24 over 90 s of this load), and the rows before it no longer warm that
# path (the ~70 KB wheel is answered from memory). Both targets get the same warm-up.
WARM_LARGE="${WARM_LARGE:-60}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
# wrk's default 2 s timeout is shorter than a 16 MB answer takes when 32 of them share a loaded loopback; a timed-out
# request is dropped from the count and its connection reopened, which measures wrk rather than the server.
WRK_TIMEOUT="${WRK_TIMEOUT:-30}"
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xms256m -Xmx256m}"
# nginx gets as many workers as Signet has cores to run on (Signet sizes its event loops from the core count).
NGINX_WORKERS=2
SMALL_PAYLOAD=$((70 * 1000))
LARGE_PAYLOAD=$((16 * 1000 * 1000))

BUILD=1
for arg in "$@"; do
    case "$arg" in
        --no-build) BUILD=0 ;;
        -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done
for knob in DURATION ROUNDS WARM_DURATION WARM_LARGE THREADS CONNECTIONS WRK_TIMEOUT; do
    [[ "${!knob}" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: $knob must be a positive integer, got '${!knob}'" >&2; exit 2; }
done

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'run.sh: FAILED: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------- processes
STARTED_PIDS=()
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    local pid
    for pid in "${STARTED_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${STARTED_PIDS[@]}"; do
        # Wait up to 10 s per process, then make sure it is gone.
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_port NAME PID PORT LOG: until PORT accepts connections; fails if PID dies or 60 s pass.
wait_port() {
    local name=$1 pid=$2 port=$3 logfile=$4
    for _ in $(seq 600); do
        kill -0 "$pid" 2>/dev/null || { tail -n 20 "$logfile" >&2 || true; die "$name exited during startup (log: $logfile)"; }
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    die "$name did not listen on 127.0.0.1:$port within 60 s (log: $logfile)"
}

# ---------------------------------------------------------------------------------------------------- 1. tools
need_packages=()
NGINX_BIN="$(command -v nginx || true)"; [[ -n "$NGINX_BIN" ]] || NGINX_BIN=/usr/sbin/nginx
[[ -x "$NGINX_BIN" ]] || need_packages+=(nginx-light)
command -v wrk >/dev/null || need_packages+=(wrk)
if ((${#need_packages[@]})); then
    log "installing ${need_packages[*]}"
    SUDO=(); ((EUID == 0)) || SUDO=(sudo)
    "${SUDO[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >&2
    NGINX_BIN="$(command -v nginx || echo /usr/sbin/nginx)"
fi
command -v python3 >/dev/null || die "python3 is required"
command -v java >/dev/null || die "java (17+) is required"
if [[ ! -f "$JAR" ]]; then
    ((BUILD)) || die "$JAR is missing and --no-build was given"
    log "building $JAR"
    (cd "$REPO_DIR" && mvn -q -B -o package -DskipTests) >&2
fi

# ---------------------------------------------------------------------------------------------------- layout
OUT="${BENCH_OUT:-$BENCH_DIR/out/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
mkdir -p "$OUT"/{index,keys,upstream,nginx/cache,nginx/tmp,signet/cache,wrk}
log "output in $OUT"

# ---------------------------------------------------------------------------------------------------- 2. index
log "generating the upstream index (wheels of ~70 KB and ~16 MB, random bytes, stored zip)"
declare -A WHEEL_FILE WHEEL_SIZE WHEEL_SHA
while read -r project file size sha; do
    WHEEL_FILE[$project]=$file; WHEEL_SIZE[$project]=$size; WHEEL_SHA[$project]=$sha
done < <(python3 "$BENCH_DIR/make_index.py" "$OUT/index" "$SMALL_PAYLOAD" "$LARGE_PAYLOAD")
[[ -n "${WHEEL_FILE[bench-small]:-}" && -n "${WHEEL_FILE[bench-large]:-}" ]] || die "make_index.py wrote no wheels"
java -jar "$JAR" keygen -p "$OUT/keys/bench.pub" -s "$OUT/keys/bench.key" >"$OUT/keys/keygen.log" 2>&1 \
    || die "signet keygen failed (see $OUT/keys/keygen.log)"
java -jar "$JAR" sign -s "$OUT/keys/bench.key" "$OUT"/index/packages/*.whl >"$OUT/keys/sign.log" 2>&1 \
    || die "signet sign failed (see $OUT/keys/sign.log)"
for project in bench-small bench-large; do
    [[ -s "$OUT/index/packages/${WHEEL_FILE[$project]}.minisig" ]] || die "no signature for ${WHEEL_FILE[$project]}"
done

# ---------------------------------------------------------------------------------------------------- nginx confs
UPSTREAM_PORT=$(free_port)
NGINX_PORT=$(free_port)
SIGNET_PORT=$(free_port)
[[ "$UPSTREAM_PORT" != "$NGINX_PORT" && "$NGINX_PORT" != "$SIGNET_PORT" && "$UPSTREAM_PORT" != "$SIGNET_PORT" ]] \
    || die "could not pick three distinct free ports"

# Every path nginx would otherwise take from its compiled-in defaults (/var/lib/nginx, /run) is set here.
# As root, nginx would run its workers as 'nobody', who cannot read a private checkout: run them as us.
nginx_common() {
    local dir=$1
    ((EUID == 0)) && echo "user $(id -un) $(id -gn);"
    cat <<EOF
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
EOF
}
nginx_http_common() {
    local dir=$1
    cat <<EOF
    types { text/html html; application/octet-stream whl; text/plain minisig; }
    default_type application/octet-stream;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    sendfile on;
    # Not tcp_nopush (Debian's stock nginx.conf turns it on): with proxy_cache on loopback it stalls every ~70 KB
    # answer for a delayed ACK, ~44 ms, and nginx then measures 750 req/s instead of 12000.
    keepalive_timeout 65;
    # wrk keeps its connections open; nginx's default (1000) would make it reconnect, Signet never does.
    keepalive_requests 1000000;
EOF
}

mkdir -p "$OUT/upstream/tmp"
{
    nginx_common "$OUT/upstream"
    echo "worker_processes 1;"
    echo "http {"
    nginx_http_common "$OUT/upstream"
    cat <<EOF
    access_log $OUT/upstream/access.log;
    server {
        listen 127.0.0.1:$UPSTREAM_PORT;
        root $OUT/index;
        index index.html;
    }
}
EOF
} >"$OUT/upstream/nginx.conf"

{
    nginx_common "$OUT/nginx"
    echo "worker_processes $NGINX_WORKERS;"
    echo "http {"
    nginx_http_common "$OUT/nginx"
    cat <<EOF
    # One line per request, like Signet's access log at its default level.
    access_log $OUT/nginx/access.log;
    proxy_cache_path $OUT/nginx/cache levels=1:2 keys_zone=bench:10m max_size=2g inactive=60m use_temp_path=off;
    upstream index_upstream {
        server 127.0.0.1:$UPSTREAM_PORT;
        keepalive 16;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            proxy_pass http://index_upstream;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_cache bench;
            proxy_cache_valid 200 10m;
            proxy_cache_lock on;
            add_header X-Cache-Status \$upstream_cache_status;
        }
    }
}
EOF
} >"$OUT/nginx/nginx.conf"

# ---------------------------------------------------------------------------------------------------- 3-5. start
start_nginx() {
    local name=$1 dir=$2 port=$3
    "$NGINX_BIN" -t -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" 2>"$dir/configtest.log" \
        || { cat "$dir/configtest.log" >&2; die "$name: nginx rejected $dir/nginx.conf"; }
    "$NGINX_BIN" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" -g 'daemon off;' >"$dir/stdout.log" 2>&1 &
    STARTED_PIDS+=($!)
    wait_port "$name" "$!" "$port" "$dir/error.log"
    log "$name: nginx pid $! on 127.0.0.1:$port"
}
start_nginx upstream "$OUT/upstream" "$UPSTREAM_PORT"
start_nginx nginx "$OUT/nginx" "$NGINX_PORT"
NGINX_PID=${STARTED_PIDS[-1]}

# The key itself, not "@bench.pub": picocli reads a lone "@FILE" argument as an argument file (see README.md).
TRUSTED_KEY=$(sed -n 2p "$OUT/keys/bench.pub")
[[ "$TRUSTED_KEY" == RW* ]] || die "unexpected public key file $OUT/keys/bench.pub"
read -r -a JAVA_OPTS_ARRAY <<<"$BENCH_JAVA_OPTS"
SIGNET_ENV=()
if [[ -n "${BENCH_MEMORY_CACHE:-}" ]]; then
    SIGNET_ENV+=("SIGNET_MEMORY_CACHE_SIZE=$BENCH_MEMORY_CACHE")
fi
# -XX:+PrintCommandLineFlags prints the JVM's effective flags (GC, heap) on stdout: the table shows them.
env "${SIGNET_ENV[@]}" java "${JAVA_OPTS_ARRAY[@]}" -XX:+PrintCommandLineFlags -jar "$JAR" serve \
    --upstream "http://127.0.0.1:$UPSTREAM_PORT/simple/" \
    --trusted-key "$TRUSTED_KEY" \
    --listen "127.0.0.1:$SIGNET_PORT" \
    --cache-dir "$OUT/signet/cache" \
    >"$OUT/signet/stdout.log" 2>"$OUT/signet/stderr.log" &
SIGNET_PID=$!
STARTED_PIDS+=("$SIGNET_PID")
wait_port signet "$SIGNET_PID" "$SIGNET_PORT" "$OUT/signet/stderr.log"
log "signet: pid $SIGNET_PID on 127.0.0.1:$SIGNET_PORT"

# ---------------------------------------------------------------------------------------------------- 6. warm + check
check() { python3 "$BENCH_DIR/check.py" "$@"; }
UPSTREAM="http://127.0.0.1:$UPSTREAM_PORT"
NGINX="http://127.0.0.1:$NGINX_PORT"
SIGNET="http://127.0.0.1:$SIGNET_PORT"

declare -A URL   # URL[target:row]
read -r -a ROWS <<<"${ROWS:-index small large}"
for row in "${ROWS[@]}"; do
    [[ $row == index || $row == small || $row == large ]] || die "ROWS: unknown row '$row' (index, small, large)"
done
declare -A ROW_LABEL=([index]="index page" [small]="~70 KB wheel" [large]="~16 MB wheel")
URL[nginx:index]="$NGINX/simple/bench-small/"
URL[signet:index]="$SIGNET/simple/bench-small/"

log "warming and checking bytes through both proxies"
# The index page nginx caches must be the upstream's bytes; Signet's is rewritten, so it is checked by its links.
UPSTREAM_PAGE_SHA=$(sha256sum "$OUT/index/simple/bench-small/index.html" | cut -d' ' -f1)
for project in bench-small bench-large; do
    file=${WHEEL_FILE[$project]}
    upstream_link=$(check page "$UPSTREAM/simple/$project/" "$file") || die "upstream page for $project"
    [[ "$upstream_link" == "$UPSTREAM/packages/$file" ]] || die "upstream links $upstream_link, expected $UPSTREAM/packages/$file"
    check page "$NGINX/simple/$project/" "$file" >/dev/null || die "nginx page for $project"
    signet_link=$(check page "$SIGNET/simple/$project/" "$file") || die "signet page for $project"
    [[ "$signet_link" == "$SIGNET/packages/$project/$file" ]] \
        || die "signet links $signet_link, expected $SIGNET/packages/$project/$file"
    row=small; [[ $project == bench-large ]] && row=large
    URL[nginx:$row]="$NGINX/packages/$file"
    URL[signet:$row]="$signet_link"
    for target in nginx signet; do
        check body "${URL[$target:$row]}" "${WHEEL_SHA[$project]}" 3 >/dev/null \
            || die "$target served wrong bytes or status for $file"
    done
done
check body "${URL[nginx:index]}" "$UPSTREAM_PAGE_SHA" 3 >/dev/null || die "nginx served a wrong index page"

# Both must answer from their caches now, or the comparison measures the upstream instead.
for row in index small large; do
    want="$UPSTREAM_PAGE_SHA"
    [[ $row == small ]] && want=${WHEEL_SHA[bench-small]}
    [[ $row == large ]] && want=${WHEEL_SHA[bench-large]}
    status=$(check body "${URL[nginx:$row]}" "$want" 1) || die "nginx check of ${URL[nginx:$row]}"
    [[ "$status" == HIT ]] || die "nginx does not serve ${URL[nginx:$row]} from its cache (X-Cache-Status: $status)"
done
grep -q 'cache=hit' "$OUT/signet/stderr.log" \
    || log "note: no 'cache=hit' in Signet's access log (log level above INFO?); cannot confirm its cache hits"
UPSTREAM_REQUESTS_AFTER_WARM=$(wc -l <"$OUT/upstream/access.log")

# ---------------------------------------------------------------------------------------------------- 7. measure
# parse_wrk FILE: prints "req_per_s mib_per_s p99_ms non2xx socket_errors" from wrk's output.
parse_wrk() {
    awk '
        function mib(v,   n, u) {
            n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
            if (u == "B") return n / 1048576; if (u == "KB") return n / 1024
            if (u == "MB") return n;          if (u == "GB") return n * 1024
            return -1
        }
        function ms(v,   n, u) {
            n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
            if (u == "us") return n / 1000; if (u == "ms") return n
            if (u == "s") return n * 1000;   if (u == "m") return n * 60000
            return -1
        }
        /^Requests\/sec:/ { rps = $2 }
        /^Transfer\/sec:/ { mbs = mib($2) }
        /^ +99%/ { p99 = ms($2) }
        /Non-2xx or 3xx responses:/ { non2xx = $NF }
        /Socket errors:/ { errs = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) errs += $i + 0 }
        END {
            if (rps == "" || mbs == "") exit 1
            printf "%s %.2f %.2f %d %d\n", rps, mbs, p99, non2xx + 0, errs + 0
        }' "$1"
}

# cpu_ticks PID: user + system clock ticks used so far by PID (all its threads) and its direct children (the nginx
# workers). Per request, this is what the load cost the server itself, which other processes on a shared machine
# disturb far less than they disturb requests/s.
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
declare -A SERVER_PID=([nginx]=$NGINX_PID [signet]=$SIGNET_PID)

run_wrk() {  # run_wrk TARGET ROW SECONDS OUTFILE: prints "req/s MiB/s p99ms non2xx socketerrors cpu_us_per_req"
    local target=$1 row=$2 seconds=$3 outfile=$4
    local ticks_before ticks_after requests
    ticks_before=$(cpu_ticks "${SERVER_PID[$target]}")
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --timeout "${WRK_TIMEOUT}s" --latency "${URL[$target:$row]}" >"$outfile" 2>&1 \
        || { cat "$outfile" >&2; die "wrk failed against $target (${URL[$target:$row]})"; }
    ticks_after=$(cpu_ticks "${SERVER_PID[$target]}")
    local parsed
    parsed=$(parse_wrk "$outfile") || { cat "$outfile" >&2; die "cannot parse wrk output $outfile"; }
    read -r _ _ _ non2xx errors <<<"$parsed"
    ((non2xx == 0)) || { cat "$outfile" >&2; die "$target answered $non2xx non-2xx responses on the $row row"; }
    ((errors == 0)) || log "warning: $target had $errors socket errors on the $row row (see $outfile)"
    requests=$(awk '/ requests in / { print $1 }' "$outfile")
    ((requests > 0)) || die "$target completed no request on the $row row (see $outfile)"
    echo "$parsed $(awk -v t=$((ticks_after - ticks_before)) -v hz="$CLK_TCK" -v n="$requests" \
        'BEGIN { printf "%.1f", t * 1000000 / hz / n }')"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "wrk warm-up: ${WARM_DURATION}s per target and row (${WARM_LARGE}s for the large row)"
for row in "${ROWS[@]}"; do
    warm="$WARM_DURATION"
    [[ "$row" == large ]] && warm="$WARM_LARGE"
    for target in nginx signet; do
        run_wrk "$target" "$row" "$warm" "$OUT/wrk/warm-$row-$target.txt" >/dev/null
    done
done

# Alternate the targets (nginx, signet, nginx, signet, ...) so slow drift of the machine hits both, and keep each
# target's best run by requests/s: the other runs are in $OUT/wrk/ for anyone who wants the spread.
declare -A BEST   # BEST[target:row] = "req_per_s mib_per_s p99_ms ..."
for row in "${ROWS[@]}"; do
    for round in $(seq "$ROUNDS"); do
        for target in nginx signet; do
            log "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s: $row row, $target, round $round/$ROUNDS"
            result=$(run_wrk "$target" "$row" "$DURATION" "$OUT/wrk/$row-$target-$round.txt")
            echo "$row $target $round $result" >>"$OUT/wrk/all-runs.txt"
            previous=${BEST[$target:$row]:-}
            if [[ -z "$previous" ]] || awk -v a="${result%% *}" -v b="${previous%% *}" 'BEGIN { exit !(a > b) }'; then
                BEST[$target:$row]=$result
            fi
        done
    done
done

# ---------------------------------------------------------------------------------------------------- after-checks
# The load must not have changed what the proxies serve, nor sent them back to the upstream.
for project in bench-small bench-large; do
    row=small; [[ $project == bench-large ]] && row=large
    for target in nginx signet; do
        check body "${URL[$target:$row]}" "${WHEEL_SHA[$project]}" 1 >/dev/null \
            || die "$target served wrong bytes for ${WHEEL_FILE[$project]} after the load"
    done
done
UPSTREAM_REQUESTS_DURING_LOAD=$(($(wc -l <"$OUT/upstream/access.log") - UPSTREAM_REQUESTS_AFTER_WARM))
REFUSALS=$(grep -c ' 403 ' "$OUT/signet/stderr.log" || true)
((REFUSALS == 0)) || die "Signet logged $REFUSALS refusals (403) during the run"

# ---------------------------------------------------------------------------------------------------- report
JVM_FLAGS=$(grep -m1 -- '-XX:' "$OUT/signet/stdout.log" || echo "(not printed)")
{
    echo
    echo "Signet vs nginx proxy_cache, $(date -u +'%Y-%m-%d %H:%M UTC'), $(uname -srm)"
    echo "cores: $(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))," \
         "nginx $("$NGINX_BIN" -v 2>&1 | sed 's/.*nginx\///') worker_processes $NGINX_WORKERS," \
         "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --timeout ${WRK_TIMEOUT}s, best of $ROUNDS alternating runs"
    echo "load average before / after the load: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg) (other processes compete for the cores)"
    echo "signet JVM: $(java -version 2>&1 | sed -n 2p)"
    echo "signet JVM flags: $JVM_FLAGS"
    echo "signet memory-cache-size: ${BENCH_MEMORY_CACHE:-default (64MiB)}, verification on (identity checks for disk hits)"
    echo "wheels: small ${WHEEL_SIZE[bench-small]} B, large ${WHEEL_SIZE[bench-large]} B;" \
         "upstream requests during the load: $UPSTREAM_REQUESTS_DURING_LOAD"
    echo
    echo "| row | nginx req/s | signet req/s | nginx MiB/s | signet MiB/s | ratio signet/nginx req/s" \
         "| nginx p99 ms | signet p99 ms | nginx CPU µs/req | signet CPU µs/req |"
    echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
    for row in "${ROWS[@]}"; do
        read -r n_rps n_mbs n_p99 _ _ n_cpu <<<"${BEST[nginx:$row]}"
        read -r s_rps s_mbs s_p99 _ _ s_cpu <<<"${BEST[signet:$row]}"
        ratio=$(awk -v s="$s_rps" -v n="$n_rps" 'BEGIN { printf "%.2f", s / n }')
        printf '| %s | %.0f | %.0f | %.1f | %.1f | %s | %.2f | %.2f | %.0f | %.0f |\n' "${ROW_LABEL[$row]}" \
            "$n_rps" "$s_rps" "$n_mbs" "$s_mbs" "$ratio" "$n_p99" "$s_p99" "$n_cpu" "$s_cpu"
    done
    echo
    echo "All runs: $OUT/wrk/all-runs.txt (row target round req/s MiB/s p99ms non2xx socketerrors cpu-us/req)"
} | tee "$OUT/results.md"
log "all correctness checks passed"

#!/usr/bin/env bash
# Signet vs nginx proxy_cache and Varnish: the same wrk load, one run, same loopback upstream; plus cold fills of a
# 16 MB and a 1 GiB wheel against nginx and the verify-first floor. See bench/README.md.
#
# Usage: bench/run.sh [--no-build] [--jar PATH] [--jar-b PATH]
#   --no-build     never build; fails if the jar is missing      --jar PATH   measure this signet.jar (implies --no-build)
#   --jar-b PATH   A/B: a second Signet from this jar (BENCH_JAVA_OPTS_B) joins the hit rows as target signet-b
# Knobs (environment):
#   DURATION       seconds per measured wrk run (15)      ROUNDS         measured rounds per row, hit and cold (3)
#   WARM_DURATION  seconds of wrk warm-up per target, row (5)
#   WARM_LARGE     seconds of wrk warm-up per target for the ~16 MB row (60): see bench/README.md
#   THREADS        wrk -t (1)                             CONNECTIONS    wrk -c (32)
#   WRK_TIMEOUT    wrk --timeout in seconds (30)
#   ROWS           subset of "index small large cold16m cold1g" (all)
#   BENCH_JAVA_OPTS  Signet's JVM options on the hit rows ("-Xms256m -Xmx256m"; -DSIGNET_ACCESS_LOG_LEVEL=OFF drops the access log)
#   BENCH_JAVA_OPTS_B  the A/B Signet's JVM options (BENCH_JAVA_OPTS); with --jar-b only
#   COLD_JAVA_OPTS   Signet's JVM options on the cold rows ("-Xmx64m")
#   COLD_RESET     how the cold Signet gets an empty cache each round: restart (a new JVM) or purge (admin purge, same JVM)
#   BENCH_MEMORY_CACHE  Signet's memory-cache-size (its default, 64MiB, when unset; 0 = every hit from disk)
#   VARNISH_STORAGE  varnishd -s (malloc,1G)
#   BENCH_OUT      output directory (bench/out/<timestamp>)
# Exit status: 0 when every check passed (whatever the ratios), non-zero on any correctness failure.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$BENCH_DIR")"
JAR="$REPO_DIR/proxy-server/target/signet.jar"

DURATION="${DURATION:-15}"
ROUNDS="${ROUNDS:-3}"
WARM_DURATION="${WARM_DURATION:-5}"
# The ~16 MB row runs at ~100 requests/s: a JVM needs about a minute of them before its JIT has compiled the disk serve
# path (compile events per 10 s fell from 1610 to 24 over 90 s of this load), and the rows before it no longer warm that
# path (the ~70 KB wheel is answered from memory). Both targets get the same warm-up.
WARM_LARGE="${WARM_LARGE:-60}"
# One wrk thread, as issue 11 measured ("as a new user would"): wrk then has one core and the server the other.
THREADS="${THREADS:-1}"
CONNECTIONS="${CONNECTIONS:-32}"
# wrk's default 2 s timeout is shorter than a 16 MB answer takes when 32 of them share a loaded loopback; a timed-out
# request is dropped from the count and its connection reopened, which measures wrk rather than the server.
WRK_TIMEOUT="${WRK_TIMEOUT:-30}"
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xms256m -Xmx256m}"
# The cold rows' Signet gets the heap issue 11 measured with: a fill must not need the file's size in heap.
COLD_JAVA_OPTS="${COLD_JAVA_OPTS:--Xmx64m}"
# restart: every round a new JVM, as a fresh install meets its first large file (JIT and class loading included);
# purge: one JVM for all rounds, its copy removed through the admin API, so rounds after the first measure a warm JVM.
COLD_RESET="${COLD_RESET:-restart}"
[[ $COLD_RESET == restart || $COLD_RESET == purge ]] || { echo "run.sh: COLD_RESET must be restart or purge" >&2; exit 2; }
JAR_B="${JAR_B:-}"
BENCH_JAVA_OPTS_B="${BENCH_JAVA_OPTS_B:-$BENCH_JAVA_OPTS}"
VARNISH_STORAGE="${VARNISH_STORAGE:-malloc,1G}"
# nginx gets as many workers as Signet has cores to run on (Signet sizes its event loops from the core count).
NGINX_WORKERS=2
SMALL_PAYLOAD=$((70 * 1000))
LARGE_PAYLOAD=$((16 * 1000 * 1000))
COLD_SMALL_PAYLOAD=$((16 * 1000 * 1000))
COLD_LARGE_PAYLOAD=$((1024 * 1024 * 1024))

BUILD=1
while (($#)); do
    case "$1" in
        --no-build) BUILD=0 ;;
        --jar) [[ $# -ge 2 ]] || { echo "run.sh: --jar needs a path" >&2; exit 2; }
               JAR="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; BUILD=0; shift ;;
        --jar-b) [[ $# -ge 2 ]] || { echo "run.sh: --jar-b needs a path" >&2; exit 2; }
                 JAR_B="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift ;;
        -h|--help) sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
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
VARNISHD_BIN="$(command -v varnishd || true)"; [[ -n "$VARNISHD_BIN" ]] || VARNISHD_BIN=/usr/sbin/varnishd
[[ -x "$VARNISHD_BIN" ]] || need_packages+=(varnish)
command -v wrk >/dev/null || need_packages+=(wrk)
command -v curl >/dev/null || need_packages+=(curl)
if ((${#need_packages[@]})); then
    log "installing ${need_packages[*]}"
    SUDO=(); ((EUID == 0)) || SUDO=(sudo)
    "${SUDO[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >&2
    NGINX_BIN="$(command -v nginx || echo /usr/sbin/nginx)"
    VARNISHD_BIN="$(command -v varnishd || echo /usr/sbin/varnishd)"
fi
command -v python3 >/dev/null || die "python3 is required"
command -v java >/dev/null || die "java (17+) is required"
if [[ ! -f "$JAR" ]]; then
    ((BUILD)) || die "$JAR is missing and --no-build was given"
    log "building $JAR"
    (cd "$REPO_DIR" && mvn -q -B -o package -DskipTests) >&2
fi

read -r -a ROWS <<<"${ROWS:-index small large cold16m cold1g}"
HIT_ROWS=(); COLD_ROWS=()
for row in "${ROWS[@]}"; do
    case "$row" in
        index|small|large) HIT_ROWS+=("$row") ;;
        cold16m|cold1g) COLD_ROWS+=("$row") ;;
        *) die "ROWS: unknown row '$row' (index, small, large, cold16m, cold1g)" ;;
    esac
done
has_row() { local r; for r in "${ROWS[@]}"; do [[ $r == "$1" ]] && return 0; done; return 1; }

# ---------------------------------------------------------------------------------------------------- layout
OUT="${BENCH_OUT:-$BENCH_DIR/out/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
mkdir -p "$OUT"/{index,keys,upstream,nginx/cache,nginx/tmp,varnish,signet/cache,wrk,cold}
log "output in $OUT"

# ---------------------------------------------------------------------------------------------------- 2. index
log "generating the upstream index (wheels of ~70 KB and ~16 MB, and the cold rows' ones; random bytes, stored zip)"
cold_small=0; cold_large=0
has_row cold16m && cold_small=$COLD_SMALL_PAYLOAD
has_row cold1g && cold_large=$COLD_LARGE_PAYLOAD
declare -A WHEEL_FILE WHEEL_SIZE WHEEL_SHA
while read -r project file size sha; do
    WHEEL_FILE[$project]=$file; WHEEL_SIZE[$project]=$size; WHEEL_SHA[$project]=$sha
done < <(python3 "$BENCH_DIR/make_index.py" "$OUT/index" "$SMALL_PAYLOAD" "$LARGE_PAYLOAD" "$cold_small" "$cold_large")
[[ -n "${WHEEL_FILE[bench-small]:-}" && -n "${WHEEL_FILE[bench-large]:-}" ]] || die "make_index.py wrote no wheels"
java -jar "$JAR" keygen -p "$OUT/keys/bench.pub" -s "$OUT/keys/bench.key" >"$OUT/keys/keygen.log" 2>&1 \
    || die "signet keygen failed (see $OUT/keys/keygen.log)"
java -jar "$JAR" sign -s "$OUT/keys/bench.key" "$OUT"/index/packages/*.whl >"$OUT/keys/sign.log" 2>&1 \
    || die "signet sign failed (see $OUT/keys/sign.log)"
for project in "${!WHEEL_FILE[@]}"; do
    [[ -s "$OUT/index/packages/${WHEEL_FILE[$project]}.minisig" ]] || die "no signature for ${WHEEL_FILE[$project]}"
done

# ---------------------------------------------------------------------------------------------------- nginx confs
UPSTREAM_PORT=$(free_port)
NGINX_PORT=$(free_port)
SIGNET_PORT=$(free_port)
VARNISH_PORT=$(free_port)
COLD_NGINX_PORT=$(free_port)
COLD_SIGNET_PORT=$(free_port)
SIGNET_B_PORT=$(free_port)
[[ $(printf '%s\n' "$UPSTREAM_PORT" "$NGINX_PORT" "$SIGNET_PORT" "$VARNISH_PORT" "$COLD_NGINX_PORT" "$COLD_SIGNET_PORT" \
    "$SIGNET_B_PORT" | sort -u | wc -l) == 7 ]] || die "could not pick seven distinct free ports"

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

# nginx_proxy_conf DIR PORT: the proxy_cache peer; the cold rows run a second one (own cache, emptied every round).
nginx_proxy_conf() {
    local dir=$1 port=$2
    nginx_common "$dir"
    echo "worker_processes $NGINX_WORKERS;"
    echo "http {"
    nginx_http_common "$dir"
    cat <<EOF
    # One line per request, like Signet's access log at its default level.
    access_log $dir/access.log;
    proxy_cache_path $dir/cache levels=1:2 keys_zone=bench:10m max_size=4g inactive=60m use_temp_path=off;
    upstream index_upstream {
        server 127.0.0.1:$UPSTREAM_PORT;
        keepalive 16;
    }
    server {
        listen 127.0.0.1:$port;
        location / {
            proxy_pass http://index_upstream;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_cache bench;
            proxy_cache_valid 200 60m;
            proxy_cache_lock on;
            add_header X-Cache-Status \$upstream_cache_status;
        }
    }
}
EOF
}
nginx_proxy_conf "$OUT/nginx" "$NGINX_PORT" >"$OUT/nginx/nginx.conf"

# Varnish as Debian ships it, with the VCL a new user would write so that every answer of this upstream is cached.
# It overrides the defaults (builtin.vcl, parameters) that would defeat caching here: default_ttl is 120 s (objects
# would expire during the run and be fetched again), and a response with Set-Cookie or a request with Cookie or
# Authorization is passed, not cached. Large objects need no setting: malloc storage keeps anything that fits
# (VARNISH_STORAGE). No access log file: Varnish always writes its shared-memory log (VSL); a varnishncsa process
# would be a second process outside the CPU count.
cat >"$OUT/varnish/bench.vcl" <<EOF
vcl 4.1;
backend upstream {
    .host = "127.0.0.1";
    .port = "$UPSTREAM_PORT";
}
sub vcl_recv {
    if (req.method == "GET" || req.method == "HEAD") {
        unset req.http.Cookie;
        unset req.http.Authorization;
        return (hash);
    }
}
sub vcl_backend_response {
    if (beresp.status == 200) {
        unset beresp.http.Set-Cookie;
        set beresp.ttl = 1h;
        set beresp.grace = 0s;
        return (deliver);
    }
}
sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache-Status = "HIT";
    } else {
        set resp.http.X-Cache-Status = "MISS";
    }
}
EOF

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

# stop_pid PID: TERM, up to 10 s to exit, then KILL (the cold rows restart their servers every round).
stop_pid() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# varnishd in the foreground (-F) on loopback; -j none: as root it would otherwise switch to the varnish users, who
# cannot read this output directory. Its work dir (-n) holds the compiled VCL and the shared-memory log.
VARNISH_DIR="$OUT/varnish"
"$VARNISHD_BIN" -C -n "$VARNISH_DIR/work" -f "$VARNISH_DIR/bench.vcl" >"$VARNISH_DIR/vcl.c" 2>"$VARNISH_DIR/configtest.log" \
    || { cat "$VARNISH_DIR/configtest.log" >&2; die "varnish rejected $VARNISH_DIR/bench.vcl"; }
"$VARNISHD_BIN" -F -j none -n "$VARNISH_DIR/work" -a "127.0.0.1:$VARNISH_PORT" -T none -f "$VARNISH_DIR/bench.vcl" \
    -s "$VARNISH_STORAGE" >"$VARNISH_DIR/varnishd.log" 2>&1 &
VARNISH_PID=$!
STARTED_PIDS+=("$VARNISH_PID")
wait_port varnish "$VARNISH_PID" "$VARNISH_PORT" "$VARNISH_DIR/varnishd.log"
log "varnish: varnishd pid $VARNISH_PID on 127.0.0.1:$VARNISH_PORT (-s $VARNISH_STORAGE)"

# The key itself, not "@bench.pub": picocli reads a lone "@FILE" argument as an argument file (see README.md).
TRUSTED_KEY=$(sed -n 2p "$OUT/keys/bench.pub")
[[ "$TRUSTED_KEY" == RW* ]] || die "unexpected public key file $OUT/keys/bench.pub"
SIGNET_ENV=()
if [[ -n "${BENCH_MEMORY_CACHE:-}" ]]; then
    SIGNET_ENV+=("SIGNET_MEMORY_CACHE_SIZE=$BENCH_MEMORY_CACHE")
fi
# start_signet DIR PORT "JAVA OPTS" [JAR]: one Signet with its cache in DIR/cache; sets STARTED_SIGNET_PID and
# STARTED_SIGNET_ADMIN (its admin listener, token $ADMIN_TOKEN).
ADMIN_TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
start_signet() {
    local dir=$1 port=$2 java_opts jar=${4:-$JAR}
    read -r -a java_opts <<<"$3"
    mkdir -p "$dir/cache"
    STARTED_SIGNET_ADMIN="127.0.0.1:$(free_port)"
    # -XX:+PrintCommandLineFlags prints the JVM's effective flags (GC, heap) on stdout: the table shows them.
    env "${SIGNET_ENV[@]}" SIGNET_ADMIN_TOKEN="$ADMIN_TOKEN" java "${java_opts[@]}" -XX:+PrintCommandLineFlags -jar "$jar" serve \
        --upstream "http://127.0.0.1:$UPSTREAM_PORT/simple/" \
        --trusted-key "$TRUSTED_KEY" \
        --listen "127.0.0.1:$port" \
        --admin-listen "$STARTED_SIGNET_ADMIN" \
        --cache-dir "$dir/cache" \
        >>"$dir/stdout.log" 2>>"$dir/stderr.log" &
    STARTED_SIGNET_PID=$!
    STARTED_PIDS+=("$STARTED_SIGNET_PID")
    wait_port signet "$STARTED_SIGNET_PID" "$port" "$dir/stderr.log"
}
start_signet "$OUT/signet" "$SIGNET_PORT" "$BENCH_JAVA_OPTS"
SIGNET_PID=$STARTED_SIGNET_PID
log "signet: pid $SIGNET_PID on 127.0.0.1:$SIGNET_PORT"
if [[ -n "$JAR_B" ]]; then
    [[ -f "$JAR_B" ]] || die "--jar-b $JAR_B: no such file"
    mkdir -p "$OUT/signet-b"
    start_signet "$OUT/signet-b" "$SIGNET_B_PORT" "$BENCH_JAVA_OPTS_B" "$JAR_B"
    SIGNET_B_PID=$STARTED_SIGNET_PID
    log "signet-b (A/B): pid $SIGNET_B_PID on 127.0.0.1:$SIGNET_B_PORT, $JAR_B, $BENCH_JAVA_OPTS_B"
fi

# ---------------------------------------------------------------------------------------------------- 6. warm + check
check() { python3 "$BENCH_DIR/check.py" "$@"; }
UPSTREAM="http://127.0.0.1:$UPSTREAM_PORT"
NGINX="http://127.0.0.1:$NGINX_PORT"
VARNISH="http://127.0.0.1:$VARNISH_PORT"
SIGNET="http://127.0.0.1:$SIGNET_PORT"
SIGNET_B="http://127.0.0.1:$SIGNET_B_PORT"
PEERS=(nginx varnish)
TARGETS=(nginx varnish signet)
[[ -n "$JAR_B" ]] && TARGETS+=(signet-b)

declare -A URL   # URL[target:row]
declare -A ROW_LABEL=([index]="index page" [small]="~70 KB wheel" [large]="~16 MB wheel"
                      [cold16m]="cold ~16 MB wheel" [cold1g]="cold ~1 GiB wheel")
URL[nginx:index]="$NGINX/simple/bench-small/"
URL[varnish:index]="$VARNISH/simple/bench-small/"
URL[signet:index]="$SIGNET/simple/bench-small/"
URL[signet-b:index]="$SIGNET_B/simple/bench-small/"

log "warming and checking bytes through the three caches"
# The index page nginx caches must be the upstream's bytes; Signet's is rewritten, so it is checked by its links.
UPSTREAM_PAGE_SHA=$(sha256sum "$OUT/index/simple/bench-small/index.html" | cut -d' ' -f1)
for project in bench-small bench-large; do
    file=${WHEEL_FILE[$project]}
    upstream_link=$(check page "$UPSTREAM/simple/$project/" "$file") || die "upstream page for $project"
    [[ "$upstream_link" == "$UPSTREAM/packages/$file" ]] || die "upstream links $upstream_link, expected $UPSTREAM/packages/$file"
    check page "$NGINX/simple/$project/" "$file" >/dev/null || die "nginx page for $project"
    check page "$VARNISH/simple/$project/" "$file" >/dev/null || die "varnish page for $project"
    signet_link=$(check page "$SIGNET/simple/$project/" "$file") || die "signet page for $project"
    [[ "$signet_link" == "$SIGNET/packages/$project/$file" ]] \
        || die "signet links $signet_link, expected $SIGNET/packages/$project/$file"
    row=small; [[ $project == bench-large ]] && row=large
    URL[nginx:$row]="$NGINX/packages/$file"
    URL[varnish:$row]="$VARNISH/packages/$file"
    URL[signet:$row]="$signet_link"
    if [[ -n "$JAR_B" ]]; then
        check page "$SIGNET_B/simple/$project/" "$file" >/dev/null || die "signet-b page for $project"
        URL[signet-b:$row]="$SIGNET_B/packages/$project/$file"
    fi
    for target in "${TARGETS[@]}"; do
        check body "${URL[$target:$row]}" "${WHEEL_SHA[$project]}" 3 >/dev/null \
            || die "$target served wrong bytes or status for $file"
    done
done
for peer in "${PEERS[@]}"; do
    check body "${URL[$peer:index]}" "$UPSTREAM_PAGE_SHA" 3 >/dev/null || die "$peer served a wrong index page"
done

# All must answer from their caches now, or the comparison measures the upstream instead.
for row in index small large; do
    want="$UPSTREAM_PAGE_SHA"
    [[ $row == small ]] && want=${WHEEL_SHA[bench-small]}
    [[ $row == large ]] && want=${WHEEL_SHA[bench-large]}
    for peer in "${PEERS[@]}"; do
        status=$(check body "${URL[$peer:$row]}" "$want" 1) || die "$peer check of ${URL[$peer:$row]}"
        [[ "$status" == HIT ]] || die "$peer does not serve ${URL[$peer:$row]} from its cache (X-Cache-Status: $status)"
    done
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
declare -A SERVER_PID=([nginx]=$NGINX_PID [varnish]=$VARNISH_PID [signet]=$SIGNET_PID [signet-b]=${SIGNET_B_PID:-0})

# The client's CPU too (wrk's user + system seconds, from getrusage): with one wrk thread on a 2-core machine, wrk
# near 100 % of a core while the server is well below means the client, not the server, sets the pace.
WRK_CPU_WRAPPER='import resource, subprocess, sys
status = subprocess.call(sys.argv[2:], stdout=open(sys.argv[1], "w"), stderr=subprocess.STDOUT)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{r.ru_utime + r.ru_stime:.3f}")
sys.exit(status)'
run_wrk() {  # run_wrk TARGET ROW SECONDS OUTFILE: prints "req/s MiB/s p99ms non2xx socketerrors cpu_us_per_req wrk_cpu_s"
    local target=$1 row=$2 seconds=$3 outfile=$4
    local ticks_before ticks_after requests wrk_cpu
    ticks_before=$(cpu_ticks "${SERVER_PID[$target]}")
    wrk_cpu=$(python3 -c "$WRK_CPU_WRAPPER" "$outfile" \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --timeout "${WRK_TIMEOUT}s" --latency "${URL[$target:$row]}") \
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
        'BEGIN { printf "%.1f", t * 1000000 / hz / n }') $wrk_cpu"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$OUT/wrk/all-runs.txt"
if ((${#HIT_ROWS[@]})); then
    log "wrk warm-up: ${WARM_DURATION}s per target and row (${WARM_LARGE}s for the large row)"
fi
for row in "${HIT_ROWS[@]}"; do
    warm="$WARM_DURATION"
    [[ "$row" == large ]] && warm="$WARM_LARGE"
    for target in "${TARGETS[@]}"; do
        run_wrk "$target" "$row" "$warm" "$OUT/wrk/warm-$row-$target.txt" >/dev/null
    done
done

# Alternate the targets (nginx, varnish, signet, nginx, ...) so slow drift of the machine hits all of them; the report
# gives each target's median round and the spread (summarize.py), and every run stays in $OUT/wrk/.
for row in "${HIT_ROWS[@]}"; do
    for round in $(seq "$ROUNDS"); do
        for target in "${TARGETS[@]}"; do
            log "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s: $row row, $target, round $round/$ROUNDS"
            result=$(run_wrk "$target" "$row" "$DURATION" "$OUT/wrk/$row-$target-$round.txt")
            echo "$row $target $round $result" >>"$OUT/wrk/all-runs.txt"
        done
    done
done
# Counted before the cold rows, which do fetch from the upstream.
UPSTREAM_REQUESTS_DURING_LOAD=$(($(wc -l <"$OUT/upstream/access.log") - UPSTREAM_REQUESTS_AFTER_WARM))

# ---------------------------------------------------------------------------------------------------- 8. cold fills
# Each round, per cold row: the verify-first floor's parts on the same file, then a cold nginx and a cold Signet
# (restarted with empty caches), each fetched once cold and once warm. Their order alternates between rounds.
# cold-runs.txt: "row round part seconds": dd, b2sum, direct; nginx-cold, nginx-warm, nginx-cold-cpu (CPU seconds the
# server used during the cold fetch); signet-cold, signet-warm, signet-cold-cpu.
COLD_NGINX_DIR="$OUT/nginx-cold"
COLD_SIGNET_DIR="$OUT/signet-cold"
COLD_NGINX_PID=""
COLD_SIGNET_PID=""
: >"$OUT/cold/cold-runs.txt"
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
cpu_seconds() { awk -v t="$1" -v hz="$CLK_TCK" 'BEGIN { printf "%.3f", t / hz }'; }

# fetch_timed URL SIZE HEADER: one GET to /dev/null; prints "seconds-to-last-byte header-value"; fails unless it is
# a 200 of SIZE bytes. curl -w's time_total is the client's last byte.
fetch_timed() {
    local url=$1 size=$2 header=$3 out code got total value
    out=$(curl -s -o /dev/null -w "%{http_code} %{size_download} %{time_total} %header{$header}" "$url") \
        || die "curl $url failed"
    read -r code got total value <<<"$out"
    [[ "$code" == 200 && "$got" == "$size" ]] || die "$url: HTTP $code, $got bytes (expected 200, $size)"
    echo "$total ${value:--}"
}
# check_stream URL SHA256: the whole body through sha256sum (not the timed fetch: hashing would slow the client).
check_stream() {
    local got
    got=$(curl -sf "$1" | sha256sum | cut -d' ' -f1) || die "curl $1 failed"
    [[ "$got" == "$2" ]] || die "WRONG BYTES from $1: sha256 $got, expected $2"
}
record() { echo "$1 $2 $3 $4" >>"$OUT/cold/cold-runs.txt"; }

cold_nginx_round() {
    local row=$1 round=$2 file=$3 size=$4 sha=$5 t ticks result
    [[ -n "$COLD_NGINX_PID" ]] && stop_pid "$COLD_NGINX_PID"
    rm -rf "$COLD_NGINX_DIR/cache" && mkdir -p "$COLD_NGINX_DIR/cache" "$COLD_NGINX_DIR/tmp"
    start_nginx nginx-cold "$COLD_NGINX_DIR" "$COLD_NGINX_PORT"
    COLD_NGINX_PID=${STARTED_PIDS[-1]}
    ticks=$(cpu_ticks "$COLD_NGINX_PID")
    result=$(fetch_timed "http://127.0.0.1:$COLD_NGINX_PORT/packages/$file" "$size" x-cache-status) || exit 1
    read -r t result <<<"$result"
    [[ "$result" == MISS ]] || die "cold nginx answered X-Cache-Status: $result on its first fetch"
    record "$row" "$round" nginx-cold "$t"
    record "$row" "$round" nginx-cold-cpu "$(cpu_seconds $(($(cpu_ticks "$COLD_NGINX_PID") - ticks)))"
    result=$(fetch_timed "http://127.0.0.1:$COLD_NGINX_PORT/packages/$file" "$size" x-cache-status) || exit 1
    read -r t result <<<"$result"
    [[ "$result" == HIT ]] || die "nginx answered X-Cache-Status: $result after its cold fetch"
    record "$row" "$round" nginx-warm "$t"
    check_stream "http://127.0.0.1:$COLD_NGINX_PORT/packages/$file" "$sha"
}

cold_signet_round() {
    local row=$1 round=$2 project=$3 file=$4 size=$5 sha=$6 t ticks result url
    if [[ $COLD_RESET == purge && -n "$COLD_SIGNET_PID" ]]; then
        # 404: not cached (the row's first round in this JVM); anything else but 200 is a failure.
        result=$(curl -s -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -o /dev/null -w '%{http_code}' \
            "http://$COLD_SIGNET_ADMIN/purge/artifact/$project/$file") || die "cold signet: purge of $project/$file failed"
        [[ $result == 200 || $result == 404 ]] || die "cold signet: purge of $project/$file answered HTTP $result"
    else
        [[ -n "$COLD_SIGNET_PID" ]] && stop_pid "$COLD_SIGNET_PID"
        rm -rf "$COLD_SIGNET_DIR/cache"
        start_signet "$COLD_SIGNET_DIR" "$COLD_SIGNET_PORT" "$COLD_JAVA_OPTS"
        COLD_SIGNET_PID=$STARTED_SIGNET_PID
        COLD_SIGNET_ADMIN=$STARTED_SIGNET_ADMIN
    fi
    # The project page first (as pip would): the fill finds the file and its hash there. Not timed.
    url=$(check page "http://127.0.0.1:$COLD_SIGNET_PORT/simple/$project/" "$file") || die "cold signet page for $project"
    ticks=$(cpu_ticks "$COLD_SIGNET_PID")
    result=$(fetch_timed "$url" "$size" x-signet-cache) || exit 1
    read -r t result <<<"$result"
    [[ "$result" == miss ]] || die "cold signet answered X-Signet-Cache: $result on its first fetch"
    record "$row" "$round" signet-cold "$t"
    # The client was answered from the verified temp file while the commit (fsyncs, rename) may still run: wait for
    # it, so that the CPU counts the whole fill and the next fetch is a hit from the store, not a join of that fill.
    for _ in $(seq 600); do
        [[ $(curl -s -H "Authorization: Bearer $ADMIN_TOKEN" "http://$COLD_SIGNET_ADMIN/fills" | tr -d " \n") == "[]" ]] && break
        sleep 0.05
    done
    record "$row" "$round" signet-cold-cpu "$(cpu_seconds $(($(cpu_ticks "$COLD_SIGNET_PID") - ticks)))"
    result=$(fetch_timed "$url" "$size" x-signet-cache) || exit 1
    read -r t result <<<"$result"
    [[ "$result" == hit ]] || die "signet answered X-Signet-Cache: $result after its cold fetch"
    record "$row" "$round" signet-warm "$t"
    check_stream "$url" "$sha"
}

if ((${#COLD_ROWS[@]})); then
    mkdir -p "$COLD_NGINX_DIR/tmp" "$COLD_SIGNET_DIR"
    nginx_proxy_conf "$COLD_NGINX_DIR" "$COLD_NGINX_PORT" >"$COLD_NGINX_DIR/nginx.conf"
fi
for row in "${COLD_ROWS[@]}"; do
    project=bench-cold16m; [[ $row == cold1g ]] && project=bench-cold1g
    file=${WHEEL_FILE[$project]}; size=${WHEEL_SIZE[$project]}; sha=${WHEEL_SHA[$project]}
    src="$OUT/index/packages/$file"
    for round in $(seq "$ROUNDS"); do
        log "cold fill: $row row ($size bytes), round $round/$ROUNDS"
        # The floor's parts, on the same file and the cache's filesystem (Signet's and nginx's caches are in $OUT).
        t=$(now); dd if="$src" of="$OUT/cold/dd.tmp" bs=1M conv=fsync status=none; record "$row" "$round" dd "$(elapsed "$t" "$(now)")"
        rm -f "$OUT/cold/dd.tmp"
        t=$(now); b2sum "$src" >/dev/null; record "$row" "$round" b2sum "$(elapsed "$t" "$(now)")"
        t=$(fetch_timed "$UPSTREAM/packages/$file" "$size" content-length) || exit 1
        t=${t%% *}
        record "$row" "$round" direct "$t"
        if ((round % 2)); then
            cold_nginx_round "$row" "$round" "$file" "$size" "$sha"
            cold_signet_round "$row" "$round" "$project" "$file" "$size" "$sha"
        else
            cold_signet_round "$row" "$round" "$project" "$file" "$size" "$sha"
            cold_nginx_round "$row" "$round" "$file" "$size" "$sha"
        fi
    done
done
if ((${#COLD_ROWS[@]})); then
    stop_pid "$COLD_SIGNET_PID"; stop_pid "$COLD_NGINX_PID"
    grep -h -E 'OutOfMemory|ERROR' "$COLD_SIGNET_DIR/stderr.log" >&2 && die "the cold Signet logged errors (see $COLD_SIGNET_DIR/stderr.log)"
    # A run keeps no 1 GiB copies: the cold caches and the upstream's cold wheels go (their logs stay).
    rm -rf "$COLD_NGINX_DIR/cache" "$COLD_SIGNET_DIR/cache"
    rm -f "$OUT"/index/packages/bench_cold*.whl
fi

# ---------------------------------------------------------------------------------------------------- after-checks
# The load must not have changed what the caches serve, nor sent them back to the upstream.
for project in bench-small bench-large; do
    row=small; [[ $project == bench-large ]] && row=large
    for target in "${TARGETS[@]}"; do
        check body "${URL[$target:$row]}" "${WHEEL_SHA[$project]}" 1 >/dev/null \
            || die "$target served wrong bytes for ${WHEEL_FILE[$project]} after the load"
    done
done
((UPSTREAM_REQUESTS_DURING_LOAD == 0)) || log "warning: the upstream was asked $UPSTREAM_REQUESTS_DURING_LOAD times during the hit rows"
REFUSALS=$(grep -c ' 403 ' "$OUT/signet/stderr.log" || true)
((REFUSALS == 0)) || die "Signet logged $REFUSALS refusals (403) during the run"

# ---------------------------------------------------------------------------------------------------- report
JVM_FLAGS=$(grep -m1 -- '-XX:' "$OUT/signet/stdout.log" || echo "(not printed)")
COLD_JVM_FLAGS=$(grep -m1 -- '-XX:' "$COLD_SIGNET_DIR/stdout.log" 2>/dev/null || echo "(no cold row)")
{
    echo
    echo "Signet vs nginx proxy_cache and Varnish, $(date -u +'%Y-%m-%d %H:%M UTC'), $(uname -srm)"
    echo "cores: $(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))," \
         "nginx $("$NGINX_BIN" -v 2>&1 | sed 's/.*nginx\///') worker_processes $NGINX_WORKERS," \
         "varnish $("$VARNISHD_BIN" -V 2>&1 | head -1 | sed 's/^varnishd (varnish-//; s/ revision.*//') -s $VARNISH_STORAGE," \
         "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --timeout ${WRK_TIMEOUT}s, $ROUNDS alternating rounds"
    echo "load average before / after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg) (other processes compete for the cores)"
    echo "signet JVM: $(java -version 2>&1 | sed -n 2p); jar: $JAR"
    echo "signet JVM flags (hit rows): $JVM_FLAGS"
    echo "signet JVM flags (cold rows): $COLD_JVM_FLAGS; cold cache emptied by: $COLD_RESET"
    echo "signet memory-cache-size: ${BENCH_MEMORY_CACHE:-default (64MiB)}, verification on (identity checks for disk hits)"
    echo "wheels: small ${WHEEL_SIZE[bench-small]} B, large ${WHEEL_SIZE[bench-large]} B${WHEEL_SIZE[bench-cold16m]:+, cold ${WHEEL_SIZE[bench-cold16m]} B}${WHEEL_SIZE[bench-cold1g]:+, cold ${WHEEL_SIZE[bench-cold1g]} B};" \
         "upstream requests during the hit rows: $UPSTREAM_REQUESTS_DURING_LOAD"
    echo
    python3 "$BENCH_DIR/summarize.py" "$OUT/wrk/all-runs.txt" "$OUT/cold/cold-runs.txt" "$DURATION" "${ROWS[@]}"
    echo
    echo "All runs: $OUT/wrk/all-runs.txt (row target round req/s MiB/s p99ms non2xx socketerrors cpu-us/req wrk-cpu-s)," \
         "$OUT/cold/cold-runs.txt (row round part seconds)"
} | tee "$OUT/results.md"
log "all correctness checks passed"

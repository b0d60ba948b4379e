#!/usr/bin/env bash
# Makes a Docker engine reachable at /var/run/docker.sock and the air-gapped base image present.
#
# Used by CI before the Testcontainers tests (DockerImageIT). Idempotent and quick when everything
# is already there: each step checks before it acts.
#
#   1. dockerd missing      -> install Debian's docker.io (a client alone, such as a stray
#                              /usr/local/bin/docker, is not an engine).
#   2. engine not answering -> start dockerd in the background. Containers here use host networking
#                              only, so dockerd gets no bridge and does not touch iptables.
#   3. wait (bounded) until `docker info` answers.
#   4. build signet-os:bookworm and signet-jdk:bookworm from Debian packages unless they exist
#      (build-base-image.sh).
#
# Environment: DOCKERD_LOG (default /var/log/signet-dockerd.log), DOCKER_WAIT_SECONDS (default 60).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dockerd_log="${DOCKERD_LOG:-/var/log/signet-dockerd.log}"
wait_seconds="${DOCKER_WAIT_SECONDS:-60}"
socket=/var/run/docker.sock

log() { echo "ensure-docker: $*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
    log "must run as root (installs packages and starts dockerd)"
    exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
    log "dockerd not found; installing docker.io from Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends docker.io
fi

engine_answers() {
    # Talk to the socket explicitly: DOCKER_HOST or a docker context must not redirect the check.
    docker --host "unix://$socket" info >/dev/null 2>&1
}

# A dockerd that was killed may linger briefly as a zombie; only a live process counts.
dockerd_alive() {
    local pid
    for pid in $(pgrep -x dockerd); do
        [[ $(ps -o stat= -p "$pid" 2>/dev/null) == Z* ]] || return 0
    done
    return 1
}

# A dockerd or its containerd killed without cleanup leaves pid files behind, and dockerd refuses to start while
# the recorded pid still exists (a zombie, or an unrelated process that reused the number).
remove_stale_pid_file() {
    local file=$1 name=$2 pid
    [[ -f $file ]] || return 0
    pid=$(<"$file")
    if [[ $(ps -o comm= -p "$pid" 2>/dev/null) == "$name" && $(ps -o stat= -p "$pid") != Z* ]]; then
        return 0
    fi
    log "removing stale $file"
    rm -f "$file"
}

start_dockerd() {
    remove_stale_pid_file /var/run/docker.pid dockerd
    remove_stale_pid_file /var/run/docker/containerd/containerd.pid containerd
    log "starting dockerd (host networking only; log: $dockerd_log)"
    # setsid + nohup: dockerd must outlive this script and the shell that ran it.
    setsid nohup dockerd \
        --host "unix://$socket" \
        --iptables=false \
        --ip-masq=false \
        --ip-forward=false \
        --bridge=none \
        >>"$dockerd_log" 2>&1 </dev/null &
}

if ! engine_answers; then
    started=false
    deadline=$((SECONDS + wait_seconds))
    until engine_answers; do
        if ! dockerd_alive; then
            if [[ $started == true ]]; then
                log "dockerd exited during startup; last lines of $dockerd_log:"
                tail -n 20 "$dockerd_log" >&2 || true
                exit 1
            fi
            start_dockerd
            started=true
        fi
        if ((SECONDS >= deadline)); then
            log "docker engine did not answer within ${wait_seconds}s; last lines of $dockerd_log:"
            tail -n 20 "$dockerd_log" >&2 || true
            exit 1
        fi
        sleep 0.5
    done
    log "docker engine is up"
fi

bash "$here/build-base-image.sh"

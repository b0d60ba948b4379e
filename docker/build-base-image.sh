#!/usr/bin/env bash
# Builds the Java runtime base image signet-base:bookworm from Debian packages alone, for machines
# that reach a Debian mirror but no container registry (air-gapped sites, this project's CI).
#
#   debootstrap --variant=minbase bookworm + openjdk-17-jre-headless + ca-certificates
#   -> strip docs, man pages, locales and apt lists
#   -> tar | docker import
#
# Usage: build-base-image.sh [--force]
#   --force   rebuild even when the image already exists (otherwise an existing image is kept).
# Environment:
#   DEBIAN_MIRROR   mirror to bootstrap from; default: the one this machine's apt uses for bookworm.
#   BASE_IMAGE_TAG  image name; default signet-base:bookworm.
set -euo pipefail

image="${BASE_IMAGE_TAG:-signet-base:bookworm}"
suite=bookworm
force=false

log() { echo "build-base-image: $*" >&2; }

for arg in "$@"; do
    case "$arg" in
        --force) force=true ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) log "unknown argument: $arg (expected --force)"; exit 2 ;;
    esac
done

print_size() {
    docker image ls "$image" --format '{{.Repository}}:{{.Tag}} {{.Size}}'
}

if [[ $force == false ]] && docker image inspect "$image" >/dev/null 2>&1; then
    log "$image already exists (use --force to rebuild)"
    print_size
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    log "must run as root (debootstrap needs it)"
    exit 1
fi

# The mirror apt already uses here for the main bookworm suite: from deb822 *.sources stanzas
# (URIs:/Suites:) and one-line "deb URI SUITE ..." entries alike. Security and -updates suites
# are skipped because debootstrap needs the suite itself.
apt_mirror() {
    local files=()
    [[ -f /etc/apt/sources.list ]] && files+=(/etc/apt/sources.list)
    for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] && files+=("$f")
    done
    ((${#files[@]})) || return 0
    awk -v suite="$suite" '
        function flush() {
            if (uris != "" && (" " suites " ") ~ (" " suite " ") && types ~ /(^| )deb( |$)/) {
                split(uris, u, " "); print u[1]; found = 1; exit
            }
            uris = ""; suites = ""; types = ""
        }
        /^[[:space:]]*$/ { flush(); next }
        /^[[:space:]]*#/ { next }
        /^Types:/  { sub(/^Types:[[:space:]]*/, "");  types = $0; next }
        /^URIs:/   { sub(/^URIs:[[:space:]]*/, "");   uris = $0; next }
        /^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0; next }
        /^deb[[:space:]]/ {
            line = $0; sub(/\[[^]]*\]/, "", line); n = split(line, f, /[[:space:]]+/)
            if (n >= 3 && f[3] == suite) { print f[2]; found = 1; exit }
        }
        ENDFILE { flush() }
    ' "${files[@]}"
}

mirror="${DEBIAN_MIRROR:-$(apt_mirror)}"
if [[ -z $mirror ]]; then
    log "no apt source for suite '$suite' found in /etc/apt/sources.list(.d); set DEBIAN_MIRROR"
    exit 1
fi

if ! command -v debootstrap >/dev/null 2>&1; then
    log "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
fi

rootfs="$(mktemp -d /var/tmp/signet-rootfs.XXXXXX)"
cleanup() {
    # debootstrap mounts /proc and /sys inside the target; never rm -rf through a live mount.
    for m in "$rootfs/proc" "$rootfs/sys" "$rootfs/dev/pts"; do
        mountpoint -q "$m" 2>/dev/null && umount -l "$m" || true
    done
    rm -rf --one-file-system "$rootfs"
}
trap cleanup EXIT

log "debootstrap $suite from $mirror into $rootfs"
debootstrap --variant=minbase --components=main \
    --include=openjdk-17-jre-headless,ca-certificates \
    "$suite" "$rootfs" "$mirror" >&2

if [[ ! -x $rootfs/usr/lib/jvm/java-17-openjdk-amd64/bin/java ]] && ! ls "$rootfs"/usr/lib/jvm/*/bin/java >/dev/null 2>&1; then
    log "debootstrap finished but no java binary is in the root filesystem"
    exit 1
fi

log "stripping documentation, man pages, locales and apt lists"
rm -rf \
    "$rootfs"/usr/share/doc/* \
    "$rootfs"/usr/share/man/* \
    "$rootfs"/usr/share/info/* \
    "$rootfs"/usr/share/lintian \
    "$rootfs"/usr/share/locale/* \
    "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/var/cache/apt/* \
    "$rootfs"/var/cache/debconf/*-old \
    "$rootfs"/var/lib/dpkg/*-old \
    "$rootfs"/var/log/* \
    "$rootfs"/tmp/* \
    "$rootfs"/etc/resolv.conf \
    "$rootfs"/etc/hostname
# Keep later `apt-get install` runs in derived images just as lean.
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/signet-nodoc" <<'EOF'
path-exclude=/usr/share/doc/*
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
EOF

log "importing as $image"
tar --numeric-owner -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["/bin/bash"]' \
    --message "debootstrap --variant=minbase $suite + openjdk-17-jre-headless, ca-certificates" \
    - "$image" >/dev/null

print_size

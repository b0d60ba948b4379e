#!/usr/bin/env bash
# Builds the two base images of docker/Dockerfile from Debian packages alone, for machines that reach a
# Debian mirror but no container registry (air-gapped sites, this project's CI):
#
#   signet-os:bookworm   debootstrap --variant=minbase bookworm + ca-certificates, no Java and no iconv
#                        modules: the runtime image's base (the image brings its own jlink'ed runtime)
#   signet-jdk:bookworm  the same + openjdk-17-jdk-headless (jlink and the jmods): the build stage that
#                        makes that runtime
#   -> strip docs, man pages, locales and apt lists
#   -> tar | docker import
#
# Usage: build-base-image.sh [--force]
#   --force   rebuild even when an image already exists (otherwise an existing image is kept).
# Environment:
#   DEBIAN_MIRROR   mirror to bootstrap from; default: the one this machine's apt uses for bookworm.
#   OS_IMAGE_TAG    runtime base image name; default signet-os:bookworm.
#   JDK_IMAGE_TAG   build stage image name; default signet-jdk:bookworm.
set -euo pipefail

os_image="${OS_IMAGE_TAG:-signet-os:bookworm}"
jdk_image="${JDK_IMAGE_TAG:-signet-jdk:bookworm}"
suite=bookworm
force=false

log() { echo "build-base-image: $*" >&2; }

for arg in "$@"; do
    case "$arg" in
        --force) force=true ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) log "unknown argument: $arg (expected --force)"; exit 2 ;;
    esac
done

print_size() {
    docker image ls "$1" --format '{{.Repository}}:{{.Tag}} {{.Size}}'
}

# Whether IMAGE is there and may be kept.
keep() {
    [[ $force == false ]] && docker image inspect "$1" >/dev/null 2>&1
}

# The runtime base is kept only if it has every package this script now puts in it: one built before libsodium23
# joined the list would give an image that silently hashes in Java (DockerImageIT checks the log line).
keep_os() {
    keep "$os_image" && docker run --rm --network none "$os_image" \
        sh -c 'ls /usr/lib/*/libsodium.so.* && ls /etc/ssl/certs/ca-certificates.crt' >/dev/null 2>&1
}

if keep_os && keep "$jdk_image"; then
    log "$os_image and $jdk_image already exist (use --force to rebuild)"
    print_size "$os_image"
    print_size "$jdk_image"
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

rootfs=""
cleanup() {
    [[ -n $rootfs ]] || return 0
    # debootstrap mounts /proc and /sys inside the target; never rm -rf through a live mount.
    for m in "$rootfs/proc" "$rootfs/sys" "$rootfs/dev/pts"; do
        mountpoint -q "$m" 2>/dev/null && umount -l "$m" || true
    done
    rm -rf --one-file-system "$rootfs"
    rootfs=""
}
trap cleanup EXIT

# build IMAGE DESCRIPTION PACKAGES [PATH...]: debootstrap minbase with PACKAGES (comma-separated), strip (and
# remove each PATH under the root too), import.
build() {
    local image=$1 description=$2 packages=$3
    shift 3
    rootfs="$(mktemp -d /var/tmp/signet-rootfs.XXXXXX)"
    log "debootstrap $suite from $mirror into $rootfs (+ $packages)"
    debootstrap --variant=minbase --components=main --include="$packages" \
        "$suite" "$rootfs" "$mirror" >&2

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
    local extra
    for extra in "$@"; do
        # Unquoted on purpose: a PATH may be a glob (no PATH has spaces).
        # shellcheck disable=SC2086
        rm -rf --one-file-system "${rootfs:?}"/$extra
    done
    # Keep later `apt-get install` runs in derived images just as lean.
    printf '%s\n' 'path-exclude=/usr/share/doc/*' 'path-exclude=/usr/share/man/*' \
        'path-exclude=/usr/share/info/*' 'path-exclude=/usr/share/locale/*' \
        >"$rootfs/etc/dpkg/dpkg.cfg.d/signet-nodoc"

    log "importing as $image"
    tar --numeric-owner -C "$rootfs" -c . | docker import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'CMD ["/bin/bash"]' \
        --message "debootstrap --variant=minbase $suite + $description" \
        - "$image" >/dev/null
    cleanup
    print_size "$image"
}

if ! keep_os; then
    # glibc's iconv modules (8 MB): Java converts character sets itself and nothing in the image calls iconv.
    # Perl, apt and dpkg's database (17 MB): a runtime base, not one to install packages into; the image's only
    # build step (groupadd, useradd, mkdir, chown) needs none of them. Derive images that need packages from
    # signet-jdk:bookworm or Debian instead.
    # libsodium23 (0.4 MB): Signet's BLAKE2b runs about 2x faster through it (dev.signet.crypto.SodiumBlake2b512).
    build "$os_image" "ca-certificates, libsodium23 (no Java, no iconv modules, no perl, apt or dpkg database)" \
        ca-certificates,libsodium23 \
        usr/lib/x86_64-linux-gnu/gconv \
        'usr/bin/perl*' usr/lib/x86_64-linux-gnu/perl-base usr/share/perl5 \
        'usr/bin/apt*' usr/lib/apt 'usr/lib/x86_64-linux-gnu/libapt-*' var/lib/apt etc/apt var/cache/apt \
        var/lib/dpkg
fi
if ! keep "$jdk_image"; then
    build "$jdk_image" "openjdk-17-jdk-headless, ca-certificates" openjdk-17-jdk-headless,ca-certificates
    if ! docker run --rm --network none "$jdk_image" sh -c 'command -v jlink && ls /usr/lib/jvm/*/jmods/java.base.jmod' >/dev/null; then
        log "$jdk_image has no jlink or no jmods"
        exit 1
    fi
fi

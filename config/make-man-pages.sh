#!/usr/bin/env bash
# Man pages for signet and each of its commands, generated with GNU help2man from the same --help text the commands
# print (picocli), so they never disagree with the program.
#
#   config/make-man-pages.sh [JAR] [OUT_DIR]     # defaults: proxy-server/target/signet.jar, proxy-server/target/man
#   man -l proxy-server/target/man/signet-serve.1
#
# Install: copy OUT_DIR/*.1 to /usr/local/share/man/man1/ (then `man signet`, `man signet-serve`). Needs help2man
# (Debian: apt-get install help2man) and java on PATH.
set -euo pipefail
jar=$(realpath "${1:-proxy-server/target/signet.jar}")
out=${2:-proxy-server/target/man}
command -v help2man >/dev/null || { echo "help2man is not installed (apt-get install help2man)" >&2; exit 1; }
[[ -f $jar ]] || { echo "no $jar: build it first (mvn -DskipTests package)" >&2; exit 1; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A wide usage text: help2man takes the synopsis from the first lines of --help, which picocli wraps at 80 columns.
java=(java -Dpicocli.usage.width=200 -jar "$jar")
version=$("${java[@]}" --version)
# One wrapper per command: help2man runs PROGRAM --help.
page() {
  local name=$1 command=$2 summary=$3
  printf '#!/bin/sh\nexec java -Dpicocli.usage.width=200 -jar %q %s "$@"\n' "$jar" "$command" > "$work/$name"
  chmod +x "$work/$name"
  # help2man names the page after the first word of the version string.
  help2man --no-info --no-discard-stderr --version-string="$name ${version#* }" --name="$summary" \
      --output="$out/$name.1" "$work/$name"
}

page signet "" "a caching proxy for Python package indexes that verifies every artifact's signature"
# The commands and their one-line summaries, as `signet --help` lists them (continuation lines are skipped).
"${java[@]}" --help | sed -n '/^Commands:/,$p' | grep -E '^  [a-z][a-z-]* ' | while read -r command summary; do
  [[ $command == help ]] && continue
  page "signet-$command" "$command" "${summary%.}"
done
ls "$out"

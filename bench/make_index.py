#!/usr/bin/env python3
"""Writes the benchmark's upstream index: two projects, one wheel each, PEP 503 pages.

Usage: make_index.py ROOT SMALL_BYTES LARGE_BYTES

The wheels are valid zip files holding incompressible random bytes (ZIP_STORED), so neither proxy can
gain anything from compression. Prints one line per wheel: project, file name, size, sha256.
Signatures are made afterwards by `signet sign` (run.sh), so this script knows nothing of keys.
"""
import hashlib
import os
import sys
import zipfile

PROJECTS = (("bench-small", "bench_small"), ("bench-large", "bench_large"))


def write_wheel(path, dist, payload_bytes):
    info = f"{dist}-1.0.dist-info"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as wheel:
        wheel.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
        wheel.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: signet-bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        wheel.writestr(f"{dist}/payload.bin", os.urandom(payload_bytes))


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_page(path, title, links):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    body = "\n".join(f'    <a href="{href}">{text}</a><br/>' for href, text in links)
    with open(path, "w", encoding="utf-8") as f:
        f.write(f'<!DOCTYPE html>\n<html>\n  <head><meta name="pypi:repository-version" content="1.0">'
                f"<title>{title}</title></head>\n  <body>\n{body}\n  </body>\n</html>\n")


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: make_index.py ROOT SMALL_BYTES LARGE_BYTES")
    root, sizes = sys.argv[1], (int(sys.argv[2]), int(sys.argv[3]))
    os.makedirs(os.path.join(root, "packages"), exist_ok=True)
    for (project, dist), payload in zip(PROJECTS, sizes):
        name = f"{dist}-1.0-py3-none-any.whl"
        wheel = os.path.join(root, "packages", name)
        write_wheel(wheel, dist, payload)
        digest = sha256_of(wheel)
        write_page(os.path.join(root, "simple", project, "index.html"), f"Links for {project}",
                   [(f"../../packages/{name}#sha256={digest}", name)])
        print(project, name, os.path.getsize(wheel), digest)
    write_page(os.path.join(root, "simple", "index.html"), "Simple index",
               [(f"{project}/", project) for project, _ in PROJECTS])


if __name__ == "__main__":
    main()

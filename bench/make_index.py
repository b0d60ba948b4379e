#!/usr/bin/env python3
"""Writes the benchmark's upstream index: two projects, one wheel each, PEP 503 pages.

Usage: make_index.py ROOT SMALL_BYTES LARGE_BYTES [COLD_SMALL_BYTES COLD_LARGE_BYTES]

The two optional sizes add the cold-fill rows' projects (bench-cold16m, bench-cold1g): wheels no hit row touches, so
they are fetched only by the cold rounds. A size of 0 leaves that project out.

The wheels are valid zip files holding incompressible random bytes (ZIP_STORED), so neither proxy can
gain anything from compression. Prints one line per wheel: project, file name, size, sha256.
Signatures are made afterwards by `signet sign` (run.sh), so this script knows nothing of keys.
"""
import hashlib
import os
import sys
import zipfile

PROJECTS = (("bench-small", "bench_small"), ("bench-large", "bench_large"),
            ("bench-cold16m", "bench_cold16m"), ("bench-cold1g", "bench_cold1g"))
CHUNK = 1 << 20


def write_wheel(path, dist, payload_bytes):
    info = f"{dist}-1.0.dist-info"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as wheel:
        wheel.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
        wheel.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: signet-bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        # Streamed in 1 MiB chunks: the 1 GiB cold wheel never sits in memory whole.
        with wheel.open(f"{dist}/payload.bin", "w", force_zip64=payload_bytes >= (1 << 31)) as payload:
            for offset in range(0, payload_bytes, CHUNK):
                payload.write(os.urandom(min(CHUNK, payload_bytes - offset)))


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
    if len(sys.argv) not in (4, 6):
        sys.exit("usage: make_index.py ROOT SMALL_BYTES LARGE_BYTES [COLD_SMALL_BYTES COLD_LARGE_BYTES]")
    root, sizes = sys.argv[1], [int(size) for size in sys.argv[2:]]
    os.makedirs(os.path.join(root, "packages"), exist_ok=True)
    written = []
    for (project, dist), payload in zip(PROJECTS, sizes):
        if payload == 0:
            continue
        written.append(project)
        name = f"{dist}-1.0-py3-none-any.whl"
        wheel = os.path.join(root, "packages", name)
        write_wheel(wheel, dist, payload)
        digest = sha256_of(wheel)
        write_page(os.path.join(root, "simple", project, "index.html"), f"Links for {project}",
                   [(f"../../packages/{name}#sha256={digest}", name)])
        print(project, name, os.path.getsize(wheel), digest)
    write_page(os.path.join(root, "simple", "index.html"), "Simple index",
               [(f"{project}/", project) for project in written])


if __name__ == "__main__":
    main()

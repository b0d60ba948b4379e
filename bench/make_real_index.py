#!/usr/bin/env python3
"""Writes chain.sh's upstream: a static PEP 503 index of the real distributions an install of PACKAGES needs.

Usage: make_real_index.py ROOT PACKAGE...

The distributions come from this machine's local package folders, found where its pip configuration points
(find-links and file:// index URLs in /etc/pip.conf, /etc/xdg/pip/pip.conf, ~/.config/pip/pip.conf), as the tests'
RealDistributions finds them; nothing is downloaded. pip itself resolves PACKAGES against those folders only
(--no-index --dry-run --report, for this python3), so the index holds exactly the files a real install of them picks.

The tree (ROOT/simple/<project>/index.html linking ../../files/<file>#sha256=<hex>, ROOT/simple/index.html,
ROOT/files/<file>) is what nginx serves as the origin's upstream. Prints one line per file: project, file name,
size, sha256.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

PIP_CONFIGS = ("/etc/pip.conf", "/etc/xdg/pip/pip.conf", os.path.expanduser("~/.config/pip/pip.conf"))
LOCATION = re.compile(r"(?:file://)?(/\S+)")


def package_folders():
    """Directories holding wheels or sdists under every local location the pip configuration names."""
    roots = []
    for config in PIP_CONFIGS:
        if not os.path.isfile(config):
            continue
        for line in open(config, encoding="utf-8"):
            line = line.strip()
            if not line.startswith(("find-links", "extra-index-url", "index-url")):
                continue
            for path in LOCATION.findall(line.split("=", 1)[1]):
                # A file:// simple index links its files relative to itself: its parent holds them.
                root = os.path.dirname(path.rstrip("/")) if os.path.basename(path.rstrip("/")) == "simple" else path
                if os.path.isdir(root) and root not in roots:
                    roots.append(root)
    folders = []
    for root in roots:
        for folder, _, files in os.walk(root):
            if any(f.endswith((".whl", ".tar.gz")) for f in files) and folder not in folders:
                folders.append(folder)
    return folders


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_page(path, links):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    body = "\n".join(f'<a href="{href}">{text}</a><br/>' for href, text in links)
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"<!DOCTYPE html>\n<html><head><meta name=\"pypi:repository-version\" content=\"1.0\"></head>"
                f"<body>\n{body}\n</body></html>\n")


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: make_real_index.py ROOT PACKAGE...")
    root, packages = sys.argv[1], sys.argv[2:]
    folders = package_folders()
    if not folders:
        sys.exit("make_real_index.py: no local package folders in this machine's pip configuration")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    with tempfile.TemporaryDirectory() as scratch:
        report = os.path.join(scratch, "report.json")
        command = [sys.executable, "-m", "pip", "install", "--isolated", "--no-cache-dir", "--disable-pip-version-check",
                   "--no-index", "--dry-run", "--ignore-installed", "--quiet", "--report", report]
        for folder in folders:
            command += ["--find-links", folder]
        subprocess.run(command + packages, check=True, env=env, stdout=sys.stderr)
        with open(report, encoding="utf-8") as f:
            chosen = json.load(f)["install"]
    os.makedirs(os.path.join(root, "files"), exist_ok=True)
    by_project = {}
    for item in chosen:
        url = item["download_info"]["url"]
        source = urllib.request.url2pathname(urllib.parse.urlsplit(url).path)
        name = os.path.basename(source)
        target = os.path.join(root, "files", name)
        shutil.copyfile(source, target)
        digest = sha256_of(target)
        project = normalize(item["metadata"]["name"])
        by_project.setdefault(project, []).append((f"../../files/{name}#sha256={digest}", name))
        print(project, name, os.path.getsize(target), digest)
    for project, links in sorted(by_project.items()):
        write_page(os.path.join(root, "simple", project, "index.html"), links)
    write_page(os.path.join(root, "simple", "index.html"), [(f"{p}/", p) for p in sorted(by_project)])


if __name__ == "__main__":
    main()

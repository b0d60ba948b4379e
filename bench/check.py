#!/usr/bin/env python3
"""Correctness checks run.sh makes through each proxy before (and after) measuring.

  check.py page URL FILE          GET an index page; it must be 200 and link FILE. Prints the link's absolute URL
                                  (without the #fragment), which is how run.sh learns each proxy's artifact URL.
  check.py body URL SHA256 COUNT  GET URL COUNT times; every answer must be 200 with exactly the expected bytes.
                                  Prints the last X-Cache-Status header (nginx) or "-".

Exits 1 with a one-line reason on the first failure.
"""
import hashlib
import re
import sys
import urllib.error
import urllib.parse
import urllib.request


def fail(message):
    print(f"check failed: {message}", file=sys.stderr)
    sys.exit(1)


def get(url):
    try:
        with urllib.request.urlopen(urllib.request.Request(url), timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        fail(f"{url}: HTTP {e.code} {e.read()[:200]!r}")
    except OSError as e:
        fail(f"{url}: {e}")


def page(url, file_name):
    status, _, body = get(url)
    if status != 200:
        fail(f"{url}: HTTP {status}")
    for href in re.findall(r'href="([^"]+)"', body.decode("utf-8")):
        link = urllib.parse.urljoin(url, href.replace("&amp;", "&"))
        path = urllib.parse.urlsplit(link).path
        if path.rsplit("/", 1)[-1] == file_name:
            print(urllib.parse.urldefrag(link)[0])
            return
    fail(f"{url}: no link to {file_name}")


def body(url, expected_sha256, count):
    cache_status = "-"
    for attempt in range(1, count + 1):
        status, headers, data = get(url)
        if status != 200:
            fail(f"{url}: HTTP {status} on request {attempt}")
        actual = hashlib.sha256(data).hexdigest()
        if actual != expected_sha256:
            fail(f"{url}: WRONG BYTES on request {attempt}: sha256 {actual} ({len(data)} bytes), "
                 f"expected {expected_sha256}")
        cache_status = headers.get("X-Cache-Status", "-")
    print(cache_status)


def main():
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "page":
        page(args[1], args[2])
    elif len(args) == 4 and args[0] == "body" and args[3].isdigit():
        body(args[1], args[2], int(args[3]))
    else:
        fail("usage: check.py page URL FILE | check.py body URL SHA256 COUNT")


if __name__ == "__main__":
    main()

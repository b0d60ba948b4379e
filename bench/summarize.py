#!/usr/bin/env python3
"""Turns run.sh's raw results into the tables of results.md.

Usage: summarize.py ALL_RUNS COLD_RUNS DURATION ROW...

ALL_RUNS has one line per wrk run: row target round req/s MiB/s p99ms non2xx socketerrors cpu-us/req wrk-cpu-s
(DURATION is the seconds of one measured wrk run, to turn CPU seconds into a share of one core).
COLD_RUNS has one line per measured part of a cold round: row round part seconds.

Every figure is the median of the rounds with the spread (min-max) beside it: on a shared machine one round says
little. A hit row's ratio is Signet against the best peer (the faster of nginx and Varnish by median req/s); the
"per round" column divides each round's Signet figure by the best peer's figure of the same round. With an A/B
Signet (target signet-b) a last table compares it with Signet round by round.
"""
import statistics
import sys
from collections import defaultdict

PEERS = ("nginx", "varnish")
HIT_LABELS = {"index": "index page", "small": "~70 KB wheel", "large": "~16 MB wheel"}
COLD_LABELS = {"cold16m": "cold ~16 MB wheel", "cold1g": "cold ~1 GiB wheel"}
FLOOR_TARGET, NGINX_COLD_TARGET = 1.25, 1.5


def spread(values, fmt):
    median = statistics.median(values)
    if len(values) == 1:
        return fmt.format(median)
    return f"{fmt.format(median)} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def read_lines(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [line.split() for line in f if line.strip()]
    except FileNotFoundError:
        return []


def hit_table(runs, rows):
    # runs[row][target][round] = (req/s, p99 ms, cpu us/req)
    if not any(row in runs for row in rows):
        return
    print("| row | nginx req/s | Varnish req/s | Signet req/s | best peer | Signet / best peer (per round) "
          "| CPU µs/req nginx / Varnish / Signet | p99 ms nginx / Varnish / Signet |")
    print("|---|--:|--:|--:|---|--:|--:|--:|")
    for row in rows:
        if row not in runs:
            continue
        by_target = runs[row]
        med = {t: statistics.median(r[0] for r in by_target[t].values()) for t in by_target}
        best = max(PEERS, key=lambda t: med.get(t, 0))
        rounds = sorted(by_target["signet"])
        per_round = [by_target["signet"][n][0] / max(by_target[p][n][0] for p in PEERS) for n in rounds]
        cells = [spread([r[0] for r in by_target[t].values()], "{:.0f}") for t in ("nginx", "varnish", "signet")]
        cpu = " / ".join(f"{statistics.median(r[2] for r in by_target[t].values()):.0f}"
                         for t in ("nginx", "varnish", "signet"))
        p99 = " / ".join(f"{statistics.median(r[1] for r in by_target[t].values()):.1f}"
                         for t in ("nginx", "varnish", "signet"))
        ratio = f"**{med['signet'] / med[best]:.2f}** ({min(per_round):.2f}-{max(per_round):.2f})"
        print(f"| {HIT_LABELS[row]} | {cells[0]} | {cells[1]} | {cells[2]} | {best} | {ratio} | {cpu} | {p99} |")
    print()
    print("req/s: median of the rounds (min-max). Target: Signet / best peer at least 1.0 on every row.")


def busy_table(runs, rows, duration):
    """How busy each side was: a server far below one core while wrk is near one core is waiting on the client."""
    targets = [t for t in ("nginx", "varnish", "signet", "signet-b") if any(t in runs[r] for r in rows if r in runs)]
    print("| row | " + " | ".join(f"{t} server CPU % / wrk CPU %" for t in targets) + " |")
    print("|---|" + "--:|" * len(targets))
    for row in rows:
        if row not in runs:
            continue
        cells = []
        for t in targets:
            rounds = runs[row].get(t, {}).values()
            server = statistics.median(r[0] * r[2] / 1e4 for r in rounds)
            client = statistics.median(r[3] / duration * 100 for r in rounds)
            cells.append(f"{server:.0f} / {client:.0f}")
        print(f"| {HIT_LABELS[row]} | " + " | ".join(cells) + " |")
    print()
    print("Median of the rounds; 100 % = one core (the machine has two, and other jobs share them).")


def ab_table(runs, rows):
    if not any("signet-b" in runs[r] for r in rows if r in runs):
        return
    print("| row | Signet (A) req/s | Signet B req/s | B / A (per round) | CPU µs/req A / B |")
    print("|---|--:|--:|--:|--:|")
    for row in rows:
        if row not in runs or "signet-b" not in runs[row]:
            continue
        a, b = runs[row]["signet"], runs[row]["signet-b"]
        per_round = [b[n][0] / a[n][0] for n in sorted(a) if n in b]
        print(f"| {HIT_LABELS[row]} | {spread([r[0] for r in a.values()], '{:.0f}')} "
              f"| {spread([r[0] for r in b.values()], '{:.0f}')} "
              f"| **{statistics.median(per_round):.2f}** ({min(per_round):.2f}-{max(per_round):.2f}) "
              f"| {statistics.median(r[2] for r in a.values()):.0f} / {statistics.median(r[2] for r in b.values()):.0f} |")


def cold_table(parts, rows):
    # parts[row][round][part] = seconds
    if not any(row in parts for row in rows):
        return
    print("| row | Signet s | nginx s | floor s | Signet / floor (target 1.25) | Signet / nginx (target 1.5) "
          "| dd+fsync s | b2sum s | direct s | warm hit s Signet / nginx | CPU s during the fill Signet / nginx |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for row in rows:
        if row not in parts:
            continue
        rounds = [parts[row][n] for n in sorted(parts[row])]
        floors = [max(r["dd"], r["b2sum"], r["direct"]) + min(r["signet-warm"], r["nginx-warm"]) for r in rounds]
        col = lambda name: [r[name] for r in rounds]
        to_floor = [r["signet-cold"] / f for r, f in zip(rounds, floors)]
        to_nginx = [r["signet-cold"] / r["nginx-cold"] for r in rounds]
        print(f"| {COLD_LABELS[row]} | {spread(col('signet-cold'), '{:.3f}')} | {spread(col('nginx-cold'), '{:.3f}')} "
              f"| {spread(floors, '{:.3f}')} | **{statistics.median(to_floor):.2f}** ({min(to_floor):.2f}-{max(to_floor):.2f}) "
              f"| **{statistics.median(to_nginx):.2f}** ({min(to_nginx):.2f}-{max(to_nginx):.2f}) "
              f"| {spread(col('dd'), '{:.3f}')} | {spread(col('b2sum'), '{:.3f}')} | {spread(col('direct'), '{:.3f}')} "
              f"| {statistics.median(col('signet-warm')):.3f} / {statistics.median(col('nginx-warm')):.3f} "
              f"| {statistics.median(col('signet-cold-cpu')):.2f} / {statistics.median(col('nginx-cold-cpu')):.2f} |")
    print()
    print("Seconds to the client's last byte (curl time_total), median of the rounds (min-max). floor = the longest of "
          "dd+fsync, b2sum and the direct download, plus the faster warm hit of the same file; the ratios are per "
          "round, then the median.")


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: summarize.py ALL_RUNS COLD_RUNS DURATION ROW...")
    duration, rows = float(sys.argv[3]), sys.argv[4:]
    runs = defaultdict(lambda: defaultdict(dict))
    for fields in read_lines(sys.argv[1]):
        row, target, round_no = fields[0], fields[1], int(fields[2])
        runs[row][target][round_no] = (float(fields[3]), float(fields[5]), float(fields[8]),
                                             float(fields[9]) if len(fields) > 9 else float("nan"))
    parts = defaultdict(lambda: defaultdict(dict))
    for row, round_no, part, seconds in read_lines(sys.argv[2]):
        parts[row][int(round_no)][part] = float(seconds)
    hit_rows = [r for r in rows if r in HIT_LABELS]
    hit_table(runs, hit_rows)
    if any(r in runs for r in hit_rows):
        print()
        busy_table(runs, hit_rows, duration)
        print()
        ab_table(runs, hit_rows)
    print()
    cold_table(parts, [r for r in rows if r in COLD_LABELS])


if __name__ == "__main__":
    main()

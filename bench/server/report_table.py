"""Turns one run's measurements (JSON lines from run_bench.py) into the Markdown
table of bench/README.md: medians with their spread, ratios and the issue's targets.

Ratios are taken within each round (the two figures were measured minutes apart on
the same machine) and then their median is reported: on a shared machine that is
steadier than a ratio of two medians from different moments. A case measured with
run_bench.py --baseline has a second row, "CASE@baseline", and its ratios a second
line computed from the baseline's rows alone.

    python3 report_table.py RESULTS.jsonl
"""

import json
import statistics
import sys
from collections import defaultdict

CASES = [
    ("sink", "raw streaming sink, 1 GiB, 8 MiB PUTs (no hash, no fsync)"),
    ("durable-sink", "the same sink with fdatasync per chunk"),
    ("hoistd", "hoistd disk, 1 GiB, 8 MiB chunks"),
    ("tus", "@tus/server + file store, tus-js-client, 1 GiB, 8 MiB chunks"),
    ("tus-hoistd", "tus-js-client → hoistd /tus/ (disk), 1 GiB, 8 MiB chunks"),
    ("tus-hoistd-parallel3", "tus-js-client → hoistd /tus/, parallelUploads 3 (concatenation)"),
    ("hoistd-parallel", "hoistd disk, 200 concurrent uploads of 16 MiB (aggregate)"),
    ("hoistd-256", "hoistd disk, 256 MiB"),
    ("hoistd-s3", "hoistd S3 (moto_server), 256 MiB"),
    ("boto3-s3", "boto3 upload_file multipart, 8 MiB parts, sequential, 256 MiB"),
]

# (numerator, denominator, label, target as a minimum ratio or None)
RATIOS = [
    ("hoistd", "sink", "hoistd / raw sink", 0.60),
    ("hoistd", "tus", "hoistd / @tus/server", 2.0),
    ("tus-hoistd", "tus", "tus-js-client: hoistd /tus/ / @tus/server", None),
    ("tus-hoistd-parallel3", "tus-hoistd", "hoistd /tus/: parallelUploads 3 / one upload", None),
    ("durable-sink", "sink", "durable sink / raw sink (what fdatasync per chunk costs)", None),
    ("hoistd", "durable-sink", "hoistd / durable sink", None),
    ("hoistd-parallel", "hoistd", "200 parallel aggregate / single upload", 0.90),
    ("hoistd-s3", "boto3-s3", "hoistd S3 / boto3 multipart (same moto)", None),
    ("hoistd-s3", "hoistd-256", "hoistd S3 / hoistd disk (256 MiB)", None),
]

# The bound for one upload, and for 200 at once the in-flight bound of
# docs/protocol.md's duty 8: concurrent requests x chunk size.
RSS_LIMITS_MIB = {"hoistd": 100, "hoistd-parallel": 200 * 8}
BASELINE = "@baseline"


def variants(case, label, seen):
    """The case, then its baseline twin when the run measured one."""
    yield case, label
    if case + BASELINE in seen:
        yield case + BASELINE, label + " — baseline"


def load(path):
    machine, rows = {}, []
    with open(path) as lines:
        for line in lines:
            row = json.loads(line)
            if "machine" in row:
                machine = row["machine"]
            else:
                rows.append(row)
    return machine, rows


def spread(values, fmt):
    if not values:
        return "–"
    text = fmt.format(statistics.median(values))
    if len(values) > 1:
        text += " (" + fmt.format(min(values)) + "–" + fmt.format(max(values)) + ")"
    return text


def render(path, machine=None):
    stored_machine, rows = load(path)
    machine = machine or stored_machine
    speed = defaultdict(dict)     # case -> round -> MiB/s
    rss = defaultdict(list)
    rss_after = defaultdict(list)  # case -> RSS once the client is done
    cpu = defaultdict(list)
    faults = defaultdict(list)    # case -> page faults per GiB
    switches = defaultdict(list)  # case -> context switches per GiB
    errors = defaultdict(list)
    final = defaultdict(list)     # case -> seconds of the final POST (concatenation)
    for row in rows:
        case = row["case"]
        if row.get("errors"):
            errors[case].append((row["round"], row["errors"], row.get("firstError")))
        elif "mibPerSecond" in row:
            speed[case][row["round"]] = row["mibPerSecond"]
            if "finalSeconds" in row:
                final[case].append(row["finalSeconds"])
            if "cpuSeconds" in row:
                cpu[case].append(row["cpuSeconds"] * 1024 ** 3 / row["bytes"])
            if row.get("pageFaults") is not None:
                faults[case].append(row["pageFaults"] * 1024 ** 3 / row["bytes"])
                switches[case].append(row["contextSwitches"] * 1024 ** 3 / row["bytes"])
        if "peakRssMiB" in row:
            rss[case].append(row["peakRssMiB"])
        if "rssAfterMiB" in row:
            rss_after[case].append(row["rssAfterMiB"])

    baseline = (f" (baseline {machine['baselineCommit']})" if "baselineCommit" in machine
                else "")
    out = [f"Run of {machine.get('date', '?')} at commit {machine.get('commit', '?')}{baseline}, "
           f"{machine.get('cpus', '?')} CPUs, load average "
           f"{machine.get('loadAverage', ['?'])[0]:.1f} before"
           + (f", {machine['loadAverageAfter'][0]:.1f} after" if "loadAverageAfter" in machine
              else "") + ". Median (min–max) of "
           f"{max((len(v) for v in speed.values()), default=0)} rounds.",
           "",
           "| case | MiB/s | server peak RSS MiB | RSS after MiB | server CPU s per GiB | "
           "server page faults per GiB | server context switches per GiB | failed uploads |",
           "|---|---|---|---|---|---|---|---|"]
    seen = set(speed) | set(errors)
    for case, label in (v for c, l in CASES for v in variants(c, l, seen)):
        if case in seen:
            out.append(f"| {label} | {spread(list(speed[case].values()), '{:.0f}')} | "
                       f"{spread(rss[case], '{:.0f}')} | {spread(rss_after[case], '{:.0f}')} | "
                       f"{spread(cpu[case], '{:.1f}')} | {spread(faults[case], '{:,.0f}')} | "
                       f"{spread(switches[case], '{:,.0f}')} | "
                       f"{sum(count for _, count, _ in errors[case])} |")
    if rss.get("moto"):
        out.append(f"| (moto_server itself, peak RSS) | | {spread(rss['moto'], '{:.0f}')} "
                   "| | | | | |")

    out += ["", "| ratio (within each round) | median (min–max) | target | met |",
            "|---|---|---|---|"]
    ratios = [(top + suffix, bottom + suffix, label + (" — baseline" if suffix else ""),
               target)
              for top, bottom, label, target in RATIOS for suffix in ("", BASELINE)]
    for top, bottom, label, target in ratios:
        rounds = sorted(set(speed.get(top, {})) & set(speed.get(bottom, {})))
        values = [speed[top][r] / speed[bottom][r] for r in rounds]
        if not values:
            continue
        met = "–" if target is None else ("yes" if statistics.median(values) >= target else "**no**")
        out.append(f"| {label} | {spread(values, '{:.2f}')} | "
                   f"{'–' if target is None else f'≥ {target:.2f}'} | {met} |")
    for case, limit in ((c + suffix, limit) for c, limit in RSS_LIMITS_MIB.items()
                        for suffix in ("", BASELINE)):
        if rss[case]:
            peak = max(rss[case])
            out.append(f"| {case} peak RSS, worst round | {peak:.0f} MiB | < {limit} MiB "
                       f"| {'yes' if peak < limit else '**no**'} |")
    for case, seconds in final.items():
        out.append(f"| {case}: the final POST (concatenation, hash, finalization) | "
                   f"{spread(seconds, '{:.1f}')} s | – | – |")
    for case in ("hoistd-parallel", "hoistd-parallel" + BASELINE):
        if case in seen:
            failed = sum(count for _, count, _ in errors[case])
            out.append(f"| {case}: 200 parallel uploads without error | {failed} failed in all "
                       f"rounds | 0 | {'yes' if not failed else '**no**'} |")

    for case, failures in errors.items():
        for round_, count, message in failures:
            out.append(f"\n{case}, round {round_}: {count} failed, first: {message}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(render(sys.argv[1]))

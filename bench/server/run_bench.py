"""Runs the server benchmark: every case, side by side, in rounds; writes the raw
measurements (JSON lines) and the table (Markdown) into bench/results/.

    python3 run_bench.py --hoistd PATH --tools DIR [--rounds N] [--skip-s3] [--only CASES]
                         [--baseline HOISTD]
    python3 run_bench.py --hoistd PATH --tools DIR --cluster [--cluster-mib N]

The machine is shared and noisy, so each round measures every case once, one after
the other, in a rotating order, and ratios are taken within a round. Each
measurement gets a fresh server and data directory, and the page cache's dirty
bytes are flushed between measurements so one case's writeback never lands on the
next one's clock. With --baseline, every hoistd-on-disk case is measured with both
binaries, one right after the other (their order alternating by round), so a server
change is compared with what it replaces on the same machine minutes.
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import boto3

import cluster_cases
import report_table
from processes import MotoServer, Server, run_client

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
TOKEN = "bench-token"
S3_BUCKET = "hoist-bench"
S3_ENV = dict(os.environ, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench-secret",
              AWS_DEFAULT_REGION="us-east-1")


class Bench:
    def __init__(self, args, work, results):
        self.hoistd = args.hoistd
        self.baseline = args.baseline
        self.driver = str(Path(args.tools) / "upload_driver")
        self.sink = str(Path(args.tools) / "raw_sink")
        self.work = work
        self.results = results
        self.round = 0

    def record(self, case, outcome, **extra):
        row = {"round": self.round, "case": case, **outcome, **extra}
        self.results.write(json.dumps(row) + "\n")
        self.results.flush()
        status = f"{row.get('mibPerSecond', 0):8.1f} MiB/s" if not row.get("errors") \
            else f"ERROR {row.get('firstError')}"
        rss = f"  peak RSS {row['peakRssMiB']:.0f} MiB" if "peakRssMiB" in row else ""
        print(f"  round {self.round} {case:<16} {status}{rss}", flush=True)

    def fresh_dir(self, name):
        path = self.work / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    def settle(self, *dirs):
        for path in dirs:
            shutil.rmtree(path, ignore_errors=True)
        os.sync()
        time.sleep(1)

    def hoistd_argv(self, data, *extra, hoistd=None):
        return [hoistd or self.hoistd, "--listen", "127.0.0.1:0", "--data-dir", str(data),
                "--token", f"{TOKEN}:bench", "--log-level", "warn", *extra]

    def drive(self, server, path, *extra):
        return run_client([self.driver, "--url", server.url, "--token", TOKEN,
                           "--file", str(path), *extra])

    def measure_server(self, case, argv, client, data, env=None):
        """Starts a server, runs one client against it, records both sides."""
        server = Server(argv, env=env, log_path=self.work / f"{case}.log")
        try:
            outcome = client(server)
            sides = {"peakRssMiB": server.peak_rss_mib(), "rssAfterMiB": server.rss_mib(),
                     "cpuSeconds": server.cpu_seconds()}
        finally:
            server.stop()
            self.settle(data)
        self.record(case, outcome, **sides, pageFaults=server.page_faults(),
                    contextSwitches=server.context_switches())

    def hoistd_disk(self, case, path, *driver_args):
        binaries = [(self.hoistd, case)]
        if self.baseline:
            binaries.append((self.baseline, case + "@baseline"))
            if self.round % 2 == 0:
                binaries.reverse()
        for hoistd, name in binaries:
            data = self.fresh_dir("hoistd-data")
            self.measure_server(name, self.hoistd_argv(data, hoistd=hoistd),
                                lambda s: self.drive(s, path, *driver_args), data)

    def raw_sink(self, path, *flags):
        data = self.fresh_dir("sink-data")
        case = "durable-sink" if flags else "sink"
        self.measure_server(case, [self.sink, "--dir", str(data), *flags],
                            lambda s: self.drive(s, path), data)

    def tus(self, path):
        data = self.fresh_dir("tus-data")
        self.measure_server("tus", ["node", str(HERE / "tus_server.mjs"), str(data)],
                            lambda s: run_client(["node", str(HERE / "tus_upload.mjs"),
                                                  s.url + "/files", str(path)]),
                            data)

    def tus_hoistd(self, path, parallel=1):
        """tus-js-client against hoistd's own tus face (/tus/), on disk."""
        data = self.fresh_dir("hoistd-tus-data")
        case = "tus-hoistd" if parallel == 1 else f"tus-hoistd-parallel{parallel}"
        env = dict(os.environ, TUS_TOKEN=TOKEN, TUS_PARALLEL=str(parallel))
        self.measure_server(case, self.hoistd_argv(data),
                            lambda s: run_client(["node", str(HERE / "tus_upload.mjs"),
                                                  s.url + "/tus/", str(path)], env=env),
                            data)

    def s3_pair(self, path):
        """hoistd --storage s3 and boto3 against one fresh moto_server."""
        moto = MotoServer(self.work / "moto.log")
        try:
            boto3.client("s3", endpoint_url=moto.url, region_name="us-east-1",
                         aws_access_key_id="bench", aws_secret_access_key="bench-secret") \
                .create_bucket(Bucket=S3_BUCKET)
            data = self.fresh_dir("hoistd-s3-data")
            self.measure_server(
                "hoistd-s3", self.hoistd_argv(data, "--storage", "s3", "--s3-endpoint", moto.url,
                                              "--s3-bucket", S3_BUCKET, "--s3-region", "us-east-1"),
                lambda s: self.drive(s, path), data, env=S3_ENV)
            self.record("boto3-s3", run_client(["python3", str(HERE / "boto3_multipart.py"),
                                                moto.url, S3_BUCKET, "boto3-bench", str(path)],
                                               env=S3_ENV))
            self.record("moto", {"errors": 0}, peakRssMiB=moto.peak_rss_mib())
        finally:
            moto.stop()


def make_file(path, mib):
    with open(path, "wb") as out:
        subprocess.run(["head", "-c", f"{mib}M", "/dev/urandom"], stdout=out, check=True)


def hoistd_source(hoistd):
    """The source tree hoistd was built from, read from its build tree's CMake cache."""
    cache = Path(hoistd).resolve().parent.parent / "CMakeCache.txt"
    for line in cache.read_text().splitlines():
        if line.startswith("CMAKE_HOME_DIRECTORY:"):
            return line.split("=", 1)[1]
    return str(BENCH.parent)


def describe_commit(hoistd):
    source = hoistd_source(hoistd)
    commit = subprocess.run(["git", "-C", source, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "-C", source, "status", "--porcelain", "--", "server"],
                           capture_output=True, text=True).stdout.strip()
    return commit + (" with uncommitted server/ changes" if dirty else "")


def describe_machine(hoistd, baseline=None):
    machine = {"commit": describe_commit(hoistd), "cpus": os.cpu_count(),
               "loadAverage": os.getloadavg(),
               "date": datetime.datetime.now().isoformat(timespec="seconds")}
    if baseline:
        machine["baselineCommit"] = describe_commit(baseline)
    return machine


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hoistd", required=True)
    parser.add_argument("--tools", required=True, help="folder of upload_driver and raw_sink")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-s3", action="store_true")
    parser.add_argument("--only", help="comma-separated cases to run (e.g. tus,tus-hoistd or "
                                       "hoistd,hoistd-parallel); skips the others and S3")
    parser.add_argument("--baseline", help="a second hoistd measured beside --hoistd in the "
                                           "hoistd disk cases (before/after a change)")
    # Several nodes (issue #10): only the cases of cluster_cases.py.
    parser.add_argument("--cluster", action="store_true")
    parser.add_argument("--cluster-mib", type=int, default=1024)
    parser.add_argument("--cluster-parallel", type=int, default=50)
    parser.add_argument("--cluster-file-mib", type=int, default=16, help="of each parallel upload")
    args = parser.parse_args()
    if args.cluster:
        return cluster_main(args)

    work = BENCH / "work" / "server"
    results_dir = BENCH / "results"
    work.mkdir(parents=True, exist_ok=True)
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    results_path = results_dir / f"server-{stamp}.jsonl"

    print("making the test files (1 GiB, 16 MiB, 256 MiB of random bytes)", flush=True)
    big, small, s3_file = work / "upload-1g.bin", work / "upload-16m.bin", work / "upload-256m.bin"
    make_file(big, 1024)
    make_file(small, 16)
    make_file(s3_file, 256)

    machine = describe_machine(args.hoistd, args.baseline)
    with open(results_path, "w") as results:
        results.write(json.dumps({"machine": machine}) + "\n")
        bench = Bench(args, work, results)
        single = {"sink": lambda: bench.raw_sink(big),
                  "hoistd": lambda: bench.hoistd_disk("hoistd", big),
                  "tus": lambda: bench.tus(big),
                  "tus-hoistd": lambda: bench.tus_hoistd(big),
                  "tus-hoistd-parallel3": lambda: bench.tus_hoistd(big, 3),
                  "durable-sink": lambda: bench.raw_sink(big, "--fsync")}
        parallel = lambda: bench.hoistd_disk("hoistd-parallel", small, "--parallel", "200")
        if args.only:
            single = {name: dict(single, **{"hoistd-parallel": parallel})[name]
                      for name in args.only.split(",")}
        single = list(single.values())
        for bench.round in range(1, args.rounds + 1):
            print(f"round {bench.round} of {args.rounds}", flush=True)
            shift = (bench.round - 1) % len(single)
            for case in single[shift:] + single[:shift]:
                case()
            if args.only:
                continue
            parallel()
            if not args.skip_s3:
                bench.hoistd_disk("hoistd-256", s3_file)
                bench.s3_pair(s3_file)
        machine["loadAverageAfter"] = os.getloadavg()

    table = report_table.render(results_path, machine)
    table_path = results_path.with_suffix(".md")
    table_path.write_text(table)
    print()
    print(table)
    print(f"results: {results_path}\ntable:   {table_path}")


def cluster_main(args):
    work = BENCH / "work" / "server"
    results_dir = BENCH / "results"
    work.mkdir(parents=True, exist_ok=True)
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    results_path = results_dir / f"cluster-{stamp}.jsonl"
    big = work / f"upload-{args.cluster_mib}m.bin"
    small = work / f"upload-{args.cluster_file_mib}m.bin"
    make_file(big, args.cluster_mib)
    make_file(small, args.cluster_file_mib)
    machine = describe_machine(args.hoistd)
    with open(results_path, "w") as results:
        results.write(json.dumps({"machine": machine}) + "\n")
        bench = Bench(args, work, results)
        cases = cluster_cases.ClusterCases(bench, args.cluster_parallel, S3_ENV)
        try:
            for bench.round in range(1, args.rounds + 1):
                print(f"round {bench.round} of {args.rounds}", flush=True)
                cases.run_round(big, small)
        finally:
            cases.stop()
        machine["loadAverageAfter"] = os.getloadavg()
    table = json.dumps(machine) + "\n\n" + cluster_cases.summary(results_path)
    results_path.with_suffix(".md").write_text(table)
    print()
    print(table)
    print(f"results: {results_path}")


if __name__ == "__main__":
    main()

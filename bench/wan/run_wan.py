"""The WAN benchmark: uploads through the user-space link emulator, side by side, in
rounds; writes the raw measurements (JSON lines) and the table (Markdown) into
bench/results/. See bench/wan/README.md.

    python3 run_wan.py --hoist PATH --hoistd PATH [--rounds N] [--rtt-ms 10,50,150]
                       [--rate-mbit 400] [--size-mib 1024] [--s3-size-mib 256] [--skip-s3]
                       [--baseline-hoist PATH]   # a second hoist beside the first (before/after)
    python3 run_wan.py --table bench/results/wan-TIME.jsonl   # the tables of a run cut short

Each measurement gets a fresh server, data folder and emulator; each client is timed
from launch to exit. Ratios are taken within a round (the machine is shared), then
their median is reported.
"""

import argparse
import datetime
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "bench" / "server"))
from processes import MotoServer, Server  # noqa: E402

TOKEN = "bench-token"
S3_BUCKET = "hoist-wan"
S3_ENV = dict(os.environ, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench-secret",
              AWS_DEFAULT_REGION="us-east-1")
CASES = ["put", "tus", "hoist", "hoist-s3", "hoist-base"]
LABELS = {
    "put": "one streaming PUT (curl -T, the link's limit)",
    "tus": "tus-js-client, one PATCH, to @tus/server",
    "hoist": "hoist upload to hoistd (disk)",
    "hoist-s3": "hoist upload to hoistd (S3, moto_server)",
    "hoist-base": "the baseline hoist (--baseline-hoist) to hoistd (disk)",
}


class Link:
    """wan_proxy.py in front of one server: delay each way and one paced link."""

    def __init__(self, proxy, target_url, rtt_ms, rate_mbit):
        target = target_url.split("//", 1)[1].split("/", 1)[0]
        self.process = subprocess.Popen(
            [sys.executable, proxy, "--listen", "127.0.0.1:0", "--target", target,
             "--delay-ms", str(rtt_ms / 2), "--rate-mbit", str(rate_mbit)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self.process.stdout.readline().decode().split()
        if line[:2] != ["listening", "on"]:
            self.stop()
            raise RuntimeError(f"wan_proxy did not start: {line}")
        self.url = f"http://127.0.0.1:{line[2]}"

    def stop(self):
        self.process.terminate()
        self.process.wait()


def timed(argv, env=None):
    began = time.monotonic()
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    seconds = time.monotonic() - began
    return seconds, done


class Bench:
    def __init__(self, args, work, results):
        self.args = args
        self.work = work
        self.results = results
        self.hoist_extra = os.environ.get("HOIST_ARGS", "").split()

    def fresh_dir(self, name):
        path = self.work / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    def through(self, server_argv, client, env=None):
        """Starts a server and the link in front of it, runs client(link_url)."""
        server = Server(server_argv, env=env, log_path=self.work / "server.log")
        try:
            link = Link(self.args.wan_proxy, server.url, self.rtt, self.args.rate_mbit)
            try:
                return client(link.url)
            finally:
                link.stop()
        finally:
            server.stop()

    def hoistd_argv(self, *extra):
        return [self.args.hoistd, "--listen", "127.0.0.1:0", "--data-dir",
                str(self.fresh_dir("hoistd-data")), "--token", f"{TOKEN}:bench",
                "--log-level", "warn", *extra]

    def hoist(self, url, path, binary=None):
        xdg = self.fresh_dir("xdg")
        env = dict(os.environ, XDG_DATA_HOME=str(xdg), XDG_CONFIG_HOME=str(xdg),
                   HOIST_TOKEN=TOKEN)
        return timed([binary or self.args.hoist, "upload", str(path), "--server", url,
                      *self.hoist_extra], env)

    def case(self, name, path):
        if name == "put":
            return self.through(
                [sys.executable, str(HERE / "put_sink.py")],
                lambda url: timed(["curl", "-sf", "-T", str(path), url + "/sink"]))
        if name == "tus":
            env = dict(os.environ, TUS_CHUNK_SIZE="Infinity")
            return self.through(
                ["node", str(ROOT / "bench/server/tus_server.mjs"),
                 str(self.fresh_dir("tus-data"))],
                lambda url: timed(["node", str(ROOT / "bench/server/tus_upload.mjs"),
                                   url + "/files", str(path)], env))
        if name == "hoist":
            return self.through(self.hoistd_argv(), lambda url: self.hoist(url, path))
        if name == "hoist-base":
            return self.through(self.hoistd_argv(),
                                lambda url: self.hoist(url, path, self.args.baseline_hoist))
        moto = MotoServer(self.work / "moto.log")
        try:
            import boto3
            boto3.client("s3", endpoint_url=moto.url, region_name="us-east-1",
                         aws_access_key_id="bench", aws_secret_access_key="bench-secret") \
                .create_bucket(Bucket=S3_BUCKET)
            argv = self.hoistd_argv("--storage", "s3", "--s3-endpoint", moto.url,
                                    "--s3-bucket", S3_BUCKET, "--s3-region", "us-east-1")
            return self.through(argv, lambda url: self.hoist(url, path), env=S3_ENV)
        finally:
            moto.stop()

    def measure(self, round_, name, path):
        seconds, done = self.case(name, path)
        size = path.stat().st_size
        row = {"round": round_, "rttMs": self.rtt, "rateMbit": self.args.rate_mbit,
               "case": name, "commit": self.args.commit, "bytes": size, "seconds": seconds,
               "mibPerSecond": size / 1048576 / seconds, "errors": int(done.returncode != 0)}
        if done.returncode:
            row["firstError"] = (done.stderr or done.stdout).strip()[-300:]
        self.results.write(json.dumps(row) + "\n")
        self.results.flush()
        status = f"{row['mibPerSecond']:7.1f} MiB/s" if not row["errors"] \
            else f"ERROR {row['firstError']}"
        print(f"  round {round_} rtt {self.rtt:>3} ms {name:<9} {status}", flush=True)
        return row


def make_file(path, mib):
    with open("/dev/urandom", "rb") as source, open(path, "wb") as target:
        for _ in range(mib):
            target.write(source.read(1 << 20))


def table(rows, args, started):
    ok = [r for r in rows if not r["errors"]]
    lines = [f"Run of {started}, {args.rounds} rounds, {args.rate_mbit:g} Mbit/s, "
             f"hoist args: `{os.environ.get('HOIST_ARGS', '') or '(none)'}`, "
             f"commit {rows[0].get('commit', args.commit)}, load average at the end "
             f"{' '.join(open('/proc/loadavg').read().split()[:3])}.", "",
             "| round trip | case | MiB/s, median (min–max) | failed |", "| --- | --- | --- | --- |"]
    for rtt in args.rtts:
        for name in CASES:
            speeds = [r["mibPerSecond"] for r in ok if r["rttMs"] == rtt and r["case"] == name]
            failed = sum(r["errors"] for r in rows if r["rttMs"] == rtt and r["case"] == name)
            if speeds or failed:
                spread = f"{statistics.median(speeds):.1f} ({min(speeds):.1f}–{max(speeds):.1f})" \
                    if speeds else "–"
                lines.append(f"| {rtt} ms | {LABELS[name]} | {spread} | {failed} |")
    lines += ["", "| round trip | ratio (within each round) | median (min–max) | target |",
              "| --- | --- | --- | --- |"]
    pairs = [("hoist", "put", "≥ 0.90"), ("hoist", "tus", "≥ 1.0"), ("hoist-s3", "put", "–"),
             ("hoist", "hoist-base", "–")]
    for rtt in args.rtts:
        for top, bottom, target in pairs:
            ratios = []
            for round_ in range(1, args.rounds + 1):
                pick = {r["case"]: r["mibPerSecond"] for r in ok
                        if r["rttMs"] == rtt and r["round"] == round_}
                if top in pick and bottom in pick:
                    ratios.append(pick[top] / pick[bottom])
            if ratios:
                lines.append(f"| {rtt} ms | {top} / {bottom} | {statistics.median(ratios):.2f} "
                             f"({min(ratios):.2f}–{max(ratios):.2f}) | {target} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hoist")
    parser.add_argument("--hoistd")
    parser.add_argument("--table", help="print the tables of the measurements in this file")
    parser.add_argument("--wan-proxy", default=os.environ.get(
        "WAN_PROXY", str(ROOT.parent / "shared" / "tools" / "wan_proxy.py")))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rtt-ms", default="10,50,150")
    parser.add_argument("--rate-mbit", type=float, default=400)
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--s3-size-mib", type=int, default=256)
    parser.add_argument("--skip-s3", action="store_true")
    parser.add_argument("--baseline-hoist", help="a second hoist measured beside --hoist")
    args = parser.parse_args()
    args.rtts = [int(x) for x in args.rtt_ms.split(",")]
    args.commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                 capture_output=True, text=True).stdout.strip()
    if args.table:
        rows = [json.loads(line) for line in open(args.table)]
        args.rounds = max(r["round"] for r in rows)
        args.rtts = sorted({r["rttMs"] for r in rows})
        args.rate_mbit = rows[0]["rateMbit"]
        args.commit = ""
        print(table(rows, args, Path(args.table).stem))
        return
    if not args.hoist or not args.hoistd:
        parser.error("--hoist and --hoistd are required")
    if not Path(args.wan_proxy).is_file():
        sys.exit(f"no link emulator at {args.wan_proxy} (set WAN_PROXY)")

    # A stopped run stops its servers, emulators and clients on the way out (finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    work = Path(tempfile.mkdtemp(prefix="hoist-wan-"))
    big, s3_file = work / "upload.bin", work / "upload-s3.bin"
    make_file(big, args.size_mib)
    if not args.skip_s3:
        make_file(s3_file, args.s3_size_mib)
    cases = [c for c in CASES if (c != "hoist-s3" or not args.skip_s3)
             and (c != "hoist-base" or args.baseline_hoist)]
    rows = []
    try:
        with open(results_dir / f"wan-{stamp}.jsonl", "w") as results:
            bench = Bench(args, work, results)
            for round_ in range(1, args.rounds + 1):
                for bench.rtt in args.rtts:
                    # A rotating order, so no case always runs first or last.
                    turn = (round_ - 1) % len(cases)
                    for name in cases[turn:] + cases[:turn]:
                        rows.append(bench.measure(round_, name,
                                                  s3_file if name == "hoist-s3" else big))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = table(rows, args, started)
    (results_dir / f"wan-{stamp}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()

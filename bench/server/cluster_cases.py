"""Several nodes (docs/admin.md, "Running several nodes"): hoistd on PostgreSQL against
hoistd on SQLite, one node, same moto S3; and three nodes behind HAProxy against one
node, 50 uploads at once. Run by `run_bench.py --cluster`.

PostgreSQL is a cluster of our own (initdb in the work folder, loopback port, run as
the `postgres` user when we are root, as the server refuses root), with its default
durability (fsync on), like hoistd's SQLite. HAProxy is Debian's, configured as the
admin guide's sample: round robin, no stickiness, bodies streamed, /readyz checks.
"""

import json
import os
import pwd
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import boto3

from processes import MotoServer, Server, free_port, run_client

PG_BIN = Path("/usr/lib/postgresql/15/bin")
# One answered PUT in hoistd's request log: "... PUT /upload/ID 200 in=N out=N 12.3ms".
PUT_LINE = re.compile(r" PUT /upload/\S+ 200 in=\d+ out=\d+ ([0-9.]+)ms")


class Postgres:
    """A throw-away PostgreSQL 15 cluster; each database() is a fresh, empty one."""

    def __init__(self):
        # Under /tmp: the postgres user may not enter the work folder's parents.
        self.folder = Path(tempfile.mkdtemp(prefix="hoist-bench-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.count = 0
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                 "--encoding=UTF8", "--locale=C.UTF-8")
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w",
                 "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                       "-c max_connections=300", "start")

    def run(self, program, *args):
        argv = [str(PG_BIN / program), *args]
        if os.geteuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

    def database(self):
        self.count += 1
        name = f"bench{self.count}"
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self):
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


class Haproxy:
    def __init__(self, folder, nodes):
        self.port = free_port()
        servers = "".join(f"  server n{i} {node.url.split('//')[1]} check\n"
                          for i, node in enumerate(nodes))
        config = Path(folder) / "haproxy.cfg"
        config.write_text("global\n  maxconn 2000\n"
                          "defaults\n  mode http\n  timeout connect 5s\n"
                          "  timeout client 330s\n  timeout server 330s\n"
                          f"frontend in\n  bind 127.0.0.1:{self.port}\n  default_backend nodes\n"
                          "backend nodes\n  balance roundrobin\n  option httpchk GET /readyz\n"
                          f"  default-server inter 1s fall 2 rise 2\n{servers}")
        self.log = open(Path(folder) / "haproxy.log", "wb")
        self.process = subprocess.Popen(["haproxy", "-db", "-f", str(config)], stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "/readyz", timeout=1).read()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("haproxy did not start")
                time.sleep(0.2)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def put_milliseconds(log_path):
    """The server-side time of every answered chunk PUT, from hoistd's request log."""
    with open(log_path, errors="replace") as log:
        return [float(m.group(1)) for line in log if (m := PUT_LINE.search(line))]


class ClusterCases:
    def __init__(self, bench, parallel, env):
        self.bench = bench
        self.postgres = Postgres()
        self.parallel = parallel
        self.env = env

    def stop(self):
        self.postgres.stop()

    def moto(self, name):
        moto = MotoServer(self.bench.work / f"{name}-moto.log")
        boto3.client("s3", endpoint_url=moto.url, region_name="us-east-1",
                     aws_access_key_id="bench", aws_secret_access_key="bench-secret") \
            .create_bucket(Bucket="hoist-bench")
        return moto

    def node_argv(self, name, moto, database=None):
        data = self.bench.fresh_dir(name)
        storage = ["--storage", "s3", "--s3-endpoint", moto.url, "--s3-bucket", "hoist-bench",
                   "--s3-region", "us-east-1"] if moto else []
        argv = self.bench.hoistd_argv(data, *storage)
        argv[argv.index("--log-level") + 1] = "info"  # the request log times each PUT
        if database:
            argv += ["--database", database]
        return argv

    def one_node(self, case, path, database, s3=True):
        """One upload of path through one node on SQLite (database None) or PostgreSQL,
        with the server-side time of each chunk PUT (hash, S3 part or disk write and
        fdatasync, database commit)."""
        moto = self.moto(case) if s3 else None
        try:
            log = self.bench.work / f"{case}.log"
            server = Server(self.node_argv(f"{case}-data", moto, database), env=self.env,
                            log_path=log)
            try:
                outcome = self.bench.drive(server, path)
                rss = server.peak_rss_mib()
            finally:
                server.stop()
            puts = put_milliseconds(log)
            self.bench.record(case, outcome, peakRssMiB=rss, chunks=len(puts),
                              putMsMedian=statistics.median(puts) if puts else None,
                              motoRssMiB=moto.peak_rss_mib() if moto else None)
        finally:
            if moto:
                moto.stop()
            self.bench.settle(self.bench.work / f"{case}-data")

    def database_pairs(self, path):
        self.one_node("s3-sqlite", path, None)
        self.one_node("s3-postgres", path, self.postgres.database())
        # On disk the database's share of each chunk stands out more than behind moto.
        self.one_node("disk-sqlite", path, None, s3=False)
        self.one_node("disk-postgres", path, self.postgres.database(), s3=False)

    def nodes(self, case, path, count):
        """`parallel` uploads of path at once through `count` nodes (HAProxy when more
        than one) on one PostgreSQL database and one moto bucket."""
        moto = self.moto(case)
        database = self.postgres.database()
        servers, balancer = [], None
        try:
            for i in range(count):
                servers.append(Server(self.node_argv(f"{case}-node{i}", moto, database),
                                      env=self.env, log_path=self.bench.work / f"{case}-{i}.log"))
            target = servers[0]
            if count > 1:
                balancer = Haproxy(self.bench.work, servers)
                target = balancer
            outcome = run_client([self.bench.driver, "--url", target.url, "--token", "bench-token",
                                  "--file", str(path), "--parallel", str(self.parallel)])
            self.bench.record(case, outcome, nodes=count,
                              peakRssMiB=max(s.peak_rss_mib() for s in servers),
                              motoRssMiB=moto.peak_rss_mib())
        finally:
            if balancer:
                balancer.stop()
            for server in servers:
                server.stop()
            moto.stop()
            for i in range(count):
                self.bench.settle(self.bench.work / f"{case}-node{i}")

    def run_round(self, big, small):
        self.database_pairs(big)
        self.nodes("pg-1-node", small, 1)
        self.nodes("pg-3-nodes", small, 3)


def summary(results_path):
    """The cluster cases of one results file as a Markdown table, medians over rounds."""
    rows = [json.loads(line) for line in open(results_path)][1:]
    by_case = {}
    for row in rows:
        by_case.setdefault(row["case"], []).append(row)
    lines = ["| case | rounds | MiB/s (median) | errors | retries | chunks | server ms per "
             "chunk PUT (median) | peak RSS MiB |", "|---|---|---|---|---|---|---|---|"]
    for case, runs in by_case.items():
        speed = statistics.median(r.get("mibPerSecond", 0) for r in runs)
        put = [r["putMsMedian"] for r in runs if r.get("putMsMedian")]
        lines.append(f"| {case} | {len(runs)} | {speed:.1f} | {sum(r.get('errors', 0) for r in runs)}"
                     f" | {sum(r.get('retries', 0) for r in runs)}"
                     f" | {runs[0].get('chunks', '')}"
                     f" | {statistics.median(put) if put else 0:.1f}"
                     f" | {max(r.get('peakRssMiB', 0) for r in runs):.0f} |")
    pairs = [("s3-postgres", "s3-sqlite"), ("disk-postgres", "disk-sqlite"),
             ("pg-3-nodes", "pg-1-node")]
    rounds = sorted({r["round"] for r in rows})
    for top, bottom in pairs:
        ratios = []
        for n in rounds:
            a = [r for r in by_case.get(top, []) if r["round"] == n]
            b = [r for r in by_case.get(bottom, []) if r["round"] == n]
            if a and b and b[0].get("mibPerSecond"):
                ratios.append(a[0].get("mibPerSecond", 0) / b[0]["mibPerSecond"])
        if ratios:
            lines.append(f"\n{top} / {bottom}: {statistics.median(ratios):.2f} "
                         f"(per round: {', '.join(f'{x:.2f}' for x in ratios)})")
    return "\n".join(lines) + "\n"

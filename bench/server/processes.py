"""Starting, measuring and stopping the servers and clients of the benchmark.

Every server here prints "listening on http://HOST:PORT" when ready (hoistd's
contract, copied by raw_sink and tus_server.mjs); moto_server does not, so it is
polled instead. Peak memory and CPU time come from /proc, read just before the
server is stopped, because they must cover the whole run; page faults and context
switches come from the kernel's account of the process once it has exited (every
thread's, including the ones that ended during the run).
"""

import json
import os
import socket
import subprocess
import time
import urllib.request

READY_TIMEOUT = 30


class Server:
    """A server process started for one measurement and stopped right after it."""

    def __init__(self, argv, env=None, log_path=None):
        self.log = open(log_path or os.devnull, "wb")
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self.log,
                                        env=env)
        line = self.process.stdout.readline().decode().strip()
        if not line.startswith("listening on "):
            self.stop()
            raise RuntimeError(f"{argv[0]} did not start: {line!r}")
        self.url = line[len("listening on "):]
        self.usage = None

    def peak_rss_mib(self):
        """VmHWM: the most resident memory the process ever had."""
        return _status_field(self.process.pid, "VmHWM") / 1024

    def rss_mib(self):
        """VmRSS: resident memory now (after the client is done: what an idle server keeps)."""
        return _status_field(self.process.pid, "VmRSS") / 1024

    def cpu_seconds(self):
        """User plus system time of every thread so far."""
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def page_faults(self):
        return self.usage.ru_minflt + self.usage.ru_majflt if self.usage else None

    def context_switches(self):
        return self.usage.ru_nvcsw + self.usage.ru_nivcsw if self.usage else None

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            deadline = time.monotonic() + 30
            while self.usage is None:
                pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
                if pid:
                    self.usage = usage
                    self.process.returncode = os.waitstatus_to_exitcode(status)
                elif time.monotonic() > deadline:
                    self.process.kill()
                    deadline = float("inf")
                else:
                    time.sleep(0.05)
        self.log.close()


class MotoServer:
    """moto_server on a free loopback port, with signature checking off (the default)."""

    def __init__(self, log_path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log_path, "wb")
        self.process = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            try:
                urllib.request.urlopen(self.url + "/moto-api/", timeout=1).read()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("moto_server did not start")
                time.sleep(0.2)

    def peak_rss_mib(self):
        return _status_field(self.process.pid, "VmHWM") / 1024

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.log.close()


def run_client(argv, env=None):
    """Runs a client that prints one JSON line (upload_driver, tus_upload.mjs,
    boto3_multipart.py) and returns that line parsed."""
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    lines = done.stdout.strip().splitlines()
    if not lines:
        return {"errors": 1, "firstError": f"{argv[0]} printed nothing: {done.stderr.strip()}"}
    return json.loads(lines[-1])


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status_field(pid, name):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {name} for process {pid}")

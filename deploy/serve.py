"""Serve NN Playground to a class: K Streamlit processes behind nginx, with sticky sessions.

    deploy/serve --replicas 4 --port 8080 [--host 0.0.0.0] [--workdir DIR]

Writes the nginx configuration from ``nginx.conf.template`` into the work directory (a new
temporary one unless ``--workdir``), starts K ``streamlit run playground/app.py`` processes on
127.0.0.1 (ports ``port + 1`` … ``port + K`` unless ``--first-port``), waits until each answers
its health check, then starts Debian's nginx on ``host:port`` and prints the address.  Ctrl-C
(or SIGTERM) stops nginx and every replica.  A replica that exits is reported and left down: its
students' browsers reconnect to a live replica through nginx and start a new session there.

Each replica runs NumPy on one thread (OPENBLAS_NUM_THREADS=1 unless set): K processes on K
cores, not K × cores threads fighting for them.  Logs: ``replica-N.log``, ``access.log`` (with
the replica and route of every request) and ``error.log`` in the work directory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "playground" / "app.py"
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
START_TIMEOUT = 90  # seconds for a replica's first health answer (K cold starts share the cores)
ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def max_upload_mb() -> int:
    """Streamlit's upload limit (``server.maxUploadSize`` in .streamlit/config.toml, default 200 MB)."""
    config = ROOT / ".streamlit" / "config.toml"
    settings = tomllib.loads(config.read_text()) if config.exists() else {}
    return int(settings.get("server", {}).get("maxUploadSize", 200))


def nginx_config(host: str, port: int, replica_ports: list[int], prefix: Path) -> str:
    """The nginx configuration: ``host:port`` in front of the replicas, sticky by cookie."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in replica_ports)
    return string.Template(TEMPLATE.read_text()).substitute(
        replicas=len(replica_ports), prefix=prefix, listen=f"{host}:{port}", servers=servers,
        max_body=f"{max_upload_mb() + 1}m")


def streamlit_command(port: int) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true",
            "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none"]


def find_nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise SystemExit("deploy/serve: nginx not found; install Debian's package: apt-get install nginx")
    return found


def port_taken(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do: TIME_WAIT is no owner
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
            return reply.read().strip() == b"ok"
    except OSError:
        return False


class Deployment:
    """The replicas and nginx, started together and stopped together."""

    def __init__(self, replicas: int, port: int, host: str = "127.0.0.1", first_port: int | None = None,
                 workdir: Path | None = None):
        if replicas < 1:
            raise SystemExit("deploy/serve: --replicas must be at least 1")
        self.host, self.port = host, port
        first = port + 1 if first_port is None else first_port
        self.replica_ports = list(range(first, first + replicas))
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="nnpg-serve-")).resolve()
        self.replicas: dict[int, subprocess.Popen] = {}
        self.nginx: subprocess.Popen | None = None
        self._logs = []

    @property
    def url(self) -> str:
        shown = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{shown}:{self.port}/"

    def start(self) -> None:
        nginx = find_nginx()
        taken = [p for p in self.replica_ports if port_taken("127.0.0.1", p)]
        taken += [self.port] if port_taken(self.host, self.port) else []
        if taken:
            raise SystemExit(f"deploy/serve: port {', '.join(map(str, taken))} is in use; choose others "
                             "(--port, --first-port)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **{name: os.environ.get(name, "1") for name in ONE_THREAD}}
        for index, port in enumerate(self.replica_ports, 1):
            log = open(self.workdir / f"replica-{index}.log", "w")  # noqa: SIM115 (closed in stop)
            self._logs.append(log)
            self.replicas[port] = subprocess.Popen(streamlit_command(port), cwd=ROOT, env=env, stdout=log,
                                                   stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        waiting = set(self.replica_ports)
        while waiting:
            for port in sorted(waiting):
                if self.replicas[port].poll() is not None:
                    self.stop()
                    raise SystemExit(f"deploy/serve: the replica on port {port} exited; see {self.workdir}")
                if healthy(port):
                    waiting.discard(port)
            if waiting and time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"deploy/serve: replicas on {sorted(waiting)} did not start in {START_TIMEOUT} s")
            time.sleep(0.2)
        config = self.workdir / "nginx.conf"
        config.write_text(nginx_config(self.host, self.port, self.replica_ports, self.workdir))
        test = subprocess.run([nginx, "-t", "-q", "-p", str(self.workdir), "-e", str(self.workdir / "error.log"),
                               "-c", str(config)], capture_output=True, text=True)
        if test.returncode:
            self.stop()
            raise SystemExit(f"deploy/serve: nginx refused {config}:\n{test.stderr}")
        self.nginx = subprocess.Popen([nginx, "-p", str(self.workdir), "-e", str(self.workdir / "error.log"),
                                       "-c", str(config), "-g", "daemon off;"], start_new_session=True)
        time.sleep(0.3)
        if self.nginx.poll() is not None:
            self.stop()
            raise SystemExit(f"deploy/serve: nginx exited; see {self.workdir / 'error.log'}")

    def stop(self) -> None:
        """nginx first (no new requests), then every replica; each gets 10 s before it is killed."""
        processes = ([self.nginx] if self.nginx else []) + list(self.replicas.values())
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in self._logs:
            log.close()
        self._logs = []

    def watch(self) -> None:
        """Until a signal: report a replica that exits (its students move to the others)."""
        reported = set()
        while self.nginx.poll() is None:
            for port, process in self.replicas.items():
                if process.poll() is not None and port not in reported:
                    reported.add(port)
                    print(f"replica on port {port} exited ({process.returncode}); its students reconnect to the "
                          f"replicas still running ({len(self.replicas) - len(reported)})", flush=True)
            time.sleep(1)
        print(f"nginx exited ({self.nginx.returncode})", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="deploy/serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=os.cpu_count() or 1,
                        help="Streamlit processes (default: one per core)")
    parser.add_argument("--port", type=int, default=8080, help="the port students open (default 8080)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address nginx listens on (default 127.0.0.1; 0.0.0.0 for a classroom network)")
    parser.add_argument("--first-port", type=int, help="the first replica's port (default: port + 1)")
    parser.add_argument("--workdir", type=Path, help="for nginx.conf and the logs (default: a new temporary one)")
    args = parser.parse_args(argv)
    deployment = Deployment(args.replicas, args.port, args.host, args.first_port, args.workdir)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
    try:
        deployment.start()
        print(f"NN Playground: {deployment.url} ({len(deployment.replica_ports)} replicas on ports "
              f"{deployment.replica_ports[0]}-{deployment.replica_ports[-1]}; logs in {deployment.workdir}); "
              "Ctrl-C stops it", flush=True)
        deployment.watch()
    except KeyboardInterrupt:
        print("stopping nginx and the replicas", flush=True)
    finally:
        deployment.stop()


if __name__ == "__main__":
    main()

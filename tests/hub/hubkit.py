"""Start, drive and stop a throwaway JupyterHub; read processes' memory from /proc.

The hub runs as a subprocess with the dummy authenticator and the simple local-process spawner, on
127.0.0.1 only; its proxy is configurable-http-proxy (``tests/hub/install-proxy.sh`` puts it in
``.cache/node``). Everything it writes (database, cookie secret, pid files, learners' homes) lives in one
temporary folder. Stopping it asks the hub to stop every server and the proxy, then kills whatever it
started that is still alive and says so.
"""

from __future__ import annotations

import datetime
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "hub"
INSTALL_PROXY = "tests/hub/install-proxy.sh"
PROXY_IN_REPO = REPO / ".cache" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

def proxy_binary() -> str | None:
    configured = os.environ.get("CHP_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    if os.access(PROXY_IN_REPO, os.X_OK):
        return str(PROXY_IN_REPO)
    return shutil.which("configurable-http-proxy")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ---------------------------------------------------------------------------------------------- /proc


def children_of(pid: int) -> list[int]:
    """Return the direct children of ``pid`` (from /proc/<pid>/task/*/children, or a scan of /proc)."""
    found: set[int] = set()
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found.update(int(child) for child in (task / "children").read_text().split())
        return sorted(found)
    except OSError:
        pass
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if _stat_fields(int(entry.name))[1] == pid:
                    found.add(int(entry.name))
            except OSError:
                continue
    return sorted(found)


def descendants_of(pid: int) -> list[int]:
    """Return every process below ``pid``, parents before children."""
    out: list[int] = []
    queue = children_of(pid)
    while queue:
        child = queue.pop(0)
        out.append(child)
        queue.extend(children_of(child))
    return out


def _stat_fields(pid: int) -> tuple[str, int, int]:
    """Return (state, ppid, starttime) of a process; the command name may hold spaces and parentheses."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    rest = raw[raw.rindex(")") + 2 :].split()
    return rest[0], int(rest[1]), int(rest[19])


def start_time(pid: int) -> int | None:
    """Return the process's start time in clock ticks (identifies it across pid reuse), None if gone."""
    try:
        state, _, started = _stat_fields(pid)
    except (OSError, ValueError, IndexError):
        return None
    return None if state in {"Z", "X"} else started


def memory_kib(pid: int) -> dict[str, int]:
    """Return the resident (RSS) and proportional (PSS) memory of a process in KiB."""
    rss = pss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pss = rss
    return {"rss_kib": rss, "pss_kib": pss}


def cpu_seconds(pid: int) -> float:
    """Return the user + system CPU time a process has used so far."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    rest = raw[raw.rindex(")") + 2 :].split()
    return (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK")


def environ_of(pid: int) -> dict[str, str]:
    """Return a process's environment (readable here because every process runs as the test's user)."""
    pairs = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(p.decode(errors="replace").split("=", 1) for p in pairs if b"=" in p)


# ---------------------------------------------------------------------------------------------- the hub


@dataclass
class Hub:
    """A running JupyterHub: its URL, an admin API client, and every process it started."""

    url: str
    admin_token: str
    process: subprocess.Popen[bytes]
    workdir: Path
    log_path: Path
    api: httpx.Client
    seen: dict[int, int] = field(default_factory=dict)  # pid -> start time of everything ever below the hub

    def track(self) -> None:
        """Remember every process below the hub now, so teardown can check each one is gone."""
        for pid in descendants_of(self.process.pid):
            started = start_time(pid)
            if started is not None:
                self.seen.setdefault(pid, started)

    def log_tail(self, lines: int = 40) -> str:
        """Return the end of the hub's log, for failure messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no hub log)"

    def request(self, method: str, path: str, expect: tuple[int, ...] = (200,), **kwargs: Any) -> httpx.Response:
        """Call the Hub's REST API as the admin service and check the status code."""
        response = self.api.request(method, f"/hub/api{path}", **kwargs)
        if response.status_code not in expect:
            raise AssertionError(
                f"{method} /hub/api{path} answered {response.status_code}: {response.text[:500]}\n"
                f"--- hub log ---\n{self.log_tail()}"
            )
        return response

    def server_pid(self, user: str) -> int:
        """Return the pid of ``user``'s single-user server (a child of the hub with JUPYTERHUB_USER set)."""
        for pid in children_of(self.process.pid):
            try:
                if environ_of(pid).get("JUPYTERHUB_USER") == user:
                    return pid
            except OSError:
                continue
        raise AssertionError(f"no single-user server process for {user!r} below the hub (pid {self.process.pid})")


def _config(
    *, workdir: Path, proxy: str, hub_port: int, public_port: int, api_port: int, token: str, extra: str = ""
) -> str:
    home = workdir / "home" / "{username}"
    return textwrap.dedent(
        f"""
        c = get_config()  # noqa: F821
        c.JupyterHub.ip = "127.0.0.1"
        c.JupyterHub.port = {public_port}
        c.JupyterHub.hub_ip = "127.0.0.1"
        c.JupyterHub.hub_port = {hub_port}
        c.JupyterHub.db_url = "sqlite:///{workdir / "jupyterhub.sqlite"}"
        c.JupyterHub.cookie_secret_file = "{workdir / "jupyterhub_cookie_secret"}"
        c.JupyterHub.pid_file = "{workdir / "jupyterhub.pid"}"
        c.JupyterHub.cleanup_servers = True
        c.JupyterHub.cleanup_proxy = True
        c.JupyterHub.log_level = "INFO"

        c.ConfigurableHTTPProxy.command = [{proxy!r}]
        c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
        c.ConfigurableHTTPProxy.pid_file = "{workdir / "jupyterhub-proxy.pid"}"
        c.ConfigurableHTTPProxy.auth_token = {secrets.token_hex(16)!r}

        c.JupyterHub.authenticator_class = "dummy"
        c.Authenticator.allow_all = True

        # Every learner's server runs as this same OS user: fine for a test, never for a class.
        c.JupyterHub.spawner_class = "simple"
        c.SimpleLocalProcessSpawner.home_dir_template = "{home}"
        c.Spawner.ip = "127.0.0.1"
        c.Spawner.cmd = [{sys.executable!r}, "-m", "jupyterhub.singleuser"]
        c.Spawner.args = ["--ServerApp.allow_root=True"]
        c.Spawner.environment = {{"PATH": {os.path.dirname(sys.executable) + ":/usr/bin:/bin"!r}}}
        c.Spawner.default_url = "/lab"
        # Two cores start ten servers at once: give them time, the test asserts no timing anyway.
        c.Spawner.start_timeout = 240
        c.Spawner.http_timeout = 240

        c.JupyterHub.services = [{{"name": "classroom-test", "api_token": {token!r}}}]
        c.JupyterHub.load_roles = [{{"name": "admin", "services": ["classroom-test"]}}]
        """
    ) + textwrap.dedent(extra)


def stop_hub(hub: Hub) -> list[str]:
    """Stop the hub (which stops every server and the proxy), kill what remains; return what had to be killed."""
    hub.track()
    hub.api.close()
    if hub.process.poll() is None:
        hub.process.send_signal(signal.SIGTERM)
        try:
            hub.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            hub.process.kill()
            hub.process.wait(timeout=10)
    deadline = time.monotonic() + 10
    alive = {pid: t for pid, t in hub.seen.items() if start_time(pid) == t}
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = {pid: t for pid, t in alive.items() if start_time(pid) == t}
    killed = []
    for pid in alive:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            killed.append(f"{pid}: {command[:120]}")
            os.kill(pid, signal.SIGKILL)
        except OSError:
            continue
    return killed


def _wait_until_up(hub: Hub, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if hub.process.poll() is not None:
            raise AssertionError(f"the hub exited with {hub.process.returncode}\n{hub.log_tail()}")
        try:
            if hub.api.get("/hub/api/").status_code == 200 and hub.api.get("/hub/api/users").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"the hub did not answer on {hub.url} within {timeout:.0f} s\n{hub.log_tail()}")


# ---------------------------------------------------------------------------------------------- kernels


class KernelSession:
    """One kernel on one learner's server, driven over the Jupyter server's kernel websocket (JSON protocol)."""

    def __init__(self, hub: Hub, user: str, token: str) -> None:
        import websocket  # websocket-client

        self.user = user
        self.base = f"{hub.url}/user/{user}"
        self.headers = {"Authorization": f"token {token}"}
        reply = httpx.post(f"{self.base}/api/kernels", headers=self.headers, json={"name": "python3"}, timeout=120)
        if reply.status_code != 201:
            raise AssertionError(f"starting a kernel for {user} answered {reply.status_code}: {reply.text[:300]}")
        self.kernel_id = reply.json()["id"]
        self.session = uuid.uuid4().hex
        ws_url = self.base.replace("http://", "ws://") + f"/api/kernels/{self.kernel_id}/channels"
        self.ws = websocket.create_connection(
            f"{ws_url}?session_id={self.session}",
            header=[f"{k}: {v}" for k, v in self.headers.items()],
            timeout=120,
        )

    def run(self, code: str, timeout: float = 120) -> str:
        """Execute ``code`` and return its stdout; raise with the traceback if it fails."""
        msg_id = uuid.uuid4().hex
        self.ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "username": self.user,
                        "session": self.session,
                        "msg_type": "execute_request",
                        "version": "5.3",
                        "date": datetime.datetime.now(datetime.UTC).isoformat(),
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": False,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )
        stdout: list[str] = []
        error: str | None = None
        replied = idle = False
        deadline = time.monotonic() + timeout
        while not (replied and idle):
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.user}'s kernel did not finish within {timeout:.0f} s: {code!r}")
            raw = self.ws.recv()
            if not isinstance(raw, str):
                continue  # binary frames carry buffers (widgets); the lesson steps send none
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream" and content.get("name") == "stdout":
                stdout.append(content["text"])
            elif kind == "error":
                error = "\n".join(content.get("traceback", [])) or f"{content.get('ename')}: {content.get('evalue')}"
            elif kind == "execute_reply":
                replied = True
                if content.get("status") != "ok" and error is None:
                    error = f"{content.get('ename')}: {content.get('evalue')}"
            elif kind == "status" and content.get("execution_state") == "idle":
                idle = True
        if error is not None:
            raise AssertionError(f"{self.user}'s kernel raised:\n{error}")
        return "".join(stdout)

    def close(self) -> None:
        """Close the websocket and shut the kernel down."""
        try:
            self.ws.close()
        finally:
            httpx.delete(f"{self.base}/api/kernels/{self.kernel_id}", headers=self.headers, timeout=60)


def start_hub(workdir: Path, proxy: str, extra_config: str = "") -> Hub:
    """Start JupyterHub in ``workdir`` with an admin service token and wait until its API answers.

    ``extra_config`` is appended to the configuration file, which runs top to bottom: its lines override the
    defaults above (another spawner, for instance).
    """
    token = secrets.token_hex(32)
    public_port, hub_port, api_port = _free_port(), _free_port(), _free_port()
    config = workdir / "jupyterhub_config.py"
    ports = {"hub_port": hub_port, "public_port": public_port, "api_port": api_port}
    config.write_text(_config(workdir=workdir, proxy=proxy, token=token, extra=extra_config, **ports))
    log_path = workdir / "jupyterhub.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "CONFIGPROXY"))}
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "/usr/bin:/bin")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{public_port}"
    api = httpx.Client(base_url=url, headers={"Authorization": f"token {token}"}, timeout=60, trust_env=False)
    hub = Hub(url, token, process, workdir, log_path, api)
    try:
        _wait_until_up(hub)
    except BaseException:
        stop_hub(hub)
        raise
    hub.track()
    return hub


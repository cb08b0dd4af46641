"""Owner-only on a real JupyterHub: two learners who are two Unix users, and one tries the other's lab.

The classroom test runs every learner as the same Unix user, where owner-only cannot tell learners apart.
Here the hub uses JupyterHub's default ``LocalProcessSpawner``, which starts each learner's server as that
learner's own Unix user, as The Littlest JupyterHub does. The test creates two throwaway system users for it
(and removes them afterwards), so it needs root: it skips without root, and in CI (``CI=true``, root) it runs.

Learner A starts a lab and stores one item. Learner B's kernel sees A's port in ``ss -ltn``, then sends GET,
POST and ``PATCH /lab/settings`` to it with httpx: each gets 403 with a detail naming another user, and A's
lab holds exactly what it held before. B's own lab answers B.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import pwd
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hubkit import ARTIFACTS, IN_CI, INSTALL_PROXY, REPO, Hub, KernelSession, proxy_binary, start_hub, stop_hub

from httplab.server import _peer

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.socket]

LEARNER_A, LEARNER_B = "httplab-learner-a", "httplab-learner-b"
#: The accounts' comment field: only accounts carrying it are ever removed by this test.
MARK = "httplab hub test (temporary)"
VENV = Path(sys.executable).parent.parent


def _missing(what: str) -> None:
    """Fail in CI (where this test must run), skip elsewhere."""
    if IN_CI:
        pytest.fail(f"{what} (CI=true: the owner-only hub test may not be skipped)", pytrace=False)
    pytest.skip(what)


# ---------------------------------------------------------------------------------------------- Unix users


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def _remove_user(name: str) -> str | None:
    """Delete one of this test's accounts with its home; return what went wrong, or None."""
    done = _run("userdel", "--remove", name)
    if done.returncode != 0:
        return f"userdel --remove {name} exited {done.returncode}: {done.stderr.strip()}"
    with contextlib.suppress(KeyError):
        pwd.getpwnam(name)
        return f"{name} still exists after userdel: {done.stderr.strip()}"
    return None


def _create_user(name: str) -> pwd.struct_passwd:
    try:
        existing = pwd.getpwnam(name)
    except KeyError:
        existing = None
    if existing is not None:
        if existing.pw_gecos != MARK:
            _missing(f"a Unix user named {name} already exists and was not made by this test; remove it or rename")
        problem = _remove_user(name)  # left behind by an interrupted run of this test
        if problem:
            _missing(f"could not remove the leftover test user: {problem}")
    if shutil.which("useradd") is None:
        _missing("useradd is not installed (apt-get install passwd); the test creates two Unix users with it")
    done = _run("useradd", "--create-home", "--shell", "/bin/bash", "--comment", MARK, name)
    if done.returncode != 0:
        _missing(f"could not create the Unix user {name}: useradd exited {done.returncode}: {done.stderr.strip()}")
    return pwd.getpwnam(name)


def _processes_of(uid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
    return pids


# ---------------------------------------------------------------------------------------------- file access


def _blockers(readable: list[Path]) -> list[str]:
    """Name what keeps another user from reaching ``readable``: a directory on the way without o+x, or no o+r."""
    problems: list[str] = []
    for target in readable:
        for directory in reversed(target.parents):
            if not os.stat(directory).st_mode & stat.S_IXOTH:
                problems.append(f"{directory} (mode {stat.S_IMODE(os.stat(directory).st_mode):o}: others cannot enter)")
        mode = os.stat(target).st_mode
        needed = stat.S_IROTH | (stat.S_IXOTH if stat.S_ISDIR(mode) else 0)
        if mode & needed != needed:
            problems.append(f"{target} (mode {stat.S_IMODE(mode):o}: others cannot read it)")
    return sorted(set(problems))


def _shared_paths() -> list[Path]:
    """What a learner's server and kernel read: the venv, the Python it links to, and this repository."""
    python = Path(sys.executable).resolve()  # the venv's python is a link into the interpreter's own tree
    stdlib = python.parent.parent / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    site = Path(sysconfig.get_paths()["purelib"])
    return [python, stdlib, *python.parent.parent.glob("lib/libpython*"), VENV, site, REPO, REPO / "httplab"]


@contextlib.contextmanager
def _others_may_enter(directory: Path) -> Iterator[None]:
    """Give others the execute bit on ``directory`` (enter it, not list it) and restore its mode afterwards."""
    original = stat.S_IMODE(os.stat(directory).st_mode)
    if original & stat.S_IXOTH:
        yield
        return
    os.chmod(directory, original | stat.S_IXOTH)
    try:
        yield
    finally:
        os.chmod(directory, original)


# ---------------------------------------------------------------------------------------------- the hub


@dataclass
class Classroom:
    hub: Hub
    uids: dict[str, int]


def _spawner_config() -> str:
    path = os.path.dirname(sys.executable) + ":/usr/bin:/bin"
    return f"""
        # Each learner's server runs as that learner's own Unix user (JupyterHub's default spawner).
        c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
        c.Spawner.cmd = [{sys.executable!r}, "-m", "jupyterhub.singleuser"]
        c.Spawner.args = []  # learners are not root: no --allow-root
        c.Spawner.notebook_dir = "~"  # the learner's own home
        c.Spawner.environment = {{"PATH": {path!r}}}
        c.Spawner.start_timeout = 120
        c.Spawner.http_timeout = 120
        """


@pytest.fixture(scope="module")
def classroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Classroom]:
    """Two learners who are two Unix users, on a JupyterHub that starts each server as its learner."""
    if not sys.platform.startswith("linux") or not _peer.OWNER_CHECK_SUPPORTED:
        pytest.skip("owner-only is enforced on Linux only; this test needs Linux")
    if os.geteuid() != 0:
        pytest.skip("creating two Unix users and switching to them needs root (CI runs this test as root)")
    if importlib.util.find_spec("jupyterhub") is None:
        _missing("jupyterhub is not installed; install it with: .venv/bin/python -m pip install -e '.[test]'")
    proxy = proxy_binary()
    if proxy is None:
        _missing(f"configurable-http-proxy is not installed; install it with: {INSTALL_PROXY}")
    assert proxy is not None

    with contextlib.ExitStack() as cleanup:
        users: dict[str, pwd.struct_passwd] = {}

        def remove_users() -> None:
            problems = [problem for name in users if (problem := _remove_user(name))]
            assert not problems, "\n".join(problems)

        cleanup.callback(remove_users)
        for name in (LEARNER_A, LEARNER_B):
            users[name] = _create_user(name)

        # The venv's python links into pyenv's tree under root's home, which only root may enter (/root is
        # often 700). For the test's duration others get the execute bit on that one directory: they may pass
        # through it, not list it. Its original mode is restored when the test ends, pass or fail. Anything
        # else that blocks the learners is reported below, not changed.
        root_home = Path(pwd.getpwuid(0).pw_dir)
        if root_home in Path(sys.executable).resolve().parents:
            cleanup.enter_context(_others_may_enter(root_home))
        blocked = _blockers(_shared_paths())
        if blocked:
            _missing("another Unix user cannot read the Python environment; blocked at: " + "; ".join(blocked))
        probe = subprocess.run(
            [sys.executable, "-c", "import httplab, ipykernel, jupyterhub.singleuser, jupyterlab"],
            user=LEARNER_A,
            group=users[LEARNER_A].pw_gid,
            extra_groups=[],
            cwd=users[LEARNER_A].pw_dir,
            env={"HOME": users[LEARNER_A].pw_dir, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if probe.returncode != 0:
            _missing(f"{LEARNER_A} cannot import the lab's packages with {sys.executable}: {probe.stderr[-600:]}")

        hub = start_hub(
            tmp_path_factory.mktemp("jupyterhub-owner-only"),
            proxy,
            extra_config=_spawner_config(),
        )

        def stop() -> None:
            killed = stop_hub(hub)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(hub.log_path, ARTIFACTS / "jupyterhub-owner-only.log")
            # userdel refuses a user who still runs something: end what this test's learners still run, by pid.
            for user in users.values():
                for pid in _processes_of(user.pw_uid):
                    with contextlib.suppress(OSError):
                        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                        os.kill(pid, signal.SIGKILL)
                        killed.append(f"{pid} ({user.pw_name}): {command[:120]}")
            assert not killed, "these processes outlived the hub's shutdown and had to be killed:\n" + "\n".join(killed)

        cleanup.callback(stop)
        yield Classroom(hub, {name: user.pw_uid for name, user in users.items()})


def _spawn(hub: Hub, names: list[str], timeout: float = 150) -> None:
    for name in names:
        hub.request("POST", f"/users/{name}/server", expect=(201, 202))
    deadline = time.monotonic() + timeout
    waiting = set(names)
    while waiting:
        for name in sorted(waiting):
            if hub.request("GET", f"/users/{name}").json()["servers"].get("", {}).get("ready"):
                waiting.discard(name)
        if waiting and time.monotonic() > deadline:
            raise AssertionError(f"servers not ready after {timeout:.0f} s: {sorted(waiting)}\n{hub.log_tail()}")
        time.sleep(0.5)


# Learner B's kernel: the three requests a curious classmate would try, with plain httpx.
INTRUDE = """
import httpx, json
attempts = {
    "GET /lab/items": httpx.get(URL + "/lab/items"),
    "POST /lab/items": httpx.post(URL + "/lab/items", json={"name": "intruder"}),
    "PATCH /lab/settings": httpx.patch(
        URL + "/lab/settings",
        content=b'{"require_precondition": true}',
        headers={"Content-Type": "application/merge-patch+json"},
    ),
}
print(json.dumps({k: [r.status_code, r.headers.get("content-type"), r.json()] for k, r in attempts.items()}))
"""

STATE = "import json\nprint(json.dumps(lab.state()))"


def test_hub_learner_cannot_reach_another_learners_lab(classroom: Classroom) -> None:
    hub = classroom.hub
    began = time.monotonic()
    names = [LEARNER_A, LEARNER_B]
    hub.request("POST", "/users", expect=(201,), json={"usernames": names})
    tokens = {
        name: hub.request("POST", f"/users/{name}/tokens", expect=(201,), json={"note": "lesson"}).json()["token"]
        for name in names
    }
    _spawn(hub, names)
    spawned = time.monotonic()
    hub.track()

    sessions: dict[str, KernelSession] = {}
    try:
        for name in names:
            sessions[name] = KernelSession(hub, name, tokens[name])
        a, b = sessions[LEARNER_A], sessions[LEARNER_B]

        # Each kernel runs as its learner's own Unix user: that is what lets the lab tell them apart.
        for name, session in sessions.items():
            assert int(session.run("import os\nprint(os.getuid())")) == classroom.uids[name]

        start = 'import httplab\nlab = httplab.start()\nlab.send("PUT", "/lab/items/apple", json={"name": "apple"})'
        url = a.run(start + "\nprint(lab.url)").strip()
        assert url.startswith("http://127.0.0.1:"), url
        assert a.run("print(lab.owner_check)").strip() == "enforced"
        before = json.loads(a.run(STATE))
        assert [item["data"] for item in before["items"]] == [{"name": "apple"}]
        assert before["requests"] == {"PUT": 1}

        # A curious learner lists listening ports and finds the classmate's lab among them.
        port = url.rsplit(":", 1)[1]
        listening = b.run(
            "import subprocess\nprint(subprocess.run(['ss', '-ltn'], capture_output=True, text=True).stdout)"
        )
        assert f"127.0.0.1:{port} " in listening, f"A's lab (port {port}) is not in B's `ss -ltn`:\n{listening}"

        attempts = json.loads(b.run(f"URL = {url!r}\n" + INTRUDE))
        assert set(attempts) == {"GET /lab/items", "POST /lab/items", "PATCH /lab/settings"}
        for request, (status, content_type, problem) in attempts.items():
            assert status == 403, f"{LEARNER_B}'s {request} to {LEARNER_A}'s lab answered {status}: {problem}"
            assert content_type == "application/problem+json", f"{request}: {content_type}"
            assert problem["status"] == 403
            assert "belongs to another user" in problem["detail"], f"{request}: {problem['detail']}"
            assert "Nothing in it was read or changed" in problem["detail"], f"{request}: {problem['detail']}"

        # A's lab holds exactly what it held: the one item, the settings, and no request of B's counted.
        after = json.loads(a.run(STATE))
        assert after["items"] == before["items"]
        assert after["settings"] == before["settings"] == {"require_precondition": False}
        assert after["requests"] == {"PUT": 1}, f"B's refused requests were counted: {after['requests']}"
        # The lab still answers its owner, with the same plain httpx B used.
        assert a.run("import httpx\nprint(httpx.get(lab.url + '/lab/items/apple').status_code)").strip() == "200"

        # B's own lab answers B.
        own = b.run(
            "import httplab, httpx, json\nmine = httplab.start()\n"
            "posted = mine.send('POST', '/lab/items', json={'name': 'banana'})\n"
            "listed = httpx.get(mine.url + '/lab/items')\n"
            "print(json.dumps([mine.url, posted.status, listed.status_code, mine.owner_check, mine.state()]))"
        )
        b_url, posted, listed, b_check, b_state = json.loads(own)
        assert b_url != url
        assert (posted, listed, b_check) == (201, 200, "enforced")
        assert [item["data"] for item in b_state["items"]] == [{"name": "banana"}]
        hub.track()
    finally:
        for session in sessions.values():
            session.close()
    print(
        f"\nowner-only on JupyterHub: 2 learners as 2 Unix users; spawning both servers took {spawned - began:.1f} s,"
        f" the whole test {time.monotonic() - began:.1f} s (plus the hub's start and stop)"
    )

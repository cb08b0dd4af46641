"""Shared helpers for the benchmark scripts: a printable table and a quiet pytest-httpbin."""

from __future__ import annotations

import logging
import os
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        self.rows.append([str(c) for c in cells])

    def markdown(self) -> str:
        lines = [
            f"### {self.title}",
            "",
            "| " + " | ".join(self.columns) + " |",
            "|" + "|".join("---" for _ in self.columns) + "|",
        ]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.markdown()


def machine() -> str:
    from importlib.metadata import version

    import httpx

    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"httpx {httpx.__version__}, httpbin {version('httpbin')}, "
        f"pytest-httpbin {version('pytest-httpbin')}"
    )


def quiet_pytest_httpbin():
    """Import pytest-httpbin's Server with its per-request log lines silenced."""
    from httplab.server.app import _httpbin_app

    _httpbin_app()
    logging.getLogger("httpbin.core").setLevel(logging.ERROR)
    from pytest_httpbin import serve

    serve.Handler.log_message = lambda *args, **kwargs: None
    return serve.Server

"""Turn a request into code a learner can copy: httpx Python and a curl command."""

from __future__ import annotations

import shlex
from collections.abc import Mapping

__all__ = ["curl_command", "python_code"]


def _py_str(text: str) -> str:
    """Return a Python literal for *text*, in double quotes when that needs no escaping."""
    literal = repr(text)
    if literal.startswith("'") and '"' not in text:
        literal = '"' + literal[1:-1].replace("\\'", "'") + '"'
    return literal


def _comment(note: str | None) -> list[str]:
    return [f"# {line}" if line else "#" for line in (note or "").splitlines()]


def python_code(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    timeout: float | None = None,
    note: str | None = None,
) -> str:
    """Write the httpx code that sends exactly this request.

    >>> print(python_code("GET", "http://127.0.0.1:8000/get", {}, b""))
    import httpx
    <BLANKLINE>
    response = httpx.request(
        "GET",
        "http://127.0.0.1:8000/get",
    )
    print(response.status_code, response.reason_phrase)
    print(response.text)
    """
    lines = _comment(note)
    lines += ["import httpx", "", "response = httpx.request(", f"    {_py_str(method)},", f"    {_py_str(url)},"]
    if headers:
        pairs = ", ".join(f"{_py_str(k)}: {_py_str(v)}" for k, v in headers.items())
        lines.append(f"    headers={{{pairs}}},")
    if body:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            lines.append(f"    content={body!r},")
        else:
            parts = text.splitlines(keepends=True)
            if len(parts) <= 1:
                lines.append(f"    content={_py_str(text)},")
            else:
                lines.append("    content=(")
                lines += [f"        {_py_str(part)}" for part in parts]
                lines.append("    ),")
    if timeout is not None:
        lines.append(f"    timeout={float(timeout)!r},")
    lines += [")", "print(response.status_code, response.reason_phrase)", "print(response.text)"]
    return "\n".join(lines)


def curl_command(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    timeout: float | None = None,
    note: str | None = None,
) -> str:
    r"""Write the curl command that sends this request and prints the status line and header fields.

    >>> print(curl_command("DELETE", "http://127.0.0.1:8000/lab/items/1", {}, b""))
    curl --silent --show-error --include \
      --request DELETE \
      http://127.0.0.1:8000/lab/items/1
    """
    method = method.upper()
    lines = _comment(note)
    if body:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            lines.append("# The body is binary: save it to a file and add --data-binary @that-file.")
            body = b""
    args = ["curl --silent --show-error --include"]
    if method == "HEAD":
        args.append("--head")
    elif method != "GET" or body:
        args.append(f"--request {shlex.quote(method)}")
    args.append(shlex.quote(url))
    for name, value in headers.items():
        args.append(f"--header {shlex.quote(f'{name}: {value}')}")
    if body:
        if not any(name.lower() == "content-type" for name in headers):
            # curl would otherwise label the body as a form (application/x-www-form-urlencoded).
            args.append("--header 'Content-Type:'")
        args.append(f"--data-raw {shlex.quote(body.decode('utf-8'))}")
    if timeout is not None:
        args.append(f"--max-time {float(timeout):g}")
    lines.append(" \\\n  ".join(args))
    return "\n".join(lines)

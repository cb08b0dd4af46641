"""Turn a request into code a learner can copy: httpx Python and a curl command."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass

from httplab.i18n import _

__all__ = ["FileBody", "curl_command", "python_code"]


@dataclass(frozen=True)
class FileBody:
    """A request body that code reads from a file on disk.

    Parameters
    ----------
    name
        The file's name, read from the current directory.
    media_type
        The media type to label the bytes with.
    multipart
        True to send the file as the ``file`` part of a ``multipart/form-data`` body
        (the way a browser form uploads it, for POST); False to send the bytes as the
        whole content (for PUT).
    """

    name: str
    media_type: str
    multipart: bool


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
    file: FileBody | None = None,
) -> str:
    """Write the httpx code that sends exactly this request.

    With *file*, the code reads the body from that file instead of writing *body* out.

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
    lines += ["import httpx", ""]
    if file is not None:
        lines += [f"with open({_py_str(file.name)}, \"rb\") as upload:", "    data = upload.read()", ""]
    lines += ["response = httpx.request(", f"    {_py_str(method)},", f"    {_py_str(url)},"]
    if headers:
        pairs = ", ".join(f"{_py_str(k)}: {_py_str(v)}" for k, v in headers.items())
        lines.append(f"    headers={{{pairs}}},")
    if file is not None and file.multipart:
        lines.append(f"    files={{\"file\": ({_py_str(file.name)}, data, {_py_str(file.media_type)})}},")
    elif file is not None:
        lines.append("    content=data,")
    elif body:
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
    file: FileBody | None = None,
) -> str:
    r"""Write the curl command that sends this request and prints the status line and header fields.

    >>> print(curl_command("DELETE", "http://127.0.0.1:8000/lab/items/1", {}, b""))
    curl --silent --show-error --include \
      --request DELETE \
      http://127.0.0.1:8000/lab/items/1

    With *file*, curl reads the body from that file: ``--form`` for a multipart upload,
    ``--data-binary @name`` for raw bytes.
    """
    method = method.upper()
    lines = _comment(note)
    if file is not None:
        body = b""
    elif body:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            lines += _comment(_("The body is binary: save it to a file and add --data-binary @that-file."))
            body = b""
    args = ["curl --silent --show-error --include"]
    if method == "HEAD":
        args.append("--head")
    elif method != "GET" or body or file is not None:
        args.append(f"--request {shlex.quote(method)}")
    args.append(shlex.quote(url))
    for name, value in headers.items():
        args.append(f"--header {shlex.quote(f'{name}: {value}')}")
    if file is not None and file.multipart:
        args.append(f"--form {shlex.quote(f'file=@{_curl_form_name(file.name)};type={file.media_type}')}")
    elif file is not None:
        # curl reads "@-" as standard input, so a file named "-" needs its "./".
        args.append(f"--data-binary {shlex.quote('@' + ('./-' if file.name == '-' else file.name))}")
    if body:
        if not any(name.lower() == "content-type" for name in headers):
            # curl would otherwise label the body as a form (application/x-www-form-urlencoded).
            args.append("--header 'Content-Type:'")
        args.append(f"--data-raw {shlex.quote(body.decode('utf-8'))}")
    if timeout is not None:
        args.append(f"--max-time {float(timeout):g}")
    lines.append(" \\\n  ".join(args))
    return "\n".join(lines)


def _curl_form_name(name: str) -> str:
    """Quote a file name for curl's ``--form`` syntax, where ``;`` and ``,`` end the name."""
    if not any(char in name for char in ';,"\\'):
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'

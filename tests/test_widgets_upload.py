"""The Playground's file picker, driven from code: POST uploads multipart, PUT sends raw bytes."""

from __future__ import annotations

import contextlib
import datetime
import io
import shutil
import subprocess

import ipywidgets as widgets
import pytest

from httplab.server._wsgi import MAX_BODY_BYTES
from httplab.widgets import Playground
from httplab.widgets._common import walk
from httplab.widgets._upload import LAB_REQUEST_LIMIT

# Every byte value, so a lost or re-encoded byte shows.
BINARY = bytes(range(256)) * 8 + b"\r\n--not-a-boundary--\r\n\x00"
EVIL_NAME = "<img src=x onerror=alert(1)>.png"


def with_file(pg: Playground, method: str, path: str, name: str = "cat.png", data: bytes = BINARY,
              media_type: str = "image/png") -> None:
    pg.method.value = method
    pg.path.value = path
    pg.choose_file(name, data, media_type)


def test_upload_limit_matches_the_lab_server():
    assert LAB_REQUEST_LIMIT == MAX_BODY_BYTES


def test_upload_post_same_file_twice_makes_two_files(lab):
    pg = Playground(lab)
    with_file(pg, "POST", "/lab/files")
    first, second = pg.send(), pg.send()
    assert first is not None and second is not None, pg.message
    assert (first.status, second.status) == (201, 201)
    assert first.response is not None and second.response is not None
    assert first.response.headers["Location"] != second.response.headers["Location"]
    files = lab.state()["files"]
    assert len(files) == 2
    assert {f["media_type"] for f in files} == {"image/png"}
    assert {f["size"] for f in files} == {len(BINARY)}
    assert "multipart/form-data; boundary=" in pg.raw_request
    assert 'filename="cat.png"' in pg.raw_request
    assert pg.badge_text == "201 Created"


def test_upload_put_same_file_twice_makes_one_file_201_then_204(lab):
    pg = Playground(lab)
    with_file(pg, "PUT", "/lab/files/cat.png")
    statuses = [exchange.status for exchange in (pg.send(), pg.send()) if exchange is not None]
    assert statuses == [201, 204], pg.message
    files = lab.state()["files"]
    assert [(f["name"], f["media_type"], f["size"]) for f in files] == [("cat.png", "image/png", len(BINARY))]
    assert "Content-Type: image/png" in pg.raw_request
    assert "multipart" not in pg.raw_request
    assert pg.history_labels[-1] == "2. PUT /lab/files/cat.png → 204 No Content"


def test_upload_put_without_a_media_type_sends_octet_stream(lab):
    pg = Playground(lab)
    with_file(pg, "PUT", "/lab/files/blob.bin", "blob.bin", b"\x00\x01", "")
    assert "type unknown, sent as application/octet-stream" in pg.file_text
    exchange = pg.send()
    assert exchange is not None and exchange.status == 201, pg.message
    assert lab.state()["files"][0]["media_type"] == "application/octet-stream"


@pytest.mark.parametrize("method", ["PATCH", "GET", "DELETE"])
def test_upload_other_methods_with_a_file_say_why_and_send_nothing(lab, method):
    pg = Playground(lab)
    with_file(pg, method, "/lab/files/cat.png")
    assert pg.send() is None
    assert pg.message_level == "error"
    assert f"not with {method}" in pg.message
    assert "POST (as a multipart/form-data upload" in pg.message and "PUT (as the raw bytes" in pg.message
    assert "Nothing was sent." in pg.message
    assert lab.history == ()
    assert pg.code_python.startswith("# Fix the form first:")


def test_upload_patch_without_a_file_shows_405_with_allow(lab):
    pg = Playground(lab)
    with_file(pg, "PATCH", "/lab/files/x")
    pg.clear_file()
    exchange = pg.send()
    assert exchange is not None and exchange.status == 405, pg.message
    assert pg.badge_text == "405 Method Not Allowed"
    assert pg.response_headers is not None
    allow = pg.response_headers["Allow"]
    assert "PUT" in allow and "PATCH" not in allow
    assert "Allow" in pg.html and "PUT" in pg.html


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_upload_binary_bytes_round_trip(lab, method):
    pg = Playground(lab)
    with_file(pg, method, "/lab/files" if method == "POST" else "/lab/files/cat.png")
    exchange = pg.send()
    assert exchange is not None and exchange.response is not None, pg.message
    location = exchange.response.headers["Location"]
    back = lab.send("GET", location)
    assert back.response is not None and back.response.body == BINARY
    assert back.response.headers["Content-Type"] == "image/png"


def test_upload_file_line_names_size_and_type_before_sending(lab):
    pg = Playground(lab)
    assert pg.file_text.startswith("No file chosen")
    pg.choose_file("cat.png", b"x" * 2048, "image/png")
    assert pg.file_text.startswith("Chosen file: cat.png (2,048 bytes, 2.0 KiB, image/png).")
    assert "cat.png" in pg.file_picker.line.value
    assert lab.history == ()


def test_upload_file_line_escapes_the_file_name(lab):
    pg = Playground(lab)
    pg.choose_file(EVIL_NAME, b"x", "image/png")
    assert EVIL_NAME in pg.file_text
    assert "<img" not in pg.html
    assert "&lt;img src=x onerror=alert(1)&gt;.png" in pg.file_picker.line.value


def test_upload_the_file_upload_value_works_as_ipywidgets_sets_it(lab):
    pg = Playground(lab)
    pg.method.value, pg.path.value = "PUT", "/lab/files/note.txt"
    pg.file_picker.upload.value = (
        {"name": "note.txt", "type": "text/plain", "size": 5, "content": memoryview(b"hello"),
         "last_modified": datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)},
    )
    assert pg.file_text.startswith("Chosen file: note.txt (5 bytes, text/plain).")
    exchange = pg.send()
    assert exchange is not None and exchange.status == 201, pg.message
    assert lab.send("GET", "/lab/files/note.txt").response.body == b"hello"


def test_upload_disables_the_body_editor_until_the_file_is_cleared(lab):
    pg = Playground(lab)
    pg.method.value, pg.path.value = "POST", "/lab/items"
    pg.content_type.value, pg.body_editor.value = "application/json", '{"name": "apple"}'
    pg.choose_file("cat.png", b"png", "image/png")
    assert pg.body_editor.disabled and pg.content_type.disabled
    assert pg.file_picker.clear_button.layout.display is None
    pg.file_picker.clear_button.click()
    assert not pg.body_editor.disabled and not pg.content_type.disabled
    assert pg.file_picker.clear_button.layout.display == "none"
    assert pg.file_text.startswith("No file chosen")
    exchange = pg.send()
    assert exchange is not None and exchange.status == 201, pg.message
    assert [item["data"] for item in lab.state()["items"]] == [{"name": "apple"}]
    assert lab.state()["files"] == []


def test_upload_too_big_file_says_so_and_sends_nothing(lab):
    pg = Playground(lab)
    with_file(pg, "PUT", "/lab/files/big.bin", "big.bin", b"\x00" * (LAB_REQUEST_LIMIT + 1), "")
    assert "too big to send" in pg.file_text and "1 MiB (1,048,576 bytes)" in pg.file_text
    assert pg.send() is None
    assert "big.bin (1,048,577 bytes, 1.0 MiB) is more than the 1 MiB" in pg.message
    assert "Choose a smaller file" in pg.message
    assert lab.history == ()


def test_upload_limit_counts_the_multipart_wrapping_on_post_only(lab):
    pg = Playground(lab)
    with_file(pg, "POST", "/lab/files", "full.bin", b"\x00" * LAB_REQUEST_LIMIT, "")
    assert "too big" not in pg.file_text
    assert pg.send() is None
    assert "plus its multipart wrapping is more than" in pg.message
    assert lab.history == ()
    pg.method.value, pg.path.value = "PUT", "/lab/files/full.bin"
    exchange = pg.send()
    assert exchange is not None and exchange.status == 201, pg.message


def test_upload_post_refuses_a_content_type_header_line(lab):
    pg = Playground(lab)
    with_file(pg, "POST", "/lab/files")
    pg.headers_editor.value = "Content-Type: image/png"
    assert pg.send() is None
    assert "Remove the Content-Type line" in pg.message
    assert lab.history == ()


def test_upload_picker_is_described_for_keyboard_and_screen_readers(lab):
    pg = Playground(lab)
    pickers = [w for w in walk(pg.widget) if isinstance(w, widgets.FileUpload)]
    assert len(pickers) == 1
    assert not pickers[0].multiple
    assert "POST" in pickers[0].tooltip and "PUT" in pickers[0].tooltip
    assert pickers[0].description


CODE_CASES = [
    ("POST", "/lab/files", "cat.png", "image/png"),
    ("PUT", "/lab/files/cat.png", "cat.png", "image/png"),
    ("POST", "/lab/files", "my cat;v=2, \"best\".png", "image/png"),
    ("PUT", "/lab/files/blob", "-", ""),
]
CODE_IDS = ["post", "put", "post-odd-name", "put-dash-name-no-type"]


def _files_after(lab, run):
    lab.reset()
    run()
    run()
    return lab.state()["files"]


@pytest.mark.socket
@pytest.mark.parametrize("case", CODE_CASES, ids=CODE_IDS)
def test_upload_python_code_reproduces_the_upload(socket_lab, tmp_path, monkeypatch, case):
    method, path, name, media_type = case
    pg = Playground(socket_lab)
    with_file(pg, method, path, name, BINARY, media_type)
    sent = _files_after(socket_lab, pg.send)
    assert len(sent) == (2 if method == "POST" else 1), pg.message
    (tmp_path / name).write_bytes(BINARY)
    monkeypatch.chdir(tmp_path)
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        replayed = _files_after(socket_lab, lambda: exec(pg.code_python, {}))
    assert replayed == sent
    assert printed.getvalue().startswith("201 Created")


@pytest.mark.socket
@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed, so the curl command cannot be run")
@pytest.mark.parametrize("case", CODE_CASES, ids=CODE_IDS)
def test_upload_curl_command_reproduces_the_upload(socket_lab, tmp_path, case):
    method, path, name, media_type = case
    pg = Playground(socket_lab)
    with_file(pg, method, path, name, BINARY, media_type)
    sent = _files_after(socket_lab, pg.send)
    assert len(sent) == (2 if method == "POST" else 1), pg.message
    (tmp_path / name).write_bytes(BINARY)
    output: list[str] = []

    def run_curl() -> None:
        done = subprocess.run(["sh", "-c", pg.code_curl], capture_output=True, text=True, timeout=20, check=True,
                              cwd=tmp_path)
        output.append(done.stdout)

    replayed = _files_after(socket_lab, run_curl)
    assert replayed == sent
    assert output[0].startswith("HTTP/1.1 201 Created")

"""The files resource at /lab/files: POST makes duplicates, PUT does not, PATCH is 405 + Allow."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator

import httpx
import pytest
import werkzeug.formparser

from httplab.client.models import Headers, _wire_body
from httplab.server._wsgi import etag_for
from httplab.server.files import MAX_NAME_LENGTH, MAX_TOTAL_BYTES, create_files_app

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8  # 2,056 bytes, every byte value
ALL_BYTES = bytes(range(256)) * 4


def _upload(lab, *files, **kwargs):
    return lab.send("POST", "/lab/files", files=list(files), **kwargs)


def _put(lab, name, body, content_type="application/octet-stream", **headers):
    return lab.send("PUT", f"/lab/files/{name}", content=body, headers={"Content-Type": content_type, **headers})


@pytest.fixture
def small_files() -> Iterator[httpx.Client]:
    """A bare files app with tiny limits, called in-process."""
    app = create_files_app(max_body_bytes=64, max_total_bytes=100, max_files=3)
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://lab.local") as client:
        yield client


# ---------------------------------------------------------------------------- POST: duplicates


def test_files_post_same_file_twice_makes_two_files(any_lab):
    first = _upload(any_lab, ("file", ("cat.png", PNG, "image/png")))
    second = _upload(any_lab, ("file", ("cat.png", PNG, "image/png")))
    assert (first.status, second.status) == (201, 201)
    assert first.response.headers["Location"] == "/lab/files/1-cat.png"
    assert second.response.headers["Location"] == "/lab/files/2-cat.png"
    names = [f["name"] for f in any_lab.state()["files"]]
    assert names == ["1-cat.png", "2-cat.png"]


def test_files_post_several_files_lists_all_and_locates_the_first(any_lab):
    exchange = _upload(
        any_lab,
        ("file", ("cat.png", PNG, "image/png")),
        ("file", ("notes.txt", b"hello\n", "text/plain")),
        ("other", ("data.bin", ALL_BYTES, "application/octet-stream")),
    )
    assert exchange.status == 201
    created = exchange.json["created"]
    assert [c["name"] for c in created] == ["1-cat.png", "2-notes.txt", "3-data.bin"]
    assert exchange.response.headers["Location"] == created[0]["href"] == "/lab/files/1-cat.png"
    assert [c["size"] for c in created] == [len(PNG), 6, len(ALL_BYTES)]
    assert [c["media_type"] for c in created] == ["image/png", "text/plain", "application/octet-stream"]
    for entry, body in zip(created, (PNG, b"hello\n", ALL_BYTES), strict=True):
        fetched = any_lab.send("GET", entry["href"])
        assert fetched.response.body == body
        assert fetched.response.headers["ETag"] == entry["etag"] == etag_for(body)


def test_files_post_binary_round_trips_byte_for_byte(any_lab):
    body = os.urandom(50_000) + ALL_BYTES
    href = _upload(any_lab, ("file", ("noise.bin", body, "application/octet-stream"))).response.headers["Location"]
    fetched = any_lab.send("GET", href)
    assert fetched.status == 200
    assert fetched.response.body == body
    assert fetched.response.headers["Content-Type"] == "application/octet-stream"
    assert fetched.response.headers["Content-Length"] == str(len(body))


def test_files_post_ignores_form_fields_without_a_file(lab):
    exchange = _upload(lab, ("file", ("a.txt", b"a", "text/plain")), data={"comment": "not a file"})
    assert [c["name"] for c in exchange.json["created"]] == ["1-a.txt"]


@pytest.mark.parametrize(
    ("filename", "chosen"),
    [
        ("../../etc/passwd", "1-passwd"),
        ("C:\\Users\\me\\photo.jpg", "1-photo.jpg"),
        ("my holiday photo.jpg", "1-my_holiday_photo.jpg"),
        ("a..b.txt", "1-a.b.txt"),
        ("...", "1-upload"),
        ("x" * 300, "1-" + "x" * (MAX_NAME_LENGTH - 2)),
    ],
    ids=["traversal", "windows-path", "spaces", "double-dot", "only-dots", "too-long"],
)
def test_files_post_turns_any_filename_into_a_safe_name(lab, filename, chosen):
    exchange = _upload(lab, ("file", (filename, b"data", "text/plain")))
    assert exchange.status == 201
    assert exchange.json["created"][0]["name"] == chosen
    assert lab.send("GET", f"/lab/files/{chosen}").response.body == b"data"


def test_files_post_needs_multipart(lab):
    exchange = lab.send("POST", "/lab/files", json={"name": "cat.png"})
    assert exchange.status == 415
    assert exchange.response.headers["Content-Type"] == "application/problem+json"
    assert "multipart/form-data" in exchange.json["detail"]
    assert "files=" in exchange.json["detail"]


def test_files_post_multipart_without_boundary_is_400(lab):
    exchange = lab.send("POST", "/lab/files", content=b"x", headers={"Content-Type": "multipart/form-data"})
    assert exchange.status == 400
    assert "boundary" in exchange.json["detail"]


def test_files_post_cut_short_multipart_is_400_and_stores_nothing(lab):
    body = b'--xyz\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nabc'
    exchange = lab.send(
        "POST", "/lab/files", content=body, headers={"Content-Type": "multipart/form-data; boundary=xyz"}
    )
    assert exchange.status == 400
    assert "malformed or cut short" in exchange.json["detail"]
    assert lab.state()["files"] == []


def test_files_post_form_without_file_parts_is_422(lab):
    only_fields = lab.send(
        "POST",
        "/lab/files",
        content=b'--xyz\r\nContent-Disposition: form-data; name="comment"\r\n\r\nhi\r\n--xyz--\r\n',
        headers={"Content-Type": "multipart/form-data; boundary=xyz"},
    )
    assert only_fields.status == 422
    assert "no file parts" in only_fields.json["detail"]


def test_files_post_too_many_parts_is_413(lab):
    files = [("file", (f"{i}.txt", b"x", "text/plain")) for i in range(101)]
    exchange = _upload(lab, *files)
    assert exchange.status == 413
    assert "parts" in exchange.json["detail"]
    assert lab.state()["files"] == []


# ---------------------------------------------------------------------------- PUT: one file


def test_files_put_twice_leaves_one_file(any_lab):
    first = _put(any_lab, "cat.png", PNG, "image/png")
    second = _put(any_lab, "cat.png", PNG, "image/png")
    assert first.status == 201
    assert first.response.headers["Location"] == "/lab/files/cat.png"
    assert first.response.headers["ETag"] == etag_for(PNG)
    assert second.status == 204
    assert second.response.body == b""
    assert second.response.headers["ETag"] == etag_for(PNG)
    assert [f["name"] for f in any_lab.state()["files"]] == ["cat.png"]


def test_files_put_replaces_bytes_and_media_type(any_lab):
    _put(any_lab, "notes", b"first", "text/plain")
    replaced = _put(any_lab, "notes", b'{"v": 2}', "application/json")
    assert replaced.status == 204
    fetched = any_lab.send("GET", "/lab/files/notes")
    assert fetched.response.body == b'{"v": 2}'
    assert fetched.response.headers["Content-Type"] == "application/json"
    assert any_lab.state()["files"][0]["size"] == 8


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("image/png", PNG),
        ("application/octet-stream", ALL_BYTES),
        ("text/plain; charset=utf-8", "grüße\n".encode()),
        ("application/pdf", b"%PDF-1.7\n" + bytes(range(256))),
    ],
    ids=["png", "octet-stream", "text-with-charset", "pdf"],
)
def test_files_put_binary_round_trips_byte_for_byte(any_lab, content_type, body):
    assert _put(any_lab, "f.bin", body, content_type).status == 201
    fetched = any_lab.send("GET", "/lab/files/f.bin")
    assert fetched.status == 200
    assert fetched.response.body == body
    assert fetched.response.headers["Content-Type"] == content_type
    assert fetched.response.headers["Content-Length"] == str(len(body))
    assert fetched.response.headers["ETag"] == etag_for(body)
    assert fetched.response.headers["X-Content-Type-Options"] == "nosniff"


def test_files_put_without_content_type_is_octet_stream(lab):
    assert lab.send("PUT", "/lab/files/raw", content=b"\x00\x01").status == 201
    assert lab.send("GET", "/lab/files/raw").response.headers["Content-Type"] == "application/octet-stream"


def test_files_put_empty_body_makes_an_empty_file(lab):
    assert _put(lab, "empty", b"").status == 201
    fetched = lab.send("GET", "/lab/files/empty")
    assert (fetched.status, fetched.response.body, fetched.response.headers["Content-Length"]) == (200, b"", "0")


# ---------------------------------------------------------------------------- GET, HEAD, DELETE, OPTIONS


def test_files_list_shows_name_size_type_and_etag(any_lab):
    _put(any_lab, "a.txt", b"abc", "text/plain")
    listing = any_lab.send("GET", "/lab/files")
    assert listing.status == 200
    assert listing.json == [
        {"etag": etag_for(b"abc"), "href": "/lab/files/a.txt", "media_type": "text/plain", "name": "a.txt", "size": 3}
    ]
    again = any_lab.send("GET", "/lab/files", headers={"If-None-Match": listing.response.headers["ETag"]})
    assert again.status == 304
    assert again.response.body == b""


def test_files_head_has_get_headers_and_no_content(any_lab):
    _put(any_lab, "cat.png", PNG, "image/png")
    get = any_lab.send("GET", "/lab/files/cat.png")
    head = any_lab.send("HEAD", "/lab/files/cat.png")
    assert head.status == 200
    assert head.response.body == b""
    for name in ("Content-Type", "Content-Length", "ETag"):
        assert head.response.headers[name] == get.response.headers[name]
    assert head.response.headers["Content-Length"] == str(len(PNG))


def test_files_delete_then_404(any_lab):
    _put(any_lab, "gone.txt", b"bye", "text/plain")
    first = any_lab.send("DELETE", "/lab/files/gone.txt")
    second = any_lab.send("DELETE", "/lab/files/gone.txt")
    assert first.status == 204
    assert second.status == 404
    assert "A 404 alone does not say who deleted it" in second.json["detail"]
    assert "most likely that one did" in second.json["detail"]
    assert any_lab.send("GET", "/lab/files/gone.txt").status == 404
    assert any_lab.state()["files"] == []


def test_files_get_missing_is_404(lab):
    exchange = lab.send("GET", "/lab/files/nothing.txt")
    assert exchange.status == 404
    assert exchange.response.headers["Content-Type"] == "application/problem+json"
    assert "/lab/files/nothing.txt" in exchange.json["detail"]


@pytest.mark.parametrize(
    ("path", "allow"),
    [("/lab/files", "GET, HEAD, POST, OPTIONS"), ("/lab/files/a.txt", "GET, HEAD, PUT, DELETE, OPTIONS")],
    ids=["collection", "file"],
)
def test_files_options_lists_allowed_methods(any_lab, path, allow):
    _put(any_lab, "a.txt", b"a", "text/plain")
    exchange = any_lab.send("OPTIONS", path)
    assert exchange.status == 204
    assert exchange.response.headers["Allow"] == allow
    assert "Accept-Patch" not in exchange.response.headers


# ---------------------------------------------------------------------------- 405 + Allow, 501


def test_files_patch_is_405_with_allow(any_lab):
    _put(any_lab, "notes.txt", b"v1", "text/plain")
    exchange = any_lab.send(
        "PATCH", "/lab/files/notes.txt", content=b"v2", headers={"Content-Type": "text/plain"}
    )
    assert exchange.status == 405
    assert exchange.response.headers["Allow"] == "GET, HEAD, PUT, DELETE, OPTIONS"
    assert "PATCH" not in exchange.response.headers["Allow"]
    assert "not available" in exchange.json["detail"]
    assert any_lab.send("GET", "/lab/files/notes.txt").response.body == b"v1"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("POST", "/lab/files/a.txt", "GET, HEAD, PUT, DELETE, OPTIONS"),
        ("TRACE", "/lab/files/a.txt", "GET, HEAD, PUT, DELETE, OPTIONS"),
        ("PUT", "/lab/files", "GET, HEAD, POST, OPTIONS"),
        ("DELETE", "/lab/files", "GET, HEAD, POST, OPTIONS"),
        ("PATCH", "/lab/files", "GET, HEAD, POST, OPTIONS"),
    ],
    ids=["post-file", "trace-file", "put-collection", "delete-collection", "patch-collection"],
)
def test_files_other_known_methods_are_405_with_allow(lab, method, path, allow):
    exchange = lab.send(method, path)
    assert exchange.status == 405
    assert exchange.response.headers["Allow"] == allow


def test_files_put_on_the_collection_says_where_to_put(lab):
    assert "/lab/files/<name>" in lab.send("PUT", "/lab/files", content=b"x").json["detail"]


@pytest.mark.parametrize("path", ["/lab/files", "/lab/files/a.txt"], ids=["collection", "file"])
def test_files_unknown_method_is_501(any_lab, path):
    exchange = any_lab.send("BREW", path)
    assert exchange.status == 501
    assert "Allow" not in exchange.response.headers


# ---------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("/lab/files/%2E%2E", "contains '..'"),
        ("/lab/files/a..b", "contains '..'"),
        ("/lab/files/a/b", "contains '/'"),
        ("/lab/files/a%2Fb", "contains '/'"),
        ("/lab/files/a%5Cb", "path separator"),
        ("/lab/files/" + "n" * (MAX_NAME_LENGTH + 1), "characters long"),
        ("/lab/files/", "it is empty"),
        ("/lab/files/.hidden", "start with a letter or digit"),
        ("/lab/files/a%20b", "allowed set"),
    ],
    ids=["dot-dot", "inner-dot-dot", "slash", "encoded-slash", "backslash", "too-long", "empty", "dot-first", "space"],
)
def test_files_bad_names_are_400_with_the_rule(any_lab, path, why):
    exchange = any_lab.send("PUT", path, content=b"x")
    assert exchange.status == 400
    detail = exchange.json["detail"]
    assert why in detail
    assert f"1 to {MAX_NAME_LENGTH} characters" in detail
    assert any_lab.state()["files"] == []


def test_files_longest_name_is_accepted(lab):
    name = "n" * MAX_NAME_LENGTH
    assert _put(lab, name, b"x").status == 201


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_files_bad_names_are_400_for_reads_and_deletes_too(lab, method):
    assert lab.send(method, "/lab/files/%2E%2E").status == 400


# ---------------------------------------------------------------------------- limits


def test_files_request_over_one_mib_is_413(any_lab):
    exchange = _put(any_lab, "big.bin", bytes(1024 * 1024 + 1))
    assert exchange.status == 413
    assert any_lab.state()["files"] == []


def test_files_request_of_exactly_one_mib_is_accepted_in_process(lab):
    assert _put(lab, "max.bin", bytes(1024 * 1024)).status == 201


def test_files_request_over_one_mib_is_problem_json_in_process(lab):
    exchange = _upload(lab, ("file", ("big.bin", bytes(1024 * 1024), "application/octet-stream")))
    assert exchange.status == 413
    assert "larger than the lab accepts" in exchange.json["detail"]


def test_files_total_cap_is_507_with_a_clear_message(lab):
    chunk = bytes(1_000_000)
    for number in range(MAX_TOTAL_BYTES // len(chunk)):
        assert _put(lab, f"f{number}", chunk).status == 201
    over = _put(lab, "one-too-many", chunk)
    assert over.status == 507
    detail = over.json["detail"]
    assert f"{MAX_TOTAL_BYTES:,} bytes" in detail
    assert "DELETE some files" in detail
    assert "one-too-many" not in [f["name"] for f in lab.state()["files"]]
    lab.send("DELETE", "/lab/files/f0")
    assert _put(lab, "one-too-many", chunk).status == 201


def test_files_total_cap_counts_replacements_by_their_difference(small_files):
    assert small_files.put("/a", content=bytes(60)).status_code == 201
    assert small_files.put("/a", content=bytes(64)).status_code == 204
    assert small_files.put("/b", content=bytes(37)).status_code == 507
    assert small_files.put("/b", content=bytes(36)).status_code == 201


def test_files_multi_file_post_over_the_cap_stores_nothing():
    files = [("f", ("a", bytes(30))), ("f", ("b", bytes(30)))]
    app = create_files_app(max_total_bytes=50)
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://lab.local") as client:
        response = client.post("/", files=files)
        assert response.status_code == 507
        assert "Nothing was stored" in response.json()["detail"]
        assert app.snapshot() == []


def test_files_count_cap_is_507(small_files):
    for name in ("a", "b", "c"):
        assert small_files.put(f"/{name}", content=b"x").status_code == 201
    response = small_files.put("/d", content=b"x")
    assert response.status_code == 507
    assert "at most 3 files" in response.json()["detail"]
    assert small_files.put("/a", content=b"y").status_code == 204


def test_files_per_request_limit_is_configurable(small_files):
    assert small_files.put("/a", content=bytes(65)).status_code == 413


# ---------------------------------------------------------------------------- preconditions


def test_files_if_none_match_star_creates_only_if_absent(any_lab):
    first = _put(any_lab, "once.txt", b"1", "text/plain", **{"If-None-Match": "*"})
    second = _put(any_lab, "once.txt", b"2", "text/plain", **{"If-None-Match": "*"})
    assert (first.status, second.status) == (201, 412)
    assert "If-None-Match: * means 'only if there is no file yet'" in second.json["detail"]
    assert second.response.headers["ETag"] == etag_for(b"1")
    assert any_lab.send("GET", "/lab/files/once.txt").response.body == b"1"


def test_files_if_match_guards_replace_and_delete(any_lab):
    etag = _put(any_lab, "doc.txt", b"v1", "text/plain").response.headers["ETag"]
    assert _put(any_lab, "doc.txt", b"v2", "text/plain", **{"If-Match": etag}).status == 204
    stale = _put(any_lab, "doc.txt", b"v3", "text/plain", **{"If-Match": etag})
    assert stale.status == 412
    assert "Nothing was changed" in stale.json["detail"]
    assert "a 412 does not say whose write changed it" in stale.json["detail"]
    assert any_lab.send("DELETE", "/lab/files/doc.txt", headers={"If-Match": etag}).status == 412
    assert any_lab.send("GET", "/lab/files/doc.txt").response.body == b"v2"
    current = etag_for(b"v2")
    assert any_lab.send("DELETE", "/lab/files/doc.txt", headers={"If-Match": current}).status == 204


def test_files_if_match_on_a_missing_file_is_412(lab):
    exchange = _put(lab, "new.txt", b"x", "text/plain", **{"If-Match": '"abc"'})
    assert exchange.status == 412
    assert "does not exist" in exchange.json["detail"]
    assert lab.state()["files"] == []


def test_files_conditional_get_is_304(any_lab):
    etag = _put(any_lab, "cat.png", PNG, "image/png").response.headers["ETag"]
    cached = any_lab.send("GET", "/lab/files/cat.png", headers={"If-None-Match": etag})
    assert cached.status == 304
    assert cached.response.body == b""
    assert cached.response.headers["ETag"] == etag
    changed = any_lab.send("GET", "/lab/files/cat.png", headers={"If-None-Match": '"other"'})
    assert changed.status == 200
    assert changed.response.body == PNG


def test_files_get_with_failing_if_match_is_412(lab):
    _put(lab, "a.txt", b"a", "text/plain")
    assert lab.send("GET", "/lab/files/a.txt", headers={"If-Match": '"other"'}).status == 412


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_files_list_with_failing_if_match_is_412_and_matching_if_none_match_is_304(lab, method):
    _put(lab, "a.txt", b"a", "text/plain")
    etag = lab.send("GET", "/lab/files").response.headers["ETag"]
    assert lab.send(method, "/lab/files", headers={"If-Match": '"other"'}).status == 412
    assert lab.send(method, "/lab/files", headers={"If-Match": etag}).status == 200
    assert lab.send(method, "/lab/files", headers={"If-None-Match": etag}).status == 304


def test_files_put_with_if_none_match_listing_the_current_etag_is_412_not_304(lab):
    etag = _put(lab, "a.txt", b"a", "text/plain").response.headers["ETag"]
    again = _put(lab, "a.txt", b"b", "text/plain", **{"If-None-Match": etag})
    assert again.status == 412
    assert "If-None-Match lists the file's current ETag" in again.json["detail"]


def test_files_put_response_etag_is_the_etag_of_the_stored_bytes(lab):
    put = _put(lab, "a.txt", b"exact bytes\r\n", "text/plain")
    got = lab.send("GET", "/lab/files/a.txt")
    assert got.response.body == b"exact bytes\r\n"
    assert put.response.headers["ETag"] == got.response.headers["ETag"]


# ---------------------------------------------------------------------------- state, reset, counts


def test_files_appear_in_the_snapshot_without_their_bytes(any_lab):
    _upload(any_lab, ("file", ("cat.png", PNG, "image/png")))
    _put(any_lab, "notes.txt", b"hello", "text/plain")
    files = any_lab.state()["files"]
    assert files == [
        {"etag": etag_for(PNG), "href": "/lab/files/1-cat.png", "media_type": "image/png", "name": "1-cat.png",
         "size": len(PNG)},
        {"etag": etag_for(b"hello"), "href": "/lab/files/notes.txt", "media_type": "text/plain",
         "name": "notes.txt", "size": 5},
    ]
    assert "hello" not in any_lab.send("GET", "/lab/state").response.text


def test_files_reset_empties_the_store_and_restarts_names(any_lab):
    _upload(any_lab, ("file", ("cat.png", PNG, "image/png")))
    _put(any_lab, "notes.txt", b"hello", "text/plain")
    any_lab.reset()
    assert any_lab.state()["files"] == []
    assert any_lab.send("GET", "/lab/files/notes.txt").status == 404
    again = _upload(any_lab, ("file", ("cat.png", PNG, "image/png")))
    assert again.response.headers["Location"] == "/lab/files/1-cat.png"


def test_files_requests_are_counted_per_method(lab):
    _upload(lab, ("file", ("a.txt", b"a", "text/plain")))
    _put(lab, "b.txt", b"b", "text/plain")
    lab.send("GET", "/lab/files/b.txt")
    lab.send("PATCH", "/lab/files/b.txt")
    assert lab.state()["requests"] == {"GET": 1, "PATCH": 1, "POST": 1, "PUT": 1}


def test_files_items_still_work_beside_files(lab):
    assert lab.send("POST", "/lab/items", json={"name": "apple"}).status == 201
    assert lab.send("GET", "/lab/filesystem").status == 404
    state = lab.state()
    assert len(state["items"]) == 1
    assert state["files"] == []


@pytest.mark.socket
def test_files_concurrent_posts_get_distinct_names(socket_lab):
    statuses: list[int | None] = []

    def post() -> None:
        statuses.append(_upload(socket_lab, ("file", ("same.txt", b"same", "text/plain"))).status)

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * 8
    names = {f["name"] for f in socket_lab.state()["files"]}
    assert names == {f"{n}-same.txt" for n in range(1, 9)}


# ---------------------------------------------------------------------------- wire view


def test_files_wire_view_shows_multipart_part_by_part(any_lab):
    exchange = _upload(
        any_lab,
        ("file", ("notes.txt", b"hello\nworld", "text/plain")),
        ("file", ("cat.png", PNG, "image/png")),
    )
    raw = exchange.raw_request
    boundary = exchange.request.headers["Content-Type"].split("boundary=")[1]
    assert f"--{boundary}\r\n" in raw
    assert raw.endswith(f"--{boundary}--")
    assert 'Content-Disposition: form-data; name="file"; filename="notes.txt"\r\nContent-Type: text/plain' in raw
    assert "\r\n\r\nhello\nworld\r\n" in raw
    assert 'filename="cat.png"\r\nContent-Type: image/png\r\n\r\n<2,056 bytes of image/png>\r\n' in raw
    assert "PNG" not in raw
    assert "\x00" not in raw
    assert "bytes of binary data (multipart" not in raw


def test_wire_body_summarises_binary_parts_without_a_type():
    body = (
        b"--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\n\x00\x01\x02\r\n"
        b"--b\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nplain text\r\n--b--\r\n"
    )
    view = _wire_body(body, Headers([("Content-Type", 'multipart/form-data; boundary="b"')]))
    assert view.split("\r\n") == [
        "--b",
        'Content-Disposition: form-data; name="f"; filename="x"',
        "",
        "<3 bytes of binary data>",
        "--b",
        'Content-Disposition: form-data; name="t"',
        "",
        "plain text",
        "--b--",
    ]


def test_wire_body_cuts_long_text_parts():
    body = b"--b\r\nContent-Type: text/plain\r\n\r\n" + b"a" * 20_000 + b"\r\n--b--\r\n"
    view = _wire_body(body, Headers([("Content-Type", "multipart/form-data; boundary=b")]))
    assert "(20,000 bytes in this part; the rest is not shown)" in view
    assert len(view) < 17_000


def test_wire_body_falls_back_when_the_boundary_is_absent():
    headers = Headers([("Content-Type", "multipart/form-data; boundary=nothere")])
    assert _wire_body(b"just text", headers) == "just text"
    assert _wire_body(b"\xff\xfe", headers).startswith("<2 bytes of binary data")


def test_files_wire_view_of_a_raw_put_is_unchanged(lab):
    exchange = _put(lab, "cat.png", PNG, "image/png")
    assert exchange.raw_request.endswith(f"<{len(PNG):,} bytes of binary data (image/png) not shown>")


# ---------------------------------------------------------------------------- nothing on disk


@pytest.fixture
def no_temp_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every way to open a temporary file fail the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("something tried to write a temporary file during an upload")

    for name in ("TemporaryFile", "SpooledTemporaryFile", "NamedTemporaryFile", "mkstemp", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, refuse)
    # werkzeug binds this name at import time, so patch its copy too.
    monkeypatch.setattr(werkzeug.formparser, "SpooledTemporaryFile", refuse)


def _upload_everything(lab, size: int) -> None:
    body = os.urandom(size)
    posted = _upload(lab, ("file", ("big.bin", body, "application/octet-stream")), ("file", ("s.txt", b"s")))
    assert posted.status == 201
    assert _put(lab, "put.bin", body).status == 201
    assert lab.send("GET", posted.response.headers["Location"]).response.body == body


def test_files_uploads_write_nothing_to_disk_in_process(lab, no_temp_files):
    # 900 KiB is above werkzeug's 500 KiB spooling threshold.
    _upload_everything(lab, 900 * 1024)


@pytest.mark.socket
def test_files_uploads_write_nothing_to_disk_over_a_small_socket_request(socket_lab, no_temp_files):
    # A body the server reads into memory before the app parses it (the server never spools to disk).
    _upload_everything(socket_lab, 400 * 1024)


@pytest.mark.socket
def test_files_uploads_write_nothing_to_disk_over_a_large_socket_request(socket_lab, no_temp_files):
    _upload_everything(socket_lab, 900 * 1024)

import httplab


def test_public_names_are_sorted_and_exist():
    assert httplab.__all__ == sorted(httplab.__all__)
    for name in httplab.__all__:
        assert hasattr(httplab, name), name


def test_post_creates_an_item_in_both_transports(any_lab):
    exchange = any_lab.send("POST", "/lab/items", json={"name": "apple"})
    assert exchange.status_text == "201 Created"
    assert exchange.response.headers["Location"] == "/lab/items/1"
    assert [item["data"] for item in any_lab.state()["items"]] == [{"name": "apple"}]

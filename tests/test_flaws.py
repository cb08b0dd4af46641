"""Flawed labs: every planted flaw is seen by the experiment meant to see it, and by no other check.

Each probe below is what a learner would run with the kit's own experiments. It answers
"broken" (the observation contradicts a rule), "allowed" (unusual, but no rule is broken) or
None (nothing to report). A faithful lab gives None everywhere; a lab with one flaw makes
exactly that flaw's probe speak, and the two lawful flaws are never called broken.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest

import httplab
from httplab.errors import FlawError
from httplab.http.flaws import FLAWS, MYSTERY_BROKEN, MYSTERY_LAWFUL, mystery_flaws

Verdict = str | None
ITEM = "/lab/items/probe"
ENTITY_TAG = re.compile(r'(W/)?"[^"]*"')


def _put(lab: httplab.Lab, body: dict[str, object], **headers: str) -> httplab.Exchange:
    return lab.send("PUT", ITEM, json=body, headers=headers)


def _data(lab: httplab.Lab) -> dict[str, object]:
    entries = [e for e in lab.state()["items"] if e["href"] == ITEM]
    return dict(entries[0]["data"]) if entries else {}


def probe_get(lab: httplab.Lab) -> Verdict:
    run = lab.repeat("GET", ITEM, setup=[("PUT", ITEM, {"json": {"name": "pear"}})])
    return "broken" if run.broken_promise else None


def probe_put_replaces(lab: httplab.Lab) -> Verdict:
    lab.reset()
    _put(lab, {"name": "pear", "color": "green"})
    _put(lab, {"name": "pear"})
    return "broken" if "color" in _data(lab) else None


def probe_put_repeats(lab: httplab.Lab) -> Verdict:
    run = lab.repeat("PUT", ITEM, json={"name": "pear", "tags": ["ripe"]})
    if run.broken_promise:
        return "broken"
    return "allowed" if run.unusual_but_allowed else None


def probe_delete_status(lab: httplab.Lab) -> Verdict:
    run = lab.repeat("DELETE", ITEM, setup=[("PUT", ITEM, {"json": {"name": "pear"}})])
    return "broken" if run.misleading_statuses or run.broken_promise else None


def probe_delete_missing(lab: httplab.Lab) -> Verdict:
    run = lab.repeat("DELETE", "/lab/items/never-there", times=2)
    if run.broken_promise:
        return "broken"
    return "allowed" if run.unusual_but_allowed else None


def probe_post_location(lab: httplab.Lab) -> Verdict:
    lab.reset()
    reply = lab.send("POST", "/lab/items", json={"name": "pear"})
    return "broken" if reply.status == 201 and "Location" not in reply.response.headers else None


def probe_if_match(lab: httplab.Lab) -> Verdict:
    lab.reset()
    _put(lab, {"name": "pear"})
    reply = _put(lab, {"name": "plum"}, **{"If-Match": '"not-the-etag"'})
    return "broken" if reply.ok else None


def probe_405_allow(lab: httplab.Lab) -> Verdict:
    reply = lab.send("POST", ITEM, json={})
    return "broken" if reply.status == 405 and "Allow" not in reply.response.headers else None


def probe_unknown_method(lab: httplab.Lab) -> Verdict:
    return "broken" if lab.send("BREW", "/lab/items").status != 501 else None


def probe_head(lab: httplab.Lab) -> Verdict:
    lab.reset()
    _put(lab, {"name": "pear"})
    get, head = lab.send("GET", ITEM), lab.send("HEAD", ITEM)
    ignored = {"date", "content-length"}
    names = {n.lower() for n in get.response.headers} - ignored, {n.lower() for n in head.response.headers} - ignored
    same_type = get.response.headers.get("Content-Type") == head.response.headers.get("Content-Type")
    return "broken" if names[0] != names[1] or not same_type else None


def probe_etag_syntax(lab: httplab.Lab) -> Verdict:
    lab.reset()
    _put(lab, {"name": "pear"})
    tag = lab.send("GET", ITEM).response.headers.get("ETag") or ""
    return "broken" if not ENTITY_TAG.fullmatch(tag) else None


def probe_weak_if_match(lab: httplab.Lab) -> Verdict:
    lab.reset()
    _put(lab, {"name": "pear"})
    tag = lab.send("GET", ITEM).response.headers.get("ETag") or ""
    if not tag.startswith("W/"):
        return None
    return "broken" if _put(lab, {"name": "plum"}, **{"If-Match": tag}).ok else None


def probe_put_create(lab: httplab.Lab) -> Verdict:
    run = lab.repeat("PUT", ITEM, times=2, json={"name": "pear"})
    return "broken" if run.observation.changed_by_call[0] and run.statuses[0] != 201 else None


#: Each flaw, and the probe that should see it.
PROBES: dict[str, Callable[[httplab.Lab], Verdict]] = {
    "get-counts-views": probe_get,
    "put-merges": probe_put_replaces,
    "put-appends": probe_put_repeats,
    "delete-500": probe_delete_status,
    "post-no-location": probe_post_location,
    "if-match-ignored": probe_if_match,
    "405-without-allow": probe_405_allow,
    "unknown-method-200": probe_unknown_method,
    "head-differs": probe_head,
    "etag-unquoted": probe_etag_syntax,
    "weak-etag-if-match": probe_weak_if_match,
    "put-create-200": probe_put_create,
    "put-stamps-updated-at": probe_put_repeats,
    "delete-missing-204": probe_delete_missing,
}


def _audit(lab: httplab.Lab) -> dict[str, Verdict]:
    return {probe.__name__: probe(lab) for probe in dict.fromkeys(PROBES.values())}


def test_flaws_catalogue_has_a_probe_for_every_flaw() -> None:
    assert set(PROBES) == set(FLAWS)
    assert len([f for f in FLAWS.values() if not f.lawful]) >= 12
    assert sorted(f.id for f in FLAWS.values() if f.lawful) == ["delete-missing-204", "put-stamps-updated-at"]


def test_flaws_faithful_lab_raises_no_alarm(lab: httplab.Lab) -> None:
    assert _audit(lab) == dict.fromkeys(_audit(lab))


@pytest.fixture(params=sorted(FLAWS))
def flaw(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def flawed_lab(flaw: str) -> Iterator[httplab.Lab]:
    with httplab.Lab(in_process=True, flaws=[flaw]) as lab:
        yield lab


def test_flaws_each_is_seen_by_its_own_probe_only(flaw: str, flawed_lab: httplab.Lab) -> None:
    found = _audit(flawed_lab)
    own = PROBES[flaw].__name__
    assert found[own] == ("allowed" if FLAWS[flaw].lawful else "broken")
    assert {name: verdict for name, verdict in found.items() if name != own} == dict.fromkeys(
        name for name in found if name != own
    )


@pytest.mark.parametrize("flaw_id", ["put-stamps-updated-at", "delete-missing-204"])
def test_flaws_lawful_ones_are_never_called_broken(flaw_id: str) -> None:
    with httplab.Lab(in_process=True, flaws=[flaw_id]) as lab:
        put = lab.repeat("PUT", ITEM, json={"name": "pear"})
        delete = lab.repeat("DELETE", ITEM, setup=[("PUT", ITEM, {"json": {"name": "pear"}})])
        missing = lab.repeat("DELETE", "/lab/items/never-there")
        comparison = lab.compare(times=3)
    for run in (put, delete, missing, *comparison.rows):
        assert not run.broken_promise, run.explanation
        assert "broke" not in run.explanation
    assert "broke the promise" not in comparison.explanation
    assert "Unusual but allowed" in comparison.explanation


def test_flaws_stamped_put_is_unusual_but_allowed_and_names_the_field() -> None:
    with httplab.Lab(in_process=True, flaws=["put-stamps-updated-at"]) as lab:
        run = lab.repeat("PUT", ITEM, json={"name": "pear"})
        assert not run.same_after_repeats  # the stored documents really differ ...
        assert run.incidental_changes_only  # ... only in a field the client did not send
        assert "updated_at" in run.unusual_but_allowed[0]
        assert "ETag" not in lab.send("PUT", ITEM, json={"name": "pear"}).response.headers  # RFC 9110 §9.3.4


def test_flaws_put_that_appends_breaks_idempotence_even_beside_a_stamp() -> None:
    with httplab.Lab(in_process=True, flaws=["put-appends", "put-stamps-updated-at"]) as lab:
        run = lab.repeat("PUT", ITEM, json={"tags": ["ripe"]})
    assert run.broken_promise
    assert run.after[-1]["items"][0]["data"]["tags"] == ["ripe"] * 3


def test_flaws_delete_500_is_a_misleading_status_not_a_broken_idempotence() -> None:
    with httplab.Lab(in_process=True, flaws=["delete-500"]) as lab:
        run = lab.repeat("DELETE", ITEM, setup=[("PUT", ITEM, {"json": {}})])
    assert run.statuses[0] == 500 and run.misleading_statuses == (1,)
    assert not run.broken_promise
    assert "RFC 9110 §15.6" in run.explanation


@pytest.mark.socket
@pytest.mark.parametrize("flaw_id", ["put-create-200", "head-differs", "unknown-method-200", "etag-unquoted"])
def test_flaws_on_the_wire_over_a_socket(flaw_id: str) -> None:
    with httplab.Lab(flaws=[flaw_id]) as lab:
        assert PROBES[flaw_id](lab) == "broken"


def test_flaws_mystery_subset_is_reproducible_from_its_seed() -> None:
    first, again = httplab.Lab(in_process=True, flaws="mystery", seed=11), None
    try:
        again = first.restart()
        assert first.options.planted_flaws == again.options.planted_flaws == mystery_flaws(11)
        assert {mystery_flaws(seed) for seed in range(30)} != {mystery_flaws(11)}
        planted = mystery_flaws(11)
        assert len(planted) == MYSTERY_BROKEN + MYSTERY_LAWFUL
        assert sum(FLAWS[f].lawful for f in planted) == MYSTERY_LAWFUL
        found = {flaw for flaw, probe in PROBES.items() if probe(again) is not None}
        assert found == set(planted)
    finally:
        (again or first).stop()


def test_flaws_mystery_lab_says_it_is_flawed_but_not_which() -> None:
    with httplab.Lab(in_process=True, flaws="mystery", seed=5) as lab:
        assert lab.state()["settings"]["flaws"] == "hidden"
        text = repr(lab) + lab._repr_html_()
        assert "flawed" in text and "mystery" in text
        assert not any(flaw in text for flaw in FLAWS)


def test_flaws_named_lab_lists_its_flaws() -> None:
    with httplab.Lab(in_process=True, flaws=["put-merges"]) as lab:
        assert lab.state()["settings"]["flaws"] == ["put-merges"]
        assert "flawed: put-merges" in repr(lab)
    with httplab.Lab(in_process=True) as lab:
        assert "flaws" not in lab.state()["settings"] and "flawed" not in repr(lab)


def test_flaws_mystery_without_seed_draws_one_and_start_keeps_it() -> None:
    lab = httplab.start(in_process=True, flaws="mystery")
    try:
        assert isinstance(lab.options.seed, int)
        assert httplab.start(in_process=True, flaws="mystery") is lab
    finally:
        lab.stop()


@pytest.mark.parametrize("flaws", [["put-merge"], ["put-merges", "nope"], "mistery"])
def test_flaws_unknown_id_lists_the_catalogue(flaws: object) -> None:
    with pytest.raises(FlawError) as error:
        httplab.Lab(in_process=True, flaws=flaws)
    message = str(error.value)
    assert "knows no flaw" in message
    assert all(flaw in message for flaw in FLAWS)


def test_flaws_that_hide_each_other_are_refused() -> None:
    with pytest.raises(FlawError, match="only one of"):
        httplab.Lab(in_process=True, flaws=["etag-unquoted", "weak-etag-if-match"])
    assert all(not {"etag-unquoted", "weak-etag-if-match"} <= set(mystery_flaws(s)) for s in range(200))


def test_flaws_bad_seed_is_refused() -> None:
    with pytest.raises(FlawError, match="whole number"):
        httplab.Lab(in_process=True, flaws="mystery", seed="seven")


def test_flaws_board_and_result_html_say_only_server_set_fields_differ() -> None:
    with httplab.Lab(in_process=True, flaws=["put-stamps-updated-at"]) as lab:
        comparison = lab.compare(times=2)
        run = lab.repeat("PUT", ITEM, json={"name": "pear"})
    assert "only server-set fields differ" in comparison._repr_html_()
    assert "only server-set fields differ" in run._repr_html_()
    assert "no: broken" not in run._repr_html_()

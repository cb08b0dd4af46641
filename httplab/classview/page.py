"""The teacher's page: plain HTML bars, a reveal button per prediction, refreshed every 1.5 s; no CDN.

Each page is rendered in the language its request asked for (``Accept-Language``, negotiated in
:mod:`httplab.classview.app`): the HTML's own words here, and the words the page's script puts together as
the summary arrives, sent with the page as JSON. Ids, values and the summary's keys stay as they are.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from httplab.display import theme
from httplab.i18n import translations

__all__ = ["forbidden_page", "page"]

_PAGE = """<!doctype html>
<html lang="@LANG@"><head><meta charset="utf-8"><title>@TITLE@</title>
<style>
:root { @COLOURS@ }
body { font: 15px/1.4 system-ui, sans-serif; margin: 1.5em auto; max-width: 60em; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
.card { border: 1px solid var(--border); border-radius: 6px; padding: .7em 1em; margin: .8em 0; }
.prompt { font-weight: 600; } .meta { color: var(--muted); font-size: .9em; }
.row { display: grid; grid-template-columns: 18em 1fr 3em; gap: .5em; align-items: center; margin: .25em 0; }
.track { background: var(--band); border-radius: 3px; height: 1.3em; }
.bar { background: var(--accent); height: 100%; border-radius: 3px; min-width: 2px; }
.row.observed .bar { background: var(--success); }
.row .note { display: none; } .row.observed .note { display: inline; color: var(--success); white-space: pre; }
button { font: inherit; padding: .2em .8em; } .names { font-size: .85em; color: var(--muted); }
</style></head>
<body>
<h1>@HEADING@</h1>
<p class="meta" id="status">@LOADING@</p>
<p><a href="export.csv">@DOWNLOAD@</a></p>
<h2>@PREDICTIONS@</h2><div id="predictions"><p class="meta">@NO_PREDICTION@</p></div>
<h2>@QUIZ@</h2><div id="quiz"><p class="meta">@NO_QUIZ@</p></div>
<h2>@EXERCISES@</h2><div id="exercises"><p class="meta">@NO_EXERCISE@</p></div>
<script type="application/json" id="page-data">@DATA@</script>
<script>
const DATA = JSON.parse(document.getElementById("page-data").textContent);
const XSRF = DATA.xsrf, T = DATA.texts;
// The plural rule of the page's language, from its catalogue (0 for the first form, 1 for the second).
const PLURAL = n => Number(@PLURAL@);
function esc(s) { const d = document.createElement("div"); d.textContent = String(s); return d.innerHTML; }
function fmt(text, fields) { return text.replace(/\\{(\\w+)\\}/g, (m, k) => k in fields ? String(fields[k]) : m); }
function count(forms, n, fields) { return fmt(forms[Math.min(PLURAL(n), forms.length - 1)], {n, ...fields}); }
function bars(rows, total, observed) {
  return rows.map(([value, text, n]) => {
    const pct = total ? Math.round(100 * n / total) : 0;
    const cls = observed !== null && observed !== undefined && value === observed ? "row observed" : "row";
    return `<div class="${cls}" data-value="${esc(value)}" data-count="${n}"><span class="label">${esc(text)}` +
      `<span class="note">  ${esc(T.observed)}</span></span>` +
      `<div class="track"><div class="bar" style="width:${pct}%"></div></div><span>${n}</span></div>`;
  }).join("");
}
function prediction(p) {
  const rows = p.choices.map(c => [c.value, c.text, p.counts[c.value] || 0]);
  for (const v of Object.keys(p.counts)) if (!p.choices.some(c => c.value === v)) rows.push([v, v, p.counts[v]]);
  const after = p.revealed ? count(T.matched, p.matched, {matched: p.matched, locked: p.locked}) : T.hidden;
  const named = p.names ? Object.entries(p.names).map(([n, a]) => esc(n + ": " + a)).join(" · ") : "";
  const names = named ? `<p class="names">${named}</p>` : "";
  return `<div class="card" data-question="${esc(p.question)}"><div class="prompt">${esc(p.prompt)}</div>` +
    `<p class="meta">${esc(p.question)} · ${esc(count(T.ran, p.demo_runs))} · ${esc(count(T.locked, p.locked))}</p>` +
    bars(rows, p.locked, p.observed) + names +
    `<p class="meta">${esc(after)} <button data-reveal="${esc(p.question)}" data-to="${!p.revealed}">` +
    `${esc(p.revealed ? T.hide : T.reveal)}</button></p></div>`;
}
function quiz(q) {
  const rows = Object.entries(q.counts).sort((a, b) => b[1] - a[1]).map(([v, n]) => [v, v, n]);
  return `<div class="card"><div class="prompt">${esc(q.lesson)} · ${esc(q.question)}</div>` +
    `<p class="meta">${esc(count(T.answered, q.correct, {correct: q.correct, learners: q.learners}))}</p>` +
    bars(rows, q.learners, null) + `</div>`;
}
function exercise(e) {
  return `<div class="card"><div class="prompt">${esc(e.question)}</div>` +
    bars([["passed", T.passed, e.passed], ["not yet", T.not_yet, e.learners - e.passed]], e.learners, null) +
    `</div>`;
}
function fill(id, items, render) {
  if (items.length) document.getElementById(id).innerHTML = items.map(render).join("");
}
async function refresh() {
  try {
    // JupyterHub checks the XSRF token on every cookie-authenticated fetch, GET included (JupyterHub 4.1+).
    const r = await fetch("api/summary", {cache: "no-store", headers: {"X-XSRFToken": XSRF}});
    if (!r.ok) throw new Error(r.status + " " + (await r.text()));
    const s = await r.json();
    fill("predictions", s.predictions, prediction);
    fill("quiz", s.quiz, quiz);
    fill("exercises", s.exercises, exercise);
    document.getElementById("status").textContent = fmt(s.names_shown ? T.status_named : T.status_anonymous, {
      learners: count(T.learners, s.learners), reports: count(T.reports, s.reports),
      time: new Date().toLocaleTimeString(DATA.lang),
    });
  } catch (err) { document.getElementById("status").textContent = fmt(T.failed, {error: err.message}); }
}
document.addEventListener("click", async ev => {
  const b = ev.target.closest("button[data-reveal]"); if (!b) return;
  await fetch("api/reveal", {method: "POST", headers: {"Content-Type": "application/json", "X-XSRFToken": XSRF},
    body: JSON.stringify({question: b.dataset.reveal, revealed: b.dataset.to === "true"})});
  refresh();
});
refresh(); setInterval(refresh, 1500);
</script></body></html>
"""

_COLOURS = {
    "muted": theme.MUTED,
    "border": theme.BORDER,
    "band": theme.BAND,
    "accent": theme.ACCENT,
    "success": theme.SUCCESS,
}

_FORBIDDEN = """<!doctype html>
<html lang="@LANG@"><head><meta charset="utf-8"><title>@TITLE@</title></head>
<body style="font: 15px system-ui, sans-serif; margin: 2em">
<h1>@HEADING@</h1>
<p>@TEXT@</p>
</body></html>
"""

#: What a plural rule may hold, to be written into the page's script: ``n``, numbers, comparisons, ``?:``.
_RULE = re.compile(r"[n0-9\s()<>=!&|?:%]+")


def _fill(template: str, values: dict[str, str]) -> str:
    """Put each value in place of its ``@NAME@`` marker, in one pass (a value's own text is never filled)."""
    return re.sub(r"@([A-Z_]+)@", lambda found: values[found.group(1)], template)


def _plural_rule(code: str) -> str:
    """Return the plural rule of language *code*, as its catalogue states it (English's ``n != 1`` by default)."""
    stated = translations(code).info().get("plural-forms", "")
    found = re.search(r"plural=([^;]+)", stated)
    rule = found.group(1).strip() if found else ""
    return rule if rule and _RULE.fullmatch(rule) else "(n != 1)"


def _script_json(value: Any) -> str:
    """Return *value* as JSON that can sit inside a ``<script>`` element (no ``</script>`` can end it early)."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _texts(code: str) -> dict[str, Any]:
    """Return the words the page's script shows, in language *code* (a plural: its two forms, for 1 and 2)."""
    words = translations(code)
    return {
        # Translators: the class view, after the choice the server's answer matched (the bar turns green).
        "observed": words.gettext("← what the server did"),
        "matched": [
            words.ngettext(
                "{matched} of {locked} predicted what the server did.",
                "{matched} of {locked} predicted what the server did.",
                n,
            )
            for n in (1, 2)
        ],
        "hidden": words.gettext("The answer is hidden until you reveal it."),
        # Translators: {n} learners ran a lesson's demo.
        "ran": [words.ngettext("{n} ran the demo", "{n} ran the demo", n) for n in (1, 2)],
        # Translators: {n} learners locked their prediction in before running the demo.
        "locked": [
            words.ngettext("{n} locked a prediction in first", "{n} locked a prediction in first", n) for n in (1, 2)
        ],
        "hide": words.gettext("Hide the answer"),
        "reveal": words.gettext("Reveal the answer"),
        "answered": [
            words.ngettext(
                "{correct} of {learners} answered right (each learner's latest answer)",
                "{correct} of {learners} answered right (each learner's latest answer)",
                n,
            )
            for n in (1, 2)
        ],
        # Translators: how many learners passed an exercise's checker (a bar's label).
        "passed": words.pgettext("exercise", "passed"),
        # Translators: how many learners have not passed an exercise's checker yet (a bar's label).
        "not_yet": words.pgettext("exercise", "not yet"),
        "learners": [words.ngettext("{n} learner", "{n} learners", n) for n in (1, 2)],
        "reports": [words.ngettext("{n} report", "{n} reports", n) for n in (1, 2)],
        # Translators: {learners} is "3 learners", {reports} is "7 reports", {time} the time of day.
        "status_named": words.gettext("{learners}, {reports} (names shown) — updated {time}"),
        # Translators: {learners} is "3 learners", {reports} is "7 reports", {time} the time of day.
        "status_anonymous": words.gettext("{learners}, {reports} (anonymous) — updated {time}"),
        "failed": words.gettext("Could not refresh: {error}"),
    }


def page(code: str, xsrf: str = "") -> str:
    """Return the teacher's page in language *code*, its fetches carrying the XSRF token *xsrf*."""
    words = translations(code)
    shown = {
        "TITLE": words.gettext("httplab — class view"),
        "HEADING": words.gettext("Class view"),
        "LOADING": words.gettext("Loading…"),
        "DOWNLOAD": words.gettext("Download every report (CSV)"),
        "PREDICTIONS": words.gettext("Predictions"),
        "NO_PREDICTION": words.gettext("No prediction yet."),
        "QUIZ": words.gettext("Quiz answers"),
        "NO_QUIZ": words.gettext("No quiz answer yet."),
        "EXERCISES": words.gettext("Exercises"),
        "NO_EXERCISE": words.gettext("No exercise checked yet."),
    }
    data = {"lang": code, "xsrf": xsrf, "texts": _texts(code)}
    return _fill(
        _PAGE,
        {
            "LANG": html.escape(code),
            "COLOURS": " ".join(f"--{name}: {value};" for name, value in _COLOURS.items()),
            **{key: html.escape(text, quote=False) for key, text in shown.items()},
            "DATA": _script_json(data),
            "PLURAL": _plural_rule(code),
        },
    )


def forbidden_page(code: str, name: str) -> str:
    """Return the page for a hub user *name* who is not a teacher, in language *code*."""
    words = translations(code)
    text = words.gettext(
        "You are logged in as {name}. The class view shows the whole class's answers, so only teachers may "
        "open it. Your own predictions and answers are in your notebook."
    )
    return _fill(
        _FORBIDDEN,
        {
            "LANG": html.escape(code),
            "TITLE": html.escape(words.gettext("httplab — class view"), quote=False),
            # Translators: the title of the page a learner sees when they open the class view.
            "HEADING": html.escape(words.gettext("403 — for teachers only"), quote=False),
            "TEXT": html.escape(text, quote=False).replace("{name}", html.escape(name, quote=True)),
        },
    )

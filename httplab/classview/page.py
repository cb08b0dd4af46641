"""The teacher's page: plain HTML bars, a reveal button per prediction, refreshed every 1.5 s; no CDN."""

from __future__ import annotations

from httplab.display import theme

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>httplab — class view</title>
<style>
:root { @COLOURS }
body { font: 15px/1.4 system-ui, sans-serif; margin: 1.5em auto; max-width: 60em; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
.card { border: 1px solid var(--border); border-radius: 6px; padding: .7em 1em; margin: .8em 0; }
.prompt { font-weight: 600; } .meta { color: var(--muted); font-size: .9em; }
.row { display: grid; grid-template-columns: 18em 1fr 3em; gap: .5em; align-items: center; margin: .25em 0; }
.track { background: var(--band); border-radius: 3px; height: 1.3em; }
.bar { background: var(--accent); height: 100%; border-radius: 3px; min-width: 2px; }
.row.observed .bar { background: var(--success); }
.row.observed .label::after { content: "  ← what the server did"; color: var(--success); }
button { font: inherit; padding: .2em .8em; } .names { font-size: .85em; color: var(--muted); }
</style></head>
<body>
<h1>Class view</h1>
<p class="meta" id="status">Loading…</p>
<p><a href="export.csv">Download every report (CSV)</a></p>
<h2>Predictions</h2><div id="predictions"><p class="meta">No prediction yet.</p></div>
<h2>Quiz answers</h2><div id="quiz"><p class="meta">No quiz answer yet.</p></div>
<h2>Exercises</h2><div id="exercises"><p class="meta">No exercise checked yet.</p></div>
<script>
const XSRF = "{xsrf}";
function esc(s) { const d = document.createElement("div"); d.textContent = String(s); return d.innerHTML; }
function bars(rows, total, observed) {
  return rows.map(([value, text, n]) => {
    const pct = total ? Math.round(100 * n / total) : 0;
    const cls = observed !== null && observed !== undefined && value === observed ? "row observed" : "row";
    return `<div class="${cls}" data-value="${esc(value)}" data-count="${n}"><span class="label">${esc(text)}</span>` +
      `<div class="track"><div class="bar" style="width:${pct}%"></div></div><span>${n}</span></div>`;
  }).join("");
}
function prediction(p) {
  const rows = p.choices.map(c => [c.value, c.text, p.counts[c.value] || 0]);
  for (const v of Object.keys(p.counts)) if (!p.choices.some(c => c.value === v)) rows.push([v, v, p.counts[v]]);
  const after = p.revealed
    ? `${p.matched} of ${p.locked} predicted what the server did.`
    : "The answer is hidden until you reveal it.";
  const named = p.names ? Object.entries(p.names).map(([n, a]) => esc(n + ": " + a)).join(" · ") : "";
  const names = named ? `<p class="names">${named}</p>` : "";
  return `<div class="card" data-question="${esc(p.question)}"><div class="prompt">${esc(p.prompt)}</div>` +
    `<p class="meta">${esc(p.question)} · ${p.demo_runs} ran the demo · ${p.locked} locked a prediction in first</p>` +
    bars(rows, p.locked, p.observed) + names +
    `<p class="meta">${after} <button data-reveal="${esc(p.question)}" data-to="${!p.revealed}">` +
    `${p.revealed ? "Hide the answer" : "Reveal the answer"}</button></p></div>`;
}
function quiz(q) {
  const rows = Object.entries(q.counts).sort((a, b) => b[1] - a[1]).map(([v, n]) => [v, v, n]);
  return `<div class="card"><div class="prompt">${esc(q.lesson)} · ${esc(q.question)}</div>` +
    `<p class="meta">${q.correct} of ${q.learners} answered right (each learner's latest answer)</p>` +
    bars(rows, q.learners, null) + `</div>`;
}
function exercise(e) {
  return `<div class="card"><div class="prompt">${esc(e.question)}</div>` +
    bars([["passed", "passed", e.passed], ["not yet", "not yet", e.learners - e.passed]], e.learners, null) + `</div>`;
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
    document.getElementById("status").textContent =
      `${s.learners} learners, ${s.reports} reports` + (s.names_shown ? " (names shown)" : " (anonymous)") +
      ` — updated ${new Date().toLocaleTimeString()}`;
  } catch (err) { document.getElementById("status").textContent = "Could not refresh: " + err.message; }
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
PAGE = _PAGE.replace("@COLOURS", " ".join(f"--{name}: {value};" for name, value in _COLOURS.items()))

FORBIDDEN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>httplab — class view</title></head>
<body style="font: 15px system-ui, sans-serif; margin: 2em">
<h1>403 — for teachers only</h1>
<p>You are logged in as {name}. The class view shows the whole class's answers, so only teachers may open it.
Your own predictions and answers are in your notebook.</p>
</body></html>
"""

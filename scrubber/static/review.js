// The review page. Served by scrubber/review_server.py from this machine only; no inline script
// (the Content-Security-Policy forbids it), no external resources. Offsets sent to the server count
// Unicode code points, as Python does.
"use strict";
(function () {
  const base = location.pathname.replace(/[^/]*$/, "");
  let state = null;
  let current = null; // the document shown
  let selection = null; // {start, end} of the reader's selection, in code points

  const $ = (id) => document.getElementById(id);
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };

  async function api(path, body) {
    const init = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
    const response = await fetch(base + path, init);
    const data = await response.json();
    if (!response.ok) throw new Error(data.error || response.statusText);
    return data;
  }

  function say(text) { $("message").textContent = text || ""; }

  async function loadState() {
    state = await api("api/state");
    $("progress").textContent = `${state.reviewed} of ${state.documents.length} sampled documents reviewed (of ${state.population} in the dataset) · reviewer: ${state.reviewer}`;
    const list = $("docs");
    list.replaceChildren();
    for (const d of state.documents) {
      const button = el("button", `${d.doc}`);
      button.type = "button";
      button.dataset.position = d.position;
      button.title = `${d.output} #${d.index}; ${d.suspected} suspected`;
      if (d.reviewed) button.classList.add("reviewed");
      if (current && current.position === d.position) button.classList.add("current");
      button.addEventListener("click", () => show(d.position));
      const item = el("li");
      item.appendChild(button);
      list.appendChild(item);
    }
    const types = $("type");
    if (!types.options.length) {
      for (const t of state.entity_types) { const o = el("option", t); o.value = t; types.appendChild(o); }
      types.value = "PERSON";
    }
  }

  function render(doc) {
    const chars = Array.from(doc.text);
    const spans = [];
    doc.leaks.forEach((l, i) => spans.push({ start: l.start, end: l.end, cls: l.decision || "suspect", id: `s${i}` }));
    doc.missed.forEach((m, i) => spans.push({ start: m.start, end: m.end, cls: "missed", id: `m${i}` }));
    const cuts = new Set([0, chars.length]);
    for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
    const points = Array.from(cuts).sort((a, b) => a - b);
    const pre = $("text");
    pre.replaceChildren();
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const piece = chars.slice(a, b).join("");
      const covering = spans.filter((s) => s.start <= a && b <= s.end);
      if (!covering.length) { pre.appendChild(document.createTextNode(piece)); continue; }
      const mark = el("mark", piece, covering.map((s) => s.cls).join(" "));
      mark.dataset.span = covering.map((s) => s.id).join(" ");
      pre.appendChild(mark);
    }
  }

  function decisionButton(label, value, leak) {
    const b = el("button", label);
    b.type = "button";
    b.className = `decide-${value}`;
    b.setAttribute("aria-pressed", String(leak.decision === value));
    b.addEventListener("click", () => decide({ start: leak.start, end: leak.end, decision: value }));
    return b;
  }

  function preview(doc, start, end) { return Array.from(doc.text).slice(start, end).join(""); }

  function fill(doc) {
    current = doc;
    $("title").textContent = `${doc.doc} (${doc.output} #${doc.index})${doc.reviewed ? " · reviewed" : ""}`;
    render(doc);
    const suspects = $("suspects");
    suspects.replaceChildren();
    if (!doc.leaks.length) suspects.appendChild(el("li", "none"));
    doc.leaks.forEach((l, i) => {
      const item = el("li");
      item.id = `suspect-${i}`;
      item.appendChild(el("q", preview(doc, l.start, l.end)));
      item.appendChild(document.createTextNode(` ${l.entity_type}, confidence ${l.confidence} (${l.detector}) `));
      item.appendChild(decisionButton("Leak", "leak", l));
      item.appendChild(decisionButton("Not a leak", "not_leak", l));
      suspects.appendChild(item);
    });
    const missed = $("missed");
    missed.replaceChildren();
    if (!doc.missed.length) missed.appendChild(el("li", "none"));
    for (const m of doc.missed) {
      const item = el("li");
      item.appendChild(el("q", preview(doc, m.start, m.end)));
      item.appendChild(document.createTextNode(` ${m.type} `));
      const remove = el("button", "Remove");
      remove.type = "button";
      remove.className = "withdraw";
      remove.addEventListener("click", () => decide({ start: m.start, end: m.end, decision: "withdrawn" }));
      item.appendChild(remove);
      missed.appendChild(item);
    }
    for (const b of document.querySelectorAll("#docs button")) b.classList.toggle("current", Number(b.dataset.position) === doc.position);
    selection = null;
    $("selection-note").textContent = "";
  }

  async function show(position) {
    say("");
    try { fill(await api(`api/doc/${position}`)); } catch (e) { say(e.message); }
  }

  async function decide(body) {
    say("");
    try {
      fill(await api("api/decision", Object.assign({ position: current.position }, body)));
      await loadState();
    } catch (e) { say(e.message); }
  }

  function codePoints(node, offset) {
    const range = document.createRange();
    range.setStart($("text"), 0);
    range.setEnd(node, offset);
    return Array.from(range.toString()).length;
  }

  document.addEventListener("selectionchange", () => {
    const s = window.getSelection();
    const pre = $("text");
    if (!current || !s.rangeCount || s.isCollapsed) return;
    const r = s.getRangeAt(0);
    if (!pre.contains(r.startContainer) || !pre.contains(r.endContainer)) return;
    let start = codePoints(r.startContainer, r.startOffset);
    let end = codePoints(r.endContainer, r.endOffset);
    const chars = Array.from(current.text);
    while (start < end && /\s/.test(chars[start])) start++;
    while (end > start && /\s/.test(chars[end - 1])) end--;
    if (end <= start) return;
    selection = { start, end };
    $("selection-note").textContent = `selected: “${chars.slice(start, end).join("")}”`;
  });

  $("mark-missed").addEventListener("click", () => {
    if (!selection) { say("Select the identifier in the document first."); return; }
    decide({ start: selection.start, end: selection.end, decision: "missed", type: $("type").value });
  });
  $("done").addEventListener("click", () => decide({ decision: "reviewed" }));
  $("next").addEventListener("click", () => {
    const open = state.documents.find((d) => !d.reviewed && d.position !== current.position) ||
      state.documents[(current.position + 1) % state.documents.length];
    show(open.position);
  });

  loadState().then(() => {
    const first = state.documents.find((d) => !d.reviewed) || state.documents[0];
    if (first) return show(first.position);
    say("The sample is empty.");
  }).catch((e) => say(e.message));
})();

// dyad dashboard: map, weekly series with brushing, filters, dyads, event panel, CSV, live.
// Talks only to this server's /api; every library is vendored (no network needed).
/* global d3, topojson */
"use strict";

(function () {
  const PAGE = 500;
  const QUAD_LABELS = {
    1: "Verbal cooperation",
    2: "Material cooperation",
    3: "Verbal conflict",
    4: "Material conflict",
  };
  const state = {
    events: [],
    nextCursor: null,
    selected: null,
    projection: null,
    generation: 0,
    brushing: false,
  };

  const $ = (sel) => document.querySelector(sel);
  const form = $("#filters");
  const statusEl = $("#status");

  function setStatus(text) {
    statusEl.textContent = text;
  }

  function showError(err) {
    const box = $("#filter-error");
    box.textContent = err ? String(err.message || err) : "";
    box.hidden = !err;
  }

  // ---- API -------------------------------------------------------------------------------

  async function api(path, params) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== undefined && v !== null && v !== "") qs.set(k, v);
    }
    const url = "/api/" + path + (qs.toString() ? "?" + qs : "");
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await res.json().catch(() => null);
    if (!res.ok) {
      const msg = body && body.error ? body.error.message : res.status + " " + res.statusText;
      throw new Error(msg);
    }
    return body;
  }

  // The filters as API parameters. `withDates` false gives the series its undated view.
  function filters(withDates) {
    const f = new FormData(form);
    const p = {};
    if (withDates) {
      p.date_from = f.get("date_from");
      p.date_to = f.get("date_to");
    }
    p.quad_class = f.get("quad_class");
    p.plover_type = f.get("plover_type");
    p.cameo = (f.get("cameo") || "").trim();
    p.country = (f.get("country") || "").trim().toUpperCase();
    const actor = (f.get("actor") || "").trim().toUpperCase();
    if (actor) p[f.get("actor_role") === "target" ? "target" : "source"] = actor;
    return p;
  }

  // ---- helpers ---------------------------------------------------------------------------

  function quadClass(ev) {
    const q = ev.cameo && ev.cameo.quad_class;
    return q >= 1 && q <= 4 ? q : 0;
  }
  function mentions(ev) {
    return ev.num_mentions || 1;
  }
  function actorLabel(a) {
    if (!a) return "—";
    return a.code + (a.name && a.name !== a.code ? " (" + a.name + ")" : "");
  }
  function eventLabel(ev) {
    const c = ev.cameo || {};
    const p = ev.plover && ev.plover.type ? " " + ev.plover.type : "";
    return (c.code || "?") + p;
  }
  function placeLabel(ev) {
    const l = ev.location;
    if (!l) return "—";
    return l.name + (l.country ? ", " + l.country : "");
  }
  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Evidence offsets are UTF-8 byte offsets into the sentence; JS strings index UTF-16 units.
  function byteToUnit(text) {
    const map = new Map();
    let byte = 0;
    let unit = 0;
    for (const ch of text) {
      map.set(byte, unit);
      const cp = ch.codePointAt(0);
      byte += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      unit += ch.length;
    }
    map.set(byte, unit);
    return (b) => (map.has(b) ? map.get(b) : null);
  }

  // The sentence as DOM nodes with trigger, source, target and place marked.
  function highlighted(ev) {
    const evd = ev.evidence || {};
    const text = evd.text || "";
    const conv = byteToUnit(text);
    const spans = [];
    const add = (span, cls, label) => {
      if (!span) return;
      const s = conv(span[0]);
      const e = conv(span[1]);
      if (s === null || e === null || e <= s) return;
      if (spans.some((o) => s < o.e && o.s < e)) return; // first come keeps an overlap
      spans.push({ s, e, cls, label });
    };
    if (evd.trigger) add([evd.trigger.start, evd.trigger.end], "trigger", "trigger");
    add(evd.source_span, "source", "source");
    add(evd.target_span, "target", "target");
    if (ev.location && ev.location.name) {
      const i = text.toLowerCase().indexOf(ev.location.name.toLowerCase());
      if (i >= 0) {
        const s = i;
        const e = i + ev.location.name.length;
        if (!spans.some((o) => s < o.e && o.s < e)) spans.push({ s, e, cls: "place", label: "place" });
      }
    }
    spans.sort((a, b) => a.s - b.s);
    const p = el("p", { class: "sentence", id: "sentence" });
    let at = 0;
    for (const sp of spans) {
      if (sp.s > at) p.append(text.slice(at, sp.s));
      const m = el("mark", { class: sp.cls, "data-role": sp.cls, title: sp.label }, text.slice(sp.s, sp.e));
      const hidden = el("span", { class: "visually-hidden" }, " (" + sp.label + ")");
      m.append(hidden);
      p.append(m);
      at = sp.e;
    }
    if (at < text.length) p.append(text.slice(at));
    return p;
  }

  // ---- map -------------------------------------------------------------------------------

  const MAP_W = 960;
  const MAP_H = 480;

  async function drawBaseMap() {
    const svg = d3.select("#map").attr("viewBox", `0 0 ${MAP_W} ${MAP_H}`);
    const projection = d3.geoNaturalEarth1().fitExtent([[4, 4], [MAP_W - 4, MAP_H - 4]], { type: "Sphere" });
    state.projection = projection;
    const path = d3.geoPath(projection);
    svg.append("path").attr("class", "sphere").attr("d", path({ type: "Sphere" }));
    const world = await fetch("/vendor/countries-110m.json").then((r) => r.json());
    const land = topojson.feature(world, world.objects.countries);
    svg.append("g").attr("class", "countries").attr("aria-hidden", "true")
      .selectAll("path").data(land.features).join("path")
      .attr("class", "land").attr("d", path);
    svg.append("g").attr("class", "events");
  }

  function drawEvents() {
    if (!state.projection) return;
    const located = state.events.filter((e) => e.location && e.location.lat != null && e.location.lon != null);
    const r = d3.scaleSqrt().domain([1, d3.max(located, mentions) || 1]).range([3, 14]);
    const g = d3.select("#map g.events");
    g.selectAll("circle.event")
      .data(located, (d) => d.event_id)
      .join("circle")
      .attr("class", (d) => "event q" + quadClass(d) + (d.fresh ? " fresh" : "") +
        (state.selected === d.event_id ? " selected" : ""))
      .attr("data-id", (d) => d.event_id)
      .attr("tabindex", 0)
      .attr("role", "button")
      .attr("aria-label", (d) => `${d.date || "undated"}: ${actorLabel(d.source)} ${eventLabel(d)} ${actorLabel(d.target)} in ${placeLabel(d)}`)
      .attr("cx", (d) => state.projection([d.location.lon, d.location.lat])[0])
      .attr("cy", (d) => state.projection([d.location.lon, d.location.lat])[1])
      .attr("r", (d) => r(mentions(d)))
      .on("click", (_, d) => selectEvent(d.event_id))
      .on("keydown", (e, d) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); selectEvent(d.event_id); } })
      .sort((a, b) => mentions(b) - mentions(a));
    $("#map-caption").textContent =
      `${located.length} of ${state.events.length} loaded events have a place on the map.`;
  }

  function drawLegend() {
    const ul = $("#legend");
    ul.replaceChildren();
    for (const q of [1, 2, 3, 4]) {
      const li = el("li");
      li.append(el("span", { class: "swatch q" + q, "aria-hidden": "true" }), `${q} ${QUAD_LABELS[q]}`);
      ul.append(li);
    }
  }

  // ---- weekly series with brush ------------------------------------------------------------

  function weekStart(key) {
    // The API gives weeks as the Monday's date, YYYY-MM-DD.
    const d = new Date(key + "T00:00:00Z");
    return isNaN(d) ? null : d;
  }
  const iso = (d) => d.toISOString().slice(0, 10);

  let brush = null;
  let seriesX = null;

  async function drawSeries() {
    const body = await api("counts", { ...filters(false), group_by: "week" });
    const rows = (body.rows || [])
      .map((r) => ({ week: weekStart(r.week), events: r.count }))
      .filter((r) => r.week)
      .sort((a, b) => a.week - b.week);
    const svgEl = $("#series");
    const W = svgEl.clientWidth || 600;
    const H = 150;
    const m = { top: 8, right: 12, bottom: 22, left: 36 };
    const svg = d3.select(svgEl).attr("viewBox", `0 0 ${W} ${H}`);
    svg.selectAll("*").remove();
    if (!rows.length) {
      $("#series-summary").textContent = "No events to chart.";
      svg.append("text").attr("x", W / 2).attr("y", H / 2).attr("text-anchor", "middle").text("No events");
      return;
    }
    const week = 7 * 864e5;
    const x = d3.scaleUtc()
      .domain([rows[0].week, new Date(+rows[rows.length - 1].week + week)])
      .range([m.left, W - m.right]);
    seriesX = x;
    const y = d3.scaleLinear().domain([0, d3.max(rows, (r) => r.events)]).nice().range([H - m.bottom, m.top]);
    svg.append("g").attr("class", "bars").selectAll("rect").data(rows).join("rect")
      .attr("class", "bar")
      .attr("x", (r) => x(r.week) + 0.5)
      .attr("width", (r) => Math.max(1, x(new Date(+r.week + week)) - x(r.week) - 1))
      .attr("y", (r) => y(r.events))
      .attr("height", (r) => y(0) - y(r.events))
      .append("title").text((r) => `week of ${iso(r.week)}: ${r.events} events`);
    svg.append("g").attr("class", "axis").attr("transform", `translate(0,${H - m.bottom})`)
      .call(d3.axisBottom(x).ticks(d3.utcMonday.every(Math.max(1, Math.ceil(rows.length / Math.max(2, Math.floor(W / 90))))))
        .tickFormat(d3.utcFormat("%b %d")));
    svg.append("g").attr("class", "axis").attr("transform", `translate(${m.left},0)`)
      .call(d3.axisLeft(y).ticks(4));
    const total = d3.sum(rows, (r) => r.events);
    $("#series-summary").textContent =
      `${total} events over ${rows.length} weeks, from ${iso(rows[0].week)} to ${iso(rows[rows.length - 1].week)}.`;

    brush = d3.brushX().extent([[m.left, m.top], [W - m.right, H - m.bottom]]).on("end", brushed);
    const gb = svg.append("g").attr("class", "brush").call(brush);
    // Show the current date filter as the brush selection.
    const f = new FormData(form);
    const from = f.get("date_from");
    const to = f.get("date_to");
    if (from && to) {
      state.brushing = true;
      gb.call(brush.move, [x(new Date(from + "T00:00:00Z")), x(new Date(+new Date(to + "T00:00:00Z") + 864e5))]);
      state.brushing = false;
    }
  }

  function brushed(event) {
    if (state.brushing || !event.sourceEvent) return;
    if (!event.selection) {
      form.elements.date_from.value = "";
      form.elements.date_to.value = "";
    } else {
      const [a, b] = event.selection.map(seriesX.invert);
      form.elements.date_from.value = iso(a);
      // The selection's right edge is exclusive: the last day is the one before it.
      form.elements.date_to.value = iso(new Date(Math.max(+a, +b - 864e5)));
    }
    loadView({ series: false });
  }

  // ---- events table ----------------------------------------------------------------------

  function renderTable() {
    const tbody = $("#events tbody");
    tbody.replaceChildren();
    for (const ev of state.events) {
      const tr = el("tr", { tabindex: "0", "data-id": ev.event_id, "data-date": ev.date || "" });
      if (ev.fresh) tr.classList.add("fresh");
      if (state.selected === ev.event_id) tr.classList.add("selected");
      tr.append(
        el("td", {}, ev.date || "—"),
        el("td", { class: "code" }, ev.source ? ev.source.code : "—"),
        el("td", {}, eventLabel(ev)),
        el("td", { class: "code" }, ev.target ? ev.target.code : "—"),
        el("td", {}, placeLabel(ev)),
        el("td", {}, String(mentions(ev))),
      );
      tr.addEventListener("click", () => selectEvent(ev.event_id));
      tr.addEventListener("keydown", (e) => { if (e.key === "Enter") selectEvent(ev.event_id); });
      tbody.append(tr);
    }
    $("#events-caption").textContent = `Events in the current view: ${state.events.length} loaded`;
    $("#more").hidden = !state.nextCursor;
  }

  async function loadEvents(gen, append) {
    const params = { ...filters(true), limit: PAGE };
    if (append) params.cursor = state.nextCursor;
    const body = await api("events", params);
    if (gen !== state.generation) return;
    state.events = append ? state.events.concat(body.events) : body.events;
    state.nextCursor = body.next_cursor || null;
    renderTable();
    drawEvents();
  }

  async function loadDyads(gen) {
    const body = await api("dyads", { ...filters(true), limit: 50 });
    if (gen !== state.generation) return;
    const tbody = $("#dyads tbody");
    tbody.replaceChildren();
    for (const d of body.dyads || []) {
      const g = d.goldstein_mean;
      const tr = el("tr");
      tbody.append(tr);
      tr.append(
        el("td", { class: "code" }, d.source || "—"),
        el("td", { class: "code" }, d.target || "—"),
        el("td", {}, String(d.count)),
        el("td", {}, g === null || g === undefined ? "—" : Number(g).toFixed(1)),
      );
    }
  }

  async function loadView(opts) {
    const gen = ++state.generation;
    showError(null);
    setStatus("Loading…");
    try {
      const tasks = [loadEvents(gen, false), loadDyads(gen)];
      if (!opts || opts.series !== false) tasks.push(drawSeries());
      await Promise.all(tasks);
      if (gen === state.generation) {
        setStatus(`${state.events.length} events shown${state.nextCursor ? " (more available)" : ""}.`);
        document.body.dataset.ready = String(gen);
      }
    } catch (err) {
      if (gen === state.generation) {
        showError(err);
        setStatus("Could not load: " + err.message);
        document.body.dataset.ready = String(gen);
      }
    }
  }

  // ---- event panel -----------------------------------------------------------------------

  async function selectEvent(id) {
    state.selected = id;
    d3.selectAll("#map circle.event").classed("selected", (d) => d.event_id === id);
    document.querySelectorAll("#events tbody tr").forEach((tr) => tr.classList.toggle("selected", tr.dataset.id === id));
    const box = $("#event-detail");
    box.replaceChildren(el("p", { class: "hint" }, "Loading event…"));
    try {
      const body = await api("events/" + encodeURIComponent(id));
      if (state.selected !== id) return;
      renderEvent(body);
      $("#event-title").focus();
    } catch (err) {
      box.replaceChildren(el("p", { class: "error", role: "alert" }, "Could not load the event: " + err.message));
    }
  }

  function renderEvent(body) {
    const ev = body.event;
    const box = $("#event-detail");
    box.replaceChildren();
    box.dataset.id = ev.event_id;
    const legend = el("div", { class: "marks-legend", "aria-hidden": "true" });
    for (const [cls, label] of [["trigger", "trigger"], ["source", "source"], ["target", "target"], ["place", "place"]]) {
      legend.append(el("mark", { class: cls }, label));
    }
    box.append(legend, highlighted(ev));
    const dl = el("dl", { class: "codes" });
    const row = (k, v) => dl.append(el("dt", {}, k), el("dd", {}, v));
    const c = ev.cameo || {};
    row("Date", `${ev.date || "unknown"}${ev.date_precision ? " (" + ev.date_precision + ")" : ""}`);
    row("Source", actorLabel(ev.source));
    row("Target", actorLabel(ev.target));
    row("CAMEO", `${c.code} (root ${c.root}), QuadClass ${c.quad_class} ${QUAD_LABELS[c.quad_class] || ""}, Goldstein ${c.goldstein}`);
    const pl = ev.plover || {};
    row("PLOVER", [pl.type, pl.mode, (pl.contexts || []).join(", ")].filter(Boolean).join(" · ") || "—");
    const ac = ev.acled || {};
    row("ACLED", [ac.event_type, ac.sub_event_type].filter(Boolean).join(" › ") || "—");
    row("Place", ev.location ? `${placeLabel(ev)}${ev.location.admin1 ? " (" + ev.location.admin1 + ")" : ""}, ${ev.location.precision}` : "—");
    if (ev.fatalities !== null && ev.fatalities !== undefined) row("Fatalities", String(ev.fatalities));
    row("Rule", (ev.evidence && ev.evidence.rule) || "—");
    row("Mentions", String(ev.num_mentions || (body.mentions || []).length || 1));
    box.append(dl);
    const ms = body.mentions || [];
    if (ms.length) {
      // the API gives the mentions a page at a time: the first page is shown
      const total = Math.max(ev.num_mentions || 0, ms.length);
      const shown = body.next_mentions_offset ? `, the first ${ms.length} shown` : "";
      box.append(el("h3", { class: "hint" }, `Reported in ${total} mention${total > 1 ? "s" : ""}${shown}`));
      const ul = el("ul", { class: "mentions" });
      for (const m of ms) {
        const li = el("li");
        const head = [m.article_source, m.date, m.article_title].filter(Boolean).join(" · ") || m.article_id;
        li.append(el("strong", {}, head), el("br"), `${m.article_id}, sentence ${m.sentence}: `);
        if (m.evidence && m.evidence.text) li.append(el("q", {}, m.evidence.text));
        if (m.reason) li.append(el("br"), el("small", { class: "hint" }, "Merged: " + m.reason));
        ul.append(li);
      }
      box.append(ul);
    }
  }

  // ---- CSV -------------------------------------------------------------------------------

  const CSV_COLUMNS = [
    ["event_id", (e) => e.event_id], ["date", (e) => e.date], ["article_id", (e) => e.article_id],
    ["sentence", (e) => e.sentence],
    ["source_code", (e) => e.source && e.source.code], ["source_name", (e) => e.source && e.source.name],
    ["target_code", (e) => e.target && e.target.code], ["target_name", (e) => e.target && e.target.name],
    ["cameo_code", (e) => e.cameo.code], ["cameo_root", (e) => e.cameo.root],
    ["quad_class", (e) => e.cameo.quad_class], ["goldstein", (e) => e.cameo.goldstein],
    ["plover_type", (e) => e.plover && e.plover.type], ["plover_mode", (e) => e.plover && e.plover.mode],
    ["acled_event_type", (e) => e.acled && e.acled.event_type],
    ["acled_sub_event_type", (e) => e.acled && e.acled.sub_event_type],
    ["location", (e) => e.location && e.location.name], ["country", (e) => e.location && e.location.country],
    ["admin1", (e) => e.location && e.location.admin1], ["lat", (e) => e.location && e.location.lat],
    ["lon", (e) => e.location && e.location.lon], ["fatalities", (e) => e.fatalities],
    ["num_mentions", (e) => e.num_mentions], ["evidence", (e) => e.evidence && e.evidence.text],
  ];

  function csvCell(v) {
    if (v === null || v === undefined) return "";
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s) && typeof v === "string") s = "'" + s; // no formulas in spreadsheets
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  async function downloadCsv() {
    setStatus("Preparing CSV…");
    try {
      // The whole view, not just the loaded page: follow the cursor (capped).
      let events = state.events.slice();
      let cursor = state.nextCursor;
      while (cursor && events.length < 100000) {
        const body = await api("events", { ...filters(true), limit: 1000, cursor });
        events = events.concat(body.events);
        cursor = body.next_cursor;
      }
      const lines = [CSV_COLUMNS.map((c) => c[0]).join(",")];
      for (const e of events) lines.push(CSV_COLUMNS.map((c) => csvCell(c[1](e))).join(","));
      const blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv" });
      const a = el("a", { href: URL.createObjectURL(blob), download: "dyad-events.csv" });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      setStatus(`CSV of ${events.length} events downloaded.`);
    } catch (err) {
      setStatus("Could not build the CSV: " + err.message);
    }
  }

  // ---- live updates ----------------------------------------------------------------------

  function live() {
    if (!window.EventSource) return;
    const es = new EventSource("/api/stream");
    es.addEventListener("open", () => { $("#live").hidden = false; });
    es.addEventListener("error", () => { $("#live").hidden = true; });
    es.addEventListener("events", (msg) => {
      let batch;
      try { batch = JSON.parse(msg.data); } catch (_) { return; }
      const fresh = (batch.events || []).map((e) => Object.assign(e, { fresh: true }));
      if (!fresh.length) return;
      const known = new Set(state.events.map((e) => e.event_id));
      state.events = fresh.filter((e) => !known.has(e.event_id)).concat(state.events);
      renderTable();
      drawEvents();
      setStatus(`${fresh.length} new events from ${batch.file || "the watched folder"}.`);
      clearTimeout(live.timer);
      live.timer = setTimeout(() => { drawSeries().catch(() => {}); loadDyads(state.generation).catch(() => {}); }, 500);
    });
  }

  // ---- start -----------------------------------------------------------------------------

  async function fillLists() {
    try {
      const [actors, countries] = await Promise.all([
        api("actors", { limit: 300 }),
        api("counts", { group_by: "country" }),
      ]);
      const al = $("#actors");
      for (const a of actors.actors || []) al.append(el("option", { value: a.code }, a.name || a.code));
      const cl = $("#countries");
      for (const r of countries.rows || []) if (r.country) cl.append(el("option", { value: r.country }));
    } catch (_) { /* lists are a convenience */ }
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const cameo = form.elements.cameo.value.trim();
    if (cameo && !/^[0-9]{1,4}$/.test(cameo)) {
      showError(new Error("CAMEO must be 1 to 4 digits."));
      return;
    }
    loadView();
  });
  form.addEventListener("reset", () => setTimeout(() => loadView(), 0));
  $("#csv").addEventListener("click", downloadCsv);
  $("#more").addEventListener("click", () => loadEvents(state.generation, true).catch(showError));
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => drawSeries().catch(() => {}), 200);
  });

  drawLegend();
  drawBaseMap()
    .catch((err) => setStatus("Could not draw the map: " + err.message))
    .then(() => loadView());
  fillLists();
  live();
})();

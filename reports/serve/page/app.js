// The chart page: picks a chart of the published results and shows it,
// with its table, its methods line and the provenance. Plain JavaScript,
// no libraries; every number comes from the server.
"use strict";

const TEXT = {
  da: {
    title: "rcteval – figurer", results: "Resultater", chart: "Figur", outcome: "Udfald",
    weeks: "Uger siden visitation", from: "fra", to: "til", week: "Uge",
    ci: "Vis konfidensintervaller", band: "Vis samtidigt bånd", size: "Størrelse (cm)",
    width: "bredde", height: "højde", download_chart: "Hent figuren", table: "Tabellen bag figuren",
    copy: "Kopiér", copied: "Kopieret – indsæt i Excel eller Word", copy_failed: "Kunne ikke kopiere",
    show_table: "Vis tabellen", source: "Kilde", methods: "Metode", loading: "Henter …",
    footer: "Siden viser kun offentliggjorte resultater, der har været gennem diskretionering. Den kører på din egen computer og henter intet fra nettet.",
    no_results: "Der er ingen resultater at vise.", bytes: "byte",
    bad_weeks: "Ugerne skal ligge mellem %a og %b, og den første kan ikke komme efter den sidste.",
    bad_size: "Bredden skal ligge mellem 4 og 60 cm og højden mellem 3 og 60 cm.",
    same_chart: "Samme figur fra kommandolinjen",
    undisclosed: "Disse resultater er lavet uden diskretionering (--min-cell 0). Del hverken siden eller dens figurer.",
    role: { assignment: "lodtrækning", weeks: "ugedata", hours: "timer", spec: "analyseplan" },
  },
  en: {
    title: "rcteval – charts", results: "Results", chart: "Chart", outcome: "Outcome",
    weeks: "Weeks since randomisation", from: "from", to: "to", week: "Week",
    ci: "Show confidence intervals", band: "Show simultaneous band", size: "Size (cm)",
    width: "width", height: "height", download_chart: "Download the chart", table: "The table behind the chart",
    copy: "Copy", copied: "Copied – paste into Excel or Word", copy_failed: "Could not copy",
    show_table: "Show the table", source: "Source", methods: "Methods", loading: "Loading …",
    footer: "This page shows only published results that have passed disclosure control. It runs on your own computer and fetches nothing from the internet.",
    no_results: "There are no results to show.", bytes: "bytes",
    bad_weeks: "The weeks must lie between %a and %b, and the first cannot come after the last.",
    bad_size: "The width must lie between 4 and 60 cm and the height between 3 and 60 cm.",
    same_chart: "The same chart from the command line",
    undisclosed: "These results were made without disclosure control (--min-cell 0). Share neither the page nor its charts.",
    role: { assignment: "assignment", weeks: "weekly data", hours: "hours", spec: "analysis spec" },
  },
};

const $ = (id) => document.getElementById(id);
const state = { lang: "da", set: "", chart: "", outcome: "", from: "", to: "", week: "", ci: true, band: true, width: "", height: "" };
let sets = [];
let imageURL = null;
let renderTimer = null;
let generation = 0;

function t(key) { return TEXT[state.lang][key] || key; }

function readHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  for (const k of Object.keys(state)) {
    if (!h.has(k)) continue;
    const v = h.get(k);
    state[k] = typeof state[k] === "boolean" ? v !== "0" : v;
  }
  if (!TEXT[state.lang]) state.lang = "da";
}

function writeHash() {
  const h = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) {
    if (v === "" || v === null) continue;
    h.set(k, typeof v === "boolean" ? (v ? "1" : "0") : v);
  }
  history.replaceState(null, "", "#" + h.toString());
}

function currentSet() { return sets.find((s) => s.id === state.set) || sets[0]; }
function currentChart() {
  const s = currentSet();
  return s && (s.charts.find((c) => c.name === state.chart) || s.charts[0]);
}

function option(select, value, label) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  select.appendChild(o);
}

function fillControls() {
  const sel = $("set");
  sel.replaceChildren();
  for (const s of sets) option(sel, s.id, s.id + " – " + s.brief.kind);
  $("set-row").hidden = sets.length < 2;
  const s = currentSet();
  state.set = s.id;
  sel.value = s.id;

  const charts = $("chart");
  charts.replaceChildren();
  for (const c of s.charts) option(charts, c.name, c.description);
  const c = currentChart();
  state.chart = c.name;
  charts.value = c.name;
  $("chart-desc").textContent = c.description; // in full: the closed list may cut it

  const outcomes = $("outcome");
  outcomes.replaceChildren();
  for (const name of c.outcomes) {
    const o = s.outcomes.find((x) => x.name === name);
    option(outcomes, name, o ? o.title : name);
  }
  $("outcome-row").hidden = c.outcomes.length === 0;
  if (c.outcomes.length > 0) {
    if (!c.outcomes.includes(state.outcome)) state.outcome = c.outcomes[0];
    outcomes.value = state.outcome;
  }

  $("weeks-row").hidden = !c.weekly;
  $("ci-row").hidden = $("band-row").hidden = !c.weekly;
  fillWeeks(c);
  for (const k of ["from", "to"]) {
    const input = $(k);
    input.min = s.weeks[0];
    input.max = s.weeks[1];
    input.placeholder = k === "from" ? s.weeks[0] : s.weeks[1];
    input.value = state[k];
  }
  $("ci").checked = state.ci;
  $("band").checked = state.band;
  $("width").value = state.width;
  $("height").value = state.height;
}

// fillWeeks offers a forest plot's weeks (the landmarks with subgroup
// effects), the last by default.
function fillWeeks(c) {
  const weeks = (c.weeks && c.weeks[state.outcome]) || [];
  $("week-row").hidden = weeks.length === 0;
  const sel = $("week");
  sel.replaceChildren();
  for (const w of weeks) option(sel, String(w), String(w));
  if (!weeks.map(String).includes(state.week)) state.week = weeks.length ? String(weeks[weeks.length - 1]) : "";
  sel.value = state.week;
}

function translate() {
  document.documentElement.lang = state.lang;
  document.title = t("title");
  $("page-title").textContent = t("title");
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  for (const b of document.querySelectorAll(".langs button")) b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang));
}

function showBrief() {
  const s = currentSet();
  const b = s.brief;
  const box = $("brief");
  box.replaceChildren();
  const h = document.createElement("h2");
  h.textContent = b.title;
  const kind = document.createElement("p");
  kind.className = "kind";
  kind.textContent = b.kind;
  const dl = document.createElement("dl");
  for (const f of b.facts) {
    const dt = document.createElement("dt");
    dt.textContent = f.Term;
    const dd = document.createElement("dd");
    dd.textContent = f.Text;
    dl.append(dt, dd);
  }
  box.append(h, kind, dl);
  if (b.headline && b.headline.length) {
    const ul = document.createElement("ul");
    ul.id = "headline";
    for (const line of b.headline) {
      const li = document.createElement("li");
      li.textContent = line;
      ul.appendChild(li);
    }
    box.appendChild(ul);
  }
  if (b.criteria) {
    const p = document.createElement("p");
    p.id = "criteria";
    p.textContent = b.criteria;
    box.appendChild(p);
  }
  if (b.warning) {
    const w = document.createElement("p");
    w.className = "warning";
    w.textContent = b.warning;
    box.appendChild(w);
  }
  $("undisclosed").textContent = t("undisclosed");
  $("undisclosed").hidden = s.min_cell > 0;
  $("methods").textContent = b.methods;
  const prov = $("provenance");
  prov.replaceChildren(t("source") + ": rcteval " + b.version);
  for (const f of s.inputs) {
    const span = document.createElement("span");
    span.title = f.sha256;
    span.textContent = " · " + (t("role")[f.role] || f.role) + " " + f.file + ", SHA-256 " + f.sha256.slice(0, 16) + "…, " + f.bytes.toLocaleString(state.lang === "da" ? "da-DK" : "en-GB") + " " + t("bytes");
    prov.appendChild(span);
  }
}

// query is the chart's parameters for /api/chart and /api/table.
function query(format, download) {
  const c = currentChart();
  const q = new URLSearchParams({ set: state.set, chart: c.name, lang: state.lang });
  if (c.outcomes.length) q.set("outcome", state.outcome);
  if (c.weekly) {
    if (state.from !== "") q.set("from", state.from);
    if (state.to !== "") q.set("to", state.to);
    q.set("ci", state.ci ? "1" : "0");
    q.set("band", state.band ? "1" : "0");
  }
  if (c.weeks && state.week !== "") q.set("week", state.week);
  if (state.width !== "") q.set("width", state.width);
  if (state.height !== "") q.set("height", state.height);
  q.set("format", format);
  if (download) q.set("download", "1");
  return q.toString();
}

function showError(msg) {
  const e = $("error");
  e.textContent = msg;
  e.hidden = !msg;
}

// problem is what is wrong with the choices, in the page's language, or "".
function problem() {
  const s = currentSet();
  const c = currentChart();
  const num = (v) => (v === "" ? null : Number(v));
  const from = num(state.from), to = num(state.to);
  const weekOK = (w) => w === null || (Number.isInteger(w) && w >= s.weeks[0] && w <= s.weeks[1]);
  if (c.weekly && (!weekOK(from) || !weekOK(to) || (from !== null && to !== null && from > to))) {
    return t("bad_weeks").replace("%a", s.weeks[0]).replace("%b", s.weeks[1]);
  }
  const w = num(state.width), h = num(state.height);
  if ((w !== null && !(w >= 4 && w <= 60)) || (h !== null && !(h >= 3 && h <= 60))) return t("bad_size");
  return "";
}

// command is the rcteval chart command that draws the same chart.
function command() {
  const c = currentChart();
  const dir = currentSet().dir;
  const parts = ["rcteval chart", c.name, "--results", /[\s"']/.test(dir) ? '"' + dir + '"' : dir];
  if (c.outcomes.length) parts.push("--outcome", state.outcome);
  if (c.weekly && (state.from !== "" || state.to !== "")) parts.push("--week-range", state.from + ":" + state.to);
  if (c.weekly && !state.ci) parts.push("--hide-ci");
  if (c.weekly && !state.band) parts.push("--hide-band");
  if (c.weeks && state.week !== "") parts.push("--week", state.week);
  if (state.width !== "") parts.push("--width", state.width);
  if (state.height !== "") parts.push("--height", state.height);
  parts.push("--lang", state.lang);
  return parts.join(" ");
}

async function render() {
  writeHash();
  const mine = ++generation;
  const wrong = problem();
  if (wrong) {
    showError(wrong);
    $("figure").hidden = true;
    return;
  }
  $("command").textContent = t("same_chart") + ": " + command();
  for (const f of ["png", "svg", "pdf"]) $("get-" + f).href = "/api/chart?" + query(f, true);
  for (const f of ["csv", "xlsx"]) $("get-" + f).href = "/api/table?" + query(f, true);
  const [img, table] = await Promise.all([fetch("/api/chart?" + query("svg", false)), fetch("/api/table?" + query("tsv", false))]);
  if (mine !== generation) return; // a newer choice is on its way
  if (!img.ok) {
    showError(await img.text());
    $("figure").hidden = true;
    return;
  }
  showError("");
  $("figure").hidden = false;
  const blob = await img.blob();
  if (imageURL) URL.revokeObjectURL(imageURL);
  imageURL = URL.createObjectURL(blob);
  const el = $("chart-img");
  el.src = imageURL;
  el.alt = $("chart").selectedOptions[0] ? $("chart").selectedOptions[0].textContent : "";
  showTable(table.ok ? await table.text() : "");
}

function showTable(tsv) {
  const box = $("table");
  box.replaceChildren();
  box.dataset.tsv = tsv;
  if (!tsv) return;
  const table = document.createElement("table");
  tsv.trimEnd().split("\n").forEach((line, i) => {
    const tr = document.createElement("tr");
    for (const cell of line.split("\t")) {
      const td = document.createElement(i === 0 ? "th" : "td");
      td.textContent = cell;
      tr.appendChild(td);
    }
    table.appendChild(tr);
  });
  box.appendChild(table);
}

function later() {
  clearTimeout(renderTimer);
  renderTimer = setTimeout(render, 250);
}

async function loadSets() {
  const r = await fetch("/api/sets?lang=" + state.lang);
  if (!r.ok) {
    showError(await r.text());
    return false;
  }
  sets = (await r.json()).sets || [];
  if (!sets.length) {
    showError(t("no_results"));
    return false;
  }
  return true;
}

async function setLang(lang) {
  state.lang = lang;
  translate();
  if (await loadSets()) {
    fillControls();
    showBrief();
    render();
  }
}

async function copyTable() {
  const tsv = $("table").dataset.tsv || "";
  let ok = false;
  try {
    await navigator.clipboard.writeText(tsv);
    ok = true;
  } catch (_) {
    const area = document.createElement("textarea");
    area.value = tsv;
    document.body.appendChild(area);
    area.select();
    ok = document.execCommand("copy");
    area.remove();
  }
  $("copied").textContent = ok ? t("copied") : t("copy_failed");
  setTimeout(() => { $("copied").textContent = ""; }, 4000);
}

function wire() {
  for (const b of document.querySelectorAll(".langs button")) b.addEventListener("click", () => setLang(b.dataset.lang));
  $("set").addEventListener("change", (e) => { state.set = e.target.value; fillControls(); showBrief(); render(); });
  $("chart").addEventListener("change", (e) => { state.chart = e.target.value; fillControls(); render(); });
  $("outcome").addEventListener("change", (e) => { state.outcome = e.target.value; fillWeeks(currentChart()); render(); });
  $("week").addEventListener("change", (e) => { state.week = e.target.value; render(); });
  for (const k of ["from", "to", "width", "height"]) $(k).addEventListener("input", (e) => { state[k] = e.target.value.trim(); later(); });
  for (const k of ["ci", "band"]) $(k).addEventListener("change", (e) => { state[k] = e.target.checked; render(); });
  $("copy-table").addEventListener("click", copyTable);
  $("controls").addEventListener("submit", (e) => e.preventDefault());
}

readHash();
wire();
setLang(state.lang);

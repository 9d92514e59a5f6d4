// Inventory explorer: filters, search, counts, URL state and CSV over the published inventory.
// Data: _static/inventory/explorer.json.gz (columnar, see scripts/explorer/data.py).
import { TabulatorFull as Tabulator } from "../vendor/tabulator-tables/js/tabulator_esm.min.mjs";

const FILTERS = [
  ["provider", "CI provider"],
  ["action", "Action"],
  ["pin", "Pinned to"],
  ["secret", "Secret name"],
  ["trigger", "Trigger"],
  ["schedule", "Schedule"],
  ["runner", "Runner"],
  ["finding", "Finding"],
];
const ANY = "__any";
const NONE = "__none";
const SPECIAL = { schedule: true, finding: true }; // offer "any" and "none"

async function load(url) {
  const resp = await fetch(url);
  if (!resp.ok) throw new Error(`${url}: HTTP ${resp.status}`);
  const buf = new Uint8Array(await resp.arrayBuffer());
  // Some servers send .gz with Content-Encoding and the browser has already inflated it.
  let bytes = buf;
  if (buf[0] === 0x1f && buf[1] === 0x8b) {
    const stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip"));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  return JSON.parse(new TextDecoder().decode(bytes));
}

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  e.append(...kids);
  return e;
}

function names(codes, dict) {
  return codes.map((c) => dict[c]);
}

function actionNames(codes, data) {
  return codes.map((c) => `${data.dims.action[c >> 3]} (${data.pins[c & 7]})`);
}

function buildRows(data) {
  const c = data.cols;
  const d = data.dims;
  const rows = new Array(data.count);
  for (let i = 0; i < data.count; i++) {
    rows[i] = {
      i,
      name: c.name[i],
      providers: names(c.provider[i], d.provider).join(", "),
      workflows: c.workflows[i],
      actions: c.action[i].length,
      secrets: c.secret[i].length,
      schedules: c.schedule[i].length,
      findings: c.nfind[i],
      worst: c.worst[i],
    };
  }
  return rows;
}

function readState() {
  const q = new URLSearchParams(location.search);
  // "repo", not "q": Sphinx's searchtools.js runs a site search on any page with ?q=.
  const state = { repo: q.get("repo") || "", sort: q.get("sort") || "" };
  for (const [key] of FILTERS) state[key] = q.get(key) || "";
  return state;
}

function writeState(state) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) if (v) q.set(k, v);
  const search = q.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

// Which repositories pass each filter: one pass; counts per value exclude the value's own filter.
function evaluate(data, state, lower) {
  const c = data.cols;
  const n = data.count;
  const pass = new Uint8Array(n);
  const wanted = {};
  for (const [key] of FILTERS) {
    const v = state[key];
    if (!v || v === ANY || v === NONE) wanted[key] = v;
    else if (key === "pin") wanted[key] = data.pins.indexOf(v);
    else {
      const idx = data.dims[key].indexOf(v);
      wanted[key] = idx < 0 ? -2 : idx; // -2: a value not in the data matches nothing
    }
  }
  const counts = {};
  for (const [key] of FILTERS) counts[key] = new Uint32Array(key === "pin" ? data.pins.length : data.dims[key].length);
  const specials = { schedule: [0, 0], finding: [0, 0] };
  const q = state.repo.toLowerCase();
  const act = wanted.action;
  const pin = wanted.pin;
  const plain = ["provider", "secret", "trigger", "runner", "schedule", "finding"];
  const active = plain.filter((k) => wanted[k] !== "");
  const activeCols = active.map((k) => c[k]);
  const activeWant = active.map((k) => wanted[k]);
  const plainCols = plain.map((k) => c[k]);
  const plainCounts = plain.map((k) => counts[k]);
  const actions = c.action;
  const useAction = act !== "" || pin !== "";
  let shown = 0;
  for (let i = 0; i < n; i++) {
    if (q && !lower[i].includes(q)) continue;
    let fails = 0;
    let failed = "";
    for (let k = 0; k < active.length; k++) {
      const w = activeWant[k];
      const arr = activeCols[k][i];
      if (w === ANY ? arr.length === 0 : w === NONE ? arr.length > 0 : !arr.includes(w)) {
        fails++;
        failed = active[k];
      }
    }
    // action and pin filter the same occurrence: an action used with that pinning.
    if (useAction) {
      const arr = actions[i];
      let hit = false;
      for (let j = 0; j < arr.length && !hit; j++) {
        const code = arr[j];
        hit = (act === "" || code >> 3 === act) && (pin === "" || (code & 7) === pin);
      }
      if (!hit) {
        fails += act !== "" && pin !== "" ? 2 : 1; // both involved: no single filter to blame
        failed = act !== "" ? "action" : "pin";
      }
    }
    if (fails === 0) {
      pass[i] = 1;
      shown++;
    } else if (fails > 1) continue;
    for (let k = 0; k < plain.length; k++) {
      const key = plain[k];
      if (fails === 1 && failed !== key) continue;
      const arr = plainCols[k][i];
      const cnt = plainCounts[k];
      for (let j = 0; j < arr.length; j++) cnt[arr[j]]++;
      if (key === "schedule" || key === "finding") specials[key][arr.length ? 0 : 1]++;
    }
    if (fails === 0 || failed === "pin") {
      const cnt = counts.pin;
      let seen = 0;
      for (const code of actions[i]) if (act === "" || code >> 3 === act) seen |= 1 << (code & 7);
      for (let b = 0; b < 8; b++) if (seen & (1 << b)) cnt[b]++;
    }
    if (fails === 0 || failed === "action") {
      const cnt = counts.action;
      let prev = -1;
      for (const code of actions[i]) {
        const a = code >> 3;
        if (a !== prev && (pin === "" || (code & 7) === pin)) {
          cnt[a]++;
          prev = a;
        }
      }
    }
  }
  return { pass, shown, counts, specials };
}

function csvCell(v) {
  const s = String(v ?? "");
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toCSV(data, rows) {
  const c = data.cols;
  const d = data.dims;
  const head = ["repository", "commit", "ci_providers", "workflows", "actions", "secrets",
    "triggers", "schedules", "runners", "findings", "finding_count", "worst_severity"];
  const lines = [head.join(",")];
  for (const r of rows) {
    const i = r.i;
    lines.push([
      c.name[i], c.commit[i] || "", names(c.provider[i], d.provider).join(" "),
      c.workflows[i], actionNames(c.action[i], data).join(" "),
      names(c.secret[i], d.secret).join(" "), names(c.trigger[i], d.trigger).join(" "),
      names(c.schedule[i], d.schedule).join("; "), names(c.runner[i], d.runner).join(" "),
      names(c.finding[i], d.finding).join(" "), c.nfind[i],
      c.worst[i] >= 0 ? data.severities[c.worst[i]] : "",
    ].map(csvCell).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

function detail(data, i) {
  const c = data.cols;
  const d = data.dims;
  const parts = [
    ["Actions", actionNames(c.action[i], data)],
    ["Secrets", names(c.secret[i], d.secret)],
    ["Triggers", names(c.trigger[i], d.trigger)],
    ["Schedules", names(c.schedule[i], d.schedule)],
    ["Runners", names(c.runner[i], d.runner)],
    ["Findings", names(c.finding[i], d.finding)],
  ];
  return parts.filter(([, v]) => v.length).map(([k, v]) => `${k}: ${v.join(", ")}`).join("\n");
}

async function main() {
  const root = document.getElementById("explorer-app");
  if (!root) return;
  const status = el("p", { class: "explorer-status", role: "status", text: "Loading the inventory…" });
  root.append(status);
  let data;
  try {
    data = await load(root.dataset.src);
  } catch (err) {
    status.textContent = `Could not load the inventory: ${err.message}`;
    status.classList.add("explorer-error");
    return;
  }
  const lower = data.cols.name.map((s) => s.toLowerCase());
  const state = readState();

  const form = el("form", { class: "explorer-filters", role: "search" });
  form.addEventListener("submit", (e) => e.preventDefault());
  const search = el("input", { type: "search", id: "explorer-q", placeholder: "Search repository names", "aria-label": "Search repository names" });
  search.value = state.repo;
  form.append(el("label", { class: "explorer-search" }, search));
  const selects = {};
  for (const [key, label] of FILTERS) {
    const sel = el("select", { id: `explorer-${key}`, name: key, "aria-label": label });
    selects[key] = sel;
    form.append(el("label", { class: "explorer-filter" }, el("span", { text: label }), sel));
  }
  const reset = el("button", { type: "button", class: "explorer-reset", text: "Clear filters" });
  const download = el("button", { type: "button", class: "explorer-csv", text: "Download CSV" });
  const count = el("p", { class: "explorer-count", id: "explorer-count", "aria-live": "polite" });
  const empty = el("p", { class: "explorer-empty", id: "explorer-empty", text: "No repository matches these filters." });
  empty.hidden = true;
  const tableDiv = el("div", { id: "explorer-table" });
  root.append(form, el("div", { class: "explorer-actions" }, count, reset, download), empty, tableDiv);

  const sevName = (v) => (v >= 0 ? data.severities[v] : "");
  let result = evaluate(data, state, lower);
  const [sortField, sortDir] = (state.sort || "").split(":");
  const table = new Tabulator(tableDiv, {
    data: buildRows(data),
    index: "i",
    height: "70vh",
    layout: "fitColumns",
    renderVertical: "virtual",
    initialSort: sortField ? [{ column: sortField, dir: sortDir === "desc" ? "desc" : "asc" }] : [],
    columns: [
      { title: "Repository", field: "name", minWidth: 220, formatter: (cell) => {
        const name = cell.getValue();
        return name.includes("/") ? `<a href="https://github.com/${encodeURI(name)}">${name.replace(/</g, "&lt;")}</a>` : name;
      }, tooltip: (e, cell) => detail(data, cell.getRow().getData().i) },
      { title: "CI providers", field: "providers", minWidth: 140 },
      { title: "Workflows", field: "workflows", sorter: "number", hozAlign: "right", width: 110 },
      { title: "Actions", field: "actions", sorter: "number", hozAlign: "right", width: 95 },
      { title: "Secrets", field: "secrets", sorter: "number", hozAlign: "right", width: 95 },
      { title: "Schedules", field: "schedules", sorter: "number", hozAlign: "right", width: 110 },
      { title: "Findings", field: "findings", sorter: "number", hozAlign: "right", width: 100 },
      { title: "Worst", field: "worst", sorter: "number", width: 120, formatter: (cell) => sevName(cell.getValue()) },
    ],
  });

  function fillSelects() {
    for (const [key, label] of FILTERS) {
      const sel = selects[key];
      const values = key === "pin" ? data.pins : data.dims[key];
      const cnt = result.counts[key];
      const opts = [new Option(`${label}: all`, "")];
      if (SPECIAL[key]) {
        opts.push(new Option(`any (${result.specials[key][0]})`, ANY));
        opts.push(new Option(`none (${result.specials[key][1]})`, NONE));
      }
      for (let v = 0; v < values.length; v++) {
        if (cnt[v] === 0 && values[v] !== state[key]) continue;
        opts.push(new Option(`${values[v]} (${cnt[v]})`, values[v]));
      }
      if (state[key] && !opts.some((o) => o.value === state[key])) opts.push(new Option(`${state[key]} (0)`, state[key]));
      sel.replaceChildren(...opts);
      sel.value = state[key];
    }
  }

  function showCount() {
    count.textContent = `${result.shown.toLocaleString("en")} of ${data.count.toLocaleString("en")} repositories`;
    empty.hidden = result.shown !== 0;
  }

  const pass = (rowData) => result.pass[rowData.i] === 1;
  function apply() {
    result = evaluate(data, state, lower);
    table.setFilter(pass);
    fillSelects();
    showCount();
    writeState(state);
    root.dataset.ready = String(Number(root.dataset.ready || 0) + 1);
  }

  table.on("tableBuilt", () => {
    table.setFilter(pass);
    fillSelects();
    showCount();
    status.remove();
    root.dataset.ready = "1";
    performance.mark("explorer-ready");
  });
  table.on("dataSorting", (sorters) => {
    const s = sorters[0];
    state.sort = s ? `${s.field}:${s.dir}` : "";
    writeState(state);
  });
  search.addEventListener("input", () => {
    state.repo = search.value.trim();
    apply();
  });
  for (const [key] of FILTERS) {
    selects[key].addEventListener("change", () => {
      state[key] = selects[key].value;
      apply();
    });
  }
  reset.addEventListener("click", () => {
    for (const [key] of FILTERS) state[key] = "";
    state.repo = "";
    search.value = "";
    apply();
  });
  download.addEventListener("click", () => {
    const blob = new Blob([toCSV(data, table.getData("active"))], { type: "text/csv" });
    const a = el("a", { href: URL.createObjectURL(blob), download: "inventory-view.csv" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  // Exposed for the benchmark and tests: apply a state and report when the table has updated.
  root.explorer = { apply, state, table, fillSelects, get shown() { return result.shown; },
    evaluate: () => evaluate(data, state, lower), filter: () => table.setFilter(pass) };
}

main();

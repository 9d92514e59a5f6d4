// Inventory explorer: filters, search, live counts, sorting, URL state and CSV over the published
// inventory (_static/inventory/explorer.json.gz), in a table whose rows are virtualised with
// @tanstack/virtual-core: only the rows in view (plus a few) are in the DOM.
import {
  Virtualizer, elementScroll, observeElementOffset, observeElementRect,
} from "../vendor/@tanstack/virtual-core/esm/index.js";
import { ANY, FILTERS, Inventory, NONE, SPECIAL, detail, load, loadLazy, toCSV } from "./data.js";

// px; must match explorer.css (.explorer-grid th and td), so nothing is measured before the
// first screen is painted.
const ROW_HEIGHT = 30;
const HEAD_HEIGHT = 44;
const COLUMNS = [
  // field, title, numeric (first click sorts descending)
  ["name", "Repository", false],
  ["providers", "CI providers", false],
  ["workflows", "Workflows", true],
  ["actions", "Actions", true],
  ["secrets", "Secrets", true],
  ["schedules", "Schedules", true],
  ["findings", "Findings", true],
  ["worst", "Worst", true],
];

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  e.append(...kids);
  return e;
}

// 25000 -> "25,000" (toLocaleString's first call initialises ICU: tens of ms on a busy machine).
function thousands(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
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

// The cells of repository i, as text (and a class for the severity).
function cells(inv, i) {
  const c = inv.cols;
  const worst = c.worst[i];
  return [
    c.name[i],
    inv.values("provider", i).join(", "),
    c.workflows[i],
    inv.rows.action.len[i],
    inv.rows.secret.len[i],
    inv.rows.schedule.len[i],
    c.nfind[i],
    worst >= 0 ? inv.doc.severities[worst] : "",
  ];
}

// A spacer row standing in for the rows above or below the rendered ones.
function pad(height) {
  const td = el("td", { colspan: String(COLUMNS.length) });
  return el("tr", { class: "explorer-pad", "aria-hidden": "true", style: `height:${height}px` }, td);
}

class Table {
  // A <table> in a scrolling box; the virtualizer says which rows of the view to put in <tbody>.
  constructor(inv, onSort) {
    this.inv = inv;
    this.view = new Uint32Array(0);
    this.box = el("div", { class: "explorer-grid", id: "explorer-table", tabindex: "0", role: "region", "aria-label": "Repositories" });
    this.table = el("table", { "aria-rowcount": "1" });
    const head = el("tr");
    this.heads = {};
    for (const [field, title, numeric] of COLUMNS) {
      const button = el("button", { type: "button", class: "explorer-sort", text: title });
      button.addEventListener("click", () => onSort(field, numeric));
      const th = el("th", { scope: "col", "data-field": field, class: numeric && field !== "worst" ? "num" : "" }, button);
      this.heads[field] = th;
      head.append(th);
    }
    this.thead = el("thead", {}, head);
    this.tbody = el("tbody");
    this.tbody.addEventListener("mouseover", (e) => {
      const td = e.target.closest?.("td[data-i]");
      if (td && !td.title) td.title = detail(this.inv, Number(td.dataset.i));
    });
    this.table.append(this.thead, this.tbody);
    this.box.append(this.table);
    this.virtualizer = new Virtualizer({
      count: 0,
      getScrollElement: () => this.box,
      estimateSize: () => ROW_HEIGHT,
      overscan: 12,
      observeElementRect,
      observeElementOffset,
      scrollToFn: elementScroll,
      // The box is 70vh high: the first screen is drawn before anything is measured.
      initialRect: { width: 0, height: Math.round(window.innerHeight * 0.7) },
      scrollMargin: HEAD_HEIGHT,
      onChange: () => this.render(),
    });
  }

  // Observe the box's size and scrolling (reads layout: called once the first screen is up).
  mount() {
    this.cleanup = this.virtualizer._didMount();
    this.virtualizer._willUpdate();
    this.mounted = true;
  }

  setView(view) {
    this.view = view;
    this.table.setAttribute("aria-rowcount", String(view.length + 1));
    this.virtualizer.setOptions({ ...this.virtualizer.options, count: view.length });
    // Back to the top (the scroll event re-renders); not read from the box, which would lay out.
    if (this.mounted && this.virtualizer.scrollOffset) this.box.scrollTop = 0;
    this.render();
  }

  sorted(field, dir) {
    if (this.sort === `${field}:${dir}`) return;
    this.sort = `${field}:${dir}`;
    for (const [f] of COLUMNS) {
      const sort = f === field ? (dir === "desc" ? "descending" : "ascending") : "none";
      this.heads[f].setAttribute("aria-sort", sort);
    }
  }

  render() {
    const items = this.virtualizer.getVirtualItems();
    const margin = this.virtualizer.options.scrollMargin;
    const rows = [];
    const top = items.length ? items[0].start - margin : 0;
    const bottom = items.length ? this.virtualizer.getTotalSize() - items[items.length - 1].end : 0;
    rows.push(pad(top));
    for (const item of items) {
      if (item.index >= this.view.length) break;
      const i = this.view[item.index];
      const tr = el("tr", { "aria-rowindex": String(item.index + 2), class: item.index & 1 ? "odd" : "" });
      const values = cells(this.inv, i);
      for (let c = 0; c < COLUMNS.length; c++) {
        const [field, , numeric] = COLUMNS[c];
        const td = el("td", { "data-field": field, class: numeric && field !== "worst" ? "num" : "" });
        const v = values[c];
        if (field === "name") {
          td.dataset.i = i; // its title (the details) is made on hover
          if (v.includes("/")) td.append(el("a", { href: `https://github.com/${encodeURI(v)}`, text: v }));
          else td.textContent = v;
        } else {
          td.textContent = v;
          if (field === "worst" && v) td.className = `sec-sev-${v}`;
        }
        tr.append(td);
      }
      rows.push(tr);
    }
    rows.push(pad(Math.max(bottom, 0)));
    this.tbody.replaceChildren(...rows);
  }
}

async function main() {
  const root = document.getElementById("explorer-app");
  if (!root) return;
  const status = el("p", { class: "explorer-status", role: "status", text: "Loading the inventory…" });
  root.append(status);
  performance.mark("explorer-start");
  let inv;
  try {
    const doc = await load(root.dataset.src);
    performance.mark("explorer-loaded");
    inv = new Inventory(doc);
  } catch (err) {
    status.textContent = `Could not load the inventory: ${err.message}`;
    status.classList.add("explorer-error");
    return;
  }
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

  let result;
  let view;
  const table = new Table(inv, (field, numeric) => {
    const [f, d] = state.sort.split(":");
    const dir = f === field ? (d === "desc" ? "asc" : "desc") : numeric ? "desc" : "asc";
    state.sort = `${field}:${dir}`;
    update(false);
  });
  root.append(form, el("div", { class: "explorer-actions" }, count, reset, download), empty, table.box);

  // Every select keeps one option per value for good: an update only rewrites the labels whose
  // count changed and hides values with no repository (cheaper than re-listing the options).
  const optionCache = {};
  function fillSelect(key, label) {
    const sel = selects[key];
    const values = key === "pin" ? inv.pins : inv.dims[key];
    const cnt = result.counts[key];
    const chosen = state[key];
    let cache = optionCache[key];
    if (!cache) {
      const opts = values.map((v) => new Option(v, v));
      const all = [new Option(`${label}: all`, "")];
      if (SPECIAL[key]) all.push(new Option("any", ANY), new Option("none", NONE));
      cache = optionCache[key] = { opts, labels: [], hidden: [], extra: null };
      sel.replaceChildren(...all, ...opts);
      if (SPECIAL[key]) cache.specials = [all[1], all[2]];
    }
    const setLabel = (o, id, text, hide) => {
      if (cache.labels[id] !== text) o.label = cache.labels[id] = text;
      if (cache.hidden[id] !== hide) o.hidden = cache.hidden[id] = hide;
    };
    if (cache.specials) {
      setLabel(cache.specials[0], "any", `any (${result.specials[key][0]})`, false);
      setLabel(cache.specials[1], "none", `none (${result.specials[key][1]})`, false);
    }
    let found = !chosen || (SPECIAL[key] && (chosen === ANY || chosen === NONE));
    for (let v = 0; v < values.length; v++) {
      found ||= values[v] === chosen;
      setLabel(cache.opts[v], v, `${values[v]} (${cnt[v]})`, cnt[v] === 0 && values[v] !== chosen);
    }
    // A value from the address bar that the data does not have: shown, matching nothing.
    if (cache.extra && cache.extra.value !== chosen) cache.extra = void cache.extra.remove();
    if (!found && !cache.extra) sel.append((cache.extra = new Option(`${chosen} (0)`, chosen)));
    if (sel.value !== chosen) sel.value = chosen;
  }

  function fillSelects() {
    for (const [key, label] of FILTERS) fillSelect(key, label);
  }

  // Filter (when filters changed), sort and show the rows and their number; the per-value
  // counts in the selects follow when the browser is idle (data-counted then equals
  // data-ready).
  let pending = 0;
  let saving = 0;
  function update(filtersChanged = true) {
    if (filtersChanged || !result) result = inv.filter(state);
    const [field, dir] = (state.sort || "").split(":");
    view = inv.view(inv.order(field, dir === "desc" ? "desc" : "asc"), result.pass, result.shown);
    table.sorted(field, dir);
    table.setView(view);
    count.textContent = `${thousands(result.shown)} of ${thousands(inv.n)} repositories`;
    empty.hidden = result.shown !== 0;
    const ready = Number(root.dataset.ready || 0) + 1;
    root.dataset.ready = String(ready);
    if (filtersChanged || !result.counts) {
      if (pending) cancelIdleCallback(pending);
      const filtered = result;
      pending = requestIdleCallback(() => {
        pending = 0;
        Object.assign(filtered, inv.count(filtered));
        fillSelects();
        root.dataset.counted = String(ready);
      }, { timeout: 100 });
    } else root.dataset.counted = String(ready);
    // The address bar last: history.replaceState can take 20 ms in Chromium, so a burst of
    // changes (typing a search) writes it once (data-saved then equals data-ready).
    clearTimeout(saving);
    saving = setTimeout(() => {
      writeState(state);
      root.dataset.saved = String(ready);
    }, 150);
  }

  update();
  status.remove();
  requestAnimationFrame(() => setTimeout(() => {
    table.mount();
    // While idle: index every filter and run the counting code once, so the first filter
    // change finds its index built and its code compiled.
    requestIdleCallback(() => {
      loadLazy(inv, root.dataset.lazy).catch(() => {}); // reported if the CSV is asked for
      const probe = { ...state };
      for (const [key] of FILTERS) {
        inv.postings(key);
        if (!probe[key] && inv.size(key)) probe[key] = key === "pin" ? inv.pins[0] : inv.dims[key][0];
      }
      inv.count(inv.filter(probe));
    });
  }, 0));

  search.addEventListener("input", () => {
    state.repo = search.value.trim();
    update();
  });
  for (const [key] of FILTERS) {
    selects[key].addEventListener("change", () => {
      state[key] = selects[key].value;
      update();
    });
  }
  reset.addEventListener("click", () => {
    for (const [key] of FILTERS) state[key] = "";
    state.repo = "";
    search.value = "";
    update();
  });
  download.addEventListener("click", async () => {
    const rows = view;
    try {
      await loadLazy(inv, root.dataset.lazy);
    } catch (err) {
      status.textContent = `Could not load the commits for the CSV: ${err.message}`;
      status.classList.add("explorer-error");
      root.prepend(status);
      return;
    }
    const blob = new Blob([toCSV(inv, rows)], { type: "text/csv" });
    const a = el("a", { href: URL.createObjectURL(blob), download: "inventory-view.csv" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  // Exposed for the benchmark and tests: apply the state as it now is.
  root.explorer = { apply: update, state, inventory: inv, get shown() { return result.shown; } };
  performance.mark("explorer-ready");
}

main();

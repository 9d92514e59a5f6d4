// Inventory explorer data: load the binary columnar file (scripts/explorer/pack.py, format 3) and
// answer filters, live counts and sort orders with typed arrays and bitsets.

export const FILTERS = [
  ["provider", "CI provider"],
  ["action", "Action"],
  ["pin", "Pinned to"],
  ["secret", "Secret name"],
  ["trigger", "Trigger"],
  ["schedule", "Schedule"],
  ["runner", "Runner"],
  ["finding", "Finding"],
];
export const ANY = "__any";
export const NONE = "__none";
export const SPECIAL = { schedule: true, finding: true }; // offer "any" and "none"
const PLAIN = ["provider", "secret", "trigger", "schedule", "runner", "finding"];

const TYPES = { u8: Uint8Array, i8: Int8Array, u16: Uint16Array, u32: Uint32Array };
const MAGIC = "IEX3";

// The file's bytes, inflated.
export async function fetchInflated(url) {
  const resp = await fetch(url);
  if (!resp.ok) throw new Error(`${url}: HTTP ${resp.status}`);
  const buf = await resp.arrayBuffer();
  const head = new Uint8Array(buf, 0, 2);
  // Some servers send .gz with Content-Encoding and the browser has already inflated it.
  if (head[0] !== 0x1f || head[1] !== 0x8b) return buf;
  const stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).arrayBuffer();
}

// The binary file of scripts/explorer/pack.py: a JSON header, then typed arrays used in place.
// The main file is usually on its way already (early.js, started from the page's <head>).
export async function load(url) {
  const early = globalThis.inventoryExplorerData;
  const buf = early?.url === url ? await early.buffer : await fetchInflated(url);
  return unpack(buf, url);
}

export function unpack(buf, url) {
  const magic = new TextDecoder().decode(new Uint8Array(buf, 0, 4));
  if (magic !== MAGIC) throw new Error(`${url}: not an explorer file (format ${JSON.stringify(magic)}, expected ${MAGIC})`);
  const size = new DataView(buf).getUint32(4, true);
  const doc = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 8, size)));
  if (doc.format !== 3) throw new Error(`${url}: explorer data format ${doc.format}, expected 3`);
  const base = 8 + size;
  const arrays = {};
  const texts = {};
  for (const [name, [type, offset, count, bytes]] of Object.entries(doc.sections)) {
    if (type === "text") texts[name] = new Uint8Array(buf, base + offset, bytes);
    else arrays[name] = new TYPES[type](buf, base + offset, count);
  }
  doc.arrays = arrays;
  // Text columns are decoded when first read.
  doc.text = (name) => {
    const t = texts[name];
    if (Array.isArray(t)) return t;
    return (texts[name] = doc.sections[name][2] ? new TextDecoder().decode(t).split("\n") : []);
  };
  return doc;
}

// The sections only the CSV needs (scripts/explorer/pack.py LAZY), fetched once.
export function loadLazy(inv, url) {
  inv.lazyLoading ||= load(url).then((doc) => {
    if (doc.count !== inv.n) throw new Error(`${url}: ${doc.count} repositories, not ${inv.n}`);
    return (inv.lazy = doc);
  });
  return inv.lazyLoading;
}

// -- bitsets over repositories: Uint32Array, bit i = repository i --------------------------------

function emptySet(n) {
  return new Uint32Array((n + 31) >>> 5);
}

function fullSet(n) {
  const s = emptySet(n).fill(0xffffffff);
  if (n & 31) s[s.length - 1] = (1 << (n & 31)) - 1;
  return s;
}

export function popcount(s) {
  let c = 0;
  for (let w = 0; w < s.length; w++) {
    let x = s[w];
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    c += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return c;
}

function and(sets, n) {
  if (sets.length === 0) return null; // null: every repository
  const out = sets[0].slice();
  for (let k = 1; k < sets.length; k++) {
    const s = sets[k];
    for (let w = 0; w < out.length; w++) out[w] &= s[w];
  }
  return out;
}

// Call fn(i) for every repository i in the set (null: all of them).
function forEach(set, n, fn) {
  if (set === null) {
    for (let i = 0; i < n; i++) fn(i);
    return;
  }
  for (let w = 0; w < set.length; w++) {
    let x = set[w];
    while (x) {
      const t = x & -x;
      fn((w << 5) + 31 - Math.clz32(t));
      x ^= t;
    }
  }
}

// -- the prepared document ------------------------------------------------------------------------

function offsets(lengths) {
  const off = new Uint32Array(lengths.length + 1);
  for (let i = 0; i < lengths.length; i++) off[i + 1] = off[i] + lengths[i];
  return off;
}

export class Inventory {
  constructor(doc) {
    this.doc = doc;
    this.n = doc.count;
    this.dims = doc.dims;
    this.pins = doc.pins;
    const a = doc.arrays;
    this.cols = { name: doc.text("name"), workflows: a.workflows, nfind: a.nfind, worst: a.worst };
    this.rank = { name: a.rank_name, providers: a.rank_providers };
    this.rows = {};
    for (const dim of Object.keys(this.dims)) {
      const len = a[`len_${dim}`];
      let off = null; // where each repository's values start: made on first use
      this.rows[dim] = { len, val: a[`val_${dim}`], get off() { return (off ||= offsets(len)); } };
    }
    this.postingCache = {};
    this.totalCache = {};
    this.sortCache = {};
    this.setCache = new Map();
    this.lowerNames = null;
  }

  size(key) {
    return key === "pin" ? this.pins.length : this.dims[key].length;
  }

  // Calls fn(i, v) once per repository i and value v of key: action codes are action * 8 + pin,
  // and a repository counts once per action (or per pin).
  eachValue(key, fn) {
    const dim = key === "pin" ? "action" : key;
    const { off, val } = this.rows[dim];
    const shift = key === "action" ? 3 : 0;
    const mask = key === "pin" ? 7 : 0xffffffff;
    const last = new Int32Array(this.size(key)).fill(-1);
    for (let i = 0; i < this.n; i++) {
      for (let k = off[i]; k < off[i + 1]; k++) {
        const v = (val[k] >>> shift) & mask;
        if (last[v] !== i) {
          last[v] = i;
          fn(i, v);
        }
      }
    }
  }

  // How many repositories hold each value of key.
  totals(key) {
    let t = this.totalCache[key];
    if (!t && this.doc.totals?.[key]?.length === this.size(key)) {
      t = this.totalCache[key] = Uint32Array.from(this.doc.totals[key]);
    }
    if (!t) {
      t = this.totalCache[key] = new Uint32Array(this.size(key));
      this.eachValue(key, (i, v) => t[v]++);
    }
    return t;
  }

  // Repositories holding each value of key (ascending), built from the rows on first use:
  // a counting pass, cheaper than sending and parsing a precomputed index.
  postings(key) {
    let p = this.postingCache[key];
    if (!p) {
      const off = offsets(this.totals(key));
      const repos = new Uint32Array(off[off.length - 1]);
      const at = off.slice(0, off.length - 1);
      this.eachValue(key, (i, v) => (repos[at[v]++] = i));
      p = this.postingCache[key] = { off, repos };
    }
    return p;
  }

  valueSet(key, v) {
    const id = `${key}\u0000${v}`;
    let s = this.setCache.get(id);
    if (!s) {
      s = emptySet(this.n);
      const { off, repos } = this.postings(key);
      for (let j = off[v]; j < off[v + 1]; j++) s[repos[j] >>> 5] |= 1 << (repos[j] & 31);
      this.setCache.set(id, s);
    }
    return s;
  }

  // Repositories with at least one value of dim (any) or none.
  anySet(dim, none) {
    const id = `${dim}\u0000${none ? NONE : ANY}`;
    let s = this.setCache.get(id);
    if (!s) {
      s = emptySet(this.n);
      const len = this.rows[dim].len;
      for (let i = 0; i < this.n; i++) if ((len[i] > 0) !== none) s[i >>> 5] |= 1 << (i & 31);
      this.setCache.set(id, s);
    }
    return s;
  }

  // Repositories using action a pinned as p (both given): one occurrence, not two.
  actionPinSet(a, p) {
    const id = `actionpin\u0000${a}\u0000${p}`;
    let s = this.setCache.get(id);
    if (!s) {
      s = emptySet(this.n);
      const { off, repos } = this.postings("action");
      const { off: rowOff, val } = this.rows.action;
      const code = a * 8 + p;
      for (let j = off[a]; j < off[a + 1]; j++) {
        const i = repos[j];
        for (let k = rowOff[i]; k < rowOff[i + 1]; k++) {
          if (val[k] === code) {
            s[i >>> 5] |= 1 << (i & 31);
            break;
          }
        }
      }
      this.setCache.set(id, s);
    }
    return s;
  }

  searchSet(q) {
    if (!this.lowerNames) this.lowerNames = this.cols.name.map((s) => s.toLowerCase());
    const s = emptySet(this.n);
    const names = this.lowerNames;
    for (let i = 0; i < this.n; i++) if (names[i].includes(q)) s[i >>> 5] |= 1 << (i & 31);
    return s;
  }

  // The code of a filter's value: a number, ANY, NONE, "" (no filter) or -1 (matches nothing).
  code(key, value) {
    if (!value) return "";
    if (value === ANY || value === NONE) return SPECIAL[key] ? value : -1;
    const i = key === "pin" ? this.pins.indexOf(value) : this.dims[key].indexOf(value);
    return i;
  }

  // Which repositories pass the filters (a bitset, null for all) and how many.
  filter(state) {
    const n = this.n;
    const want = {};
    for (const [key] of FILTERS) want[key] = this.code(key, state[key]);
    const sets = {}; // one set per active filter; action and pin share one when both are given
    for (const key of PLAIN) {
      const w = want[key];
      if (w === "") continue;
      sets[key] = w === ANY || w === NONE ? this.anySet(key, w === NONE) : w < 0 ? emptySet(n) : this.valueSet(key, w);
    }
    const a = want.action;
    const p = want.pin;
    const alone = {
      action: a === "" ? null : a < 0 ? emptySet(n) : this.valueSet("action", a),
      pin: p === "" ? null : p < 0 ? emptySet(n) : this.valueSet("pin", p),
    };
    if (a !== "" && p !== "") sets.actionpin = a < 0 || p < 0 ? emptySet(n) : this.actionPinSet(a, p);
    else if (a !== "") sets.action = alone.action;
    else if (p !== "") sets.pin = alone.pin;
    const q = (state.repo || "").toLowerCase();
    if (q) {
      if (this.lastSearch?.q !== q) this.lastSearch = { q, set: this.searchSet(q) };
      sets.repo = this.lastSearch.set;
    }
    const keys = Object.keys(sets);
    const pass = and(keys.map((k) => sets[k]), n);
    const shown = pass === null ? n : popcount(pass);
    return { pass, shown, sets, alone, a, p };
  }

  // Per filter value, how many repositories would pass if it were chosen (the others kept).
  count(filtered) {
    const n = this.n;
    const { pass, sets, alone, a, p } = filtered;
    const keys = Object.keys(sets);
    const except = (skip) => {
      const others = keys.filter((k) => k !== skip && !(k === "actionpin" && (skip === "action" || skip === "pin")));
      const list = others.map((k) => sets[k]);
      // Counting actions keeps the pin filter (and the other way round): the same occurrence.
      if (skip === "action" && alone.pin) list.push(alone.pin);
      if (skip === "pin" && alone.action) list.push(alone.action);
      return and(list, n);
    };
    const counts = {};
    const specials = {};
    for (const key of PLAIN) {
      const base = key in sets ? except(key) : pass;
      counts[key] = this.countPlain(key, base);
      if (SPECIAL[key]) specials[key] = this.countSpecial(key, base);
    }
    counts.action = this.countActions(a !== "" || p !== "" ? except("action") : pass, p === "" || p < 0 ? -1 : p);
    counts.pin = this.countPins(a !== "" || p !== "" ? except("pin") : pass, a === "" || a < 0 ? -1 : a);
    return { counts, specials };
  }

  evaluate(state) {
    const filtered = this.filter(state);
    return { ...filtered, ...this.count(filtered) };
  }

  countPlain(dim, set) {
    const totals = this.totals(dim);
    if (set === null) return totals;
    const size = popcount(set);
    const { off, val } = this.rows[dim];
    const inside = size <= this.n / 2;
    // Walk whichever side is smaller: the set, or its complement subtracted from the totals.
    const counts = new Uint32Array(totals.length);
    const add = (i) => {
      for (let k = off[i]; k < off[i + 1]; k++) counts[val[k]]++;
    };
    if (inside) {
      forEach(set, this.n, add);
      return counts;
    }
    const outside = fullSet(this.n);
    for (let w = 0; w < outside.length; w++) outside[w] &= ~set[w];
    forEach(outside, this.n, add);
    for (let v = 0; v < counts.length; v++) counts[v] = totals[v] - counts[v];
    return counts;
  }

  countSpecial(dim, set) {
    const len = this.rows[dim].len;
    let any = 0;
    let total = 0;
    forEach(set, this.n, (i) => {
      total++;
      if (len[i] > 0) any++;
    });
    return [any, total - any];
  }

  // Per action, repositories in set using it (pinned as pin when pin >= 0).
  countActions(set, pin) {
    if (set === null && pin < 0) return this.totals("action");
    const counts = new Uint32Array(this.dims.action.length);
    const { off, val } = this.rows.action;
    forEach(set, this.n, (i) => {
      let prev = -1;
      for (let k = off[i]; k < off[i + 1]; k++) {
        const code = val[k];
        const a = code >>> 3;
        if (a !== prev && (pin < 0 || (code & 7) === pin)) {
          counts[a]++;
          prev = a;
        }
      }
    });
    return counts;
  }

  // Per pinning, repositories in set using an action (action a only, when a >= 0) pinned so.
  countPins(set, a) {
    if (set === null && a < 0) return this.totals("pin");
    const counts = new Uint32Array(this.pins.length);
    const { off, val } = this.rows.action;
    forEach(set, this.n, (i) => {
      let seen = 0;
      for (let k = off[i]; k < off[i + 1]; k++) {
        const code = val[k];
        if (a < 0 || code >>> 3 === a) seen |= 1 << (code & 7);
      }
      for (let b = 0; seen; b++, seen >>>= 1) if (seen & 1) counts[b]++;
    });
    return counts;
  }

  // Sort keys: ranks precomputed at build time for text, counts for numbers.
  sortKey(field) {
    const c = this.cols;
    switch (field) {
      case "name": return this.rank.name;
      case "providers": return this.rank.providers;
      case "workflows": return c.workflows;
      case "actions": return this.rows.action.len;
      case "secrets": return this.rows.secret.len;
      case "schedules": return this.rows.schedule.len;
      case "findings": return c.nfind;
      case "worst": return c.worst;
      default: return null;
    }
  }

  // All repositories in the order of field (asc/desc); ties keep document order.
  order(field, dir) {
    const id = `${field}:${dir}`;
    if (this.sortCache[id]) return this.sortCache[id];
    const n = this.n;
    const key = this.sortKey(field);
    const out = new Uint32Array(n);
    if (!key) {
      for (let i = 0; i < n; i++) out[i] = i;
      return (this.sortCache[id] = out);
    }
    let max = 0;
    for (let i = 0; i < n; i++) max = Math.max(max, key[i] + 1);
    // key * n + i sorts numerically by key then by position, with the native typed-array sort.
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = (dir === "desc" ? max - (key[i] + 1) : key[i] + 1) * n + i;
    packed.sort();
    for (let j = 0; j < n; j++) out[j] = packed[j] % n;
    return (this.sortCache[id] = out);
  }

  // The rows shown: order filtered by the pass set (null: all).
  view(order, pass, shown) {
    if (pass === null) return order;
    const out = new Uint32Array(shown);
    let j = 0;
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      if (pass[i >>> 5] & (1 << (i & 31))) out[j++] = i;
    }
    return out;
  }

  values(dim, i) {
    const { off, val } = this.rows[dim];
    const names = this.dims[dim];
    const out = [];
    for (let k = off[i]; k < off[i + 1]; k++) out.push(names[val[k]]);
    return out;
  }

  actionNames(i) {
    const { off, val } = this.rows.action;
    const out = [];
    for (let k = off[i]; k < off[i + 1]; k++) out.push(`${this.dims.action[val[k] >>> 3]} (${this.pins[val[k] & 7]})`);
    return out;
  }
}

function csvCell(v) {
  const s = String(v ?? "");
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// The CSV of the rows in view; needs the lazy sections (inv.lazy, see loadLazy).
export function toCSV(inv, view) {
  const c = inv.cols;
  const commits = inv.lazy.text("commit");
  const head = ["repository", "commit", "ci_providers", "workflows", "actions", "secrets",
    "triggers", "schedules", "runners", "findings", "finding_count", "worst_severity"];
  const lines = [head.join(",")];
  for (const i of view) {
    lines.push([
      c.name[i], commits[i], inv.values("provider", i).join(" "), c.workflows[i],
      inv.actionNames(i).join(" "), inv.values("secret", i).join(" "),
      inv.values("trigger", i).join(" "), inv.values("schedule", i).join("; "),
      inv.values("runner", i).join(" "), inv.values("finding", i).join(" "), c.nfind[i],
      c.worst[i] >= 0 ? inv.doc.severities[c.worst[i]] : "",
    ].map(csvCell).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

export function detail(inv, i) {
  const parts = [
    ["Actions", inv.actionNames(i)],
    ["Secrets", inv.values("secret", i)],
    ["Triggers", inv.values("trigger", i)],
    ["Schedules", inv.values("schedule", i)],
    ["Runners", inv.values("runner", i)],
    ["Findings", inv.values("finding", i)],
  ];
  return parts.filter(([, v]) => v.length).map(([k, v]) => `${k}: ${v.join(", ")}`).join("\n");
}

// The measurement run in the page by legibility.py: returns figures for every drawn diagram.
([pages, slack]) => {
  const out = [];
  // An arrow's end within this many px of a box's border is that box's.
  const END_NEAR = 8;
  const rect = el => { const r = el.getBoundingClientRect();
    return {x: r.left, y: r.top, w: r.width, h: r.height}; };
  const overlap = (a, b) => Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > slack
    && Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > slack;
  const shown = r => r.w > 0.5 && r.h > 0.5;
  // The visible name of a box: its drawn text, not its <title> tooltip.
  const label = el => [...el.querySelectorAll('text, foreignObject')].map(words).join(' ') || words(el);
  const words = el => (el.textContent || '').replace(/\s+/g, ' ').trim();
  const scaleOf = el => {
    let g = el;
    while (g && !(g instanceof SVGGraphicsElement)) g = g.parentElement;
    const m = g && g.getScreenCTM();
    return m ? Math.hypot(m.a, m.b) : 1;
  };
  // Leaf elements that draw text: SVG <text> and the innermost HTML element of a label.
  const textLeaves = svg => [...svg.querySelectorAll('text, foreignObject *')].filter(el =>
    words(el) && (el.tagName.toLowerCase() === 'text' || ![...el.children].some(c => words(c))));
  const samplePath = (svg, p) => {
    let len = 0;
    try { len = p.getTotalLength(); } catch (e) { return []; }
    const m = p.getScreenCTM();
    const n = Math.max(2, Math.min(400, Math.ceil(len / 4)));
    const pts = [];
    for (let i = 0; i <= n; i++) {
      const q = p.getPointAtLength(len * i / n);
      pts.push([m.a * q.x + m.c * q.y + m.e, m.b * q.x + m.d * q.y + m.f]);
    }
    return pts;
  };
  const cross = (p, q, r, s) => {
    const d = (q[0] - p[0]) * (s[1] - r[1]) - (q[1] - p[1]) * (s[0] - r[0]);
    if (Math.abs(d) < 1e-9) return null;
    const t = ((r[0] - p[0]) * (s[1] - r[1]) - (r[1] - p[1]) * (s[0] - r[0])) / d;
    const u = ((r[0] - p[0]) * (q[1] - p[1]) - (r[1] - p[1]) * (q[0] - p[0])) / d;
    return t >= 0 && t <= 1 && u >= 0 && u <= 1 ? [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])] : null;
  };
  // Two edges cross when their sampled polylines meet away from both ends (edges that share
  // a node meet at its border; that is not a crossing).
  const crosses = (a, b, near) => {
    const ends = [a[0], a[a.length - 1], b[0], b[b.length - 1]];
    for (let i = 1; i < a.length; i++) for (let j = 1; j < b.length; j++) {
      const x = cross(a[i - 1], a[i], b[j - 1], b[j]);
      if (x && ends.every(e => Math.hypot(e[0] - x[0], e[1] - x[1]) > near)) return true;
    }
    return false;
  };
  // A diagram's name: the rubric or heading just before it, else its alt text.
  const heading = holder => {
    let el = holder.closest('.mermaid-container') || holder;
    const before = e => { let p = e.previousElementSibling;
      while (p && p.matches('.diagram-zoom')) p = p.previousElementSibling; return p; };
    while (el && !before(el)) el = el.parentElement;
    const prev = el && before(el);
    const text = prev && prev.matches('.rubric, h1, h2, h3, h4, section > h2') ? words(prev) : '';
    const section = holder.closest('section');
    const head = section && section.querySelector(':scope > h1, :scope > h2, :scope > h3');
    return (text || holder.getAttribute('aria-label') || (head ? words(head) : ''))
      .replace(/#$/, '').trim();
  };
  const svgs = [...document.querySelectorAll('.mermaid svg, .generated-svg svg, svg.legibility-fixture')]
    .filter(svg => !svg.parentElement.closest('svg') && shown(rect(svg)));
  svgs.forEach((svg, index) => {
    const kind = svg.getAttribute('aria-roledescription') || svg.getAttribute('class') || '';
    const box = rect(svg);
    const holder = svg.closest('.mermaid, .generated-svg') || svg.parentElement;
    // The text column: the content box of the article (its padding is not room for text).
    const column = svg.closest('.bd-article, article, main, body');
    const colStyle = getComputedStyle(column);
    const colRect = rect(column);
    colRect.x += parseFloat(colStyle.paddingLeft);
    colRect.w -= parseFloat(colStyle.paddingLeft) + parseFloat(colStyle.paddingRight);
    // Labels: text leaves (one box per label); nodes: the shapes of flowchart nodes and
    // sequence actors and notes.
    const labels = [];
    // One label per drawn label: the <text> lines Mermaid writes as siblings (a wrapped
    // sequence actor or note) are one label, their boxes joined.
    // (Only consecutive siblings of one class, one line apart; the generated overview writes
    // each label as one <text>.)
    const joined = new Map();
    let last = null;
    for (const el of textLeaves(svg)) {
      const prev = el.previousElementSibling;
      const line = last && prev === last.at(-1) && el.tagName.toLowerCase() === 'text'
        && prev.getAttribute('class') === el.getAttribute('class')
        && !svg.classList.contains('package-path')
        && Math.abs(rect(el).y - rect(prev).y) < 1.6 * parseFloat(getComputedStyle(el).fontSize);
      if (line) last.push(el); else { last = [el]; joined.set(el, last); }
    }
    for (const group of joined.values()) {
      const el = group[0];
      const rs = group.map(rect).filter(shown);
      if (!rs.length) continue;
      const x = Math.min(...rs.map(q => q.x)), y = Math.min(...rs.map(q => q.y));
      const r = {x, y, w: Math.max(...rs.map(q => q.x + q.w)) - x, h: Math.max(...rs.map(q => q.y + q.h)) - y};
      const small = Math.min(...group.map(t => parseFloat(getComputedStyle(t).fontSize) * scaleOf(t)));
      const edge = !!el.closest('.edgeLabel, .messageText, .ov-label');
      labels.push({text: group.map(words).join(' ').slice(0, 60), r, fs: small, edge, els: group});
    }
    const nodes = [...svg.querySelectorAll('g.node, rect.actor, rect.note, g.ov-node, g.legibility-node')]
      .map(el => {
        const shape = el.matches('g') ? (el.querySelector(':scope > rect, :scope > polygon, :scope > path, :scope > circle') || el) : el;
        return {el, r: rect(shape), text: words(el).slice(0, 60)};
      })
      .filter(n => shown(n.r));
    const overlaps = [];
    for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++)
      if (overlap(labels[i].r, labels[j].r)) overlaps.push(`"${labels[i].text}" / "${labels[j].text}"`);
    const overNodes = [];
    for (const l of labels.filter(l => l.edge)) for (const n of nodes)
      if (overlap(l.r, n.r)) overNodes.push(`edge label "${l.text}" over "${n.text}"`);
    // One arrow may be drawn as two paths meeting at its words (a generated flowchart's e_N
    // node): pairs are counted between arrows, never between the two halves of one.
    const arrowOf = p => ((p.id || '').match(/[-_]L_(?:\w+_)?(e_\d+)_/) || [])[1] || p;
    const paths = [...svg.querySelectorAll('.edgePaths path, path.flowchart-link, path.ov-edge, path.legibility-edge')]
      .filter((p, i, all) => all.indexOf(p) === i)
      .map(p => ({el: p, arrow: arrowOf(p), pts: samplePath(svg, p)})).filter(p => p.pts.length > 1);
    const pairs = new Set();
    const ids = new Map();
    const idOf = a => { if (!ids.has(a)) ids.set(a, ids.size); return ids.get(a); };
    for (let i = 0; i < paths.length; i++) for (let j = i + 1; j < paths.length; j++) {
      const [a, b] = [idOf(paths[i].arrow), idOf(paths[j].arrow)].sort((x, y) => x - y);
      if (a !== b && !pairs.has(`${a}/${b}`) && crosses(paths[i].pts, paths[j].pts, 10)) pairs.add(`${a}/${b}`);
    }
    const crossings = pairs.size;
    // Arrows through text: a drawn edge running across a label that is not its own (its
    // label shares its data-id) nor inside one of its ends (the box or cluster nearest to
    // each end of the path). Each pair of arrow and label counts once.
    const clusters = [...svg.querySelectorAll('g.cluster')]
      .map(el => ({el, r: rect(el.querySelector(':scope > rect') || el)})).filter(n => shown(n.r));
    const border = (pt, r) => {
      const dx = Math.max(r.x - pt[0], 0, pt[0] - r.x - r.w), dy = Math.max(r.y - pt[1], 0, pt[1] - r.y - r.h);
      const out = Math.hypot(dx, dy);
      return out > 0 ? out : Math.min(pt[0] - r.x, r.x + r.w - pt[0], pt[1] - r.y, r.y + r.h - pt[1]);
    };
    const endOf = pt => [...nodes, ...clusters].map(n => ({n, d: border(pt, n.r)}))
      .filter(c => c.d <= END_NEAR).sort((a, b) => a.d - b.d).map(c => c.n)[0];
    // Whether the segment p-q meets the rectangle r shrunk by the slack (Liang-Barsky).
    const hits = (p, q, r) => {
      const x0 = r.x + slack, x1 = r.x + r.w - slack, y0 = r.y + slack, y1 = r.y + r.h - slack;
      if (x1 <= x0 || y1 <= y0) return false;
      let lo = 0, hi = 1;
      const dx = q[0] - p[0], dy = q[1] - p[1];
      for (const [a, b] of [[-dx, p[0] - x0], [dx, x1 - p[0]], [-dy, p[1] - y0], [dy, y1 - p[1]]]) {
        if (a === 0) { if (b < 0) return false; continue; }
        const t = b / a;
        if (a < 0) lo = Math.max(lo, t); else hi = Math.min(hi, t);
        if (lo > hi) return false;
      }
      return true;
    };
    const drawn = p => { const s = getComputedStyle(p);
      return s.stroke !== 'none' && parseFloat(s.strokeWidth) > 0 && parseFloat(s.strokeOpacity) > 0
        && s.visibility !== 'hidden' && !p.matches('.edge-thickness-invisible'); };
    const dataId = el => { const h = el.closest('[data-id]'); return h ? h.getAttribute('data-id') : null; };
    const through = new Set();
    for (const path of paths.filter(p => drawn(p.el))) {
      const ends = [endOf(path.pts[0]), endOf(path.pts[path.pts.length - 1])].filter(Boolean);
      const id = path.el.getAttribute('data-id');
      const own = labels.filter(l => id && l.els.some(e => dataId(e) === id));
      const name = own.length ? own[0].text
        : ends.map(e => e.text || words(e.el).slice(0, 40)).join(' -> ') || 'an arrow';
      for (const l of labels) {
        if (own.includes(l) || ends.some(e => l.els.some(t => e.el.contains(t)))) continue;
        const rs = l.els.map(rect).filter(shown);
        if (path.pts.some((q, i) => i > 0 && rs.some(r => hits(path.pts[i - 1], q, r))))
          through.add(`arrow "${name}" through "${l.text}"`);
      }
    }
    // Boxes that name a component must sit inside a link to the component's page.
    const unlinked = [];
    let named = 0;
    const boxes = [...svg.querySelectorAll('g.node, g.actor-man, text.actor, g.ov-node, g.legibility-node')];
    for (const el of boxes) {
      // Names compared without spaces: a wrapped SVG label has no space at its line breaks.
      const name = label(el).replace(/\s*\(retired\)$/, '');
      const page = pages[name.replace(/\s+/g, '')];
      if (!page) continue;
      named++;
      const a = el.closest('a');
      const href = a && (a.getAttribute('href') || a.getAttribute('xlink:href')) || '';
      // Sequence diagrams link participants through their menu (mermaid's `link`).
      const menu = [...svg.querySelectorAll('a')].map(x => x.getAttribute('href') || x.getAttribute('xlink:href') || '');
      const at = h => { try { return new URL(h, location.href).pathname; } catch (e) { return ''; } };
      const own = href.startsWith('#') && location.pathname.endsWith('/' + page);
      const ok = href ? own || at(href).endsWith('/' + page)
        : (el.matches('text.actor, g.actor-man') && menu.some(h => at(h).endsWith('/' + page)));
      if (!ok) unlinked.push(name);
    }
    const fsizes = labels.map(l => l.fs).filter(f => f > 0);
    out.push({
      index, kind,
      title: svg.querySelector(':scope > title') ? words(svg.querySelector(':scope > title'))
        : heading(holder),
      width: Math.round(box.w), height: Math.round(box.h),
      natural: parseFloat(svg.getAttribute('width')) || Math.round(box.w),
      column: Math.round(colRect.w),
      scrolls: holder.scrollWidth > holder.clientWidth + 1 || box.x + box.w > colRect.x + colRect.w + 1,
      edges: new Set(paths.map(p => p.arrow)).size, crossings,
      minText: fsizes.length ? Math.round(Math.min(...fsizes) * 10) / 10 : 0,
      labels: labels.length,
      overlaps: [...new Set(overlaps)], overNodes: [...new Set(overNodes)],
      through: [...through],
      unlinked: [...new Set(unlinked)], named,
    });
  });
  return out;
}

/* ice_graph interactive org chart. Plain JS, no dependencies, no network.
 * Reads the JSON in #org-data (written by ice_graph.charts.html); every text of
 * the data is inserted with textContent, never as markup. */
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('org-data').textContent);
  var N = D.nodes, COUNT = N.length;
  var KINDS = D.kinds, RELS = D.rels;
  var W = 208, HU = 76, HA = 38, HGAP = 26, VGAP = 46, SGAP = 8, IND = 24, MARGIN = 40, STACK = 8;
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var CAT_ORDER = { program: 0, mission_area: 1, partner: 2 };
  var REL_COLOR = { runs: '#b86e00', responsible_for: '#3d8b47', partners_with: '#a3385f' };

  var $ = function (id) { return document.getElementById(id); };
  var chartEl = $('chart'), stage = $('stage'), svg = $('links');
  var state = {
    date: null, collapsed: new Set(D.collapse), filters: { units: true, program: true, mission_area: true, partner: true },
    selected: -1, scale: 1, tx: 0, ty: 0
  };
  var model = null, layout = null, drawn = new Map(), frame = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function cat(i) { return N[i].g || 'unit'; }
  function kindOf(i) { return KINDS[N[i].k]; }

  /* ---------------- dates ---------------- */
  function holds(d, f, u) { return !d || ((!f || f <= d) && (!u || d < u)); }
  function monthIndex(day) { return +day.slice(0, 4) * 12 + (+day.slice(5, 7)) - 1; }
  function monthDay(m) { var y = Math.floor(m / 12), mo = m % 12 + 1; return y + '-' + (mo < 10 ? '0' : '') + mo + '-01'; }
  function fmtDay(day, full) {
    if (!day) return '';
    var y = day.slice(0, 4), m = +day.slice(5, 7), d = +day.slice(8, 10);
    if (full && d > 1) return d + ' ' + MONTHS[m - 1] + ' ' + y;
    return (m ? MONTHS[m - 1] + ' ' : '') + y;
  }
  function minusYear(day) { return (+day.slice(0, 4) - 1) + day.slice(4); }

  /* ---------------- the organization on a date ---------------- */
  function compute(date) {
    var present = new Uint8Array(COUNT), placed = new Uint8Array(COUNT), keep = new Uint8Array(COUNT);
    var parent = new Int32Array(COUNT).fill(-1), children = [], att = [], i, r;
    for (i = 0; i < COUNT; i++) present[i] = holds(date, N[i].f, N[i].u) ? 1 : 0;
    D.tree.forEach(function (row) { if (!(date && row[2] && row[2] > date)) placed[row[1]] = 1; });
    D.tree.forEach(function (row) {
      var p = row[0], c = row[1];
      if (parent[c] < 0 && present[p] && present[c] && holds(date, row[2], row[3])) {
        parent[c] = p;
        (children[p] || (children[p] = [])).push(c);
      }
    });
    var roots = [];
    for (i = 0; i < COUNT; i++) if (present[i] && cat(i) === 'unit' && !placed[i]) roots.push(i);
    var queue = roots.slice();
    roots.forEach(function (x) { keep[x] = 1; });
    for (var q = 0; q < queue.length; q++) {
      (children[queue[q]] || []).forEach(function (c) { if (!keep[c]) { keep[c] = 1; queue.push(c); } });
    }
    var linked = new Uint8Array(COUNT), links = [];
    D.links.forEach(function (row) {
      var u = row[0], v = row[1];
      linked[v] = 1;
      if (!present[u] || !present[v] || !holds(date, row[3], row[4])) return;
      links.push(row);
      if (keep[u] && cat(v) !== 'unit' && cat(u) === 'unit') (att[u] || (att[u] = [])).push([v, row[2]]);
    });
    att.forEach(function (list) {
      if (list) list.sort(function (a, b) { return CAT_ORDER[cat(a[0])] - CAT_ORDER[cat(b[0])]; });
    });
    for (i = 0; i < COUNT; i++) if (present[i] && cat(i) !== 'unit' && !linked[i]) roots.push(i);
    var since = date ? minusYear(date) : null, marks = {};
    D.events.forEach(function (e) {
      if (e.unit >= 0 && date && e.date <= date && e.date > since) marks[e.unit] = e;
    });
    return { date: date, present: present, keep: keep, parent: parent, children: children, att: att, roots: roots, links: links, marks: marks };
  }

  function nameAt(i, date) {
    var r = N[i];
    if (date && r.dn) {
      for (var k = 0; k < r.dn.length; k++) {
        var dn = r.dn[k];
        if (holds(date, dn[2], dn[3])) return { n: dn[0], a: dn[1] };
      }
    }
    return { n: r.n, a: r.a || '' };
  }

  /* ---------------- what is shown, and where ---------------- */
  function shownAttachments(u) {
    return (model.att[u] || []).filter(function (a) { return state.filters[cat(a[0])]; });
  }
  function linkedBelow() {
    // Units that carry, or have below them, a shown program, area or partner.
    var mark = new Uint8Array(COUNT), order = [], stack = model.roots.slice();
    while (stack.length) { var x = stack.pop(); order.push(x); (model.children[x] || []).forEach(function (c) { stack.push(c); }); }
    for (var k = order.length - 1; k >= 0; k--) {
      var u = order[k];
      if (shownAttachments(u).length) mark[u] = 1;
      if (mark[u] && model.parent[u] >= 0) mark[model.parent[u]] = 1;
    }
    return mark;
  }

  function buildLayout() {
    var all = state.filters.units, mark = all ? null : linkedBelow();
    var places = [], first = new Map();
    function place(i, parent, rel, level) {
      var p = { i: i, parent: parent, rel: rel, level: level, kids: [], atts: [], hidden: 0, unit: cat(i) === 'unit' };
      p.key = parent && !p.unit ? i + '@' + parent.i : String(i);
      p.h = p.unit ? HU : HA;
      places.push(p);
      if (!first.has(i)) first.set(i, p);
      return p;
    }
    var roots = model.roots.filter(function (i) { return cat(i) === 'unit' || state.filters[cat(i)]; });
    var tops = roots.map(function (i) { return place(i, null, -1, 0); });
    var stack = tops.slice().reverse();
    while (stack.length) {
      var p = stack.pop();
      if (!p.unit) continue;
      var kids = (model.children[p.i] || []).filter(function (c) { return all || mark[c]; });
      var atts = shownAttachments(p.i);
      p.expandable = kids.length + atts.length > 0;
      if (state.collapsed.has(p.i)) { p.hidden = kids.length + atts.length; continue; }
      p.kids = kids.map(function (c) { return place(c, p, -1, p.level + 1); });
      p.atts = atts.map(function (a) { return place(a[0], p, a[1], p.level + 1); });
      for (var k = p.kids.length - 1; k >= 0; k--) stack.push(p.kids[k]);
    }
    measure(tops);
    var x = MARGIN;
    tops.forEach(function (t) { position(t, x, MARGIN); x += t.sw + HGAP * 2; });
    var maxX = 0, maxY = 0;
    places.forEach(function (q) { maxX = Math.max(maxX, q.x + W); maxY = Math.max(maxY, q.y + q.h); });
    return { places: places, first: first, tops: tops, width: maxX + MARGIN, height: maxY + MARGIN };
  }

  function groupsOf(p) {
    // Subtrees side by side; leaf units in one column (with the attachments when
    // there is no subtree beside them), so that wide organizations stay narrow.
    var groups = [], leaves = [], at = -1;
    function isLeaf(k) { return !k.kids.length && !k.atts.length; }
    var trees = p.kids.filter(function (k) { return !isLeaf(k); });
    p.kids.forEach(function (k) {
      if (isLeaf(k) && (trees.length === 0 || p.kids.length - trees.length >= 2)) {
        if (at < 0) { at = groups.length; groups.push(null); }
        leaves.push(k);
      } else groups.push({ tree: k });
    });
    if (!trees.length && p.atts.length && leaves.length + p.atts.length <= STACK) leaves = leaves.concat(p.atts);
    else if (p.atts.length) groups.push({ stack: p.atts, att: true });
    if (at < 0 && leaves.length) { at = groups.length; groups.push(null); }
    if (at >= 0) groups[at] = { stack: leaves, att: !leaves[0].unit };
    // A long column wraps into several side by side, at most STACK boxes tall.
    var out = [];
    groups.forEach(function (g) {
      if (!g.stack || g.stack.length <= STACK) { out.push(g); return; }
      var cols = Math.ceil(g.stack.length / STACK), per = Math.ceil(g.stack.length / cols);
      for (var c = 0; c < g.stack.length; c += per) out.push({ stack: g.stack.slice(c, c + per), att: g.att });
    });
    return out;
  }
  function measure(tops) {
    // Post-order without recursion: subtree widths (sw) and group lists.
    var order = [], stack = tops.slice();
    while (stack.length) { var p = stack.pop(); order.push(p); p.kids.forEach(function (k) { stack.push(k); }); }
    for (var k = order.length - 1; k >= 0; k--) {
      var q = order[k];
      q.groups = groupsOf(q);
      var w = 0;
      q.groups.forEach(function (g, n) { g.w = g.stack ? IND + W : g.tree.sw; w += g.w + (n ? HGAP : 0); });
      q.sw = Math.max(W, w);
    }
  }
  function position(top, left, y) {
    var stack = [[top, left, y]];
    while (stack.length) {
      var item = stack.pop(), p = item[0], L = item[1];
      p.x = L + (p.sw - W) / 2; p.y = item[2];
      var used = 0;
      p.groups.forEach(function (g) { used += g.w; });
      used += HGAP * Math.max(0, p.groups.length - 1);
      var gx = L + (p.sw - used) / 2, cy = p.y + p.h + VGAP;
      p.groups.forEach(function (g) {
        g.x = gx;
        if (g.stack) {
          var sy = cy;
          g.stack.forEach(function (s) { s.x = gx + IND; s.y = sy; s.sw = W; s.groups = []; sy += s.h + SGAP; });
        } else stack.push([g.tree, gx, cy]);
        gx += g.w + HGAP;
      });
    }
  }

  /* ---------------- drawing ---------------- */
  function view() {
    var r = chartEl.getBoundingClientRect(), s = state.scale, pad = 200 / s;
    return { x0: -state.tx / s - pad, y0: -state.ty / s - pad, x1: (r.width - state.tx) / s + pad, y1: (r.height - state.ty) / s + pad };
  }
  function inView(v, x, y, w, h) { return x + w >= v.x0 && x <= v.x1 && y + h >= v.y0 && y <= v.y1; }

  function box(p) {
    var i = p.i, r = N[i], k = kindOf(i), name = nameAt(i, model.date);
    var e = el('div', 'node ' + (p.unit ? 'unit' : 'item ' + cat(i)));
    e.setAttribute('data-id', r.i);
    e.setAttribute('data-key', p.key);
    e.setAttribute('role', 'treeitem');
    e.setAttribute('aria-level', String(p.level + 1));
    e.tabIndex = 0;
    e.style.cssText = 'left:' + p.x + 'px;top:' + p.y + 'px;width:' + W + 'px;height:' + p.h + 'px;' +
      '--fill:' + k.fill + ';--line:' + k.line + ';--ink:' + k.ink;
    if (p.unit) {
      var head = el('div', 'kind');
      head.appendChild(el('span', '', k.label));
      if (name.a) head.appendChild(el('b', 'abbr', name.a));
      e.appendChild(head);
    }
    e.appendChild(el('div', 'name', name.n));
    var note = metaLine(i, name);
    if (note && p.unit) e.appendChild(el('div', 'meta', note));
    var mark = model.marks[i];
    if (mark) {
      e.classList.add('changed');
      e.appendChild(el('span', 'badge', mark.type.replace(/_/g, ' ') + ' ' + fmtDay(mark.date)));
    }
    if (p.expandable) {
      var open = !state.collapsed.has(i);
      e.setAttribute('aria-expanded', open ? 'true' : 'false');
      var t = el('button', 'tog', open ? '\u2212' : '+' + p.hidden);
      t.type = 'button';
      t.tabIndex = -1;
      t.title = open ? 'Collapse' : 'Expand (' + p.hidden + ' below)';
      t.setAttribute('aria-hidden', 'true');
      e.appendChild(t);
    }
    if (i === state.selected) e.classList.add('selected');
    var label = name.n + (name.a ? ' (' + name.a + ')' : '') + ', ' + k.label + (note ? ', ' + note : '');
    e.setAttribute('aria-label', label);
    e.title = name.n;
    return e;
  }
  function metaLine(i, name) {
    var r = N[i];
    if (model.date && name.n !== r.n) return 'later: ' + (r.a || r.n);
    if (model.date && r.u) return 'until ' + fmtDay(r.u);
    var m = boxMeasure(measuresAt(i));
    // A dated figure says its year, so an old figure is never read as today's.
    return m ? sizeText(m) + (m[3] ? ' (' + String(m[3]).slice(0, 4) + ')' : '') : '';
  }
  // The one size a box shows: a headcount first, then any count, money last.
  var PREFERRED = ['employees', 'personnel', 'special_agents', 'attorneys', 'officers', 'field_offices'];
  function boxMeasure(ms) {
    for (var k = 0; k < PREFERRED.length; k++) {
      for (var j = 0; j < ms.length; j++) if (ms[j][0] === PREFERRED[k]) return ms[j];
    }
    for (var j2 = 0; j2 < ms.length; j2++) if (!/(_usd|budget)/.test(ms[j2][0])) return ms[j2];
    return ms[0];
  }
  // The figures of the chosen day, by the rule of ice_graph.codec.measure_values: an undated
  // figure is the current one (the data's day and later); before that, the latest dated one.
  function measuresAt(i) {
    var best = {}, out = [];
    var current = !model.date || !D.date || model.date >= D.date;
    (N[i].m || []).forEach(function (m) {
      if (model.date && m[3] && m[3] > model.date) return;
      var cur = best[m[0]];
      if (!cur) best[m[0]] = m;
      else if (current) { if (cur[3] && (!m[3] || m[3] >= cur[3])) best[m[0]] = m; }
      else if (m[3] && (!cur[3] || m[3] >= cur[3])) best[m[0]] = m;
    });
    Object.keys(best).forEach(function (k) { out.push(best[k]); });
    return out;
  }
  function sizeValue(m) {
    var v = typeof m[1] === 'number' ? m[1].toLocaleString('en-US') : String(m[1]);
    if (/_usd$/.test(m[0]) && typeof m[1] === 'number' && m[1] >= 1e6) {
      v = '$' + (m[1] >= 1e9 ? (m[1] / 1e9).toFixed(m[1] % 1e9 ? 2 : 0) + ' billion' : (m[1] / 1e6).toFixed(m[1] % 1e6 ? 1 : 0) + ' million');
    }
    return (m[2] ? m[2] + ' ' : '') + v;
  }
  // "budget_request_usd" -> "Budget request (USD)": a field name made readable.
  function measureLabel(name) {
    var s = String(name), usd = /_usd$/.test(s);
    s = s.replace(/_usd$/, '').replace(/_/g, ' ');
    return s.charAt(0).toUpperCase() + s.slice(1) + (usd ? ' (USD)' : '');
  }
  function sizeText(m) { return sizeValue(m) + ' ' + String(m[0]).replace(/_usd$/, '').replace(/_/g, ' '); }

  function connectors(v) {
    var paths = { h: [], s: [] }, ticks = {};
    layout.places.forEach(function (p) {
      if (!p.groups || !p.groups.length) return;
      var last = p.groups[p.groups.length - 1], gy = p.y + p.h + VGAP;
      var bottom = gy + 2000;
      if (!inView(v, Math.min(p.x, p.groups[0].x), p.y, Math.max(p.x + W, last.x + last.w) - Math.min(p.x, p.groups[0].x), bottom - p.y)) return;
      var cx = p.x + W / 2, by = p.y + p.h + VGAP / 2, xs = [cx];
      p.groups.forEach(function (g) {
        var gx = g.stack ? g.x + IND / 2 : g.tree.x + W / 2;
        xs.push(gx);
        if (g.stack) {
          var lastUnit = null, lastItem = g.stack[g.stack.length - 1];
          g.stack.forEach(function (s) { if (s.unit) lastUnit = s; });
          var mid = lastUnit ? lastUnit.y + lastUnit.h / 2 : by;
          if (lastUnit) paths.h.push('M' + gx + ' ' + by + 'V' + mid);
          if (!lastItem.unit) paths.s.push('M' + gx + ' ' + mid + 'V' + (lastItem.y + lastItem.h / 2));
          g.stack.forEach(function (s) {
            var key = s.unit ? 'h' : RELS[s.rel];
            (ticks[key] || (ticks[key] = [])).push('M' + gx + ' ' + (s.y + s.h / 2) + 'H' + s.x);
          });
        } else paths.h.push('M' + gx + ' ' + by + 'V' + g.tree.y);
      });
      paths.h.push('M' + cx + ' ' + (p.y + p.h) + 'V' + by + 'M' + Math.min.apply(null, xs) + ' ' + by + 'H' + Math.max.apply(null, xs));
    });
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    function add(d, cls, color) {
      if (!d.length) return;
      var path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
      path.setAttribute('d', d.join(''));
      path.setAttribute('class', cls);
      if (color) path.setAttribute('stroke', color);
      svg.appendChild(path);
    }
    add(paths.h, 'l-h');
    add(paths.s, 'l-s');
    Object.keys(ticks).forEach(function (k) { add(ticks[k], k === 'h' ? 'l-h' : 'l-a', REL_COLOR[k] || '#7b8490'); });
  }

  function draw() {
    frame = 0;
    stage.style.transform = 'translate(' + state.tx + 'px,' + state.ty + 'px) scale(' + state.scale + ')';
    var v = view(), want = [], keys = new Set();
    layout.places.forEach(function (p) {
      if (inView(v, p.x, p.y, W, p.h)) { want.push(p); keys.add(p.key); }
    });
    var focused = document.activeElement, changed = false;
    drawn.forEach(function (e, key) { if (!keys.has(key)) { e.remove(); drawn.delete(key); changed = true; } });
    want.forEach(function (p) { if (!drawn.has(p.key)) { drawn.set(p.key, box(p)); changed = true; } });
    if (changed) {
      want.forEach(function (p) { stage.appendChild(drawn.get(p.key)); });
      if (focused && focused.classList && focused.classList.contains('node') && focused.isConnected) focused.focus({ preventScroll: true });
    }
    svg.setAttribute('width', layout.width);
    svg.setAttribute('height', layout.height);
    connectors(v);
  }
  function anythingInView() {
    var r = chartEl.getBoundingClientRect(), s = state.scale;
    var v = { x0: -state.tx / s, y0: -state.ty / s, x1: (r.width - state.tx) / s, y1: (r.height - state.ty) / s };
    return layout.places.some(function (p) { return inView(v, p.x, p.y, W, p.h); });
  }
  function schedule() { if (!frame) frame = requestAnimationFrame(draw); }
  function redraw(keepFocusId) {
    layout = buildLayout();
    drawn.forEach(function (e) { e.remove(); });
    drawn.clear();
    draw();
    status();
    if (keepFocusId !== undefined) {
      var e = nodeEl(keepFocusId);
      if (e) e.focus({ preventScroll: true });
    }
  }
  function nodeEl(i) {
    var p = layout.first.get(i);
    return p ? drawn.get(p.key) : null;
  }
  function status() {
    var units = 0, shown = 0;
    for (var i = 0; i < COUNT; i++) if (model.keep[i]) units++;
    layout.places.forEach(function (p) { if (p.unit) shown++; });
    var text = shown.toLocaleString('en-US') + ' of ' + units.toLocaleString('en-US') + ' units shown';
    if (model.date) text += ' \u00b7 as of ' + fmtDay(model.date, true);
    if (model.date && D.date && model.date < D.date) {
      // Units without a sourced start date are shown on every date their superior existed: say so.
      var undated = 0;
      layout.places.forEach(function (p) { if (p.unit && !N[p.i].f) undated++; });
      if (undated) text += ' \u00b7 ' + undated + ' shown without a sourced start date (may not have existed yet)';
    }
    else if (D.date) text += ' \u00b7 data of ' + fmtDay(D.date, true);
    $('status').textContent = text;
  }

  /* ---------------- pan and zoom ---------------- */
  function zoomAt(factor, cx, cy) {
    var s = Math.min(2.5, Math.max(0.08, state.scale * factor));
    state.tx = cx - (cx - state.tx) * (s / state.scale);
    state.ty = cy - (cy - state.ty) * (s / state.scale);
    state.scale = s;
    schedule();
  }
  function fit(readable) {
    // The whole chart; or, when that would be too small to read, the top of it at a readable size.
    var r = chartEl.getBoundingClientRect(), avail = r.height - 52;
    var sw = r.width / layout.width, sh = avail / layout.height, s = Math.min(1, sw, sh);
    if (readable && s < 0.7) {
      var least = r.width < 700 ? 0.62 : 0.7;
      s = Math.min(1, Math.max(sw, least));
      var top = layout.tops[0];
      state.scale = s;
      state.tx = s <= sw + 1e-9 ? (r.width - layout.width * s) / 2 : (top ? r.width / 2 - (top.x + W / 2) * s : 0);
      state.ty = 8;
    } else {
      state.scale = Math.max(0.08, s);
      state.tx = (r.width - layout.width * state.scale) / 2;
      state.ty = Math.max(0, (avail - layout.height * state.scale) / 2) * 0.4;
    }
    schedule();
  }
  function centerOn(p) {
    var r = chartEl.getBoundingClientRect(), s = Math.max(state.scale, 0.8);
    state.scale = s;
    state.tx = r.width / 2 - (p.x + W / 2) * s;
    state.ty = r.height / 3 - (p.y + p.h / 2) * s;
    draw();
  }
  function ensureVisible(p) {
    var r = chartEl.getBoundingClientRect(), s = state.scale;
    var x = p.x * s + state.tx, y = p.y * s + state.ty;
    if (x < 0 || y < 0 || x + W * s > r.width || y + p.h * s > r.height) {
      state.tx += Math.min(0, r.width - 12 - (x + W * s)) + Math.max(0, 12 - x);
      state.ty += Math.min(0, r.height - 12 - (y + p.h * s)) + Math.max(0, 12 - y);
      schedule();
    }
  }

  var pointers = new Map(), drag = null, dragged = false, pinch = null;
  chartEl.addEventListener('pointerdown', function (ev) {
    if (ev.target.closest('.zoom')) return;
    pointers.set(ev.pointerId, { x: ev.clientX, y: ev.clientY });
    if (pointers.size === 1) { drag = { x: ev.clientX, y: ev.clientY, tx: state.tx, ty: state.ty, id: ev.pointerId }; dragged = false; }
    if (pointers.size === 2) {
      var pts = Array.from(pointers.values());
      pinch = { d: Math.hypot(pts[0].x - pts[1].x, pts[0].y - pts[1].y), s: state.scale };
    }
  });
  chartEl.addEventListener('pointermove', function (ev) {
    if (!pointers.has(ev.pointerId)) return;
    pointers.set(ev.pointerId, { x: ev.clientX, y: ev.clientY });
    var r = chartEl.getBoundingClientRect();
    if (pinch && pointers.size === 2) {
      var pts = Array.from(pointers.values()), d = Math.hypot(pts[0].x - pts[1].x, pts[0].y - pts[1].y);
      var cx = (pts[0].x + pts[1].x) / 2 - r.left, cy = (pts[0].y + pts[1].y) / 2 - r.top;
      zoomAt((pinch.s * d / pinch.d) / state.scale, cx, cy);
      dragged = true;
      return;
    }
    if (!drag) return;
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!dragged && Math.hypot(dx, dy) > 5) { dragged = true; chartEl.setPointerCapture(ev.pointerId); chartEl.classList.add('dragging'); }
    if (dragged) { state.tx = drag.tx + dx; state.ty = drag.ty + dy; schedule(); }
  });
  function endPointer(ev) {
    pointers.delete(ev.pointerId);
    if (pointers.size < 2) pinch = null;
    if (!pointers.size) { drag = null; chartEl.classList.remove('dragging'); }
  }
  chartEl.addEventListener('pointerup', endPointer);
  chartEl.addEventListener('pointercancel', endPointer);
  chartEl.addEventListener('click', function (ev) { if (dragged) { ev.stopPropagation(); ev.preventDefault(); dragged = false; } }, true);
  chartEl.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    var r = chartEl.getBoundingClientRect();
    if (ev.ctrlKey || ev.metaKey || Math.abs(ev.deltaY) > Math.abs(ev.deltaX) && !ev.shiftKey) {
      zoomAt(Math.exp(-ev.deltaY * (ev.ctrlKey ? 0.01 : 0.0015)), ev.clientX - r.left, ev.clientY - r.top);
    } else { state.tx -= ev.deltaX || ev.deltaY; schedule(); }
  }, { passive: false });
  function zoomCenter(f) { var r = chartEl.getBoundingClientRect(); zoomAt(f, r.width / 2, r.height / 2); }
  $('zoom-in').addEventListener('click', function () { zoomCenter(1.25); });
  $('zoom-out').addEventListener('click', function () { zoomCenter(0.8); });
  $('zoom-fit').addEventListener('click', function () { fit(false); });
  $('expand-all').addEventListener('click', function () { state.collapsed.clear(); redraw(); fit(true); });
  $('collapse-all').addEventListener('click', function () {
    state.collapsed = new Set(D.collapse);
    if (!D.collapse.length) layout.places.forEach(function (p) { if (p.unit && p.level >= 1) state.collapsed.add(p.i); });
    redraw(); fit(true);
  });
  window.addEventListener('resize', schedule);

  /* ---------------- collapse, select, keyboard ---------------- */
  function toggle(i) {
    // The toggled box stays where it was on screen; the chart grows around it.
    var before = layout.first.get(i);
    if (state.collapsed.has(i)) state.collapsed.delete(i); else state.collapsed.add(i);
    layout = buildLayout();
    var after = layout.first.get(i);
    if (before && after) {
      state.tx += (before.x - after.x) * state.scale;
      state.ty += (before.y - after.y) * state.scale;
    }
    redraw(i);
  }
  stage.addEventListener('click', function (ev) {
    var e = ev.target.closest('.node');
    if (!e) return;
    var p = placeOf(e);
    if (ev.target.closest('.tog')) { toggle(p.i); return; }
    select(p.i);
  });
  stage.addEventListener('dblclick', function (ev) {
    var e = ev.target.closest('.node');
    if (e && !ev.target.closest('.tog')) { var p = placeOf(e); if (p.expandable) toggle(p.i); }
  });
  function placeOf(e) {
    var key = e.getAttribute('data-key');
    for (var k = 0; k < layout.places.length; k++) if (layout.places[k].key === key) return layout.places[k];
    return null;
  }
  stage.addEventListener('focusin', function (ev) {
    var e = ev.target.closest && ev.target.closest('.node');
    var p = e && placeOf(e);
    if (p) ensureVisible(p);
  });
  stage.addEventListener('keydown', function (ev) {
    var e = ev.target.closest('.node');
    if (!e) return;
    var p = placeOf(e), next = null;
    if (ev.key === 'Enter') {
      ev.preventDefault();
      if (p.expandable) toggle(p.i);
      select(p.i, true);
      return;
    }
    if (ev.key === ' ') { ev.preventDefault(); select(p.i, true); return; }
    var sib = p.parent ? p.parent.kids.concat(p.parent.atts) : layout.tops;
    var at = sib.indexOf(p);
    if (ev.key === 'ArrowDown') next = p.kids[0] || p.atts[0];
    else if (ev.key === 'ArrowUp') next = p.parent;
    else if (ev.key === 'ArrowRight') next = sib[at + 1];
    else if (ev.key === 'ArrowLeft') next = sib[at - 1];
    else if (ev.key === 'Escape') { closePanel(); return; }
    if (next) {
      ev.preventDefault();
      ensureVisible(next);
      draw();
      var t = drawn.get(next.key);
      if (t) t.focus();
    }
  });

  function select(i, keepFocus) {
    state.selected = i;
    drawn.forEach(function (e) { e.classList.toggle('selected', +e.getAttribute('data-key').split('@')[0] === i); });
    showPanel(i);
    var p = layout.first.get(i);
    if (p) {
      var r = chartEl.getBoundingClientRect(), sheet = $('panel').getBoundingClientRect();
      var y = p.y * state.scale + state.ty + r.top;
      if (sheet.top > r.top && y + p.h * state.scale > sheet.top - 8) { state.ty -= y + p.h * state.scale - sheet.top + 24 + r.height * 0.1; }
      ensureVisible(p);
      draw();
    }
    if (!keepFocus) { var e = nodeEl(i); if (e) e.focus({ preventScroll: true }); }
  }

  /* ---------------- the side panel ---------------- */
  function section(body, title) {
    var s = el('section', 'sec');
    s.appendChild(el('h3', '', title));
    body.appendChild(s);
    return s;
  }
  function row(parent, label, value) {
    var dl = parent.querySelector('dl') || parent.appendChild(el('dl'));
    dl.appendChild(el('dt', '', label));
    var dd = dl.appendChild(el('dd'));
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
    return dd;
  }
  function unitLink(i) {
    var b = el('button', 'linkish', nameAt(i, model.date).n);
    b.type = 'button';
    b.addEventListener('click', function () { reveal(i); });
    return b;
  }
  function safeUrl(url) { return typeof url === 'string' && /^https?:\/\/[^\s]+$/i.test(url) ? url : ''; }
  function citeList(parent, cites) {
    var ol = parent.appendChild(el('ol', 'cites'));
    cites.forEach(function (c) {
      var src = D.sources[c[0]] || { id: '?' }, li = ol.appendChild(el('li'));
      if (c[2]) li.appendChild(el('span', 'fact', 'on ' + String(c[2]).replace(/_/g, ' ')));
      li.appendChild(el('blockquote', 'quote', D.quotes[c[1]]));
      var who = li.appendChild(el('p', 'src')), url = safeUrl(src.url);
      if (url) {
        var a = el('a', '', src.title || src.id);
        a.href = url; a.rel = 'noopener noreferrer'; a.target = '_blank';
        who.appendChild(a);
      } else who.appendChild(el('cite', '', src.title || src.id));
      var bits = [src.publisher, src.published && 'published ' + fmtDay(src.published, true), src.accessed && 'read ' + fmtDay(src.accessed, true)];
      var extra = bits.filter(Boolean).join(' \u00b7 ');
      if (extra) who.appendChild(el('span', 'pub', ' \u2014 ' + extra));
    });
  }
  function showPanel(i) {
    var r = N[i], k = kindOf(i), name = nameAt(i, model.date), body = $('panel-body');
    body.textContent = '';
    var head = body.appendChild(el('header', 'p-head'));
    head.style.cssText = '--fill:' + k.fill + ';--line:' + k.line + ';--ink:' + k.ink;
    head.appendChild(el('p', 'p-kind', k.label + (name.a ? ' \u00b7 ' + name.a : '')));
    var h2 = head.appendChild(el('h2', '', name.n));
    h2.id = 'panel-title';
    if (name.n !== r.n) head.appendChild(el('p', 'p-now', 'Later: ' + r.n + (r.a ? ' (' + r.a + ')' : '')));
    if (r.d) body.appendChild(el('p', 'p-desc', r.d));
    var facts = section(body, 'Facts');
    var chain = [], x = model.parent[i];
    while (x >= 0 && chain.length < 50) { chain.unshift(x); x = model.parent[x]; }
    if (chain.length) {
      var crumbs = el('span', 'crumbs');
      chain.forEach(function (c, n) { if (n) crumbs.appendChild(document.createTextNode(' \u203a ')); crumbs.appendChild(unitLink(c)); });
      row(facts, 'Part of', crumbs);
    }
    if (r.h) row(facts, 'Head', r.h);
    if (r.l) row(facts, 'Location', r.l);
    if (r.r) {
      // A state split between units is covered in part: its counties follow, a row each.
      var part = r.rc || {};
      row(facts, 'Area of responsibility', r.r.map(function (s) {
        return part[s] ? s + ' (' + part[s].length + ' counties)' : s;
      }).join(', '));
      r.r.forEach(function (s) { if (part[s]) row(facts, 'Counties, ' + s, part[s].join(', ')); });
    }
    if (r.f || r.u) row(facts, 'Existed', (r.f ? 'from ' + fmtDay(r.f, true) : '') + (r.f && r.u ? ' ' : '') + (r.u ? 'until ' + fmtDay(r.u, true) : ''));
    row(facts, 'Id', r.i);
    var names = [];
    (r.dn || []).forEach(function (dn) {
      var when = (dn[2] ? 'from ' + fmtDay(dn[2]) : '') + (dn[2] && dn[3] ? ' ' : '') + (dn[3] ? 'until ' + fmtDay(dn[3]) : '');
      names.push(dn[0] + (dn[1] ? ' (' + dn[1] + ')' : '') + (when ? ' \u2014 ' + when : ''));
    });
    var dated = (r.dn || []).map(function (dn) { return dn[0]; });
    (r.o || []).forEach(function (o) { if (dated.indexOf(o) < 0) names.push(o); });
    if (name.n !== r.n) names.unshift(r.n + (r.a ? ' (' + r.a + ')' : '') + ' \u2014 current name');
    if (names.length) {
      var ul = section(body, 'Other and former names').appendChild(el('ul', 'names'));
      names.forEach(function (t) { ul.appendChild(el('li', '', t)); });
    }
    if (r.m && r.m.length) {
      var sizes = section(body, 'Sizes');
      r.m.forEach(function (m) { row(sizes, measureLabel(m[0]), sizeValue(m) + (m[3] ? ' (' + fmtDay(m[4] || m[3], true) + ')' : '')); });
    }
    if (r.x && r.x.length) {
      var other = section(body, 'Other facts');
      r.x.forEach(function (x) { row(other, measureLabel(x[0]), typeof x[1] === 'number' ? x[1].toLocaleString('en-US') : String(x[1])); });
    }
    relations(body, i);
    var evs = D.events.filter(function (e) { return e.unit === i; });
    if (evs.length) {
      var ev = section(body, 'Changes').appendChild(el('ul', 'events'));
      evs.forEach(function (e) {
        var li = ev.appendChild(el('li'));
        var b = li.appendChild(el('button', 'linkish', fmtDay(e.shown || e.date, true)));
        b.type = 'button';
        if (D.history) b.addEventListener('click', function () { setDate(e.date); });
        li.appendChild(document.createTextNode(' ' + e.type.replace(/_/g, ' ') + eventText(e)));
      });
    }
    if (r.c && r.c.length) citeList(section(body, 'Sources (' + r.c.length + ')'), r.c);
    $('panel').hidden = false;
    document.body.classList.add('with-panel');
  }
  function eventText(e) {
    function nm(v) { return typeof v === 'number' ? N[v].n : v; }
    var t = '';
    if (e.before !== undefined) t += ' from ' + nm(e.before);
    if (e.after !== undefined) t += ' to ' + nm(e.after);
    return t + (e.note ? '. ' + e.note : '');
  }
  function relations(body, i) {
    var out = [], inn = [];
    model.links.forEach(function (row) {
      if (row[0] === i) out.push(row); else if (row[1] === i) inn.push(row);
    });
    if (!out.length && !inn.length) return;
    var s = section(body, 'Relations'), ul = s.appendChild(el('ul', 'rels'));
    function item(text, j) { var li = ul.appendChild(el('li')); li.appendChild(el('span', 'rel', text + ' ')); li.appendChild(unitLink(j)); }
    out.forEach(function (row) { item(relLabel(RELS[row[2]], false), row[1]); });
    inn.forEach(function (row) { item(relLabel(RELS[row[2]], true), row[0]); });
  }
  function relLabel(rel, reverse) {
    var L = { runs: ['runs', 'run by'], responsible_for: ['responsible for', 'handled by'], partners_with: ['works with', 'works with'], predecessor_of: ['predecessor of', 'successor of'] };
    var pair = L[rel] || [String(rel).replace(/_/g, ' '), String(rel).replace(/_/g, ' ') + ' (from)'];
    return pair[reverse ? 1 : 0];
  }
  function closePanel() {
    $('panel').hidden = true;
    document.body.classList.remove('with-panel');
    state.selected = -1;
    drawn.forEach(function (e) { e.classList.remove('selected'); });
  }
  $('panel-close').addEventListener('click', closePanel);

  /* ---------------- bringing a node into view ---------------- */
  function reveal(i, focus) {
    var f = cat(i);
    if (f !== 'unit' && !state.filters[f]) { state.filters[f] = true; syncFilters(); }
    if (!model.keep[i] && !model.present[i] || (f === 'unit' && !model.keep[i])) {
      var r = N[i];
      if (D.history && (r.f || r.u)) setDate(r.u && (!r.f || r.u > r.f) ? monthDay(monthIndex(r.u) - 1) : r.f, true);
    }
    var anchor = i;
    if (f !== 'unit') {
      var owner = model.links.filter(function (row) { return row[1] === i && model.keep[row[0]]; })[0];
      anchor = owner ? owner[0] : -1;
      if (owner) state.collapsed.delete(owner[0]);
    }
    if (!state.filters.units) { state.filters.units = true; syncFilters(); }
    for (var x = anchor >= 0 ? model.parent[anchor] : -1; x >= 0; x = model.parent[x]) state.collapsed.delete(x);
    redraw();
    var p = layout.first.get(i);
    if (!p) { $('status').textContent = N[i].n + ' is not part of the organization on this date'; return; }
    centerOn(p);
    select(i, !focus);
    var e = nodeEl(i);
    if (e) {
      e.classList.remove('hit'); void e.offsetWidth; e.classList.add('hit');
      if (focus) e.focus({ preventScroll: true });
    }
  }

  /* ---------------- search ---------------- */
  var index = N.map(function (r) {
    var names = [r.n, r.a || ''].concat(r.o || [], (r.dn || []).map(function (d) { return d[0] + '\u0001' + d[1]; }), [r.i]);
    return names.join('\u0001').toLowerCase();
  });
  var hits = $('hits'), qEl = $('q'), active = 0, results = [], timer = 0;
  function search(q) {
    q = q.trim().toLowerCase();
    results = [];
    if (!q) return;
    for (var i = 0; i < COUNT; i++) {
      var at = index[i].indexOf(q);
      if (at < 0) continue;
      var parts = index[i].split('\u0001'), score = 3;
      for (var k = 0; k < parts.length; k++) {
        if (parts[k] === q) { score = 0; break; }
        if (parts[k].indexOf(q) === 0) score = Math.min(score, 1);
        else if (parts[k].indexOf(' ' + q) >= 0) score = Math.min(score, 2);
      }
      results.push([score + (cat(i) === 'unit' ? 0 : 0.5), i]);
    }
    results.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    results = results.slice(0, 12).map(function (x) { return x[1]; });
  }
  function matchedAlias(i, q) {
    var r = N[i];
    if (r.n.toLowerCase().indexOf(q) >= 0 || (r.a || '').toLowerCase().indexOf(q) >= 0) return '';
    var all = (r.o || []).concat((r.dn || []).map(function (d) { return d[0]; }));
    for (var k = 0; k < all.length; k++) if (all[k].toLowerCase().indexOf(q) >= 0) return all[k];
    return '';
  }
  function showHits() {
    hits.textContent = '';
    var q = qEl.value.trim().toLowerCase();
    if (!q) { hits.hidden = true; return; }
    if (!results.length) { hits.appendChild(el('li', 'none', 'No unit, program or area matches')); hits.hidden = false; return; }
    results.forEach(function (i, n) {
      var li = hits.appendChild(el('li', n === active ? 'on' : ''));
      li.setAttribute('role', 'option');
      li.id = 'hit-' + n;
      li.appendChild(el('span', 'h-name', N[i].n + (N[i].a ? ' (' + N[i].a + ')' : '')));
      var alias = matchedAlias(i, q), p = model.parent[i];
      var sub = kindOf(i).label + (alias ? ' \u00b7 also ' + alias : '') + (p >= 0 ? ' \u00b7 ' + (N[p].a || N[p].n) : '');
      li.appendChild(el('span', 'h-sub', sub));
      li.addEventListener('mousedown', function (ev) { ev.preventDefault(); pick(n); });
    });
    qEl.setAttribute('aria-activedescendant', 'hit-' + active);
    hits.hidden = false;
  }
  function pick(n) {
    var i = results[n];
    if (i === undefined) return;
    hits.hidden = true;
    // Found by a name of another time: go to that time, so the box shows that name.
    var q = qEl.value.trim().toLowerCase(), alias = matchedAlias(i, q);
    var dn = (N[i].dn || []).filter(function (d) { return d[0] === alias; })[0];
    if (D.history && dn && !holds(state.date, dn[2], dn[3])) setDate(dn[3] ? monthDay(monthIndex(dn[3]) - 1) : dn[2], true);
    reveal(i, true);
  }
  qEl.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { active = 0; search(qEl.value); showHits(); }, COUNT > 20000 ? 150 : 40);
  });
  qEl.addEventListener('keydown', function (ev) {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      active = Math.max(0, Math.min(results.length - 1, active + (ev.key === 'ArrowDown' ? 1 : -1)));
      showHits();
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      clearTimeout(timer);
      search(qEl.value);
      pick(Math.min(active, results.length - 1));
    } else if (ev.key === 'Escape') { hits.hidden = true; }
  });
  qEl.addEventListener('blur', function () { setTimeout(function () { hits.hidden = true; }, 150); });
  qEl.addEventListener('focus', function () { if (qEl.value.trim()) { search(qEl.value); showHits(); } });

  /* ---------------- filters and legend ---------------- */
  function syncFilters() {
    document.querySelectorAll('[data-filter]').forEach(function (c) { c.checked = state.filters[c.getAttribute('data-filter')]; });
  }
  document.querySelectorAll('[data-filter]').forEach(function (c) {
    var f = c.getAttribute('data-filter');
    var present = f === 'units' || N.some(function (r) { return r.g === f; });
    if (!present) c.parentNode.hidden = true;
    c.addEventListener('change', function () { state.filters[f] = c.checked; redraw(); });
  });
  function legend() {
    var box = $('legend'), used = new Set(N.map(function (r) { return r.k; }));
    var kinds = box.appendChild(el('ul', 'lg-kinds'));
    KINDS.forEach(function (k, n) {
      if (!used.has(n)) return;
      var li = kinds.appendChild(el('li'));
      var sw = li.appendChild(el('span', 'sw' + (k.cat === 'unit' ? '' : ' sw-item')));
      sw.style.cssText = 'background:' + k.fill + ';border-color:' + k.line;
      li.appendChild(document.createTextNode(k.label));
    });
    var lines = box.appendChild(el('ul', 'lg-lines'));
    var rels = new Set(D.links.map(function (r) { return RELS[r[2]]; }));
    [['has_unit', 'part of (hierarchy)']].concat(['runs', 'responsible_for', 'partners_with'].filter(function (r) { return rels.has(r); }).map(function (r) { return [r, relLabel(r, false)]; }))
      .forEach(function (pair) {
        var li = lines.appendChild(el('li'));
        var s = li.appendChild(el('span', 'ln ln-' + pair[0]));
        if (REL_COLOR[pair[0]]) s.style.borderColor = REL_COLOR[pair[0]];
        li.appendChild(document.createTextNode(pair[1]));
      });
    var marks = box.appendChild(el('ul', 'lg-marks'));
    var li = marks.appendChild(el('li'));
    li.appendChild(el('span', 'tog demo', '+3'));
    li.appendChild(document.createTextNode('collapsed: 3 below'));
    if (D.history) {
      li = marks.appendChild(el('li'));
      li.appendChild(el('span', 'badge demo', 'renamed'));
      li.appendChild(document.createTextNode('changed in the year before the date'));
    }
    box.appendChild(el('p', 'lg-help', 'Drag to pan, scroll or pinch to zoom. Click a box for its sources; \u2212/+ or Enter collapses and expands.'));
  }

  /* ---------------- the date ---------------- */
  var dateEl = $('date');
  function setDate(day, quiet) {
    var lo = monthIndex(D.range[0]), hi = monthIndex(D.range[1]), m = Math.max(lo, Math.min(hi, monthIndex(day)));
    dateEl.value = String(m);
    applyDate(quiet);
  }
  function dateOfControl() {
    var m = +dateEl.value;
    return m >= monthIndex(D.range[1]) ? D.range[1] : monthDay(m);
  }
  function applyDate(quiet) {
    state.date = dateOfControl();
    model = compute(state.date);
    $('date-label').textContent = fmtDay(state.date, state.date === D.range[1]);
    dateEl.setAttribute('aria-valuetext', fmtDay(state.date, true));
    if (!quiet) {
      redraw();
      if (!anythingInView()) fit(true);
      if (state.selected >= 0 && model.present[state.selected]) showPanel(state.selected);
    }
  }
  function initDate() {
    if (!D.history) { model = compute(null); return; }
    $('when').hidden = false;
    dateEl.min = String(monthIndex(D.range[0]));
    dateEl.max = String(monthIndex(D.range[1]));
    dateEl.step = '1';
    var list = document.createElement('datalist');
    list.id = 'date-ticks';
    D.events.forEach(function (e) { var o = document.createElement('option'); o.value = String(monthIndex(e.date)); list.appendChild(o); });
    document.body.appendChild(list);
    dateEl.setAttribute('list', 'date-ticks');
    dateEl.value = String(monthIndex(D.open || D.range[1]));
    applyDate(true);
    dateEl.addEventListener('input', function () { applyDate(false); });
    // A month is a pixel or less of the slider: these step to the months where something changed,
    // and PageUp/PageDown move a year (the arrow keys move a month).
    var changes = D.events.map(function (e) { return monthIndex(e.date); }).sort(function (a, b) { return a - b; });
    $('date-prev').addEventListener('click', function () { stepTo(changes, -1); });
    $('date-next').addEventListener('click', function () { stepTo(changes, 1); });
    dateEl.addEventListener('keydown', function (e) {
      if (e.key !== 'PageUp' && e.key !== 'PageDown') return;
      e.preventDefault();
      stopPlay();
      setDate(monthDay(+dateEl.value + (e.key === 'PageUp' ? 12 : -12)));
    });
    $('date-now').addEventListener('click', function () { stopPlay(); setDate(D.range[1]); });
    $('date-play').addEventListener('click', function () { if (playing) stopPlay(); else play(); });
    dateEl.addEventListener('pointerdown', stopPlay);
  }
  function stepTo(changes, dir) {
    // The nearest month before (dir -1) or after (dir 1) the control's with a dated change; else the range's end.
    stopPlay();
    var m = +dateEl.value, to = dir < 0 ? +dateEl.min : +dateEl.max;
    for (var i = 0; i < changes.length; i++) {
      if (dir < 0 && changes[i] < m) to = Math.max(to, changes[i]);
      if (dir > 0 && changes[i] > m) { to = Math.min(to, changes[i]); break; }
    }
    dateEl.value = String(to);
    applyDate(false);
  }
  var playing = 0;
  function play() {
    // Month by month from the start (or from here), a year about every second.
    var btn = $('date-play');
    if (+dateEl.value >= +dateEl.max) dateEl.value = dateEl.min;
    btn.textContent = '\u275a\u275a';
    btn.title = 'Pause';
    btn.setAttribute('aria-pressed', 'true');
    var step = Math.max(1, Math.ceil((+dateEl.max - +dateEl.min) / 300));
    playing = setInterval(function () {
      var m = Math.min(+dateEl.max, +dateEl.value + step);
      if (+dateEl.value >= +dateEl.max) m = +dateEl.max + 1;
      if (m > +dateEl.max) { stopPlay(); return; }
      dateEl.value = String(m);
      applyDate(false);
    }, 60);
  }
  function stopPlay() {
    if (!playing) return;
    clearInterval(playing);
    playing = 0;
    $('date-play').textContent = '\u25b6';
    $('date-play').title = 'Play the history';
    $('date-play').setAttribute('aria-pressed', 'false');
  }

  initDate();
  legend();
  layout = buildLayout();
  status();
  fit(true);
  draw();
  document.documentElement.setAttribute('data-ready', String(Math.round(performance.now())));
})();

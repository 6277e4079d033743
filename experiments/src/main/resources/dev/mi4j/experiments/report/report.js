// The report's interactivity, from the JSON in #report-data (written by HtmlReport):
// - results table: click a header to sort (numeric when every non-empty cell is a number, empty
//   cells last), a filter box (plain text matches anywhere in the row; column=value, column>number,
//   column<number match one column; all terms must match), a "compare" tick per trial;
// - charts through vega-embed (inlined): cost curves, the chosen metric against each varying
//   parameter, parallel coordinates of the varying parameters and the metric;
// - compare view (identities x ticked trials) and a paginated gallery per trial.
// URL fragment: #sort=<column>:asc|desc sorts on load; #selftest runs checkPage() once the charts
// are drawn and writes its outcome into <pre id="selftest" data-status="pass|fail">.
(function () {
  'use strict';
  var dataEl = document.getElementById('report-data');
  var D = dataEl ? JSON.parse(dataEl.textContent) : { entries: [], varying: [], metrics: [], directions: {} };
  var E = D.entries || [];
  var PAGE = 20;
  var hash = decodeURIComponent(window.location.hash || '');

  // Numbers at reading precision, as TextTable.significant writes them in Java.
  function fmt(v) {
    if (v === null || v === undefined || v === '') { return ''; }
    if (typeof v !== 'number') { return String(v); }
    if (!isFinite(v)) { return isNaN(v) ? '' : (v > 0 ? 'inf' : '-inf'); }
    if (Number.isInteger(v) && Math.abs(v) < 1e15) { return String(v); }
    var a = Math.abs(v);
    if (a >= 1e-3 && a < 1e7) { return String(Number(v.toPrecision(4))); }
    return v.toExponential(3).replace(/\.?0+e/, 'e');
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function isNum(t) { return t !== '' && t !== null && isFinite(Number(t)); }

  // ---- results table: sort and filter ----
  var table = document.getElementById('results');
  var headers = table ? table.tHead.rows[0].cells : [];
  function cellText(row, i) { var c = row.cells[i]; var v = c ? c.getAttribute('data-value') : ''; return v === null ? '' : v; }
  function colIndex(name) {
    for (var h = 0; h < headers.length; h++) { if (headers[h].getAttribute('data-col') === name) { return h; } }
    return -1;
  }
  function sortBy(i, dir) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var numeric = rows.every(function (r) { var t = cellText(r, i); return t === '' || isNum(t); });
    rows = rows.map(function (r, k) { return { row: r, key: cellText(r, i), pos: k }; });
    rows.sort(function (a, b) {
      if (a.key === '' && b.key !== '') { return 1; }
      if (b.key === '' && a.key !== '') { return -1; }
      var c = numeric ? Number(a.key) - Number(b.key) : a.key.localeCompare(b.key);
      if (dir === 'desc') { c = -c; }
      return c !== 0 ? c : a.pos - b.pos;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
    for (var h = 0; h < headers.length; h++) { headers[h].classList.remove('asc', 'desc'); }
    headers[i].classList.add(dir);
    table.setAttribute('data-sorted-by', headers[i].getAttribute('data-col'));
    table.setAttribute('data-sort-dir', dir);
  }
  function parseFilter(text) {
    return text.trim().split(/\s+/).filter(function (t) { return t !== ''; }).map(function (t) {
      var m = /^([^=<>]+)(=|<|>)(.*)$/.exec(t);
      if (m && colIndex(m[1]) >= 0) { return { col: colIndex(m[1]), op: m[2], value: m[3] }; }
      return { text: t.toLowerCase() };
    });
  }
  function rowMatches(row, terms) {
    return terms.every(function (t) {
      if (t.text !== undefined) { return row.textContent.toLowerCase().indexOf(t.text) >= 0; }
      var v = cellText(row, t.col);
      if (t.op === '=') { return isNum(v) && isNum(t.value) ? Number(v) === Number(t.value) : v === t.value; }
      if (!isNum(v) || !isNum(t.value)) { return false; }
      return t.op === '<' ? Number(v) < Number(t.value) : Number(v) > Number(t.value);
    });
  }
  function applyFilter() {
    var terms = parseFilter(document.getElementById('filter').value);
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var shown = 0;
    rows.forEach(function (r) {
      var ok = rowMatches(r, terms);
      r.style.display = ok ? '' : 'none';
      shown += ok ? 1 : 0;
    });
    table.setAttribute('data-shown', String(shown));
    document.getElementById('filter-count').textContent = terms.length ? shown + ' of ' + rows.length + ' rows' : '';
    return shown;
  }
  if (table) {
    Array.prototype.forEach.call(headers, function (th, i) {
      if (th.classList.contains('nosort')) { return; }
      th.addEventListener('click', function () { sortBy(i, th.classList.contains('asc') ? 'desc' : 'asc'); });
    });
    var sm = /^#sort=([^:]*):(asc|desc)$/.exec(hash);
    if (sm && colIndex(sm[1]) >= 0) { sortBy(colIndex(sm[1]), sm[2]); }
    var filter = document.getElementById('filter');
    if (filter) { filter.addEventListener('input', applyFilter); }
    table.setAttribute('data-shown', String(table.tBodies[0].rows.length));
    table.setAttribute('data-sortable', 'ready');
  }

  // ---- galleries and the compare view ----
  function caption(g) {
    var parts = [];
    if (g.p !== null && g.p !== undefined) { parts.push('p=' + fmt(g.p)); }
    if (g.top1) { parts.push('top-1 ' + g.top1 + (g.ok ? ' \u2713' : ' \u2717')); }
    if (g.ssim !== null && g.ssim !== undefined) { parts.push('SSIM ' + fmt(g.ssim)); }
    return parts.join(' \u00b7 ');
  }
  function img(src, alt) {
    if (!src) { return el('span', { 'class': 'missing' }, '\u2014'); }
    return el('img', { src: src, alt: alt, loading: 'eager' });
  }
  function pager(box, page, pages, go) {
    box.textContent = '';
    if (pages <= 1) { return; }
    var prev = el('button', { type: 'button' }, '\u2039 prev');
    var next = el('button', { type: 'button' }, 'next \u203a');
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    prev.addEventListener('click', function () { go(page - 1); });
    next.addEventListener('click', function () { go(page + 1); });
    box.appendChild(prev);
    box.appendChild(el('span', null, ' identities page ' + (page + 1) + ' of ' + pages + ' '));
    box.appendChild(next);
  }
  var galleryPage = 0;
  function renderGallery() {
    var sel = document.getElementById('gallery-entry');
    var box = document.getElementById('gallery');
    if (!sel || !box) { return; }
    box.textContent = '';
    var e = E[Number(sel.value)];
    var links = document.getElementById('gallery-png');
    links.textContent = '';
    if (!e) { return; }
    (e.galleryPng || []).forEach(function (u, k) {
      var a = el('a', { href: u }, e.galleryPng.length > 1 ? 'PNG page ' + (k + 1) : 'gallery PNG');
      links.appendChild(a);
      links.appendChild(document.createTextNode(' '));
    });
    var ids = e.identities || [];
    if (!ids.length) { box.appendChild(el('p', { 'class': 'meta' }, e.status === 'ok' ? 'No reconstructions in this folder.' : 'Failed: no reconstructions.')); return; }
    var pages = Math.ceil(ids.length / PAGE);
    galleryPage = Math.min(galleryPage, pages - 1);
    pager(document.getElementById('gallery-pager'), galleryPage, pages, function (p) { galleryPage = p; renderGallery(); });
    var t = el('table', { 'class': 'gallery-table' });
    var hr = t.createTHead().insertRow();
    ['identity', 'training image', 'identity mean', 'reconstruction (raw)', 'contrast-stretched'].forEach(function (h) { hr.appendChild(el('th', null, h)); });
    var body = t.createTBody();
    ids.slice(galleryPage * PAGE, (galleryPage + 1) * PAGE).forEach(function (g) {
      var r = body.insertRow();
      r.insertCell().appendChild(el('span', { 'class': 'idname' }, g.name));
      [g.train, g.mean, g.rec, g.str].forEach(function (src, k) {
        var c = r.insertCell();
        c.appendChild(img(src, g.name + ' ' + ['training', 'mean', 'raw', 'stretched'][k]));
        if (k === 2) { c.appendChild(el('div', { 'class': 'cap' }, caption(g))); }
      });
    });
    box.appendChild(t);
  }
  var comparePage = 0;
  function selected() {
    return Array.prototype.slice.call(document.querySelectorAll('input.cmp'))
      .filter(function (c) { return c.checked; }).map(function (c) { return Number(c.getAttribute('data-index')); });
  }
  function renderCompare() {
    var box = document.getElementById('compare');
    if (!box) { return; }
    box.textContent = '';
    var sel = selected();
    var mode = document.getElementById('compare-mode').value;
    if (sel.length < 2) {
      box.appendChild(el('p', { 'class': 'meta' }, 'Tick at least two trials in the results table to compare them.'));
      document.getElementById('compare-pager').textContent = '';
      return;
    }
    var names = [];
    var byEntry = sel.map(function (i) {
      var m = {};
      (E[i].identities || []).forEach(function (g) { m[g.name] = g; if (names.indexOf(g.name) < 0) { names.push(g.name); } });
      return m;
    });
    var pages = Math.max(1, Math.ceil(names.length / PAGE));
    comparePage = Math.min(comparePage, pages - 1);
    pager(document.getElementById('compare-pager'), comparePage, pages, function (p) { comparePage = p; renderCompare(); });
    var t = el('table', { 'class': 'gallery-table compare-table' });
    var hr = t.createTHead().insertRow();
    hr.appendChild(el('th', null, 'identity'));
    hr.appendChild(el('th', null, 'training image'));
    sel.forEach(function (i) {
      var th = el('th', { 'class': 'cmp-entry', 'data-index': String(i), colspan: mode === 'both' ? '2' : '1' }, E[i].label);
      th.title = E[i].id;
      hr.appendChild(th);
    });
    var body = t.createTBody();
    names.slice(comparePage * PAGE, (comparePage + 1) * PAGE).forEach(function (n) {
      var r = body.insertRow();
      r.insertCell().appendChild(el('span', { 'class': 'idname' }, n));
      var train = null;
      byEntry.forEach(function (m) { if (!train && m[n] && m[n].train) { train = m[n].train; } });
      r.insertCell().appendChild(img(train, n + ' training'));
      byEntry.forEach(function (m, k) {
        var g = m[n];
        var srcs = mode === 'both' ? ['rec', 'str'] : [mode === 'raw' ? 'rec' : 'str'];
        srcs.forEach(function (s, j) {
          var c = r.insertCell();
          c.appendChild(img(g ? g[s] : null, n + ' ' + E[sel[k]].label + ' ' + s));
          if (j === srcs.length - 1 && g) { c.appendChild(el('div', { 'class': 'cap' }, caption(g))); }
          if (mode === 'both') { c.appendChild(el('div', { 'class': 'cap kind' }, s === 'rec' ? 'raw' : 'stretched')); }
        });
      });
    });
    box.appendChild(t);
  }
  (function initGalleries() {
    var sel = document.getElementById('gallery-entry');
    if (sel) {
      E.forEach(function (e, i) { sel.appendChild(el('option', { value: String(i) }, e.label + (e.status === 'ok' ? '' : ' (failed)'))); });
      sel.addEventListener('change', function () { galleryPage = 0; renderGallery(); });
      renderGallery();
    }
    var boxes = document.querySelectorAll('input.cmp');
    Array.prototype.forEach.call(boxes, function (c) { c.addEventListener('change', function () { comparePage = 0; renderCompare(); }); });
    // Start with the two best trials by the default metric (else the first two) that have
    // reconstructions, so the view is never empty.
    var withImages = Array.prototype.filter.call(boxes, function (c) {
      var e = E[Number(c.getAttribute('data-index'))];
      return !c.disabled && e && (e.identities || []).length > 0;
    });
    var m = D.defaultMetric;
    var dir = m ? D.directions[m] : null;
    if (dir === 'higher_is_better' || dir === 'lower_is_better') {
      var score = function (c) {
        var v = E[Number(c.getAttribute('data-index'))].metrics[m];
        return typeof v !== 'number' ? -Infinity : dir === 'higher_is_better' ? v : -v;
      };
      withImages = withImages.map(function (c, k) { return { c: c, k: k }; })
        .sort(function (a, b) { return score(b.c) - score(a.c) || a.k - b.k; }).map(function (x) { return x.c; });
    }
    if (withImages.length >= 2) { withImages[0].checked = true; withImages[1].checked = true; }
    var mode = document.getElementById('compare-mode');
    if (mode) { mode.addEventListener('change', renderCompare); }
    renderCompare();
  })();

  // ---- charts ----
  var charts = [];   // {id, name (dataset), promise}
  var metricSel = document.getElementById('metric');
  var hasVega = typeof vegaEmbed === 'function';
  var embedOptions = { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } };
  if (hasVega && typeof vega !== 'undefined') { embedOptions.logLevel = vega.Error; }
  function embed(id, dataName, spec) {
    var box = document.getElementById(id);
    if (!hasVega || !box) { return; }
    var p = vegaEmbed(box, spec, embedOptions);
    charts.push({ id: id, name: dataName, promise: p });
    return p;
  }
  function okEntries() { return E.filter(function (e) { return e.status === 'ok'; }); }
  function numericParam(p) {
    return okEntries().every(function (e) { var v = e.params[p]; return v === null || v === undefined || typeof v === 'number'; });
  }
  function logScale(values) {
    var xs = values.filter(function (v) { return typeof v === 'number'; });
    if (!xs.length) { return false; }
    var min = Math.min.apply(null, xs);
    var max = Math.max.apply(null, xs);
    return min > 0 && max / min >= 100;
  }
  function drawCosts() {
    var rows = [];
    E.forEach(function (e) {
      (e.curve || []).forEach(function (pt) { rows.push({ trial: e.label, iteration: pt[0], 'mean cost': pt[1] }); });
    });
    var box = document.getElementById('chart-costs');
    if (!rows.length) { if (box) { box.style.display = 'none'; } return; }
    embed('chart-costs', 'curves', {
      title: 'Mean cost per iteration (lower is better)',
      width: 720, height: 300,
      data: { name: 'curves', values: rows },
      layer: [{
        params: [
          { name: 'pick', select: { type: 'point', fields: ['trial'] }, bind: 'legend' },
          { name: 'zoom', select: 'interval', bind: 'scales' }
        ],
        mark: { type: 'line', strokeWidth: 1.6 },
        encoding: {
          x: { field: 'iteration', type: 'quantitative' },
          y: { field: 'mean cost', type: 'quantitative', scale: { zero: false } },
          color: { field: 'trial', type: 'nominal', scale: { scheme: E.length > 10 ? 'category20' : 'category10' }, legend: { columns: 1, symbolLimit: 60, labelLimit: 320 } },
          opacity: { condition: { param: 'pick', value: 1 }, value: 0.07 }
        }
      }, {
        params: [{ name: 'hover', select: { type: 'point', on: 'pointermove', nearest: true, clear: 'pointerout' } }],
        mark: { type: 'point', filled: true, size: 50 },
        encoding: {
          x: { field: 'iteration', type: 'quantitative' },
          y: { field: 'mean cost', type: 'quantitative' },
          color: { field: 'trial', type: 'nominal', legend: null },
          opacity: { condition: { param: 'hover', empty: false, value: 1 }, value: 0 },
          tooltip: [{ field: 'trial' }, { field: 'iteration' }, { field: 'mean cost', format: '.4~g' }]
        }
      }]
    });
  }
  function drawMetric(metric) {
    var params = document.getElementById('chart-params');
    var par = document.getElementById('chart-parallel');
    if (params) { params.textContent = ''; }
    if (par) { par.textContent = ''; }
    charts = charts.filter(function (c) { return c.id === 'chart-costs'; });
    if (!metric || E.length < 2) { return; }
    var dir = D.directions[metric] || 'unknown';
    var better = dir === 'higher_is_better' ? ' (higher is better)' : dir === 'lower_is_better' ? ' (lower is better)' : '';
    var ok = okEntries().filter(function (e) { return typeof e.metrics[metric] === 'number'; });
    (D.varying || []).forEach(function (p, k) {
      var id = 'chart-param-' + k;
      params.appendChild(el('div', { id: id, 'class': 'chart small' }));
      var numeric = numericParam(p);
      var others = D.varying.filter(function (q) { return q !== p; });
      var rows = ok.map(function (e) {
        var r = { trial: e.label, x: e.params[p], y: e.metrics[metric] };
        if (others.length) { r.group = e.params[others[0]]; }
        return r;
      });
      var x = numeric
        ? { field: 'x', type: 'quantitative', title: p, scale: { type: logScale(rows.map(function (r) { return r.x; })) ? 'log' : 'linear', zero: false } }
        : { field: 'x', type: 'nominal', title: p, sort: null,
            axis: { labelAngle: rows.some(function (r) { return String(r.x).length > 10; }) ? -30 : 0, labelLimit: 150 } };
      var point = {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x: x, y: { field: 'y', type: 'quantitative', title: metric, scale: { zero: false } },
          tooltip: [{ field: 'trial' }, { field: 'x', title: p }, { field: 'y', title: metric, format: '.4~g' }]
        }
      };
      if (others.length) { point.encoding.color = { field: 'group', type: 'nominal', title: others[0] }; }
      embed(id, 'points', {
        title: metric + ' vs ' + p + better,
        width: 300, height: 220,
        data: { name: 'points', values: rows },
        layer: [
          { mark: { type: 'line', color: '#aaa', strokeDash: [4, 3] }, encoding: { x: x, y: { aggregate: 'mean', field: 'y', type: 'quantitative' } } },
          point
        ]
      });
    });
    drawParallel(metric, ok, better);
  }
  function drawParallel(metric, ok, better) {
    var axes = (D.varying || []).slice();
    if (!axes.length || ok.length < 2) { return; }
    var all = axes.concat([metric]);
    var lines = [];
    var ticks = [];
    var scales = all.map(function (a, k) {
      var vals = ok.map(function (e) { return k === axes.length ? e.metrics[metric] : e.params[a]; });
      var numeric = vals.every(function (v) { return typeof v === 'number'; });
      if (numeric) {
        var log = logScale(vals);
        var f = function (v) { return log ? Math.log(v) : v; };
        var lo = Math.min.apply(null, vals.map(f));
        var hi = Math.max.apply(null, vals.map(f));
        var pos = function (v) { return hi === lo ? 0.5 : (f(v) - lo) / (hi - lo); };
        var distinct = vals.filter(function (v, i) { return vals.indexOf(v) === i; });
        (distinct.length <= 6 ? distinct : [Math.min.apply(null, vals), Math.max.apply(null, vals)]).forEach(function (v) {
          ticks.push({ axis: a, pos: pos(v), text: fmt(v) });
        });
        return pos;
      }
      var cats = [];
      vals.forEach(function (v) { var s = String(v); if (cats.indexOf(s) < 0) { cats.push(s); } });
      cats.forEach(function (c, i) { ticks.push({ axis: a, pos: cats.length === 1 ? 0.5 : i / (cats.length - 1), text: c }); });
      return function (v) { return cats.length === 1 ? 0.5 : cats.indexOf(String(v)) / (cats.length - 1); };
    });
    ok.forEach(function (e) {
      all.forEach(function (a, k) {
        var v = k === axes.length ? e.metrics[metric] : e.params[a];
        lines.push({ trial: e.label, axis: a, pos: scales[k](v), value: fmt(v), m: e.metrics[metric] });
      });
    });
    var x = { field: 'axis', type: 'nominal', sort: all, axis: { title: null, orient: 'top', labelAngle: 0, domain: false, ticks: false, labelLimit: 160, labelFontWeight: 'bold', labelPadding: 8 } };
    embed('chart-parallel', 'lines', {
      title: { text: 'Parameters and ' + metric + better, subtitle: 'one line per trial, coloured by ' + metric },
      width: Math.max(320, 150 * all.length), height: 260,
      layer: [
        { data: { values: all.map(function (a) { return { axis: a }; }) }, mark: { type: 'rule', color: '#bbb' }, encoding: { x: x } },
        {
          data: { name: 'lines', values: lines },
          params: [{ name: 'over', select: { type: 'point', fields: ['trial'], on: 'pointerover', clear: 'pointerout' } }],
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            x: x, y: { field: 'pos', type: 'quantitative', axis: null, scale: { domain: [-0.06, 1.06] } },
            detail: { field: 'trial' },
            color: { field: 'm', type: 'quantitative', title: metric, scale: { scheme: 'viridis', reverse: D.directions[metric] === 'lower_is_better' } },
            opacity: { condition: { param: 'over', empty: false, value: 1 }, value: 0.75 },
            strokeWidth: { condition: { param: 'over', empty: false, value: 4 }, value: 2 },
            tooltip: [{ field: 'trial' }, { field: 'm', title: metric, format: '.4~g' }]
          }
        },
        {
          data: { values: ticks }, mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#333', limit: Math.max(60, 150 - 8) },
          encoding: { x: x, y: { field: 'pos', type: 'quantitative', axis: null, scale: { domain: [-0.06, 1.06] } }, text: { field: 'text' } }
        }
      ]
    });
  }
  if (metricSel) {
    (D.metrics || []).forEach(function (m) { metricSel.appendChild(el('option', { value: m }, m)); });
    if (D.defaultMetric) { metricSel.value = D.defaultMetric; }
    metricSel.addEventListener('change', function () { drawMetric(metricSel.value); });
  }
  drawCosts();
  drawMetric(metricSel ? metricSel.value : null);

  // ---- self-test (#selftest) ----
  function markCount(box) {
    return box ? box.querySelectorAll('svg .role-mark path, svg .role-mark line, svg .role-mark text').length : 0;
  }
  function checkPage() {
    return Promise.all(charts.map(function (c) { return c.promise; })).then(function (results) {
      var out = { charts: [], ok: true };
      results.forEach(function (r, k) {
        var c = charts[k];
        var n = r.view.data(c.name).length;
        var marks = markCount(document.getElementById(c.id));
        out.charts.push({ id: c.id, data: n, marks: marks });
        if (!(n > 0 && marks > 0)) { out.ok = false; }
      });
      if (!hasVega) { out.ok = false; out.error = 'vegaEmbed missing'; }
      // sort on the chosen metric, descending (two clicks)
      var metric = metricSel ? metricSel.value : null;
      var col = metric ? colIndex(metric) : -1;
      if (col >= 0) {
        headers[col].click();
        headers[col].click();
        var vals = Array.prototype.map.call(table.tBodies[0].rows, function (r) { return cellText(r, col); });
        var nums = vals.filter(function (v) { return v !== ''; }).map(Number);
        var sorted = nums.every(function (v, i) { return i === 0 || nums[i - 1] >= v; })
          && vals.slice(nums.length).every(function (v) { return v === ''; });
        out.sort = { column: metric, dir: table.getAttribute('data-sort-dir'), values: vals, ok: sorted };
        out.ok = out.ok && sorted && table.getAttribute('data-sort-dir') === 'desc';
      }
      // filter on the first varying parameter's first value
      var p = (D.varying || [])[0];
      if (p && colIndex(p) >= 0 && E.length) {
        var v = E[0].params[p];
        var term = p + '=' + (v === null || v === undefined ? '' : String(v));
        var input = document.getElementById('filter');
        input.value = term;
        input.dispatchEvent(new Event('input'));
        var shown = Number(table.getAttribute('data-shown'));
        var expected = E.filter(function (e) {
          var w = e.params[p];
          return typeof v === 'number' ? Number(w) === v : String(w) === String(v);
        }).length;
        input.value = '';
        input.dispatchEvent(new Event('input'));
        var restored = Number(table.getAttribute('data-shown'));
        out.filter = { term: term, shown: shown, expected: expected, restored: restored, ok: shown === expected && shown < E.length && restored === E.length };
        out.ok = out.ok && out.filter.ok;
      }
      // compare: exactly the first two comparable trials ticked
      var boxes = Array.prototype.filter.call(document.querySelectorAll('input.cmp'), function (c) {
        var e = E[Number(c.getAttribute('data-index'))];
        return !c.disabled && e && (e.identities || []).length > 0;
      });
      if (boxes.length >= 2) {
        Array.prototype.forEach.call(document.querySelectorAll('input.cmp'), function (c) { if (c.checked) { c.click(); } });
        boxes[0].click();
        boxes[1].click();
        return new Promise(function (resolve) { setTimeout(resolve, 300); }).then(function () {
          var heads = document.querySelectorAll('#compare th.cmp-entry');
          var imgs = Array.prototype.slice.call(document.querySelectorAll('#compare td img'));
          var loaded = imgs.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
          out.compare = { columns: heads.length, rows: document.querySelectorAll('#compare tbody tr').length, images: imgs.length, loaded: loaded };
          out.compare.ok = heads.length === 2 && imgs.length > 0 && loaded === imgs.length;
          out.ok = out.ok && out.compare.ok;
          return out;
        });
      }
      return out;
    });
  }
  function report(out) {
    var pre = el('pre', { id: 'selftest', 'data-status': out.ok ? 'pass' : 'fail' }, JSON.stringify(out));
    document.body.insertBefore(pre, document.body.firstChild);
  }
  if (hash === '#selftest') {
    checkPage().then(report, function (err) { report({ ok: false, error: String(err) }); });
  }
})();

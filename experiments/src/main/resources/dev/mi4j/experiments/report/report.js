// Sortable results table: click a header to sort by that column, click again to reverse.
// A column sorts numerically when every non-empty cell is a number; empty cells go last.
// The URL fragment #sort=<column>:asc|desc sorts on load (used by the headless check).
(function () {
  var table = document.getElementById('results');
  if (!table) { return; }
  var headers = table.tHead.rows[0].cells;
  function cellText(row, i) { var c = row.cells[i]; return c ? c.getAttribute('data-value') : ''; }
  function sortBy(i, dir) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var numeric = rows.every(function (r) { var t = cellText(r, i); return t === '' || isFinite(Number(t)); });
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
  Array.prototype.forEach.call(headers, function (th, i) {
    th.addEventListener('click', function () {
      var dir = th.classList.contains('asc') ? 'desc' : 'asc';
      sortBy(i, dir);
    });
  });
  var m = /^#sort=([^:]*):(asc|desc)$/.exec(decodeURIComponent(window.location.hash || ''));
  if (m) {
    for (var h = 0; h < headers.length; h++) {
      if (headers[h].getAttribute('data-col') === m[1]) { sortBy(h, m[2]); }
    }
  }
  table.setAttribute('data-sortable', 'ready');
})();

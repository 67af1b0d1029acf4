"""The report's inline style and script: no file beside the page, nothing fetched.

The script highlights a fact's mention and evidence when its link is followed, filters the rows of every table
by a typed text, and sorts a table by a clicked column. The style keeps the page within a 390 px phone screen:
wide tables scroll inside their own box, long words break, and each plot shows its phone-sized copy.
"""

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:72rem;padding:1rem 2rem;
color:#222;line-height:1.4}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #ccc}h3{margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.85rem}th,td{border:1px solid #ddd;padding:.2rem .4rem;
vertical-align:top;text-align:left}th{background:#f4f4f4}td.n{text-align:right}
.plot svg{display:block;width:100%;max-width:60rem;height:auto}.chart-narrow{display:none}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.2rem 1rem;font-size:.85rem}
table.partners-by-date td:last-child,table.survey-figures td:last-child{min-width:15rem}
table.partners-by-date td:nth-child(-n+3){min-width:8rem}
table.partners-by-date td:first-child{min-width:0;white-space:nowrap}
.meta dt{font-weight:600;float:left;clear:left;width:11rem}
.meta dd{margin-left:11.5rem}
pre.doc-text{white-space:pre-wrap;font-size:.85rem;background:#fafafa;padding:.8rem;border:1px solid #eee;
overflow-x:auto}
.m{border-bottom:2px solid #9ecae1}.m-dates{border-color:#fdae6b}.m-figures{border-color:#a1d99b}
.m-commitments{border-color:#bcbddc}.m-questions{border-color:#d9d9d9}.r{text-decoration:underline dotted #d62728}
.active-e{background:#fff3b0}.active-m{background:#ffd54f;outline:1px solid #e0a800}
.wide{overflow-x:auto;max-width:100%}.wide td{min-width:5rem;overflow-wrap:break-word}
.wide td.n{min-width:0;white-space:nowrap}
tr:target{background:#fff3b0}.muted{color:#777}
body{overflow-wrap:anywhere}th{cursor:pointer;white-space:nowrap}th.sorted-asc::after{content:" ▲"}
th.sorted-desc::after{content:" ▼"}.alert{background:#fdecea;border:1px solid #f5c2c0;padding:.5rem .8rem}
.doc-id{font-size:.8rem;font-weight:normal}tr.hidden{display:none}.filter input{max-width:100%}
@media (max-width:40rem){body{padding:.5rem .6rem}.chart-wide{display:none}.chart-narrow{display:block}
.plot svg{max-width:23.2rem;margin:0 auto}h1{font-size:1.25rem}.meta dt{float:none;width:auto}
.meta dd{margin-left:0}td,th{font-size:.8rem}}
"""

SCRIPT = """
(function () {
  function clear() {
    document.querySelectorAll('.active-m, .active-e').forEach(function (el) {
      el.classList.remove('active-m', 'active-e');
    });
  }
  function openAround(el) {
    for (var d = el.closest('details'); d; d = d.parentElement ? d.parentElement.closest('details') : null) {
      d.open = true;
    }
  }
  function show() {
    clear();
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (id.indexOf('t-') !== 0) { return; }
    var anchor = document.getElementById(id);
    if (!anchor) { return; }
    var ref = id.slice(2);
    openAround(anchor);
    document.querySelectorAll('[data-m~="' + ref + '"], [data-r~="' + ref + '"]').forEach(function (el) {
      el.classList.add('active-m');
    });
    document.querySelectorAll('[data-e~="' + ref + '"]').forEach(function (el) { el.classList.add('active-e'); });
    anchor.scrollIntoView({block: 'center'});
  }
  window.addEventListener('hashchange', show);
  document.addEventListener('DOMContentLoaded', show);

  // Filter: rows of every table that do not contain the typed text are hidden (case-insensitive).
  function filterRows(text) {
    var needle = text.trim().toLowerCase();
    document.querySelectorAll('table tbody tr').forEach(function (tr) {
      tr.classList.toggle('hidden', needle !== '' && tr.textContent.toLowerCase().indexOf(needle) < 0);
    });
  }
  // Sort: a click on a column heading sorts its table by that column (numbers as numbers), again to reverse.
  function cellValue(tr, index) {
    var cell = tr.children[index];
    return cell ? cell.textContent.trim() : '';
  }
  function sortBy(th) {
    var table = th.closest('table'), body = table.tBodies[0], index = Array.prototype.indexOf.call(
      th.parentNode.children, th);
    var ascending = !th.classList.contains('sorted-asc');
    table.querySelectorAll('th').forEach(function (h) { h.classList.remove('sorted-asc', 'sorted-desc'); });
    th.classList.add(ascending ? 'sorted-asc' : 'sorted-desc');
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index), nx = parseFloat(x), ny = parseFloat(y);
      var order = (!isNaN(nx) && !isNaN(ny) && String(nx) === x && String(ny) === y) ? nx - ny
        : x.localeCompare(y, 'de', {numeric: true});
      return ascending ? order : -order;
    });
    rows.forEach(function (tr) { body.appendChild(tr); });
  }
  document.addEventListener('DOMContentLoaded', function () {
    var box = document.getElementById('filter');
    if (box) { box.addEventListener('input', function () { filterRows(box.value); }); }
    document.querySelectorAll('table thead th').forEach(function (th) {
      th.addEventListener('click', function () { sortBy(th); });
    });
  });
})();
"""

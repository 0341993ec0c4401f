(function () {
  "use strict";
  var root = document.documentElement;

  function value(td, numeric) {
    var v = td.getAttribute("data-v");
    if (v === null || v === "") return null;
    return numeric ? parseFloat(v) : v;
  }

  // sortBy orders a table's rows by column i; missing values stay last.
  function sortBy(table, i, descending) {
    var th = table.tHead.rows[0].cells[i];
    var numeric = th.getAttribute("data-type") === "num";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (tr, n) { return { tr: tr, v: value(tr.cells[i], numeric), n: n }; });
    keyed.sort(function (a, b) {
      if (a.v === null || b.v === null) return (a.v === null) - (b.v === null) || a.n - b.n;
      var c = numeric ? a.v - b.v : a.v.localeCompare(b.v, undefined, { numeric: true });
      return (descending ? -c : c) || a.n - b.n;
    });
    var frag = document.createDocumentFragment();
    keyed.forEach(function (k) { frag.appendChild(k.tr); });
    body.appendChild(frag);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  function onHeader(th) {
    var table = th.closest("table");
    sortBy(table, th.cellIndex, th.getAttribute("aria-sort") === "ascending");
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable th"), function (th) {
    th.addEventListener("click", function () { onHeader(th); });
    th.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); onHeader(th); }
    });
  });

  // The self-test runs only when the page is opened with #selftest: it
  // clicks a numeric header of every sortable table twice and checks the
  // order, and checks that every figure decoded.
  function selftest() {
    var problems = [];
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
      var heads = table.tHead.rows[0].cells, col = -1;
      for (var i = heads.length - 1; i >= 0; i--) if (heads[i].getAttribute("data-type") === "num") { col = i; break; }
      if (col < 0 || table.tBodies[0].rows.length < 2) return;
      [false, true].forEach(function (desc) {
        heads[col].click();
        var last = null;
        Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
          var v = value(tr.cells[col], true);
          if (v === null) return;
          if (last !== null && (desc ? v > last : v < last)) problems.push(table.getAttribute("data-table") + ": column " + col + " not " + (desc ? "descending" : "ascending"));
          last = v;
        });
      });
      table.setAttribute("data-sorted", "1");
    });
    Array.prototype.forEach.call(document.images, function (img) {
      if (!img.complete || img.naturalWidth === 0) problems.push("figure not decoded: " + (img.closest("figure") || img).id);
    });
    root.setAttribute("data-selftest", problems.length ? "fail: " + problems.join("; ") : "pass");
  }
  if (location.hash === "#selftest") {
    if (document.readyState === "complete") selftest(); else window.addEventListener("load", selftest);
  }
  root.setAttribute("data-ok", "1");
})();

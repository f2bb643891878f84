/* reqkit: the filterable, sortable requirement list (and matrix), drawn from list.json.
   No framework. Text goes in with textContent only, never as HTML. 10k rows: filtering
   and sorting run on plain arrays; at most `step` rows more are drawn at a time. */
(function () {
  "use strict";
  var STEP = 200;
  var FILTERS = ["status", "type", "priority", "urgency", "owner", "tags"];
  var COLUMNS = {
    list: ["id", "title", "status", "type", "priority", "urgency", "owner", "tags"],
    matrix: ["id", "title", "status", "parent", "children", "tests", "verdict"]
  };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function setup(host) {
    host.setAttribute("data-ready", "1");
    fetch(host.getAttribute("data-src"))
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) { draw(host, data); })
      .catch(function (e) { host.textContent = "The list could not be loaded (" + e.message + ")."; });
  }

  function draw(host, data) {
    var col = {};
    data.columns.forEach(function (name, i) { col[name] = i; });
    var mode = host.getAttribute("data-mode") || "list";
    var shown = COLUMNS[mode] || COLUMNS.list;
    var root = host.getAttribute("data-root") || "./";
    var params = new URLSearchParams(window.location.search);
    var state = { q: params.get("q") || "", sort: "id", desc: false, limit: STEP, f: {} };
    var rows = data.rows.map(function (r, i) { r.push(i); return r; });
    var order = data.columns.length;  /* where each row keeps its natural (ID) position */

    var form = el("div", null, "rk-filters");
    var search = el("input");
    search.type = "search";
    search.placeholder = data.labels.filter;
    search.value = state.q;
    search.setAttribute("aria-label", data.labels.filter);
    form.appendChild(search);
    var selects = {};
    FILTERS.forEach(function (name) {
      var values = data.values[name] || [];
      if (!values.length) return;
      var label = el("label", data.labels[name]);
      var select = el("select");
      select.name = name;
      var any = el("option", data.labels.any);
      any.value = "";
      select.appendChild(any);
      values.forEach(function (v) {
        var option = el("option", (data.names[name] || {})[v] || v);
        option.value = v;
        select.appendChild(option);
      });
      select.value = params.get(name) || "";
      state.f[name] = select.value;
      selects[name] = select;
      label.appendChild(select);
      form.appendChild(label);
    });
    var count = el("p", null, "rk-count");
    var table = el("table", null, "rk-table");
    var head = el("tr");
    shown.forEach(function (name) {
      var th = el("th", data.labels[name]);
      th.setAttribute("data-sort", name);
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(name); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sortBy(name); });
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    var tbody = el("tbody");
    table.appendChild(thead);
    table.appendChild(tbody);
    var more = el("button", "…", "md-button rk-more");
    more.type = "button";
    more.addEventListener("click", function () { state.limit += STEP; render(); });
    host.textContent = "";
    [form, count, table, more].forEach(function (n) { host.appendChild(n); });

    function sortBy(name) {
      state.desc = state.sort === name ? !state.desc : false;
      state.sort = name;
      render();
    }

    function matches(r, q) {
      for (var i = 0; i < FILTERS.length; i++) {
        var name = FILTERS[i], want = state.f[name];
        if (!want) continue;
        var have = r[col[name]];
        if (name === "tags" ? have.indexOf(want) < 0 : have !== want) return false;
      }
      return !q || r[0].toLowerCase().indexOf(q) >= 0 || r[1].toLowerCase().indexOf(q) >= 0;
    }

    function key(r, name) {
      var v = r[col[name]];
      if (name === "id") return r[order];
      if (Array.isArray(v)) return v.join(" ");
      return v;
    }

    function render() {
      var q = state.q.trim().toLowerCase();
      var hits = rows.filter(function (r) { return matches(r, q); });
      var name = state.sort, sign = state.desc ? -1 : 1;
      hits.sort(function (a, b) {
        var x = key(a, name), y = key(b, name);
        if (x < y) return -sign;
        if (x > y) return sign;
        return a[order] - b[order];
      });
      var frag = document.createDocumentFragment();
      hits.slice(0, state.limit).forEach(function (r) {
        var tr = el("tr");
        shown.forEach(function (c) {
          var td = el("td");
          var v = r[col[c]];
          if (c === "id") {
            var a = el("a", v);
            a.href = root + r[col.url];
            td.appendChild(a);
          } else if (c === "status" || c === "type" || c === "priority" || c === "urgency" || c === "verdict") {
            td.appendChild(el("span", (data.names[c] || {})[v] || v, c === "status" ? "rk-status rk-status-" + v : ""));
          } else if (Array.isArray(v)) {
            td.textContent = v.join(", ");
          } else {
            td.textContent = v;
          }
          tr.appendChild(td);
        });
        frag.appendChild(tr);
      });
      tbody.textContent = "";
      tbody.appendChild(frag);
      count.textContent = Math.min(hits.length, state.limit) + " / " + hits.length + " " + data.labels.shown;
      host.setAttribute("data-hits", String(hits.length));
      more.hidden = hits.length <= state.limit;
      head.childNodes.forEach(function (th) {
        th.setAttribute("aria-sort", th.getAttribute("data-sort") === state.sort ? (state.desc ? "descending" : "ascending") : "none");
      });
    }

    var timer = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.q = search.value; state.limit = STEP; render(); }, 120);
    });
    Object.keys(selects).forEach(function (name) {
      selects[name].addEventListener("change", function () {
        state.f[name] = selects[name].value;
        state.limit = STEP;
        render();
      });
    });
    render();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".rk-list:not([data-ready])"), setup);
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(init);  /* Material's instant navigation */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/* kg overview page: reads the JSON data block, draws it with vis-network. Untrusted text only via textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var status = document.getElementById("kg-status");
  var byId = new Map();
  var shown = new Map();

  function say(text) {
    status.textContent = text;
  }
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function field(box, name, value) {
    var row = el("div");
    row.appendChild(el("span", "kg-key", name + ": "));
    row.appendChild(document.createTextNode(String(value)));
    box.appendChild(row);
  }
  function fullName(n) {
    return n.name || n.label;
  }
  function nodeTip(n) {
    var box = el("div");
    box.appendChild(el("div", "kg-tip-head", fullName(n)));
    field(box, "kind", n.kind);
    field(box, "id", n.key);
    if (n.title) field(box, "title", n.title);
    if (n.aliases) field(box, "aliases", n.aliases.join(", "));
    if (n.papers !== undefined) field(box, "papers", n.papers);
    if (n.dates) field(box, "listed", n.dates.join(", "));
    if (n.url) field(box, "url", n.url);
    field(box, "links", n.value);
    return box;
  }
  function edgeTip(e) {
    var box = el("div");
    box.appendChild(el("div", "kg-tip-head", byId.get(e.from).label + " \u2192 " + byId.get(e.to).label));
    e.rels.forEach(function (r) {
      var head = r.relation + (r.confidence !== undefined ? " (" + r.confidence + ")" : "");
      box.appendChild(el("div", null, head));
      if (r.sentence) box.appendChild(el("div", "kg-quote", "\u201c" + r.sentence + "\u201d"));
      if (r.paper) field(box, "paper", r.paper);
    });
    return box;
  }
  var minPapers = 1;
  function visible(n) {
    // papers always show; entities need the minimum paper count of the slider (at 1, everything shows,
    // entities no paper mentions included)
    // (n may be a vis DataSet item, which does not carry the paper count: read it from the data)
    var d = byId.get(n.id) || n;
    return shown.get(d.group) !== false && (d.group === "Paper" || minPapers <= 1 || (d.papers || 0) >= minPapers);
  }

  data.nodes.forEach(function (n) {
    byId.set(n.id, n);
  });
  var nodes = new vis.DataSet(
    data.nodes.map(function (n) {
      return { id: n.id, label: n.label, group: n.group, value: n.value, x: n.x, y: n.y, title: nodeTip(n) };
    })
  );
  var edges = new vis.DataSet(
    data.edges.map(function (e, i) {
      return { id: i, from: e.from, to: e.to, width: e.rels.length > 1 ? 2 : 1, title: edgeTip(e) };
    })
  );
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-kind]"));
  boxes.forEach(function (box) {
    shown.set(box.getAttribute("data-kind"), box.checked);
  });
  var nodeView = new vis.DataView(nodes, { filter: visible });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) {
      return visible(byId.get(e.from)) && visible(byId.get(e.to));
    },
  });
  function refresh() {
    nodeView.refresh();
    edgeView.refresh();
  }
  var slider = document.getElementById("kg-min-papers");
  slider.addEventListener("input", function () {
    minPapers = Number(slider.value) || 1;
    document.getElementById("kg-min-out").textContent = String(minPapers);
    refresh();
  });
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      shown.set(box.getAttribute("data-kind"), box.checked);
      refresh();
    });
  });

  var network = new vis.Network(
    document.getElementById("kg-network"),
    { nodes: nodeView, edges: edgeView },
    data.options
  );
  if (data.nodes.length === 0) {
    say("empty graph: nothing to draw");
  } else if (data.physics) {
    say("laying out\u2026");
    network.on("stabilizationProgress", function (p) {
      say("laying out\u2026 " + Math.round((100 * p.iterations) / p.total) + "%");
    });
    network.once("stabilizationIterationsDone", function () {
      say("");
    });
  } else {
    network.fit();
  }

  // Side panel: what a clicked node is, and the papers and links behind it (all text via textContent).
  var panel = document.getElementById("kg-panel");
  var incoming = new Map();
  var outgoing = new Map();
  data.edges.forEach(function (e) {
    if (!incoming.has(e.to)) incoming.set(e.to, []);
    incoming.get(e.to).push(e);
    if (!outgoing.has(e.from)) outgoing.set(e.from, []);
    outgoing.get(e.from).push(e);
  });
  function linkList(title, edgesOf, other) {
    var items = edgesOf.slice(0, 200);
    if (items.length === 0) return;
    panel.appendChild(el("h3", null, title + " (" + edgesOf.length + ")"));
    var list = el("ol");
    items.forEach(function (e) {
      var n = byId.get(other(e));
      var li = el("li");
      li.appendChild(el("div", "kg-paper", fullName(n) + (n.kind === "Paper" ? "" : " [" + n.kind + "]")));
      e.rels.forEach(function (r) {
        li.appendChild(el("div", "kg-key", r.relation));
        if (r.sentence) li.appendChild(el("div", "kg-quote", "\u201c" + r.sentence + "\u201d"));
      });
      list.appendChild(li);
    });
    panel.appendChild(list);
  }
  function showPanel(n) {
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    panel.appendChild(el("h2", null, fullName(n)));
    field(panel, "kind", n.kind);
    if (n.title) field(panel, "title", n.title);
    if (n.aliases) field(panel, "aliases", n.aliases.join(", "));
    if (n.papers !== undefined) field(panel, "papers", n.papers);
    if (n.dates) field(panel, "listed", n.dates.join(", "));
    if (n.url) field(panel, "url", n.url);
    if (n.page) {
      var link = el("a", "kg-page", "open its page");
      link.setAttribute("href", n.page);
      var row = el("div");
      row.appendChild(link);
      panel.appendChild(row);
    }
    var inc = incoming.get(n.id) || [];
    var out = outgoing.get(n.id) || [];
    var from = function (e) { return e.from; };
    var to = function (e) { return e.to; };
    linkList("mentioned by papers", inc.filter(function (e) { return byId.get(e.from).kind === "Paper"; }), from);
    linkList("links in", inc.filter(function (e) { return byId.get(e.from).kind !== "Paper"; }), from);
    linkList(n.kind === "Paper" ? "mentions" : "links out", out, to);
    panel.hidden = false;
  }
  // for tests and the console: the drawn data and the network
  window.kg = {
    renderer: "vis",
    network: network,
    nodes: nodes,
    edges: edges,
    view: nodeView,
    showPanel: showPanel,
    firstDrawMs: null,
  };
  network.once("afterDrawing", function () {
    window.kg.firstDrawMs = performance.now(); // the benchmark's "first draw done"
  });
  network.on("click", function (params) {
    if (params.nodes.length > 0) showPanel(byId.get(params.nodes[0]));
    else panel.hidden = true;
  });

  // Search: exact name or alias first, then the first name/alias containing the query (node order).
  var names = data.nodes.map(function (n) {
    return [fullName(n)].concat(n.aliases || []).map(function (s) {
      return s.toLowerCase();
    });
  });
  var list = document.getElementById("kg-names");
  var seen = new Set();
  data.nodes.forEach(function (n) {
    [fullName(n)].concat(n.aliases || []).forEach(function (s) {
      if (seen.has(s)) return;
      seen.add(s);
      var option = document.createElement("option");
      option.value = s;
      list.appendChild(option);
    });
  });
  function find(q) {
    var i;
    for (i = 0; i < names.length; i++) {
      if (names[i].indexOf(q) >= 0) return data.nodes[i];
    }
    for (i = 0; i < names.length; i++) {
      if (names[i].some(function (s) { return s.indexOf(q) >= 0; })) return data.nodes[i];
    }
    return null;
  }
  document.getElementById("kg-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = document.getElementById("kg-query").value.trim().toLowerCase();
    if (!q) return;
    var n = find(q);
    if (n === null) {
      say("no node matches");
      return;
    }
    if (!visible(n)) {
      shown.set(n.group, true);
      boxes.forEach(function (box) {
        if (box.getAttribute("data-kind") === n.group) box.checked = true;
      });
      refresh();
    }
    network.selectNodes([n.id]);
    network.focus(n.id, { scale: 1.2, animation: { duration: 400 } });
    showPanel(n);
    say(fullName(n));
  });
})();

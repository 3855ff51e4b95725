/* kg overview page: reads the JSON data block, draws it with vis-network. Untrusted text only via textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var common = window.kgOverview(data); // overview_common.js: text helpers, side panel, search
  var byId = common.byId;
  var say = common.say;
  var el = common.el;
  var field = common.field;
  var fullName = common.fullName;
  var showPanel = common.showPanel;

  function nodeTip(n) {
    var box = el("div");
    box.appendChild(el("div", "kg-tip-head", fullName(n)));
    common.nodeFields(box, n, true);
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
  function visible(n) {
    return common.visible(byId.get(n.id) || n); // a vis DataSet item does not carry the paper count
  }

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
  common.onFilters(refresh);

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

  var panel = common.panel;
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

  common.onSearch(function (n) {
    if (common.reveal(n)) refresh();
    network.selectNodes([n.id]);
    network.focus(n.id, { scale: 1.2, animation: { duration: 400 } });
  });
})();

/* kg overview page, WebGL renderer for large graphs: reads the JSON data block, draws it with sigma.js on a
   graphology graph. Positions come precomputed from Python (no layout in the browser). Same user features and
   the same window.kg test hooks as the vis-network page (overview.js). Untrusted text only via textContent
   (sigma draws labels with canvas fillText, which never parses markup). */
(function () {
  "use strict";
  var t0 = performance.now();
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var common = window.kgOverview(data); // overview_common.js: text helpers, side panel, search
  var container = document.getElementById("kg-network");
  var byId = common.byId;
  var incoming = common.incoming;
  var outgoing = common.outgoing;
  var panel = common.panel;
  var say = common.say;
  var el = common.el;
  var fullName = common.fullName;
  var visible = common.visible;
  var selected = null; // node id whose neighbourhood is highlighted
  var neighbours = new Set();

  // Size by paper count (square root, so that a node mentioned by 150 papers does not cover the picture).
  var maxPapers = 1;
  data.nodes.forEach(function (n) {
    if (n.group !== "Paper" && (n.papers || 0) > maxPapers) maxPapers = n.papers;
  });
  function size(n) {
    if (n.group === "Paper") return 3;
    return 3.5 + 12.5 * Math.sqrt(Math.max(0, (n.papers || 1) - 1) / Math.max(1, maxPapers - 1));
  }

  var graph = new graphology.Graph({ type: "directed", multi: false, allowSelfLoops: true });
  data.nodes.forEach(function (n) {
    // y flipped: vis (and the Python layout) grow y downwards, sigma upwards; same picture either way
    graph.addNode(String(n.id), {
      x: n.x,
      y: -n.y,
      size: size(n),
      label: n.label,
      color: data.styles[n.group] || data.styles.Other,
    });
  });
  data.edges.forEach(function (e, i) {
    graph.addDirectedEdgeWithKey(String(i), String(e.from), String(e.to), {
      size: e.rels.length > 1 ? 1.5 : 1,
      color: "#bdbdbd",
    });
  });

  var DIM = "#ececec";
  var webgl = true;
  var renderer = null;
  // large graphs: one vertex per node (points) and two per edge (lines), see FAST_NODES in kg/view/html.py
  var programs = data.fast
    ? {
        nodeProgramClasses: { circle: Sigma.rendering.NodePointProgram },
        edgeProgramClasses: { line: Sigma.rendering.EdgeLineProgram },
      }
    : {};
  try {
    renderer = new Sigma(graph, container, Object.assign(programs, {
      enableEdgeEvents: data.edgeEvents,
      hideEdgesOnMove: data.nodes.length > 20000,
      labelFont: "system-ui, sans-serif",
      labelSize: 12,
      labelColor: { color: "#222222" },
      // small graphs label every node (sigma's label grid still avoids overlaps); large ones the bigger ones
      labelRenderedSizeThreshold: data.nodes.length <= 500 ? 0 : 7,
      minEdgeThickness: 0.6,
      zIndex: true,
      defaultEdgeColor: "#bdbdbd",
      nodeReducer: function (key, attrs) {
        var n = byId.get(Number(key));
        if (!visible(n)) return Object.assign({}, attrs, { hidden: true });
        if (selected === null) return attrs;
        if (n.id === selected) return Object.assign({}, attrs, { highlighted: true, zIndex: 2, forceLabel: true });
        if (neighbours.has(n.id)) return Object.assign({}, attrs, { zIndex: 1, forceLabel: true });
        return Object.assign({}, attrs, { color: DIM, label: "", zIndex: 0 });
      },
      edgeReducer: function (key, attrs) {
        var e = data.edges[Number(key)];
        if (!visible(byId.get(e.from)) || !visible(byId.get(e.to))) return Object.assign({}, attrs, { hidden: true });
        if (selected === null) return attrs;
        if (e.from === selected || e.to === selected) return Object.assign({}, attrs, { color: "#555555", zIndex: 1 });
        return Object.assign({}, attrs, { hidden: true });
      },
    }));
  } catch (err) {
    webgl = false;
    say("this browser cannot draw WebGL (" + err.message + "); run `kg view` with a higher --webgl-threshold");
  }

  function refresh() {
    if (renderer) renderer.refresh();
  }
  common.onFilters(refresh);

  function highlight(id) {
    selected = id;
    neighbours = new Set();
    if (id !== null) {
      (incoming.get(id) || []).forEach(function (e) {
        neighbours.add(e.from);
      });
      (outgoing.get(id) || []).forEach(function (e) {
        neighbours.add(e.to);
      });
    }
    refresh();
  }
  var showPanel = common.showPanel;
  function hidePanel() {
    panel.hidden = true;
    highlight(null);
  }

  // Edge tooltip: relation names (and the first evidence sentence) of the hovered edge, as text.
  var tip = el("div", "vis-tooltip");
  container.appendChild(tip);
  function showEdgeTip(ev) {
    var e = data.edges[Number(ev.edge)];
    while (tip.firstChild) tip.removeChild(tip.firstChild);
    tip.appendChild(el("div", "kg-tip-head", byId.get(e.from).label + " \u2192 " + byId.get(e.to).label));
    e.rels.slice(0, 5).forEach(function (r) {
      tip.appendChild(el("div", null, r.relation + (r.confidence !== undefined ? " (" + r.confidence + ")" : "")));
      if (r.sentence) tip.appendChild(el("div", "kg-quote", "\u201c" + r.sentence + "\u201d"));
    });
    tip.style.left = ev.event.x + 12 + "px";
    tip.style.top = ev.event.y + 12 + "px";
    tip.style.visibility = "visible";
  }

  // Test and console hooks with the shape of the vis page's (nodes/view/network), plus sigma itself.
  function item(n) {
    return { id: n.id, label: n.label, group: n.group, value: n.value, x: n.x, y: n.y };
  }
  function focus(id, opts) {
    if (!renderer) return;
    var d = renderer.getNodeDisplayData(String(id));
    if (!d) return;
    var state = { x: d.x, y: d.y, ratio: 1 / ((opts && opts.scale) || 1) / 4 };
    if (opts && opts.animation) renderer.getCamera().animate(state, { duration: opts.animation.duration || 300 });
    else renderer.getCamera().setState(state);
  }
  function drawn() {
    if (!renderer) return 0;
    var count = 0;
    graph.forEachNode(function (key) {
      var d = renderer.getNodeDisplayData(key);
      if (d && !d.hidden) count++;
    });
    return count;
  }
  window.kg = {
    renderer: "webgl",
    webgl: webgl,
    sigma: renderer,
    graph: graph,
    nodes: {
      length: data.nodes.length,
      get: function (id) {
        var n = byId.get(Number(id));
        return n ? item(n) : null;
      },
      getIds: function () {
        return data.nodes.map(function (n) { return n.id; });
      },
    },
    view: {
      get length() {
        return drawn();
      },
      get: function () {
        return data.nodes.filter(visible).map(item);
      },
    },
    network: {
      focus: focus,
      getPosition: function (id) {
        return { id: Number(id) };
      },
      canvasToDOM: function (pos) {
        // getPosition hands back the id: sigma maps a node to viewport pixels from its display data
        var d = renderer.getNodeDisplayData(String(pos.id));
        return renderer.framedGraphToViewport({ x: d.x, y: d.y });
      },
    },
    drawn: drawn,
    showPanel: showPanel,
    select: function (id) {
      highlight(id);
      showPanel(byId.get(id));
    },
    firstDrawMs: null,
  };

  if (renderer) {
    renderer.on("clickNode", function (ev) {
      var id = Number(ev.node);
      highlight(id);
      showPanel(byId.get(id));
    });
    renderer.on("clickStage", hidePanel);
    renderer.on("enterEdge", showEdgeTip);
    renderer.on("leaveEdge", function () {
      tip.style.visibility = "hidden";
    });
    renderer.on("enterNode", function () {
      container.style.cursor = "pointer";
    });
    renderer.on("leaveNode", function () {
      container.style.cursor = "";
    });
    // sigma rendered synchronously in its constructor; the next frame shows it on screen
    requestAnimationFrame(function () {
      window.kg.firstDrawMs = performance.now();
      window.kg.scriptMs = performance.now() - t0;
      if (data.nodes.length === 0) say("empty graph: nothing to draw");
      else say("");
    });
  }

  common.onSearch(function (n) {
    common.reveal(n);
    highlight(n.id);
    focus(n.id, { scale: 1.2, animation: { duration: 400 } });
  });
})();

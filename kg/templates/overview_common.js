/* kg overview pages: what both renderers (overview.js, vis-network; overview_webgl.js, sigma.js) share: text
   helpers, the side panel and the search index. window.kgOverview(data) returns them. Untrusted text only via
   textContent. */
(function () {
  "use strict";
  window.kgOverview = function (data) {
    var status = document.getElementById("kg-status");
    var panel = document.getElementById("kg-panel");
    var byId = new Map();
    var incoming = new Map();
    var outgoing = new Map();
    data.nodes.forEach(function (n) {
      byId.set(n.id, n);
    });
    data.edges.forEach(function (e) {
      if (!incoming.has(e.to)) incoming.set(e.to, []);
      incoming.get(e.to).push(e);
      if (!outgoing.has(e.from)) outgoing.set(e.from, []);
      outgoing.get(e.from).push(e);
    });

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

    // Filters: type checkboxes and the minimum-paper-count slider. visible() takes a node of the data block.
    var shown = new Map();
    var minPapers = 1;
    var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-kind]"));
    var slider = document.getElementById("kg-min-papers");
    boxes.forEach(function (box) {
      shown.set(box.getAttribute("data-kind"), box.checked);
    });
    function visible(n) {
      // papers always show; entities need the minimum paper count of the slider (at 1, everything shows,
      // entities no paper mentions included)
      return shown.get(n.group) !== false && (n.group === "Paper" || minPapers <= 1 || (n.papers || 0) >= minPapers);
    }
    function setMinPapers(value) {
      minPapers = value;
      slider.value = String(value);
      document.getElementById("kg-min-out").textContent = String(value);
    }
    // `changed` redraws after a filter moved
    function onFilters(changed) {
      slider.addEventListener("input", function () {
        setMinPapers(Number(slider.value) || 1);
        changed();
      });
      boxes.forEach(function (box) {
        box.addEventListener("change", function () {
          shown.set(box.getAttribute("data-kind"), box.checked);
          changed();
        });
      });
    }
    // a node found by search is shown even if a filter hid it; true when a filter had to move
    function reveal(n) {
      if (visible(n)) return false;
      shown.set(n.group, true);
      boxes.forEach(function (box) {
        if (box.getAttribute("data-kind") === n.group) box.checked = true;
      });
      if (n.group !== "Paper" && (n.papers || 0) < minPapers) setMinPapers(Math.max(1, n.papers || 1));
      return true;
    }

    // Side panel: what a clicked node is, and the papers and links behind it.
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
    // a node's facts, shared by the side panel and the vis tooltip (which also shows the key)
    function nodeFields(box, n, withKey) {
      field(box, "kind", n.kind);
      if (withKey) field(box, "id", n.key);
      if (n.title) field(box, "title", n.title);
      if (n.aliases) field(box, "aliases", n.aliases.join(", "));
      if (n.papers !== undefined) field(box, "papers", n.papers);
      if (n.dates) field(box, "listed", n.dates.join(", "));
      if (n.url) field(box, "url", n.url);
    }
    function showPanel(n) {
      while (panel.firstChild) panel.removeChild(panel.firstChild);
      panel.appendChild(el("h2", null, fullName(n)));
      nodeFields(panel, n, false);
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

    // Search: exact name or alias first, then the first name/alias containing the query (node order).
    var names = data.nodes.map(function (n) {
      return [fullName(n)].concat(n.aliases || []).map(function (s) {
        return s.toLowerCase();
      });
    });
    if (data.nodes.length <= 5000) {
      // a datalist of 20k+ options makes typing sluggish; large graphs search without suggestions
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
    }
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
    // the search form: what a renderer does with the node found (reveal, select, focus) is its own
    function onSearch(reveal) {
      document.getElementById("kg-search").addEventListener("submit", function (ev) {
        ev.preventDefault();
        var q = document.getElementById("kg-query").value.trim().toLowerCase();
        if (!q) return;
        var n = find(q);
        if (n === null) {
          say("no node matches");
          return;
        }
        reveal(n);
        showPanel(n);
        say(fullName(n));
      });
    }

    return {
      byId: byId,
      incoming: incoming,
      outgoing: outgoing,
      panel: panel,
      say: say,
      el: el,
      field: field,
      nodeFields: nodeFields,
      fullName: fullName,
      visible: visible,
      onFilters: onFilters,
      reveal: reveal,
      showPanel: showPanel,
      find: find,
      onSearch: onSearch,
    };
  };
})();

/* thbor-graph network view. Every data value is shown with textContent; links only for http(s). */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  // Every lookup keyed by a data value (an id, a name) goes through an object without a prototype:
  // an entity called "constructor" or "toString" must not find Object.prototype's members.
  function bare(obj) {
    var out = Object.create(null);
    Object.keys(obj || {}).forEach(function (k) { out[k] = obj[k]; });
    return out;
  }
  var data = JSON.parse($("graph-data").textContent);
  data.entities = bare(data.entities);
  data.claims = bare(data.claims);
  if (data.links) data.links = bare(data.links);
  // vis-network keeps nodes and edges in plain objects keyed by id, and an id naming a member of
  // Object.prototype sends it into endless recursion. Such ids reach vis with a prefix no data id
  // can start with (ids start with a letter or digit); every other id is passed unchanged.
  var ESC = "~";
  function toVis(id) { id = String(id); return (id in Object.prototype || id.charAt(0) === ESC) ? ESC + id : id; }
  function fromVis(v) { v = String(v); return v.charAt(0) === ESC ? v.slice(1) : v; }
  function visNode(n) { var o = Object.assign({}, n); o.id = toVis(n.id); return o; }
  function visEdge(e) { var o = Object.assign({}, e); o.id = toVis(e.id); o.from = toVis(e.from); o.to = toVis(e.to); return o; }
  var container = $("network");
  var details = $("details") || document.createElement("div");  // pages without a panel
  var initialDetails = Array.prototype.map.call(details.childNodes, function (n) { return n.cloneNode(true); });

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function safeLink(url, text) {
    if (typeof url !== "string" || !/^https?:\/\//i.test(url)) return el("span", text);
    var a = el("a", text);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function norm(s) {
    return String(s || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9\u0080-\uffff]+/g, "");
  }

  var baseEdge = Object.create(null);
  data.edges.forEach(function (e) { baseEdge[e.id] = { color: e.color, width: e.width }; });
  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  var options = {
    autoResize: true,
    nodes: { font: { size: 12 }, borderWidth: 1 },
    edges: { smooth: false, arrows: { to: { enabled: true, scaleFactor: 0.5 } }, font: { size: 10 } },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: data.nodes.length > 1000 },
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: data.physics ? {
      enabled: true, solver: "barnesHut",
      barnesHut: { gravitationalConstant: -4000, springLength: 120, springConstant: 0.04, avoidOverlap: 0.1 },
      stabilization: { enabled: true, iterations: 200, updateInterval: 50, fit: true }
    } : { enabled: false }
  };
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.network = network;
  network.on("resize", function () { network.redraw(); });  // a resized canvas is blank until drawn again
  window.thborView = { data: data, nodes: nodes, edges: edges, visId: toVis, dataId: fromVis };

  function ready() {
    // physics off once settled; fit and draw again (the stabilisation's last frame is not drawn)
    network.setOptions({ physics: { enabled: false } });
    network.once("afterDrawing", function () { window.thborReady = true; });
    network.fit({ animation: false });
    network.redraw();
  }
  if (data.physics) { network.once("stabilizationIterationsDone", function () { setTimeout(ready, 0); }); } else { ready(); }

  /* ---- fading: neighbourhood and path highlight ---- */
  function fade(keepNodes, keepEdges) {
    nodes.update(data.nodes.map(function (n) { return { id: toVis(n.id), opacity: keepNodes === null || keepNodes[n.id] ? 1 : 0.15 }; }));
    edges.update(data.edges.map(function (e) {
      var on = keepEdges === null || keepEdges[e.id];
      return { id: toVis(e.id), color: { color: baseEdge[e.id].color, opacity: on ? 1 : 0.1 } };
    }));
  }
  function asSet(list) { var s = Object.create(null); list.forEach(function (x) { s[x] = true; }); return s; }
  function connectedNodes(id) { return network.getConnectedNodes(toVis(id)).map(fromVis); }
  function connectedEdges(id) { return network.getConnectedEdges(toVis(id)).map(fromVis); }
  var pathLit = null;  // a path found in the page: {nodes, claims}, as sets
  function highlightPath() {
    // a path view fades what is not on the path; a focus view only marks its centre
    if (pathLit) fade(pathLit.nodes, pathLit.claims);
    else if (data.highlight.claims.length) fade(asSet(data.highlight.nodes), asSet(data.highlight.claims));
  }
  highlightPath();

  /* ---- details panel ---- */
  function clear() { while (details.firstChild) details.removeChild(details.firstChild); }
  function entityName(id) { return data.entities[id] ? data.entities[id].name : id; }

  // "source reliability B (usually reliable), information credibility 2 (probably true)": the words
  // come with the data, from the ontology's vocabularies
  function gradeWords(part, value) {
    var g = data.grades && data.grades[part];
    if (!g || value === undefined || value === null || value === "") return null;
    var label = Object.prototype.hasOwnProperty.call(g.labels, value) ? g.labels[value] : null;
    return g.name + " " + value + (label ? " (" + label + ")" : "");
  }
  function gradeBadge(reliability, credibility) {
    var badge = el("span", reliability + (credibility || ""), "grade");
    badge.title = [gradeWords("reliability", reliability), gradeWords("credibility", credibility)]
      .filter(Boolean).join(", ");
    return badge;
  }
  function citationBlock(c) {
    var box = el("div", null, "citation");
    var head = el("div");
    head.appendChild(gradeBadge(c.reliability, c.credibility));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(safeLink(c.url, c.title));
    var meta = [c.publisher, c.published, c.locator].filter(Boolean).join(", ");
    if (meta) head.appendChild(document.createTextNode(" (" + meta + ")"));
    box.appendChild(head);
    box.appendChild(el("div", "\u201c" + c.quote + "\u201d", "quote"));
    if (c.reports) {
      var rep = el("div", "reporting ", "note");
      rep.appendChild(document.createTextNode("["));
      rep.appendChild(gradeBadge(c.reports.reliability, null));
      rep.appendChild(document.createTextNode("] "));
      rep.appendChild(safeLink(c.reports.url, c.reports.title));
      if (c.reports.publisher) rep.appendChild(document.createTextNode(" (" + c.reports.publisher + ")"));
      box.appendChild(rep);
    }
    return box;
  }
  function claimBlock(c) {
    var box = el("div", null, "claim");
    box.dataset.claim = c.id;
    box.appendChild(el("div", entityName(c.subject) + " \u2014" + c.label + "\u2192 " + entityName(c.object)));
    var when = c.undated ? "undated" : [c.start, c.open_end ? "open" : c.end].filter(Boolean).join("\u2013");
    if (data.contested.indexOf(c.status) >= 0) box.appendChild(el("div", c.status.toUpperCase(), "status-flag"));
    box.appendChild(el("div", c.status + " \u00b7 confidence " + Number(c.confidence).toFixed(2) + (when ? " \u00b7 " + when : "") + " \u00b7 TLP:" + c.tlp, "note"));
    if (c.qualifiers) {
      box.appendChild(el("div", Object.keys(c.qualifiers).sort().map(function (k) { return k + ": " + c.qualifiers[k]; }).join(", "), "note"));
    }
    c.citations.forEach(function (cit) { box.appendChild(citationBlock(cit)); });
    if (c.note) box.appendChild(el("div", "Note: " + c.note, "note"));
    box.appendChild(el("div", "claim " + c.id, "note claim-id"));
    return box;
  }
  function showClaim(id) {
    var c = data.claims[id];
    if (!c) return;
    clear();
    details.appendChild(el("h3", "Claim"));
    details.appendChild(claimBlock(c));
  }
  function showNode(id) {
    var e = data.entities[id];
    if (!e) return;
    clear();
    details.appendChild(el("h3", e.name));
    var dl = el("dl");
    function row(k, v) { if (v) { dl.appendChild(el("dt", k)); dl.appendChild(el("dd", v)); } }
    row("Types", e.types.join(", "));
    if (e.role) row("Role in paths", e.role + ": not a link between others by default");
    row("Also known as", e.aliases.map(function (a) { return a.lang ? a.name + " (" + a.lang + ")" : a.name; }).join("; "));
    row("Country", e.country);
    row("Merged from", (e.merged_from || []).join(", "));
    row("Description", e.description);
    row("Sharing level", "TLP:" + e.tlp);
    details.appendChild(dl);
    if (e.url) details.appendChild(safeLink(e.url, e.url));
    // the claims the filters keep (an undated claim is no evidence about the year "Valid at" asks for)
    var every = connectedEdges(id), mine = every.filter(function (cid) { var e = edges.get(toVis(cid)); return !(e && e.hidden); });
    details.appendChild(el("h3", "Claims (" + mine.length + ")"));
    if (mine.length < every.length) details.appendChild(el("p", (every.length - mine.length) + " more left out by the filters", "note"));
    mine.sort().forEach(function (cid) { if (data.claims[cid]) details.appendChild(claimBlock(data.claims[cid])); });
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      var id = fromVis(params.nodes[0]);
      if (data.links && data.links[id] !== undefined) {  // dossier pages: go to the entity's page
        window.location.href = data.links[id];
        return;
      }
      showNode(id);
      var keepN = asSet([id].concat(connectedNodes(id)));
      fade(keepN, asSet(connectedEdges(id)));
    } else if (params.edges.length) {
      showClaim(fromVis(params.edges[0]));
    } else {
      fade(null, null);
      highlightPath();
    }
  });

  /* ---- legend: a swatch in each group's node shape and colour, counts, click to hide a type ---- */
  var SVG = "http://www.w3.org/2000/svg";
  function swatch(g) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "swatch");
    svg.setAttribute("viewBox", data.swatch_box);
    svg.setAttribute("aria-hidden", "true");
    svg.dataset.shape = g.shape;
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", g.path);
    path.setAttribute("fill", g.color);
    svg.appendChild(path);
    return svg;
  }
  var hiddenGroups = Object.create(null);
  /* ---- what is shown: a claim passing the filters between two shown types; an entity of a shown
     type that keeps a shown claim, had none to begin with, or is the view's focus or path end ---- */
  var claimOk = function () { return true; };  // the claim filters below replace it
  var kept = asSet(data.highlight.nodes);
  var hasClaims = Object.create(null);
  var groupOf = Object.create(null);
  data.nodes.forEach(function (n) { groupOf[n.id] = n.group_; });
  data.edges.forEach(function (e) { hasClaims[e.from] = true; hasClaims[e.to] = true; });
  function refresh() {
    var linked = Object.create(null);
    edges.update(data.edges.map(function (e) {
      var on = !hiddenGroups[groupOf[e.from]] && !hiddenGroups[groupOf[e.to]] && claimOk(e);
      if (on) { linked[e.from] = true; linked[e.to] = true; }
      return { id: toVis(e.id), hidden: !on };
    }));
    nodes.update(data.nodes.map(function (n) {
      var on = !hiddenGroups[n.group_] && (linked[n.id] || !hasClaims[n.id] || kept[n.id] === true);
      return { id: toVis(n.id), hidden: !on };
    }));
  }
  window.thborView.refresh = refresh;
  var legend = $("legend") || document.createElement("ul");
  data.groups.forEach(function (g) {
    var count = data.nodes.filter(function (n) { return n.group_ === g.name; }).length;
    var li = el("li");
    li.dataset.group = g.name;
    li.appendChild(swatch(g));
    li.appendChild(el("span", g.name + " (" + count + ")"));
    li.addEventListener("click", function () {
      hiddenGroups[g.name] = !hiddenGroups[g.name];
      li.classList.toggle("off", hiddenGroups[g.name]);
      refresh();
      if (pathShown) findPath();  // a hidden type is not passed through
    });
    legend.appendChild(li);
  });

  /* ---- filters on claims ---- */
  if (!$("status-filter")) return;  // an embedded network: no controls below
  var statusBox = $("status-filter");
  var statusOn = Object.create(null);
  data.statuses.forEach(function (s) {
    statusOn[s] = true;
    var label = el("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.value = s;
    box.addEventListener("change", function () { statusOn[s] = box.checked; applyFilters(); });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + s));
    statusBox.appendChild(label);
  });
  var minConf = document.getElementById("min-confidence");
  var minConfOut = document.getElementById("min-confidence-value");
  var relSelect = document.getElementById("min-reliability");
  var anyOpt = el("option", "any"); anyOpt.value = ""; relSelect.appendChild(anyOpt);
  data.reliabilities.forEach(function (r) { var o = el("option", r); o.value = r; relSelect.appendChild(o); });
  var yearFrom = document.getElementById("year-from"), yearTo = document.getElementById("year-to");
  var undatedBox = document.getElementById("include-undated");
  // the path finder (pathfind.js) with the rules' inputs (graph.html.pathing), when the page has them
  var paths = data.pathing && window.thborPaths ? window.thborPaths : null;
  var filterOpts = {};  // the claim filters as the command line's options (see applyFilters)
  var pathShown = null, findPath = function () {}, clearPath = function () {};
  var knownBy = document.getElementById("known-by"), knownByError = document.getElementById("known-by-error");
  function pad(n, w) { var s = String(n); while (s.length < w) s = "0" + s; return s; }
  // The last day a YYYY, YYYY-MM or YYYY-MM-DD date stands for, as YYYY-MM-DD; null when it is no such date.
  function lastDay(text) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
    if (!m) return null;
    var y = Number(m[1]);
    if (m[2] === undefined) return pad(y, 4) + "-12-31";
    var mo = Number(m[2]);
    if (mo < 1 || mo > 12) return null;
    var days = new Date(Date.UTC(2000, mo, 0)).getUTCDate();  // the month's length, leap years below
    if (mo === 2) days = (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 29 : 28;
    if (m[3] === undefined) return pad(y, 4) + "-" + pad(mo, 2) + "-" + pad(days, 2);
    var d = Number(m[3]);
    return d >= 1 && d <= days ? text : null;
  }
  function applyFilters() {
    var mc = Number(minConf.value), rel = relSelect.value;
    // knowledge time, as --known-by reads it: e.known is the last day of the claim's earliest published
    // date (computed with the library's rule); the claim was public by the date when it is not later
    var asked = knownBy.value.trim(), kb = asked ? lastDay(asked) : null;
    knownByError.textContent = asked && kb === null ? "\u201c" + asked + "\u201d is not a date: use YYYY, YYYY-MM or YYYY-MM-DD" : "";
    var yf = yearFrom.value ? Number(yearFrom.value) : null, yt = yearTo.value ? Number(yearTo.value) : null;
    minConfOut.textContent = mc.toFixed(2);
    showValidAt(yf, yt);
    if (paths) {
      // the command line's rules (graph.html.pathing): a claim's confidence and grade as known by the date
      filterOpts = { statuses: data.statuses.filter(function (s) { return statusOn[s]; }), minConfidence: mc,
                minReliability: rel || null, from: yf, to: yt, includeUndated: undatedBox.checked, knownBy: kb,
                knownByText: kb ? asked : null };
      var g = paths.compile(data, filterOpts), okNow = Object.create(null);
      g.keys.forEach(function (k, i) { okNow[k] = g.ok[i] === 1; });
      claimOk = function (e) { return okNow[e.id] === true; };
      refresh();
      if (pathShown) findPath();
      return;
    }
    claimOk = function (e) {
      var ok = statusOn[e.status] && e.confidence >= mc &&
        (!rel || data.reliabilities.indexOf(e.reliability) <= data.reliabilities.indexOf(rel));
      // valid time, as the command line reads it: an undated claim is out of any year window unless asked for
      if (ok && (yf !== null || yt !== null) && e.lo === null && e.hi === null && !undatedBox.checked) ok = false;
      if (ok && yf !== null && e.hi !== null && e.hi < yf) ok = false;
      if (ok && yt !== null && e.lo !== null && e.lo > yt) ok = false;
      if (ok && kb !== null && (e.known === null || e.known === undefined || e.known > kb)) ok = false;
      return ok;
    };
    refresh();
  }
  [minConf, relSelect, yearFrom, yearTo, undatedBox, knownBy].forEach(function (x) { x.addEventListener("input", applyFilters); x.addEventListener("change", applyFilters); });

  /* ---- valid time: a slider over the years the claims hold, as --at YEAR (the same as --from YEAR
     --to YEAR: the "Years" fields follow it); its first position is "any time" ---- */
  var validAt = $("valid-at"), validAtOut = $("valid-at-value");
  var years = [];
  data.edges.forEach(function (e) { [e.lo, e.hi].forEach(function (y) { if (y !== null && y !== undefined) years.push(y); }); });
  var firstYear = years.length ? Math.min.apply(null, years) : 0, lastYear = years.length ? Math.max.apply(null, years) : 0;
  function showValidAt(yf, yt) {
    if (!validAt) return;
    var at = yf !== null && yf === yt && yf >= firstYear && yf <= lastYear;
    validAt.value = String(at ? yf : firstYear - 1);
    validAtOut.textContent = at ? String(yf) : (yf === null && yt === null ? "any time" : "years below");
  }
  if (validAt) {
    validAt.min = String(firstYear - 1);
    validAt.max = String(lastYear);
    validAt.value = validAt.min;
    validAt.disabled = !years.length;
    validAt.addEventListener("input", function () {
      var y = Number(validAt.value);
      yearFrom.value = yearTo.value = y < firstYear ? "" : String(y);
      applyFilters();
    });
  }
  if (paths) applyFilters();  // the options the path finder reads

  /* ---- search over names and aliases ---- */
  var names = document.getElementById("names");
  var index = [];
  Object.keys(data.entities).sort().forEach(function (id) {
    var e = data.entities[id];
    [e.name].concat(e.aliases.map(function (a) { return a.name; })).forEach(function (n) {
      index.push({ id: id, key: norm(n) });
      var o = document.createElement("option"); o.value = n; names.appendChild(o);
    });
  });
  function find(q) {
    var k = norm(q);
    if (!k) return null;
    var exact = index.filter(function (x) { return x.key === k; });
    if (exact.length) return exact[0].id;
    var part = index.filter(function (x) { return x.key.indexOf(k) >= 0; });
    return part.length ? part[0].id : null;
  }
  window.thborFocus = function (q) {
    var id = find(q);
    var out = document.getElementById("search-result");
    if (!id) { out.textContent = "No match for \u201c" + q + "\u201d"; return null; }
    network.selectNodes([toVis(id)]);
    network.focus(toVis(id), { scale: 1.2, animation: false });
    showNode(id);
    out.textContent = data.entities[id].name;
    return id;
  };
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    window.thborFocus(document.getElementById("search").value);
  });

  /* ---- path finding: `thbor path A B` in the page (pathfind.js), with the filters above ---- */
  var pathForm = $("path-form");
  if (paths && pathForm) {
    pathForm.hidden = false;
    var pickFrom = $("path-from"), pickTo = $("path-to"), pathOut = $("path-result"), pathCmd = $("path-command");
    var viaContext = $("path-context"), withContested = $("path-contested");
    var usual = asSet(data.pathing.rules.default_statuses);
    var resolvePick = function (input) {  // the entity an input names: as picked, an id, or a name or alias
      var q = input.value.trim(), picked = input.dataset.id;
      if (picked && data.entities[picked] && data.entities[picked].name === q) return picked;
      return data.entities[q] ? q : find(q);
    };
    var pick = function (input, id) { input.value = data.entities[id].name; input.dataset.id = id; };
    [pickFrom, pickTo].forEach(function (input) { input.addEventListener("input", function () { delete input.dataset.id; }); });
    [[pickFrom, "path-from-selected"], [pickTo, "path-to-selected"]].forEach(function (x) {
      $(x[1]).addEventListener("click", function () {
        var sel = network.getSelectedNodes().map(fromVis).filter(function (id) { return data.entities[id]; });
        if (sel.length) pick(x[0], sel[0]); else pathOut.textContent = "Select an entity in the network first.";
      });
    });
    var pathOptions = function () {  // the filters above, with the path's own defaults (as thbor path)
      return Object.assign({}, filterOpts, {
        statuses: (filterOpts.statuses || data.statuses).filter(function (st) { return usual[st] === true || withContested.checked; }),
        viaContext: viaContext.checked,
        avoidGroups: Object.keys(hiddenGroups).filter(function (g) { return hiddenGroups[g]; }) });
    };
    var arg = function (x) { return /^[A-Za-z0-9._:-]+$/.test(x) ? x : "'" + x.replace(/'/g, "'\\''") + "'"; };
    var command = function (a, b, o) {  // the command that answers the same, for checking and sharing
      var parts = ["thbor path", arg(a), arg(b)];
      var defaults = data.pathing.rules.default_statuses;
      var same = o.statuses.length === defaults.length && defaults.every(function (st) { return o.statuses.indexOf(st) >= 0; });
      if (!same) o.statuses.forEach(function (st) { parts.push("--status " + arg(st)); });
      if (o.minConfidence > 0) parts.push("--min-confidence " + o.minConfidence);
      if (o.minReliability) parts.push("--min-reliability " + arg(o.minReliability));
      if (o.from !== null && o.from !== undefined && o.from === o.to) parts.push("--at " + o.from);
      else {
        if (o.from !== null && o.from !== undefined) parts.push("--from " + o.from);
        if (o.to !== null && o.to !== undefined) parts.push("--to " + o.to);
      }
      if (o.includeUndated && ((o.from !== null && o.from !== undefined) || (o.to !== null && o.to !== undefined))) parts.push("--include-undated");
      if (o.knownByText) parts.push("--known-by " + arg(o.knownByText));
      if (o.viaContext) parts.push("--via-context");
      if (data.filtered) parts.push("--max-tlp " + arg(data.level));
      var text = parts.join(" ");
      if (o.avoidGroups.length) text += " (not through the types hidden in the legend: " + o.avoidGroups.join(", ") + ")";
      return text;
    };
    var setHash = function (h) {
      try { window.history.replaceState(null, "", h ? "#" + h : window.location.pathname + window.location.search); } catch (err) { /* a page that cannot: no hash */ }
    };
    var showPath = function (a, b, answer) {
      clear();
      details.appendChild(el("h3", "Path: " + entityName(a) + " \u2192 " + entityName(b)));
      var p = answer.paths[0];
      if (!p) {
        pathLit = { nodes: asSet([a, b]), claims: asSet([]) };
        highlightPath();
        pathOut.textContent = "No evidenced link with these filters.";
        details.appendChild(el("p", "No evidenced link between " + entityName(a) + " and " + entityName(b) + " with these filters."));
        var nc = answer.not_connected;
        if (nc && nc.shared.length) details.appendChild(el("p", "Both are linked to " + nc.shared.map(entityName).join(", ") + ": sharing these is no link."));
        if (nc && nc.through.length) details.appendChild(el("p", "A path exists only through " + nc.through.map(entityName).join(", ") + ": tick \u201cthrough countries, places and themes\u201d to see it.", "note"));
        return;
      }
      var claims = [];
      p.hops.forEach(function (h) { claims = claims.concat(h.claims); });
      pathLit = { nodes: asSet(p.nodes), claims: asSet(claims) };
      highlightPath();
      var summary = p.length + " hop(s), confidence " + p.confidence +
        (p.evidenced ? "" : " \u2014 through " + p.through.map(entityName).join(", ") + ": not evidence that the two are linked");
      pathOut.textContent = summary;
      details.appendChild(el("p", summary, "note"));
      p.hops.forEach(function (h) {
        details.appendChild(el("h4", entityName(h.from) + " \u2014 " + entityName(h.to), h.context_hop ? "context-hop" : null));
        if (h.context_hop) details.appendChild(el("div", "context/concept hop: not evidence of a link", "note context-hop"));
        h.claims.forEach(function (cid) { if (data.claims[cid]) details.appendChild(claimBlock(data.claims[cid])); });
      });
    };
    findPath = function () {
      var a = resolvePick(pickFrom), b = resolvePick(pickTo);
      pathCmd.textContent = "";
      if (!a || !b) { pathOut.textContent = "No entity matches \u201c" + (a ? pickTo : pickFrom).value + "\u201d."; return null; }
      if (a === b) { pathOut.textContent = "From and To are the same entity."; return null; }
      var o = pathOptions(), answer = paths.shortestPath(data, a, b, o);
      pathShown = [a, b];
      pathCmd.textContent = "Same as: " + command(a, b, o);
      showPath(a, b, answer);
      setHash("path=" + encodeURIComponent(a) + "," + encodeURIComponent(b));
      return answer;
    };
    clearPath = function () {
      pathShown = null; pathLit = null;
      pathOut.textContent = ""; pathCmd.textContent = "";
      setHash("");
    };
    pathForm.addEventListener("submit", function (ev) { ev.preventDefault(); findPath(); });
    [viaContext, withContested].forEach(function (x) { x.addEventListener("change", function () { if (pathShown) findPath(); }); });
    $("path-clear").addEventListener("click", function () { clearPath(); fade(null, null); highlightPath(); restoreDetails(); });
    // the path between two ids with the page's filters, as `thbor path A B --json` answers (for tests and links)
    window.thborPath = function (a, b, extra) { return paths.shortestPath(data, a, b, Object.assign(pathOptions(), extra || {})); };
    // #path=<from-id>,<to-id> finds a path; #from=<id> (or #to=<id>) sets one end, for links from other pages
    var fromHash = function () {
      var args = Object.create(null);
      window.location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
        var i = kv.indexOf("=");
        if (i > 0) args[kv.slice(0, i)] = kv.slice(i + 1);
      });
      var ends = args.path !== undefined ? args.path.split(",") : [args.from, args.to];
      var ids = [];
      for (var i = 0; i < 2; i++) {
        var id = null;
        try { id = ends[i] === undefined ? null : decodeURIComponent(ends[i]); } catch (err) { id = null; }
        if (id !== null && !data.entities[id]) { pathOut.textContent = "Not in this view: \u201c" + id + "\u201d."; return; }
        ids.push(id);
      }
      [[pickFrom, ids[0]], [pickTo, ids[1]]].forEach(function (x) {  // the end a link leaves open starts empty
        if (x[1]) { pick(x[0], x[1]); } else { x[0].value = ""; delete x[0].dataset.id; }
      });
      if (!ids[0] || !ids[1]) { pathShown = null; pathLit = null; fade(null, null); highlightPath(); }
      if (ids[0] && ids[1]) { findPath(); return; }
      var one = ids[0] || ids[1];
      if (one) {
        network.selectNodes([toVis(one)]);
        showNode(one);
        pathOut.textContent = "Choose the other end, then Find path.";
        (ids[0] ? pickTo : pickFrom).focus();
      }
    };
    window.addEventListener("hashchange", fromHash);
    if (window.location.hash) fromHash();
  }

  function restoreDetails() {
    clear();
    initialDetails.forEach(function (n) { details.appendChild(n.cloneNode(true)); });
  }
  document.getElementById("reset").addEventListener("click", function () {
    clearPath();
    highlightPath(); network.unselectAll(); network.fit();
    restoreDetails();
  });
  document.getElementById("export-png").addEventListener("click", function () {
    var canvas = container.querySelector("canvas");
    var a = document.createElement("a");
    a.download = "thbor-network.png";
    a.href = canvas.toDataURL("image/png");
    document.body.appendChild(a); a.click(); a.remove();
  });
})();

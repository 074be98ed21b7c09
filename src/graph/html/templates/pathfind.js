/* thbor-graph: shortest paths in the page, as `thbor path` finds them (graph.query.paths.shortest_path).
   No DOM here. The rules' inputs come with the page's data (graph.html.pathing): the statuses used by
   default, grade ranks, which entities are context or concept, and the order of entities and claims
   in the command line's array index, which decides between paths of one length. */
(function () {
  "use strict";

  function bare() { return Object.create(null); }
  function has(set, key) { return Object.prototype.hasOwnProperty.call(set, key) && set[key] === true; }
  function copy(obj) { var out = bare(); Object.keys(obj || {}).forEach(function (k) { out[k] = obj[k]; }); return out; }
  function setOf(list) { var s = bare(); (list || []).forEach(function (x) { s[x] = true; }); return s; }

  // A claim as the command line's graph holds it with these options: null when --known-by leaves it out,
  // else its confidence and reliability rank (the claim as it was known on that day).
  function claimNow(info, edge, knownBy) {
    if (!knownBy) return { confidence: edge.confidence, rel: info[1] };
    var steps = info[3], step = null;
    for (var i = 0; i < steps.length; i++) if (steps[i][0] <= knownBy) step = steps[i];
    return step ? { confidence: step[1], rel: step[2] } : null;
  }

  /* Options (every one optional), as the command line's flags:
     statuses (list; default: the ontology's default, every status but the contested ones), minConfidence,
     minReliability (a grade), from / to (years: --from/--to; --at YEAR is from = to = YEAR), includeUndated,
     knownBy (the last day of the date asked for, YYYY-MM-DD), viaContext, directed, avoid (entity ids),
     avoidGroups (legend groups never passed through: the page's hidden types). */
  function compile(data, opts) {
    opts = opts || {};
    // lookups keyed by data ids go through objects without a prototype (an id may be "constructor")
    var P = { nodes: copy(data.pathing.nodes), claims: copy(data.pathing.claims) }, rules = data.pathing.rules;
    var statuses = setOf(opts.statuses || rules.default_statuses);
    var minConf = Number(opts.minConfidence || 0);
    var minRel = opts.minReliability && Object.prototype.hasOwnProperty.call(rules.reliability_rank, opts.minReliability)
      ? rules.reliability_rank[opts.minReliability] : null;
    var from = opts.from === undefined || opts.from === null ? null : Number(opts.from);
    var to = opts.to === undefined || opts.to === null ? null : Number(opts.to);
    var windowed = from !== null || to !== null;
    var avoid = setOf(opts.avoid), avoidGroups = setOf(opts.avoidGroups);
    // entities in the command line's order (their position in the graph)
    var ids = data.nodes.map(function (n) { return n.id; }).filter(function (id) { return P.nodes[id]; });
    ids.sort(function (a, b) { return P.nodes[a][0] - P.nodes[b][0]; });
    var index = bare(), group = bare();
    ids.forEach(function (id, i) { index[id] = i; });
    data.nodes.forEach(function (n) { group[n.id] = n.group_; });
    var n = ids.length;
    var opaque = new Uint8Array(n), shown = new Uint8Array(n), pass = new Uint8Array(n);
    ids.forEach(function (id, i) {
      opaque[i] = P.nodes[id][1] ? 1 : 0;
      shown[i] = has(avoid, id) || has(avoidGroups, group[id]) ? 0 : 1;
      pass[i] = shown[i] && (opts.viaContext || !opaque[i]) ? 1 : 0;
    });
    // claims in the graph (known by the date), in the array index's order: by subject, then by the pair's
    // first claim, then by claim (networkx lists a MultiDiGraph's edges so)
    var present = [], first = bare();
    data.edges.forEach(function (e) {
      var info = P.claims[e.id];
      if (!info || index[e.from] === undefined || index[e.to] === undefined) return;
      var now = claimNow(info, e, opts.knownBy || null);
      if (!now) return;
      var pair = e.from + "\u0000" + e.to;
      if (first[pair] === undefined || info[0] < first[pair]) first[pair] = info[0];
      present.push({ e: e, info: info, now: now, pair: pair });
    });
    present.sort(function (a, b) {
      return (index[a.e.from] - index[b.e.from]) || (first[a.pair] - first[b.pair]) || (a.info[0] - b.info[0]);
    });
    var m = present.length;
    var src = new Int32Array(m), dst = new Int32Array(m), ok = new Uint8Array(m), sym = new Uint8Array(m);
    var out = [], inn = [], keys = [], conf = [];
    for (var i = 0; i < n; i++) { out.push([]); inn.push([]); }
    present.forEach(function (p, k) {
      var e = p.e, lo = e.lo, hi = e.hi;
      src[k] = index[e.from]; dst[k] = index[e.to]; sym[k] = p.info[2] ? 1 : 0;
      keys.push(e.id); conf.push(p.now.confidence);
      out[src[k]].push(k); inn[dst[k]].push(k);
      var good = has(statuses, e.status) &&
        (minConf <= 0 || Math.fround(p.now.confidence) >= Math.fround(minConf)) &&  // float32, as the index
        (minRel === null || p.now.rel <= minRel) &&
        !(from !== null && hi !== null && hi < from) && !(to !== null && lo !== null && lo > to) &&
        !(windowed && !opts.includeUndated && lo === null && hi === null);  // undated: says nothing of a time
      ok[k] = good ? 1 : 0;
    });
    return { data: data, opts: opts, ids: ids, index: index, opaque: opaque, shown: shown, pass: pass,
             src: src, dst: dst, ok: ok, sym: sym, out: out, inn: inn, keys: keys, conf: conf,
             directed: !!opts.directed };
  }

  // every allowed claim leaving the frontier: [claim, entity it leaves, entity it reaches], subject->object
  // side first (graph.query.index.GraphIndex.gather)
  function gather(g, frontier, forward) {
    var res = [];
    [[g.out, g.dst, forward], [g.inn, g.src, !forward]].forEach(function (part) {
      var lists = part[0], other = part[1], along = part[2];
      frontier.forEach(function (f) {
        lists[f].forEach(function (k) {
          if (g.ok[k] && (!g.directed || along || g.sym[k])) res.push([k, f, other[k]]);
        });
      });
    });
    return res;
  }

  function hopClaims(g, u, v) {
    return gather(g, [u], true).filter(function (r) { return r[2] === v; })
      .map(function (r) { return g.keys[r[0]]; }).sort();
  }

  function withEvidence(g, path) {
    var hops = [], confidence = 1.0;
    for (var i = 0; i + 1 < path.length; i++) {
      var claims = hopClaims(g, path[i], path[i + 1]);
      var best = -Infinity;
      gather(g, [path[i]], true).forEach(function (r) { if (r[2] === path[i + 1] && g.conf[r[0]] > best) best = g.conf[r[0]]; });
      confidence *= best;
      hops.push({ from: g.ids[path[i]], to: g.ids[path[i + 1]], claims: claims });
    }
    var through = path.slice(1, -1).filter(function (x) { return g.opaque[x]; }).map(function (x) { return g.ids[x]; });
    var inner = setOf(through);
    hops.forEach(function (h) { h.context_hop = has(inner, h.from) || has(inner, h.to); });
    return { length: path.length - 1, confidence: Number(confidence.toPrecision(4)), evidenced: !through.length,
             through: through, nodes: path.map(function (x) { return g.ids[x]; }), hops: hops };
  }

  // Bidirectional breadth-first search, a whole level at a time, the smaller frontier first; where the two
  // meet, the shortest total and then the first entity in the graph's order win.
  function bfs(g, s, t) {
    if (s === t) return [s];
    var n = g.ids.length;
    var dist = [new Int32Array(n).fill(-1), new Int32Array(n).fill(-1)];
    var parent = [new Int32Array(n).fill(-1), new Int32Array(n).fill(-1)];
    dist[0][s] = 0; dist[1][t] = 0;
    var frontier = [[s], [t]];
    while (frontier[0].length && frontier[1].length) {
      var side = frontier[0].length <= frontier[1].length ? 0 : 1;
      var from = new Map();
      gather(g, frontier[side], side === 0).forEach(function (r) {
        var o = r[2];
        if ((g.pass[o] || o === s || o === t) && dist[side][o] < 0 && !from.has(o)) from.set(o, r[1]);
      });
      var reached = Array.from(from.keys()).sort(function (a, b) { return a - b; });
      var level = dist[side][frontier[side][0]] + 1;
      reached.forEach(function (o) { dist[side][o] = level; parent[side][o] = from.get(o); });
      var meet = reached.filter(function (o) { return dist[1 - side][o] >= 0; });
      if (meet.length) {
        var best = meet[0], total = dist[0][best] + dist[1][best];
        meet.forEach(function (o) { if (dist[0][o] + dist[1][o] < total) { best = o; total = dist[0][o] + dist[1][o]; } });
        var left = [], x = best;
        while (x >= 0) { left.push(x); x = parent[0][x]; }
        var right = [];
        x = parent[1][best];
        while (x >= 0) { right.push(x); x = parent[1][x]; }
        return left.reverse().concat(right);
      }
      frontier[side] = reached;
    }
    return null;
  }

  // Why two entities have no evidenced link: the context and concept entities both are linked to, and
  // those a path through them would pass (graph.query.paths.what_they_share)
  function whatTheyShare(data, opts, a, b) {
    var wide = compile(data, Object.assign({}, opts, { viaContext: true }));
    var s = wide.index[a], t = wide.index[b];
    function around(x) { var seen = bare(); gather(wide, [x], true).forEach(function (r) { seen[r[2]] = true; }); return seen; }
    var na = around(s), nb = around(t), shared = [];
    Object.keys(na).forEach(function (k) {
      var o = Number(k);
      if (nb[k] && o !== s && o !== t && wide.opaque[o] && wide.shown[o]) shared.push(wide.ids[o]);
    });
    var p = bfs(wide, s, t);
    return { shared: shared.sort(), through: p ? withEvidence(wide, p).through : [] };
  }

  /* The answer of `thbor path A B --json` with these options: {paths: [...], not_connected?}, each path
     with length, confidence, evidenced, through, nodes (ids) and hops ({from, to, context_hop, claims}). */
  function shortestPath(data, a, b, opts) {
    var g = compile(data, opts);
    if (g.index[a] === undefined) throw new Error("not in this view: " + a);
    if (g.index[b] === undefined) throw new Error("not in this view: " + b);
    if (a === b) throw new Error("A and B name the same entity");
    var p = bfs(g, g.index[a], g.index[b]);
    var answer = { paths: p ? [withEvidence(g, p)] : [] };
    if (!p && !(opts && opts.viaContext)) answer.not_connected = whatTheyShare(data, opts, a, b);
    return answer;
  }

  window.thborPaths = { compile: compile, shortestPath: shortestPath };
})();

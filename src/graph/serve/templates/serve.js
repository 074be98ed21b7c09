/* thbor serve: draw a neighbourhood on demand. The page's own JSON is fetched from this server
   (the Content-Security-Policy allows no other), put where the views' script reads it, then
   vis-network and that script are loaded from this server too. Values are shown as text only. */
(function () {
  "use strict";
  var box = document.getElementById("network");
  var note = document.getElementById("network-note");
  function load(src, done) {
    var s = document.createElement("script");
    s.src = src;
    s.onload = done;
    document.body.appendChild(s);
  }
  fetch(box.getAttribute("data-src"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
    .then(function (res) {
      if (!res.ok) { note.textContent = String(res.body.error || "cannot draw this neighbourhood"); return; }
      var d = res.body;
      note.textContent = d.note;
      var holder = document.createElement("script");
      holder.type = "application/json";
      holder.id = "graph-data";
      holder.textContent = JSON.stringify(d.data);
      document.body.appendChild(holder);
      load("/assets/vis-network.min.js", function () { load("/assets/view.js", function () {}); });
    })
    .catch(function () { note.textContent = "cannot draw this neighbourhood"; });
}());

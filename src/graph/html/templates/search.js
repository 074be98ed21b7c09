/* Filter the index lists as one types; values are compared, never inserted into the page. */
(function () {
  "use strict";
  var box = document.getElementById("filter");
  if (!box) return;
  function norm(s) { return String(s || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  box.addEventListener("input", function () {
    var q = norm(box.value);
    document.querySelectorAll("li[data-key]").forEach(function (li) {
      li.hidden = q !== "" && norm(li.dataset.key).indexOf(q) < 0;
    });
  });
})();

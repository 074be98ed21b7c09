/* Filter the index lists as one types; values are compared, never inserted into the page as markup. */
(function () {
  "use strict";
  var box = document.getElementById("filter");
  if (!box) return;
  var empty = document.getElementById("filter-empty");
  function norm(s) { return String(s || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  box.addEventListener("input", function () {
    var q = norm(box.value);
    var shown = 0;
    document.querySelectorAll("li[data-key]").forEach(function (li) {
      li.hidden = q !== "" && norm(li.dataset.key).indexOf(q) < 0;
      if (!li.hidden) shown++;
    });
    // a heading whose list has nothing left is hidden with it, so no empty heading stands alone
    document.querySelectorAll("section.filtered").forEach(function (sec) {
      sec.hidden = q !== "" && !sec.querySelector("li[data-key]:not([hidden])");
    });
    if (empty) {
      var none = q !== "" && shown === 0;
      empty.hidden = !none;
      empty.textContent = !none ? "" : "No entity or source matches \u201c" + box.value.trim() + "\u201d.";
    }
  });
})();

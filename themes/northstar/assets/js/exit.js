// Quick exit: leave for a neutral page and replace this history entry, so the
// Back button does not bring the reader back here. The link works without JS.
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) {
    return;
  }
  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    document.documentElement.style.visibility = "hidden";
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      leave(event);
    }
  });
})();

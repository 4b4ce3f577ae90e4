/* A "Print" button on printable pages: the page says how to print without it, so it only appears when
   JavaScript runs, and then opens the browser's own print window. */
(function () {
  "use strict";
  if (typeof window.print !== "function") return;
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();

// Entry wizard: progressive enhancements only; every page works without this file.
(function () {
  "use strict";

  // Submit once: a second click while the first request runs does nothing.
  document.querySelectorAll("[data-submit-once]").forEach(function (button) {
    var form = button.form;
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent === "1") { event.preventDefault(); return; }
      form.dataset.sent = "1";
      button.setAttribute("aria-disabled", "true");
    });
  });
})();

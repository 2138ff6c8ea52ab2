// Entry wizard: progressive enhancements only; every page works without this file.
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
      .replace(/Đ/g, "D").toLowerCase();
  }

  // Filter the receiving-unit <select> by typed text (accent-insensitive).
  document.querySelectorAll("[data-filter-select]").forEach(function (input) {
    var select = document.getElementById(input.getAttribute("data-filter-select"));
    if (!select) { return; }
    var box = input.closest(".d-none");
    if (box) { box.classList.remove("d-none"); }
    input.addEventListener("input", function () {
      var needle = fold(input.value.trim());
      select.querySelectorAll("optgroup").forEach(function (group) {
        var visible = 0;
        group.querySelectorAll("option").forEach(function (option) {
          var match = !needle || fold(option.textContent + " " + group.label).indexOf(needle) !== -1;
          option.hidden = !match;
          if (match) { visible += 1; }
        });
        group.hidden = visible === 0;
      });
    });
  });

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

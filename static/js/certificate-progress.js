// Polls the certificate rendering progress and updates the bar; no inline JS (CSP).
(function () {
  "use strict";
  var box = document.getElementById("certificate-progress");
  if (!box || !box.dataset.active) { return; }
  var bar = document.getElementById("certificate-progress-bar");
  var text = document.getElementById("certificate-progress-text");
  function update(data) {
    bar.max = Math.max(data.total, 1);
    bar.value = data.rendered;
    var label = data.done ? box.dataset.doneText : box.dataset.runningText;
    text.textContent = label + ": " + data.rendered + "/" + data.total +
      (data.failed ? " · lỗi: " + data.failed : "");
    box.dataset.done = data.done ? "1" : "";
    return data.done;
  }
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) { if (!update(data)) { window.setTimeout(poll, 1000); } })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();

// The wizard's receiving-unit picker: lists the units of a group or of a search as the user
// types or chooses, without reloading the page. Progressive enhancement only: without this
// file the search and group forms reload the page with the same list.
(function () {
  "use strict";

  var root = document.querySelector("[data-unit-picker]");
  if (!root || !window.fetch || !window.DOMParser) { return; }
  var url = root.getAttribute("data-results-url");
  var search = document.getElementById("unit-search");
  var group = document.getElementById("unit-group");
  var status = document.getElementById("unit-status");
  var timer = null;
  var latest = 0;

  function chosen() {
    var input = document.querySelector("#unit-options input[name=unit]:checked");
    return input ? input.closest(".form-check") : null;
  }

  // Keep the unit the user ticked in the new list, ticked, even if the list no longer has it.
  function keepChoice(fresh, kept) {
    var inputs = fresh.querySelectorAll("input[name=unit]");
    if (!kept) { return; }
    var value = kept.querySelector("input").value;
    var same = null;
    inputs.forEach(function (input) {
      input.checked = false;
      if (input.value === value) { same = input; }
    });
    if (same) { same.checked = true; return; }
    var copy = kept.cloneNode(true);
    copy.querySelector("input").checked = true;
    var first = fresh.querySelector(".form-check");
    if (first) {
      first.parentNode.insertBefore(copy, first);
    } else {
      fresh.appendChild(copy);
    }
  }

  function load(params) {
    var ticket = ++latest;
    var kept = chosen();
    fetch(url + (params ? "&" + params : ""), {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.text();
    }).then(function (html) {
      if (ticket !== latest) { return; }  // an answer to an older keystroke
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("unit-options");
      var old = document.getElementById("unit-options");
      if (!fresh || !old) { return; }
      keepChoice(fresh, kept);
      old.replaceWith(document.adoptNode(fresh));
      var summary = fresh.querySelector("[data-unit-summary]");
      if (status && summary) { status.textContent = summary.textContent; }
    }).catch(function () {
      // The forms still work: pressing "Tìm" or "Xem" reloads the page.
    });
  }

  if (search) {
    search.addEventListener("input", function () {
      window.clearTimeout(timer);
      var text = search.value.trim();
      if (text.length === 1) { return; }
      timer = window.setTimeout(function () {
        if (text) {
          load("tim=" + encodeURIComponent(text));
        } else {
          load(group && group.value ? "nhom=" + encodeURIComponent(group.value) : "");
        }
      }, 250);
    });
  }
  if (group) {
    group.addEventListener("change", function () {
      if (search) { search.value = ""; }
      load(group.value ? "nhom=" + encodeURIComponent(group.value) : "");
    });
  }
})();

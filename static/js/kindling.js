// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Sign-up: the server's guess (from the browser's languages) gives way to the browser's
  // own zone. Each option lists its zone's other names, so an alias such as Asia/Calcutta
  // still finds Asia/Kolkata. The server marks the select only while nobody has chosen.
  function guessTimezone(root) {
    root.querySelectorAll("select[data-guess-timezone]").forEach(function (select) {
      if (select.dataset.guessed) return;
      select.dataset.guessed = "1";
      var zone;
      try {
        zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      } catch (e) {
        return;
      }
      if (!zone) return;
      var option = Array.prototype.find.call(select.options, function (candidate) {
        return candidate.value === zone ||
          (candidate.dataset.aliases || "").split(" ").indexOf(zone) !== -1;
      });
      if (option) select.value = option.value;
    });
  }

  // Live character counts for fields with a maxlength.
  function counters(root) {
    root.querySelectorAll("[data-count]").forEach(function (field) {
      if (field.dataset.counted) return;
      field.dataset.counted = "1";
      var output = document.getElementById(field.dataset.count);
      var max = parseInt(field.getAttribute("maxlength"), 10);
      if (!output || !max) return;
      function update() {
        var left = max - field.value.length;
        output.textContent = field.value.length + " / " + max;
        output.classList.toggle("text-danger", left < 0);
      }
      field.addEventListener("input", update);
      update();
    });
  }

  // Copy buttons: <button data-copy="#id">. The confirmation comes translated from the page.
  function copyButtons(root) {
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      if (button.dataset.bound) return;
      button.dataset.bound = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.querySelector(button.dataset.copy);
        if (!source || !navigator.clipboard) return;
        navigator.clipboard.writeText(source.value || source.textContent.trim()).then(function () {
          var label = button.textContent;
          button.textContent = document.body.dataset.copiedLabel || label;
          setTimeout(function () { button.textContent = label; }, 2000);
        });
      });
    });
  }

  function enhance(root) {
    guessTimezone(root);
    counters(root);
    copyButtons(root);
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
})();

// Our week: the other phone's lines appear here every few seconds, and step 3 gets a
// pausable timer. Without JavaScript, a reload shows the same, and the timer is left out.
// Its words come translated from the page (data-* attributes on #ourweek and the timer).
(function () {
  "use strict";
  var root = document.getElementById("ourweek");
  if (!root) return;

  var POLL_MS = 3000;
  var written = document.getElementById("ourweek-written");
  var step = root.getAttribute("data-step");
  var hint = root.querySelector("[data-poll-hint]");
  if (hint) hint.textContent = root.getAttribute("data-live-hint");

  function poll() {
    if (document.hidden) return;
    fetch(root.getAttribute("data-state-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) return;
        if (String(state.step) !== step) {
          // The other phone moved on: follow it, unless someone is typing here.
          var active = document.activeElement;
          var typing = active && active.tagName === "INPUT" && active.value;
          if (!typing) window.location.reload();
          return;
        }
        if (written && written.innerHTML !== state.html) written.innerHTML = state.html;
      })
      .catch(function () {});
  }
  if (step !== "6") setInterval(poll, POLL_MS);

  var timer = root.querySelector(".ourweek-timer");
  if (!timer) return;
  timer.hidden = false;
  var minutes = parseInt(timer.getAttribute("data-minutes"), 10) || 5;
  var display = timer.querySelector("[data-timer-display]");
  var status = timer.querySelector("[data-timer-status]");
  var left = minutes * 60;
  var speaker = 1;
  var ticking = null;

  function show() {
    var m = Math.floor(left / 60);
    var s = left % 60;
    display.textContent = m + ":" + (s < 10 ? "0" : "") + s;
  }
  function stop() {
    if (ticking) clearInterval(ticking);
    ticking = null;
  }
  function tick() {
    left -= 1;
    if (left <= 0) {
      left = 0;
      stop();
      status.textContent = timer.getAttribute("data-time-up");
    }
    show();
  }
  timer.addEventListener("click", function (event) {
    var action = event.target.getAttribute("data-timer");
    if (action === "start" && !ticking && left > 0) {
      ticking = setInterval(tick, 1000);
      status.textContent = timer.getAttribute("data-speaker-" + speaker);
    } else if (action === "pause" && ticking) {
      stop();
      status.textContent = timer.getAttribute("data-paused");
    } else if (action === "swap") {
      stop();
      speaker = speaker === 1 ? 2 : 1;
      left = minutes * 60;
      status.textContent = timer.getAttribute("data-speaker-" + speaker);
      show();
    }
  });
  show();
})();

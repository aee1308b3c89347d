// The phones-away clock: the time since phones went away, counted up once a second.
// Without this file the page still says when it began. Nothing here talks to the server.
(function () {
  "use strict";

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  function start() {
    var clock = document.querySelector(".phones-away-clock[data-since]");
    if (!clock) return;
    var since = Date.parse(clock.dataset.since);
    if (isNaN(since)) return;
    function tick() {
      var seconds = Math.max(0, Math.floor((Date.now() - since) / 1000));
      var hours = Math.floor(seconds / 3600);
      var minutes = Math.floor((seconds % 3600) / 60);
      clock.textContent = hours + ":" + pad(minutes) + ":" + pad(seconds % 60);
    }
    tick();
    clock.hidden = false;
    window.setInterval(tick, 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

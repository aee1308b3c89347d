// The installable app: registers the service worker, offers "Add Kindling to your home
// screen" once, and turns push notifications on or off for this device (settings,
// Reminders). Every page works without this file.
(function () {
  "use strict";

  var HINT_DONE = "kindling-install-hint-done";
  var canWork = "serviceWorker" in navigator;

  if (canWork) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }

  function isIos() {
    return /iphone|ipad|ipod/i.test(navigator.userAgent) ||
      (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  }

  function isInstalled() {
    return window.matchMedia("(display-mode: standalone)").matches ||
      window.navigator.standalone === true;
  }

  function hintDone() {
    try {
      return window.localStorage.getItem(HINT_DONE) === "1";
    } catch (e) {
      return true;
    }
  }

  function finishHint(hint) {
    hint.hidden = true;
    try {
      window.localStorage.setItem(HINT_DONE, "1");
    } catch (e) { /* private mode: the hint may come back, which is harmless */ }
  }

  // Shown once: dismissing it, or installing, puts it away for good on this browser.
  var deferredPrompt = null;

  function openHint() {
    var hint = document.querySelector("[data-install-hint]");
    return hint && !hintDone() && !isInstalled() ? hint : null;
  }

  function offerInstall() {
    var hint = openHint();
    if (!hint || !deferredPrompt) return;
    hint.querySelector("[data-install]").hidden = false;
    hint.hidden = false;
  }

  window.addEventListener("beforeinstallprompt", function (event) {
    if (hintDone()) return;  // the browser's own offer stays as it is
    event.preventDefault();
    deferredPrompt = event;
    offerInstall();
  });

  function installHint() {
    var hint = openHint();
    if (!hint) return;
    hint.querySelector("[data-install-dismiss]").addEventListener("click", function () {
      finishHint(hint);
    });
    hint.querySelector("[data-install]").addEventListener("click", function () {
      if (!deferredPrompt) return;
      deferredPrompt.prompt();
      deferredPrompt.userChoice.then(function () { finishHint(hint); });
      deferredPrompt = null;
    });
    window.addEventListener("appinstalled", function () { finishHint(hint); });
    if (isIos()) {
      hint.querySelector("[data-install-ios]").hidden = false;
      hint.hidden = false;
    }
    offerInstall();
  }

  function applicationKey(base64) {
    var padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var key = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) key[i] = raw.charCodeAt(i);
    return key;
  }

  function post(box, url, body) {
    var token = box.querySelector("input[name=csrfmiddlewaretoken]").value;
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) throw new Error("refused");
      return response;
    });
  }

  // The browser asks for permission only after a click on "Turn on".
  function pushSection() {
    var box = document.querySelector("[data-push]");
    if (!box) return;
    var status = box.querySelector("[data-push-status]");
    var on = box.querySelector("[data-push-on]");
    var off = box.querySelector("[data-push-off]");
    // The words come from the page (data-text-*), in the reader's language.
    var text = {
      ios: box.dataset.textIos,
      unsupported: box.dataset.textUnsupported,
      blocked: box.dataset.textBlocked,
      on: box.dataset.textOn,
      off: box.dataset.textOff,
      joined: box.dataset.textJoined,
      onFailed: box.dataset.textOnFailed,
      offFailed: box.dataset.textOffFailed
    };
    if (!canWork || !("PushManager" in window) || !("Notification" in window)) {
      status.textContent = isIos() ? text.ios : text.unsupported;
      return;
    }

    function show(subscription, message) {
      var blocked = Notification.permission === "denied";
      on.hidden = blocked || !!subscription;
      off.hidden = !subscription;
      status.textContent = message || (blocked ? text.blocked : subscription ? text.on : text.off);
    }

    function current() {
      return navigator.serviceWorker.ready.then(function (registration) {
        return registration.pushManager.getSubscription().then(function (subscription) {
          return { registration: registration, subscription: subscription };
        });
      });
    }

    current().then(function (found) { show(found.subscription); });

    on.addEventListener("click", function () {
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") {
          show(null);
          return null;
        }
        return current().then(function (found) {
          return found.subscription || found.registration.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: applicationKey(box.dataset.publicKey)
          });
        }).then(function (subscription) {
          return post(box, box.dataset.subscribeUrl, subscription.toJSON()).then(function () {
            show(subscription, text.joined);
          });
        });
      }).catch(function () {
        show(null, text.onFailed);
      });
    });

    off.addEventListener("click", function () {
      current().then(function (found) {
        if (!found.subscription) return show(null);
        var endpoint = found.subscription.endpoint;
        return found.subscription.unsubscribe().then(function () {
          return post(box, box.dataset.unsubscribeUrl, { endpoint: endpoint });
        }).then(function () { show(null); });
      }).catch(function () {
        show(null, text.offFailed);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    installHint();
    pushSection();
  });
})();

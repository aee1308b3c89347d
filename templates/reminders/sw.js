// Kindling's service worker, served from /sw.js by reminders/pwa.py.
// - The app shell (styles, scripts, icons, the offline page) is cached under a versioned
//   name at install; an old version's cache is deleted once the new worker takes over.
// - The last-seen home page and the last notes read are kept, only when the server sent
//   them to a logged-in person (a logged-out visitor is redirected, and nothing is kept),
//   and shown with no network, marked as copies that may not be up to date.
// - Logging out (or finding oneself logged out) deletes every kept page; logging out also
//   drops this browser's push subscription, so a shared device stops getting the
//   notifications of whoever logged out (the server deletes it on its next 410).
// - Push: shows the notification, one per message (its tag names the message, so a
//   message never replaces another, only a resend of itself); a tap focuses an open
//   Kindling window and takes it to the message's page, or opens one.
"use strict";

{% autoescape off %}var CONFIG = {{ config }};{% endautoescape %}
var SHELL = "kindling-shell-" + CONFIG.version;
var PAGES = "kindling-pages";
var NOTE = new RegExp(CONFIG.notePattern);
var MARKER = "<!--offline-copy-->";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL).then(function (cache) {
      return cache.addAll(CONFIG.shell);
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("kindling-shell-") === 0 && name !== SHELL;
      }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () {
      return self.clients.claim();
    })
  );
});

function forgetPages() {
  return caches.delete(PAGES);
}

// Never in the way of logging out: a browser without push, or a failed unsubscribe,
// still logs out.
function unsubscribe() {
  try {
    return self.registration.pushManager.getSubscription().then(function (subscription) {
      return subscription && subscription.unsubscribe();
    }).catch(function () {});
  } catch (e) {
    return Promise.resolve();
  }
}

function keepable(path) {
  return path === CONFIG.home || NOTE.test(path);
}

function keep(path, response) {
  return response.blob().then(function (body) {
    var headers = new Headers(response.headers);
    headers.set("X-Kindling-Saved", new Date().toISOString());
    var copy = new Response(body, { status: 200, headers: headers });
    return caches.open(PAGES).then(function (cache) {
      // Deleted first, so the key moves to the end: the oldest notes are dropped.
      return cache.delete(path).then(function () {
        return cache.put(path, copy);
      }).then(function () {
        return cache.keys();
      }).then(function (requests) {
        var notes = requests.filter(function (request) {
          return NOTE.test(new URL(request.url).pathname);
        });
        var extra = notes.slice(0, Math.max(0, notes.length - CONFIG.keepNotes));
        return Promise.all(extra.map(function (request) { return cache.delete(request); }));
      });
    });
  });
}

function markAsCopy(response) {
  var saved = new Date(response.headers.get("X-Kindling-Saved") || Date.now());
  return response.text().then(function (html) {
    // The text comes in the language of the page that installed this worker.
    var notice = '<div class="alert alert-warning offline-copy" role="status">' +
      CONFIG.text.offlineCopy.replace("{saved}", saved.toLocaleString()) + "</div>";
    return new Response(html.replace(MARKER, notice), {
      status: 200,
      headers: response.headers
    });
  });
}

function offlinePage() {
  return caches.open(SHELL).then(function (cache) {
    return cache.match(CONFIG.offline);
  }).then(function (page) {
    return page || new Response(CONFIG.text.offline, {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8" }
    });
  });
}

function navigate(request, path) {
  return fetch(request).then(function (response) {
    if (keepable(path)) {
      if (response.type === "opaqueredirect" || response.redirected) {
        // Sent to log in: whoever was logged in here is not any more.
        return forgetPages().then(function () { return response; });
      }
      if (response.ok) {
        return keep(path, response.clone()).then(function () { return response; });
      }
    }
    return response;
  }).catch(function () {
    return caches.open(PAGES).then(function (cache) {
      return cache.match(path);
    }).then(function (kept) {
      return kept ? markAsCopy(kept) : offlinePage();
    });
  });
}

function fromShell(request) {
  return caches.match(request, { cacheName: SHELL }).then(function (found) {
    return found || fetch(request);
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === CONFIG.logout) {
    event.respondWith(Promise.all([forgetPages(), unsubscribe()]).then(function () {
      return fetch(request);
    }));
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.indexOf(CONFIG.static) === 0) {
    event.respondWith(fromShell(request));
  } else if (request.mode === "navigate") {
    event.respondWith(navigate(request, url.pathname));
  }
});

self.addEventListener("message", function (event) {
  if (event.data === "forget-pages") event.waitUntil(forgetPages());
});

// Only a page of this site opens: a payload cannot send anyone elsewhere, nor run script
// (a "javascript:" URL, or one like "x:.attacker.com/p", has another origin).
function sameSite(url) {
  try {
    var parsed = new URL(url, self.location.origin);
    return parsed.origin === self.location.origin ? parsed.href : CONFIG.home;
  } catch (e) {
    return CONFIG.home;
  }
}

self.addEventListener("push", function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = {};
  }
  var url = sameSite(data.url || CONFIG.home);
  // One notification per message: a message sent twice (after a crash) replaces itself,
  // and never another one.
  event.waitUntil(self.registration.showNotification(data.title || "Kindling", {
    body: data.body || "",
    icon: CONFIG.icon,
    tag: typeof data.tag === "string" && data.tag ? data.tag : url,
    data: { url: url }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = sameSite((event.notification.data && event.notification.data.url) || CONFIG.home);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      var open = windows.find(function (client) {
        return new URL(client.url).origin === self.location.origin && "focus" in client;
      });
      if (open) {
        // navigate() rejects for a window this worker does not control (opened before
        // it was installed): that one is left as it is and the page opens in a new one.
        return open.focus().then(function (client) {
          if (!client.navigate) return self.clients.openWindow(target);
          return client.navigate(target).then(function (navigated) {
            return navigated || self.clients.openWindow(target);
          });
        }).catch(function () {
          return self.clients.openWindow(target);
        });
      }
      return self.clients.openWindow(target);
    })
  );
});

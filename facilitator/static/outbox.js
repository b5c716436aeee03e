// The phone's outbox: a tap made while the server cannot be reached is never silently lost.
// It is kept (also across a reload) with its idempotency key, the tapped button stays marked,
// the phone says "Sendes, når forbindelsen er tilbage", and once the connection is back it is
// sent as it was: the server counts a retried key once. A refused answer shows why.
(function () {
  "use strict";
  var root, store, swap, goneOffline, notice;
  var queue = [];
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(store) || "[]"); } catch (e) { return []; }
  }
  function save() {
    try { localStorage.setItem(store, JSON.stringify(queue)); } catch (e) { /* private mode */ }
    mark();
  }

  // The element a queued answer came from, found again after any re-render of the screen.
  function source(item) {
    return Array.prototype.find.call(root.querySelectorAll("[hx-post]"), function (el) {
      return el.getAttribute("hx-post") === item.path && (el.getAttribute("hx-vals") || "") === item.vals;
    });
  }

  function mark() {
    if (!root) return;
    if (notice) notice.hidden = !queue.length;
    root.querySelectorAll(".queued").forEach(function (el) { el.classList.remove("queued"); });
    queue.forEach(function (item) {
      var el = source(item);
      if (el) el.classList.add("queued");
    });
  }

  function add(elt, cfg, data) {
    var key = cfg.headers["Idempotency-Key"];
    if (queue.some(function (q) { return q.key === key; })) return;
    queue.push({ path: cfg.path, data: data, key: key, vals: elt.getAttribute("hx-vals") || "" });
    save();
  }

  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}"); } catch (e) { return {}; }
  }

  function refused(status) {
    if (status === 401 || status === 404 || status === 410) { window.location.reload(); return; }
    var p = document.createElement("p");
    p.className = "flash error";
    p.setAttribute("role", "alert");
    p.setAttribute("data-testid", "outbox-refused");
    p.textContent = "Svaret kunne ikke gemmes. Genindlæs siden, og prøv igen.";
    root.prepend(p);
  }

  function flush() {
    if (sending || !queue.length) return;
    sending = true;
    var item = queue[0];
    var body = new URLSearchParams();
    item.data.forEach(function (kv) { body.append(kv[0], kv[1]); });
    var headers = csrf();
    headers["HX-Request"] = "true";
    headers["Idempotency-Key"] = item.key;
    fetch(item.path, { method: "POST", credentials: "same-origin", headers: headers, body: body })
      .then(function (r) {
        return r.text().then(function (html) {
          queue.shift();
          save();
          if (r.status === 200 || r.status === 422) swap(html);
          else refused(r.status);
          sending = false;
          flush();
        });
      })
      .catch(function () {
        sending = false;
        goneOffline(); // still unreachable: the next reconnect tries again
      });
  }

  window.facilitatorOutbox = {
    init: function (opts) {
      root = opts.root;
      store = "facilitator-outbox-" + opts.code;
      swap = opts.swap;
      goneOffline = opts.offline;
      notice = document.querySelector(".queued-notice");
      queue = load();
      mark();
    },
    add: add,
    flush: flush,
    mark: mark,
    pending: function () { return queue.length; },
  };
})();

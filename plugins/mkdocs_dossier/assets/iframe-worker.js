/*
 * mkdocs-dossier: a Worker stand-in for pages opened from disk (file://).
 *
 * Chromium refuses `new Worker("file://...")`, which leaves Material's search
 * without its worker when the site is read offline. On file: pages only, this
 * script replaces `window.Worker` with a class that runs the worker script in a
 * hidden same-origin <iframe> (about:blank inherits the page's origin):
 *
 *   page  -- worker.postMessage(data) -->  iframe: "message" event, ev.data
 *   page  <-- "message" event, ev.data --  iframe: postMessage(data)
 *
 * Inside the iframe, `importScripts(...)` loads scripts in order and returns a
 * Promise (Material's worker awaits it), `close()` ends the worker, and
 * `self` is the iframe's window. Messages are delivered asynchronously and
 * structured-cloned, as with a real worker. Nothing here touches the network:
 * the iframe has no URL and scripts come from the same folder as the page.
 *
 * On http(s) pages this file does nothing at all.
 */
(function () {
  "use strict";

  if (typeof window === "undefined" || window.location.protocol !== "file:") return;
  if (window.IFrameWorker) return; // already installed (script included twice)

  // Structured-clone `data` into the realm (window) that will receive it.
  function copy(realm, data) {
    return typeof realm.structuredClone === "function" ? realm.structuredClone(data) : data;
  }

  function later(fn) {
    window.setTimeout(fn, 0);
  }

  function IFrameWorker(url) {
    if (!(this instanceof IFrameWorker)) {
      throw new TypeError("Failed to construct 'Worker': use the 'new' operator");
    }
    var worker = this;
    var target = document.createDocumentFragment(); // a plain EventTarget
    var pending = []; // messages posted before the worker script has run
    var ready = false;
    var closed = false;

    this.onmessage = null;
    this.onerror = null;
    this.onmessageerror = null;
    this.url = new URL(String(url), document.baseURI).href;

    function emit(event) {
      var handler = worker["on" + event.type];
      if (typeof handler === "function") handler.call(worker, event);
      target.dispatchEvent(event);
    }

    function fail(message, error) {
      if (closed) return;
      later(function () {
        emit(new ErrorEvent("error", {
          message: String(message),
          error: error,
          filename: worker.url
        }));
      });
    }

    this.addEventListener = function (type, listener, options) {
      target.addEventListener(type, listener, options);
    };
    this.removeEventListener = function (type, listener, options) {
      target.removeEventListener(type, listener, options);
    };
    this.dispatchEvent = function (event) {
      return target.dispatchEvent(event);
    };

    var frame = document.createElement("iframe");
    frame.setAttribute("aria-hidden", "true");
    frame.setAttribute("tabindex", "-1");
    frame.setAttribute("title", "search worker");
    frame.hidden = true;
    frame.style.display = "none";
    (document.body || document.documentElement).appendChild(frame);
    this._frame = frame;

    var scope = frame.contentWindow;
    var doc = frame.contentDocument;
    doc.open();
    doc.write("<!doctype html><html><head><meta charset=\"utf-8\"></head><body></body></html>");
    doc.close();

    // The worker's global scope.
    scope.postMessage = function (data) {
      if (closed) return;
      var value = copy(window, data);
      later(function () {
        if (!closed) emit(new MessageEvent("message", { data: value }));
      });
    };
    scope.close = function () {
      worker.terminate();
    };
    scope.importScripts = function () {
      var urls = Array.prototype.slice.call(arguments);
      return urls.reduce(function (chain, each) {
        return chain.then(function () {
          return load(new URL(String(each), worker.url).href);
        });
      }, Promise.resolve());
    };
    scope.addEventListener("error", function (ev) {
      fail(ev.message || "worker error", ev.error);
    });
    scope.addEventListener("unhandledrejection", function (ev) {
      var reason = ev.reason;
      fail(reason && reason.message ? reason.message : String(reason), reason);
    });

    function load(src) {
      return new Promise(function (resolve, reject) {
        var script = doc.createElement("script");
        script.src = src;
        script.onload = function () { resolve(); };
        script.onerror = function () {
          reject(new Error("importScripts: could not load " + src));
        };
        doc.head.appendChild(script);
      });
    }

    function deliver(data) {
      if (closed) return;
      scope.dispatchEvent(new scope.MessageEvent("message", { data: data }));
    }

    this.postMessage = function (data) {
      if (closed) return;
      var value = copy(scope, data);
      if (!ready) {
        pending.push(value);
        return;
      }
      later(function () { deliver(value); });
    };

    this.terminate = function () {
      if (closed) return;
      closed = true;
      pending = [];
      if (frame.parentNode) frame.parentNode.removeChild(frame);
    };

    load(this.url).then(
      function () {
        ready = true;
        var queued = pending;
        pending = [];
        later(function () { queued.forEach(deliver); });
      },
      function (error) {
        fail(error.message, error);
      }
    );
  }

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();

/* mkdocs-dossier hover cards.
 *
 * A mention, or a link that names an entity, shows a small card (name, type, summary,
 * first fact, counts) on mouse hover, on keyboard focus and on tap. The cards come
 * with the page, as JSON in <div id="dossier-cards" hidden data-cards>, and the
 * counts from the site's dossier-counts.js: nothing is fetched, so they work from disk. Without this script the links keep their native
 * `title` text; with it, the title is removed so that two tooltips never show.
 *
 * The card follows the WAI-ARIA tooltip pattern: role="tooltip", referenced by the
 * trigger's aria-describedby while shown, no focusable content, Escape closes it, and
 * it stays while the pointer moves onto it (WCAG 1.4.13).
 *
 * Touch: the first tap on a linked mention shows its card instead of following the
 * link; a second tap on it, or a tap on the card, follows the link; a tap elsewhere
 * closes the card. (A link inside the card would break the tooltip pattern for
 * keyboard and screen-reader users, who reach the same page through the mention.)
 */
(function () {
  "use strict";

  var TRIGGERS = "a[data-entity], .dossier-mention[data-entity]";
  var SHOW_DELAY = 120;
  var HIDE_DELAY = 250;
  var GAP = 6;
  var MARGIN = 8;

  var data = null;
  var card = null;
  var current = null;
  var showTimer = 0;
  var hideTimer = 0;
  var touched = false;
  var shownBeforeTap = false;

  function trigger(node) {
    var el = node && node.closest ? node.closest(TRIGGERS) : null;
    if (!el || el.closest("svg") || !data) return null;
    return data.cards[el.getAttribute("data-entity")] ? el : null;
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function fill(id, tapped) {
    var info = data.cards[id];
    card.textContent = "";
    card.className = "dossier-card dossier-card-" + info.type;
    var head = element("p", "dossier-card-head");
    head.appendChild(element("span", "dossier-card-name", info.name));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(element("span", "dossier-card-type", data.types[info.type] || info.type));
    card.appendChild(head);
    if (info.summary) card.appendChild(element("p", "dossier-card-summary", info.summary));
    if (info.fact) {
      var fact = element("p", "dossier-card-fact");
      fact.appendChild(element("span", "dossier-card-label", info.fact[0]));
      fact.appendChild(document.createTextNode(" " + info.fact[1]));
      card.appendChild(fact);
    }
    // The counts come from the site's dossier-counts.js, rewritten by every build.
    var counts = window.dossierCounts && window.dossierCounts[id];
    if (counts) card.appendChild(element("p", "dossier-card-counts", counts));
    if (tapped && data.tap) card.appendChild(element("p", "dossier-card-hint", data.tap));
  }

  function place(el) {
    // The first line box: a mention that wraps gets its card under its start.
    var rects = el.getClientRects();
    var box = rects.length ? rects[0] : el.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var height = document.documentElement.clientHeight;
    card.style.left = "0px";
    card.style.top = "0px";
    var own = card.getBoundingClientRect();
    var left = Math.max(MARGIN, Math.min(box.left, width - own.width - MARGIN));
    var top = box.bottom + GAP;
    if (top + own.height > height - MARGIN && box.top - GAP - own.height >= MARGIN) {
      top = box.top - GAP - own.height;
    }
    card.style.left = left + window.scrollX + "px";
    card.style.top = top + window.scrollY + "px";
  }

  function show(el, tapped) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (current && current !== el) current.removeAttribute("aria-describedby");
    current = el;
    fill(el.getAttribute("data-entity"), tapped && !!el.href);
    card.hidden = false;
    place(el);
    el.setAttribute("aria-describedby", card.id);
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (current) current.removeAttribute("aria-describedby");
    current = null;
    if (card) card.hidden = true;
  }

  function hideSoon() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_DELAY);
  }

  function onPointerOver(event) {
    if (event.pointerType === "touch") return;
    if (card.contains(event.target)) {
      clearTimeout(hideTimer);
      return;
    }
    var el = trigger(event.target);
    if (!el) return;
    if (el === current) {
      clearTimeout(hideTimer);
      return;
    }
    clearTimeout(showTimer);
    showTimer = setTimeout(function () {
      show(el);
    }, SHOW_DELAY);
  }

  function onPointerOut(event) {
    if (event.pointerType === "touch") return;
    var from = card.contains(event.target) ? card : trigger(event.target);
    if (!from) return;
    var to = event.relatedTarget;
    if (to && (from.contains(to) || card.contains(to) || (current && current.contains(to)))) return;
    if (from === card || from === current) hideSoon();
    else clearTimeout(showTimer);
  }

  function onPointerDown(event) {
    touched = event.pointerType === "touch";
    var el = trigger(event.target);
    shownBeforeTap = !!el && el === current && !card.hidden;
    if (!el && !card.contains(event.target)) hide();
  }

  function onClick(event) {
    if (!touched) return;
    var el = trigger(event.target);
    if (el && !shownBeforeTap) {
      event.preventDefault();
      show(el, true);
    }
  }

  function onCardClick() {
    if (touched && current && current.href) window.location.href = current.href;
  }

  function onFocusIn(event) {
    var el = trigger(event.target);
    if (el) show(el);
  }

  function onFocusOut(event) {
    if (current && event.target === current) hide();
  }

  function onKeyDown(event) {
    touched = false; // Enter on a focused link follows it, whatever the last tap did
    if (event.key === "Escape" && current) hide();
  }

  function setup() {
    var block = document.getElementById("dossier-cards");
    hide();
    data = null;
    if (!block) return;
    try {
      data = JSON.parse(block.getAttribute("data-cards"));
    } catch (error) {
      return;
    }
    var links = document.querySelectorAll(TRIGGERS);
    for (var i = 0; i < links.length; i++) {
      if (trigger(links[i]) === links[i]) links[i].removeAttribute("title");
    }
  }

  function start() {
    card = document.createElement("div");
    card.id = "dossier-card";
    card.setAttribute("role", "tooltip");
    card.hidden = true;
    document.body.appendChild(card);
    document.addEventListener("pointerover", onPointerOver);
    document.addEventListener("pointerout", onPointerOut);
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("click", onClick);
    document.addEventListener("focusin", onFocusIn);
    document.addEventListener("focusout", onFocusOut);
    document.addEventListener("keydown", onKeyDown);
    card.addEventListener("click", onCardClick);
    window.addEventListener("resize", function () {
      if (current) place(current);
    });
    // Material's instant navigation swaps the page without a reload and announces
    // each page on `document$`; without it, the page is set up once.
    if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
      window.document$.subscribe(setup);
    } else {
      setup();
    }
  }

  start();
})();

// emend review report: tooltips, the kind filter, and links between the
// repair list, the highlights and the boxes on the page images. Footnote
// links are plain anchors and work without this script.
(function () {
  "use strict";
  var tip = document.getElementById("tooltip");
  var filter = document.getElementById("kind-filter");
  var status = document.getElementById("filter-status");

  function related(n) {
    return document.querySelectorAll('[data-repair="' + n + '"]');
  }

  function text(tag, cls, s) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    e.textContent = s;
    return e;
  }

  // The tooltip shows what the repair changed, why, and how sure it is.
  function showTip(el) {
    var d = el.dataset;
    tip.textContent = "";
    tip.appendChild(text("div", "tt-kind", d.kind + " · " + d.conf + " confidence"));
    var change = document.createElement("div");
    change.appendChild(text("del", "", d.before || "∅"));
    change.appendChild(document.createTextNode(" → "));
    change.appendChild(text("ins", "", d.after || "∅ (removed)"));
    tip.appendChild(change);
    tip.appendChild(text("div", "tt-reason", d.reason));
    if (d.where) tip.appendChild(text("div", "tt-where", d.where));
    tip.hidden = false;
    var r = el.getBoundingClientRect();
    var top = r.bottom + 6;
    if (top + tip.offsetHeight > window.innerHeight) top = Math.max(0, r.top - tip.offsetHeight - 6);
    tip.style.top = top + "px";
    tip.style.left = Math.max(0, Math.min(r.left, window.innerWidth - tip.offsetWidth - 4)) + "px";
  }

  function heat(n, on) {
    related(n).forEach(function (e) { e.classList.toggle("hot", on); });
  }

  function target(el) {
    return el.closest ? el.closest(".repair, .box") : null;
  }

  document.addEventListener("mouseover", function (ev) {
    var el = target(ev.target);
    if (!el) return;
    showTip(el);
    heat(el.dataset.repair, true);
  });
  document.addEventListener("mouseout", function (ev) {
    var el = target(ev.target);
    if (!el) return;
    tip.hidden = true;
    heat(el.dataset.repair, false);
  });
  document.addEventListener("focusin", function (ev) {
    var el = target(ev.target);
    if (el) showTip(el);
  });
  document.addEventListener("focusout", function () { tip.hidden = true; });
  // The tooltip is placed when shown; a jump or a scroll leaves it behind.
  window.addEventListener("hashchange", function () { tip.hidden = true; });
  document.addEventListener("scroll", function () { tip.hidden = true; }, true);

  // Bring a repair into view wherever it shows: its highlight in the text,
  // its box on the page image, its entry in the list.
  function reveal(n, from) {
    var entry = document.querySelector('#repairs li[data-repair="' + n + '"]');
    var shown = entry && entry.dataset.target ? document.getElementById(entry.dataset.target) : null;
    var box = document.getElementById("b-" + n);
    [shown, box, entry].forEach(function (e) {
      if (e && e !== from) e.scrollIntoView({ block: e === shown ? "center" : "nearest" });
    });
    // One repair is marked at a time: the last one's marks go at once.
    clearTimeout(cool);
    document.querySelectorAll(".hot").forEach(function (e) { e.classList.remove("hot"); });
    heat(n, true);
    cool = setTimeout(function () { heat(n, false); }, 1600);
  }
  var cool;

  document.addEventListener("click", function (ev) {
    var entry = ev.target.closest(".repair-entry");
    if (entry) {
      reveal(entry.dataset.repair, entry);
      return;
    }
    var box = ev.target.closest(".box");
    if (box) {
      reveal(box.dataset.repair, box);
      return;
    }
    var mark = ev.target.closest("mark.repair");
    if (mark) reveal(mark.dataset.repair, mark);
  });

  function matches(el, f) {
    if (f === "all") return true;
    if (f === "low") return el.classList.contains("low");
    return el.dataset.kind === f;
  }

  // The filter dims the highlights of other kinds and hides their entries.
  function applyFilter() {
    var f = filter.value;
    document.body.dataset.filter = f;
    document.querySelectorAll(".repair, .box").forEach(function (e) {
      e.classList.toggle("off", !matches(e, f));
    });
    var shown = 0;
    document.querySelectorAll("#repairs li.repair-entry").forEach(function (e) {
      var on = matches(e, f);
      e.style.display = on ? "" : "none";
      if (on) shown++;
    });
    status.textContent = f === "all" ? "" : shown + " shown";
  }
  filter.addEventListener("change", applyFilter);

  // "Next to check" walks the low-confidence repairs in list order.
  var nextLow = document.getElementById("next-low");
  var lowAt = -1;
  function showNextLow() {
    var low = document.querySelectorAll("#repairs li.repair-entry.low");
    if (!low.length) return;
    lowAt = (lowAt + 1) % low.length;
    low[lowAt].scrollIntoView({ block: "nearest" });
    reveal(low[lowAt].dataset.repair, low[lowAt]);
  }
  if (nextLow) nextLow.addEventListener("click", showNextLow);
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "n" && !ev.ctrlKey && !ev.metaKey && !ev.altKey && ev.target === document.body) showNextLow();
  });
  applyFilter();
})();

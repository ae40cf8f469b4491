// Timelines on touch screens: the first tap on a bar (or a transaction mark) shows its details,
// as hover and keyboard focus do; a second tap follows its link to the row. The details are
// also copied into a panel below the chart, which stays in view when the chart has scrolled
// sideways on a phone. Without this script a tap follows the link, as before.
(function () {
  "use strict";
  var ITEMS = ".timeline a.bar, .timeline a.mark";
  var focusedBeforeTap = null;

  function show(item) {
    var figure = item.closest(".timeline-figure");
    var panel = figure && figure.querySelector(".bar-details-panel");
    if (!panel) return;
    panel.replaceChildren();
    item.querySelectorAll(".details text").forEach(function (line, index) {
      var part = document.createElement(index === 0 ? "strong" : "span");
      part.textContent = line.textContent;
      panel.append(part);
    });
    panel.hidden = false;
  }

  document.addEventListener("pointerdown", function (event) {
    var item = event.target.closest && event.target.closest(ITEMS);
    focusedBeforeTap = item && document.activeElement === item ? item : null;
  }, true);

  document.addEventListener("click", function (event) {
    var item = event.target.closest && event.target.closest(ITEMS);
    if (!item || event.pointerType !== "touch" || focusedBeforeTap === item) return;
    event.preventDefault();
    item.focus();
    show(item);
  });

  document.addEventListener("focusin", function (event) {
    var item = event.target.closest && event.target.closest(ITEMS);
    if (item) show(item);
  });
})();

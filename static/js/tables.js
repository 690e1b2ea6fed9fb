/* Wide tables (the splits): say "swipe sideways" only when the table is wider than the
   screen. The hint is the element named by the scroller's aria-describedby; it starts hidden
   (the CSS shadows still show the cut edge without JavaScript). */
"use strict";

(function () {
  function setUp(scroller) {
    const hint = document.getElementById(scroller.getAttribute("aria-describedby") || "");
    if (!hint) return;
    const update = () => {
      hint.hidden = scroller.scrollWidth <= scroller.clientWidth + 1;
    };
    update();
    if ("ResizeObserver" in window) new ResizeObserver(update).observe(scroller);
    else window.addEventListener("resize", update);
  }
  if (window.legdayEnhance) window.legdayEnhance("table-scroll", ".table-scroll[aria-describedby]", setUp);
})();

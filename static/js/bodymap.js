// The body map (templates/week/_bodymap.html): choosing a muscle shows its panel.
// Without this script the links still work (the panel is the :target); with it, the chosen
// muscle is outlined on the figure, the page does not jump, and the panel gets the focus.
(function () {
  "use strict";

  function choose(map, key, focus) {
    const root = map.closest("section") || document;
    root.querySelectorAll("[data-muscle]").forEach(function (el) {
      const on = el.dataset.muscle === key;
      el.classList.toggle("selected", on);
      if (el.closest(".muscle-chips")) {
        if (on) el.setAttribute("aria-current", "true");
        else el.removeAttribute("aria-current");
      }
    });
    root.querySelectorAll(".muscle-panel").forEach(function (panel) {
      panel.classList.toggle("shown", panel.id === "muscle-" + key);
    });
    root.classList.add("muscle-chosen");
    const panel = document.getElementById("muscle-" + key);
    if (panel && focus) panel.focus({ preventScroll: true });
    if (panel && focus) panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
    if (history.replaceState) history.replaceState(history.state, "", "#muscle-" + key);
  }

  window.legdayEnhance("bodymap", "[data-bodymap]", function (map) {
    const section = map.closest("section") || document;
    section.addEventListener("click", function (event) {
      const link = event.target.closest && event.target.closest("a[data-muscle]");
      if (!link) return;
      event.preventDefault();
      choose(map, link.dataset.muscle, true);
    });
    const hash = location.hash.match(/^#muscle-([a-z_]+)$/);
    if (hash) choose(map, hash[1], false);
  });
})();

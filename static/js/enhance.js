// Progressive enhancement for Legday's widgets (charts, route map, body map, session mode).
// legdayEnhance(name, selector, setUp) runs setUp(element) once for every element matching
// `selector`: now, on DOMContentLoaded, and in whatever HTMX swaps in later (a boosted page or
// a fragment). setUp may return false to be tried again on the next pass. A widget's script may
// run again after a boosted navigation: registering the same name again replaces its setUp.
(function () {
  "use strict";
  if (window.legdayEnhance) return;
  const kinds = new Map(); // name -> {selector, setUp, done: WeakSet}

  function run(root, only) {
    const scope = root && root.querySelectorAll ? root : document;
    kinds.forEach(function (kind, name) {
      if (only && only !== name) return;
      const found = Array.prototype.slice.call(scope.querySelectorAll(kind.selector));
      if (scope.matches && scope.matches(kind.selector)) found.unshift(scope);
      found.forEach(function (el) {
        if (kind.done.has(el)) return;
        kind.done.add(el);
        if (kind.setUp(el) === false) kind.done.delete(el);
      });
    });
  }

  window.legdayEnhance = function (name, selector, setUp) {
    const old = kinds.get(name);
    kinds.set(name, { selector: selector, setUp: setUp, done: old ? old.done : new WeakSet() });
    run(document, name);
  };
  document.addEventListener("DOMContentLoaded", () => run(document));
  document.addEventListener("htmx:load", (event) => run(event.detail && event.detail.elt));
  document.addEventListener("htmx:afterSwap", (event) => run(event.detail && event.detail.target));
})();

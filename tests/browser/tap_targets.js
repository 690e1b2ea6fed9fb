// The tap targets of a page below 44 x 44 px without the spacing that makes up for it
// (tests/browser/test_every_page.py). Links, buttons, inputs, selects and summaries count;
// a checkbox or radio counts as its label. A target passes at 44 x 44 px, or when a 44 px
// square around its centre touches no other target (WCAG 2.5.8's spacing, at 44 px). A target
// inside an SVG (the body map) passes when a control with the same href passes (its chip).
() => {
  const sel = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  const box = (el) => {
    const label =
      el.closest("label") || (el.id && document.querySelector(`label[for="${el.id}"]`));
    const toggle = el.matches("input[type=checkbox], input[type=radio]");
    return (label && toggle ? label : el).getBoundingClientRect();
  };
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && r.right > 0 && r.left < innerWidth &&
      getComputedStyle(el).visibility !== "hidden" &&
      !el.closest("[aria-hidden=true], .leaflet-control-attribution");
  };
  const all = [...document.querySelectorAll(sel)].filter(shown).map((el) => ({ el, r: box(el) }));
  const big = (t) => t.r.width >= 43.5 && t.r.height >= 43.5;
  const apart = (o, sq) =>
    o.r.right <= sq.left || o.r.left >= sq.right || o.r.bottom <= sq.top || o.r.top >= sq.bottom;
  const spaced = (t) => {
    const cx = t.r.left + t.r.width / 2, cy = t.r.top + t.r.height / 2;
    const sq = { left: cx - 22, right: cx + 22, top: cy - 22, bottom: cy + 22 };
    return all.every((o) => o === t || o.el.contains(t.el) || t.el.contains(o.el) || apart(o, sq));
  };
  const good = all.filter((t) => big(t) || spaced(t));
  const covered = new Set(good.map((t) => t.el.getAttribute("href")).filter(Boolean));
  const name = (el) => (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
  return all
    .filter((t) => !big(t) && !spaced(t))
    .filter((t) => !(t.el.closest("svg") && covered.has(t.el.getAttribute("href"))))
    .map((t) => `${t.el.tagName.toLowerCase()} "${name(t.el).slice(0, 30)}" ` +
      `${Math.round(t.r.width)}x${Math.round(t.r.height)}`);
}

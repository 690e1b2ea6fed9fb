// Settings: offer the device's time zone when the saved one differs (new accounts start on UTC).
(function () {
  "use strict";
  function offer() {
    const select = document.getElementById("timezone");
    const hint = document.getElementById("timezone-hint");
    if (!select || !hint || !window.Intl) return;
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const known = Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
    if (!zone || !known || select.value === zone) return;
    const button = hint.querySelector("button");
    button.textContent = "Use this device's time zone (" + zone + ")";
    button.onclick = function () { select.value = zone; hint.hidden = true; };
    hint.hidden = false;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", offer);
  else offer();
  if (!window.legdaySettingsHint) {
    window.legdaySettingsHint = true;
    document.addEventListener("htmx:afterSettle", offer);
  }
})();

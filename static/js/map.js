// The route on a basemap, with Leaflet (static/vendor/leaflet.js, from npm).
//
// Markup (templates/activities/_map.html): an element with data-route-map, data-source="<id of
// a <script type="application/json"> with [[lat, lon], ...]>", data-tile-url (a {z}/{x}/{y}
// template; empty means no basemap), data-attribution and data-attribution-url. It holds the
// SVG route, which stays on show until a first tile has loaded: offline, with no tile server,
// or when every tile fails, the runner sees the SVG. The points arrive with the privacy zone
// already cut off by the server (webapp/privacy.py).
(function () {
  "use strict";

  const WAIT_MS = 8000; // no tile by then: keep the SVG

  function readPoints(el) {
    const source = document.getElementById(el.dataset.source || "");
    if (!source) return null;
    try {
      const points = JSON.parse(source.textContent);
      return Array.isArray(points) && points.length >= 2 ? points : null;
    } catch (e) {
      return null;
    }
  }

  function escapeHTML(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  function attributionOf(el) {
    const text = escapeHTML(el.dataset.attribution || "");
    const url = el.dataset.attributionUrl || "";
    return url ? '<a href="' + escapeHTML(url) + '">' + text + "</a>" : text;
  }

  function fallBack(el, map, holder, reason) {
    el.classList.remove("map-live");
    el.dataset.state = "fallback";
    el.dataset.reason = reason;
    // Not inside the tile layer's own event: Leaflet's GridLayer goes on reading this._map
    // (its _fadeAnimated) after firing "load", and map.remove() has set it to null by then.
    setTimeout(function () {
      map.remove();
      holder.remove();
    }, 0);
  }

  function draw(el) {
    const url = el.dataset.tileUrl || "";
    const points = readPoints(el);
    if (!points) return;
    if (!url || !window.L) {
      el.dataset.state = "fallback";
      el.dataset.reason = url ? "no-leaflet" : "no-tile-url";
      return;
    }
    const holder = document.createElement("div");
    holder.className = "map-holder";
    holder.setAttribute("role", "region");
    holder.setAttribute("aria-label", el.dataset.label || "Map of the route");
    el.appendChild(holder);
    const map = L.map(holder, {
      // One finger scrolls the page on a phone; two move the map.
      dragging: !L.Browser.mobile,
      scrollWheelZoom: false,
      zoomSnap: 0.25,
    });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    const line = L.polyline(points, { color: "#1f5f4a", weight: 4, opacity: 0.9 }).addTo(map);
    L.circleMarker(points[0], { radius: 7, color: "#fff", weight: 2, fillColor: "#2e9e6b", fillOpacity: 1 })
      .bindTooltip("Start (after the privacy zone)").addTo(map);
    L.circleMarker(points[points.length - 1], { radius: 7, color: "#fff", weight: 2, fillColor: "#1c2321", fillOpacity: 1 })
      .bindTooltip("Finish (before the privacy zone)").addTo(map);
    map.fitBounds(line.getBounds(), { padding: [16, 16] });

    let loaded = 0;
    el.dataset.state = "loading";
    const tiles = L.tileLayer(url, { attribution: attributionOf(el), maxZoom: 19, crossOrigin: false });
    const timer = setTimeout(function () {
      if (!loaded && el.dataset.state === "loading") fallBack(el, map, holder, "timeout");
    }, WAIT_MS);
    tiles.on("tileload", function () {
      loaded += 1;
      if (loaded === 1) {
        clearTimeout(timer);
        el.classList.add("map-live"); // shows the map, hides the SVG (journey.css)
        el.dataset.state = "live";
        map.invalidateSize();
        map.fitBounds(line.getBounds(), { padding: [16, 16] });
      }
    });
    tiles.on("load", function () {
      // Every visible tile has finished, and none loaded: offline or a dead tile server.
      if (!loaded && el.dataset.state === "loading") {
        clearTimeout(timer);
        fallBack(el, map, holder, "tiles-failed");
      }
    });
    tiles.addTo(map);
  }

  window.legdayEnhance("map", "[data-route-map]", draw);
})();

/* Corridor atlas map labels: window.atlasLabels.add(group, labels, sizePx).
   labels: [{k: kind, t: text, p: [[lon, lat], ...candidates], z: minZoom, c: colour, w: widthDeg}],
   in placement order. A label is shown at its first candidate that lies inside the map and overlaps no label
   placed before it; a country name only where it fits inside the country. Text is set with textContent.
   Labels take no clicks and no keyboard focus (interactive: false, keyboard: false, own pane).
   A label's marker is made when it is first wanted (its zoom reached, a candidate near the view): an atlas of
   thousands of places has most of its names hidden at any one view.
   window.atlasLabels.marker(latlng, options): a marker that adds no listener of its own to the map (see
   QuietMarker); atlasmap.js draws the places with it. */
(function () {
  "use strict";
  if (window.atlasLabels) return;

  // Leaflet's markers each add three listeners to the map (zoom, viewreset, zoomanim), and the map compares
  // every listener of a kind with the new one as each is added: 20,000 markers took 8 s to add. A quiet
  // marker leaves them to one set of listeners per map, which moves every quiet marker as each would itself.
  function moved(map) {
    if (!map._atlasMarkers) {
      var set = map._atlasMarkers = new Set();
      var update = function () { set.forEach(function (m) { m.update(); }); };
      map.on({zoom: update, viewreset: update, zoomanim: function (e) {
        set.forEach(function (m) { if (m._zoomAnimated) m._animateZoom(e); });
      }});
    }
    return map._atlasMarkers;
  }

  var QuietMarker = L.Marker.extend({
    getEvents: function () { return {}; },
    onAdd: function (map) {
      L.Marker.prototype.onAdd.call(this, map);
      if (this._zoomAnimated) map.off("zoomanim", this._animateZoom, this);
      moved(map).add(this);
    },
    onRemove: function (map) {
      moved(map).delete(this);
      if (this._zoomAnimated) map.on("zoomanim", this._animateZoom, this);  // for Marker's onRemove to take off
      L.Marker.prototype.onRemove.call(this, map);
    }
  });

  function marker(latlng, options) { return new QuietMarker(latlng, options); }
  var CSS = ".atlas-label-icon{background:none;border:none;pointer-events:none}" +
    ".atlas-label{position:absolute;white-space:nowrap;pointer-events:none;line-height:1.15;" +
    "font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;" +
    "text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff,0 0 1px #fff}" +
    ".atlas-label-place{color:#1f1f1f;font-weight:600;transform:translate(8px,-50%)}" +
    ".atlas-label-place.atlas-label-left{transform:translate(calc(-100% - 8px),-50%)}" +
    ".atlas-label-country{color:#5f574c;font-weight:600;text-transform:uppercase;letter-spacing:.08em;" +
    "transform:translate(-50%,-50%);opacity:.85}" +
    ".atlas-label-corridor{font-weight:700;transform:translate(10px,-115%)}";

  function injectStyle() {
    if (document.getElementById("atlas-label-style")) return;
    var style = document.createElement("style");
    style.id = "atlas-label-style";
    style.textContent = CSS;
    document.head.appendChild(style);
  }

  function overlaps(a, b) {
    var pad = 4;
    return a.left < b.right + pad && b.left < a.right + pad && a.top < b.bottom + pad && b.top < a.bottom + pad;
  }

  function add(group, labels, size) {
    injectStyle();
    function makeMarker(lb, j) {
      var pt = lb.p[j], el = document.createElement("div");
      el.className = "atlas-label atlas-label-" + lb.k + (lb.k === "place" && j === 1 ? " atlas-label-left" : "");
      el.setAttribute("data-label-kind", lb.k);
      el.textContent = lb.t;
      el.style.fontSize = Math.round(lb.k === "country" ? size * 1.05 : lb.k === "corridor" ? size * 1.05 : size) + "px";
      if (lb.k === "corridor") el.style.color = lb.c;
      var icon = L.divIcon({html: el, className: "atlas-label-icon", iconSize: [0, 0], iconAnchor: [0, 0]});
      var mk = marker([pt[1], pt[0]], {icon: icon, interactive: false, keyboard: false, pane: "atlasLabels"});
      group.addLayer(mk);
      return mk;
    }
    var items = labels.map(function (lb) { return {lb: lb, markers: new Array(lb.p.length), size: null}; });
    function markerOf(item, j) {
      if (!item.markers[j]) item.markers[j] = makeMarker(item.lb, j);
      return item.markers[j];
    }
    var map = null, observer = null;

    // Where a label's box sits relative to its point (as in the CSS transforms above), from its size.
    function boxAt(kind, pt, w, h, j) {
      var left = kind === "country" ? pt.x - w / 2 : kind === "place" && j === 1 ? pt.x - 8 - w
        : pt.x + (kind === "corridor" ? 10 : 8);
      var top = kind === "place" || kind === "country" ? pt.y - h / 2 : pt.y - 1.15 * h;
      return {left: left, top: top, right: left + w, bottom: top + h, width: w};
    }

    function layout() {
      if (!map) return;
      var size = map.getSize(), zoom = map.getZoom(), placed = [], near = map.getBounds().pad(0.5);
      // the labels wanted at this view: their zoom reached and a candidate near it (no other can be placed)
      var wanted = items.filter(function (item) {
        return zoom >= item.lb.z && item.lb.p.some(function (pt) { return near.contains([pt[1], pt[0]]); });
      });
      // make every marker wanted, then read every size: one layout pass (a read after each new element would
      // lay the page out again each time)
      var made = wanted.map(function (item) { return markerOf(item, 0).getElement(); });
      var sizes = made.map(function (el) { return el ? [el.firstChild.offsetWidth, el.firstChild.offsetHeight] : null; });
      var chosen = new Map();
      wanted.forEach(function (item, i) {
        var lb = item.lb;
        if (!sizes[i] || !(sizes[i][0] > 0)) return;
        for (var j = 0; j < lb.p.length; j++) {
          var ll = L.latLng(lb.p[j][1], lb.p[j][0]);
          var r = boxAt(lb.k, map.latLngToContainerPoint(ll), sizes[i][0], sizes[i][1], j);
          if (r.left < 0 || r.top < 0 || r.right > size.x || r.bottom > size.y) continue;
          if (lb.k === "country") {
            var a = map.latLngToContainerPoint([ll.lat, ll.lng - lb.w / 2]);
            var b = map.latLngToContainerPoint([ll.lat, ll.lng + lb.w / 2]);
            if (r.width > Math.abs(b.x - a.x)) continue;
          }
          if (placed.some(function (q) { return overlaps(r, q); })) continue;
          placed.push(r);
          chosen.set(item, j);
          markerOf(item, j);
          break;
        }
      });
      items.forEach(function (item) {
        var j0 = chosen.has(item) ? chosen.get(item) : -1;
        item.markers.forEach(function (m, j) {
          var el = m && m.getElement();
          if (el) el.firstChild.style.visibility = j === j0 ? "visible" : "hidden";
        });
      });
    }

    function attach(m) {
      map = m;
      if (!map.getPane("atlasLabels")) {
        var pane = map.createPane("atlasLabels");
        pane.style.zIndex = 640;
        pane.style.pointerEvents = "none";
      }
      map.on("zoomend moveend resize", layout);
      if (window.ResizeObserver && !observer) {  // the map may be laid out (or resized) after this runs
        observer = new ResizeObserver(function () { layout(); });
        observer.observe(map.getContainer());
      }
      layout();
      window.requestAnimationFrame(layout);
    }

    group.on("add", function () { attach(group._map); });
    group.on("remove", function () {
      if (map) map.off("zoomend moveend resize", layout);
      if (observer) observer.disconnect();
      map = null;
      observer = null;
    });
    if (group._map) attach(group._map);
    group.atlasLayout = layout;
    return group;
  }

  window.atlasLabels = {add: add, marker: marker};
})();

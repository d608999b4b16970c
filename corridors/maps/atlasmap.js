/* Corridor atlas map page layers, drawn from data: window.atlasMap (maps/pack.py makes what it reads).
   atlasMap.define(name, pack)      a pack given inline (where it could not be published as a file)
   atlasMap.land(map, source)       the offline basemap's land, under everything
   atlasMap.draw(map, group, source, view)
                                    the view's layers into `group`, bottom to top: country borders,
                                    organisations, the selection's halo, the corridors (each line, a white
                                    core on a schematic one, a wide invisible line over a dashed one for
                                    clicks), places by kind, names (labels.js)
   source: the pack's address: fetched once per page and kept (the file's name is its content's hash).
   The layers are made as folium made them (L.geoJson, the same styles, sticky tooltips in a table, the
   highlight on hover, feature properties), so streamlit-folium reports clicks as before. Every string in
   a tooltip arrives escaped from pack.py; names are set as text by labels.js. */
(function () {
  "use strict";
  if (window.atlasMap) return;
  var packs = {}, loading = {};
  var DRAWN_MARK = "atlas-map-drawn";

  function load(source) {
    if (packs[source]) return Promise.resolve(packs[source]);
    if (!loading[source]) {
      loading[source] = fetch(source, {credentials: "same-origin"}).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      }).then(function (pack) {
        packs[source] = prepare(pack);
        return packs[source];
      }, function (err) {
        delete loading[source];  // the next view tries again
        throw err;
      });
    }
    return loading[source];
  }

  function prepare(pack) {
    pack.geometry = new Array(pack.segments.length);  // decoded on first use
    return pack;
  }

  function decode(flat, scale) {
    var out = new Array(flat.length / 2), x = 0, y = 0;
    for (var i = 0, j = 0; i < flat.length; i += 2, j++) {
      x += flat[i];
      y += flat[i + 1];
      out[j] = [x / scale, y / scale];
    }
    return out;
  }

  function areaGeometry(polys, scale) {
    var coords = polys.map(function (rings) { return rings.map(function (r) { return decode(r, scale); }); });
    return coords.length === 1 ? {type: "Polygon", coordinates: coords[0]} : {type: "MultiPolygon", coordinates: coords};
  }

  function segmentGeometry(pack, i) {
    if (!pack.geometry[i]) {
      var parts = pack.segments[i][3].map(function (p) { return decode(p, pack.lineScale); });
      pack.geometry[i] = parts.length === 1 ? {type: "LineString", coordinates: parts[0]}
        : {type: "MultiLineString", coordinates: parts};
    }
    return pack.geometry[i];
  }

  function expand(runs) {  // [start, length, ...] -> indices
    var out = [];
    for (var i = 0; i < runs.length; i += 2) for (var k = 0; k < runs[i + 1]; k++) out.push(runs[i] + k);
    return out;
  }

  function collection(features) { return {type: "FeatureCollection", features: features}; }

  function withTooltip(layer) {
    return layer.bindTooltip(function (l) {
      var div = L.DomUtil.create("div");
      div.innerHTML = "<table><tr><td>" + l.feature.properties.tip + "</td></tr></table>";
      return div;
    }, {sticky: true, className: "foliumtooltip"});
  }

  function geoLayer(features, options, highlight) {
    var layer = L.geoJson(null, Object.assign({}, options, highlight ? {
      onEachFeature: function (feature, sub) {
        sub.on({
          mouseout: function (e) { if (typeof e.target.setStyle === "function") layer.resetStyle(e.target); },
          mouseover: function (e) { if (typeof e.target.setStyle === "function") e.target.setStyle(highlight); }
        });
      }
    } : {}));
    layer.addData(collection(features));
    return layer;
  }

  function constant(style) { return function () { return style; }; }

  function countries(pack, on) {
    var features = pack.countries.map(function (c) {
      return {type: "Feature", geometry: areaGeometry(c[2], pack.areaScale), properties: {iso3: c[0], tip: c[1]}};
    });
    return withTooltip(geoLayer(features, Object.assign({style: constant(pack.countryStyle)}, on)));
  }

  function organisation(pack, org, on) {
    var features = org[2].map(function (m) {
      var c = pack.countries[m[0]];
      return {type: "Feature", geometry: areaGeometry(c[2], pack.areaScale), properties: {organisation: org[0], tip: m[1]}};
    });
    return features.length ? withTooltip(geoLayer(features, Object.assign({style: constant(org[1])}, on))) : null;
  }

  function segmentTip(pack, corridor, seg, status, then, shut) {
    return "<b>" + corridor[1] + "</b><br>" + seg[4] + "<br>" + pack.statusLabels[status] + (then ? " (then)" : "") +
      seg[5] + (shut ? "<br><b>not open then:</b> " + shut : "");
  }

  // Everything on one canvas where lines or places are many: SVG (Leaflet's default) keeps an element per line
  // and moves each after every pan, and a place is a marker element of its own: at 10,000 lines and 9,000 places
  // a pan took seconds a frame. One canvas, so that no layer covers another's clicks and tooltips (a canvas
  // takes every mouse event over it). The bundled atlas stays in SVG and markers.
  var CANVAS_LINES = 2000, CANVAS_PLACES = 1500;

  function rendererFor(map, lines, places) {
    if (!map || (lines < CANVAS_LINES && places < CANVAS_PLACES)) return null;
    if (!map._atlasCanvas) map._atlasCanvas = L.canvas({padding: 0.5, tolerance: 3});
    return map._atlasCanvas;
  }

  function corridorLines(pack, view, lines, group, on) {
    var status = {}, shut = {};
    view.status.forEach(function (s) { status[s[0]] = s[1]; });
    view.shut.forEach(function (s) { shut[s[0]] = s[1]; });
    if (view.halo.length) {
      var halo = expand(view.halo).map(function (i) {
        return {type: "Feature", geometry: segmentGeometry(pack, i),
          properties: {corridor: pack.corridors[view.selected][0]}};
      });
      group.addLayer(geoLayer(halo, Object.assign({interactive: false, style: constant(pack.halo)}, on)));
    }
    lines.forEach(function (entry) {
      var ci = entry[0], corridor = pack.corridors[ci], selected = ci === view.selected ? 1 : 0;
      var quiet = corridor[3], colour = corridor[2];
      var features = [], schematic = [], dashed = [];
      expand(entry[1]).forEach(function (i) {
        var seg = pack.segments[i], st = i in status ? status[i] : seg[2];
        var feature = {type: "Feature", geometry: segmentGeometry(pack, i), properties: {
          corridor: corridor[0], segment: seg[0], status: st,
          tip: segmentTip(pack, corridor, seg, st, view.then, shut[i])}};
        features.push(feature);
        if (seg[6]) schematic.push(feature);
        if (pack.styles[st][0][0].dashArray) dashed.push(feature);
      });
      if (!features.length) return;
      group.addLayer(withTooltip(geoLayer(features, Object.assign({style: function (f) {
        return Object.assign({}, pack.styles[f.properties.status][selected][quiet], {color: colour});
      }}, on), pack.highlight)));
      if (schematic.length) {
        group.addLayer(geoLayer(schematic, Object.assign({interactive: false, style: constant(pack.core)}, on)));
      }
      if (dashed.length) group.addLayer(withTooltip(geoLayer(dashed, Object.assign({style: constant(pack.hit)}, on))));
    });
  }

  function places(pack, group, on) {
    var byKind = pack.icons.map(function () { return []; });
    pack.places.forEach(function (p) {
      byKind[p[3]].push({type: "Feature", geometry: {type: "Point", coordinates: [p[1], p[2]]},
        properties: {node: p[0], tip: p[4]}});
    });
    byKind.forEach(function (features, k) {
      if (!features.length) return;
      var icon = pack.icons[k], size = icon[2];
      if (on.renderer) {  // many: a dot of the kind's colour each, on the canvas
        group.addLayer(withTooltip(geoLayer(features, {pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, {renderer: on.renderer, radius: Math.max(3, Math.round(size / 3)),
            color: "#ffffff", weight: 1, fillColor: icon[3], fillOpacity: 0.95});
        }})));
        return;
      }
      group.addLayer(withTooltip(geoLayer(features, {pointToLayer: function (feature, latlng) {
        var options = {keyboard: false, icon: new L.DivIcon({
          html: icon[1], iconSize: [size, size], iconAnchor: [Math.floor(size / 2), Math.floor(size / 2)],
          className: "node-icon"})};
        // one set of map listeners for all the places (labels.js), not three per place
        return window.atlasLabels ? window.atlasLabels.marker(latlng, options) : new L.Marker(latlng, options);
      }})));
    });
  }

  // The view's lines: the pack's (the opening view's) but those the view drops or puts, in the atlas's order.
  function linesOf(pack, diff) {
    var byCorridor = {};
    pack.lines.forEach(function (e) { byCorridor[e[0]] = e[1]; });
    diff.drop.forEach(function (ci) { delete byCorridor[ci]; });
    diff.put.forEach(function (e) { byCorridor[e[0]] = e[1]; });
    return Object.keys(byCorridor).map(Number).sort(function (a, b) { return a - b; })
      .map(function (ci) { return [ci, byCorridor[ci]]; });
  }

  // The places on the lines drawn, in the order they are named, each with whether it is a main place (an end
  // of a corridor drawn, or where corridors meet): as labels.place_order orders them (names compared by UTF-16
  // code units there, by code points in Python: the same order but for characters beyond the BMP).
  function placeOrder(pack, lines) {
    var degree = new Map(), users = new Map(), main = new Set();
    lines.forEach(function (entry) {
      var ends = pack.routeEnds[entry[0]];
      if (ends.length) { main.add(ends[0]); main.add(ends[1]); }
      expand(entry[1]).forEach(function (si) {
        var nodes = pack.segments[si][7];
        nodes.forEach(function (n) { degree.set(n, (degree.get(n) || 0) + 1); });
        [nodes[0], nodes[1]].forEach(function (n) {
          if (!users.has(n)) users.set(n, new Set());
          users.get(n).add(entry[0]);
        });
      });
    });
    var keyed = [];
    degree.forEach(function (d, n) {
      if (n < 0) return;
      var place = pack.places[n], isMain = main.has(n) || users.has(n) && users.get(n).size > 1;
      keyed.push({n: n, m: isMain ? 0 : 1, r: pack.placeRank[place[3]], d: d, t: place[5]});
    });
    keyed.sort(function (a, b) {
      return a.m - b.m || a.r - b.r || b.d - a.d || (a.t < b.t ? -1 : a.t > b.t ? 1 : 0);
    });
    return keyed.map(function (k) { return [k.n, k.m === 0]; });
  }

  // The names of a view in the order they are placed: by rank as labels.map_labels ranks them (a corridor
  // 1 + its place among those drawn, the selected one 0; places 50 + their place in placeOrder; countries
  // 100), ties in that order.
  function names(pack, view, lines) {
    var own = {}, out = [];
    view.labels.corridorPoints.forEach(function (c) { own[c[0]] = c[1]; });
    lines.forEach(function (e, i) {
      var ci = e[0], points = own[ci] || pack.corridorPoints[ci];
      if (!e[1].length || !points) return;
      out.push({k: "corridor", t: pack.corridors[ci][4], p: points, z: 0, c: pack.corridors[ci][2], w: 0,
        r: ci === view.selected ? 0 : 1 + i});
    });
    placeOrder(pack, lines).forEach(function (e, i) {
      var main = e[1], p = pack.places[e[0]];
      out.push({k: "place", t: p[5], p: [[p[1], p[2]], [p[1], p[2]]], z: pack.placeZoom[p[3]][main ? 0 : 1],
        c: "#222222", w: 0, r: 50 + i});
    });
    pack.countryLabels.forEach(function (lb) { out.push(Object.assign({r: 100}, lb)); });
    return out.sort(function (a, b) { return a.r - b.r; });  // stable: ties keep this order
  }

  function build(pack, group, view) {
    var drawn = linesOf(pack, view.lines);
    var count = drawn.reduce(function (n, e) {  // runs are [start, length, ...]
      for (var i = 1; i < e[1].length; i += 2) n += e[1][i];
      return n;
    }, 0);
    var renderer = rendererFor(group._map, count, view.places ? pack.places.length : 0);
    var on = renderer ? {renderer: renderer} : {};
    if (view.countries) group.addLayer(countries(pack, on));
    view.organisations.forEach(function (o) {
      var layer = organisation(pack, pack.organisations[o], on);
      if (layer) group.addLayer(layer);
    });
    var lines = L.featureGroup();
    corridorLines(pack, view, drawn, lines, on);
    group.addLayer(lines);
    if (view.places) {
      var marks = L.featureGroup();
      places(pack, marks, on);
      group.addLayer(marks);
    }
    if (view.labels && window.atlasLabels) {
      var labels = L.featureGroup();
      window.atlasLabels.add(labels, names(pack, view, drawn), view.labels.size);
      group.addLayer(labels);
    }
    // when the page's first lines were drawn, on the page's clock (for `bench`: serve/firstdraw.py): in the
    // next frame, after a canvas has drawn them (its own redraw was asked for as they were added)
    if (window.performance && performance.mark && !performance.getEntriesByName(DRAWN_MARK).length) {
      window.requestAnimationFrame(function () {
        if (!performance.getEntriesByName(DRAWN_MARK).length) performance.mark(DRAWN_MARK);
      });
    }
  }

  function failed(map, err) {
    var box = map.getContainer().querySelector(".atlas-map-failed");
    if (!box) {
      box = L.DomUtil.create("div", "atlas-map-failed", map.getContainer());
      box.setAttribute("role", "alert");
      box.style.cssText = "position:absolute;z-index:1000;top:10px;left:50px;right:50px;padding:6px 10px;" +
        "background:#fff;border:1px solid #b00;color:#600;font:14px sans-serif";
    }
    box.textContent = "The map's lines could not be loaded (" + err.message + "). Reload the page to try again.";
  }

  function draw(map, group, source, view) {
    if (packs[source]) { build(packs[source], group, view); return; }  // drawn at once: no flicker on a toggle
    load(source).then(function (pack) {
      if (group._map) build(pack, group, view);  // a later view may have replaced this one meanwhile
      var box = map.getContainer().querySelector(".atlas-map-failed");
      if (box) box.remove();
    }, function (err) { failed(map, err); });
  }

  function land(map, source) {
    function add(pack) {
      var features = pack.land.map(function (polys) {
        return {type: "Feature", geometry: areaGeometry(polys, pack.areaScale), properties: {}};
      });
      // in a pane of its own under the overlays (z-index 350 < 400): under every line however they are drawn
      // (a canvas made before or after it), as folium drew it first in the overlay pane
      if (!map.getPane("atlasLand")) {
        var pane = map.createPane("atlasLand");
        pane.style.zIndex = 350;
        pane.style.pointerEvents = "none";
      }
      geoLayer(features, {interactive: false, pane: "atlasLand", style: constant(pack.landStyle)}).addTo(map);
    }
    if (packs[source]) add(packs[source]);
    else load(source).then(add, function (err) { failed(map, err); });
  }

  function define(name, pack) { packs[name] = prepare(pack); }

  // The names a view places, in order (for the tests: they compare them with labels.map_labels).
  function namesOf(source, view) {
    return load(source).then(function (pack) { return names(pack, view, linesOf(pack, view.lines)); });
  }

  window.atlasMap = {define: define, land: land, draw: draw, names: namesOf};
})();

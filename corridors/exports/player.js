/* Corridor atlas, self-contained: draws the atlas or plays a briefing from the JSON in #atlas-data.
   Every text from the data is set with textContent (never innerHTML); no request leaves the file. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("atlas-data").textContent);
  var briefing = D.mode === "briefing";
  var byId = {}, order = [];
  D.corridors.forEach(function (c) { byId[c.id] = c; order.push(c.id); });
  var hidden = {};  // corridors the reader switched off
  var show = {places: true, labels: true};
  var stopIndex = 0, selected = null;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function $(id) { return document.getElementById(id); }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  var map = L.map("map", {zoomSnap: 0.25, keyboard: !briefing, attributionControl: true, preferCanvas: false,
                          minZoom: 2, maxZoom: 12, worldCopyJump: false});
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(D.attribution);
  L.control.scale({imperial: false}).addTo(map);
  L.geoJSON(D.land, {interactive: false, style: function () {
    return {stroke: false, fillColor: D.landColour, fillOpacity: 1};
  }}).addTo(map);
  L.geoJSON(D.borders, {interactive: false, style: function () {
    return {color: "#9c968a", weight: 0.8, fill: false};
  }}).addTo(map);
  var lineLayer = L.layerGroup().addTo(map);
  var placeLayer = L.layerGroup().addTo(map);
  var labelLayer = null;

  function currentStop() { return briefing ? D.stops[stopIndex] : null; }
  function shownIds() {
    var stop = currentStop();
    var wanted = stop ? stop.corridors : order;
    return order.filter(function (id) { return wanted.indexOf(id) >= 0 && !hidden[id]; });
  }
  function highlightIds() {
    var stop = currentStop();
    if (stop) return stop.highlight;
    return selected ? [selected] : [];
  }

  // A segment shared by several corridors is drawn once: by its owner when shown, else by the first shown user.
  function drawers(shown) {
    var drawer = {};
    shown.forEach(function (id) {
      byId[id].segs.forEach(function (sid) {
        if (drawer[sid]) return;
        var owner = D.segments[sid].o;
        drawer[sid] = shown.indexOf(owner) >= 0 && byId[owner].segs.indexOf(sid) >= 0 ? owner : id;
      });
    });
    return drawer;
  }

  function tooltipFor(c) {
    var box = el("div");
    box.appendChild(el("strong", null, c.name));
    box.appendChild(el("div", null, D.statuses[c.status].label + " · " + c.modeLabel));
    return box;
  }

  function drawLines() {
    lineLayer.clearLayers();
    var shown = shownIds(), strong = highlightIds(), drawer = drawers(shown), onStrong = {};
    strong.forEach(function (id) { if (byId[id]) byId[id].segs.forEach(function (sid) { onStrong[sid] = true; }); });
    var ordered = shown.filter(function (id) { return strong.indexOf(id) < 0; })
      .concat(shown.filter(function (id) { return strong.indexOf(id) >= 0; }));
    ordered.forEach(function (id) {
      var c = byId[id], emph = strong.indexOf(id) >= 0, faded = strong.length > 0 && !emph;
      var mine = Object.keys(drawer).filter(function (sid) { return drawer[sid] === id; });
      if (emph) {  // the whole route, shared parts too, over a white casing
        var all = c.segs.map(function (sid) { return D.segments[sid]; });
        L.geoJSON({type: "GeometryCollection", geometries: all.map(function (s) { return s.g; })},
                  {interactive: false, style: {color: "#ffffff", weight: 13, opacity: 0.9}}).addTo(lineLayer);
      }
      mine.forEach(function (sid) {
        var s = D.segments[sid], st = D.statuses[s.s];
        var layer = L.geoJSON(s.g, {style: {color: c.colour, weight: st.weight + (emph ? 3 : 0),
          opacity: faded && !onStrong[sid] ? 0.45 : 0.95, dashArray: st.dash || null}});
        layer.eachLayer(function (l) { l.options.corridor = id; });
        layer.bindTooltip(tooltipFor(c), {sticky: true});
        if (!briefing) layer.on("click", function () { select(id); });
        layer.addTo(lineLayer);
      });
    });
    if (ordered.length && !window.atlasFirstDrawMs) window.atlasFirstDrawMs = performance.now();
    document.body.setAttribute("data-drawn", ordered.join(","));
  }

  function drawPlaces() {
    placeLayer.clearLayers();
    if (!show.places) return;
    var shown = shownIds(), seen = {};
    shown.forEach(function (id) { byId[id].nodes.forEach(function (n) { seen[n] = true; }); });
    var stop = currentStop();
    if (stop) stop.places.forEach(function (n) { seen[n] = true; });
    Object.keys(seen).forEach(function (n) {
      var p = D.nodes[n];
      if (!p) return;
      L.circleMarker([p.p[1], p.p[0]], {radius: 4, color: "#ffffff", weight: 1.5, fillColor: "#222222",
                                        fillOpacity: 1, interactive: false, keyboard: false}).addTo(placeLayer);
    });
  }

  function drawLabels() {
    if (labelLayer) { map.removeLayer(labelLayer); labelLayer = null; }
    if (!show.labels) return;
    var stop = currentStop();
    var all = stop ? stop.labels : D.labels;
    var shown = shownIds();
    var names = {};
    shown.forEach(function (id) { names[byId[id].short] = true; });
    var labels = all.filter(function (lb) { return lb.k !== "corridor" || names[lb.t]; });
    labelLayer = window.atlasLabels.add(L.featureGroup(), labels, D.labelSize);
    labelLayer.addTo(map);
  }

  function legend() {
    var box = clear($("legend-body")), shown = shownIds(), strong = highlightIds(), statuses = {};
    shown.forEach(function (id) {
      var row = el("div", {"class": "legend-row"});
      var sw = el("span", {"class": "swatch"});
      sw.style.background = byId[id].colour;
      if (strong.indexOf(id) >= 0) { sw.style.height = "7px"; row.className += " strong"; }
      row.appendChild(sw);
      row.appendChild(el("span", null, byId[id].name));
      box.appendChild(row);
      byId[id].statusesDrawn.forEach(function (s) { statuses[s] = true; });
    });
    D.statusOrder.forEach(function (s) {
      if (!statuses[s]) return;
      var row = el("div", {"class": "legend-row"}), sw = el("span", {"class": "swatch"}), st = D.statuses[s];
      if (st.dash) {
        var on = st.dash.split(" ")[0], off = st.dash.split(" ")[1], total = Number(on) + Number(off);
        sw.style.background = "repeating-linear-gradient(90deg,#333 0 " + on + "px,transparent " + on + "px " + total + "px)";
      } else sw.style.background = "#333";
      row.appendChild(sw);
      row.appendChild(el("span", null, st.label));
      box.appendChild(row);
    });
    if (!shown.length) box.appendChild(el("div", null, "Nothing is shown: switch on a corridor."));
  }

  function toggles() {
    var box = clear($("layers-body")), stop = currentStop();
    var ids = stop ? order.filter(function (id) { return stop.corridors.indexOf(id) >= 0; }) : order;
    ids.forEach(function (id) {
      var label = el("label", {"class": "toggle"});
      var box1 = el("input", {type: "checkbox", "data-corridor": id});
      box1.checked = !hidden[id];
      box1.addEventListener("change", function () { hidden[id] = !box1.checked; redraw(false); });
      var sw = el("span", {"class": "swatch"});
      sw.style.background = byId[id].colour;
      label.appendChild(box1); label.appendChild(sw); label.appendChild(el("span", null, byId[id].name));
      var row = el("div", {"class": "toggle-row"});
      row.appendChild(label);
      if (!briefing) {
        var about = el("button", {type: "button", "class": "about", "aria-label": "About " + byId[id].name}, "About");
        about.addEventListener("click", function () { select(id); });
        row.appendChild(about);
      }
      box.appendChild(row);
    });
    [["places", "Places"], ["labels", "Names on the map"]].forEach(function (pair) {
      var label = el("label", {"class": "toggle"});
      var input = el("input", {type: "checkbox", "data-layer": pair[0]});
      input.checked = show[pair[0]];
      input.addEventListener("change", function () { show[pair[0]] = input.checked; redraw(false); });
      label.appendChild(input); label.appendChild(el("span", null, pair[1]));
      box.appendChild(label);
    });
  }

  function excerptBlock(x) {
    var fig = el("figure", {"class": "excerpt"});
    fig.appendChild(el("blockquote", null, "“" + x.text + "”"));
    var cap = el("figcaption");
    var meta = [x.title, x.outlet, x.date].filter(function (v) { return v; }).join(" · ");
    cap.appendChild(el("span", null, meta));
    if (x.url) {
      cap.appendChild(document.createTextNode(" · "));
      var a = el("a", {rel: "noopener noreferrer", target: "_blank"}, "source");
      a.href = x.url;  // an http(s) URL checked when exported; only followed when clicked
      cap.appendChild(a);
    }
    fig.appendChild(cap);
    return fig;
  }

  function showFacts(id) {
    var box = clear($("facts"));
    if (!id) {
      box.appendChild(el("p", {"class": "hint"}, "Click a corridor on the map, or its About button under Layers, to read about it here."));
      return;
    }
    var c = byId[id];
    box.appendChild(el("h2", null, c.name));
    if (c.aliases.length) box.appendChild(el("p", {"class": "muted"}, "Also: " + c.aliases.join(", ")));
    box.appendChild(el("p", null, D.statuses[c.status].label + " " + c.modeLabel.toLowerCase() + " corridor" +
      (c.dates ? " · " + c.dates : "")));
    if (c.statusAsOf) box.appendChild(el("p", {"class": "muted"}, c.statusAsOf));
    if (c.description) box.appendChild(el("p", null, c.description));
    if (c.countries.length) box.appendChild(el("p", null, "Countries, in route order: " + c.countries.join(" → ")));
    box.appendChild(el("p", null, "Drawn length: " + c.length + " (geodesic, along the drawn line)"));
    if (c.published.length) {
      box.appendChild(el("p", null, "Published lengths:"));
      var ul = el("ul");
      c.published.forEach(function (p) { ul.appendChild(el("li", null, p)); });
      box.appendChild(ul);
    } else box.appendChild(el("p", null, "Published length: none found"));
    box.appendChild(el("h3", null, "What the articles say (" + c.excerpts.length + ")"));
    c.excerpts.forEach(function (x) { box.appendChild(excerptBlock(x)); });
  }

  function select(id) {
    selected = id;
    showFacts(id);
    redraw(false);
    if (id && byId[id].box) map.fitBounds([[byId[id].box[0], byId[id].box[1]], [byId[id].box[2], byId[id].box[3]]], {padding: [30, 30]});
  }

  function fitStop(stop) {
    if (stop.box) map.fitBounds([[stop.box[0], stop.box[1]], [stop.box[2], stop.box[3]]]);
    else map.setView([stop.center[0], stop.center[1]], stop.zoom);
  }

  function showStop(i) {
    stopIndex = Math.max(0, Math.min(D.stops.length - 1, i));
    var stop = D.stops[stopIndex];
    $("stop-title").textContent = stop.title;
    $("progress").textContent = "Stop " + (stopIndex + 1) + " of " + D.stops.length;
    document.body.setAttribute("data-stop", String(stopIndex + 1));
    var box = clear($("excerpts"));
    stop.excerpts.forEach(function (x) { box.appendChild(excerptBlock(x)); });
    $("notes-text").textContent = stop.notes || "No speaker notes for this stop.";
    $("prev").disabled = stopIndex === 0;
    $("next").disabled = stopIndex === D.stops.length - 1;
    try { history.replaceState(null, "", "#stop=" + (stopIndex + 1)); } catch (e) { /* some file:// setups */ }
    redraw(true);
    fitStop(stop);
  }

  function redraw(rebuildToggles) {
    drawLines(); drawPlaces(); drawLabels(); legend();
    if (rebuildToggles) toggles();
  }

  function onKey(ev) {
    var t = ev.target, tag = t && t.tagName;
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (tag === "INPUT" && t.type !== "checkbox") return;
    var k = ev.key;
    if (k === "ArrowRight" || k === "ArrowDown" || k === "PageDown" || (k === " " && tag !== "BUTTON" && tag !== "INPUT")) showStop(stopIndex + 1);
    else if (k === "ArrowLeft" || k === "ArrowUp" || k === "PageUp") showStop(stopIndex - 1);
    else if (k === "Home") showStop(0);
    else if (k === "End") showStop(D.stops.length - 1);
    else if (k === "n" || k === "N") { var d = $("notes"); d.open = !d.open; }
    else return;
    ev.preventDefault();
  }

  $("title").textContent = D.title;
  if (briefing) {
    $("prev").addEventListener("click", function () { showStop(stopIndex - 1); });
    $("next").addEventListener("click", function () { showStop(stopIndex + 1); });
    document.addEventListener("keydown", onKey);
    var m = /stop=(\d+)/.exec(location.hash || "");
    showStop(m ? Number(m[1]) - 1 : 0);
  } else {
    map.fitBounds([[D.box[0], D.box[1]], [D.box[2], D.box[3]]]);
    toggles();
    redraw(false);
    showFacts(null);
  }
  window.atlasMap = map;
})();

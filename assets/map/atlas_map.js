/*
 * Incident Atlas map runtime. Runs inside the Folium map page: the dashboard's iframe
 * (/map) or a self-contained snapshot file. Everything hangs off
 * window.dash_clientside.atlasMap; nothing else is made global.
 *
 * Why a canvas layer and supercluster instead of one DOM marker per incident: the map
 * must redraw 100k incidents in well under a second when the timeline moves, and DOM
 * markers (folium's MarkerCluster) cost ~1 ms each. Here the data arrives as packed
 * columns (typed arrays), supercluster indexes them, and only what is visible is drawn.
 *
 * Article text (titles, snippets, sources) is data: it only ever reaches the page through
 * textContent or attribute setters, never innerHTML.
 */
(function () {
  'use strict';

  var root = (window.dash_clientside = window.dash_clientside || {});
  if (root.atlasMap) {
    return;
  }

  var GEO_REGION = 3; // ACLED geo_precision 3: region/country level -> drawn as an area
  var PRECISION_TEXT = {1: 'exact place', 2: 'near a place / small area', 3: 'region or country'};
  var ORIGIN = window.location.origin;

  // ---------------------------------------------------------------- helpers
  function b64ToBytes(text) {
    var bin = atob(text || '');
    var n = bin.length;
    var out = new Uint8Array(n);
    for (var i = 0; i < n; i++) {
      out[i] = bin.charCodeAt(i);
    }
    return out;
  }

  function column(cols, name, Type) {
    if (!cols || cols[name] === undefined || cols[name] === null) {
      return null;
    }
    var bytes = b64ToBytes(cols[name]);
    return new Type(bytes.buffer, 0, bytes.byteLength / Type.BYTES_PER_ELEMENT);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function safeUrl(url) {
    // Only web links become hrefs: a "javascript:" URL in an article record must not run.
    if (typeof url !== 'string') {
      return null;
    }
    try {
      var parsed = new URL(url, 'http://invalid.local/');
      if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && /^https?:/i.test(url)) {
        return parsed.href;
      }
    } catch (err) {
      return null;
    }
    return null;
  }

  function fmtCount(n) {
    if (n >= 1e6) {
      return (n / 1e6).toFixed(n >= 1e7 ? 0 : 1) + 'M';
    }
    if (n >= 1e4) {
      return Math.round(n / 1e3) + 'k';
    }
    if (n >= 1e3) {
      return (n / 1e3).toFixed(1) + 'k';
    }
    return String(n);
  }

  function pointRadius(fatalities) {
    // Area grows with deaths; unknown (-1) and zero share the smallest size.
    if (!(fatalities > 0)) {
      return 5;
    }
    return Math.min(20, 5 + 2.2 * Math.sqrt(fatalities));
  }

  function clusterRadius(n) {
    return Math.min(30, 11 + 4 * Math.log10(Math.max(n, 1)));
  }

  function post(msg) {
    if (window.parent && window.parent !== window && ORIGIN && ORIGIN !== 'null') {
      window.parent.postMessage(msg, ORIGIN);
    }
  }

  // ---------------------------------------------------------------- data
  var TYPED = {'<f4': Float32Array, '<u4': Uint32Array, '<i4': Int32Array, 'u1': Uint8Array};
  var NO_DAY = -2147483648; // dashboard.data.NO_DAY: an undated incident
  var COLUMNS = [['lat', Float32Array], ['lon', Float32Array], ['type', Uint8Array], ['fat', Int32Array],
    ['row', Uint32Array], ['prec', Uint8Array], ['rad', Float32Array], ['count', Uint32Array],
    ['d0', Int32Array], ['d1', Int32Array]];

  /**
   * The map data from either form: a JSON payload with base64 columns (snapshots) or the
   * dashboard's binary message (meta.layout gives each column's dtype, offset and length
   * in `buffer`; the arrays are views, not copies).
   */
  function decode(payload, buffer) {
    var cols = payload.cols || {};
    var layout = payload.layout || null;
    var get = function (name, Type) {
      if (layout) {
        var spec = layout[name];
        if (!spec) {
          return null;
        }
        var T = TYPED[spec[0]] || Type;
        return new T(buffer, payload.dataOffset + spec[1], spec[2]);
      }
      return column(cols, name, Type);
    };
    var d = {
      version: payload.version || '',
      mode: payload.mode || 'points',
      n: payload.n || 0,
      total: payload.total || 0,
      unlocated: payload.unlocated || 0,
      types: payload.types || [],
      colors: payload.colors || [],
      cellDeg: payload.cell_deg || 0,
      bounds: payload.bounds || null,
      window: payload.window || null,
      clientWindow: !!payload.client_window
    };
    COLUMNS.forEach(function (c) {
      d[c[0]] = get(c[0], c[1]);
    });
    d.lat = d.lat || new Float32Array(0);
    d.lon = d.lon || new Float32Array(0);
    d.type = d.type || new Uint8Array(0);
    d.fat = d.fat || new Int32Array(0);
    d.len = d.lat.length;
    return d;
  }

  function dayText(day) {
    return new Date(day * 86400000).toISOString().slice(0, 10);
  }

  /**
   * The incidents of `d` whose span overlaps the window [lo, hi] (days, inclusive), as a
   * new data object: the rule of dashboard.data.mask_for (undated incidents drop out once
   * a window is set). One pass over Int32Arrays, then a gather per column.
   */
  function applyWindow(d, win) {
    if (!win || !d.d0 || !d.d1) {
      return d;
    }
    var lo = win[0];
    var hi = win[1];
    var d0 = d.d0;
    var d1 = d.d1;
    var idx = new Uint32Array(d.len);
    var k = 0;
    for (var i = 0; i < d.len; i++) {
      var a = d0[i];
      if (a !== NO_DAY && a <= hi && d1[i] >= lo) {
        idx[k++] = i;
      }
    }
    var out = Object.assign({}, d, {n: k, len: k, window: [dayText(lo), dayText(hi)]});
    COLUMNS.forEach(function (c) {
      var src = d[c[0]];
      if (!src) {
        return;
      }
      var dst = new c[1](k);
      for (var j = 0; j < k; j++) {
        dst[j] = src[idx[j]];
      }
      out[c[0]] = dst;
    });
    return out;
  }

  function buildIndex(d) {
    var features = [];
    var areas = new Map();
    var grid = d.mode === 'grid';
    for (var i = 0; i < d.len; i++) {
      if (!grid && d.prec && d.prec[i] === GEO_REGION) {
        // Imprecise places are not points: group them by area so each is drawn once.
        var radius = d.rad ? d.rad[i] : 0;
        var key = d.lat[i].toFixed(3) + ',' + d.lon[i].toFixed(3) + ',' + radius.toFixed(0);
        var group = areas.get(key);
        if (!group) {
          group = {lat: d.lat[i], lon: d.lon[i], rad: radius, items: []};
          areas.set(key, group);
        }
        group.items.push(i);
        continue;
      }
      features.push({type: 'Feature', properties: {i: i}, geometry: {type: 'Point', coordinates: [d.lon[i], d.lat[i]]}});
    }
    // Clustering stops at zoom 11 (a city fills the view): every level below costs a pass
    // over the points, and zoom 12-13 added ~40% to indexing 100k incidents for little
    // gain. Incidents at one spot are still told apart by the popup's pager.
    var options = {radius: 50, maxZoom: 11, minPoints: 3};
    if (grid) {
      // Grid cells carry counts: clusters add them up instead of counting cells.
      options.map = function (props) {
        return {w: d.count[props.i]};
      };
      options.reduce = function (acc, props) {
        acc.w += props.w;
      };
    }
    var index = new window.Supercluster(options);
    index.load(features);
    return {index: index, areas: Array.from(areas.values())};
  }

  // ---------------------------------------------------------------- the canvas layer
  var IncidentLayer = L.Layer.extend({
    initialize: function (atlas) {
      this._atlas = atlas;
      this._items = [];
    },

    onAdd: function (map) {
      this._map = map;
      if (!map.getPane('atlasIncidents')) {
        map.createPane('atlasIncidents').style.zIndex = 450;
      }
      this._canvas = L.DomUtil.create('canvas', 'atlas-incidents');
      this._canvas.style.pointerEvents = 'none';
      map.getPane('atlasIncidents').appendChild(this._canvas);
      map.on('moveend resize viewreset', this.redraw, this);
      map.on('zoomstart', this._hide, this);
      this.redraw();
    },

    onRemove: function (map) {
      map.off('moveend resize viewreset', this.redraw, this);
      map.off('zoomstart', this._hide, this);
      L.DomUtil.remove(this._canvas);
      this._canvas = null;
      this._items = [];
      this._atlas.stats.drawn = 0;
    },

    _hide: function () {
      if (this._canvas) {
        this._canvas.style.visibility = 'hidden';
      }
    },

    redraw: function () {
      var atlas = this._atlas;
      var map = this._map;
      if (!map || !this._canvas) {
        return;
      }
      var t0 = performance.now();
      var size = map.getSize();
      var dpr = window.devicePixelRatio || 1;
      var canvas = this._canvas;
      canvas.width = Math.round(size.x * dpr);
      canvas.height = Math.round(size.y * dpr);
      canvas.style.width = size.x + 'px';
      canvas.style.height = size.y + 'px';
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      canvas.style.visibility = 'visible';
      var ctx = canvas.getContext('2d');
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      var items = [];
      var counts = {points: 0, clusters: 0, areas: 0, cells: 0};
      var d = atlas.data;
      if (d && atlas.index) {
        this._drawAreas(ctx, d, atlas.index.areas, size, items, counts);
        this._drawPoints(ctx, d, atlas.index.index, size, items, counts);
      }
      this._items = items;
      atlas.stats.drawn = counts.points + counts.clusters + counts.areas + counts.cells;
      atlas.stats.points = counts.points;
      atlas.stats.clusters = counts.clusters;
      atlas.stats.areas = counts.areas;
      atlas.stats.cells = counts.cells;
      atlas.stats.lastDrawMs = performance.now() - t0;
      atlas.stats.draws += 1;
      map.getContainer().setAttribute('data-atlas-drawn', String(atlas.stats.drawn));
    },

    _drawAreas: function (ctx, d, areas, size, items, counts) {
      var map = this._map;
      ctx.setLineDash([5, 4]);
      for (var a = 0; a < areas.length; a++) {
        var g = areas[a];
        var p = map.latLngToContainerPoint([g.lat, g.lon]);
        var edge = map.latLngToContainerPoint([Math.min(85, g.lat + g.rad / 111.32), g.lon]);
        var r = Math.max(8, Math.abs(p.y - edge.y));
        if (p.x + r < 0 || p.y + r < 0 || p.x - r > size.x || p.y - r > size.y) {
          continue;
        }
        var color = d.colors[d.type[g.items[0]]] || '#555';
        ctx.beginPath();
        ctx.arc(p.x, p.y, r, 0, 2 * Math.PI);
        ctx.globalAlpha = 0.12;
        ctx.fillStyle = color;
        ctx.fill();
        ctx.globalAlpha = 0.9;
        ctx.lineWidth = 1.5;
        ctx.strokeStyle = color;
        ctx.stroke();
        // Centre symbol: a hollow diamond says "somewhere in this area", not "here".
        ctx.setLineDash([]);
        ctx.beginPath();
        ctx.moveTo(p.x, p.y - 6);
        ctx.lineTo(p.x + 6, p.y);
        ctx.lineTo(p.x, p.y + 6);
        ctx.lineTo(p.x - 6, p.y);
        ctx.closePath();
        ctx.fillStyle = '#fff';
        ctx.fill();
        ctx.stroke();
        if (g.items.length > 1) {
          ctx.fillStyle = '#222';
          ctx.font = 'bold 11px sans-serif';
          ctx.textAlign = 'left';
          ctx.textBaseline = 'middle';
          ctx.fillText(fmtCount(g.items.length), p.x + 8, p.y);
        }
        ctx.setLineDash([5, 4]);
        ctx.globalAlpha = 1;
        items.push({kind: 'area', x: p.x, y: p.y, r: 8, big: r, group: g});
        counts.areas += 1;
      }
      ctx.setLineDash([]);
    },

    _drawPoints: function (ctx, d, index, size, items, counts) {
      var map = this._map;
      var b = map.getBounds();
      var west = b.getWest();
      var east = b.getEast();
      if (east - west >= 360) {
        west = -180;
        east = 180;
      }
      var bbox = [Math.max(-180, west), Math.max(-85, b.getSouth()), Math.min(180, east), Math.min(85, b.getNorth())];
      var feats = index.getClusters(bbox, Math.floor(map.getZoom()));
      var grid = d.mode === 'grid';
      var selected = this._atlas.selectedRow;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      // Clusters first, then single incidents on top so small ones stay clickable.
      for (var pass = 0; pass < 2; pass++) {
        for (var k = 0; k < feats.length; k++) {
          var f = feats[k];
          var isCluster = !!f.properties.cluster;
          var single = !isCluster && !grid;
          if ((pass === 0) === single) {
            continue;
          }
          var c = f.geometry.coordinates;
          var p = map.latLngToContainerPoint([c[1], c[0]]);
          var n;
          var r;
          if (single) {
            var i = f.properties.i;
            r = pointRadius(d.fat[i]);
            ctx.beginPath();
            ctx.arc(p.x, p.y, r, 0, 2 * Math.PI);
            ctx.globalAlpha = 0.85;
            ctx.fillStyle = d.colors[d.type[i]] || '#555';
            ctx.fill();
            ctx.globalAlpha = 1;
            ctx.lineWidth = d.prec && d.prec[i] === 2 ? 1 : 1.5;
            ctx.strokeStyle = '#fff';
            ctx.stroke();
            if (d.row && selected !== null && d.row[i] === selected) {
              ctx.beginPath();
              ctx.arc(p.x, p.y, r + 4, 0, 2 * Math.PI);
              ctx.lineWidth = 3;
              ctx.strokeStyle = '#111';
              ctx.stroke();
            }
            items.push({kind: 'point', x: p.x, y: p.y, r: r, i: i});
            counts.points += 1;
            continue;
          }
          if (isCluster) {
            n = grid ? f.properties.w : f.properties.point_count;
          } else {
            n = d.count[f.properties.i];
          }
          r = clusterRadius(n);
          ctx.beginPath();
          ctx.arc(p.x, p.y, r, 0, 2 * Math.PI);
          ctx.fillStyle = n >= 1000 ? 'rgba(214,96,77,0.85)' : n >= 100 ? 'rgba(244,165,130,0.9)' : 'rgba(253,219,199,0.95)';
          if (!isCluster) {
            ctx.fillStyle = d.colors[d.type[f.properties.i]] || '#888';
            ctx.globalAlpha = 0.8;
          }
          ctx.fill();
          ctx.globalAlpha = 1;
          ctx.lineWidth = 2;
          ctx.strokeStyle = 'rgba(90,40,30,0.7)';
          ctx.stroke();
          ctx.fillStyle = '#1a1a1a';
          ctx.font = 'bold 11px sans-serif';
          ctx.fillText(fmtCount(n), p.x, p.y);
          if (isCluster) {
            items.push({kind: 'cluster', x: p.x, y: p.y, r: r, id: f.properties.cluster_id, lat: c[1], lon: c[0]});
            counts.clusters += 1;
          } else {
            items.push({kind: 'cell', x: p.x, y: p.y, r: r, i: f.properties.i, lat: c[1], lon: c[0]});
            counts.cells += 1;
          }
        }
      }
    },

    hit: function (point) {
      var best = null;
      var points = [];
      for (var k = this._items.length - 1; k >= 0; k--) {
        var it = this._items[k];
        var dx = it.x - point.x;
        var dy = it.y - point.y;
        if (dx * dx + dy * dy <= (it.r + 3) * (it.r + 3)) {
          if (it.kind === 'point') {
            points.push(it.i);
          } else if (!best || (best.kind === 'area' && it.kind !== 'area')) {
            best = it;
          }
        }
      }
      if (points.length) {
        return {kind: 'points', items: points};
      }
      return best;
    }
  });

  // ---------------------------------------------------------------- controls
  function makeControl(position, build) {
    var Control = L.Control.extend({
      onAdd: function () {
        var div = L.DomUtil.create('div', 'atlas-control leaflet-bar');
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        build(div);
        return div;
      }
    });
    return new Control({position: position});
  }

  function renderLegend(div, d) {
    div.replaceChildren();
    div.appendChild(el('div', 'atlas-legend-title', 'Event type'));
    var types = d ? d.types : [];
    for (var t = 0; t < types.length; t++) {
      var row = el('div', 'atlas-legend-row');
      var sw = el('span', 'atlas-swatch');
      sw.style.background = d.colors[t];
      row.appendChild(sw);
      row.appendChild(el('span', null, types[t]));
      div.appendChild(row);
    }
    div.appendChild(el('div', 'atlas-legend-title', 'Fatalities'));
    var sizes = el('div', 'atlas-legend-sizes');
    [0, 10, 50].forEach(function (f) {
      var dot = el('span', 'atlas-size');
      var r = pointRadius(f);
      dot.style.width = dot.style.height = 2 * r + 'px';
      sizes.appendChild(dot);
      sizes.appendChild(el('span', 'atlas-size-label', f === 0 ? '0 / ?' : String(f)));
    });
    div.appendChild(sizes);
    var area = el('div', 'atlas-legend-row');
    area.appendChild(el('span', 'atlas-area-symbol'));
    area.appendChild(el('span', null, 'Region / country level (place not precise)'));
    div.appendChild(area);
    var cl = el('div', 'atlas-legend-row');
    cl.appendChild(el('span', 'atlas-cluster-symbol', 'n'));
    cl.appendChild(el('span', null, d && d.mode === 'grid' ? 'Incidents per grid cell / cluster' : 'Cluster of n incidents'));
    div.appendChild(cl);
  }

  function windowText(w) {
    if (!w || (!w[0] && !w[1])) {
      return 'All dates';
    }
    return (w[0] || '…') + ' – ' + (w[1] || '…');
  }

  // ---------------------------------------------------------------- the atlas
  function Atlas(map, opts) {
    this.map = map;
    this.opts = opts || {};
    this.data = null;
    this.index = null;
    this.selectedRow = null;
    this.seq = 0;
    this.fitted = false;
    this.stats = {drawn: 0, points: 0, clusters: 0, areas: 0, cells: 0, draws: 0, lastDrawMs: 0, lastDataMs: 0, n: 0};
    this.details = this.opts.details || null;
    this.heatDirty = true;
    this._rowPos = null;

    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution('Incidents: Incident Atlas (from news reports)');
    this.layer = new IncidentLayer(this);
    this.heat = L.heatLayer([], {radius: 18, blur: 16, minOpacity: 0.35, maxZoom: 9});
    this.heat.on('add', this._refreshHeat, this);
    this.layer.addTo(map);
    this._addBase();
    this._addControls();
    map.on('click', this._onClick, this);
    map.on('mousemove', this._onMove, this);
    if (this.opts.payload) {
      this.setData(this.opts.payload, 0);
    }
  }

  Atlas.prototype._addBase = function () {
    var map = this.map;
    var self = this;
    var bases = {};
    var outlines = L.layerGroup();
    bases['Country outlines (offline)'] = outlines;
    var drawTopo = function (topo) {
      var key = Object.keys(topo.objects)[0];
      var geo = window.topojson.feature(topo, topo.objects[key]);
      L.geoJSON(geo, {
        renderer: L.canvas({padding: 0.5}),
        interactive: false,
        style: {color: '#8d8d8d', weight: 0.7, fillColor: '#f4f1ea', fillOpacity: 1}
      }).addTo(outlines);
    };
    if (this.opts.basemapData) {
      drawTopo(this.opts.basemapData);
    } else if (this.opts.basemapUrl) {
      fetch(this.opts.basemapUrl, {credentials: 'same-origin'})
        .then(function (r) {
          if (!r.ok) {
            throw new Error('HTTP ' + r.status);
          }
          return r.json();
        })
        .then(drawTopo)
        .catch(function (err) {
          self._status('Country outlines could not be loaded (' + err.message + ')');
        });
    }
    map.attributionControl.addAttribution('Country outlines: Natural Earth (world-atlas)');
    if (this.opts.tiles === 'osm') {
      // Opt-in only (INCIDENT_ATLAS_TILES=osm): the default map makes no outside request.
      bases['OpenStreetMap (online)'] = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
        maxZoom: 19,
        attribution: '&copy; OpenStreetMap contributors'
      });
      bases['OpenStreetMap (online)'].addTo(map);
    } else {
      outlines.addTo(map);
    }
    this.bases = bases;
  };

  Atlas.prototype._addControls = function () {
    var map = this.map;
    var self = this;
    this.layerControl = L.control.layers(this.bases, {'Incidents': this.layer, 'Heat map': this.heat}, {collapsed: false, position: 'topright'}).addTo(map);
    if (this.opts.title || this.opts.subtitle) {
      makeControl('topleft', function (div) {
        div.className += ' atlas-title';
        if (self.opts.title) {
          div.appendChild(el('div', 'atlas-title-main', self.opts.title));
        }
        self._subtitle = el('div', 'atlas-title-sub', self.opts.subtitle || '');
        div.appendChild(self._subtitle);
      }).addTo(map);
    }
    makeControl('bottomright', function (div) {
      div.className += ' atlas-legend';
      self._legend = div;
      renderLegend(div, null);
    }).addTo(map);
    makeControl('bottomleft', function (div) {
      div.className += ' atlas-status';
      self._statusEl = div;
      div.textContent = 'Loading incidents…';
    }).addTo(map);
  };

  Atlas.prototype._status = function (text) {
    if (this._statusEl) {
      this._statusEl.textContent = text;
    }
  };

  /** New data (and, for client_window data, the date window to apply to it). */
  Atlas.prototype.setData = function (payload, seq, buffer, win) {
    var t0 = performance.now();
    this.full = decode(payload, buffer);
    this._show(this.full.clientWindow ? applyWindow(this.full, win) : this.full, seq, t0);
  };

  /** A new date window over the data already here (client_window data only). */
  Atlas.prototype.setWindow = function (win, seq) {
    var t0 = performance.now();
    if (!this.full || !this.full.clientWindow) {
      return false;
    }
    this._show(applyWindow(this.full, win), seq, t0);
    return true;
  };

  Atlas.prototype._show = function (d, seq, t0) {
    this.data = d;
    this.index = buildIndex(d);
    this._rowPos = null;
    this.heatDirty = true;
    this.seq = seq || this.seq + 1;
    this.stats.n = d.n;
    if (!this.fitted && d.bounds && this.opts.fit !== false) {
      this.fitted = true;
      this.map.fitBounds(d.bounds, {maxZoom: 7, padding: [20, 20], animate: false});
    }
    if (this.map.hasLayer(this.layer)) {
      this.layer.redraw();
    }
    if (this.map.hasLayer(this.heat)) {
      this._refreshHeat();
    }
    if (this._legend) {
      renderLegend(this._legend, d);
    }
    var text = d.n.toLocaleString('en') + ' of ' + d.total.toLocaleString('en') + ' incidents';
    if (d.mode === 'grid') {
      text += ' · aggregated into ' + d.cellDeg + '° cells (narrow the filters to see single incidents)';
    }
    this._status(text);
    if (this._subtitle && !this.opts.subtitle) {
      this._subtitle.textContent = windowText(d.window);
    }
    this.stats.lastDataMs = performance.now() - t0;
    this.map.getContainer().setAttribute('data-atlas-seq', String(this.seq));
    post({type: 'atlas:drawn', seq: this.seq, n: d.n, total: d.total, unlocated: d.unlocated,
      drawn: this.stats.drawn, ms: this.stats.lastDataMs});
  };

  Atlas.prototype._refreshHeat = function () {
    var d = this.data;
    if (!d || !this.heatDirty) {
      return;
    }
    var pts = new Array(d.len);
    var maxCount = 1;
    if (d.mode === 'grid') {
      for (var j = 0; j < d.len; j++) {
        maxCount = Math.max(maxCount, d.count[j]);
      }
    }
    var scale = Math.log1p(maxCount);
    for (var i = 0; i < d.len; i++) {
      var w = d.mode === 'grid' ? Math.log1p(d.count[i]) / scale : 1;
      pts[i] = [d.lat[i], d.lon[i], w];
    }
    this.heat.setLatLngs(pts);
    this.heatDirty = false;
  };

  Atlas.prototype._onMove = function (e) {
    var hit = this.map.hasLayer(this.layer) ? this.layer.hit(e.containerPoint) : null;
    this.map.getContainer().style.cursor = hit ? 'pointer' : '';
  };

  Atlas.prototype._onClick = function (e) {
    if (!this.map.hasLayer(this.layer)) {
      return;
    }
    var hit = this.layer.hit(e.containerPoint);
    if (!hit) {
      return;
    }
    var d = this.data;
    if (hit.kind === 'cluster') {
      var zoom = Math.min(this.index.index.getClusterExpansionZoom(hit.id), 18);
      this.map.flyTo([hit.lat, hit.lon], zoom);
      return;
    }
    if (hit.kind === 'cell') {
      this.map.flyTo([hit.lat, hit.lon], Math.min(this.map.getZoom() + 2, 12));
      return;
    }
    var indices = hit.kind === 'area' ? hit.group.items : hit.items;
    if (!d.row) {
      return;
    }
    var rows = indices.map(function (i) {
      return d.row[i];
    });
    var first = indices[0];
    this.select(rows[0], false);
    post({type: 'atlas:select', row: rows[0]});
    this.showDetails(rows, 0, L.latLng(d.lat[first], d.lon[first]));
  };

  Atlas.prototype.select = function (row, redraw) {
    this.selectedRow = row;
    if (redraw !== false && this.map.hasLayer(this.layer)) {
      this.layer.redraw();
    } else if (this.map.hasLayer(this.layer)) {
      this.layer.redraw();
    }
  };

  Atlas.prototype._positionOf = function (row) {
    var d = this.data;
    if (!d || !d.row) {
      return -1;
    }
    if (!this._rowPos) {
      this._rowPos = new Map();
      for (var i = 0; i < d.len; i++) {
        this._rowPos.set(d.row[i], i);
      }
    }
    var k = this._rowPos.get(row);
    return k === undefined ? -1 : k;
  };

  Atlas.prototype.focus = function (row) {
    var k = this._positionOf(row);
    if (k < 0) {
      return false;
    }
    var d = this.data;
    var latlng = L.latLng(d.lat[k], d.lon[k]);
    var self = this;
    this.selectedRow = row;
    var opened = false;
    var open = function () {
      if (opened || self.selectedRow !== row) {
        return;
      }
      opened = true;
      self.map.off('moveend', open);
      self.layer.redraw();
      self.showDetails([row], 0, latlng);
    };
    this.map.on('moveend', open);
    // The fly animation runs on animation frames, which a hidden or busy page may throttle
    // or never run: open the popup anyway once the flight should be over.
    setTimeout(open, 1200);
    if (d.prec && d.prec[k] === GEO_REGION && d.rad && d.rad[k] > 0) {
      this.map.flyToBounds(latlng.toBounds(d.rad[k] * 2000), {maxZoom: 9, duration: 0.6});
    } else {
      this.map.flyTo(latlng, Math.max(this.map.getZoom(), 14), {duration: 0.6});
    }
    return true;
  };

  Atlas.prototype._fetchDetails = function (row) {
    if (this.details) {
      var rec = this.details[String(row)];
      return Promise.resolve(rec || null);
    }
    if (!this.opts.detailsUrl) {
      return Promise.resolve(null);
    }
    var url = this.opts.detailsUrl + encodeURIComponent(row) + '?v=' + encodeURIComponent(this.data ? this.data.version : '');
    return fetch(url, {credentials: 'same-origin'}).then(function (r) {
      if (!r.ok) {
        throw new Error(r.status === 409 ? 'the data changed; reload the page' : 'HTTP ' + r.status);
      }
      return r.json();
    });
  };

  Atlas.prototype.showDetails = function (rows, k, latlng) {
    var self = this;
    var box = el('div', 'atlas-popup');
    box.setAttribute('data-row', String(rows[k]));
    box.appendChild(el('div', 'atlas-popup-loading', 'Loading…'));
    if (rows.length > 1) {
      var pager = el('div', 'atlas-pager');
      var prev = el('button', 'atlas-prev', '‹');
      var next = el('button', 'atlas-next', '›');
      prev.type = next.type = 'button';
      prev.disabled = k === 0;
      next.disabled = k === rows.length - 1;
      L.DomEvent.on(prev, 'click', function (ev) {
        L.DomEvent.stop(ev);
        self.showDetails(rows, k - 1, latlng);
      });
      L.DomEvent.on(next, 'click', function (ev) {
        L.DomEvent.stop(ev);
        self.showDetails(rows, k + 1, latlng);
      });
      pager.appendChild(prev);
      pager.appendChild(el('span', null, (k + 1) + ' of ' + rows.length + ' incidents here'));
      pager.appendChild(next);
      box.insertBefore(pager, box.firstChild);
    }
    this.popup = L.popup({maxWidth: 380, minWidth: 260, autoPanPadding: [30, 30]})
      .setLatLng(latlng)
      .setContent(box)
      .openOn(this.map);
    this._fetchDetails(rows[k])
      .then(function (rec) {
        var loading = box.querySelector('.atlas-popup-loading');
        if (loading) {
          loading.remove();
        }
        if (!rec) {
          box.appendChild(el('p', 'atlas-popup-error', 'No details for this incident in this view.'));
          return;
        }
        renderDetails(box, rec);
        if (self.popup) {
          self.popup.update();
        }
      })
      .catch(function (err) {
        var loading = box.querySelector('.atlas-popup-loading');
        if (loading) {
          loading.textContent = 'Details unavailable: ' + err.message;
        }
      });
    if (rows.length > 1 || k > 0) {
      this.selectedRow = rows[k];
      post({type: 'atlas:select', row: rows[k]});
    }
  };

  function renderDetails(box, rec) {
    box.appendChild(el('h4', 'atlas-popup-title', rec.title || '(untitled article)'));
    var dl = el('dl', 'atlas-popup-fields');
    var add = function (label, value) {
      if (value === null || value === undefined || value === '') {
        return;
      }
      dl.appendChild(el('dt', null, label));
      dl.appendChild(el('dd', 'atlas-f-' + label.toLowerCase().replace(/\W+/g, '-'), value));
    };
    var when = rec.date_start || '';
    if (rec.date_end && rec.date_end !== rec.date_start) {
      when += ' – ' + rec.date_end;
    }
    add('Date', (when || 'unknown') + ' (precision: ' + (rec.date_precision || 'unknown') + ')');
    add('Type', rec.event_type + (rec.sub_event_type ? ' / ' + rec.sub_event_type : ''));
    add('Fatalities', rec.fatalities === null || rec.fatalities === undefined ? 'unknown' : String(rec.fatalities));
    var place = [rec.place, rec.admin1, rec.country].filter(Boolean).join(', ');
    var prec = rec.geo_precision ? ' (geo precision ' + rec.geo_precision + ': ' + (PRECISION_TEXT[rec.geo_precision] || '?') + ')' : '';
    add('Place', place + prec);
    box.appendChild(dl);
    if (rec.snippet) {
      box.appendChild(el('blockquote', 'atlas-popup-snippet', rec.snippet));
    }
    var sources = rec.sources && rec.sources.length ? rec.sources : [{source: rec.source, url: rec.url, title: rec.title, published: rec.published}];
    var list = el('ul', 'atlas-popup-sources');
    sources.forEach(function (s) {
      var li = el('li');
      var label = (s.source || 'source') + (s.published ? ' (' + s.published + ')' : '');
      var href = safeUrl(s.url);
      if (href) {
        var a = el('a', null, label);
        a.href = href;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        li.appendChild(a);
      } else {
        li.appendChild(el('span', null, label));
      }
      list.appendChild(li);
    });
    box.appendChild(el('div', 'atlas-popup-sources-title', sources.length > 1 ? sources.length + ' sources' : 'Source'));
    box.appendChild(list);
  }

  // ---------------------------------------------------------------- public API
  var current = null;

  function onMessage(e) {
    if (e.origin !== ORIGIN || !current || !e.data || typeof e.data.type !== 'string') {
      return;
    }
    if (e.data.type === 'atlas:data' && e.data.meta) {
      current.setData(e.data.meta, e.data.seq, e.data.buffer, e.data.window);
    } else if (e.data.type === 'atlas:window') {
      current.setWindow(e.data.window, e.data.seq);
    } else if (e.data.type === 'atlas:focus') {
      current.focus(e.data.row);
    }
  }

  root.atlasMap = {
    /** Attach the atlas to a Leaflet map that folium created. */
    init: function (map, opts) {
      current = new Atlas(map, opts);
      if (opts && opts.embedded) {
        window.addEventListener('message', onMessage);
        post({type: 'atlas:ready'});
      }
      return current;
    },
    /** Read-only numbers for tests and benchmarks. */
    state: function () {
      if (!current) {
        return null;
      }
      var c = current.map.getCenter();
      return Object.assign({}, current.stats, {
        seq: current.seq,
        zoom: current.map.getZoom(),
        center: [c.lat, c.lng],
        selectedRow: current.selectedRow,
        mode: current.data ? current.data.mode : null,
        clientWindow: !!(current.full && current.full.clientWindow),
        heat: current.map.hasLayer(current.heat),
        popupOpen: !!(current.popup && current.popup.isOpen())
      });
    },
    /** Screen positions of the drawn single incidents (for tests that click them). */
    drawnPoints: function () {
      if (!current || !current.data || !current.data.row) {
        return [];
      }
      var d = current.data;
      return current.layer._items
        .filter(function (it) {
          return it.kind === 'point';
        })
        .map(function (it) {
          return {row: d.row[it.i], x: it.x, y: it.y};
        });
    },
    focus: function (row) {
      return current ? current.focus(row) : false;
    }
  };
})();

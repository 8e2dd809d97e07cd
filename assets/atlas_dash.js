/*
 * Incident Atlas dashboard page: clientside callbacks and the bridge to the map iframe.
 * Everything lives in window.dash_clientside.atlas; nothing else is made global.
 *
 * The map page (/map, in an iframe) is loaded once. The filter spec is sent to
 * /api/map-data, whose binary answer (packed columns) is posted into the map
 * ('atlas:data'). When that answer holds every incident passing the other filters with
 * its days (client_window), a date-window change is only posted ('atlas:window'): the map
 * filters its typed arrays itself and no request reaches the server. The map answers
 * 'atlas:ready', 'atlas:drawn' (which also sets the count line) and 'atlas:select' (a
 * marker click, which becomes the map-selected dcc.Store through set_props).
 * Component ids match dashboard/ids.py.
 */
(function () {
  'use strict';

  var root = (window.dash_clientside = window.dash_clientside || {});
  if (root.atlas) {
    return;
  }
  var NO = function () {
    return window.dash_clientside.no_update;
  };
  var IDS = {frame: 'map-frame', grid: 'table-grid', selected: 'map-selected', count: 'filter-count'};
  var DAY_MS = 86400000;
  var STEP_DAYS = {day: 1, week: 7, month: 30};
  var BASE_KEYS = ['types', 'countries', 'sources', 'min_fatalities', 'geo_precision', 'date_precision', 'text'];

  // Bridge state: the latest data (so a reloaded iframe can be fed again), the window the
  // user last chose, the request in flight, and timings for tests and benchmarks.
  var bridge = {
    ready: false, latest: null, latestKey: null, window: null, shown: null, spec: null, pending: null, token: 0,
    waiting: [],
    seq: 0, sentAt: 0, drawnSeq: 0, lastDrawn: null, requests: 0, windowPosts: 0
  };

  function prefix() {
    // Dash's requests_pathname_prefix ("/" unless the app is mounted under a path).
    try {
      var cfg = JSON.parse(document.getElementById('_dash-config').textContent);
      return cfg.requests_pathname_prefix || '/';
    } catch (err) {
      return '/';
    }
  }

  function frameWindow() {
    var f = document.getElementById(IDS.frame);
    return f ? f.contentWindow : null;
  }

  function empty(v) {
    return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
  }

  /** The spec without its date window, as a canonical string: equal keys, equal data. */
  function baseKey(spec) {
    var parts = BASE_KEYS.map(function (k) {
      var v = spec ? spec[k] : null;
      if (empty(v)) {
        return null;
      }
      return Array.isArray(v) ? v.slice().map(String).sort() : String(v);
    });
    return JSON.stringify(parts);
  }

  function windowOf(spec) {
    if (!spec || (!spec.start && !spec.end)) {
      return null;
    }
    return [spec.start ? isoToDay(spec.start) : -2147483647, spec.end ? isoToDay(spec.end) : 2147483647];
  }

  function sameWindow(a, b) {
    return (!a && !b) || (!!a && !!b && a[0] === b[0] && a[1] === b[1]);
  }

  function post(msg) {
    var w = frameWindow();
    if (!bridge.ready || !w) {
      return false;
    }
    bridge.seq += 1;
    bridge.sentAt = performance.now();
    msg.seq = bridge.seq;
    w.postMessage(msg, window.location.origin);
    return true;
  }

  function postWindow(win) {
    bridge.window = win;
    bridge.shown = win;
    bridge.windowPosts += 1;
    return post({type: 'atlas:window', window: win});
  }

  /** Whether the map holds data it can apply a window to for the current filters. */
  function clientReady() {
    return !!(bridge.latest && bridge.latest.meta.client_window && !bridge.pending &&
      bridge.latestKey === baseKey(bridge.spec));
  }

  /**
   * A promise of `value` once the map has drawn (or after `ms`): work the user does not
   * wait for (the histogram's shading, the table's reload) runs after the map's redraw
   * instead of competing with it for the page's one main thread.
   */
  function afterDraw(value, ms) {
    return new Promise(function (resolve) {
      var done = false;
      var finish = function () {
        if (!done) {
          done = true;
          resolve(value);
        }
      };
      bridge.waiting.push(finish);
      setTimeout(finish, ms || 400);
    });
  }

  function sendData() {
    if (bridge.latest) {
      // The map applies the window itself only when the data allows it (client_window).
      bridge.shown = bridge.latest.meta.client_window ? bridge.window : bridge.latest.meta.window_days;
      post({type: 'atlas:data', meta: bridge.latest.meta, buffer: bridge.latest.buffer,
        window: bridge.latest.meta.client_window ? bridge.window : null});
    }
  }

  function unpack(buffer) {
    var size = new DataView(buffer).getUint32(0, true);
    var meta = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, size)));
    meta.dataOffset = 4 + size;
    return meta;
  }

  function fetchData(spec) {
    var token = ++bridge.token;
    var key = baseKey(spec);
    bridge.requests += 1;
    var promise = fetch(prefix() + 'api/map-data', {
      method: 'POST', credentials: 'same-origin', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify(spec)
    }).then(function (r) {
      if (!r.ok) {
        throw new Error('HTTP ' + r.status);
      }
      return r.arrayBuffer();
    });
    bridge.pending = {token: token, key: key, window: windowOf(spec)};
    promise.then(function (buffer) {
      if (token !== bridge.token) {
        return; // a newer request superseded this one
      }
      var meta = unpack(buffer);
      bridge.pending = null;
      bridge.latest = {meta: meta, buffer: buffer};
      bridge.latestKey = key;
      if (!meta.client_window && !sameWindow(windowOf(spec), bridge.window)) {
        fetchData(bridge.spec); // the window moved meanwhile and only the server can apply it
        return;
      }
      sendData();
    }).catch(function (err) {
      if (token === bridge.token) {
        bridge.pending = null;
        window.dash_clientside.set_props(IDS.count, {children: 'The map data could not be loaded (' + err.message + ')'});
      }
    });
  }

  window.addEventListener('message', function (e) {
    if (e.origin !== window.location.origin || !e.data || e.source !== frameWindow()) {
      return;
    }
    var msg = e.data;
    if (msg.type === 'atlas:ready') {
      bridge.ready = true;
      sendData();
    } else if (msg.type === 'atlas:drawn') {
      bridge.drawnSeq = msg.seq;
      bridge.lastDrawn = {seq: msg.seq, n: msg.n, drawn: msg.drawn, ms: msg.ms, at: performance.now()};
      var text = msg.n.toLocaleString('en') + ' of ' + msg.total.toLocaleString('en') + ' incidents';
      if (msg.unlocated) {
        text += ' (' + msg.unlocated.toLocaleString('en') + ' without coordinates not shown)';
      }
      window.dash_clientside.set_props(IDS.count, {children: text});
      var waiting = bridge.waiting;
      bridge.waiting = [];
      waiting.forEach(function (finish) {
        setTimeout(finish, 0);
      });
    } else if (msg.type === 'atlas:select' && typeof msg.row === 'number') {
      window.dash_clientside.set_props(IDS.selected, {data: {row: msg.row, from: 'map', t: Date.now()}});
    }
  });

  // The first view (no filter) is requested as soon as this script runs, while Dash is
  // still loading its components; requestMap adopts it when the initial spec matches.
  bridge.spec = {};
  fetchData({});

  function dayToIso(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function isoToDay(text) {
    return Math.floor(Date.parse(String(text).slice(0, 10) + 'T00:00:00Z') / DAY_MS);
  }

  function gridApi() {
    try {
      return window.dash_ag_grid && window.dash_ag_grid.getApi ? window.dash_ag_grid.getApi(IDS.grid) : null;
    } catch (err) {
      return null; // the grid is not initialised yet
    }
  }

  root.atlas = {
    /** All filter controls -> one spec for dashboard.data.filter_from_spec. */
    collectFilter: function (window_, types, countries, sources, minFat, geoPrec, datePrec, text, meta) {
      var spec = {
        types: types || [],
        countries: countries || [],
        sources: sources || [],
        min_fatalities: minFat === undefined || minFat === '' ? null : minFat,
        geo_precision: geoPrec || [],
        date_precision: datePrec || [],
        text: text || null,
        start: null,
        end: null
      };
      // The full range means "no window": undated incidents then stay visible.
      if (window_ && meta && meta.lo !== null && (window_[0] > meta.lo || window_[1] < meta.hi)) {
        spec.start = dayToIso(window_[0]);
        spec.end = dayToIso(window_[1]);
      }
      return spec;
    },

    /**
     * A new filter spec: post just the window into the loaded map when it already holds
     * the data (client_window), otherwise fetch new data (no reload: zoom and layers stay).
     */
    requestMap: function (spec) {
      if (!spec) {
        return NO();
      }
      var key = baseKey(spec);
      var win = windowOf(spec);
      bridge.spec = spec;
      bridge.window = win;
      if (bridge.pending) {
        if (bridge.pending.key === key) {
          // Same data on its way: it is sent with the latest window when it arrives
          // (or fetched again if only the server can apply the window).
          return NO();
        }
      } else if (bridge.latest && bridge.latestKey === key) {
        if (bridge.latest.meta.client_window) {
          // sliderToMap has usually posted this window already.
          if (!sameWindow(win, bridge.shown)) {
            postWindow(win);
          }
          return bridge.seq;
        }
        if (sameWindow(bridge.latest.meta.window_days, bridge.window)) {
          return NO();
        }
      }
      fetchData(spec);
      return NO();
    },

    /** A table row click: fly the map there and open its popup. */
    focusFromTable: function (cell) {
      if (!cell || cell.rowId === undefined || cell.rowId === null) {
        return [NO(), NO()];
      }
      var row = parseInt(cell.rowId, 10);
      var w = frameWindow();
      if (w) {
        w.postMessage({type: 'atlas:focus', row: row}, window.location.origin);
      }
      return [row, {row: row, from: 'table', t: Date.now()}];
    },

    /**
     * A slider move: post the window straight into the map when it can apply it, one
     * callback earlier than requestMap (which the filter spec triggers) would.
     */
    sliderToMap: function (value, meta) {
      if (!value || !meta || meta.lo === null || meta.lo === undefined || !clientReady()) {
        return NO();
      }
      var win = value[0] > meta.lo || value[1] < meta.hi ? [value[0], value[1]] : null;
      if (sameWindow(win, bridge.shown)) {
        return NO();
      }
      postWindow(win);
      return bridge.seq;
    },

    refreshTable: function () {
      return afterDraw(null).then(function () {
        var api = gridApi();
        if (api) {
          api.purgeInfiniteCache();
        }
        return Date.now();
      });
    },

    /** A marker click: select the row once the grid has loaded its block. */
    selectRow: function (selected) {
      if (!selected || selected.from !== 'map') {
        return NO();
      }
      var tries = 0;
      var attempt = function () {
        var api = gridApi();
        var node = api ? api.getRowNode(String(selected.row)) : null;
        if (node && node.data) {
          node.setSelected(true, true);
          return;
        }
        if (++tries < 40) {
          setTimeout(attempt, 100);
        }
      };
      attempt();
      return selected.row;
    },

    /** The histogram with the current window shaded, and the window as text (after the map). */
    shadeWindow: function (hist, value, meta) {
      var trig = (window.dash_clientside.callback_context.triggered || [{prop_id: ''}])[0].prop_id;
      var result = root.atlas.shade(hist, value, meta);
      // A window change waits for the map's redraw, and the first histogram for the map's
      // first drawing (both compete for the one main thread); later histograms draw at once.
      if (!bridge.drawnSeq) {
        return afterDraw(result, 5000);
      }
      return trig.indexOf('time-slider') === 0 ? afterDraw(result) : result;
    },

    shade: function (hist, value, meta) {
      var label = 'All dates';
      if (!hist) {
        return [NO(), label];
      }
      var fig = {data: hist.data, layout: Object.assign({}, hist.layout)};
      if (value && meta && meta.lo !== null) {
        var full = value[0] <= meta.lo && value[1] >= meta.hi;
        label = (full ? 'All dates: ' : 'Window: ') + dayToIso(value[0]) + ' – ' + dayToIso(value[1]);
        if (!full) {
          fig.layout.shapes = [{
            type: 'rect', xref: 'x', yref: 'paper', y0: 0, y1: 1, layer: 'below',
            x0: dayToIso(value[0]), x1: dayToIso(value[1] + 1),
            fillcolor: 'rgba(31,119,180,0.13)', line: {width: 1, color: 'rgba(31,119,180,0.6)'}
          }];
        }
      }
      return [fig, label];
    },

    /** Play button, interval ticks, brushing and reset all move the slider (one owner). */
    playback: function (_play, _tick, selected, _reset, speed, value, meta, mode, loop, disabled, gran) {
      // A click and an interval tick can arrive in one batch: look at every trigger, so that a
      // Pause click is never read as a tick (and lost) because the tick came first in the list.
      var trigs = (window.dash_clientside.callback_context.triggered || []).map(function (t) { return t.prop_id; });
      var fired = function (id) { return trigs.some(function (t) { return t.indexOf(id) === 0; }); };
      var ms = Math.round(1000 / (speed || 1));
      var lo = meta && meta.lo;
      var hi = meta && meta.hi;
      if (lo === null || lo === undefined) {
        return [NO(), true, '▶ Play', ms];
      }
      var v = value ? value.slice() : [lo, hi];
      var step = STEP_DAYS[gran] || 1;
      var looping = (loop || []).indexOf('loop') >= 0;
      if (fired('time-reset')) {
        return [[lo, hi], true, '▶ Play', ms];
      }
      if (fired('time-play')) {
        if (!disabled) {
          return [NO(), true, '▶ Play', ms];
        }
        // Starting: from the full range, begin with a short window at the start.
        if (v[0] <= lo && v[1] >= hi) {
          var width = Math.max(step, Math.round((hi - lo) / 10));
          v = mode === 'cumulative' ? [lo, lo + step - 1] : [lo, Math.min(hi, lo + width - 1)];
        }
        return [v, false, '❚❚ Pause', ms];
      }
      if (fired('time-speed')) {
        return [NO(), NO(), NO(), ms];
      }
      if (fired('time-graph')) {
        if (!selected || !selected.range || !selected.range.x) {
          return [NO(), NO(), NO(), ms];
        }
        var a = Math.max(lo, isoToDay(selected.range.x[0]));
        var b = Math.min(hi, isoToDay(selected.range.x[1]));
        return [[Math.min(a, b), Math.max(a, b)], NO(), NO(), ms];
      }
      // An interval tick.
      if (disabled) {
        return [NO(), NO(), NO(), ms];
      }
      var next;
      if (mode === 'cumulative') {
        next = [lo, v[1] + step];
        if (v[1] >= hi) {
          if (!looping) {
            return [NO(), true, '▶ Play', ms];
          }
          next = [lo, lo + step - 1];
        }
      } else {
        var w = v[1] - v[0];
        next = [v[0] + step, v[1] + step];
        if (v[1] >= hi) {
          if (!looping) {
            return [NO(), true, '▶ Play', ms];
          }
          next = [lo, lo + w];
        }
      }
      next[1] = Math.min(next[1], hi);
      next[0] = Math.min(next[0], next[1]);
      // Only the window moves: a tick computed just before a Pause click must not switch
      // the interval back on (its State still said "playing").
      return [next, NO(), NO(), NO()];
    },

    /** Read-only bridge numbers for tests and benchmarks. */
    state: function () {
      return {ready: bridge.ready, seq: bridge.seq, drawnSeq: bridge.drawnSeq, sentAt: bridge.sentAt,
        lastDrawn: bridge.lastDrawn, requests: bridge.requests, windowPosts: bridge.windowPosts,
        clientWindow: !!(bridge.latest && bridge.latest.meta.client_window)};
    }
  };
})();

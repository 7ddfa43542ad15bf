// Zooms the directory's world map into one region and back, by its
// viewBox. Each region's own map, drawn below the world map for readers
// without this script (the framed regions on the world map link to it),
// lends its points, labels and numbers, so the names read as well as
// there. Buttons, and the framed regions, work from the keyboard; Escape
// shows the whole world again.
(function () {
  'use strict';
  var fig = document.querySelector('figure[data-zoom-world]');
  if (!fig) return;
  var svg = fig.querySelector('svg.worldmap');
  var bar = fig.querySelector('.map-zoom');
  var status = fig.querySelector('[data-zoom-status]');
  if (!svg || !bar || !status) return;
  var world = svg.getAttribute('viewBox');
  var countries = svg.querySelector('.worldmap-countries');
  var stroke = countries ? countries.getAttribute('stroke-width') : null;
  var buttons = bar.querySelectorAll('button[data-region]');
  var still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  var layer = null;
  var frame = 0;

  function numbers(vb) {
    return vb.trim().split(/[\s,]+/).map(Number);
  }

  function show(to) {
    cancelAnimationFrame(frame);
    if (still) {
      svg.setAttribute('viewBox', to);
      return;
    }
    var from = numbers(svg.getAttribute('viewBox'));
    var end = numbers(to);
    var start = null;
    var step = function (t) {
      if (start === null) start = t;
      var k = Math.min(1, (t - start) / 300);
      k = k * (2 - k);
      if (k < 1) {
        svg.setAttribute('viewBox', from.map(function (v, i) { return (v + (end[i] - v) * k).toFixed(2); }).join(' '));
        frame = requestAnimationFrame(step);
      } else {
        svg.setAttribute('viewBox', to);
      }
    };
    frame = requestAnimationFrame(step);
  }

  // zoom shows region ('' for the whole world); false if it has no map.
  function zoom(region) {
    var src = region ? document.getElementById('map-' + region) : null;
    var map = src ? src.querySelector('svg.worldmap') : null;
    if (region && !map) return false;
    if (layer) {
      layer.remove();
      layer = null;
    }
    svg.classList.toggle('zoomed', !!map);
    if (countries && stroke !== null) countries.setAttribute('stroke-width', stroke);
    if (map) {
      layer = document.createElementNS('http://www.w3.org/2000/svg', 'g');
      layer.setAttribute('class', 'zoom-layer');
      ['.worldmap-points', '.worldmap-labels', '.worldmap-marks'].forEach(function (sel) {
        var g = map.querySelector(sel);
        if (g) layer.appendChild(g.cloneNode(true));
      });
      svg.appendChild(layer);
      var c = map.querySelector('.worldmap-countries');
      if (countries && c) countries.setAttribute('stroke-width', c.getAttribute('stroke-width'));
    }
    show(map ? map.getAttribute('viewBox') : world);
    var label = '';
    for (var i = 0; i < buttons.length; i++) {
      var on = buttons[i].getAttribute('data-region') === region;
      buttons[i].setAttribute('aria-pressed', on ? 'true' : 'false');
      if (on) label = buttons[i].getAttribute('data-status');
    }
    status.textContent = label;
    fig.setAttribute('data-zoomed', region);
    return true;
  }

  bar.hidden = false;
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener('click', function (e) {
      zoom(e.currentTarget.getAttribute('data-region'));
    });
  }
  // A framed region zooms here instead of leading to its map below; the
  // frames are hidden then, so the focus goes to the button of the region.
  svg.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a.area');
    if (!a) return;
    var region = a.getAttribute('data-region');
    if (zoom(region)) {
      e.preventDefault();
      var b = bar.querySelector('button[data-region="' + region + '"]');
      if (b) b.focus();
    }
  });
  fig.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && fig.getAttribute('data-zoomed')) {
      zoom('');
    }
  });
})();

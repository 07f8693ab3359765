/* Downwatch: optional enhancements. Every page works without this file. */
(function () {
  'use strict';
  // 1. Times in the visitor's zone: tell the server through a cookie (reload once if it guessed wrong).
  try {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz && document.cookie.split('; ').indexOf('tz=' + tz) < 0) {
      document.cookie = 'tz=' + tz + '; path=/; max-age=31536000; samesite=lax';
      var stored = document.cookie.split('; ').indexOf('tz=' + tz) >= 0;
      if (stored && document.body.getAttribute('data-tz') !== tz && !sessionStorage.getItem('dw-tz')) {
        sessionStorage.setItem('dw-tz', '1');
        location.reload();
        return;
      }
    }
  } catch (e) { /* no cookies or no Intl: the server's guess stays */ }

  // 2. The charts refresh themselves every minute while the page is visible.
  var box = document.getElementById('chart');
  if (box && window.fetch && window.DOMParser) {
    setInterval(function () {
      if (document.hidden) { return; }
      Array.prototype.forEach.call(box.querySelectorAll('svg.chart'), function (old) {
        fetch(old.getAttribute('data-src'), { credentials: 'same-origin' })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (text) {
            if (!text) { return; }
            var svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
            if (svg && svg.nodeName === 'svg') { old.replaceWith(document.importNode(svg, true)); }
          })
          .catch(function () { /* offline for a moment: keep the chart we have */ });
      });
    }, 60000);
  }
})();

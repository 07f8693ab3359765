/* Downwatch: optional enhancements. Every page works without this file. */
(function () {
  'use strict';
  // 1. Times in the visitor's zone. The server writes every time in the page's zone (that of its language,
  //    <body data-tz>), inside <time datetime data-fmt> (and data-at on the chart's SVG text), so that the page
  //    is the same for everyone and may be cached by anyone; here they are written again in the browser's zone.
  var lang = document.documentElement.getAttribute('lang') === 'fr' ? 'fr' : 'en';
  var pageTz = document.body.getAttribute('data-tz');
  var tz = null;
  try { tz = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { /* no Intl: the page's zone stays */ }
  var fmts = {};
  function fmt(key, options) {
    if (!fmts[key]) { options.timeZone = tz; fmts[key] = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', options); }
    return fmts[key];
  }
  function part(d, key, options) { return fmt(key, options).format(d); }
  function hm(d) { return part(d, 'hm', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }); }
  function ymd(d) { return part(d, 'ymd', { year: 'numeric', month: '2-digit', day: '2-digit' }); }
  function year(d) { return part(d, 'y', { year: 'numeric' }); }
  function weekday(d) { return part(d, 'wd', { weekday: 'short' }); }
  function dayNum(d) { return part(d, 'dn', { day: 'numeric' }); }
  function month(d) { return part(d, 'mon', { month: 'short' }); }
  // as TemplateExtensions.when: "06:04" today, "Tue 24 Nov, 06:04" this year, "24 Nov 2025, 06:04" before
  function when(d) {
    var now = new Date();
    if (ymd(d) === ymd(now)) { return hm(d); }
    if (year(d) === year(now)) { return weekday(d) + ' ' + dayNum(d) + ' ' + month(d) + ', ' + hm(d); }
    return dayNum(d) + ' ' + month(d) + ' ' + year(d) + ', ' + hm(d);
  }
  // a tick of the 24-hour chart: the day at midnight, the hour otherwise
  function tick(d, narrow) {
    return hm(d) === '00:00' ? (narrow ? dayNum(d) : weekday(d) + ' ' + dayNum(d)) : hm(d);
  }
  function localize(root) {
    if (!tz || tz === pageTz) { return; }
    Array.prototype.forEach.call(root.querySelectorAll('time[data-fmt]'), function (el) {
      var d = new Date(el.getAttribute('datetime'));
      if (isNaN(d)) { return; }
      el.textContent = el.getAttribute('data-fmt') === 'when' ? when(d) : hm(d);
    });
    // the chart: ticks and its description carry their own data-fmt, the bars' titles their group's (with its bucket)
    Array.prototype.forEach.call(root.querySelectorAll('[data-at]:not([data-local])'), function (el) {
      var d = new Date(el.getAttribute('data-at'));
      var group = el.hasAttribute('data-fmt') ? el : el.closest && el.closest('[data-fmt]');
      if (isNaN(d) || !group) { return; }
      var f = group.getAttribute('data-fmt'), text = el.textContent;
      if (f === 'tick') {
        el.textContent = tick(d, el.hasAttribute('data-narrow'));
      } else if (el.hasAttribute('data-shown')) {
        // a sentence with one time in it (the chart's description)
        el.textContent = text.replace(el.getAttribute('data-shown'), when(d));
      } else {
        // a bar: "06:00–06:15: 12 reports" or "Tue 1 Dec, 06:00: 12 reports", the times before the first ": "
        var cut = text.indexOf(': ');
        if (cut < 0) { return; }
        var to = new Date(d.getTime() + 1000 * Number(group.getAttribute('data-bucket')));
        el.textContent = (f === 'span' && !isNaN(to) ? hm(d) + '–' + hm(to) : when(d)) + text.substring(cut);
      }
      el.setAttribute('data-local', '1');
    });
    Array.prototype.forEach.call(root.querySelectorAll('[data-zone]'), function (el) {
      el.textContent = el.textContent.replace(el.getAttribute('data-zone'), tz);
      el.setAttribute('data-zone', tz);
    });
  }
  try { localize(document); } catch (e) { /* the page's zone stays */ }

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
            if (svg && svg.nodeName === 'svg') {
              var fresh = document.importNode(svg, true);
              old.replaceWith(fresh);
              try { localize(fresh); } catch (e) { /* the page's zone stays */ }
            }
          })
          .catch(function () { /* offline for a moment: keep the chart we have */ });
      });
    }, 60000);
  }
})();

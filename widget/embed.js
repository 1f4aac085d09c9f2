/*
 * Portico widget loader. Resellers embed it with one tag:
 *   <script async src="https://PLATFORM/widget/v1/embed.js" data-key="pk_..."></script>
 * Optional: data-target="#element" (where to mount; default: right after the tag),
 *           data-lang="es" (default: the page's language).
 * It creates an iframe served by the platform, sizes it from the frame's messages and
 * re-dispatches the frame's events as `portico:*` DOM events on the mount element.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src) return;
  var platform = new URL(script.src).origin;
  var key = script.getAttribute('data-key');
  var say = function (text) { console.error('Portico widget: ' + text); };
  if (!key) return say('the script tag needs a data-key attribute with your publishable key.');

  var selector = script.getAttribute('data-target');
  var mount = selector ? document.querySelector(selector) : null;
  if (selector && !mount) say('no element matches data-target="' + selector + '"; the widget is placed after the script tag.');

  var lang = script.getAttribute('data-lang') || document.documentElement.lang || '';
  var frame = document.createElement('iframe');
  frame.src = platform + '/widget/v1/frame?key=' + encodeURIComponent(key) +
    '&origin=' + encodeURIComponent(location.origin) + (lang ? '&lang=' + encodeURIComponent(lang) : '');
  frame.title = 'Customer signup';
  frame.style.width = '100%';
  frame.style.minHeight = '24rem';
  // The frame's first paint is the whole Signup form, shown before the widget's code runs and
  // reports the real height: start about as tall as that form, so it is not cut off meanwhile.
  frame.style.height = '60rem';
  frame.style.border = '0';
  frame.style.display = 'block';
  frame.style.colorScheme = 'normal';

  if (mount) mount.appendChild(frame);
  else script.parentNode.insertBefore(frame, script.nextSibling);
  var target = mount || frame;

  // The frame reports its height as soon as it runs; silence means the browser refused to show it.
  var started = false;
  setTimeout(function () {
    if (!started) say('the widget did not start. If the console also shows a "frame-ancestors" refusal, add ' +
      location.origin + ' to the websites allowed for key ' + key + ' in the Portico portal.');
  }, 8000);

  window.addEventListener('message', function (event) {
    if (event.origin !== platform || event.source !== frame.contentWindow) return;
    started = true;
    var message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    if (message.type === 'portico:resize' && message.height > 0) {
      frame.style.height = Math.ceil(message.height) + 'px';
    } else if (message.type === 'portico:event' && /^[a-z_]+$/.test(message.name)) {
      target.dispatchEvent(new CustomEvent('portico:' + message.name, { bubbles: true, detail: message.detail }));
    }
  });
})();

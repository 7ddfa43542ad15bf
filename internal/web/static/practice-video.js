// Click-to-load videos on practice pages. Nothing is requested from the
// video site until the reader presses the button; without this script the
// page shows a plain link to the video.
(function () {
  'use strict';
  var buttons = document.querySelectorAll('button[data-embed]');
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener('click', function (e) {
      var b = e.currentTarget;
      var f = document.createElement('iframe');
      f.src = b.getAttribute('data-embed');
      f.title = b.getAttribute('data-title');
      f.allow = 'autoplay; fullscreen; picture-in-picture';
      f.setAttribute('allowfullscreen', '');
      f.referrerPolicy = 'strict-origin-when-cross-origin';
      var box = b.parentNode;
      box.replaceChildren(f);
      f.focus();
    });
  }
})();

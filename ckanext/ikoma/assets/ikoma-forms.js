// After a failed submit the error summary takes the focus, so that a keyboard or screen-reader
// user starts from the list of problems (each a link to its field) instead of the top of <body>.
this.ckan.module('ikoma-error-summary', function () {
  return {
    initialize: function () {
      this.el.trigger('focus');
      if (this.el[0].scrollIntoView) { this.el[0].scrollIntoView({block: 'start'}); }
      // a link moves the focus to its field, not only the view
      this.el.on('click', 'a[href^="#field-"]', function (event) {
        var field = document.getElementById(this.getAttribute('href').slice(1));
        if (field) { event.preventDefault(); field.focus(); }
      });
    }
  };
});

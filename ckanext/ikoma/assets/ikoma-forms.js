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

// CKAN 2.12's select2 widgets (tags, multiple choices) replace the labelled control with one that
// has no accessible name (axe aria-input-field-name): name it by its form group's label. Widgets
// are built by CKAN's modules, some after page load, hence the observer.
(function () {
  function nameSelect2Widgets() {
    document.querySelectorAll('.select2-selection').forEach(function (widget) {
      if (widget.hasAttribute('aria-label') || widget.hasAttribute('aria-labelledby')) { return; }
      var group = widget.closest('.form-group');
      var label = group && group.querySelector('label.form-label');
      if (!label) { return; }
      if (!label.id) { label.id = (label.getAttribute('for') || 'ikoma-field') + '-label'; }
      widget.setAttribute('aria-labelledby', label.id);
    });
  }
  jQuery(function () {
    nameSelect2Widgets();
    new MutationObserver(nameSelect2Widgets).observe(document.body, {childList: true, subtree: true});
  });
})();

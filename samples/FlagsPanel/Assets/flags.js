// Behaviour of the Flags panel. toolbar.js loads this once and calls the registered function each time
// the panel's HTML is shown; requests go through api.request, which adds the X-Toolbar-Request header.
(() => {
  'use strict';
  const toolbar = window[Symbol.for('toolbar')];
  if (!toolbar) return;

  toolbar.register('flags', (container, api) => {
    const root = container.querySelector('[data-flags-toggle-url]');
    if (!root) return;
    const notice = root.querySelector('.flags-notice');
    const reload = root.querySelector('.flags-reload');

    const say = (text, failed) => {
      if (!notice) return;
      notice.textContent = text;
      notice.classList.toggle('flags-failed', failed);
      notice.hidden = false;
      if (reload) reload.hidden = failed;
    };

    const post = async (url, body) => {
      const response = await api.request(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const result = response.status === 204 ? null : await response.json();
      if (!response.ok) throw new Error((result && result.error) || `HTTP ${response.status}`);
      return result;
    };

    for (const button of root.querySelectorAll('button[data-flag-name]')) {
      button.addEventListener('click', async () => {
        button.disabled = true;
        try {
          const result = await post(root.dataset.flagsToggleUrl, { name: button.dataset.flagName });
          const row = button.closest('tr');
          row.classList.toggle('flags-overridden', result.overridden);
          const cell = row.querySelector('.flags-browser');
          if (cell) cell.textContent = result.overridden ? `overridden: ${result.value ? 'on' : 'off'}` : 'as configured';
          button.textContent = result.value ? 'Turn off' : 'Turn on';
          say(`${result.name} is now ${result.value ? 'on' : 'off'} for this browser. Reload to see it.`, false);
        } catch (err) {
          say(`Could not toggle: ${err.message}`, true);
        } finally {
          button.disabled = false;
        }
      });
    }

    const reset = root.querySelector('.flags-reset');
    if (reset) {
      reset.addEventListener('click', async () => {
        try {
          await post(root.dataset.flagsResetUrl);
          for (const row of root.querySelectorAll('tr.flags-overridden')) row.classList.remove('flags-overridden');
          for (const cell of root.querySelectorAll('.flags-browser')) cell.textContent = 'as configured';
          say('Overrides cleared. Reload to see the configured values.', false);
        } catch (err) {
          say(`Could not reset: ${err.message}`, true);
        }
      });
    }

    if (reload) reload.addEventListener('click', () => window.location.reload());
  });
})();

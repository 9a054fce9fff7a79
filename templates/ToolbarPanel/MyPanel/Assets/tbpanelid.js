// Loaded once when the panel is first opened; the registered function runs each time its HTML is shown.
(() => {
  'use strict';
  const toolbar = window.__toolbar;
  if (!toolbar) return;
  toolbar.register('tbpanelid', (container, api) => {
    const root = container.querySelector('[data-tbpanelid-url]');
    const button = root && root.querySelector('.tbpanelid-ping');
    if (!button) return;
    button.addEventListener('click', async () => {
      const response = await api.request(root.getAttribute('data-tbpanelid-url'));
      const answer = root.querySelector('.tbpanelid-answer');
      answer.textContent = response.ok ? JSON.stringify(await response.json()) : `HTTP ${response.status}`;
    });
  });
})();

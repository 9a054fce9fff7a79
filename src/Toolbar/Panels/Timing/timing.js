// Timing panel: sends the page's Navigation Timing (measured by toolbar.js) to the server once,
// then reloads the panel so the figures show next to the server's spans.
(() => {
  'use strict';
  const toolbar = window[Symbol.for('toolbar')];
  if (!toolbar) return;
  const sent = new Set();

  toolbar.register('timing', (container, api) => {
    const root = container.querySelector('[data-timing-record]');
    if (!root || root.dataset.timingNav !== 'missing') return;
    const id = root.dataset.timingRecord;

    const send = timing => {
      // Only the page's own record has navigation figures; a fetch/XHR record shown in the panel has none.
      if (!timing || timing.requestId !== id || sent.has(id)) return;
      const figures = [timing.ttfbMs, timing.domContentLoadedMs, timing.loadMs];
      if (!figures.every(v => Number.isFinite(v) && v <= 600000)) return; // what the endpoint would refuse
      sent.add(id);
      api.request(`${api.prefix}/panels/timing/navigation`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          requestId: timing.requestId,
          ttfbMs: Math.max(0, timing.ttfbMs),
          domContentLoadedMs: timing.domContentLoadedMs > 0 ? timing.domContentLoadedMs : null,
          loadMs: timing.loadMs > 0 ? timing.loadMs : null,
        }),
      }).then(response => {
        if (response.ok && container.isConnected && api.recordId === id) api.reloadPanel();
      }).catch(() => { /* the figures are a bonus: never disturb the page */ });
    };

    if (api.navigationTiming) send(api.navigationTiming);
    else window.addEventListener('toolbar:navigation-timing', e => send(e.detail), { once: true });
  });
})();

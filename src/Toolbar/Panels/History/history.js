// History panel: lists stored requests (read from the panel's entries endpoint), filters them, switches the
// toolbar to one on click, and adds requests the page makes from script while it is open.
(() => {
  'use strict';
  let detach = null; // listener of the previously shown panel instance

  function init(container, api) {
    const root = container.querySelector('.tb-history');
    if (!root) return;
    if (detach) detach();

    const rows = root.querySelector('[data-history-rows]');
    const summary = root.querySelector('[data-history-summary]');
    const empty = root.querySelector('[data-history-empty]');
    const filters = {
      path: root.querySelector('[data-history-filter="path"]'),
      method: root.querySelector('[data-history-filter="method"]'),
      status: root.querySelector('[data-history-filter="status"]'),
      assets: root.querySelector('[data-history-filter="assets"]'),
    };
    // Scripts, styles, images and fonts the pages load are tracked too; they are hidden unless asked for.
    const assetType = /^(text\/css|(text|application)\/(x-)?javascript|image\/|font\/|application\/(font|wasm|manifest))/i;
    const assetPath = /\.(js|mjs|css|map|png|jpe?g|gif|svg|ico|webp|avif|woff2?|ttf|otf|eot|wasm|webmanifest)$/i;
    const isAsset = e => !e.pending && (assetType.test(e.contentType || '') || assetPath.test(e.path));
    let entries = [];
    let capacity = 0;
    let reloadTimer = 0;

    const el = window[Symbol.for('toolbar')].el;
    const formatMs = ms => (typeof ms !== 'number' ? '…' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);
    const formatTime = iso => { const d = iso ? new Date(iso) : null; return d && !isNaN(d) ? d.toLocaleTimeString() : ''; };

    async function load() {
      try {
        const response = await api.request(root.dataset.historyEntries, { headers: { Accept: 'application/json' } });
        const body = await response.json().catch(() => null);
        if (!response.ok) throw new Error(api.errorMessage(body, response));
        const pending = entries.filter(e => e.pending && !body.entries.some(b => b.id === e.id));
        entries = pending.concat(body.entries);
        capacity = body.capacity;
        render();
      } catch (err) {
        summary.replaceChildren(el('span', { class: 'tb-error', role: 'alert', text: `History unavailable: ${err.message}` }));
      }
    }

    function matches(entry) {
      if (!filters.assets.checked && isAsset(entry)) return false;
      const needle = filters.path.value.trim().toLowerCase();
      if (needle && !(entry.path + entry.queryString).toLowerCase().includes(needle)) return false;
      if (filters.method.value && entry.method !== filters.method.value) return false;
      if (filters.status.value && String(Math.floor(entry.statusCode / 100)) !== filters.status.value) return false;
      return true;
    }

    function row(entry) {
      // A failed gRPC call answers HTTP 200: its non-zero grpcStatus makes it an error row.
      const klass = entry.grpcStatus ? 5 : Math.floor(entry.statusCode / 100);
      const badges = entry.badges || {};
      const redirect = badges.history && klass === 3 ? badges.history : null;
      const title = Object.entries(badges).filter(([id]) => id !== 'history').map(([id, text]) => `${id}: ${text}`).join('\n');
      const tr = el('tr', {
        class: `tb-history-row${entry.pending ? ' tb-history-pending' : ''}`, tabindex: '0', 'data-tb-row': true,
        'data-history-id': entry.id, 'aria-current': String(entry.id === api.recordId), title: title || null,
      },
      el('td', { class: 'tb-history-time', text: formatTime(entry.startedAt) }),
      el('td', { class: 'tb-mono', text: entry.method }),
      el('td', { class: 'tb-history-path' }, document.createTextNode(entry.path + (entry.queryString || '')),
        redirect ? el('span', { class: 'tb-history-redirect', text: redirect }) : null),
      el('td', { class: `tb-history-s${klass}`, text: entry.grpcStatus != null ? `gRPC ${entry.grpcStatus}` : entry.statusCode ? String(entry.statusCode) : '…', title: entry.grpcMessage || null }),
      el('td', { class: 'tb-num', text: formatMs(entry.durationMs) }),
      el('td', { class: 'tb-num', text: badges.sql || '' }),
      el('td', {}, el('span', { class: entry.isAjax ? 'tb-badge' : 'tb-badge tb-history-page', text: entry.isAjax ? 'script' : 'page' })),
      el('td', {}, el('a', { class: 'tb-link', href: root.dataset.historyPageUrl + encodeURIComponent(entry.id), target: '_blank', rel: 'noopener', text: 'Open ↗', title: 'Open this request as a page' })));
      return tr;
    }

    function render() {
      const shown = entries.filter(matches);
      rows.replaceChildren(...shown.map(row));
      empty.hidden = shown.length > 0;
      const total = entries.length;
      const assets = filters.assets.checked ? 0 : entries.filter(isAsset).length;
      summary.textContent = total === 0
        ? 'No stored requests yet.'
        : `${shown.length === total ? total : `${shown.length} of ${total}`} request${total === 1 ? '' : 's'}`
          + `${assets ? ` (${assets} static file${assets === 1 ? '' : 's'} hidden)` : ''}; the store keeps the newest ${capacity}. Choose one to inspect it.`;
    }

    rows.addEventListener('click', e => {
      if (e.target.closest('a')) return; // the page link opens on its own
      const tr = e.target.closest('tr[data-history-id]');
      if (tr) api.switchTo(tr.dataset.historyId);
    });
    rows.addEventListener('keydown', e => {
      const tr = e.target.closest('tr[data-history-id]');
      if (tr && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); api.switchTo(tr.dataset.historyId); }
    });
    for (const input of Object.values(filters)) {
      input.addEventListener('input', render);
      input.addEventListener('change', render);
    }
    root.querySelector('[data-history-refresh]').addEventListener('click', load);
    root.querySelector('[data-history-clear]').addEventListener('click', async () => {
      const response = await api.request(root.dataset.historyClearUrl, { method: 'POST' });
      if (response.ok) { entries = []; render(); } else summary.textContent = `Could not clear the history (HTTP ${response.status}).`;
    });

    // Requests the page makes from script show up at once, then the stored facts (time, SQL) replace them.
    function onRequest(event) {
      if (!root.isConnected) { detach(); return; }
      const d = event.detail || {};
      if (!d.id || entries.some(e => e.id === d.id)) return;
      const url = String(d.url || '');
      const q = url.indexOf('?');
      entries.unshift({
        id: d.id, method: String(d.method || 'GET').toUpperCase(), path: q < 0 ? url : url.slice(0, q), queryString: q < 0 ? '' : url.slice(q),
        statusCode: d.status || 0, durationMs: null, startedAt: new Date().toISOString(), isAjax: true, badges: {}, pending: true,
      });
      render();
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(load, 300);
    }
    window.addEventListener('toolbar:request', onRequest);
    detach = () => { window.removeEventListener('toolbar:request', onRequest); clearTimeout(reloadTimer); detach = null; };

    load();
  }

  window[Symbol.for('toolbar')].register('history', init);
})();

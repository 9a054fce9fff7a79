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
    const compareButton = root.querySelector('[data-history-compare]');
    const compareResult = root.querySelector('[data-history-compare-result]');
    const selected = []; // ids ticked for comparison, oldest tick first; at most two
    let entries = [];
    let capacity = 0;
    let dropped = 0;
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
        dropped = body.droppedRecords || 0;
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
      const pick = el('input', {
        type: 'checkbox', 'data-history-pick': entry.id, checked: selected.includes(entry.id),
        'aria-label': `Compare ${entry.method} ${entry.path}${entry.queryString || ''}`, disabled: entry.pending || null,
      });
      const tr = el('tr', {
        class: `tb-history-row${entry.pending ? ' tb-history-pending' : ''}`, tabindex: '0', 'data-tb-row': true,
        'data-history-id': entry.id, 'aria-current': String(entry.id === api.recordId), title: title || null,
      },
      el('td', {}, pick),
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
      if (dropped > 0) {
        summary.append(' ', el('span', { class: 'tb-warning', 'data-history-dropped': String(dropped),
          text: `${dropped} request${dropped === 1 ? ' was' : 's were'} not recorded: the store was slower than the app or unavailable.` }));
      }
    }

    // Compare: tick two rows, then "Compare selected" shows their differences side by side (older one first).
    rows.addEventListener('change', e => {
      const id = e.target.dataset && e.target.dataset.historyPick;
      if (!id) return;
      const at = selected.indexOf(id);
      if (e.target.checked && at < 0) selected.push(id);
      if (!e.target.checked && at >= 0) selected.splice(at, 1);
      if (selected.length > 2) {
        const dropped = selected.shift();
        const box = rows.querySelector(`[data-history-pick="${CSS.escape(dropped)}"]`);
        if (box) box.checked = false;
      }
      compareButton.disabled = selected.length !== 2;
    });
    compareButton.addEventListener('click', async () => {
      if (selected.length !== 2) return;
      const byTime = selected.map(id => entries.find(x => x.id === id) || { id, startedAt: '' })
        .sort((x, y) => String(x.startedAt).localeCompare(String(y.startedAt)));
      const url = `${root.dataset.historyCompareUrl}?a=${encodeURIComponent(byTime[0].id)}&b=${encodeURIComponent(byTime[1].id)}`;
      compareResult.hidden = false;
      compareResult.replaceChildren(el('p', { text: 'Comparing…' }));
      try {
        const response = await api.request(url, { headers: { Accept: 'application/json' } });
        const body = await response.json().catch(() => null);
        if (!response.ok) throw new Error((body && (body.detail || body.title)) || api.errorMessage(body, response));
        showComparison(body);
      } catch (err) {
        compareResult.replaceChildren(el('p', { class: 'tb-error', role: 'alert', text: `Comparison failed: ${err.message}` }));
      }
      compareResult.focus();
    });

    const fmtBytes = n => (Math.abs(n) >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : Math.abs(n) >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`);
    const fmtCount = n => String(n);
    const signed = (n, fmt) => (n > 0 ? `+${fmt(n)}` : n < 0 ? `−${fmt(-n)}` : '±0');
    // Lower is better for every figure compared here (time, queries, bytes, log and exception counts).
    const deltaCell = (f, fmt) => el('td', { class: `tb-num${f.delta < 0 ? ' tb-history-better' : f.delta > 0 ? ' tb-history-worse' : ''}`, text: signed(f.delta, fmt) });
    const figureRow = (label, f, fmt, key) => (f ? el('tr', { 'data-compare-row': key },
      el('th', { scope: 'row', text: label }), el('td', { class: 'tb-num', text: fmt(f.a) }), el('td', { class: 'tb-num', text: fmt(f.b) }), deltaCell(f, fmt)) : null);
    const list = (title, items, key, text) => (items && items.length ? el('div', { 'data-compare-list': key },
      el('h4', { text: `${title} (${items.length})` }), el('ul', {}, ...items.map(i => el('li', { text: text(i) })))) : null);

    function showComparison(c) {
      const p = c.panels || {};
      const sql = p.sql, timing = p.timing, memory = p.memory, logs = p.logs, exceptions = p.exceptions;
      const label = r => `${r.method} ${r.path}${r.queryString || ''}`;
      const table = el('table', { class: 'tb-table tb-history-compare-table' },
        el('caption', { class: 'tb-sr-only', text: 'Figures of both requests and their difference' }),
        el('thead', {}, el('tr', {}, el('th', { text: '' }), el('th', { scope: 'col', text: `A: ${label(c.a)}` }), el('th', { scope: 'col', text: `B: ${label(c.b)}` }), el('th', { scope: 'col', class: 'tb-num', text: 'B − A' }))),
        el('tbody', {},
          el('tr', { 'data-compare-row': 'status' }, el('th', { scope: 'row', text: 'Status' }), el('td', { text: String(c.statusCode.a) }), el('td', { text: String(c.statusCode.b) }), el('td', {})),
          figureRow('Duration', c.durationMs, formatMs, 'duration'),
          sql ? figureRow('SQL queries', sql.count, fmtCount, 'sql-count') : null,
          sql ? figureRow('SQL time', sql.durationMs, formatMs, 'sql-time') : null,
          memory ? figureRow('Allocated', memory.allocatedBytes, fmtBytes, 'allocated') : null,
          logs ? figureRow('Log records', logs.total, fmtCount, 'logs') : null,
          exceptions ? figureRow('Exceptions', exceptions.total, fmtCount, 'exceptions') : null));
      const stmt = s => `${s.count.a} → ${s.count.b}×  ${s.sql}`;
      const spans = timing ? timing.spans.filter(s => s.durationMs.delta !== 0 || s.count.delta !== 0)
        .sort((x, y) => Math.abs(y.durationMs.delta) - Math.abs(x.durationMs.delta)).slice(0, 15) : [];
      compareResult.replaceChildren(...[
        el('div', { class: 'tb-history-compare-head' },
          el('strong', { text: 'Comparison' }),
          el('button', { type: 'button', class: 'tb-button', 'data-history-compare-close': true, text: 'Close comparison' })),
        el('div', { class: 'tb-scroll' }, table),
        sql ? list('N+1 gone', sql.nPlusOne.gone, 'nplusone-gone', g => `${g.count}×  ${g.sql}`) : null,
        sql ? list('N+1 appeared', sql.nPlusOne.appeared, 'nplusone-appeared', g => `${g.count}×  ${g.sql}`) : null,
        sql ? list('Statements removed', sql.statements.removed, 'removed', stmt) : null,
        sql ? list('Statements added', sql.statements.added, 'added', stmt) : null,
        sql ? list('Statements run a different number of times', sql.statements.changed, 'changed', stmt) : null,
        list('Spans that changed most', spans, 'spans', s => `${s.name}: ${formatMs(s.durationMs.a)} → ${formatMs(s.durationMs.b)} (${signed(s.durationMs.delta, formatMs)})`),
      ].filter(Boolean)); // replaceChildren would write a null as the text "null"
      compareResult.querySelector('[data-history-compare-close]').addEventListener('click', () => {
        compareResult.hidden = true;
        compareResult.replaceChildren();
        compareButton.focus();
      });
    }

    rows.addEventListener('click', e => {
      if (e.target.closest('a, input')) return; // the page link opens on its own; a tick only selects
      const tr = e.target.closest('tr[data-history-id]');
      if (tr) api.switchTo(tr.dataset.historyId);
    });
    rows.addEventListener('keydown', e => {
      if (e.target.closest('a, input')) return;
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

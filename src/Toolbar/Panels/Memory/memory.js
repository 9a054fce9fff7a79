// Memory panel: takes heap snapshots (with a progress indicator), deletes them, and shows the diff of two.
// Text is only ever set through textContent: type names come from the app's heap.
(() => {
  'use strict';
  const toolbar = window[Symbol.for('toolbar')];
  if (!toolbar) return;

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  function formatBytes(bytes) {
    const sign = bytes < 0 ? '-' : '';
    let value = Math.abs(bytes);
    if (value < 1024) return `${sign}${value} B`;
    const units = ['KB', 'MB', 'GB', 'TB'];
    let unit = -1;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    return `${sign}${value.toFixed(1)} ${units[unit]}`;
  }

  const signed = (text, n) => (n > 0 ? '+' : '') + text;
  const number = n => n.toLocaleString('en-US');

  async function readError(response) {
    return toolbar.errorMessage(await response.json().catch(() => null), response);
  }

  toolbar.register('memory', (container, api) => {
    const section = container.querySelector('[data-memory-url]');
    if (!section) return;
    const base = section.dataset.memoryUrl;
    const takeButton = section.querySelector('[data-memory-take]');
    const progress = section.querySelector('[data-memory-progress]');
    const errorBox = section.querySelector('[data-memory-error]');

    const showError = message => {
      errorBox.textContent = message;
      errorBox.hidden = !message;
    };

    async function poll(state) {
      while (state.running) {
        try {
          const response = await api.request(`${base}/snapshots/progress`);
          if (response.ok) {
            const p = await response.json();
            if (state.running && p.running) {
              progress.textContent = `Snapshot running: ${p.phase}, ${number(p.objects)} objects, ${(p.elapsedMs / 1000).toFixed(1)} s`;
            }
          }
        } catch { /* the POST reports the outcome */ }
        await new Promise(resolve => setTimeout(resolve, 250));
      }
    }

    takeButton.addEventListener('click', async () => {
      showError('');
      takeButton.disabled = true;
      section.setAttribute('aria-busy', 'true');
      progress.hidden = false;
      progress.textContent = 'Snapshot running…';
      const state = { running: true };
      poll(state);
      try {
        const response = await api.request(`${base}/snapshots`, { method: 'POST' });
        state.running = false;
        if (!response.ok) {
          showError(`Snapshot failed: ${await readError(response)}`);
          return;
        }
        const snapshot = await response.json();
        progress.textContent = `Snapshot #${snapshot.id}: ${number(snapshot.objectCount)} objects in ${snapshot.durationMs} ms (app paused ${snapshot.pauseMs} ms)`;
        // Screen readers hear that the snapshot is done (politely: the reload below replaces the panel).
        if (typeof api.announce === 'function') api.announce(`Heap snapshot ${snapshot.id} finished: ${number(snapshot.objectCount)} objects.`);
        api.reloadPanel();
      } catch (err) {
        showError(`Snapshot failed: ${err.message}`);
      } finally {
        state.running = false;
        takeButton.disabled = false;
        section.removeAttribute('aria-busy');
      }
    });

    for (const button of section.querySelectorAll('[data-memory-delete]')) {
      button.addEventListener('click', async () => {
        const response = await api.request(`${base}/snapshots/${encodeURIComponent(button.dataset.memoryDelete)}`, { method: 'DELETE' });
        if (response.ok || response.status === 404) api.reloadPanel();
        else showError(`Delete failed: ${await readError(response)}`);
      });
    }

    for (const button of section.querySelectorAll('[data-memory-show]')) {
      button.addEventListener('click', async () => {
        showError('');
        const response = await api.request(`${base}/snapshots/${encodeURIComponent(button.dataset.memoryShow)}`);
        if (!response.ok) {
          showError(`Could not load the snapshot: ${await readError(response)}`);
          return;
        }
        renderTypes(section, await response.json(), api);
      });
    }

    const hideOwn = section.querySelector('[data-memory-hide-own]');
    if (hideOwn) {
      hideOwn.addEventListener('change', () => section.classList.toggle('tb-memory-hiding-own', hideOwn.checked));
    }

    const compare = section.querySelector('[data-memory-compare]');
    if (compare) {
      const from = section.querySelector('[data-memory-from]');
      const to = section.querySelector('[data-memory-to]');
      const target = section.querySelector('[data-memory-diff]');
      const includeToolbar = section.querySelector('[data-memory-include-toolbar]');
      compare.addEventListener('click', async () => {
        showError('');
        const own = includeToolbar && includeToolbar.checked ? '?includeToolbar=true' : '';
        const response = await api.request(`${base}/snapshots/${encodeURIComponent(from.value)}/diff/${encodeURIComponent(to.value)}${own}`);
        if (!response.ok) {
          showError(`Compare failed: ${await readError(response)}`);
          return;
        }
        renderDiff(target, await response.json(), api);
      });
    }
  });

  /** Replaces the per-type table with another stored snapshot's (same markup as the server renders). */
  function renderTypes(section, snapshot, api) {
    const title = section.querySelector('[data-memory-title]');
    const body = section.querySelector('#tb-memory-types tbody');
    if (!title || !body) return;
    title.textContent = `Snapshot #${snapshot.id} by type`;
    const max = Math.max(1, ...snapshot.types.map(t => t.bytes));
    const rows = snapshot.types.slice(0, 500).map(t => {
      const row = el('tr', t.toolbar ? 'tb-memory-own' : '');
      row.dataset.tbRow = '';
      const name = el('td', 'tb-mono tb-memory-type', t.type);
      name.title = `type id ${t.typeId}`;
      if (t.toolbar) { name.append(' '); name.append(el('span', 'tb-badge', 'toolbar')); }
      const track = el('div', 'tb-track');
      const bar = el('div', t.toolbar ? 'tb-bar tb-bar-muted' : 'tb-bar');
      bar.dataset.tbWidth = String(100 * t.bytes / max);
      track.append(bar);
      const cell = el('td');
      cell.append(track);
      row.append(name, el('td', 'tb-num', number(t.count)), el('td', 'tb-num', formatBytes(t.bytes)), cell);
      return row;
    });
    body.replaceChildren(...rows);
    api.enhance(body);
    const filter = section.querySelector('input[data-tb-filter="#tb-memory-types"]');
    if (filter) filter.dispatchEvent(new Event('input'));
  }

  function renderDiff(target, diff, api) {
    const growing = diff.types.filter(t => t.bytesDelta > 0 || t.countDelta > 0).length;
    const summary = el('p', 'tb-memory-note',
      `#${diff.from.id} → #${diff.to.id}: ${signed(number(diff.countDelta), diff.countDelta)} objects, ` +
      `${signed(formatBytes(diff.bytesDelta), diff.bytesDelta)}; ${number(diff.types.length)} types changed, ${number(growing)} grew.`);
    const filter = el('input', 'tb-input');
    filter.type = 'search';
    filter.placeholder = 'Filter types…';
    filter.setAttribute('aria-label', 'Filter changed types');
    filter.dataset.tbFilter = '#tb-memory-diff-table';

    const table = el('table', 'tb-table');
    table.id = 'tb-memory-diff-table';
    const head = el('thead');
    const headRow = el('tr');
    for (const [text, cls] of [['Type', ''], ['Objects Δ', 'tb-num'], ['Bytes Δ', 'tb-num'], ['Objects before → after', 'tb-num'], ['Growth', 'tb-memory-bar-col']]) {
      headRow.append(el('th', cls, text));
    }
    head.append(headRow);
    const body = el('tbody');
    const max = Math.max(1, ...diff.types.map(t => Math.abs(t.bytesDelta)));
    for (const t of diff.types.slice(0, 500)) {
      const row = el('tr', (t.bytesDelta > 0 || t.countDelta > 0 ? 'tb-row-warn' : 'tb-memory-shrink') + (t.toolbar ? ' tb-memory-own' : ''));
      row.dataset.tbRow = '';
      row.dataset.memoryType = t.type;
      const name = el('td', 'tb-mono tb-memory-type', t.type);
      name.title = `type id ${t.typeId}`;
      if (t.toolbar) { name.append(' '); name.append(el('span', 'tb-badge', 'toolbar')); }
      row.append(name,
        el('td', 'tb-num', signed(number(t.countDelta), t.countDelta)),
        el('td', 'tb-num', signed(formatBytes(t.bytesDelta), t.bytesDelta)),
        el('td', 'tb-num', `${number(t.countBefore)} → ${number(t.countAfter)}`));
      const track = el('div', 'tb-track');
      const bar = el('div', t.bytesDelta > 0 ? 'tb-bar tb-bar-warn' : 'tb-bar tb-bar-muted');
      bar.dataset.tbWidth = String(100 * Math.abs(t.bytesDelta) / max);
      track.append(bar);
      const cell = el('td');
      cell.append(track);
      row.append(cell);
      body.append(row);
    }
    table.append(head, body);
    const parts = [summary];
    if (diff.types.length === 0) parts.push(el('p', 'tb-empty', 'No type changed between these snapshots.'));
    else parts.push(filter, table);
    target.replaceChildren(...parts);
    api.enhance(target);
  }
})();

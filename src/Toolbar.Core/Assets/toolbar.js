// Toolbar UI. Runs in an open shadow root, so the page's CSS cannot reach it and ours cannot leak.
// No inline script or style is ever created (pages with a strict CSP keep working); dynamic text
// goes through textContent, and panel HTML comes only from our own server, rendered by Razor.
(() => {
  'use strict';
  const host = document.getElementById('toolbar-root');
  if (!host || host.shadowRoot || window.__toolbar) return;

  const prefix = host.dataset.toolbarPrefix || '/_toolbar';
  const pageMode = host.dataset.toolbarMode === 'page';
  const storageKey = 'toolbar.state';
  const pageId = host.dataset.toolbarId;
  const panelInits = new Map();
  const loadedAssets = new Set();
  const history = []; // records seen by this page: the page itself, then fetch/XHR calls
  let current = null; // nav model of the record shown
  let openPanelId = null;

  const api = {
    prefix,
    get recordId() { return current && current.id; },
    /** Panel scripts call this once; init(container, api) runs each time the panel's HTML is shown. */
    register(panelId, init) {
      panelInits.set(panelId, init);
      const body = shadow.querySelector(`[data-panel-content="${CSS.escape(panelId)}"]`);
      if (body) safely(() => init(body, api));
    },
    /** fetch() for toolbar endpoints: same origin, and the header state-changing endpoints require. */
    request(url, options = {}) {
      const headers = new Headers(options.headers || {});
      headers.set('X-Toolbar-Request', '1');
      return nativeFetch(url, { credentials: 'same-origin', ...options, headers });
    },
    switchTo(id) { return showRecord(id); },
    reloadPanel() { if (openPanelId) openPanel(openPanelId); },
    enhance(root) { enhance(root); },
  };
  window.__toolbar = api;

  const shadow = host.attachShadow({ mode: 'open' });
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  };
  /** el(tag, {class, text, ...attributes}, ...children): builds DOM without HTML strings; panel scripts use it too. */
  api.el = el;

  const style = el('link', { rel: 'stylesheet', href: `${prefix}/assets/toolbar.css` });
  const handle = el('button', { type: 'button', class: 'tb-handle', 'data-toolbar-handle': true, 'aria-expanded': 'false', title: 'Debug toolbar (Esc closes)' },
    el('span', { class: 'tb-logo', text: 'TB' }),
    el('span', { class: 'tb-handle-status', text: '…' }),
    el('span', { class: 'tb-handle-time', text: '' }),
    el('span', { class: 'tb-handle-ajax', hidden: true, title: 'Requests made by this page' }));
  const navList = el('ul', { class: 'tb-nav-list', role: 'tablist', 'aria-label': 'Toolbar panels' });
  const recordSelect = el('select', { class: 'tb-record-select', 'aria-label': 'Request shown', hidden: true });
  const summary = el('div', { class: 'tb-summary' });
  const hideButton = el('button', { type: 'button', class: 'tb-icon-button', title: 'Hide toolbar (Esc)', text: '»' });
  const nav = el('nav', { class: 'tb-nav' },
    el('div', { class: 'tb-nav-head' }, el('span', { class: 'tb-brand', text: 'Toolbar' }), hideButton),
    summary, recordSelect, navList,
    el('div', { class: 'tb-nav-foot' }, el('a', { class: 'tb-link', target: '_blank', rel: 'noopener', text: 'Open as page ↗' })));
  const contentTitle = el('h2', { class: 'tb-content-title' });
  const closeButton = el('button', { type: 'button', class: 'tb-icon-button', title: 'Close panel (Esc)', text: '×' });
  const contentBody = el('div', { class: 'tb-content-body' });
  const content = el('section', { class: 'tb-content', hidden: true, role: 'tabpanel' },
    el('header', { class: 'tb-content-head' }, contentTitle, closeButton), contentBody);
  const drawer = el('div', { class: 'tb-drawer', hidden: true }, content, nav);
  const rootEl = el('div', { class: pageMode ? 'tb tb-page' : 'tb' }, handle, drawer);
  shadow.append(style, rootEl);

  function safely(fn) {
    try { return fn(); } catch (err) { showError(`A panel script failed: ${err && err.message ? err.message : err}`); }
  }

  function showError(message) {
    const box = el('div', { class: 'tb-error', role: 'alert', text: message });
    contentBody.prepend(box);
  }

  function setExpanded(expanded) {
    drawer.hidden = !expanded;
    handle.setAttribute('aria-expanded', String(expanded));
    rootEl.classList.toggle('tb-expanded', expanded);
    if (!pageMode) {
      try { localStorage.setItem(storageKey, expanded ? 'expanded' : 'collapsed'); } catch { /* storage may be off */ }
    }
    if (!expanded) closePanel();
  }

  function closePanel() {
    content.hidden = true;
    openPanelId = null;
    contentBody.replaceChildren();
    for (const b of navList.querySelectorAll('button[data-panel]')) b.setAttribute('aria-selected', 'false');
  }

  const formatMs = ms => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);

  async function getJson(url, tries = 6) {
    for (let attempt = 0; ; attempt++) {
      const response = await nativeFetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      // The record is stored before the page ends, but a script-completed response can race us: retry briefly.
      if (response.status === 404 && attempt < tries) { await new Promise(r => setTimeout(r, 100 * (attempt + 1))); continue; }
      if (!response.ok) {
        // The server explains (e.g. 503: the record store is unavailable): show its words, not just a code.
        const body = await response.json().catch(() => null);
        throw new Error((body && body.error) || `HTTP ${response.status}`);
      }
      return response.json();
    }
  }

  async function showRecord(id) {
    let model;
    try {
      model = await getJson(`${prefix}/api/requests/${encodeURIComponent(id)}/toolbar`);
    } catch (err) {
      if (id === pageId || !current) {
        handle.querySelector('.tb-handle-status').textContent = 'n/a';
        handle.title = `Toolbar data unavailable: ${err.message}`;
      }
      summary.replaceChildren(el('div', { class: 'tb-error', role: 'alert', 'data-toolbar-unavailable': true, text: `Toolbar data unavailable: ${err.message}` }));
      if (!current) navList.replaceChildren();
      return;
    }
    const reopen = openPanelId;
    current = model;
    renderNav();
    if (id === pageId) renderHandle(model);
    if (reopen && model.panels.some(p => p.id === reopen)) openPanel(reopen);
    else closePanel();
  }

  // gRPC answers HTTP 200 for failed calls: a non-zero grpcStatus is the outcome that counts.
  const grpcNames = ['OK', 'Cancelled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists',
    'PermissionDenied', 'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal',
    'Unavailable', 'DataLoss', 'Unauthenticated'];
  function statusText(model) {
    if (model.grpcStatus == null) return String(model.statusCode);
    return `gRPC ${grpcNames[model.grpcStatus] || model.grpcStatus}`;
  }
  function statusClass(model) {
    return model.grpcStatus ? 'tb-status-5xx' : `tb-status-${Math.floor(model.statusCode / 100)}xx`;
  }

  function renderHandle(model) {
    const status = handle.querySelector('.tb-handle-status');
    status.textContent = statusText(model);
    status.title = model.grpcMessage || '';
    status.className = `tb-handle-status ${statusClass(model)}`;
    handle.querySelector('.tb-handle-time').textContent = formatMs(model.durationMs);
    const failing = model.panels.some(p => p.status === 'error');
    handle.classList.toggle('tb-has-error', failing);
  }

  function renderNav() {
    const model = current;
    summary.replaceChildren(
      el('span', { class: 'tb-method', text: model.method }),
      el('span', { class: 'tb-path', title: model.path + model.queryString, text: model.path + model.queryString }),
      el('span', { class: `tb-status ${statusClass(model)}`, title: model.grpcMessage || '', text: statusText(model) }),
      el('span', { class: 'tb-time', text: formatMs(model.durationMs) }));
    nav.querySelector('.tb-link').href = `${prefix}/requests/${encodeURIComponent(model.id)}`;
    navList.replaceChildren(...model.panels.map(p => el('li', {},
      el('button', {
        type: 'button', role: 'tab', 'data-panel': p.id, 'aria-selected': String(p.id === openPanelId),
        class: `tb-nav-item tb-nav-${p.status}${p.hasData ? '' : ' tb-nav-empty'}`,
      }, el('span', { class: 'tb-nav-title', text: p.navTitle }), p.subtitle ? el('span', { class: 'tb-nav-subtitle', text: p.subtitle }) : null))));
    renderRecordSelect();
  }

  function renderRecordSelect() {
    // A record chosen elsewhere (e.g. the history panel) that this page did not make is listed too.
    const shown = current && !history.some(h => h.id === current.id)
      ? history.concat([{ id: current.id, method: current.method, url: current.path + current.queryString, status: current.statusCode, kind: 'stored' }])
      : history;
    recordSelect.hidden = shown.length < 2;
    recordSelect.replaceChildren(...shown.map(h => el('option', {
      value: h.id, selected: current && h.id === current.id,
      text: `${h.kind === 'page' ? 'Page' : h.kind.toUpperCase()} · ${h.method} ${h.url}${h.status ? ` · ${h.status}` : ''}`,
    })));
    const ajax = handle.querySelector('.tb-handle-ajax');
    const count = history.length - 1;
    ajax.hidden = count < 1;
    ajax.textContent = `+${count}`;
  }

  async function openPanel(panelId) {
    const panel = current && current.panels.find(p => p.id === panelId);
    if (!panel) return;
    openPanelId = panelId;
    for (const b of navList.querySelectorAll('button[data-panel]')) b.setAttribute('aria-selected', String(b.dataset.panel === panelId));
    contentTitle.textContent = panel.title;
    content.hidden = false;
    const body = el('div', { class: 'tb-panel', 'data-panel-content': panelId, 'aria-busy': 'true' }, el('p', { class: 'tb-loading', text: 'Loading…' }));
    contentBody.replaceChildren(body);
    for (const href of panel.styles) loadStyle(href);
    const recordId = current.id;
    try {
      const response = await nativeFetch(`${prefix}/requests/${encodeURIComponent(recordId)}/panels/${encodeURIComponent(panelId)}`, { credentials: 'same-origin' });
      const html = await response.text();
      if (openPanelId !== panelId || current.id !== recordId) return; // the user moved on meanwhile
      body.innerHTML = html; // our server's Razor output: values are HTML-encoded there
    } catch (err) {
      body.replaceChildren(el('div', { class: 'tb-error', text: `Could not load the panel: ${err.message}` }));
    }
    body.removeAttribute('aria-busy');
    enhance(body);
    for (const src of panel.scripts) loadScript(src);
    const init = panelInits.get(panelId);
    if (init) safely(() => init(body, api));
  }

  function loadStyle(href) {
    if (loadedAssets.has(href)) return;
    loadedAssets.add(href);
    shadow.insertBefore(el('link', { rel: 'stylesheet', href }), rootEl);
  }

  function loadScript(src) {
    if (loadedAssets.has(src)) return;
    loadedAssets.add(src);
    document.head.append(el('script', { src, defer: true }));
  }

  /** Generic behaviours panel HTML can use without script of its own (and without inline styles). */
  function enhance(root) {
    for (const bar of root.querySelectorAll('[data-tb-left], [data-tb-width]')) {
      const left = parseFloat(bar.dataset.tbLeft || '0');
      const width = parseFloat(bar.dataset.tbWidth || '0');
      if (Number.isFinite(left)) bar.style.left = `${Math.min(100, Math.max(0, left))}%`;
      if (Number.isFinite(width)) bar.style.width = `${Math.min(100, Math.max(0.2, width))}%`;
    }
    for (const node of root.querySelectorAll('[data-tb-indent]')) {
      const depth = parseInt(node.dataset.tbIndent, 10);
      if (Number.isFinite(depth)) node.style.paddingLeft = `${Math.min(depth, 30) * 14 + 4}px`;
    }
    for (const input of root.querySelectorAll('input[data-tb-filter]')) {
      const target = root.querySelector(input.dataset.tbFilter);
      if (!target) continue;
      input.addEventListener('input', () => {
        const needle = input.value.trim().toLowerCase();
        for (const row of target.querySelectorAll('[data-tb-row]')) {
          row.hidden = needle !== '' && !row.textContent.toLowerCase().includes(needle);
        }
      });
    }
    for (const toggle of root.querySelectorAll('[data-tb-toggle]')) {
      toggle.addEventListener('click', () => {
        const target = root.querySelector(toggle.dataset.tbToggle);
        if (!target) return;
        target.hidden = !target.hidden;
        toggle.setAttribute('aria-expanded', String(!target.hidden));
      });
    }
  }

  handle.addEventListener('click', () => setExpanded(drawer.hidden));
  hideButton.addEventListener('click', () => setExpanded(false));
  closeButton.addEventListener('click', closePanel);
  navList.addEventListener('click', e => {
    const button = e.target.closest('button[data-panel]');
    if (!button) return;
    if (openPanelId === button.dataset.panel) closePanel();
    else openPanel(button.dataset.panel);
  });
  recordSelect.addEventListener('change', () => showRecord(recordSelect.value));
  document.addEventListener('keydown', e => {
    if (e.key !== 'Escape' || drawer.hidden || pageMode) return;
    if (!content.hidden) closePanel(); else setExpanded(false);
  });

  // Requests the page makes from script carry X-Toolbar-Id: list them so they can be inspected too.
  const nativeFetch = window.fetch.bind(window);
  function noteRequest(id, method, url, status, kind) {
    if (!id || !/^[0-9a-f]{32}$/.test(id) || history.some(h => h.id === id)) return;
    let path = url;
    try { const u = new URL(url, location.href); path = u.origin === location.origin ? u.pathname + u.search : u.href; } catch { /* keep as is */ }
    history.push({ id, method: (method || 'GET').toUpperCase(), url: path, status, kind });
    if (history.length > 50) history.splice(1, 1);
    renderRecordSelect();
    window.dispatchEvent(new CustomEvent('toolbar:request', { detail: { id, method, url: path, status, kind } }));
  }
  api.history = history;
  window.fetch = async function (input, init) {
    const response = await nativeFetch(input, init);
    try {
      const url = typeof input === 'string' ? input : (input && input.url) || String(input);
      if (!url.includes(`${prefix}/`)) {
        noteRequest(response.headers.get('X-Toolbar-Id'), (init && init.method) || (input && input.method), url, response.status, 'fetch');
      }
    } catch { /* never disturb the page's own fetch */ }
    return response;
  };
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.addEventListener('loadend', () => {
      try { noteRequest(this.getResponseHeader('X-Toolbar-Id'), method, String(url), this.status, 'xhr'); } catch { /* ignore */ }
    });
    return open.call(this, method, url, ...rest);
  };

  // Navigation Timing from the browser, for panels that show it next to the server's spans.
  function reportNavigationTiming() {
    const entry = performance.getEntriesByType && performance.getEntriesByType('navigation')[0];
    if (!entry || pageMode) return;
    const body = JSON.stringify({
      requestId: pageId,
      ttfbMs: entry.responseStart - entry.startTime,
      domContentLoadedMs: entry.domContentLoadedEventEnd - entry.startTime,
      loadMs: entry.loadEventEnd - entry.startTime,
    });
    window.dispatchEvent(new CustomEvent('toolbar:navigation-timing', { detail: JSON.parse(body) }));
    api.navigationTiming = JSON.parse(body);
  }
  if (document.readyState === 'complete') setTimeout(reportNavigationTiming, 0);
  else window.addEventListener('load', () => setTimeout(reportNavigationTiming, 0));

  // Pages that swap their DOM without a reload (Blazor's enhanced navigation, Turbo, htmx) replace or drop our
  // host element, and this script does not run again: put our host back (its state intact) and show the new
  // page's record when the swapped-in markup carried one.
  new MutationObserver(() => {
    if (host.isConnected) return;
    const fresh = document.getElementById('toolbar-root');
    const freshId = fresh && fresh.dataset.toolbarId;
    if (fresh) fresh.replaceWith(host);
    else if (document.body) document.body.append(host);
    if (freshId && /^[0-9a-f]{32}$/.test(freshId) && freshId !== (current && current.id)) {
      noteRequest(freshId, 'GET', location.href, 0, 'page');
      showRecord(freshId);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });

  history.push({ id: pageId, method: 'GET', url: location.pathname + location.search, status: 0, kind: 'page' });
  let startExpanded = pageMode;
  try { startExpanded = startExpanded || localStorage.getItem(storageKey) === 'expanded'; } catch { /* ignore */ }
  // The server asks for a panel to be open on arrival (the developer exception page opens on the exceptions panel).
  const openOnArrival = host.dataset.toolbarOpen;
  setExpanded(startExpanded || !!openOnArrival);
  if (openOnArrival) openPanelId = openOnArrival;
  showRecord(pageId);
})();

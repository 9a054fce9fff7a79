// The import page: posts the chosen exported record and opens the toolbar's full-page view of the new record.
(() => {
  'use strict';
  const form = document.getElementById('toolbar-import');
  const status = document.getElementById('toolbar-import-status');
  if (!form || !status) return;
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const file = form.elements.file.files[0];
    if (!file) { status.textContent = 'Choose a file first.'; return; }
    status.textContent = 'Importing…';
    try {
      const response = await fetch(`${form.dataset.toolbarPrefix}/api/import`, {
        method: 'POST', body: file, credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-Toolbar-Request': '1' },
      });
      const body = await response.json().catch(() => null);
      if (response.status === 201 && body && typeof body.url === 'string') { location.assign(body.url); return; }
      status.textContent = `Import failed (HTTP ${response.status}): ${(body && (body.detail || body.title)) || response.statusText}`;
    } catch (err) {
      status.textContent = `Import failed: ${err.message}`;
    }
  });
})();

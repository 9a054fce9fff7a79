// Logs panel: the minimum-level filter. Rows carry data-level (Microsoft.Extensions.Logging.LogLevel as a number).
// It uses a class, not `hidden`, so it combines with the generic text filter instead of fighting it.
window[Symbol.for('toolbar')].register('logs', container => {
  const select = container.querySelector('select[data-logs-level]');
  if (!select) return;
  const apply = () => {
    const min = parseInt(select.value, 10) || 0;
    for (const row of container.querySelectorAll('tr[data-level]')) {
      row.classList.toggle('tb-log-below', parseInt(row.dataset.level, 10) < min);
    }
  };
  select.addEventListener('change', apply);
  apply();
});

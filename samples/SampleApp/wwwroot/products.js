// Fetches the JSON API from the page: the toolbar lists this request next to the page's own.
document.getElementById('load-api')?.addEventListener('click', async () => {
  const response = await fetch('/api/products');
  const items = await response.json();
  document.getElementById('api-result').textContent = `${items.length} products loaded`;
});

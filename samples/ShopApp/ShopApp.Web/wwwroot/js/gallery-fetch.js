// The page's own API call: its record must stay in the toolbar next to the page's.
fetch('/api/products').then(r => r.json()).then(items => {
  document.getElementById('gallery-api').textContent = items.length + ' products from the API';
});

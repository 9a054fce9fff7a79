document.getElementById('spa-route').textContent = 'route: ' + location.pathname;

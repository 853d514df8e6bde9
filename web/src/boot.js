// Start-up helpers shared by the pages (index.html, embed.html).

export function fail(message) {
  const root = document.getElementById('app');
  root.textContent = '';
  const p = document.createElement('p');
  p.className = 'fatal';
  p.setAttribute('data-testid', 'error');
  p.textContent = message;
  root.appendChild(p);
}

export function initTheme() {
  let theme = null;
  try { theme = localStorage.getItem('convplay-theme'); } catch { /* unavailable */ }
  if (!theme) theme = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  document.documentElement.dataset.theme = theme;
}

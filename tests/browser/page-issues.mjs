// What a test page must not do, collected as it runs: console errors and warnings, uncaught
// errors, and requests outside dist/ (prefix: where dist/ is served; data: and blob: are the
// page's own). The test asserts the list is empty when it closes the page.
export function watchPage(page, prefix) {
  const issues = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') issues.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => issues.push(`page error: ${e.message}`));
  page.on('request', (r) => { const u = r.url(); if (!u.startsWith(prefix) && !u.startsWith('data:') && !u.startsWith('blob:')) issues.push(`request outside dist/: ${u}`); });
  return issues;
}

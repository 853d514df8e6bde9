// dist/docs.html: sizes the page's convplay iframes to the height they report.
addEventListener('message', (e) => {
  if (!e.data || e.data.type !== 'convplay:height') return;
  for (const f of document.querySelectorAll('iframe')) {
    if (f.contentWindow === e.source) { f.style.height = `${e.data.height}px`; f.dataset.reportedHeight = String(e.data.height); }
  }
});

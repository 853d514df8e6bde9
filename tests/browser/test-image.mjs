// Opens a 512×512 RGB picture in the page's image mode (used by the image-mode test and the page
// benchmark): a PNG made in the page (a red-to-green gradient with a blue square), given to the
// file input as a user's file would be. Resolves once the page shows it.
export async function openTestImage(page, name = 'test.png') {
  const png = await page.evaluate(async () => {
    const cv = document.createElement('canvas'); cv.width = 512; cv.height = 512;
    const ctx = cv.getContext('2d');
    const g = ctx.createLinearGradient(0, 0, 512, 0); g.addColorStop(0, '#ff0000'); g.addColorStop(1, '#00ff00');
    ctx.fillStyle = g; ctx.fillRect(0, 0, 512, 512); ctx.fillStyle = '#0000ff'; ctx.fillRect(200, 200, 100, 100);
    const blob = await new Promise((ok) => cv.toBlob(ok, 'image/png'));
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  });
  await page.setInputFiles('[data-testid="image-file"]', { name, mimeType: 'image/png', buffer: Buffer.from(png) });
  await page.waitForFunction((n) => document.querySelector('[data-testid="image-status"]').textContent.startsWith(`${n}: 512×512 → 512×512`),
    name, { timeout: 60000 });
}

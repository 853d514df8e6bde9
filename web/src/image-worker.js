// dist/image-worker.js: image mode's computation off the main thread (http(s) only; Chromium
// refuses workers on file://). Loads the classic core next to it and answers
// {id, op, x, w, b, opts} with {id, shape, data} (the buffer is transferred).
/* global convplay, importScripts */
importScripts('convplay.js');
const ready = convplay.load();

self.onmessage = async (e) => {
  const { id, op, x, w, b, opts } = e.data;
  try {
    const cp = await ready;
    const y = op === 'conv2d' ? cp.conv2d(x, w, b, opts) : cp.convTranspose2d(x, w, b, opts);
    // y.data is a fresh array with a buffer of its own: transferred as it is (a copy of a 3 MB
    // result cost about 2.4 ms in Chromium).
    self.postMessage({ id, shape: y.shape, data: y.data }, [y.data.buffer]);
  } catch (err) {
    self.postMessage({ id, error: err && err.message ? err.message : String(err) });
  }
};

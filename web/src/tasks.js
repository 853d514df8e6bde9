// nextTask(fn): runs fn in a task of its own, so that the browser can handle input and paint
// in between. A MessageChannel, not setTimeout(fn, 0): nested timeouts are clamped to 4 ms.

const queue = [];
let channel = null;

export function nextTask(fn) {
  if (typeof MessageChannel === 'undefined') { setTimeout(fn, 0); return; }
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => queue.shift()();
  }
  queue.push(fn);
  channel.port2.postMessage(0);
}

// nextFrameTask(fn): runs fn in a task after the next frame is drawn, so that work split into
// chunks gives each frame one chunk (a frame then holds one chunk's script and the style of what
// it added, not several). A page that draws no frames (a hidden tab) still gets there: after
// 100 ms the task runs anyway.
export function nextFrameTask(fn) {
  let done = false;
  const run = () => { if (!done) { done = true; fn(); } };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => nextTask(run));
  setTimeout(run, 100);
}

// document.body.dataset.building (a documented test hook): set while any part of any playground
// on the page is still being built or a long link is still being loaded; its value is the number
// of grids (or links) left. Each builder reports its own count under its own key.
const building = new Map();
export function setBuilding(who, left) {
  if (left > 0) building.set(who, left); else building.delete(who);
  if (typeof document === 'undefined' || !document.body) return;
  if (building.size) document.body.dataset.building = String([...building.values()].reduce((a, b) => a + b, 0));
  else delete document.body.dataset.building;
}

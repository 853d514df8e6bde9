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

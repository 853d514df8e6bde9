// A learner's progress through the lessons, kept in localStorage (file:// may refuse storage:
// the course then works without remembering). Plain data:
//   { [lessonId]: { last: step index last opened, done: [indices of steps answered or read] } }

const KEY = 'convplay-lesson-progress';

export class Progress {
  constructor(storage = safeStorage()) {
    this.storage = storage;
    this.data = {};
    try { const v = JSON.parse(this.storage?.getItem(KEY) || '{}'); if (v && typeof v === 'object' && !Array.isArray(v)) this.data = v; } catch { /* a damaged entry starts afresh */ }
  }

  of(id) {
    const p = this.data[id];
    return { last: Number.isInteger(p?.last) ? p.last : 0, done: Array.isArray(p?.done) ? p.done.filter(Number.isInteger) : [] };
  }

  visit(id, step) { this.data[id] = { ...this.of(id), last: step }; this.save(); }

  complete(id, step) {
    const p = this.of(id);
    if (!p.done.includes(step)) p.done.push(step);
    this.data[id] = p;
    this.save();
  }

  save() { try { this.storage?.setItem(KEY, JSON.stringify(this.data)); } catch { /* unavailable */ } }
}

function safeStorage() {
  try { return typeof localStorage === 'undefined' ? null : localStorage; } catch { return null; }
}

// Summarises a .cpuprofile: self time by function (top 30) and by file, in ms and %.
//   node profile-top.mjs file.cpuprofile
import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas;
for (let i = 0; i < p.samples.length; i++) {
  const n = byId.get(p.samples[i]);
  self.set(n.id, (self.get(n.id) || 0) + (dt[i] || 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const agg = (key) => {
  const m = new Map();
  for (const [id, us] of self) { const k = key(byId.get(id).callFrame); m.set(k, (m.get(k) || 0) + us); }
  return [...m].sort((a, b) => b[1] - a[1]);
};
const short = (u) => u.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\//, '');
const line = ([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`;
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
console.log('by function (self):');
agg((f) => `${f.functionName || '(anonymous)'} ${short(f.url)}${f.url ? ':' + (f.lineNumber + 1) : ''}`).slice(0, 30).forEach((e) => console.log(line(e)));
console.log('by file (self):');
agg((f) => short(f.url) || `(${f.functionName})`).slice(0, 12).forEach((e) => console.log(line(e)));

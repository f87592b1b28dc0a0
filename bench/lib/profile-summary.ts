// Summarises a V8 .cpuprofile (node --cpu-prof) by package: self time of each package's
// functions, garbage collection and the program/idle lines on their own.
// Usage: node dist/bench/lib/profile-summary.js <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, top = '25'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file!, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));

function bucketOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const src = /\/dist\/(src|bench)\/(.*)$/.exec(url);
  return src ? `app: ${src[2]!.split('/').slice(0, 2).join('/')}` : url;
}

const self = new Map<string, number>();
let total = 0;
for (const [index, sample] of profile.samples.entries()) {
  const delta = profile.timeDeltas[index] ?? 0;
  const bucket = bucketOf(byId.get(sample)!);
  self.set(bucket, (self.get(bucket) ?? 0) + delta);
  total += delta;
}
const busy = total - (self.get('(idle)') ?? 0);
console.log(
  `busy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled; share of busy time:`,
);
for (const [bucket, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  if (bucket === '(idle)') continue;
  console.log(`${((micros / busy) * 100).toFixed(1).padStart(6)} %  ${bucket}`);
}

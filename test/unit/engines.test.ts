// The Node requirement stated in package.json is the one the dependencies declare: the
// lowest Node it admits satisfies every locked package's `engines.node`, so `npm ci` warns of no
// engine, and the README says the same version.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const semver = createRequire(import.meta.url)('semver') as {
  minVersion: (range: string) => { version: string } | null;
  satisfies: (v: string, range: string) => boolean;
};
const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const manifest = JSON.parse(read('package.json')) as { engines: { node: string } };
const lock = JSON.parse(read('package-lock.json')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};
const lowest = semver.minVersion(manifest.engines.node)!.version;

it('every locked package runs on the lowest Node that package.json admits', () => {
  const refusing = Object.entries(lock.packages)
    .filter(([, info]) => !Array.isArray(info.engines) && typeof info.engines?.node === 'string')
    .filter(([, info]) => !semver.satisfies(lowest, (info.engines as { node: string }).node))
    .map(
      ([path, info]) => `${path.replace(/^.*node_modules\//, '')}@${info.version} wants node ${(info.engines as { node: string }).node}`,
    );
  expect(refusing).toEqual([]);
});

it('so does the machine running the tests, and the README states the same requirement', () => {
  expect(semver.satisfies(process.versions.node, manifest.engines.node)).toBe(true);
  const [major, minor] = lowest.split('.');
  expect(read('README.md')).toContain(`Node.js ${major}.${minor}+`);
});

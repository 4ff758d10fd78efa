// Every relative link in the README and docs/ leads somewhere: to a file of the repository and,
// when it names one, to a heading of that file (the anchor GitHub makes of it). A page moved or a
// heading renamed fails here, not in a reader's browser.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pages = [
  'README.md',
  'clients/typescript/README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The page without its fenced code blocks and inline code, where a `[x](y)` is no link. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, heading] of text.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const plain = heading!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

function links(page: string): Array<{ page: string; target: string }> {
  const text = prose(readFileSync(join(root, page), 'utf8'));
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/i.test(target))
    .map((target) => ({ page, target }));
}

const all = pages.flatMap(links);

it('finds the links to check', () => {
  expect(pages).toEqual(expect.arrayContaining(['README.md', 'docs/webhooks.md', 'docs/configuration.md']));
  expect(all.length).toBeGreaterThan(40);
  expect(all.filter((l) => l.target.includes('#')).length).toBeGreaterThan(5);
});

it.each(pages)('every relative link in %s resolves to a file, and to a heading when it names one', (page) => {
  const broken: string[] = [];
  for (const { target } of links(page)) {
    const [file, anchor] = target.split('#') as [string, string | undefined];
    const path = file ? join(dirname(join(root, page)), decodeURIComponent(file)) : join(root, page);
    if (!path.startsWith(root) || !existsSync(path)) {
      broken.push(`${target}: no such file`);
      continue;
    }
    if (anchor === undefined || statSync(path).isDirectory() || !path.endsWith('.md')) continue;
    if (!anchors(readFileSync(path, 'utf8')).has(decodeURIComponent(anchor)))
      broken.push(`${target}: no heading #${anchor} in ${relative(root, path)}`);
  }
  expect(broken).toEqual([]);
});

// The pages' pure parts: who may post (Sec-Fetch-Site first, then Origin), the language chosen, the
// escaping, and the calendar file's folding and escaping.
import { icsOf, sequenceOf } from '../../lib/pages/calendar.js';
import { html } from '../../lib/pages/html.js';
import { chooseLang } from '../../lib/pages/i18n.js';
import { fromOwnPage } from '../../lib/pages/origin.js';

const facts = (over: Partial<Parameters<typeof fromOwnPage>[0]>) => ({
  secFetchSite: undefined,
  origin: undefined,
  host: 'cabinet.salon.test',
  proto: 'https',
  publicUrl: 'https://cabinet.salon.test',
  ...over,
});

describe('a post from the page itself', () => {
  it.each([
    [{ secFetchSite: 'same-origin', origin: 'null' }, true],
    [{ secFetchSite: 'none' }, true],
    [{ secFetchSite: 'same-site', origin: 'https://cabinet.salon.test' }, false],
    [{ secFetchSite: 'cross-site', origin: 'https://cabinet.salon.test' }, false],
    [{ origin: 'https://cabinet.salon.test' }, true],
    [{ origin: 'https://CABINET.salon.test' }, true],
    [{ origin: 'http://cabinet.salon.test' }, false],
    [{ origin: 'https://evil.test' }, false],
    [{ origin: 'null' }, false],
    [{ origin: 'https://abc.execute-api.eu-west-1.amazonaws.com', host: 'abc.execute-api.eu-west-1.amazonaws.com' }, true],
    [{ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000', proto: undefined, publicUrl: 'http://127.0.0.1:3000' }, true],
    [{}, true],
  ])('%o → %s', (given, allowed) => {
    expect(fromOwnPage(facts(given))).toBe(allowed);
  });
});

describe('the language', () => {
  it.each([
    [undefined, undefined, 'en'],
    ['ru', 'en', 'ru'],
    ['de', 'ru-RU,ru;q=0.9', 'ru'],
    [undefined, 'de-DE, en;q=0.5, ru;q=0.8', 'ru'],
    [undefined, 'ru;q=0, en', 'en'],
    [undefined, 'fr', 'en'],
  ])('?lang=%s, Accept-Language %s → %s', (query, accept, lang) => {
    expect(chooseLang(query, accept)).toBe(lang);
  });
});

describe('escaping', () => {
  it('escapes values, keeps nested templates and lists as markup', () => {
    const items = ['<b>', '"q"'].map((x) => html`<li>${x}</li>`);
    expect(html`<p title="${'a"b'}">${"<script>&'"}</p><ul>${items}</ul>${null}${false}`.text).toBe(
      '<p title="a&quot;b">&lt;script&gt;&amp;&#39;</p><ul><li>&lt;b&gt;</li><li>&quot;q&quot;</li></ul>',
    );
  });
});

describe('the calendar file', () => {
  const event = {
    uid: 'record-1@cabinet.test',
    sequence: sequenceOf(Date.parse('2026-11-20T07:00:00Z')),
    start: Date.parse('2026-12-01T11:00:00Z'),
    end: Date.parse('2026-12-01T12:00:00Z'),
    stamp: Date.parse('2026-11-20T07:00:00Z'),
    summary: 'Стрижка, укладка; бритьё · Барбершоп на Тверской',
    location: 'A, B\\C',
    description: 'Anna\nhttps://cabinet.test/r/1/x',
    url: 'https://cabinet.test/r/1/x',
    cancelled: true,
  };
  it('folds lines at 75 octets without splitting a character, escapes text, ends lines with CRLF', () => {
    const ics = icsOf(event);
    const lines = ics.split('\r\n');
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(ics).not.toContain('\uFFFD');
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('SUMMARY:Стрижка\\, укладка\\; бритьё · Барбершоп на Тверской\r\n');
    expect(unfolded).toContain('LOCATION:A\\, B\\\\C\r\n');
    expect(unfolded).toContain('DESCRIPTION:Anna\\nhttps://cabinet.test/r/1/x\r\n');
    expect(unfolded).toContain('DTSTART:20261201T110000Z\r\n');
    expect(unfolded).toContain('STATUS:CANCELLED\r\n');
  });
  it('numbers versions by the last change, in seconds since 2020: growing, and within a 32-bit integer for decades', () => {
    expect(sequenceOf(null)).toBe(0);
    expect(sequenceOf(Date.parse('2026-11-20T07:00:01Z'))).toBe(sequenceOf(Date.parse('2026-11-20T07:00:00Z')) + 1);
    expect(sequenceOf(Date.parse('2080-01-01T00:00:00Z'))).toBeLessThan(2 ** 31);
  });
});

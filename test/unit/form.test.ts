// How a form body maps onto the object the schemas check (docs/compatibility.md).
import { parseForm } from '../../lib/http/form.js';

it('keeps every value a string: a code keeps its leading zero', () => {
  expect(parseForm('code=012345&phone=%2B79161234567&name=Ivan+Demo&empty=')).toEqual({
    code: '012345',
    phone: '+79161234567',
    name: 'Ivan Demo',
    empty: '',
  });
});

it("nests brackets as jQuery's $.param writes them", () => {
  const jquery =
    'data%5Bclient%5D%5Bname%5D=Ivan&data%5Bids%5D%5B%5D=1&data%5Bids%5D%5B%5D=2' +
    '&data%5Bservices%5D%5B0%5D%5Bid%5D=11&data%5Bservices%5D%5B0%5D%5Bcost%5D=1500&data%5Bservices%5D%5B1%5D%5Bid%5D=12';
  expect(parseForm(jquery)).toEqual({
    data: { client: { name: 'Ivan' }, ids: ['1', '2'], services: [{ id: '11', cost: '1500' }, { id: '12' }] },
  });
});

it('reads a key given twice as a list, and closes the holes of a sparse one', () => {
  expect(parseForm('a=1&a=2&a=3&b[5]=x')).toEqual({ a: ['1', '2', '3'], b: ['x'] });
});

it('treats names of Object.prototype as plain fields', () => {
  const parsed = parseForm('toString=x&hasOwnProperty[a]=y');
  expect(parsed).toEqual({ toString: 'x', hasOwnProperty: { a: 'y' } });
  expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
});

it('refuses what cannot be one object', () => {
  for (const raw of ['__proto__[polluted]=1', 'a[b]=1&a=2', 'a[1000]=x', 'a[x][]=1&a[x][y]=2'])
    expect(() => parseForm(raw)).toThrow(/Malformed form body/);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

// The form's currency object from a location's `currency_short_title`, which Altegio fills with
// an ISO code (`RUB`), a symbol (`₽`) or an abbreviation (`руб.`).
const bySymbol: Record<string, string> = {
  '₽': 'RUB',
  'руб.': 'RUB',
  руб: 'RUB',
  'р.': 'RUB',
  '€': 'EUR',
  $: 'USD',
  '£': 'GBP',
  '₸': 'KZT',
  '₴': 'UAH',
  грн: 'UAH',
  'грн.': 'UAH',
  Br: 'BYN',
  '₾': 'GEL',
  '֏': 'AMD',
  '₼': 'AZN',
  zł: 'PLN',
  Kč: 'CZK',
};

export function currencyOf(shortTitle: string) {
  const trimmed = shortTitle.trim();
  const iso = /^[A-Za-z]{3}$/.test(trimmed) ? trimmed.toUpperCase() : (bySymbol[trimmed] ?? '');
  if (!iso) return { id: 0, iso: '', name: trimmed, symbol: trimmed, is_symbol_after_amount: false };
  try {
    const parts = new Intl.NumberFormat('en-US', { style: 'currency', currency: iso, currencyDisplay: 'narrowSymbol' }).formatToParts(1);
    const symbolIndex = parts.findIndex((p) => p.type === 'currency');
    const name = new Intl.DisplayNames(['en'], { type: 'currency' }).of(iso) ?? iso;
    return {
      id: 0,
      iso,
      name,
      symbol: parts[symbolIndex]!.value,
      is_symbol_after_amount: symbolIndex > parts.findIndex((p) => p.type === 'integer'),
    };
  } catch {
    return { id: 0, iso, name: iso, symbol: trimmed || iso, is_symbol_after_amount: false };
  }
}

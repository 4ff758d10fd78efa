// The feedback form of docs/contract.md 3.7, from the visit, its team member and its location. Pure.
import { currencyOf } from './currency.js';
import type { ReviewContext } from './reviews.js';

export function reviewForm({ review, record, staff, company }: ReviewContext) {
  const title = company?.title ?? '';
  const master = staff ?? record.staff;
  return {
    is_review_submitted: review.submitted,
    page_title: title ? `${title}: how was your visit?` : 'How was your visit?',
    favicon_url: company?.logo ?? '',
    master: {
      id: master?.id ?? record.staff_id ?? 0,
      name: master?.name ?? '',
      company_id: record.company_id,
      specialization: master?.specialization ?? '',
      rating: master?.rating ?? 0,
      show_rating: master?.show_rating ?? 0,
      avatar: master?.avatar ?? '',
      position: master?.position ?? { id: 0, title: '' },
    },
    company: { id: record.company_id, title, logo: company?.logo ?? '', address: company?.address ?? '' },
    record: { id: record.id, payed_cost: record.services.reduce((sum, line) => sum + line.cost, 0), date: record.datetime },
    currency: currencyOf(company?.currency_short_title ?? ''),
    // No tip presets and no agreement pages are configured in the cabinet (documented).
    tips: [],
    agreement_links: { terms_of_use: '', confidentiality_agreement: '' },
    language: { id: 1, locale: 'en-US', iso: 'en' },
  };
}

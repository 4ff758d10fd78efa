// The pages' two languages (docs/contract.md section 10): `?lang=ru|en` first, then the browser's
// Accept-Language in its order of preference, else English. Dates, times, lengths and money are
// written by Intl for the language, in the location's time zone. Pure: no I/O.
import type { Zone } from '../domain/dates.js';

export type Lang = 'en' | 'ru';

export const langs: readonly Lang[] = ['en', 'ru'];

const isLang = (value: string | undefined): value is Lang => value === 'en' || value === 'ru';

/** The language asked for: the query's `lang`, else the first of ours in Accept-Language by weight. */
export function chooseLang(query: string | undefined, acceptLanguage: string | undefined): Lang {
  if (isLang(query)) return query;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((item, order) => {
      const [tag = '', ...params] = item.trim().split(';');
      const q = Number(/^q=([\d.]+)$/.exec(params.map((p) => p.trim()).find((p) => p.startsWith('q=')) ?? '')?.[1] ?? 1);
      return { lang: tag.trim().toLowerCase().split('-')[0], q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((item) => item.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return ranked.map((item) => item.lang).find(isLang) ?? 'en';
}

const messages = {
  en: {
    appointment: 'Your appointment',
    upcoming: 'Upcoming',
    cancelled: 'Cancelled',
    visited: 'Visited',
    past: 'Past',
    cancelledNote: 'This appointment is cancelled.',
    visitedNote: 'Thank you for your visit.',
    pastNote: 'This appointment has passed.',
    when: 'When',
    length: 'Length',
    staff: 'Team member',
    services: 'Services',
    total: 'Total',
    where: 'Where',
    call: 'Call',
    map: 'Open on the map',
    actions: 'What you can do',
    cancel: 'Cancel the appointment',
    cancelUntil: (deadline: string) => `You can cancel online until ${deadline}.`,
    cancelTooLate: 'It is too late to cancel online. Please call the salon.',
    cancelForbidden: 'This salon does not take cancellations online. Please call the salon.',
    reschedule: 'Move to another time',
    rescheduleUntil: (deadline: string) => `You can move it online until ${deadline}.`,
    rescheduleTooLate: 'It is too late to move it online. Please call the salon.',
    rescheduleForbidden: 'This salon does not take changes of time online. Please call the salon.',
    chooseDateTitle: 'Choose a new date',
    chooseTimeTitle: 'Choose a new time',
    nowBooked: 'Booked now',
    freeDates: 'Dates with a free time',
    noDates: 'There is no free time in the next four weeks. Please call the salon.',
    timesOn: (date: string) => `Free times on ${date}`,
    noTimes: 'There is no free time on this date any more.',
    otherDate: 'Choose another date',
    moveYes: 'Move it to this time',
    takenTitle: 'That time was just taken',
    timeTaken: 'Someone else has just booked that time. Please choose another.',
    movedTitle: 'Your appointment is moved',
    movedTo: 'New time',
    movedCalendar: 'Already in your calendar? The same file moves it there.',
    calendar: 'Add to calendar',
    ics: 'Calendar file (.ics)',
    calendarCancelled: 'Added it to your calendar? This file marks it cancelled there:',
    google: 'Google Calendar',
    confirmTitle: 'Cancel this appointment?',
    confirmYes: 'Yes, cancel it',
    confirmNo: 'No, keep it',
    cancelledTitle: 'Your appointment is cancelled',
    cancelledDone: 'The salon has been told. The time is free for someone else.',
    back: 'Back to the appointment',
    backToReview: 'Back to the review form',
    reviewTitle: 'How was your visit?',
    rating: 'Your rating',
    stars: ['1 star, bad', '2 stars, poor', '3 stars, fair', '4 stars, good', '5 stars, excellent'],
    comment: 'Your comment (optional)',
    send: 'Send the review',
    thanksTitle: 'Thank you for your review',
    thanks: 'It helps the salon and other customers.',
    alreadyTitle: 'Already reviewed',
    already: 'You have already reviewed this visit. Thank you!',
    notFoundTitle: 'Link not found',
    notFound: 'This link is wrong or no longer valid. Check that it was copied whole, or ask the salon for a new one.',
    forbiddenTitle: 'Not sent from this page',
    forbidden: 'This form was sent from another site, so nothing was changed. Open the link you were sent and try again there.',
    refusedTitle: 'This could not be done',
    invalid: 'Something in the form was missing or wrong. Go back and check it.',
    ratingRange: 'Choose a rating from 1 to 5 stars.',
    busyTitle: 'Please try again',
    busy: 'The service is busy right now. Nothing was lost: please try again in a moment.',
    errorTitle: 'Something went wrong',
    error: 'This is our fault, not yours. Please try again later.',
    badRequest: 'The request could not be read.',
    otherLang: 'Русский',
  },
  ru: {
    appointment: 'Ваша запись',
    upcoming: 'Предстоит',
    cancelled: 'Отменена',
    visited: 'Визит состоялся',
    past: 'Прошла',
    cancelledNote: 'Эта запись отменена.',
    visitedNote: 'Спасибо за визит.',
    pastNote: 'Время этой записи прошло.',
    when: 'Когда',
    length: 'Длительность',
    staff: 'Специалист',
    services: 'Услуги',
    total: 'Итого',
    where: 'Где',
    call: 'Позвонить',
    map: 'Открыть на карте',
    actions: 'Что можно сделать',
    cancel: 'Отменить запись',
    cancelUntil: (deadline: string) => `Отменить онлайн можно до ${deadline}.`,
    cancelTooLate: 'Отменить онлайн уже нельзя. Пожалуйста, позвоните в салон.',
    cancelForbidden: 'Салон не принимает отмену онлайн. Пожалуйста, позвоните в салон.',
    reschedule: 'Перенести на другое время',
    rescheduleUntil: (deadline: string) => `Перенести онлайн можно до ${deadline}.`,
    rescheduleTooLate: 'Перенести онлайн уже нельзя. Пожалуйста, позвоните в салон.',
    rescheduleForbidden: 'Салон не принимает перенос записи онлайн. Пожалуйста, позвоните в салон.',
    chooseDateTitle: 'Выберите новую дату',
    chooseTimeTitle: 'Выберите новое время',
    nowBooked: 'Сейчас вы записаны',
    freeDates: 'Даты со свободным временем',
    noDates: 'В ближайшие четыре недели свободного времени нет. Пожалуйста, позвоните в салон.',
    timesOn: (date: string) => `Свободное время: ${date}`,
    noTimes: 'На эту дату свободного времени больше нет.',
    otherDate: 'Выбрать другую дату',
    moveYes: 'Перенести на это время',
    takenTitle: 'Это время только что заняли',
    timeTaken: 'Это время только что занял кто-то другой. Пожалуйста, выберите другое.',
    movedTitle: 'Запись перенесена',
    movedTo: 'Новое время',
    movedCalendar: 'Запись уже в вашем календаре? Этот же файл перенесёт её там.',
    calendar: 'Добавить в календарь',
    ics: 'Файл календаря (.ics)',
    calendarCancelled: 'Запись есть в вашем календаре? Этот файл отметит её там как отменённую:',
    google: 'Google Календарь',
    confirmTitle: 'Отменить эту запись?',
    confirmYes: 'Да, отменить',
    confirmNo: 'Нет, оставить',
    cancelledTitle: 'Запись отменена',
    cancelledDone: 'Салон получил уведомление. Это время теперь свободно для других.',
    back: 'Вернуться к записи',
    backToReview: 'Вернуться к отзыву',
    reviewTitle: 'Как прошёл визит?',
    rating: 'Ваша оценка',
    stars: ['1 звезда, плохо', '2 звезды, так себе', '3 звезды, нормально', '4 звезды, хорошо', '5 звёзд, отлично'],
    comment: 'Комментарий (необязательно)',
    send: 'Отправить отзыв',
    thanksTitle: 'Спасибо за отзыв',
    thanks: 'Он поможет салону и другим клиентам.',
    alreadyTitle: 'Отзыв уже оставлен',
    already: 'Вы уже оставили отзыв об этом визите. Спасибо!',
    notFoundTitle: 'Ссылка не найдена',
    notFound: 'Ссылка неверна или больше не действует. Проверьте, что она скопирована целиком, или попросите у салона новую.',
    forbiddenTitle: 'Форма отправлена не с этой страницы',
    forbidden: 'Форма пришла с другого сайта, поэтому ничего не изменено. Откройте присланную вам ссылку и повторите там.',
    refusedTitle: 'Не получилось',
    invalid: 'В форме что-то не заполнено или заполнено неверно. Вернитесь и проверьте.',
    ratingRange: 'Выберите оценку от 1 до 5 звёзд.',
    busyTitle: 'Попробуйте ещё раз',
    busy: 'Сервис сейчас занят. Ничего не потеряно: повторите через минуту.',
    errorTitle: 'Что-то пошло не так',
    error: 'Это наша ошибка, а не ваша. Пожалуйста, попробуйте позже.',
    badRequest: 'Запрос не удалось прочитать.',
    otherLang: 'English',
  },
} as const;

export type Messages = (typeof messages)[Lang];

export const t = (lang: Lang): Messages => messages[lang];

const locales: Record<Lang, string> = { en: 'en-GB', ru: 'ru-RU' };

/** Intl formats an offset-only zone as UTC with the instant moved by the offset. */
function placed(instant: number, zone: Zone): { at: Date; timeZone: string } {
  return 'iana' in zone
    ? { at: new Date(instant), timeZone: zone.iana }
    : { at: new Date(instant + zone.offsetMinutes * 60_000), timeZone: 'UTC' };
}

/** `Tuesday 1 December 2026` / `вторник, 1 декабря 2026 г.` */
export function formatDate(lang: Lang, instant: number, zone: Zone): string {
  const { at, timeZone } = placed(instant, zone);
  return new Intl.DateTimeFormat(locales[lang], { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(at);
}

/** A local date (`2026-12-01`) as a short label: `Tue 1 Dec` / `вт, 1 дек.` */
export function formatDay(lang: Lang, date: string): string {
  const at = new Date(`${date}T12:00:00Z`);
  return new Intl.DateTimeFormat(locales[lang], { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(at);
}

/** `14:00` */
export function formatTime(lang: Lang, instant: number, zone: Zone): string {
  const { at, timeZone } = placed(instant, zone);
  return new Intl.DateTimeFormat(locales[lang], { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/**
 * `Tuesday 1 December at 13:00` / `1 декабря, 13:00`, for a deadline in a sentence ("until …"): in
 * Russian without the weekday, which would need the genitive after «до».
 */
export function formatMoment(lang: Lang, instant: number, zone: Zone): string {
  const { at, timeZone } = placed(instant, zone);
  const weekday = lang === 'en' ? ({ weekday: 'long' } as const) : {};
  return new Intl.DateTimeFormat(locales[lang], {
    timeZone,
    ...weekday,
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** `1 hour, 30 minutes` / `1 час, 30 минут` */
export function formatLength(lang: Lang, seconds: number): string {
  const minutes = Math.round(seconds / 60);
  const unit = (value: number, name: 'hour' | 'minute') =>
    new Intl.NumberFormat(locales[lang], { style: 'unit', unit: name, unitDisplay: 'long' }).format(value);
  const parts = [
    Math.floor(minutes / 60) ? unit(Math.floor(minutes / 60), 'hour') : '',
    minutes % 60 || minutes === 0 ? unit(minutes % 60, 'minute') : '',
  ];
  return new Intl.ListFormat(locales[lang], { style: 'narrow', type: 'unit' }).format(parts.filter(Boolean));
}

/** `2 500,00 ₽` / `RUB 2,500.00`: with an ISO code, as Intl writes it; else the number and the salon's own sign. */
export function formatMoney(lang: Lang, amount: number, iso: string, sign: string): string {
  if (iso) {
    try {
      return new Intl.NumberFormat(locales[lang], { style: 'currency', currency: iso, currencyDisplay: 'narrowSymbol' }).format(amount);
    } catch {
      // an ISO code this runtime does not know: written as below
    }
  }
  return `${new Intl.NumberFormat(locales[lang], { maximumFractionDigits: 2 }).format(amount)}${sign ? ` ${sign}` : ''}`;
}

// What free times ask of connected mode (lib/free-times.ts): the team member's calendar as Altegio has it.
export { altegioCalendar } from '../../altegio/schedule.js';

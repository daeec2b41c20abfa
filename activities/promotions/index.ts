/** The promoter's activities: a promotion's firing. (Its doublings are recorded by the persist cycle: record-doublings.ts.) */
export { createPromotionActivities } from './fire.js';

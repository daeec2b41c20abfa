/** Words for people: money from integer minor units and the time left (domain/people-format.ts), times, tables. */
import { moneyText, timeLeft } from '../domain/people-format.js';

export const money = moneyText;
export { timeLeft };

/** A time as people read it here: the local date and time, to the minute. */
export const when = (iso: string): string =>
  new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** "ends in 2h 3m" or "ended Mar 3, 2030, 4:05 PM". */
export function endText(endsAt: string, now = Date.now()): string {
  const left = timeLeft(Date.parse(endsAt), now);
  return left === null ? `ended ${when(endsAt)}` : `ends in ${left}`;
}

/**
 * Who leads, as the API shows it to this viewer: the public alias ("Bidder 7") when the answer has one,
 * else the id, else nobody.
 */
export function leaderText(state: { leaderId?: string | null; leaderAlias?: string | null }): string {
  return state.leaderAlias ?? state.leaderId ?? 'nobody yet';
}

/** Rows as aligned columns; the header's widths follow the widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** Control characters out of text that came from other people (titles), so it cannot drive the terminal. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
export const plain = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

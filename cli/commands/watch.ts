/**
 * `gavel watch <id>`: the auction live, from its event stream (GET /v1/auctions/:id/events), as one line
 * redrawn in place (price, leader, bids, reserve, countdown, soft-close extensions) until it closes, then
 * the result. Not on a terminal, a line per change; with --json, each event as a line of JSON.
 */
import type { Command } from '@commander-js/extra-typings';
import { followEvents } from '../api/event-stream.js';
import { contextOf, type Context } from '../context.js';
import { InterruptedError } from '../errors.js';
import { withExamples } from '../help.js';
import { applyEvent, finalLine, isOver, liveLine, type LiveAuction } from '../live-auction.js';

const CLEAR_LINE = '\r\x1b[2K';

/** Cut to the terminal's width: a line that wraps can no longer be redrawn in place. */
const fitted = (line: string) => {
  const width = Math.max((process.stdout.columns ?? 80) - 1, 20);
  const chars = [...line];
  return chars.length <= width ? line : `${chars.slice(0, width - 1).join('')}…`;
};

async function watch(context: Context, id: string): Promise<void> {
  const live = process.stdout.isTTY === true && !context.output.json;
  const stop = new AbortController();
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
    stop.abort();
  };
  process.once('SIGINT', onInterrupt);

  let state: LiveAuction | null = null;
  // On a terminal, redrawn on every event and every second (the countdown); elsewhere, a line per event.
  const render = () => {
    if (state === null || context.output.json) return;
    if (live) process.stdout.write(CLEAR_LINE + fitted(liveLine(state)));
    else process.stdout.write(liveLine(state) + '\n');
  };
  const ticker = live ? setInterval(render, 1000) : undefined;

  try {
    const url = `${context.api}/v1/auctions/${encodeURIComponent(id)}/events`;
    for await (const { event, data } of followEvents(context.api, url, stop.signal)) {
      const parsed: unknown = JSON.parse(data);
      if (context.output.json) context.output.jsonLine({ event, data: parsed });
      state = applyEvent(state, event, parsed);
      render();
      if (isOver(state)) break;
    }
  } finally {
    clearInterval(ticker);
    process.off('SIGINT', onInterrupt);
    if (live && state !== null) process.stdout.write('\n');
  }
  if (interrupted) throw new InterruptedError();
  if (state !== null && !context.output.json) process.stdout.write(finalLine(state) + '\n');
}

export function addWatchCommand(program: Command): void {
  withExamples(
    program
      .command('watch')
      .description('Follow an auction live: price, leader, bids and countdown, until it closes')
      .argument('<id>', 'the auction')
      .action((id, _options, command) => watch(contextOf(command), id)),
    ['gavel watch <auction-id>', 'gavel --json watch <auction-id> | jq -c "select(.event == \\"bid\\") | .data"'],
  );
}

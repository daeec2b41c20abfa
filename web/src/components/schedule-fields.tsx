/**
 * When an auction runs: it starts now or at a chosen time, and ends at a chosen time or a preset
 * duration after its start. `readSchedule` turns the submitted fields into the API's instants.
 */
import { useState } from 'preact/hooks';
import { textField } from '../form-data';
import { FormProblem, instantField } from '../sell/form-values';

const HOUR = 3_600_000;
export const DURATIONS = {
  '1h': ['1 hour', HOUR],
  '1d': ['1 day', 24 * HOUR],
  '3d': ['3 days', 72 * HOUR],
  '7d': ['7 days', 168 * HOUR],
} as const;
type Duration = keyof typeof DURATIONS;

export function readSchedule(data: FormData): { startsAt?: string; endsAt: string } {
  const startsAt = textField(data, 'startMode') === 'at' ? instantField(data, 'startsAt', 'Starts') : undefined;
  if (textField(data, 'startMode') === 'at' && startsAt === undefined)
    throw new FormProblem('Starts: pick a date and time.');
  const duration = textField(data, 'duration') as Duration;
  const endsAt =
    textField(data, 'endMode') === 'at'
      ? instantField(data, 'endsAt', 'Ends')
      : new Date(
          (startsAt ? Date.parse(startsAt) : Date.now()) + (DURATIONS[duration]?.[1] ?? DURATIONS['7d'][1]),
        ).toISOString();
  if (endsAt === undefined) throw new FormProblem('Ends: pick a date and time.');
  return startsAt ? { startsAt, endsAt } : { endsAt };
}

export function ScheduleFields() {
  const [startMode, setStartMode] = useState<'now' | 'at'>('now');
  const [endMode, setEndMode] = useState<'in' | 'at'>('in');
  return (
    <>
      <fieldset>
        <legend>Starts</legend>
        <label class="choice">
          <input
            type="radio"
            name="startMode"
            value="now"
            checked={startMode === 'now'}
            onChange={() => setStartMode('now')}
          />
          Now
        </label>
        <label class="choice">
          <input
            type="radio"
            name="startMode"
            value="at"
            checked={startMode === 'at'}
            onChange={() => setStartMode('at')}
          />
          At a time
        </label>
        {startMode === 'at' && (
          <label>
            Start date and time
            <input type="datetime-local" name="startsAt" required />
          </label>
        )}
      </fieldset>
      <fieldset>
        <legend>Ends</legend>
        <label class="choice">
          <input type="radio" name="endMode" value="in" checked={endMode === 'in'} onChange={() => setEndMode('in')} />
          After a while
        </label>
        <label class="choice">
          <input type="radio" name="endMode" value="at" checked={endMode === 'at'} onChange={() => setEndMode('at')} />
          At a time
        </label>
        {endMode === 'in' ? (
          <label>
            Runs for
            <select name="duration" defaultValue="7d">
              {Object.entries(DURATIONS).map(([value, [label]]) => (
                <option value={value}>{label}</option>
              ))}
            </select>
          </label>
        ) : (
          <label>
            End date and time
            <input type="datetime-local" name="endsAt" required />
          </label>
        )}
      </fieldset>
    </>
  );
}

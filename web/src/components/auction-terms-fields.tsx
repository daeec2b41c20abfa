/** The terms of an auction beyond its prices and dates: soft close, payment window, premium, second chance. */
import { useState } from 'preact/hooks';

export function AuctionTermsFields() {
  const [softClose, setSoftClose] = useState(true);
  return (
    <>
      <fieldset>
        <legend>Soft close</legend>
        <label class="choice">
          <input
            type="checkbox"
            name="softClose"
            checked={softClose}
            onChange={(e) => setSoftClose(e.currentTarget.checked)}
          />
          Extend the end when a bid comes in at the last moment
        </label>
        {softClose && (
          <div class="field-row">
            <label>
              Late-bid window (seconds)
              <input type="number" name="softCloseWindow" min={0} max={3600} step={1} defaultValue="120" required />
            </label>
            <label>
              Extend by (seconds)
              <input type="number" name="softCloseExtend" min={0} max={3600} step={1} defaultValue="120" required />
            </label>
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend>After the close</legend>
        <div class="field-row">
          <label>
            Payment window (hours)
            <input type="number" name="paymentHours" min={1} max={720} step={1} defaultValue="72" required />
          </label>
          <label>
            Buyer's premium (%)
            <input name="premiumPercent" inputMode="decimal" defaultValue="0" pattern="\d+([.,]\d{1,2})?" />
          </label>
        </div>
        <label class="choice">
          <input type="checkbox" name="autoSecondChance" />
          If the winner does not pay, offer the lot to the next bidders by themselves
        </label>
      </fieldset>
    </>
  );
}

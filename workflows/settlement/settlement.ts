/**
 * What follows a sale: the order's payment window with its reminders, the expiry and unpaid strike
 * when it runs out, and the second-chance offers after that, each with its own window. Postgres holds
 * the orders and offers; this workflow holds their clocks and is the one writer of which order or offer
 * is live, so an auction never has two at once. A payment is applied by the webhook in Postgres (a row
 * lock decides between it and the expiry); the workflow learns of it by signal, or at payBy at the
 * latest, when the expiry finds the order already paid. docs/settlement.md.
 */
import {
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  log,
} from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { Offer } from '../../domain/settlement/offer.js';
import type { OrderStatus } from '../../domain/settlement/order.js';
import { checkExtendRequest, checkReasonRequest } from '../../domain/settlement/ops-requests.js';
import { dueReminders, nextReminderAt, reminderTimes } from '../../domain/settlement/reminders.js';
import {
  SETTLEMENT_REFUSALS,
  type OfferAnswer,
  type OfferAnswerResult,
  type SettlementInput,
  type SettlementPhase,
  type SettlementState,
} from '../../domain/settlement/workflow.js';
import { orderPayByKey, orderStatusKey, settlementPhaseKey } from '../search-attributes.js';
import {
  answerOfferUpdate,
  cancelOrderSignal,
  extendPayBySignal,
  markOrderPaidSignal,
  offerSecondChanceUpdate,
  orderChangedSignal,
  relistUpdate,
  settlementStateQuery,
} from './definitions.js';

// No attempt limit: an outage of Postgres delays settlement's bookkeeping, never loses it.
const retry = { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '30 seconds' };
const activities = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry });

const msUntil = (atMs: number) => Math.max(0, atMs - Date.now());

/**
 * An operator's signal applies to the order awaiting payment when it arrived, and to no later one: a
 * signal sent while nothing was awaiting payment (or queued behind the event that ended its order)
 * would otherwise mark paid, cancel or extend the next second-chance order. A history that recorded
 * such a signal reaching a later order has no marker for this patch and replays as it ran
 * (workflows/README.md).
 */
const OPS_SIGNALS_OWN_ORDER = 'ops-signals-own-order';

/**
 * What arrived by signal for the live order, handled in the main loop one at a time, in order. An
 * operator's carries the order it was sent for: the one awaiting payment then, or null when none was.
 */
type OrderEvent =
  | { kind: 'changed' }
  | { kind: 'mark_paid'; orderId: string | null; reason: string }
  | { kind: 'cancel'; orderId: string | null; reason: string }
  | { kind: 'extend'; orderId: string | null; payBy: string; reason: string };

const refuse = (code: string, message: string) =>
  ApplicationFailure.create({ type: code, message, nonRetryable: true });

class Settlement {
  readonly state: SettlementState;
  private readonly events: OrderEvent[] = [];
  /** An update's activity is in flight: timers wait for it, and other updates are refused. */
  private busy = false;
  /** An offer is being made: its notice may already have reached the bidder, whose answer then waits. */
  private makingOffer = false;

  constructor(private readonly input: SettlementInput) {
    this.state = {
      auctionId: input.auctionId,
      phase: 'awaiting_payment',
      order: { ...input.order, status: 'awaiting_payment' },
      offer: null,
      remindersSent: [],
      orderIds: [input.order.id],
      offerIds: [],
      sellerDecisionBy: null,
    };
    setHandler(settlementStateQuery, () => this.state);
    setHandler(orderChangedSignal, ({ orderId }) => {
      // An order not known yet is one being made: a second-chance order its buyer paid, told by its
      // payment_due notice, before the acceptance came back (or while its worker was dead). Kept, and
      // read once it is the live order; only the orders before the live one are past hearing of.
      if (orderId === this.state.order?.id || !this.state.orderIds.includes(orderId)) {
        this.events.push({ kind: 'changed' });
      }
    });
    // An operator's input is checked here: a malformed one is dropped with a warning (domain/settlement/ops-requests.ts).
    setHandler(markOrderPaidSignal, (input) => {
      const check = checkReasonRequest(input);
      if (!check.ok) return this.dropOpsSignal('markOrderPaid', check.why);
      this.events.push({ kind: 'mark_paid', orderId: this.orderAwaitingPayment(), reason: check.request.reason });
    });
    setHandler(cancelOrderSignal, (input) => {
      const check = checkReasonRequest(input);
      if (!check.ok) return this.dropOpsSignal('cancelOrder', check.why);
      this.events.push({ kind: 'cancel', orderId: this.orderAwaitingPayment(), reason: check.request.reason });
    });
    setHandler(extendPayBySignal, (input) => {
      const check = checkExtendRequest(input, Date.parse(this.state.order!.payBy), Date.now());
      if (!check.ok) return this.dropOpsSignal('extendPayBy', check.why);
      this.events.push({ kind: 'extend', orderId: this.orderAwaitingPayment(), ...check.request });
    });
    setHandler(offerSecondChanceUpdate, (request) => this.offerSecondChance(request.offerWindowSeconds), {
      validator: (_request: { offerWindowSeconds?: number }) => this.mustBeAwaitingSeller(),
    });
    setHandler(answerOfferUpdate, (answer) => this.answerOffer(answer), {
      validator: (answer: OfferAnswer) => {
        if (!this.makingOffer) this.mustBeOpenOfferOf(answer);
      },
    });
    setHandler(relistUpdate, () => this.relist(), { validator: () => this.mustBeAwaitingSeller() });
  }

  async run(): Promise<SettlementState> {
    this.publishSearchAttributes();
    // A payment may have come between the order's creation and this start: its signal found no one.
    await this.orderIs(await activities.announceOrder({ orderId: this.state.order!.id }));
    for (;;) {
      const phase = this.state.phase;
      if (phase === 'awaiting_payment') await this.awaitPayment();
      else if (phase === 'offer_open') await this.awaitAnswer();
      else if (phase === 'awaiting_seller') await this.awaitSeller();
      else {
        await condition(() => !this.busy);
        return this.state;
      }
    }
  }

  // --- The live order ---

  /** One turn: the next signal, reminder or the end of the window, whichever comes first. */
  private async awaitPayment(): Promise<void> {
    const order = this.state.order!;
    const payByMs = Date.parse(order.payBy);
    const times = reminderTimes(Date.parse(order.createdAt), payByMs);
    const nextAt = Math.min(nextReminderAt(times, this.state.remindersSent) ?? Infinity, payByMs);
    await condition(() => this.events.length > 0, msUntil(nextAt));
    const event = this.events.shift();
    if (event) return this.applyOrderEvent(event);
    if (Date.now() >= payByMs) {
      await this.orderIs(await activities.expireOrder({ orderId: order.id }));
      return;
    }
    for (const atMs of dueReminders(times, Date.now(), this.state.remindersSent)) {
      await activities.remindPayment({ orderId: order.id, atMs });
      this.state.remindersSent.push(atMs);
    }
  }

  private dropOpsSignal(name: string, why: string): void {
    log.warn(`${name} ignored: ${why}`, { auctionId: this.state.auctionId });
  }

  private orderAwaitingPayment(): string | null {
    return this.state.phase === 'awaiting_payment' ? this.state.order!.id : null;
  }

  private async applyOrderEvent(event: OrderEvent): Promise<void> {
    const orderId = this.state.order!.id;
    if (event.kind !== 'changed' && event.orderId !== orderId && patched(OPS_SIGNALS_OWN_ORDER)) {
      log.warn(`${event.kind} ignored: no order was awaiting payment when it was sent, or it was another`, {
        auctionId: this.state.auctionId,
        sentFor: event.orderId,
        live: orderId,
      });
      return;
    }
    switch (event.kind) {
      case 'changed':
        return this.orderIs(await activities.readOrderStatus({ orderId }));
      case 'mark_paid':
        return this.orderIs(await activities.markOrderPaidByHand({ orderId, reason: event.reason }));
      case 'cancel':
        return this.orderIs(await activities.cancelOrder({ orderId, reason: event.reason }));
      case 'extend': {
        const extended = await activities.extendPayBy({ orderId, payBy: event.payBy, reason: event.reason });
        if (extended.status === 'awaiting_payment') {
          this.state.order!.payBy = extended.payBy;
          this.publishSearchAttributes();
        } else await this.orderIs(extended.status);
        return;
      }
    }
  }

  /** Moves the settlement on from what Postgres says the live order now is. */
  private async orderIs(status: OrderStatus): Promise<void> {
    const order = this.state.order!;
    order.status = status;
    this.publishSearchAttributes();
    if (status === 'awaiting_payment') return;
    if (status === 'paid') {
      await activities.notifyOrderPaid({ orderId: order.id });
      this.setPhase('paid');
      return;
    }
    // expired, cancelled, or refunded (a payment that came too late): the lot is free again.
    this.toSeller();
  }

  // --- After an unpaid order: the seller's turn, or the next offer by itself ---

  private toSeller(): void {
    this.state.sellerDecisionBy = new Date(Date.now() + this.input.sellerDecisionSeconds * 1000).toISOString();
    this.setPhase('awaiting_seller');
  }

  private async awaitSeller(): Promise<void> {
    if (this.input.autoSecondChance) {
      const offer = await this.makeOffer(this.input.offerWindowSeconds);
      if (!offer) this.setPhase('closed');
      return;
    }
    const decideBy = Date.parse(this.state.sellerDecisionBy!);
    const decided = await condition(() => this.state.phase !== 'awaiting_seller', msUntil(decideBy));
    if (decided) return;
    await condition(() => !this.busy);
    if (this.state.phase === 'awaiting_seller') this.setPhase('closed');
  }

  private mustBeAwaitingSeller(): void {
    if (this.state.phase !== 'awaiting_seller' || this.input.autoSecondChance) {
      throw refuse(SETTLEMENT_REFUSALS.notAwaitingSeller, `the settlement is ${this.state.phase}`);
    }
  }

  private async offerSecondChance(offerWindowSeconds: number | undefined): Promise<Offer> {
    // Validators run before a handler, but two updates may both pass before either starts its activity.
    this.mustBeAwaitingSeller();
    if (this.busy) throw refuse(SETTLEMENT_REFUSALS.notAwaitingSeller, 'another request is in progress');
    const offer = await this.makeOffer(offerWindowSeconds ?? this.input.offerWindowSeconds);
    if (!offer) throw refuse(SETTLEMENT_REFUSALS.noCandidate, 'no bidder is left to offer the lot to');
    return offer;
  }

  /** Makes the next offer (or finds there is nobody left), holding the settlement until it is made. */
  private async makeOffer(offerWindowSeconds: number): Promise<Offer | null> {
    this.busy = true;
    this.makingOffer = true;
    try {
      const offer = await activities.makeSecondChanceOffer({ auctionId: this.state.auctionId, offerWindowSeconds });
      if (offer) {
        this.state.offer = { id: offer.id, bidderId: offer.bidderId, expiresAt: offer.expiresAt, status: 'open' };
        this.state.offerIds.push(offer.id);
        this.setPhase('offer_open');
      }
      return offer;
    } finally {
      this.busy = false;
      this.makingOffer = false;
    }
  }

  // --- The live offer ---

  private async awaitAnswer(): Promise<void> {
    const offer = this.state.offer!;
    const answered = await condition(() => this.state.phase !== 'offer_open', msUntil(Date.parse(offer.expiresAt)));
    if (answered) return;
    await condition(() => !this.busy);
    if (this.state.phase !== 'offer_open') return;
    offer.status = await activities.expireOffer({ offerId: offer.id });
    if (offer.status === 'expired') this.toSeller();
  }

  private mustBeOpenOfferOf(answer: OfferAnswer): void {
    const offer = this.state.offer;
    if (this.state.phase !== 'offer_open' || offer?.id !== answer.offerId) {
      throw refuse(SETTLEMENT_REFUSALS.offerNotOpen, 'the offer is no longer open');
    }
    if (offer.bidderId !== answer.bidderId) throw refuse(SETTLEMENT_REFUSALS.notYourOffer, 'not your offer');
  }

  private async answerOffer(answer: OfferAnswer): Promise<OfferAnswerResult> {
    // The bidder may answer from the offer's notice, written before the activity that made the offer
    // reported back: the answer waits until the offer is the live one, then is judged.
    await condition(() => !this.makingOffer);
    this.mustBeOpenOfferOf(answer);
    if (this.busy) throw refuse(SETTLEMENT_REFUSALS.offerNotOpen, 'the offer is being answered');
    this.busy = true;
    try {
      const result = await activities.answerOffer({ offerId: answer.offerId, accept: answer.accept });
      this.state.offer = { ...this.state.offer!, status: result.offer.status };
      if (result.order) {
        const { id, buyerId, createdAt, payBy } = result.order;
        this.state.order = { id, buyerId, createdAt, payBy, status: result.order.status };
        this.state.orderIds.push(id);
        this.state.remindersSent = [];
        this.setPhase('awaiting_payment');
      } else if (result.offer.status !== 'open') {
        this.toSeller();
      }
      return result;
    } finally {
      this.busy = false;
    }
  }

  // --- Relist ---

  private relist(): void {
    this.mustBeAwaitingSeller();
    if (this.busy) throw refuse(SETTLEMENT_REFUSALS.notAwaitingSeller, 'another request is in progress');
    log.info('relisted by the seller', { auctionId: this.state.auctionId });
    this.setPhase('closed');
  }

  // --- What operators see ---

  private setPhase(phase: SettlementPhase): void {
    this.state.phase = phase;
    this.publishSearchAttributes();
  }

  private publishSearchAttributes(): void {
    const order = this.state.order;
    upsertSearchAttributes([{ key: settlementPhaseKey, value: this.state.phase }]);
    if (!order) return;
    upsertSearchAttributes([
      { key: orderStatusKey, value: order.status },
      { key: orderPayByKey, value: new Date(order.payBy) },
    ]);
  }
}

export async function settlementWorkflow(input: SettlementInput): Promise<SettlementState> {
  return new Settlement(input).run();
}

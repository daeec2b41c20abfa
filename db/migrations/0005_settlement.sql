CREATE TABLE "checkout_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"url" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"auction_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"offer_id" uuid,
	"buyer_id" uuid NOT NULL,
	"seller_id" uuid NOT NULL,
	"hammer_price" bigint NOT NULL,
	"buyers_premium" bigint NOT NULL,
	"total" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text DEFAULT 'awaiting_payment' NOT NULL,
	"pay_by" timestamp with time zone NOT NULL,
	"paid_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"status_reason" text,
	"payment_intent_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_kind" CHECK ("orders"."kind" IN ('auction', 'second_chance')),
	CONSTRAINT "orders_status" CHECK ("orders"."status" IN ('awaiting_payment', 'paid', 'expired', 'cancelled', 'refunded')),
	CONSTRAINT "orders_total" CHECK ("orders"."total" = "orders"."hammer_price" + "orders"."buyers_premium" AND "orders"."hammer_price" > 0),
	CONSTRAINT "orders_second_chance_has_offer" CHECK (("orders"."kind" = 'second_chance') = ("orders"."offer_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "payouts" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"seller_id" uuid NOT NULL,
	"hammer_price" bigint NOT NULL,
	"seller_fee" bigint NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payouts_status" CHECK ("payouts"."status" IN ('pending', 'cancelled')),
	CONSTRAINT "payouts_amount" CHECK ("payouts"."amount" = "payouts"."hammer_price" - "payouts"."seller_fee")
);
--> statement-breakpoint
CREATE TABLE "second_chance_offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"auction_id" uuid NOT NULL,
	"bidder_id" uuid NOT NULL,
	"seller_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	CONSTRAINT "second_chance_offers_status" CHECK ("second_chance_offers"."status" IN ('open', 'accepted', 'declined', 'expired')),
	CONSTRAINT "second_chance_offers_amount_positive" CHECK ("second_chance_offers"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "stripe_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"order_id" uuid,
	"outcome" text NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unpaid_strikes" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"struck_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_type";--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "payment_window_seconds" integer DEFAULT 259200 NOT NULL;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "buyers_premium_bps" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "auto_second_chance" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "order_id" uuid;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "relisted_as" uuid;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "relisted_from" uuid;--> statement-breakpoint
ALTER TABLE "checkout_sessions" ADD CONSTRAINT "checkout_sessions_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_auction_id_auctions_id_fk" FOREIGN KEY ("auction_id") REFERENCES "public"."auctions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_offer_id_second_chance_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."second_chance_offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_buyer_id_users_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_seller_id_users_id_fk" FOREIGN KEY ("seller_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_seller_id_users_id_fk" FOREIGN KEY ("seller_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "second_chance_offers" ADD CONSTRAINT "second_chance_offers_auction_id_auctions_id_fk" FOREIGN KEY ("auction_id") REFERENCES "public"."auctions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "second_chance_offers" ADD CONSTRAINT "second_chance_offers_bidder_id_users_id_fk" FOREIGN KEY ("bidder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "second_chance_offers" ADD CONSTRAINT "second_chance_offers_seller_id_users_id_fk" FOREIGN KEY ("seller_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unpaid_strikes" ADD CONSTRAINT "unpaid_strikes_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unpaid_strikes" ADD CONSTRAINT "unpaid_strikes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "checkout_sessions_order_attempt" ON "checkout_sessions" USING btree ("order_id","attempt");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_one_per_auction_close" ON "orders" USING btree ("auction_id") WHERE "orders"."kind" = 'auction';--> statement-breakpoint
CREATE UNIQUE INDEX "orders_one_awaiting_payment" ON "orders" USING btree ("auction_id") WHERE "orders"."status" = 'awaiting_payment';--> statement-breakpoint
CREATE UNIQUE INDEX "orders_one_paid" ON "orders" USING btree ("auction_id") WHERE "orders"."status" = 'paid';--> statement-breakpoint
CREATE UNIQUE INDEX "orders_offer_id" ON "orders" USING btree ("offer_id");--> statement-breakpoint
CREATE INDEX "orders_buyer_idx" ON "orders" USING btree ("buyer_id","created_at","id");--> statement-breakpoint
CREATE INDEX "orders_seller_idx" ON "orders" USING btree ("seller_id","created_at","id");--> statement-breakpoint
CREATE INDEX "orders_payment_intent_idx" ON "orders" USING btree ("payment_intent_id");--> statement-breakpoint
CREATE INDEX "payouts_seller_idx" ON "payouts" USING btree ("seller_id","created_at","order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "second_chance_offers_one_open" ON "second_chance_offers" USING btree ("auction_id") WHERE "second_chance_offers"."status" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "second_chance_offers_auction_bidder" ON "second_chance_offers" USING btree ("auction_id","bidder_id");--> statement-breakpoint
CREATE INDEX "second_chance_offers_bidder_idx" ON "second_chance_offers" USING btree ("bidder_id","created_at");--> statement-breakpoint
CREATE INDEX "unpaid_strikes_user_idx" ON "unpaid_strikes" USING btree ("user_id","struck_at");--> statement-breakpoint
ALTER TABLE "auctions" ADD CONSTRAINT "auctions_relisted_as_unique" UNIQUE("relisted_as");--> statement-breakpoint
ALTER TABLE "auctions" ADD CONSTRAINT "auctions_buyers_premium_bps" CHECK ("auctions"."buyers_premium_bps" BETWEEN 0 AND 5000);--> statement-breakpoint
ALTER TABLE "auctions" ADD CONSTRAINT "auctions_payment_window_positive" CHECK ("auctions"."payment_window_seconds" > 0);--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_type" CHECK ("notifications"."type" IN ('outbid', 'auction_won', 'auction_lost', 'auction_ended', 'auction_ending_soon', 'auction_started', 'auction_cancelled', 'payment_due', 'payment_reminder', 'order_paid', 'order_unpaid', 'order_cancelled', 'second_chance_offer', 'second_chance_answered'));
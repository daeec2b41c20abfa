CREATE TABLE "bid_doublings" (
	"auction_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"bidder_id" uuid NOT NULL,
	"bidder_alias" integer NOT NULL,
	"from_max" bigint NOT NULL,
	"to_max" bigint NOT NULL,
	"price_after" bigint NOT NULL,
	"bid_count_after" integer NOT NULL,
	"promotion_id" uuid NOT NULL,
	"firing_id" text NOT NULL,
	"doubled_at" timestamp with time zone NOT NULL,
	CONSTRAINT "bid_doublings_auction_id_seq_pk" PRIMARY KEY("auction_id","seq")
);
--> statement-breakpoint
CREATE TABLE "promotion_firings" (
	"id" text PRIMARY KEY NOT NULL,
	"promotion_id" uuid NOT NULL,
	"fired_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seed" integer NOT NULL,
	"strategy" text NOT NULL,
	"candidates" jsonb NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"auction_id" uuid,
	"bidder_id" uuid,
	"seq" integer,
	"from_max" bigint,
	"to_max" bigint,
	"exposure" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "promotion_firings_outcome" CHECK ("promotion_firings"."outcome" IN ('doubled', 'refused', 'no_candidate', 'over_budget', 'inactive')),
	CONSTRAINT "promotion_firings_exposure" CHECK ("promotion_firings"."exposure" >= 0)
);
--> statement-breakpoint
CREATE TABLE "promotions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"category" "auction_category",
	"auction_id" uuid,
	"every" text NOT NULL,
	"jitter" text NOT NULL,
	"max_per_auction" integer NOT NULL,
	"budget" bigint NOT NULL,
	"currency" text NOT NULL,
	"strategy" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "promotions_budget" CHECK ("promotions"."budget" > 0 AND "promotions"."budget" <= 1000000000),
	CONSTRAINT "promotions_max_per_auction" CHECK ("promotions"."max_per_auction" BETWEEN 1 AND 100),
	CONSTRAINT "promotions_status" CHECK ("promotions"."status" IN ('active', 'paused', 'deleted')),
	CONSTRAINT "promotions_strategy" CHECK ("promotions"."strategy" IN ('uniform', 'newer_bidders')),
	CONSTRAINT "promotions_currency_iso" CHECK ("promotions"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_type";--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "house_subsidy" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "promotion_firing_id" text;--> statement-breakpoint
ALTER TABLE "bid_doublings" ADD CONSTRAINT "bid_doublings_auction_id_auctions_id_fk" FOREIGN KEY ("auction_id") REFERENCES "public"."auctions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_doublings" ADD CONSTRAINT "bid_doublings_bidder_id_users_id_fk" FOREIGN KEY ("bidder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_firings" ADD CONSTRAINT "promotion_firings_promotion_id_promotions_id_fk" FOREIGN KEY ("promotion_id") REFERENCES "public"."promotions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_firings" ADD CONSTRAINT "promotion_firings_auction_id_auctions_id_fk" FOREIGN KEY ("auction_id") REFERENCES "public"."auctions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_firings" ADD CONSTRAINT "promotion_firings_bidder_id_users_id_fk" FOREIGN KEY ("bidder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions" ADD CONSTRAINT "promotions_auction_id_auctions_id_fk" FOREIGN KEY ("auction_id") REFERENCES "public"."auctions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions" ADD CONSTRAINT "promotions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bid_doublings_bidder_idx" ON "bid_doublings" USING btree ("auction_id","bidder_id");--> statement-breakpoint
CREATE INDEX "promotion_firings_promotion_idx" ON "promotion_firings" USING btree ("promotion_id","fired_at");--> statement-breakpoint
CREATE INDEX "promotion_firings_auction_idx" ON "promotion_firings" USING btree ("auction_id","promotion_id");--> statement-breakpoint
CREATE INDEX "promotions_created_at_idx" ON "promotions" USING btree ("created_at","id");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_type" CHECK ("notifications"."type" IN ('outbid', 'auction_won', 'auction_lost', 'auction_ended', 'auction_ending_soon', 'auction_started', 'auction_cancelled', 'payment_due', 'payment_reminder', 'order_paid', 'order_unpaid', 'order_cancelled', 'second_chance_offer', 'second_chance_answered', 'waitlist_offer', 'bid_doubled'));--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_house_subsidy" CHECK ("orders"."house_subsidy" >= 0 AND "orders"."house_subsidy" < "orders"."total");
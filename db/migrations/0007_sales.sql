CREATE TABLE "sales" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seller_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"category" "auction_category",
	"currency" text DEFAULT 'USD' NOT NULL,
	"price" bigint NOT NULL,
	"stock" integer NOT NULL,
	"per_user_limit" integer NOT NULL,
	"hold_seconds" integer NOT NULL,
	"require_challenge" boolean DEFAULT false NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"phase" text DEFAULT 'scheduled' NOT NULL,
	"available" integer NOT NULL,
	"held" integer DEFAULT 0 NOT NULL,
	"sold" integer DEFAULT 0 NOT NULL,
	"cancel_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_phase" CHECK ("sales"."phase" IN ('scheduled', 'open', 'closed', 'cancelled')),
	CONSTRAINT "sales_price_positive" CHECK ("sales"."price" > 0),
	CONSTRAINT "sales_stock" CHECK ("sales"."stock" BETWEEN 1 AND 1000000),
	CONSTRAINT "sales_per_user_limit" CHECK ("sales"."per_user_limit" >= 1),
	CONSTRAINT "sales_hold_seconds" CHECK ("sales"."hold_seconds" >= 1),
	CONSTRAINT "sales_counts" CHECK ("sales"."available" + "sales"."held" + "sales"."sold" = "sales"."stock" AND "sales"."available" >= 0 AND "sales"."held" >= 0 AND "sales"."sold" >= 0),
	CONSTRAINT "sales_ends_after_start" CHECK ("sales"."ends_at" IS NULL OR "sales"."ends_at" > "sales"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_kind";--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "auction_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "sale_id" uuid;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "quantity" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_seller_id_users_id_fk" FOREIGN KEY ("seller_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sales_seller_idx" ON "sales" USING btree ("seller_id","created_at","id");--> statement-breakpoint
CREATE INDEX "sales_starts_at_idx" ON "sales" USING btree ("starts_at");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orders_sale_idx" ON "orders" USING btree ("sale_id","status");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_sale_or_auction" CHECK (("orders"."kind" = 'sale') = ("orders"."sale_id" IS NOT NULL) AND ("orders"."kind" = 'sale') = ("orders"."auction_id" IS NULL));--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_quantity" CHECK ("orders"."quantity" >= 1 AND ("orders"."kind" = 'sale' OR "orders"."quantity" = 1));--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_kind" CHECK ("orders"."kind" IN ('auction', 'second_chance', 'sale'));
CREATE TABLE "auction_images" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"auction_id" uuid NOT NULL,
	"object_key" text NOT NULL,
	"content_type" text NOT NULL,
	"bytes" integer NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "auction_images_content_type" CHECK ("auction_images"."content_type" IN ('image/jpeg', 'image/png', 'image/webp')),
	CONSTRAINT "auction_images_sizes_positive" CHECK ("auction_images"."bytes" > 0 AND "auction_images"."width" > 0 AND "auction_images"."height" > 0)
);
--> statement-breakpoint
ALTER TABLE "auction_images" ADD CONSTRAINT "auction_images_auction_id_auctions_id_fk" FOREIGN KEY ("auction_id") REFERENCES "public"."auctions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "auction_images_object_key_key" ON "auction_images" USING btree ("object_key");--> statement-breakpoint
CREATE INDEX "auction_images_auction_id_created_at_idx" ON "auction_images" USING btree ("auction_id","created_at");
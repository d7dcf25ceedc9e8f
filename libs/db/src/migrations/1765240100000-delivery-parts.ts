import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Threads and first comments, published exactly once each (PRODUCT.md
 * section 10): `delivery_parts`, one row per step of a delivery that has
 * more than one (each part of a thread, `kind` 'part', `idx` from 0; its
 * first comment, `kind` 'comment', `idx` after the last part), written by
 * the worker as each step goes: the network's handle kept before the call
 * (`network_ref`: a Bluesky record key, a Threads container), then the
 * network's id and URL once it is out (`thread_ref`: what a reply to it
 * must name beyond its id, Bluesky's strong ref), or why it was refused.
 * A delivery of one part and no comment has no rows (the delivery is its
 * only step, as before). The delivery stays the unit that is claimed; its
 * claim token fences these writes.
 */
export class DeliveryParts1765240100000 implements MigrationInterface {
  name = 'DeliveryParts1765240100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE delivery_parts (
        delivery_id uuid NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
        idx integer NOT NULL CHECK (idx >= 0),
        kind text NOT NULL CHECK (kind IN ('part', 'comment')),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'failed')),
        network_ref text,
        external_id text,
        external_url text,
        thread_ref text,
        last_error_code text,
        last_error_message text,
        published_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (delivery_id, idx)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE delivery_parts`);
  }
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The tenant: nothing crosses a workspace boundary. */
@Entity('workspaces')
export class Workspace {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** IANA zone new channels take (set at sign-up from the browser, changeable). */
  @Column({ type: 'varchar', length: 64, default: 'UTC' })
  timezone!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Origins (`https://app.example`) a connect flow may send the browser back to, besides the web app's own. */
  @Column({ name: 'allowed_redirect_origins', type: 'text', array: true, default: () => `'{}'` })
  allowedRedirectOrigins!: string[];
}

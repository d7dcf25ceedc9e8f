/**
 * `users`: the people who sign in. A person is no one workspace's (they may
 * belong to several, through `members`), so every method takes SYSTEM: the
 * sign-in and session routes name a person by email or id, never by tenant.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope } from '../access/scope';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

const COLUMNS = 'id, email, name, password_hash, created_at, password_changed_at';

export const USERS_SQL = {
  insert: new Statement(`INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`),
  findByEmail: new Statement(`SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`),
  find: new Statement(`SELECT ${COLUMNS} FROM users WHERE id = $1`),
  exists: new Statement(`SELECT EXISTS (SELECT 1 FROM users) AS exists`),
  setPassword: new Statement(`UPDATE users SET password_hash = $2, password_changed_at = date_trunc('milliseconds', now()) WHERE id = $1 RETURNING id`),
  // Held to the end of the sign-up's transaction: two first sign-ups at once cannot both become the installation's first owner.
  lockSignUps: new Statement(`SELECT pg_advisory_xact_lock(hashtext('herald.sign-up'))`),
};

export interface User {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  createdAt: Date;
  passwordChangedAt: Date;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: Date;
  password_changed_at: Date;
}

@Injectable()
export class UsersRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /** A new person; a unique violation (`users_email_uq`) when the email is taken, whatever its case. */
  async insert(_scope: SystemScope, user: { email: string; name: string; passwordHash: string }, on?: Executor): Promise<User> {
    return toUser((await this.one<UserRow>(USERS_SQL.insert, [user.email, user.name, user.passwordHash], on))!);
  }

  async findByEmail(_scope: SystemScope, email: string, on?: Executor): Promise<User | undefined> {
    const row = await this.one<UserRow>(USERS_SQL.findByEmail, [email], on);
    return row && toUser(row);
  }

  async find(_scope: SystemScope, id: string, on?: Executor): Promise<User | undefined> {
    const row = await this.one<UserRow>(USERS_SQL.find, [id], on);
    return row && toUser(row);
  }

  /** Whether anyone has signed up on this installation yet. */
  async exists(_scope: SystemScope, on?: Executor): Promise<boolean> {
    return (await this.one<{ exists: boolean }>(USERS_SQL.exists, [], on))!.exists;
  }

  async setPassword(_scope: SystemScope, id: string, passwordHash: string, on?: Executor): Promise<boolean> {
    return (await this.rows(USERS_SQL.setPassword, [id, passwordHash], on)).length > 0;
  }

  async lockSignUps(_scope: SystemScope, on: Executor): Promise<void> {
    await this.rows(USERS_SQL.lockSignUps, [], on);
  }
}

function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, name: row.name, passwordHash: row.password_hash, createdAt: row.created_at, passwordChangedAt: row.password_changed_at };
}

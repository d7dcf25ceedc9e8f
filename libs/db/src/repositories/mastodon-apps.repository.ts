/** `mastodon_apps`: the app Herald registered on each Mastodon instance, kept and reused by every workspace that connects there. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope } from '../access/scope';
import { Statement } from '../statements/prepared';
import { Repository } from './repository';

export const MASTODON_APPS_SQL = {
  find: new Statement(`SELECT instance_url, client_id, client_secret, redirect_uri, pkce FROM mastodon_apps WHERE instance_url = $1`),
  /** The first registration of an instance wins; a second, made at the same moment, answers the first. */
  insert: new Statement(
    `INSERT INTO mastodon_apps (instance_url, client_id, client_secret, redirect_uri, pkce) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (instance_url) DO UPDATE SET instance_url = EXCLUDED.instance_url
     RETURNING instance_url, client_id, client_secret, redirect_uri, pkce`,
  ),
};

export interface MastodonApp {
  instanceUrl: string;
  clientId: string;
  /** Encrypted. */
  clientSecret: string;
  redirectUri: string;
  pkce: boolean;
}

interface AppRow {
  instance_url: string;
  client_id: string;
  client_secret: string;
  redirect_uri: string;
  pkce: boolean;
}

@Injectable()
export class MastodonAppsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  async find(_scope: SystemScope, instanceUrl: string): Promise<MastodonApp | undefined> {
    const row = await this.one<AppRow>(MASTODON_APPS_SQL.find, [instanceUrl]);
    return row && toApp(row);
  }

  async insert(_scope: SystemScope, app: MastodonApp): Promise<MastodonApp> {
    return toApp((await this.one<AppRow>(MASTODON_APPS_SQL.insert, [app.instanceUrl, app.clientId, app.clientSecret, app.redirectUri, app.pkce]))!);
  }
}

function toApp(row: AppRow): MastodonApp {
  return { instanceUrl: row.instance_url, clientId: row.client_id, clientSecret: row.client_secret, redirectUri: row.redirect_uri, pkce: row.pkce };
}

import { Statement, planned, queryConfig } from './prepared';

describe('queryConfig', () => {
  const hot = new Statement('SELECT name FROM workspaces WHERE id = $1');

  it('names a prepared statement when the data source names statements', () => {
    expect(queryConfig(hot, ['id'], true)).toEqual({ name: hot.name, text: hot.text, values: ['id'] });
  });

  it('sends the same text and values unnamed when it does not (DATABASE_PREPARED_STATEMENTS=off)', () => {
    expect(queryConfig(hot, ['id'], false)).toEqual({ text: hot.text, values: ['id'] });
  });

  it('never names a planned statement', () => {
    const scan = planned('SELECT id FROM deliveries WHERE scheduled_at < $1');
    expect(queryConfig(scan, [1], true)).toEqual({ text: scan.text, values: [1] });
  });
});

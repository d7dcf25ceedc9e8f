/**
 * The workspace's own settings, for its owners and admins (workspace.manage):
 * its time zone, the one channels connected from now on take (channels already
 * connected keep theirs; each is changed on its Posting times tab).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import type { WorkspaceView } from '../../api/views';
import { SelectField } from '../../ui/field';
import { timeZones } from '../../ui/person';
import { Page } from '../../ui/page';
import { ProblemAlert } from '../../ui/problem-alert';
import { zoneName } from '../../ui/time';
import { useCan } from '../auth/session';

export const workspaceQuery = { queryKey: ['workspace'], queryFn: () => call(herald.GET('/v1/workspace')), staleTime: 60_000 };

export function WorkspacePage() {
  const workspace = useQuery(workspaceQuery);
  const canManage = useCan('workspace.manage');
  return (
    <Page title={workspace.data ? `Workspace: ${workspace.data.name}` : 'Workspace'}>
      {workspace.isError ? <ProblemAlert problem={problemOf(workspace.error)} /> : null}
      {workspace.data ? <WorkspaceZone key={workspace.data.id} workspace={workspace.data} canEdit={canManage} /> : null}
    </Page>
  );
}

function WorkspaceZone({ workspace, canEdit }: { workspace: WorkspaceView; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [timezone, setTimezone] = useState(workspace.timezone);
  const save = useMutation({
    mutationFn: () => call(herald.PATCH('/v1/workspace', { body: { timezone } })),
    onSuccess: (saved) => queryClient.setQueryData(workspaceQuery.queryKey, saved),
  });
  const problem = save.error ? problemOf(save.error) : undefined;
  const zones = timeZones().includes(workspace.timezone) ? timeZones() : [workspace.timezone, ...timeZones()];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} className="card stack" aria-labelledby="workspace-zone-heading">
      <h2 id="workspace-zone-heading">Time zone</h2>
      <p className="muted">
        Channels connected from now on post in {zoneName(workspace.timezone)} time. Channels already connected keep their own zone: change one on its Posting times tab.
      </p>
      <SelectField label="Workspace time zone" value={timezone} disabled={!canEdit} onChange={(event) => setTimezone(event.target.value)} errors={fieldMessages(problem, 'timezone')}>
        {zones.map((zone) => (
          <option key={zone} value={zone}>
            {zone.replace(/_/g, ' ')}
          </option>
        ))}
      </SelectField>
      <ProblemAlert problem={problem} shownAt={['timezone']} />
      {save.isSuccess && !save.isPending ? (
        <p role="status" className="alert alert-ok">
          Saved. New channels post in {zoneName(save.data.timezone)} time.
        </p>
      ) : null}
      {canEdit ? (
        <button type="submit" className="button primary" disabled={save.isPending || timezone === workspace.timezone}>
          {save.isPending ? 'Saving…' : 'Save time zone'}
        </button>
      ) : (
        <p className="muted">Owners and admins change it.</p>
      )}
    </form>
  );
}

/**
 * The first-run checklist on the home and compose pages, until every step is
 * done or the person dismisses it (remembered in this browser, per workspace).
 * Each step links to where it is done.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { currentMembership, useCan, useSession } from '../auth/session';
import { channelsQuery } from '../channels/api';
import { postsQuery } from '../posts/api';
import { checklistDone, checklistSteps, type StepKey } from './checklist-state';

const WORDS: Record<StepKey, { title: string; hint: string }> = {
  connect: { title: 'Connect a channel', hint: 'The accounts Herald posts to.' },
  times: { title: 'Set posting times', hint: 'When queued posts go out, per channel.' },
  post: { title: 'Schedule a first post', hint: 'Write it once, for every channel.' },
  invite: { title: 'Invite a teammate', hint: 'Editors, or contributors whose posts you approve.' },
};

function dismissedKey(workspaceId: string | undefined): string {
  return `herald.checklist.dismissed.${workspaceId ?? ''}`;
}

function readDismissed(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

export function OnboardingChecklist() {
  const session = useSession();
  const workspaceId = session ? currentMembership(session)?.workspaceId : undefined;
  const key = dismissedKey(workspaceId);
  const [dismissed, setDismissed] = useState(() => readDismissed(key));
  const canManageChannels = useCan('channels.manage');
  const canInvite = useCan('members.manage');
  const channels = useQuery(channelsQuery);
  const posts = useQuery(postsQuery({}));
  const members = useQuery({ queryKey: ['members'], queryFn: async () => (await call(herald.GET('/v1/members'))).data, enabled: canInvite && !dismissed });
  const invitations = useQuery({ queryKey: ['invitations'], queryFn: async () => (await call(herald.GET('/v1/invitations'))).data, enabled: canInvite && !dismissed });
  // Only the people who set a workspace up see it, and only once the API has answered.
  if (dismissed || !canManageChannels || !channels.data || !posts.data || (canInvite && (!members.data || !invitations.data))) return null;
  const steps = checklistSteps({
    channels: channels.data.map((channel) => ({ slots: channel.postingSchedule.slots.length, isDefault: channel.postingSchedule.isDefault })),
    posts: posts.data.length,
    ...(canInvite ? { people: { members: members.data!.length, invitations: invitations.data!.length } } : {}),
  });
  if (checklistDone(steps)) return null;
  const done = steps.filter((step) => step.done).length;
  // The first channel without times, else the first on its default ones, else the first.
  const firstChannel =
    channels.data.find((channel) => channel.postingSchedule.slots.length === 0) ?? channels.data.find((channel) => channel.postingSchedule.isDefault) ?? channels.data[0];
  const dismiss = () => {
    try {
      localStorage.setItem(key, '1');
    } catch {
      // kept for this page only
    }
    setDismissed(true);
  };
  return (
    <section className="checklist" aria-labelledby="checklist-heading">
      <div className="checklist-head">
        <div>
          <h2 id="checklist-heading">Get started</h2>
          <p className="muted" style={{ margin: 0 }}>
            {done} of {steps.length} done
          </p>
        </div>
        <button type="button" className="button small ghost" onClick={dismiss}>
          Dismiss<span className="visually-hidden"> the checklist</span>
        </button>
      </div>
      <div className="checklist-progress" aria-hidden="true">
        <span style={{ width: `${(done / steps.length) * 100}%` }} />
      </div>
      <ol>
        {steps.map((step) => (
          <li key={step.key} className={step.done ? 'done' : ''} data-step={step.key} data-done={step.done}>
            <span className="checklist-mark" aria-hidden="true">
              {step.done ? '✓' : ''}
            </span>
            <div>
              <p>
                <StepLink step={step.key} channelId={firstChannel?.id} defaults={step.defaults === true} />
                <span className="visually-hidden">{step.done ? ' (done)' : ' (to do)'}</span>
              </p>
              <p className="muted">{step.defaults ? 'Herald gave each channel default times, so the queue works now; change them to suit each audience.' : WORDS[step.key].hint}</p>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

function StepLink({ step, channelId, defaults }: { step: StepKey; channelId: string | undefined; defaults: boolean }) {
  const title = step === 'times' && defaults ? 'Default posting times in place: change them' : WORDS[step].title;
  switch (step) {
    case 'connect':
      return <Link to="/channels">{title}</Link>;
    case 'times':
      return channelId ? (
        <Link to="/channels/$channelId" params={{ channelId }} search={{ tab: 'times' }}>
          {title}
        </Link>
      ) : (
        <span>{title}</span>
      );
    case 'post':
      return <Link to="/compose">{title}</Link>;
    case 'invite':
      return <Link to="/settings/members">{title}</Link>;
  }
}

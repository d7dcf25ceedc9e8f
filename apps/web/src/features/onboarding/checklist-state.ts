/**
 * The first-run checklist's state, computed from what the API says (never
 * ticked by hand): a channel connected, posting times in place, a first post
 * scheduled, a teammate invited. A channel's default schedule (given at
 * connect) counts as in place: "Add to queue" works with it at once, so the
 * step says the defaults are set and offers to change them rather than nag.
 * Pure, with a unit spec.
 */
export type StepKey = 'connect' | 'times' | 'post' | 'invite';

export interface ChecklistInput {
  channels: { slots: number; isDefault: boolean }[];
  posts: number;
  /** Members of the workspace and pending invitations; undefined where the person may not invite (the step is left out). */
  people?: { members: number; invitations: number };
}

export interface Step {
  key: StepKey;
  done: boolean;
  /** The times step: done only by the default schedules Herald gave at connect (none chosen by anyone yet). */
  defaults?: boolean;
}

export function checklistSteps(input: ChecklistInput): Step[] {
  const steps: Step[] = [
    { key: 'connect', done: input.channels.length > 0 },
    timesStep(input.channels),
    { key: 'post', done: input.posts > 0 },
  ];
  if (input.people) steps.push({ key: 'invite', done: input.people.members > 1 || input.people.invitations > 0 });
  return steps;
}

function timesStep(channels: ChecklistInput['channels']): Step {
  const withTimes = channels.filter((channel) => channel.slots > 0);
  if (withTimes.length === 0) return { key: 'times', done: false };
  return withTimes.every((channel) => channel.isDefault) ? { key: 'times', done: true, defaults: true } : { key: 'times', done: true };
}

export function checklistDone(steps: Step[]): boolean {
  return steps.every((step) => step.done);
}

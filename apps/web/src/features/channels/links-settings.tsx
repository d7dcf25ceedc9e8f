/**
 * A channel's links settings (PATCH /v1/channels/:id {links}): UTM
 * parameters (with a campaign) and short links for every post to the
 * channel that does not say otherwise in compose. The API's refusal (no
 * shortener on this Herald, a campaign it cannot use) is shown at the field.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import type { ChannelView } from '../../api/views';
import { FieldErrors, TextField } from '../../ui/field';
import { ProblemAlert } from '../../ui/problem-alert';

type Utm = boolean | { campaign?: string; source?: string; medium?: string };

/** The body the API takes: only what is on (`{}` turns both off); a source or medium set through the API is kept. */
export function channelLinksBody(utm: Utm | undefined, on: boolean, campaign: string, shorten: boolean): { utm?: Utm; shorten?: true } {
  const kept = typeof utm === 'object' ? { ...(utm.source ? { source: utm.source } : {}), ...(utm.medium ? { medium: utm.medium } : {}) } : {};
  const named = campaign.trim() ? { ...kept, campaign: campaign.trim() } : kept;
  return { ...(on ? { utm: Object.keys(named).length > 0 ? named : true } : {}), ...(shorten ? { shorten: true } : {}) };
}

export function LinksSettings({ channel }: { channel: ChannelView }) {
  const queryClient = useQueryClient();
  const utm = channel.links?.utm;
  const [on, setOn] = useState(utm !== undefined && utm !== false);
  const [campaign, setCampaign] = useState(typeof utm === 'object' ? (utm.campaign ?? '') : '');
  const [shorten, setShorten] = useState(channel.links?.shorten === true);
  const save = useMutation({
    mutationFn: () => call(herald.PATCH('/v1/channels/{id}', { params: { path: { id: channel.id } }, body: { links: channelLinksBody(utm, on, campaign, shorten) } })),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['channels', channel.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['channels'] });
    },
  });
  const problem = save.error ? problemOf(save.error) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const savedWords = (links: ChannelView['links'] | undefined): string => {
    const tracks = links?.utm !== undefined && links.utm !== false;
    if (tracks && links?.shorten) return 'Saved: links in posts to this channel are tracked and shortened.';
    if (tracks) return 'Saved: links in posts to this channel are tracked.';
    if (links?.shorten) return 'Saved: links in posts to this channel are shortened.';
    return 'Saved: posts to this channel keep their links as written.';
  };
  return (
    <form className="card stack" aria-labelledby="links-heading" onSubmit={submit} noValidate>
      <h2 id="links-heading">Links</h2>
      <p className="muted">What every post to this channel gets unless compose says otherwise for that post. Done when a post is scheduled, so its counter counts the link as sent.</p>
      <ProblemAlert problem={problem} shownAt={['links']} />
      <label className="checkbox">
        <input type="checkbox" checked={on} onChange={(event) => setOn(event.target.checked)} aria-describedby="channel-utm-hint" />
        <span>
          <span className="radio-label">Track links in posts to this channel</span>
          <span className="field-hint" id="channel-utm-hint">
            {' '}
            Adds utm_source={channel.network} and utm_medium=social to every link.
          </span>
        </span>
      </label>
      {on ? <TextField label="Campaign (utm_campaign, optional)" className="narrow-field" value={campaign} onChange={(event) => setCampaign(event.target.value)} errors={fieldMessages(problem, 'links.utm')} /> : null}
      <label className="checkbox">
        <input type="checkbox" checked={shorten} onChange={(event) => setShorten(event.target.checked)} aria-describedby="channel-shorten-hint" />
        <span>
          <span className="radio-label">Shorten links in posts to this channel</span>
          <span className="field-hint" id="channel-shorten-hint">
            {' '}
            Through the link shortener this Herald is set up with. A link it cannot shorten stays long, and the post says so.
          </span>
        </span>
      </label>
      <FieldErrors messages={fieldMessages(problem, 'links.shorten')} />
      <div className="row">
        <button type="submit" className="button primary" disabled={save.isPending}>
          Save links
        </button>
        {save.isSuccess && !save.isPending ? (
          <span role="status" className="muted">
            {savedWords(save.data.links)}
          </span>
        ) : null}
      </div>
    </form>
  );
}

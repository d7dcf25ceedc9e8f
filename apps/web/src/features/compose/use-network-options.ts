/**
 * A post's network options while it is written or edited (compose and the
 * post editor share it): the form, what each channel's network gets of it
 * (checked with the content by the rules), the body sent, what the rules
 * find wrong at each option, and a TikTok privacy still to choose (said at
 * its field once sending was tried).
 */
import { useState } from 'react';
import type { ChannelView } from '../../api/views';
import type { Attachment } from './attachments';
import type { ChannelCheck } from './checks';
import { choiceOf, optionsBody, optionsFor, type NetworkOptionsBody, type NetworkOptionsChoice } from './network-options';
import { localOptionErrors } from './option-errors';
import { tiktokPrivacyMissing } from './tiktok-fields';

export function useNetworkOptions(saved?: NetworkOptionsBody) {
  const [choice, setChoice] = useState<NetworkOptionsChoice>(() => choiceOf(saved));
  const [tried, setTried] = useState(false);
  return {
    choice,
    setChoice,
    optionsOf: (channel: Pick<ChannelView, 'network' | 'choices'>) => optionsFor(choice, channel),
    body: (targets: Pick<ChannelView, 'network' | 'choices'>[]) => optionsBody(choice, targets),
    /** What the rules (and a privacy not yet chosen, once sending was tried) say of each option, by `<network>.<field>`. */
    local(targets: Pick<ChannelView, 'network' | 'networkOptions'>[], checks: Map<string, ChannelCheck> | undefined): Map<string, string[]> {
      const found = localOptionErrors(checks?.values() ?? []);
      if (tried && tiktokPrivacyMissing(choice.tiktok, targets)) found.set('tiktok.privacy', ['Choose who can see it: TikTok wants you to pick, with nothing picked for you.']);
      return found;
    },
    /** Whether something must still be chosen before the post is sent; says so at the field from now on. */
    blocks(targets: Pick<ChannelView, 'network' | 'networkOptions'>[]): boolean {
      const missing = tiktokPrivacyMissing(choice.tiktok, targets);
      if (missing) setTried(true);
      return missing;
    },
  };
}

/** Whether the files are all photos (a TikTok photo post then takes no duets or stitches). */
export function photosOnly(attachments: Attachment[]): boolean {
  const ready = attachments.filter((attachment) => attachment.media);
  return ready.length > 0 && ready.every((attachment) => attachment.media!.type === 'image');
}

import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { Webhooks1764100000000 } from './1764100000000-webhooks';
import { DropRedundantDeliveryIndex1764200000000 } from './1764200000000-drop-redundant-delivery-index';
import { DeliveryNetworkRef1764300000000 } from './1764300000000-delivery-network-ref';
import { ChannelConnections1764400000000 } from './1764400000000-channel-connections';
import { DeliveryWaitingFor1764500000000 } from './1764500000000-delivery-waiting-for';
import { MediaLibrary1764600000000 } from './1764600000000-media-library';
import { People1764700000000 } from './1764700000000-people';
import { MembersInvitationsAudit1764800000000 } from './1764800000000-members-invitations-audit';
import { Approvals1764900000000 } from './1764900000000-approvals';
import { AccessFollowsMaker1765000000000 } from './1765000000000-access-follows-maker';
import { SignInPairs1765100000000 } from './1765100000000-sign-in-pairs';

/** Every migration, oldest first. Listed by class so the same list works from sources and from dist. */
export const MIGRATIONS = [InitialSchema1764000000000, Webhooks1764100000000, DropRedundantDeliveryIndex1764200000000, DeliveryNetworkRef1764300000000, ChannelConnections1764400000000, DeliveryWaitingFor1764500000000, MediaLibrary1764600000000, People1764700000000, MembersInvitationsAudit1764800000000, Approvals1764900000000, AccessFollowsMaker1765000000000, SignInPairs1765100000000];

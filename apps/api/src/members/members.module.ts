import { Module } from '@nestjs/common';
import { PeopleModule } from '../people';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';
import { MakerRevocations } from './maker-revocations';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';

/** A workspace's members and their roles, and the invitations that bring people in. */
@Module({
  imports: [PeopleModule],
  controllers: [MembersController, InvitationsController],
  providers: [MembersService, InvitationsService, MakerRevocations],
})
export class MembersModule {}

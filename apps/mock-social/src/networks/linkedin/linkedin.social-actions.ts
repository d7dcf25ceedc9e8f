/**
 * LinkedIn's `GET /rest/socialActions/{urn}`: a post's likes and comments
 * summaries (`likesSummary.totalLikes`, `commentsSummary.aggregatedTotalComments`,
 * from the mock's metrics); a post not there is LinkedIn's 404.
 */
import type { FastifyInstance } from 'fastify';
import { NetworkFace } from '../../gate';
import { MockWorld } from '../../world';
import { LINKEDIN_ERRORS, versionProblem } from './linkedin.face';

export function registerLinkedInSocialActions(app: FastifyInstance, world: MockWorld, face: NetworkFace): void {
  app.get<{ Params: { urn: string } }>('/rest/socialActions/:urn', (request, reply) =>
    world.gate.run(face, request, reply, () => {
      const version = versionProblem(request);
      if (version) return version;
      const { urn } = request.params;
      const post = world.store.find(urn);
      if (!post || post.network !== 'linkedin' || post.kind !== 'post') return { status: 404, body: LINKEDIN_ERRORS.body(404, 'not_found', `Not Found: the post ${urn} does not exist`) };
      const figures = world.metrics.of(post);
      return {
        status: 200,
        body: {
          target: urn,
          likesSummary: { totalLikes: figures.totalLikes, likedByCurrentUser: false, aggregatedTotalLikes: figures.totalLikes },
          commentsSummary: { totalFirstLevelComments: figures.aggregatedTotalComments, aggregatedTotalComments: figures.aggregatedTotalComments },
        },
      };
    }),
  );
}

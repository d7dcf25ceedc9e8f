/** What other API modules may use of posts. */
export { PostsModule } from './posts.module';

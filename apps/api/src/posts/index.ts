/** What other API modules may use of posts. */
export { PostsModule } from './posts.module';
export { BulkCreatePostsUseCase } from './usecases/bulk-create-posts.usecase';
export { BulkCreatePostsCommand } from './usecases/commands';

/** What the rest of the API uses of the operators' endpoints. */
export { AdminModule } from './admin.module';

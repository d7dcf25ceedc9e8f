/** What the rest of the API uses of health and metrics. */
export { HealthModule } from './health.module';
export { ApiMetrics } from './api-metrics';
export { RequestMetricsInterceptor } from './request-metrics.interceptor';

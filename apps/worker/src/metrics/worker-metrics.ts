import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { JOB_STATES, NetworkCircuits, PublishShards } from '@herald/queue';

/**
 * The worker's Prometheus metrics, served on its own small port (the worker
 * has no other HTTP): how late posts go out, outcomes by network, attempts
 * by error class, reconcile sweep durations, and the depth of each publish
 * shard by state.
 */
@Injectable()
export class WorkerMetrics implements OnApplicationShutdown {
  private readonly logger = new Logger(WorkerMetrics.name);
  readonly registry = new Registry();
  private server?: Server;

  /** Published minus scheduled: the promise "within a second", measured. */
  readonly lateness = new Histogram({
    name: 'herald_publish_lateness_seconds',
    help: 'Time from the scheduled time of a delivery to its publication',
    labelNames: ['network'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
    registers: [this.registry],
  });

  readonly publishes = new Counter({
    name: 'herald_publishes_total',
    help: 'Deliveries finished, by network and outcome (published, or the failure code)',
    labelNames: ['network', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly attempts = new Counter({
    name: 'herald_publish_attempts_total',
    help: 'Calls to the networks, by network and error class (none for a success)',
    labelNames: ['network', 'error_class'] as const,
    registers: [this.registry],
  });

  /** One reconcile sweep: it must stay short however far ahead the schedule reaches. */
  readonly sweepDuration = new Histogram({
    name: 'herald_reconcile_sweep_seconds',
    help: 'Duration of one reconcile sweep (Postgres to Redis, expired claims, pending webhooks)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly circuitTransitions = new Counter({
    name: 'herald_network_circuit_transitions_total',
    help: 'Circuit breaker changes this worker caused, by network host and the state it went to',
    labelNames: ['network', 'host', 'to'] as const,
    registers: [this.registry],
  });

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    shards: PublishShards,
    circuits: NetworkCircuits,
  ) {
    new Gauge({
      name: 'herald_network_circuit_state',
      help: 'Circuit breaker per network host, shared by all workers: 0 closed, 1 half-open (probing), 2 open',
      labelNames: ['network', 'host'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const circuit of await circuits.list()) this.set({ network: circuit.network, host: circuit.host }, circuit.state === 'open' ? 2 : circuit.state === 'half_open' ? 1 : 0);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'herald_worker_' });
    new Gauge({
      name: 'herald_queue_jobs',
      help: 'Jobs in each publish queue shard by state (queue: publish, or publish-0, publish-1...)',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        const counts = await Promise.all(shards.all.map((shard) => shard.queue.getJobCounts(...JOB_STATES)));
        shards.all.forEach((shard, index) => {
          for (const state of JOB_STATES) this.set({ queue: shard.name, state }, counts[index]![state] ?? 0);
        });
      },
    });
  }

  /** Starts /metrics and /health; resolves with the port it listens on. */
  async listen(): Promise<number> {
    this.server = createServer((request, response) => {
      if (request.url === '/metrics') {
        this.registry
          .metrics()
          .then((text) => response.writeHead(200, { 'content-type': this.registry.contentType }).end(text))
          .catch((error: unknown) => response.writeHead(503).end(String(error)));
      } else if (request.url === '/health') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.config.workerMetricsPort, process.env.WORKER_METRICS_HOST ?? '0.0.0.0', resolve);
    });
    return (this.server.address() as AddressInfo).port;
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.logger.debug('metrics server closed');
  }
}

// The local stand-in for what AWS does with the table's stream: reads DynamoDB Local's stream and
// hands its records to the same handler Lambda calls (functions/deliver-events.ts), and runs the
// retry sweep (functions/retry-events.ts) every few seconds. `npm start` runs it as its own
// process; the tests drive `pollOnce` directly. It starts from the oldest record the stream keeps,
// so nothing written while it was down is missed (delivery skips events already delivered).
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../lib/config.js';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';

type StreamHandler = (event: DynamoDBStreamEvent) => Promise<unknown>;

export class StreamRelay {
  private readonly streams: DynamoDBStreamsClient;
  private readonly iterators = new Map<string, string | null>();
  private streamArn: string | undefined;

  private readonly tableName: string;

  constructor(
    private readonly dynamo: DynamoDBClient,
    config: Config,
    private readonly handler: StreamHandler,
  ) {
    if (!config.dynamodbEndpoint) throw new Error('the event relay reads a local DynamoDB stream; on AWS, Lambda reads it');
    this.tableName = config.tableName;
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    this.streams = new DynamoDBStreamsClient({ endpoint: config.dynamodbEndpoint, region: config.region, credentials });
  }

  private async arn(): Promise<string> {
    if (!this.streamArn) {
      const { Table } = await this.dynamo.send(new DescribeTableCommand({ TableName: this.tableName }));
      if (!Table?.LatestStreamArn) throw new Error(`table ${this.tableName} has no stream`);
      this.streamArn = Table.LatestStreamArn;
    }
    return this.streamArn;
  }

  /** Reads what is new on every shard and hands it on; returns how many records there were. */
  async pollOnce(): Promise<number> {
    const StreamArn = await this.arn();
    const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn }));
    let count = 0;
    for (const { ShardId } of StreamDescription?.Shards ?? []) {
      if (!ShardId) continue;
      if (!this.iterators.has(ShardId)) {
        const { ShardIterator } = await this.streams.send(
          new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
        );
        this.iterators.set(ShardId, ShardIterator ?? null);
      }
      const iterator = this.iterators.get(ShardId);
      if (!iterator) continue; // a closed shard, read to its end
      const { Records = [], NextShardIterator } = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      this.iterators.set(ShardId, NextShardIterator ?? null);
      if (Records.length) await this.handler({ Records } as unknown as DynamoDBStreamEvent);
      count += Records.length;
    }
    return count;
  }

  close(): void {
    this.streams.destroy();
  }
}

async function main(): Promise<void> {
  const { config } = await import('../lib/config.js');
  const { dynamo } = await import('../lib/db/client.js');
  const deliver = await import('../functions/deliver-events.js');
  const retry = await import('../functions/retry-events.js');
  const relay = new StreamRelay(dynamo, config, deliver.handler);
  let running = true;
  const stop = () => (running = false);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  for (let tick = 0; running; tick++) {
    try {
      await relay.pollOnce();
      if (tick % 10 === 0) await retry.handler();
    } catch (error) {
      console.error(
        JSON.stringify({
          level: 'warn',
          message: 'event relay poll failed',
          error: (error as Error).name,
          detail: (error as Error).message,
        }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  relay.close();
}

if (process.argv[1]?.endsWith('event-relay.ts')) await main();

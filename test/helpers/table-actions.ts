// What each function sends the table, as the IAM actions its role must allow (a transaction: also
// the action of each of its items), recorded by a middleware on the service's one DynamoDB client
// while the function runs, and checked against the roles `npm run iam` derived (lib/db/iam.json).
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import { dynamo } from '../../lib/db/client.js';

const requestActions: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  TransactWrite: 'TransactWriteItems',
};
const itemActions: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};

const roles = JSON.parse(readFileSync(new URL('../../lib/db/iam.json', import.meta.url), 'utf8')) as Record<
  string,
  Array<{ Action: string[] }>
>;

const running = new AsyncLocalStorage<string>();
/** The actions each function sent, by function name. */
export const sent = new Map<string, Set<string>>();

const watched = new WeakSet<typeof dynamo>();

/** The middleware goes on the client in use when a function runs: the fixture builds a new one for each file's settings. */
function watch(client: typeof dynamo): void {
  if (watched.has(client)) return;
  watched.add(client);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const fn = running.getStore();
      if (fn) {
        const name = String(context.commandName).replace(/Command$/, '');
        const actions = sent.get(fn) ?? new Set<string>();
        actions.add(`dynamodb:${requestActions[name] ?? name}`);
        for (const item of (args.input as { TransactItems?: Array<Record<string, unknown>> }).TransactItems ?? [])
          for (const kind of Object.keys(item)) actions.add(`dynamodb:${itemActions[kind]}`);
        sent.set(fn, actions);
      }
      return next(args);
    },
    { step: 'initialize', name: 'recordTableActions' },
  );
}

/** Runs `work` as function `fn`: what it sends the table is counted as that function's. */
export function asFunction<T>(fn: string, work: () => Promise<T>): Promise<T> {
  watch(dynamo);
  return running.run(fn, work);
}

/** Of what `fn` sent, the actions its derived role does not allow. */
export function notAllowed(fn: string): string[] {
  const allowed = new Set(roles[fn]?.flatMap((s) => s.Action) ?? []);
  return [...(sent.get(fn) ?? [])].filter((action) => !allowed.has(action));
}

/** Every function that has a derived role. */
export const withRoles = Object.keys(roles);

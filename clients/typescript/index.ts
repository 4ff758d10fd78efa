// The cabinet client: openapi-fetch over the generated types (schema.d.ts), with the one header
// every call needs. The partner token always travels; the user token, once there is one, travels
// after it in the same header (`Bearer <partner>, User <user>`), as the API expects.
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

export type { components, operations, paths };
/** The models of the reference page, by name: `Schemas['Record']`, `Schemas['User']`, … */
export type Schemas = components['schemas'];

export interface CabinetOptions {
  /** The API's root with its version: `https://api.example.com/v1` (or `…/api/v1`). */
  baseUrl: string;
  partnerToken: string;
  /** A user token kept from an earlier login; `setUserToken` sets or clears it later. */
  userToken?: string;
  /** A fetch of your own (tests, proxies); the global one otherwise. */
  fetch?: (input: Request) => Promise<Response>;
}

export type CabinetClient = Client<paths> & {
  /** Sends this user token with every later call; `undefined` signs the user out of the client. */
  setUserToken(token: string | undefined): void;
  readonly userToken: string | undefined;
};

export function createCabinetClient(options: CabinetOptions): CabinetClient {
  let userToken = options.userToken;
  const client = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/+$/, ''), ...(options.fetch ? { fetch: options.fetch } : {}) });
  client.use({
    onRequest({ request }) {
      request.headers.set(
        'Authorization',
        userToken ? `Bearer ${options.partnerToken}, User ${userToken}` : `Bearer ${options.partnerToken}`,
      );
      return request;
    },
  });
  return Object.assign(client, {
    setUserToken(token: string | undefined) {
      userToken = token;
    },
    get userToken() {
      return userToken;
    },
  });
}

// Requests built exactly as the public Altegio/YCLIENTS clients build them (their code read, not
// copied), sent through the real handlers as API
// Gateway v2 events. Only the base URL differs from what the clients use.
import { request, type ApiResponse } from '../helpers/api.js';

/**
 * slowprog/yclients-api and andrey-tech/yclients-api-php: `Content-Type: application/json`, no
 * Accept at all, `Authorization: Bearer P` plus `, User U` only when a user token string is given,
 * GET parameters in the query string and everything else as a JSON body, base `.../api/v1`;
 * `getUserRecords($id, null, $token)` asks for `user/records/{id}/` with an empty hash.
 */
export class PhpSdkClient {
  constructor(private readonly partner: string) {}

  private async call(method: string, path: string, params: Record<string, unknown> = {}, userToken?: string): Promise<unknown> {
    const authorization = userToken ? `Bearer ${this.partner}, User ${userToken}` : `Bearer ${this.partner}`;
    const headers = { 'Content-Type': 'application/json', Authorization: authorization };
    const query = method === 'GET' && Object.keys(params).length ? `?${new URLSearchParams(params as Record<string, string>)}` : '';
    const response = await request(method, `/api/v1/${path}${query}`, {
      headers,
      ...(method === 'GET' ? {} : { rawBody: JSON.stringify(params) }),
    });
    return PhpSdkClient.decode(response);
  }

  /** As andrey-tech's YclientsRequest decodes: 204 is null; anything not JSON, an `errors` key or success false throws. */
  static decode(response: ApiResponse): unknown {
    if (response.status === 204) return null;
    let json: any;
    try {
      json = JSON.parse(response.text);
    } catch {
      throw new Error(`not JSON (${response.status}): ${response.text.slice(0, 80)}`);
    }
    if (json === null || typeof json !== 'object') throw new Error('not a JSON object');
    if ('errors' in json) throw new Error('a top-level errors key');
    if (json.success === false) throw Object.assign(new Error(json.meta?.message ?? 'failed'), { status: response.status, json });
    return json;
  }

  postBookCode(companyId: number, phone: string, fullname?: string) {
    return this.call('POST', `book_code/${companyId}`, fullname ? { phone, fullname } : { phone });
  }

  postUserAuth(phone: string, code: string) {
    return this.call('POST', 'user/auth', { phone, code });
  }

  getUserRecords(recordId: number, recordHash: string | null, userToken: string | null) {
    return this.call('GET', `user/records/${recordId}/${recordHash ?? ''}`, {}, userToken ?? undefined);
  }

  deleteUserRecords(recordId: number, recordHash: string | null, userToken: string | null) {
    return this.call('DELETE', `user/records/${recordId}/${recordHash ?? ''}`, {}, userToken ?? undefined);
  }
}

/**
 * akimrx/yclients-aio-client: `Content-Type: application/json`, `Accept: application/vnd.api.v2+json`,
 * `Authorization: Bearer P`, and it reads `response["data"]`.
 */
export class PythonAioClient {
  constructor(private readonly partner: string) {}

  private async post(path: string, body: Record<string, unknown>): Promise<any> {
    const headers = { 'Content-Type': 'application/json', Accept: 'application/vnd.api.v2+json', Authorization: `Bearer ${this.partner}` };
    const response = await request('POST', `/api/v1${path}`, { headers, rawBody: JSON.stringify(body) });
    const json = JSON.parse(response.text);
    return json['data'];
  }

  getClientTokenByPassword(login: string, password: string) {
    return this.post('/booking/auth', { login, password });
  }

  generateSmsCode(companyId: number, phone: string, fullname: string) {
    return this.post(`/book_code/${companyId}`, { phone, fullname });
  }

  getClientTokenBySmsCode(phone: string, code: string) {
    return this.post('/user/auth', { phone, code });
  }
}

/**
 * The YCLIENTS jQuery TypeScript class: `Accept: application/vnd.yclients.v2+json`, `Bearer P, User U`,
 * `user/records/?company_id=` for "my orders", and `{phone, code, company_id}` to log in; it reads
 * `data` off the body. The newer docs' `/v1/...` paths are used here.
 */
export class YclientsJqueryClient {
  constructor(private readonly partner: string) {}

  async call(method: string, path: string, userToken?: string, body?: Record<string, unknown>): Promise<ApiResponse> {
    const authorization = userToken ? `Bearer ${this.partner}, User ${userToken}` : `Bearer ${this.partner}`;
    const headers: Record<string, string> = { Accept: 'application/vnd.yclients.v2+json', Authorization: authorization };
    if (body) headers['Content-Type'] = 'application/json';
    return request(method, `/v1${path}`, { headers, ...(body ? { rawBody: JSON.stringify(body) } : {}) });
  }
}

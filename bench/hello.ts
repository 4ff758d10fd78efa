// The floor a cold start is compared with: a handler that does nothing, bundled the same way.
export const handler = async () => ({ statusCode: 200, body: '{"hello":"world"}' });

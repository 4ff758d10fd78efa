// Every stand-in server of the tests listens here: on 127.0.0.1, on a port the system picks (two
// runs side by side never collide), and unreferenced, so a server a failing test file never got
// to close does not keep jest from exiting. Closing it is still each test's own job.
import type { Server } from 'node:net';

export async function listenOnLoopback<T extends Server>(server: T): Promise<T> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return server;
}

/**
 * A raw graphql-transport-ws client for protocol tests: it sends exactly what a test writes
 * and queues every message the server sends, so a test awaits them in order, and the close.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import WebSocket from 'ws';
import { deferred } from './deferred.js';

/** A message of the protocol as the server sent it (parsed JSON). */
export interface Message {
  type: string;
  id?: string;
  payload?: unknown;
}

/** How the server closed the socket. */
export interface Closed {
  code: number;
  reason: string;
}

export interface RawSocket {
  /** The subprotocol the server chose ('' for none). */
  readonly protocol: string;
  /** Sends an object as JSON, or a string as it is. */
  send(message: object | string): void;
  /** The next message not yet taken; rejects if the socket closes before one comes. */
  next(): Promise<Message>;
  /** The messages received and not yet taken by next(), without waiting. */
  pending(): readonly Message[];
  /** Resolves when the socket is closed, with the server's code and reason. */
  readonly closed: Promise<Closed>;
  close(): Promise<Closed>;
}

export const PROTOCOL = 'graphql-transport-ws';

/** Opens a socket on `ws://…/graphql` of a server at `httpUrl`. */
export async function openRaw(httpUrl: string, protocol = PROTOCOL): Promise<RawSocket> {
  const socket = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/graphql`, protocol);
  const queue: Message[] = [];
  const waiting: { resolve(m: Message): void; reject(e: unknown): void }[] = [];
  const closed = deferred<Closed>();
  let done: Closed | undefined;

  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as Message;
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(message);
    else queue.push(message);
  });
  socket.on('close', (code: number, reason: Buffer) => {
    done = { code, reason: reason.toString('utf8') };
    for (const waiter of waiting.splice(0)) {
      waiter.reject(new Error(`the socket closed (${done.code} ${done.reason}) before a message`));
    }
    closed.resolve(done);
  });

  const opened = deferred();
  socket.once('open', () => opened.resolve());
  // A failed handshake rejects the open; 'close' follows every error.
  socket.on('error', (error) => opened.reject(error));
  await opened.promise;

  return {
    protocol: socket.protocol,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next: () => {
      const message = queue.shift();
      if (message) return Promise.resolve(message);
      if (done) {
        return Promise.reject(new Error(`the socket is closed (${done.code} ${done.reason})`));
      }
      return new Promise<Message>((resolve, reject) => waiting.push({ resolve, reject }));
    },
    pending: () => [...queue],
    closed: closed.promise,
    close: () => {
      if (!done) socket.close(1000);
      return closed.promise;
    },
  };
}

/** A socket past `connection_init` → `connection_ack`. */
export async function openAcked(
  httpUrl: string,
  payload?: Record<string, unknown>,
): Promise<RawSocket> {
  const socket = await openRaw(httpUrl);
  socket.send(
    payload === undefined ? { type: 'connection_init' } : { type: 'connection_init', payload },
  );
  const ack = await socket.next();
  if (ack.type !== 'connection_ack') {
    throw new Error(`expected connection_ack, got ${JSON.stringify(ack)}`);
  }
  return socket;
}

/**
 * A bare WebSocket handshake offering `protocol`, for what a ws client refuses to go on with
 * (a server that chooses no subprotocol): the subprotocol chosen, and the code of the close
 * frame the server sends first.
 */
export function handshake(
  httpUrl: string,
  protocol: string,
): Promise<{ protocol: string | undefined; closeCode: number }> {
  return new Promise((resolve, reject) => {
    const req = upgradeRequest(httpUrl, protocol);
    req.on('error', reject);
    req.on('response', (res) => reject(new Error(`no upgrade: HTTP ${res.statusCode}`)));
    req.on('upgrade', (res, socket, head) => {
      let frame = head;
      const read = (chunk: Buffer) => {
        frame = Buffer.concat([frame, chunk]);
        // A close frame (opcode 8) from the server: unmasked, its payload starts with the code.
        if (frame.length < 4) return;
        socket.destroy();
        if ((frame[0]! & 0x0f) !== 8)
          reject(new Error(`not a close frame: ${frame.toString('hex')}`));
        const chosen = res.headers['sec-websocket-protocol'];
        resolve({ protocol: chosen, closeCode: frame.readUInt16BE(2) });
      };
      socket.on('data', read);
      read(Buffer.alloc(0));
    });
    req.end();
  });
}

/** The status a bare WebSocket handshake gets: 101 when the server upgrades, else its refusal. */
export function handshakeStatus(httpUrl: string, protocol = PROTOCOL): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = upgradeRequest(httpUrl, protocol);
    req.on('error', reject);
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.end();
  });
}

function upgradeRequest(httpUrl: string, protocol: string) {
  return request(`${httpUrl}/graphql`, {
    headers: {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': randomBytes(16).toString('base64'),
      'sec-websocket-protocol': protocol,
    },
  });
}

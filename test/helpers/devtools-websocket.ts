/**
 * A minimal WebSocket client (RFC 6455) over node:net, enough to speak the Chrome DevTools
 * Protocol: the opening handshake, masked text frames out, text frames in (fragmented or not),
 * ping/pong and close. Node 20 has no global WebSocket without a flag, and the tests add no
 * dependency for it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

const handshakeGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** An open connection that delivers each text message to `onMessage`. */
export interface WebSocketConnection {
  send(text: string): void;
  close(): void;
  /** Settles when the socket has closed, for whatever reason. */
  closed: Promise<void>;
}

/** Opens a WebSocket to a `ws://host:port/path` URL. */
export function openWebSocket(url: string, onMessage: (text: string) => void): Promise<WebSocketConnection> {
  const target = new URL(url);
  if (target.protocol !== 'ws:') throw new Error(`only ws:// URLs are supported, got ${url}`);
  const key = randomBytes(16).toString('base64');
  const expectedAccept = createHash('sha1').update(key + handshakeGuid).digest('base64');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname);
    let buffered = Buffer.alloc(0);
    let open = false;
    let fragments: Buffer[] = [];
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', (error) => {
      if (!open) reject(error);
    });
    socket.once('connect', () => {
      socket.write(
        [`GET ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`, 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13', '', ''].join('\r\n'),
      );
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!open) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = buffered.subarray(0, end).toString('latin1');
        buffered = buffered.subarray(end + 4);
        const accept = /^sec-websocket-accept:\s*(\S+)/im.exec(head)?.[1];
        if (!/^HTTP\/1\.1 101 /.test(head) || accept !== expectedAccept) {
          socket.destroy();
          reject(new Error(`WebSocket handshake refused:\n${head}`));
          return;
        }
        open = true;
        resolve({ send: (text) => socket.write(encodeFrame(0x1, Buffer.from(text, 'utf8'))), close: () => closeSocket(socket), closed });
      }
      for (;;) {
        const frame = decodeFrame(buffered);
        if (frame === undefined) return;
        buffered = buffered.subarray(frame.length);
        if (frame.opcode === 0x8) {
          closeSocket(socket);
          return;
        }
        if (frame.opcode === 0x9) {
          socket.write(encodeFrame(0xa, frame.payload));
          continue;
        }
        if (frame.opcode === 0xa) continue;
        // A text message may come in several frames: the first carries the opcode, the rest 0.
        fragments.push(frame.payload);
        if (frame.fin) {
          const message = Buffer.concat(fragments).toString('utf8');
          fragments = [];
          onMessage(message);
        }
      }
    });
  });
}

function closeSocket(socket: Socket): void {
  if (socket.destroyed) return;
  socket.end(encodeFrame(0x8, Buffer.alloc(0)));
  setTimeout(() => socket.destroy(), 200).unref();
}

/** Encodes a client frame; clients must mask every frame they send. */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const length = payload.length;
  const header = length < 126 ? Buffer.alloc(2) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  if (length < 126) header[1] = 0x80 | length;
  else if (length < 65536) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  const masked = Buffer.alloc(length);
  for (let i = 0; i < length; i++) masked[i] = (payload[i] as number) ^ (mask[i % 4] as number);
  return Buffer.concat([header, mask, masked]);
}

/** Decodes one frame from the start of the buffer, or returns undefined until it is complete. */
function decodeFrame(buffer: Buffer): { fin: boolean; opcode: number; payload: Buffer; length: number } | undefined {
  if (buffer.length < 2) return undefined;
  const first = buffer[0] as number;
  const second = buffer[1] as number;
  let length = second & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  const masked = (second & 0x80) !== 0;
  const maskAt = offset;
  if (masked) offset += 4;
  if (buffer.length < offset + length) return undefined;
  let payload = buffer.subarray(offset, offset + length);
  if (masked) {
    // Servers do not mask, but a frame that is masked is still read correctly.
    const mask = buffer.subarray(maskAt, maskAt + 4);
    payload = Buffer.from(payload.map((byte, index) => byte ^ (mask[index % 4] as number)));
  }
  return { fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload, length: offset + length };
}

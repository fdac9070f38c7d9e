// Bare node:http: the ceiling for any server with a Node front. Routes: /hello,
// /echo (answers the POST body), /big (1 MiB). PORT comes from the environment.
import http from 'node:http';

const port = Number(process.env.PORT);
const HELLO = Buffer.from('Hello, World!\n');
const BIG = Buffer.alloc(1024 * 1024, 'x');

for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));

function reply(res, type, body) {
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length });
  res.end(body);
}

http
  .createServer((req, res) => {
    if (req.url.startsWith('/echo')) {
      const parts = [];
      req.on('data', (c) => parts.push(c));
      req.on('end', () => reply(res, 'application/octet-stream', Buffer.concat(parts)));
      return;
    }
    if (req.url.startsWith('/big')) return reply(res, 'application/octet-stream', BIG);
    reply(res, 'text/plain', HELLO);
  })
  .listen(port, '127.0.0.1');

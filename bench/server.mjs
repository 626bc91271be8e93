// The loopback server of the client benchmark: answers every request with one fixed, fake
// account, or a fake Claimable Cloud on the clouds' path (200, JSON, Content-Length set, as the
// real API and the emulator do). Runs in its
// own process so its work is not counted in the client's event loop. Prints its URL on
// stdout, exits when stdin closes (its parent is gone). 127.0.0.1 only.
import http from 'node:http';

const body = Buffer.from(JSON.stringify({
  external_id: '0aaaaa1bbbbb2ccccc3ddddd4eeeee5f', email: 'jane@example.com', plan_name: 'free',
  product_environments: [{
    external_id: 'abcde1fghij2klmno3pqrst4uvwxy5z', cloud_name: 'product1',
    api_key: '123456789012345', api_secret: 'FAKE-not-a-secret',
    api_environment_variable: 'CLOUDINARY_URL=cloudinary://123456789012345:FAKE-not-a-secret@product1',
  }],
  guidance: 'Verify the e-mail. '.repeat(40),
}));
const cloud = Buffer.from(JSON.stringify({
  account_id: '0aaaaa1bbbbb2ccccc3ddddd4eeeee5f', email: 'cloud-x@cloud.cloudinary.invalid',
  cloud_name: 'cloud1', api_key: '123456789012345', api_secret: 'FAKE-not-a-secret',
  api_environment_variable: 'CLOUDINARY_URL=cloudinary://123456789012345:FAKE-not-a-secret@cloud1',
  claimed: false, expires_at: '2026-08-19T16:13:09Z', delivery_ips: ['203.0.113.7', '127.0.0.1'],
  claim_url: 'https://console.cloudinary.com/claim?token=FAKE-token', guidance: 'Claim it. '.repeat(40),
}));
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const answer = req.url === '/v1_1/provisioning/clouds' ? cloud : body;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length, 'x-request-id': 'bench' });
    res.end(answer);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));

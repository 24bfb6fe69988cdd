#!/usr/bin/env node
// An example of the bank's own encryption program as a masking plug-in. It is both contracts at once:
//  - imported as a module, it exports `plugin` (name, reversible, mask, unmask);
//  - run as a command, it speaks the JSON-lines protocol on stdin/stdout.
// The cipher is a deterministic AES-256-CTR whose IV is an HMAC of the value (a synthetic IV): the same value always
// gives the same token, and the token decrypts with the key. Replace it with the bank's algorithm.
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const PREFIX = 'bk_';

function mask(values, context) {
  const key = Buffer.from(context.key);
  return values.map((value) => {
    const plain = Buffer.from(value, 'utf8');
    const iv = createHmac('sha256', key).update(plain).digest().subarray(0, 16);
    const cipher = createCipheriv('aes-256-ctr', key, iv);
    return PREFIX + Buffer.concat([iv, cipher.update(plain), cipher.final()]).toString('base64url');
  });
}

function unmask(tokens, context) {
  const key = Buffer.from(context.key);
  return tokens.map((token) => {
    if (!token.startsWith(PREFIX)) throw new Error('not a bank-cipher token');
    const bytes = Buffer.from(token.slice(PREFIX.length), 'base64url');
    const iv = bytes.subarray(0, 16);
    const decipher = createDecipheriv('aes-256-ctr', key, iv);
    const plain = Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]);
    if (!createHmac('sha256', key).update(plain).digest().subarray(0, 16).equals(iv)) throw new Error('token does not authenticate');
    return plain.toString('utf8');
  });
}

export const plugin = { name: 'bank-cipher', reversible: true, mask, unmask };

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  createInterface({ input: process.stdin }).on('line', (line) => {
    let request;
    try {
      request = JSON.parse(line);
      const context = { ...request, key: Buffer.from(request.key, 'base64') };
      const tokens = request.op === 'mask' ? mask(request.values, context) : unmask(request.values, context);
      process.stdout.write(`${JSON.stringify({ id: request.id, tokens })}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ id: request?.id ?? 0, error: { code: 'BANK_CIPHER_FAILED', message: String(error.message) } })}\n`);
    }
  });
}

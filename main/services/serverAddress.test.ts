import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../shared/schema/version.ts';
import { ServiceError } from './errors.ts';
import { parseServerAddress } from './serverAddress.ts';

describe('parseServerAddress', () => {
  it.each([
    ['ws://192.168.1.20:4321', 'http://192.168.1.20:4321', `ws://192.168.1.20:4321/?schema=${SCHEMA_VERSION}`],
    ['ws://192.168.1.20:4321/', 'http://192.168.1.20:4321', `ws://192.168.1.20:4321/?schema=${SCHEMA_VERSION}`],
    ['  http://127.0.0.1:9000/?schema=1#x ', 'http://127.0.0.1:9000', `ws://127.0.0.1:9000/?schema=${SCHEMA_VERSION}`],
    ['wss://Penholder.Example.org', 'https://penholder.example.org', `wss://penholder.example.org/?schema=${SCHEMA_VERSION}`],
    ['https://penholder.example.org:443/sync/', 'https://penholder.example.org/sync', `wss://penholder.example.org/sync/?schema=${SCHEMA_VERSION}`],
    ['HTTP://[::1]:8080', 'http://[::1]:8080', `ws://[::1]:8080/?schema=${SCHEMA_VERSION}`],
  ])('reads %j as %s', (raw, url, wsUrl) => {
    expect(parseServerAddress(raw)).toEqual({ url, wsUrl });
  });

  it.each([
    ['ftp://example.org', /ws:\/\/, wss:\/\/, http:\/\/ or https:\/\//],
    ['file:///etc/passwd', /ws:\/\/, wss:\/\/, http:\/\/ or https:\/\//],
    ['javascript:alert(1)', /ws:\/\/, wss:\/\/, http:\/\/ or https:\/\//],
    ['ws://chair:secret@example.org', /must not contain a name or password/],
    ['https://chair@example.org', /must not contain a name or password/],
    ['not a url', /not a server address/],
    ['', /not a server address/],
  ])('refuses %j with a readable reason', (raw, reason) => {
    let caught: unknown;
    try {
      parseServerAddress(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ServiceError);
    expect((caught as ServiceError).code).toBe('invalid-request');
    expect((caught as ServiceError).message).toMatch(reason);
  });
});

/**
 * Test-only middleware for the collector's `clientMiddleware` hook: record the commands sent,
 * answer what moto lacks, patch what moto answers wrongly, and inject real-looking failures
 * (HTTP error responses that go through the SDK's own deserialiser and retry strategy, and
 * requests rerouted to a socket that never answers). Not exported from the package.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpResponse } from '@smithy/protocol-http';
import type { MiddlewareStack } from '@smithy/types';
import type { ClientTarget, LiveCollectOptions } from '../sources/live/types.js';

export type Hook = NonNullable<LiveCollectOptions['clientMiddleware']>;
/** Decides whether an injection applies: to which client, and to which command (`ListKeys`). */
export type Match = (target: ClientTarget, operation: string) => boolean;

const op = (commandName: unknown): string => String(commandName ?? '').replace(/Command$/, '');

/** Applies several hooks in order. */
export function combineHooks(...hooks: Hook[]): Hook {
  return (stack, target) => {
    for (const hook of hooks) hook(stack, target);
  };
}

/** Records `service:Operation` of every command a client sends (before any other injection answers). */
export function recordCommands(into: Set<string>): Hook {
  return (stack: MiddlewareStack<any, any>, target) => {
    stack.add(
      (next: any, context: any) => async (args: any) => {
        into.add(`${target.service}:${op(context.commandName)}`);
        return next(args);
      },
      { step: 'initialize', priority: 'high' },
    );
  };
}

/** Answers matching commands with canned output instead of sending them (a gap filler). */
export function answer(match: Match, respond: (input: any, target: ClientTarget, operation: string) => Record<string, unknown>): Hook {
  return (stack, target) => {
    stack.add(
      (next: any, context: any) => async (args: any) => {
        const operation = op(context.commandName);
        if (!match(target, operation)) return next(args);
        return { output: { $metadata: { httpStatusCode: 200 }, ...respond(args.input, target, operation) }, response: new HttpResponse({ statusCode: 200, headers: {} }) };
      },
      { step: 'initialize', priority: 'low' },
    );
  };
}

/** Lets a matching command through, then changes its parsed output. */
export function patchOutput(match: Match, patch: (output: any, input: any, target: ClientTarget) => void): Hook {
  return (stack, target) => {
    stack.add(
      (next: any, context: any) => async (args: any) => {
        const result = await next(args);
        if (match(target, op(context.commandName))) patch(result.output, args.input, target);
        return result;
      },
      { step: 'initialize', priority: 'low' },
    );
  };
}

/**
 * Replaces the HTTP exchange of matching commands with an error response, on every attempt,
 * so the SDK's real deserialiser builds the error and its real retry strategy decides.
 */
export function httpError(match: Match, statusCode: number, body: string, headers: Record<string, string> = {}): Hook {
  return (stack, target) => {
    stack.add(
      (next: any, context: any) => async (args: any) => {
        if (!match(target, op(context.commandName))) return next(args);
        return { response: new HttpResponse({ statusCode, headers: { 'content-type': 'text/xml', ...headers }, body: new TextEncoder().encode(body) }) };
      },
      { step: 'deserialize', priority: 'low' },
    );
  };
}

/** An AWS Query-protocol (STS, IAM, EC2-like XML) error body. */
export function queryError(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>`;
}

/** An AWS JSON-protocol (KMS, Organizations, CloudTrail) error body. */
export function jsonError(code: string, message: string): string {
  return JSON.stringify({ __type: code, message });
}

/**
 * Sends matching requests to `port` (a socket that never answers) through an HTTP handler of
 * their own with a short timeout, so that they time out for real (a TimeoutError from the
 * socket, retried by the SDK) while every other call keeps the collector's own timeout.
 */
export function timeoutVia(match: Match, port: number, timeoutMs: number): Hook {
  const handler = new NodeHttpHandler({ requestTimeout: timeoutMs, throwOnRequestTimeout: true, connectionTimeout: timeoutMs });
  return (stack, target) => {
    stack.add(
      (next: any, context: any) => async (args: any) => {
        if (!match(target, op(context.commandName))) return next(args);
        args.request.hostname = '127.0.0.1';
        args.request.port = port;
        return handler.handle(args.request);
      },
      { step: 'deserialize', priority: 'low' },
    );
  };
}

/** A TCP server on 127.0.0.1 that accepts connections and never answers: a real timeout. */
export async function startBlackhole(): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

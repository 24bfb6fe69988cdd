import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One InvokeRestApi call as the stand-in received it. */
export interface ReceivedCall {
  readonly environment: string;
  readonly headers: IncomingMessage['headers'];
  /** The request body as sent. */
  readonly raw: string;
  readonly input: { readonly Path: string; readonly Method: string; readonly Body?: Record<string, unknown>; readonly QueryParameters?: unknown };
}

/** The stand-in's answer to the next calls, instead of Airflow's. */
export type ForcedAnswer = { readonly status: number; readonly errorType: string; readonly body?: unknown };

/**
 * A stand-in for MWAA's control plane on loopback, speaking InvokeRestApi's wire protocol (rest-json, `POST
 * /restapi/{Name}`), because MWAA cannot run here and moto (5.2.6) does not implement MWAA. Behind it, the one Airflow
 * call the trigger makes behaves as Airflow 3's `POST /dags/{dag_id}/dagRuns` does: a new `dag_run_id` creates a
 * queued run (200), a known one is refused with 409, which MWAA relays as `RestApiClientException` (HTTP 400).
 */
export class MwaaStandIn {
  readonly calls: ReceivedCall[] = [];
  /** Runs created, by `<environment>/<dag_id>/<dag_run_id>`. */
  readonly runs = new Map<string, Record<string, unknown>>();
  forced: ForcedAnswer | undefined;
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<MwaaStandIn> {
    const holder: { standIn?: MwaaStandIn } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => holder.standIn?.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.standIn = new MwaaStandIn(server);
    return holder.standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  handle(req: IncomingMessage, text: string, res: ServerResponse): void {
    const match = /^\/restapi\/([^/]+)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return answer(res, 404, { message: 'unknown operation' }, 'UnknownOperationException');
    const input = JSON.parse(text) as ReceivedCall['input'];
    const environment = decodeURIComponent(match[1] as string);
    this.calls.push({ environment, headers: req.headers, raw: text, input });
    if (this.forced) return answer(res, this.forced.status, this.forced.body ?? { message: this.forced.errorType }, this.forced.errorType);
    const route = /^\/dags\/([^/]+)\/dagRuns$/.exec(input.Path);
    if (input.Method !== 'POST' || !route) return answer(res, 400, { RestApiStatusCode: 404, RestApiResponse: { detail: 'Not Found' } }, 'RestApiClientException');
    const body = input.Body ?? {};
    const key = `${environment}/${route[1]}/${String(body['dag_run_id'])}`;
    if (this.runs.has(key)) {
      return answer(res, 400, { RestApiStatusCode: 409, RestApiResponse: { detail: `DAG Run with run_id: \`${String(body['dag_run_id'])}\` already exists` } }, 'RestApiClientException');
    }
    const run = { dag_id: route[1], dag_run_id: body['dag_run_id'], logical_date: body['logical_date'], conf: body['conf'], note: body['note'], state: 'queued', run_type: 'manual' };
    this.runs.set(key, run);
    return answer(res, 200, { RestApiStatusCode: 200, RestApiResponse: run });
  }
}

function answer(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  res.writeHead(status, { 'content-type': 'application/json', ...(errorType === undefined ? {} : { 'x-amzn-errortype': `${errorType}:http://internal.amazon.com/coral/com.amazonaws.airflow/` }) });
  res.end(JSON.stringify(body));
}

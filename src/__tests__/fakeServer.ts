import { ServerConnection } from '@jupyterlab/services';

/** One answer of the fake server; `'network-error'` makes fetch reject like an unreachable host. */
export type FakeAnswer =
  { status: number; body?: unknown; text?: string; statusText?: string } | 'network-error';

/**
 * A Jupyter server stand-in at the fetch level.
 *
 * The code under test runs unchanged through `ServerConnection.makeRequest`; only the
 * transport is replaced, so URL building, headers and error mapping are all exercised.
 */
export class FakeServer {
  readonly requests: Request[] = [];
  readonly settings: ServerConnection.ISettings;

  constructor(options: { baseUrl?: string; token?: string } = {}) {
    this.settings = ServerConnection.makeSettings({
      baseUrl: options.baseUrl ?? 'http://localhost:8888/lab-base/',
      token: options.token ?? '',
      fetch: (input: RequestInfo | URL, init?: RequestInit) => this._fetch(new Request(input, init))
    });
  }

  /**
   * Answer requests whose path (without query) is `path` with `answer`, or with what
   * `answer` returns for the request (e.g. a page chosen by its query).
   */
  on(path: string, answer: FakeAnswer | ((request: Request) => FakeAnswer)): this {
    this._answers.set(path, answer);
    return this;
  }

  /**
   * Hold back the answer to the next request for `path` until the returned function is
   * called; the answer is the one configured when the request arrived. Lets a test make
   * an older request finish after a newer one.
   */
  holdNext(path: string): () => void {
    let release = () => {};
    this._holds.set(path, new Promise<void>(resolve => (release = resolve)));
    return () => release();
  }

  private async _fetch(request: Request): Promise<Response> {
    this.requests.push(request);
    const path = new URL(request.url).pathname;
    const configured = this._answers.get(path);
    const answer = (typeof configured === 'function' ? configured(request) : configured) ?? {
      status: 404,
      text: '<html><body>404: Not Found</body></html>',
      statusText: 'Not Found'
    };
    const hold = this._holds.get(path);
    if (hold) {
      this._holds.delete(path);
      await hold;
    }
    if (answer === 'network-error') {
      throw new TypeError('Failed to fetch');
    }
    const text = answer.text ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
    return new Response(answer.status === 204 ? null : text, {
      status: answer.status,
      statusText: answer.statusText ?? ''
    });
  }

  private readonly _answers = new Map<string, FakeAnswer | ((request: Request) => FakeAnswer)>();
  private readonly _holds = new Map<string, Promise<void>>();
}

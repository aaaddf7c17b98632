import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { shownText } from './components/names';

/** The URL segment under the Jupyter base URL where the server extension answers. */
export const API_NAMESPACE = 'reana-openbis-lab';

/** The message of any failure: an `Error`'s own, else the value as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One failing input of a form the server checked as a whole. */
export interface IFieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * An error answer of the server extension.
 *
 * The server always answers errors as JSON `{message, field?, code?, errors?}`; keeping
 * `field` and `errors` lets a form point at the inputs at fault instead of showing a
 * generic failure.
 * Answers that are not JSON (e.g. Jupyter's own HTML 404 page when the extension is not
 * loaded) still become an `ApiError`, with the HTTP status text as message.
 */
export class ApiError extends ServerConnection.ResponseError {
  /** The request field at fault, for 400 answers. */
  readonly field: string | undefined;
  /** A stable machine-readable reason, when the server gives one. */
  readonly code: string | undefined;
  /** Every failing field, when the server checked a whole form; empty otherwise. */
  readonly errors: readonly IFieldError[];

  constructor(
    response: Response,
    message: string,
    details: { field?: string; code?: string; errors?: readonly IFieldError[] } = {}
  ) {
    super(response, message);
    this.name = 'ApiError';
    this.field = details.field;
    this.code = details.code;
    this.errors = details.errors ?? [];
  }

  /** The HTTP status of the answer. */
  get status(): number {
    return this.response.status;
  }
}

/**
 * Call a route of the server extension and return its JSON answer.
 *
 * @param endPoint - path relative to `<base_url>reana-openbis-lab/`, e.g. `info`.
 * @param init - fetch options; `ServerConnection.makeRequest` adds auth and XSRF headers.
 * @param settings - the application's `serverSettings`, so base URL and token are right.
 * @returns the parsed JSON body (`undefined` for an empty answer such as 204).
 * @throws {ServerConnection.NetworkError} when the Jupyter server cannot be reached.
 * @throws {ApiError} when the server answers with an error status.
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit,
  settings: ServerConnection.ISettings
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, API_NAMESPACE, endPoint);
  // An explicit cache mode keeps `makeRequest` from appending its cache-busting `?<time>`,
  // which the server refuses as an unknown query parameter; `no-cache` still asks every time.
  const response = await ServerConnection.makeRequest(
    url,
    { cache: 'no-cache', ...init },
    settings
  );
  const text = await response.text();
  const body = parseJson(text);
  if (!response.ok) {
    throw errorFromAnswer(response, body);
  }
  if (text !== '' && body === undefined) {
    throw new ApiError(response, 'The server answer is not valid JSON.');
  }
  return body as T;
}

function parseJson(text: string): unknown {
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorFromAnswer(response: Response, body: unknown): ApiError {
  const fallback = `${response.status} ${response.statusText}`.trim();
  if (typeof body !== 'object' || body === null) {
    return new ApiError(response, fallback);
  }
  const { message, field, code, errors } = body as Record<string, unknown>;
  // Messages quote names (files, datasets, runs): shown as they are, wherever they are shown.
  return new ApiError(response, shownText(typeof message === 'string' ? message : fallback), {
    field: typeof field === 'string' ? field : undefined,
    code: typeof code === 'string' ? code : undefined,
    errors: Array.isArray(errors)
      ? errors.filter(isFieldError).map(e => ({ ...e, message: shownText(e.message) }))
      : []
  });
}

function isFieldError(value: unknown): value is IFieldError {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const { field, message } = value as Record<string, unknown>;
  return typeof field === 'string' && typeof message === 'string';
}

// Every call the console makes goes through here: the admin key from session storage rides in the
// Authorization header (never in a URL), and API errors become Error objects with a readable message.

const KEY_ITEM = 'llmp.adminKey';

export function adminKey() {
  return sessionStorage.getItem(KEY_ITEM);
}

export function setAdminKey(key) {
  if (key) sessionStorage.setItem(KEY_ITEM, key);
  else sessionStorage.removeItem(KEY_ITEM);
}

/** An API error: status, OpenAI-shaped code/param, and a message fit to show an operator. */
export class ApiError extends Error {
  constructor(status, message, code, param) {
    super(message);
    this.status = status;
    this.code = code;
    this.param = param;
  }
}

function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  const key = adminKey();
  if (key) h.Authorization = `Bearer ${key}`;
  return h;
}

/** Turns an error response (OpenAI's {"error":{...}} or anything else) into an ApiError. */
export function errorFrom(status, bodyText, url) {
  let message = `${url}: HTTP ${status}`;
  let code = null;
  let param = null;
  try {
    const body = JSON.parse(bodyText);
    if (body && body.error) {
      message = body.error.message || message;
      code = body.error.code || null;
      param = body.error.param || null;
    }
  } catch {
    if (bodyText && bodyText.length < 300) message = `${message}: ${bodyText}`;
  }
  if (status === 401) message = `Not signed in or the key was refused: ${message}`;
  if (status === 403) message = `This needs an admin key: ${message}`;
  if (status === 429) message = `Rate limited: ${message}`;
  return new ApiError(status, message, code, param);
}

async function send(method, url, body) {
  const init = { method, headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    throw new ApiError(0, `The server did not answer (${e.message}).`, 'network', null);
  }
  const text = await response.text();
  if (!response.ok) throw errorFrom(response.status, text, url);
  return text ? JSON.parse(text) : {};
}

export const api = {
  get: (url) => send('GET', url),
  post: (url, body = {}) => send('POST', url, body),
  patch: (url, body) => send('PATCH', url, body),
  del: (url) => send('DELETE', url),
  /** Plain text (the Prometheus exposition). */
  async text(url) {
    const response = await fetch(url, { headers: headers({ Accept: 'text/plain' }) });
    const text = await response.text();
    if (!response.ok) throw errorFrom(response.status, text, url);
    return text;
  },
};

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Uploads one file as multipart with upload progress (fetch cannot report it; XMLHttpRequest can).
 * onProgress(fraction) is called as bytes leave; resolves with the JSON answer.
 */
export function upload(url, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [k, v] of Object.entries(headers())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText || '{}'));
      else reject(errorFrom(xhr.status, xhr.responseText, url));
    };
    xhr.onerror = () => reject(new ApiError(0, 'The upload was interrupted (network error).', 'network', null));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/**
 * POSTs a streaming chat request and calls onEvent(json) for every server-sent event until [DONE].
 * An error answered before the stream starts (4xx) is thrown as ApiError; an error event inside the
 * stream ({"error":...}) is thrown too.
 */
export async function stream(url, body, onEvent, signal) {
  const response = await fetch(url, {
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/json', Accept: 'text/event-stream' }),
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw errorFrom(response.status, await response.text(), url);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = event.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
      if (!data) continue;
      if (data === '[DONE]') return;
      const json = JSON.parse(data);
      if (json.error) throw new ApiError(500, json.error.message || 'The stream ended with an error', json.error.code, null);
      onEvent(json);
    }
  }
}

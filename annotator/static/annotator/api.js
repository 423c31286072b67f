// A small JSON client for /api/v1 with the page's CSRF token and one error type.

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;            // 0 when the server could not be reached
    this.code = body && body.code;
    this.field = body && body.field;
    this.body = body;
  }

  /** Worth retrying later: no answer, the server failed (not the request), or the same save is still running. */
  get isTransient() {
    return this.status === 0 || this.status >= 500 || this.status === 429 || this.code === "idempotency_key_in_flight";
  }
}

const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

export async function request(method, url, body, headers = {}) {
  let response;
  try {
    response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        ...(method !== "GET" ? { "X-CSRFToken": csrfToken() } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch (networkError) {
    throw new ApiError(0, { code: "network", message: "The server could not be reached." });
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch (parseError) {
    data = { code: "bad_response", message: `Unexpected answer (HTTP ${response.status}).` };
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

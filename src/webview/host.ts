import type { WebviewToHost } from '../core/plan/protocol';

/** Where button presses go: the VS Code host, or (standalone HTML report) local fallbacks. */
export interface Host {
  standalone: boolean;
  post(message: WebviewToHost): void;
  getState<T>(): T | undefined;
  setState<T>(state: T): void;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

export function connectHost(local: (message: WebviewToHost) => void): Host {
  if (typeof acquireVsCodeApi === 'function') {
    const api = acquireVsCodeApi();
    return {
      standalone: false,
      post: (m) => api.postMessage(m),
      getState: <T>() => api.getState() as T | undefined,
      setState: (s) => api.setState(s),
    };
  }
  let state: unknown;
  return {
    standalone: true,
    post: (m) => {
      // Tests read what the buttons would have sent.
      ((window as unknown as { __dbePosted?: WebviewToHost[] }).__dbePosted ??= []).push(m);
      local(m);
    },
    getState: <T>() => state as T | undefined,
    setState: (s) => {
      state = s;
      // Tests read what a VS Code webview would keep across a reload.
      (window as unknown as { __dbeState?: unknown }).__dbeState = s;
    },
  };
}

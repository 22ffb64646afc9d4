// The loansyncro package (Rust core compiled to WebAssembly), loaded once, after the first paint.
import { useEffect, useState } from 'react';

export type Wasm = typeof import('loansyncro');

let loading: Promise<Wasm> | null = null;

export function loadWasm(): Promise<Wasm> {
  loading ??= import('loansyncro');
  return loading;
}

/** The package once loaded (null before); an error is rethrown to the error boundary. */
export function useWasm(): Wasm | null {
  const [wasm, setWasm] = useState<Wasm | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    loadWasm().then(
      (w) => live && setWasm(w),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, []);
  if (error) throw error;
  return wasm;
}

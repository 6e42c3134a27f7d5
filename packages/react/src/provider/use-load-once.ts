import { useEffect } from "react";

/** Loads a shared slice the first time a mounted component needs it (`enabled`), while it is still `idle`. */
export function useLoadOnce(status: string, load: () => Promise<void>, enabled = true) {
  useEffect(() => {
    if (enabled && status === "idle") void load();
  }, [enabled, status, load]);
}

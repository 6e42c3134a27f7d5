import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { ApiError } from "./api/api-client.js";
import { ConsoleSessionProvider, sessionEnded } from "./api/console-session.js";
import { router } from "./app-routes.js";
import "./styles.css";

// A 401 from any console call means the session ended (expired, revoked, signed out elsewhere): back to sign-in.
const onError = (error: Error) => {
  if (error instanceof ApiError && error.status === 401 && !window.location.pathname.startsWith("/user"))
    sessionEnded(client);
};
const client: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      // Client errors will not change on retry; a blip on the network may.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={client}>
      <ConsoleSessionProvider>
        <RouterProvider router={router} />
      </ConsoleSessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);

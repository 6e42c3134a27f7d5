import { createBrowserRouter, Navigate } from "react-router";
import { ActingDeveloperProvider } from "./api/acting-developer.js";
import { Layout } from "./components/layout.js";
import { RequireSession } from "./components/require-session.js";
import { AppPage } from "./pages/developer/app-page.js";
import { AppsPage } from "./pages/developer/apps-page.js";
import { FeatureEditorPage } from "./pages/developer/feature-editor-page.js";
import { KeysPage } from "./pages/developer/keys-page.js";
import { DeveloperOverviewPage } from "./pages/developer/overview-page.js";
import { RequestPage } from "./pages/developer/request-page.js";
import { RevenuePage } from "./pages/developer/revenue-page.js";
import { UsagePage } from "./pages/developer/usage-page.js";
import { NotFoundPage } from "./pages/not-found-page.js";
import { AuditPage } from "./pages/operator/audit-page.js";
import { CatalogPage } from "./pages/operator/catalog-page.js";
import { DevelopersPage } from "./pages/operator/developers-page.js";
import { OperatorOverviewPage } from "./pages/operator/overview-page.js";
import { PayoutsPage } from "./pages/operator/payouts-page.js";
import { ReconciliationPage } from "./pages/operator/reconciliation-page.js";
import { WalletPage } from "./pages/operator/wallet-page.js";
import { WalletsPage } from "./pages/operator/wallets-page.js";
import { SignInPage } from "./pages/sign-in-page.js";
import { UserPage } from "./pages/user/user-page.js";

/** Every page: developer pages for developer and developer-admin sessions, operator pages for the operator. */
export const router = createBrowserRouter([
  { path: "/", element: <Navigate to="/sign-in" replace /> },
  { path: "/sign-in", element: <SignInPage /> },
  { path: "/user", element: <UserPage /> },
  {
    path: "/developer",
    element: (
      <RequireSession authorities={["developer", "developer_admin"]}>
        <ActingDeveloperProvider>
          <Layout />
        </ActingDeveloperProvider>
      </RequireSession>
    ),
    children: [
      { index: true, element: <DeveloperOverviewPage /> },
      { path: "apps", element: <AppsPage /> },
      { path: "apps/:appId", element: <AppPage /> },
      { path: "apps/:appId/features/:featureKey", element: <FeatureEditorPage /> },
      { path: "keys", element: <KeysPage /> },
      { path: "usage", element: <UsagePage /> },
      { path: "requests/:requestId", element: <RequestPage /> },
      { path: "revenue", element: <RevenuePage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
  {
    path: "/operator",
    element: (
      <RequireSession authorities={["operator"]}>
        <ActingDeveloperProvider>
          <Layout />
        </ActingDeveloperProvider>
      </RequireSession>
    ),
    children: [
      { index: true, element: <OperatorOverviewPage /> },
      { path: "developers", element: <DevelopersPage /> },
      { path: "wallets", element: <WalletsPage /> },
      { path: "wallets/:walletId", element: <WalletPage /> },
      { path: "payouts", element: <PayoutsPage /> },
      { path: "reconciliation", element: <ReconciliationPage /> },
      { path: "catalog", element: <CatalogPage /> },
      { path: "audit", element: <AuditPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
  { path: "*", element: <NotFoundPage /> },
]);

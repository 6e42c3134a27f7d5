import { lazy, Suspense, type ComponentType } from "react";
import { createBrowserRouter, Navigate } from "react-router";
import { ActingDeveloperProvider } from "./api/acting-developer.js";
import { Layout } from "./components/layout.js";
import { RequireSession } from "./components/require-session.js";
import { RouteError } from "./components/route-error.js";
import { Loading } from "./components/states.js";
import { NotFoundPage } from "./pages/not-found-page.js";
import { SignInPage } from "./pages/sign-in-page.js";

/**
 * A page loaded when first opened: the sign-in page stays small, and the
 * chart library comes only with the pages that draw charts.
 */
function page<Name extends string>(load: () => Promise<Record<Name, ComponentType>>, name: Name) {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}

const AppPage = page(() => import("./pages/developer/app-page.js"), "AppPage");
const AppsPage = page(() => import("./pages/developer/apps-page.js"), "AppsPage");
const FeatureEditorPage = page(() => import("./pages/developer/feature-editor-page.js"), "FeatureEditorPage");
const KeysPage = page(() => import("./pages/developer/keys-page.js"), "KeysPage");
const DeveloperOverviewPage = page(() => import("./pages/developer/overview-page.js"), "DeveloperOverviewPage");
const RequestPage = page(() => import("./pages/developer/request-page.js"), "RequestPage");
const RevenuePage = page(() => import("./pages/developer/revenue-page.js"), "RevenuePage");
const UsagePage = page(() => import("./pages/developer/usage-page.js"), "UsagePage");
const AuditPage = page(() => import("./pages/operator/audit-page.js"), "AuditPage");
const CatalogPage = page(() => import("./pages/operator/catalog-page.js"), "CatalogPage");
const DevelopersPage = page(() => import("./pages/operator/developers-page.js"), "DevelopersPage");
const OperatorOverviewPage = page(() => import("./pages/operator/overview-page.js"), "OperatorOverviewPage");
const PayoutsPage = page(() => import("./pages/operator/payouts-page.js"), "PayoutsPage");
const ReconciliationPage = page(() => import("./pages/operator/reconciliation-page.js"), "ReconciliationPage");
const WalletPage = page(() => import("./pages/operator/wallet-page.js"), "WalletPage");
const WalletsPage = page(() => import("./pages/operator/wallets-page.js"), "WalletsPage");
const UserPage = page(() => import("./pages/user/user-page.js"), "UserPage");

/** Every page: developer pages for developer and developer-admin sessions, operator pages for the operator. */
export const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
      { path: "/", element: <Navigate to="/sign-in" replace /> },
      { path: "/sign-in", element: <SignInPage /> },
      {
        path: "/user",
        element: (
          <Suspense fallback={<Loading />}>
            <UserPage />
          </Suspense>
        ),
      },
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
    ],
  },
]);

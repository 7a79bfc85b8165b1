import { createBrowserRouter, Navigate } from 'react-router-dom';
import { AppLayout } from './AppLayout';
import { RequireSession } from '../features/auth/RequireSession';
import { RouteError } from '../pages/RouteError';
import { SECTIONS } from './navigation';

// Pages load on first visit, so the sign-in screen does not wait for the customer page's code.
export const router = createBrowserRouter([
  {
    path: '/sign-in',
    lazy: () => import('../pages/SignInPage').then((m) => ({ Component: m.SignInPage })),
    errorElement: <RouteError />,
  },
  {
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Navigate to="/customers" replace /> },
      { path: 'customers', lazy: () => import('../pages/CustomersPage').then((m) => ({ Component: m.CustomersPage })) },
      { path: 'customers/:id', lazy: () => import('../pages/CustomerPage').then((m) => ({ Component: m.CustomerPage })) },
      { path: 'economics', lazy: () => import('../pages/EconomicsPage').then((m) => ({ Component: m.EconomicsPage })) },
      { path: 'experience', lazy: () => import('../pages/ExperiencePage').then((m) => ({ Component: m.ExperiencePage })) },
      { path: 'economics/customers', lazy: () => import('../pages/EconomicsCustomersPage').then((m) => ({ Component: m.EconomicsCustomersPage })) },
      {
        path: 'identity',
        lazy: () => import('../pages/IdentityPage').then((m) => ({ Component: m.IdentityPage })),
        children: [
          { index: true, element: <Navigate to="review" replace /> },
          { path: 'review', lazy: () => import('../pages/IdentityReviewPage').then((m) => ({ Component: m.IdentityReviewPage })) },
          { path: 'import', lazy: () => import('../pages/IdentityImportPage').then((m) => ({ Component: m.IdentityImportPage })) },
        ],
      },
      { path: 'service', lazy: () => import('../pages/ServicePage').then((m) => ({ Component: m.ServicePage })) },
      { path: 'sales/*', lazy: () => import('../pages/SalesPage').then((m) => ({ Component: m.SalesPage })) },
      ...SECTIONS.filter((s) => s.comingWith).map((section) => ({
        path: section.path.slice(1),
        lazy: () => import('../pages/ComingSoonPage').then((m) => ({ Component: () => <m.ComingSoonPage section={section} /> })),
      })),
      { path: '*', lazy: () => import('../pages/NotFoundPage').then((m) => ({ Component: m.NotFoundPage })) },
    ],
  },
]);

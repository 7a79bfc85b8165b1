import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { catalogueRoutes } from './catalogue/routes.js';
import { fulfillerCallbackRoutes, fulfilmentRoutes } from './fulfilment/routes.js';
import { measureRoutes } from './measures/routes.js';
import { orderRoutes } from './orders/routes.js';
import { pipelineRoutes } from './pipelines/routes.js';
import { pricingRoutes } from './pricing/routes.js';
import { quoteRoutes } from './quotes/routes.js';
import type { SalesService } from './service.js';

/** Everything under /api/v1/sales; the first path segment, `sales`, is the resource the central permission check uses. */
export const salesRoutes: FastifyPluginAsyncZod<{ sales: SalesService }> = async (app, { sales }) => {
  await app.register(
    async (s) => {
      await s.register(catalogueRoutes, { catalogue: sales.catalogue });
      await s.register(pricingRoutes, { pricing: sales.pricing });
      await s.register(fulfilmentRoutes, { fulfilment: sales.fulfilment });
      await s.register(fulfillerCallbackRoutes, { orders: sales.orders });
      await s.register(quoteRoutes, { quotes: sales.quotes, orders: sales.orders });
      await s.register(orderRoutes, { orders: sales.orders });
      await s.register(pipelineRoutes, { pipelines: sales.pipelines });
      await s.register(measureRoutes, { measures: sales.measures });
    },
    { prefix: '/sales' },
  );
};

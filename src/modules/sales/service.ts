import type { Database } from '../../core/db/engine.js';
import { CatalogueService } from './catalogue/service.js';
import { SalesContext, type SalesDeps, type SalesOptions } from './context.js';
import { FulfilmentService } from './fulfilment/service.js';
import { MeasureService } from './measures/service.js';
import { OrderService } from './orders/service.js';
import { PipelineService } from './pipelines/service.js';
import { PricingService } from './pricing/service.js';
import { QuoteService } from './quotes/service.js';

/**
 * Selling as one company, as one service with a part per step: catalogue (configure), pricing (price),
 * fulfilment (availability, routing, webhooks), quotes, orders, pipelines and the experience measures.
 * `context` holds what may be swapped after start-up: the economics lookup, the experience signals, the clock.
 */
export class SalesService {
  readonly context: SalesContext;
  readonly catalogue: CatalogueService;
  readonly pricing: PricingService;
  readonly fulfilment: FulfilmentService;
  readonly quotes: QuoteService;
  readonly orders: OrderService;
  readonly pipelines: PipelineService;
  readonly measures: MeasureService;

  constructor(db: Database, deps: SalesDeps, opts: SalesOptions = {}) {
    this.context = new SalesContext(db, deps, opts);
    this.catalogue = new CatalogueService(this.context);
    this.pricing = new PricingService(this.context);
    this.fulfilment = new FulfilmentService(this.context, this.catalogue);
    this.quotes = new QuoteService(this.context, this.catalogue, this.pricing, this.fulfilment);
    this.orders = new OrderService(this.context, this.quotes, this.fulfilment);
    this.pipelines = new PipelineService(this.context);
    this.measures = new MeasureService(this.context);
  }
}

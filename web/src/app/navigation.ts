import { IconChartPie, IconFingerprint, IconHeartHandshake, IconHeadset, IconTargetArrow, IconUsers, type Icon } from '@tabler/icons-react';

export interface Section {
  path: string;
  label: string;
  icon: Icon;
  /** The capability that brings the section; set while the section is still an empty state. */
  comingWith?: string;
  /** What the section will answer, shown in its empty state. */
  purpose: string;
}

/** The app's top-level sections. A capability that lands replaces its entry's `comingWith` with real routes. */
export const SECTIONS: Section[] = [
  { path: '/customers', label: 'Customers', icon: IconUsers, purpose: 'Every golden customer, one view across every division.' },
  {
    path: '/identity',
    label: 'Identity',
    icon: IconFingerprint,
    purpose: 'Import division records, review probable matches, and merge or split golden customers with the evidence for each link.',
  },
  {
    path: '/economics',
    label: 'Economics',
    icon: IconChartPie,
    purpose: 'Lifetime value, probability a customer is still active, and tiers: whom to keep, whom to grow, whom to serve at lower cost.',
  },
  {
    path: '/service',
    label: 'Service',
    icon: IconHeadset,
    purpose: 'Cases, routing to the right person, service-level clocks and recovery of customers in intensive care.',
  },
  {
    path: '/sales',
    label: 'Sales',
    icon: IconTargetArrow,
    purpose: 'Configure, price and quote in one sitting, with pricing by customer value and next-best offers that skip what a customer already holds.',
  },
  {
    path: '/experience',
    label: 'Experience',
    icon: IconHeartHandshake,
    purpose: 'Satisfaction, willingness to recommend, retention and churn by lifecycle stage and segment.',
  },
];

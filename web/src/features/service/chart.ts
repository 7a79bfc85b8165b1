/** ECharts animates bars growing; people who ask for reduced motion (and screenshots) get the final chart at once. */
export const chartAnimation = () => !(typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches);

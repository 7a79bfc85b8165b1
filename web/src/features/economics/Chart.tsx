// The ESM build: the CommonJS one (lib/) hands Vite an object, not a component.
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';

// Only the chart kinds the app draws, so the page's bundle stays small.
echarts.use([BarChart, HeatmapChart, LineChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

/**
 * One ECharts chart. Canvas is invisible to screen readers, so every chart carries a label and the page
 * offers the same numbers as text or a table next to it.
 */
export function Chart({ option, height = 260, label, onClick }: { option: EChartsOption; height?: number; label: string; onClick?(params: { name: string; data: unknown; dataIndex: number }): void }) {
  return (
    <div role="img" aria-label={label}>
      <ReactEChartsCore
        echarts={echarts}
        option={option}
        style={{ height, width: '100%' }}
        notMerge
        onEvents={onClick ? { click: onClick } : undefined}
        opts={{ renderer: 'canvas' }}
      />
    </div>
  );
}
